/**
 * Internal helpers for `snapshot()` / `restore()` of the stats operators: read fields written by
 * `encodeNumber` / `encodeNumbers`, and check that a state was taken under the same options, rejecting
 * anything else with an {@link InvalidStateError} naming the operator and the field. Not exported from
 * the package.
 *
 * @module
 */
import { describeValue, InvalidStateError } from '../core/errors.js';
import { decodeNumber, encodeNumber } from '../core/operator.js';

/**
 * A sum of squared deviations kept by add / remove updates carries rounding errors of the order of `eps`
 * times its peak since the last exact recomputation; the rolling operators recompute exactly once it
 * falls below `1 / SHRINK_LIMIT` of that peak (relative error then stays near `SHRINK_LIMIT * eps`).
 */
export const SHRINK_LIMIT = 1e4;

/** The strings `encodeNumber` writes for values JSON cannot hold. */
const ENCODED = new Set(['NaN', 'Infinity', '-Infinity', '-0']);

function decodeField(operator: string, name: string, value: unknown): number {
  if (typeof value === 'number' || (typeof value === 'string' && ENCODED.has(value))) return decodeNumber(value);
  throw new InvalidStateError(operator, `field "${name}" must be a number or an encoded number; got ${describeValue(value)}`);
}

/** Read the encoded number `state[name]`. */
export function stateNumber(operator: string, state: object, name: string): number {
  return decodeField(operator, name, (state as Record<string, unknown>)[name]);
}

/** Read the encoded number list `state[name]`, of at most `maxLength` entries. */
export function stateNumbers(operator: string, state: object, name: string, maxLength: number): number[] {
  const value = (state as Record<string, unknown>)[name];
  if (!Array.isArray(value) || value.length > maxLength) {
    const expected = maxLength === Infinity ? 'an array' : `an array of at most ${maxLength}`;
    throw new InvalidStateError(operator, `field "${name}" must be ${expected} encoded numbers; got ${describeValue(value)}`);
  }
  const out: number[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = decodeField(operator, `${name}[${i}]`, value[i]);
  return out;
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
      throw new InvalidStateError(
        operator,
        `state was taken with option ${key} = ${describeValue(g[key])}, this operator has ${describeValue(expected[key])}`,
      );
    }
  }
}
