import type { Side } from '../core/events.js';
import { DEFAULT_QUOTE_CLASSIFIER_OPTIONS, QuoteClassifier, type QuoteClassifierOptions, type QuoteClassifierState } from './classifier-core.js';

/** Options of {@link LeeReady}. */
export type LeeReadyOptions = QuoteClassifierOptions;

/** Defaults of {@link LeeReadyOptions}: quote lag 0 ms, price tolerance 1e-12 (relative). */
export const DEFAULT_LEE_READY_OPTIONS: Readonly<Required<LeeReadyOptions>> = DEFAULT_QUOTE_CLASSIFIER_OPTIONS;

/** State of a {@link LeeReady}. */
export type LeeReadyState = QuoteClassifierState<'LeeReady'>;

/**
 * Lee & Ready (1991) trade classification: the quote rule, with the tick rule where the quote rule
 * cannot decide.
 *
 * ```text
 * mid = (bid + ask) / 2 of the quote in effect at t - quoteLagMs
 * side = +1 if price > mid,  -1 if price < mid,
 *        tick rule (sign of price - last different earlier price) if price == mid or no quote
 * ```
 *
 * - Inputs: quotes by `onQuote(ts, bid, ask)` or `onBook(book)` (level 1 is read and copied; no
 *   object kept), trades by `update(trade)` (`ts`, `price`). Feed them in time order, each trade
 *   **after** the quotes that precede it and **before** the book state it produces, so that with
 *   `quoteLagMs = 0` the trade meets the book as it stood before it (LOBSTER: row n-1 for message n).
 * - Output: +1 buyer-initiated, -1 seller-initiated, 0 only when the tick rule has no earlier
 *   different price either. Prices are compared with the relative tolerance `priceTolerance`.
 * - A quote with a missing side (NaN) counts as no quote. Every trade also updates the tick rule
 *   (one tape), whether or not its quote decided it.
 * - Late events (a time before the latest seen) are processed as at the latest time and counted in
 *   `lateEvents`. Non-finite times or prices throw `InvalidInputError`.
 * - Counters: `byQuote` / `byTick` trades decided by the quote rule / by the tick rule.
 * - Allocation-free per call; the quote ring holds one quote at lag 0 (see {@link QuoteHistory}).
 *
 * Reference: C. M. C. Lee & M. J. Ready (1991), "Inferring trade direction from intraday data",
 * Journal of Finance 46(2), 733-746; the reference README's `Lee-Ready` (quote = book row n-1, lag 0).
 *
 * @example
 * ```ts
 * const lr = new LeeReady();
 * lr.onQuote(0, 579.40, 580.23);          // mid 579.815
 * lr.update({ ts: 1, price: 579.40, size: 300 }); // -1 (below the mid)
 * lr.update({ ts: 2, price: 579.815, size: 5 });  // 1 (at the mid: uptick from 579.40)
 * ```
 */
export class LeeReady extends QuoteClassifier<'LeeReady'> {
  constructor(options: LeeReadyOptions = {}) {
    super('LeeReady', options, true);
  }

  protected quoteSide(price: number, bid: number, ask: number): Side {
    const mid = (bid + ask) / 2;
    const tol = this.priceTolerance * Math.abs(mid);
    const d = price - mid;
    return d > tol ? 1 : d < -tol ? -1 : 0; // NaN quotes: neither comparison holds
  }
}
