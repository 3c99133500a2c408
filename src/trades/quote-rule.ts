import type { Side } from '../core/events.js';
import { DEFAULT_QUOTE_CLASSIFIER_OPTIONS, QuoteClassifier, type QuoteClassifierOptions, type QuoteClassifierState } from './classifier-core.js';

/** Options of {@link QuoteRule}. */
export type QuoteRuleOptions = QuoteClassifierOptions;

/** Defaults of {@link QuoteRuleOptions}: quote lag 0 ms, price tolerance 1e-12 (relative). */
export const DEFAULT_QUOTE_RULE_OPTIONS: Readonly<Required<QuoteRuleOptions>> = DEFAULT_QUOTE_CLASSIFIER_OPTIONS;

/** State of a {@link QuoteRule}. */
export type QuoteRuleState = QuoteClassifierState<'QuoteRule'>;

/**
 * Quote rule trade classification: a trade above the mid-quote is a buy (+1), below it a sell (-1), at
 * the mid (or without a quote) unknown (0).
 *
 * ```text
 * mid = (bid + ask) / 2 of the quote in effect at t - quoteLagMs
 * side = sign(price - mid), 0 when |price - mid| <= priceTolerance * mid or no quote
 * ```
 *
 * - Inputs: quotes by `onQuote(ts, bid, ask)` or `onBook(book)`, trades by `update(trade)`, in time
 *   order, each trade before the book state it produces (see {@link LeeReady}).
 * - Output: -1, 0 or +1. `byQuote` counts the trades it signed, `byTick` stays 0 (the quote rule has
 *   no fallback; {@link LeeReady} adds the tick rule).
 * - A quote with a missing side (NaN) counts as no quote. Late events are processed at the latest time
 *   seen and counted in `lateEvents`; non-finite times or prices throw `InvalidInputError`.
 * - Allocation-free per call.
 *
 * Reference: Lee & Ready (1991), "Inferring trade direction from intraday data", Journal of Finance
 * 46(2), 733-746 (the quote test); the reference README's `quote_side`.
 *
 * @example
 * ```ts
 * const q = new QuoteRule();
 * q.onQuote(0, 579.40, 580.23);
 * q.update({ ts: 1, price: 579.51, size: 1 });  // -1
 * q.update({ ts: 2, price: 579.815, size: 1 }); // 0 (at the mid)
 * ```
 */
export class QuoteRule extends QuoteClassifier<'QuoteRule'> {
  constructor(options: QuoteRuleOptions = {}) {
    super('QuoteRule', options, false);
  }

  protected quoteSide(price: number, bid: number, ask: number): Side {
    const mid = (bid + ask) / 2;
    const tol = this.priceTolerance * Math.abs(mid);
    const d = price - mid;
    return d > tol ? 1 : d < -tol ? -1 : 0;
  }
}
