/**
 * Helpers for `restore()`: read the fields of a JSON state, rejecting anything malformed with an
 * {@link InvalidStateError} that names the operator and the field. Numbers travel through
 * `encodeNumber` (NaN, infinities and -0 as strings).
 *
 * @module
 */
import { describeValue, InvalidStateError } from './errors.js';
import type { Side } from './events.js';
import { decodeNumber, encodeNumber } from './operator.js';

/** The strings `encodeNumber` writes for values JSON cannot hold. */
const ENCODED = new Set(['NaN', 'Infinity', '-Infinity', '-0']);

/** Decode one number of field `name` written by `encodeNumber`; anything else throws. */
export function stateNumber(operator: string, name: string, value: unknown): number {
  if (typeof value === 'number' || (typeof value === 'string' && ENCODED.has(value))) return decodeNumber(value);
  throw new InvalidStateError(operator, `${name} must be a number or an encoded number, got ${describeValue(value)}`);
}

/** Decode an integer field >= `min`. */
export function stateInteger(operator: string, name: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidStateError(operator, `${name} must be an integer >= ${min}, got ${describeValue(value)}`);
  }
  return value;
}

/** Decode a boolean field. */
export function stateBoolean(operator: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidStateError(operator, `${name} must be a boolean, got ${describeValue(value)}`);
  return value;
}

/** Decode an encoded number list of at most `maxLength` entries (exactly `length` when given). */
export function stateNumbers(operator: string, name: string, value: unknown, maxLength: number, length = -1): number[] {
  if (!Array.isArray(value) || value.length > maxLength || (length >= 0 && value.length !== length)) {
    const want = length >= 0 ? `exactly ${length}` : maxLength === Infinity ? 'any number of' : `at most ${maxLength}`;
    throw new InvalidStateError(operator, `${name} must be an array of ${want} encoded numbers, got ${describeValue(value)}`);
  }
  const out: number[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = stateNumber(operator, `${name}[${i}]`, value[i]);
  return out;
}

/** Decode an encoded number list of exactly `target.length` entries into `target`. */
export function stateNumbersInto(operator: string, name: string, value: unknown, target: Float64Array): void {
  const xs = stateNumbers(operator, name, value, target.length, target.length);
  for (let i = 0; i < xs.length; i++) target[i] = xs[i]!;
}

/** Decode an object field (the nested state of a component). */
export function stateObject<T>(operator: string, name: string, value: unknown): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidStateError(operator, `${name} must be an object, got ${describeValue(value)}`);
  }
  return value as T;
}

/** Decode a side field: -1, 0 or 1. */
export function stateSide(operator: string, name: string, value: unknown): Side {
  if (value !== -1 && value !== 0 && value !== 1) throw new InvalidStateError(operator, `${name} must be -1, 0 or 1, got ${describeValue(value)}`);
  return value;
}

/** Options that shape an operator's state, as stored in its snapshot. */
export type StateOptions = Record<string, number | string | boolean>;

/** Encode options for a snapshot (numbers through `encodeNumber`, so `Infinity` survives JSON). */
export function encodeOptions(options: Record<string, number | string | boolean>): StateOptions {
  const out: StateOptions = {};
  for (const key of Object.keys(options)) {
    const v = options[key]!;
    out[key] = typeof v === 'number' ? encodeNumber(v) : v;
  }
  return out;
}

/**
 * Check that `state.options` equals the operator's own (encoded) options: a state restored into an
 * operator with other options would continue with wrong numbers, so it is refused.
 */
export function checkStateOptions(operator: string, state: object, expected: StateOptions): void {
  const got = (state as Record<string, unknown>)['options'];
  if (got === null || typeof got !== 'object') {
    throw new InvalidStateError(operator, `field "options" must be an object; got ${describeValue(got)}`);
  }
  const g = got as Record<string, unknown>;
  const keys = new Set([...Object.keys(expected), ...Object.keys(g)]);
  for (const key of keys) {
    if (g[key] !== expected[key]) {
      throw new InvalidStateError(operator, `state was taken with option ${key} = ${describeValue(g[key])}, this operator has ${describeValue(expected[key])}`);
    }
  }
}
