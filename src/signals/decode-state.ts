/**
 * Internal helpers for `restore()` of the signal operators: decode numbers written by
 * `encodeNumber` / `encodeNumbers`, rejecting anything else with an {@link InvalidStateError} that names
 * the operator and the field. Not exported from the package.
 *
 * @module
 */
import { InvalidStateError } from '../core/errors.js';
import { decodeNumber } from '../core/operator.js';

const ENCODED = new Set(['NaN', 'Infinity', '-Infinity', '-0']);

/** Decode one encoded number of field `name` of `operator`'s state. */
export function decodeStateNumber(operator: string, name: string, value: unknown): number {
  if (typeof value === 'number' || (typeof value === 'string' && ENCODED.has(value))) return decodeNumber(value);
  throw new InvalidStateError(operator, `${name} must be a number or an encoded number, got ${JSON.stringify(value)}`);
}

/** Decode an encoded number list of exactly `target.length` entries into `target`. */
export function decodeStateNumbersInto(operator: string, name: string, value: unknown, target: Float64Array): void {
  if (!Array.isArray(value) || value.length !== target.length) {
    throw new InvalidStateError(operator, `${name} must be an array of ${target.length} encoded numbers, got ${JSON.stringify(value)}`);
  }
  for (let i = 0; i < target.length; i++) target[i] = decodeStateNumber(operator, `${name}[${i}]`, value[i]);
}
