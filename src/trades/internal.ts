/**
 * Internal helpers of the trade operators: input checks for the hot path and decoders for `restore()`.
 * Not exported from the package.
 *
 * @module
 */
import { InvalidInputError, InvalidOptionError } from '../core/errors.js';
import type { Side, Trade } from '../core/events.js';

/**
 * Throw an {@link InvalidInputError} unless the trade has a finite `ts`, a finite `price` and a finite
 * `size >= 0`. `where` names the operator and method, e.g. `"Vpin.update"`.
 */
export function checkTrade(where: string, trade: Trade): void {
  const ts = trade.ts;
  const price = trade.price;
  const size = trade.size;
  // One combined test on the hot path; the detail only when it fails.
  if (ts - ts === 0 && price - price === 0 && size >= 0 && size - size === 0) return;
  if (!Number.isFinite(ts)) throw new InvalidInputError(`${where}: trade.ts`, ts, 'a finite number of milliseconds');
  if (!Number.isFinite(price)) throw new InvalidInputError(`${where}: trade.price (ts ${ts})`, price, 'a finite number');
  throw new InvalidInputError(`${where}: trade.size (ts ${ts})`, size, 'a finite number >= 0');
}

/** Throw an {@link InvalidInputError} unless `ts` is finite. */
export function checkTs(where: string, ts: number): void {
  if (ts - ts !== 0) throw new InvalidInputError(`${where}: ts`, ts, 'a finite number of milliseconds');
}

/** The side to use: `side` when given, else the trade's own side, else 0; mapped to -1, 0 or +1. */
export function sideOf(trade: Trade, side: number | undefined): Side {
  const s = side === undefined ? trade.side : side;
  return s === undefined || !(s === s) || s === 0 ? 0 : s > 0 ? 1 : -1;
}

/** The best bid of a book, NaN when the side is empty. */
export function bestBid(book: { bidLevels: number; bidPx: Float64Array }): number {
  return book.bidLevels > 0 ? book.bidPx[0]! : NaN;
}

/** The best ask of a book, NaN when the side is empty. */
export function bestAsk(book: { askLevels: number; askPx: Float64Array }): number {
  return book.askLevels > 0 ? book.askPx[0]! : NaN;
}

/** A window length: an integer >= 1, or `Infinity` for "all so far" (expanding). */
export function windowOption(name: string, value: unknown): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(name, value, 'an integer >= 1, or Infinity (all so far)');
  }
  return value;
}

/** A number > 0, `Infinity` allowed. */
export function positiveOrInfinityOption(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new InvalidOptionError(name, value, 'a number > 0 (Infinity allowed)');
  }
  return value;
}

export { stateBoolean, stateInteger, stateNumber, stateNumbers, stateObject, stateSide } from '../core/state.js';
