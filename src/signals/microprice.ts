import type { BookSnapshot } from '../core/events.js';

/**
 * Microprice: the size-weighted mid of level 1, as the word is used on most desks (and in the
 * reference README): each best price is weighted by the size on the **opposite** side, so the price
 * leans toward the side with the thinner queue, the side more likely to be taken out next.
 *
 * `microprice = (bidPx * askSz + askPx * bidSz) / (bidSz + askSz)` at level 1, in price units.
 * It is computed in the algebraically equal form `bidPx + (askPx - bidPx) * bidSz / (bidSz + askSz)`,
 * which stays within `[best bid, best ask]` under rounding too (and is exactly the bid when locked).
 *
 * This is **not** Stoikov's micro-price (S. Stoikov, 2018, "The micro-price: a high-frequency estimator
 * of future prices", Quantitative Finance 18(12), 1959-1966), which is the limit of expected future
 * mids given the imbalance and the spread, calibrated on data; that one would be a separate operator.
 *
 * - Range: `[best bid, best ask]` (`[best ask, best bid]` when crossed). `bidSz = 0` gives the best
 *   bid, `askSz = 0` the best ask.
 * - Empty input: `NaN` when either side has no level, or when both level-1 sizes are 0.
 * - Stateless and allocation-free; no warm-up.
 *
 * @example
 * ```ts
 * const book = bookFromLevels([[579.40, 496]], [[580.23, 100]]);
 * microprice(book); // 580.0907382550336 ((579.40 * 100 + 580.23 * 496) / 596)
 * ```
 */
export function microprice(book: BookSnapshot): number {
  if (book.bidLevels < 1 || book.askLevels < 1) return NaN;
  const bidPx = book.bidPx[0]!;
  const bidSz = book.bidSz[0]!;
  const total = bidSz + book.askSz[0]!;
  if (total === 0) return NaN;
  return bidPx + (book.askPx[0]! - bidPx) * (bidSz / total);
}
