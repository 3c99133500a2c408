/**
 * Internal helpers for `snapshot()` / `restore()` of the stats operators: read fields written by
 * `encodeNumber` / `encodeNumbers`, and check that a state was taken under the same options, rejecting
 * anything else with an {@link InvalidStateError} naming the operator and the field. Not exported from
 * the package.
 *
 * @module
 */
import { stateNumber as coreNumber, stateNumbers as coreNumbers } from '../core/state.js';

/**
 * A sum of squared deviations kept by add / remove updates carries rounding errors of the order of `eps`
 * times its peak since the last exact recomputation; the rolling operators recompute exactly once it
 * falls below `1 / SHRINK_LIMIT` of that peak (relative error then stays near `SHRINK_LIMIT * eps`).
 */
export const SHRINK_LIMIT = 1e4;

/** Read the encoded number `state[name]`. */
export function stateNumber(operator: string, state: object, name: string): number {
  return coreNumber(operator, name, (state as Record<string, unknown>)[name]);
}

/** Read the encoded number list `state[name]`, of at most `maxLength` entries. */
export function stateNumbers(operator: string, state: object, name: string, maxLength: number): number[] {
  return coreNumbers(operator, name, (state as Record<string, unknown>)[name], maxLength);
}

export { checkStateOptions, encodeOptions, type StateOptions } from '../core/state.js';
