import type { BookSnapshot } from '../core/events.js';

/**
 * Order-book imbalance (OBI, queue imbalance) at level 1.
 *
 * `obi = (bidSz[0] - askSz[0]) / (bidSz[0] + askSz[0])`, unitless.
 *
 * - Range: `[-1, 1]` (also under rounding); +1 means all the level-1 size is on the bid. Swapping the
 *   sides negates it exactly.
 * - Empty input: `NaN` when either side has no level (a one-sided book has no best queue to compare
 *   with, so it gives NaN rather than ±1, matching the reference, which only scores rows with both
 *   sides), and when both level-1 sizes are 0.
 * - Stateless and allocation-free; no warm-up.
 *
 * For several levels with weights see `WeightedObi`. Reference: M. D. Gould & J. Bonart (2016),
 * "Queue imbalance as a one-tick-ahead price predictor in a limit order book", Market Microstructure
 * and Liquidity 2(2), who call it queue imbalance; `obi_l1` of the reference README.
 *
 * @example
 * ```ts
 * const book = bookFromLevels([[579.40, 496]], [[580.23, 100]]);
 * obi(book); // 0.6644295302013423 ((496 - 100) / 596)
 * ```
 */
export function obi(book: BookSnapshot): number {
  if (book.bidLevels < 1 || book.askLevels < 1) return NaN;
  const bidSz = book.bidSz[0]!;
  const askSz = book.askSz[0]!;
  return (bidSz - askSz) / (bidSz + askSz);
}
