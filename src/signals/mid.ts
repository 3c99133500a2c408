import type { BookSnapshot } from '../core/events.js';

/**
 * Mid price (mid-quote): the average of the best bid and the best ask.
 *
 * `mid = (bidPx[0] + askPx[0]) / 2`, in the book's price units.
 *
 * - Range: within `[best bid, best ask]` (exactly, also under rounding: the sum rounds monotonically
 *   and halving is exact), or `[best ask, best bid]` for a crossed book.
 * - Empty input: `NaN` when either side has no level.
 * - Stateless and allocation-free; no warm-up.
 *
 * Reference: the `mid` of the reference README (`(ask + bid) / 2`).
 *
 * @example
 * ```ts
 * const book = bookFromLevels([[579.40, 496]], [[580.23, 100]]);
 * mid(book); // 579.815
 * ```
 */
export function mid(book: BookSnapshot): number {
  if (book.bidLevels < 1 || book.askLevels < 1) return NaN;
  return (book.bidPx[0]! + book.askPx[0]!) / 2;
}
