import type { Side } from '../core/events.js';
import { DEFAULT_QUOTE_CLASSIFIER_OPTIONS, QuoteClassifier, type QuoteClassifierOptions, type QuoteClassifierState } from './classifier-core.js';

/** Options of {@link Clnv}. */
export type ClnvOptions = QuoteClassifierOptions;

/** Defaults of {@link ClnvOptions}: quote lag 0 ms, price tolerance 1e-12 (relative). */
export const DEFAULT_CLNV_OPTIONS: Readonly<Required<ClnvOptions>> = DEFAULT_QUOTE_CLASSIFIER_OPTIONS;

/** State of a {@link Clnv}. */
export type ClnvState = QuoteClassifierState<'Clnv'>;

/**
 * Chakrabarty, Li, Nguyen & Van Ness (2007) trade classification ("CLNV"): the spread is cut at 30% and
 * 70%; trades in the upper 30% (up to and at the ask) are buys, in the lower 30% (down to and at the
 * bid) sells; trades in the middle 40% and outside the quotes go to the tick rule.
 *
 * ```text
 * bid, ask = the quote in effect at t - quoteLagMs,  s = ask - bid,  x = (price - bid) / s
 * side = +1 if 0.7 <= x <= 1,  -1 if 0 <= x <= 0.3,  else the tick rule
 * ```
 *
 * (Bounds within the relative tolerance `priceTolerance`; a locked or crossed quote, s <= 0, goes to the
 * tick rule.)
 *
 * - Inputs: quotes by `onQuote(ts, bid, ask)` or `onBook(book)`, trades by `update(trade)`, in time
 *   order, each trade before the book state it produces (see {@link LeeReady}).
 * - Output: +1 / -1, 0 only when the tick rule has no earlier different price. Counters `byQuote` /
 *   `byTick`. Every trade updates the tick rule (one tape).
 * - A quote with a missing side (NaN) counts as no quote. Late events are processed at the latest time
 *   seen and counted in `lateEvents`; non-finite times or prices throw `InvalidInputError`.
 * - Allocation-free per call.
 *
 * Reference: B. Chakrabarty, B. Li, V. Nguyen & R. A. Van Ness (2007), "Trade classification algorithms
 * for electronic communications network trades", Journal of Banking & Finance 31(12), 3806-3821.
 *
 * @example
 * ```ts
 * const clnv = new Clnv();
 * clnv.onQuote(0, 100, 101);
 * clnv.update({ ts: 1, price: 100.8, size: 1 }); // 1 (x = 0.8: upper 30%)
 * clnv.update({ ts: 2, price: 100.5, size: 1 }); // -1 (x = 0.5: middle, downtick from 100.8)
 * ```
 */
export class Clnv extends QuoteClassifier<'Clnv'> {
  constructor(options: ClnvOptions = {}) {
    super('Clnv', options, true);
  }

  protected quoteSide(price: number, bid: number, ask: number): Side {
    const s = ask - bid;
    if (!(s > 0)) return 0; // no quote, or locked / crossed
    const tol = this.priceTolerance * Math.abs(ask);
    const above = price - bid; // 0 at the bid, s at the ask
    if (above <= s + tol && above >= 0.7 * s - tol) return 1;
    if (above >= -tol && above <= 0.3 * s + tol) return -1;
    return 0;
  }
}
