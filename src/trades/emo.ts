import type { Side } from '../core/events.js';
import { DEFAULT_QUOTE_CLASSIFIER_OPTIONS, QuoteClassifier, type QuoteClassifierOptions, type QuoteClassifierState } from './classifier-core.js';

/** Options of {@link Emo}. */
export type EmoOptions = QuoteClassifierOptions;

/** Defaults of {@link EmoOptions}: quote lag 0 ms, price tolerance 1e-12 (relative). */
export const DEFAULT_EMO_OPTIONS: Readonly<Required<EmoOptions>> = DEFAULT_QUOTE_CLASSIFIER_OPTIONS;

/** State of an {@link Emo}. */
export type EmoState = QuoteClassifierState<'Emo'>;

/**
 * Ellis, Michaely & O'Hara (2000) trade classification ("EMO"): trades at the ask are buys, trades at
 * the bid sells, all others (inside the spread or outside the quotes) by the tick rule.
 *
 * ```text
 * bid, ask = the quote in effect at t - quoteLagMs
 * side = +1 if price == ask,  -1 if price == bid,  else the tick rule
 * ```
 *
 * (Equality within the relative tolerance `priceTolerance`; a locked quote, bid == ask, cannot tell and
 * goes to the tick rule.)
 *
 * - Inputs: quotes by `onQuote(ts, bid, ask)` or `onBook(book)`, trades by `update(trade)`, in time
 *   order, each trade before the book state it produces (see {@link LeeReady}).
 * - Output: +1 / -1, 0 only when the tick rule has no earlier different price. Counters `byQuote` /
 *   `byTick`. Every trade updates the tick rule (one tape).
 * - A quote with a missing side (NaN) counts as no quote. Late events are processed at the latest time
 *   seen and counted in `lateEvents`; non-finite times or prices throw `InvalidInputError`.
 * - Allocation-free per call.
 *
 * Reference: K. Ellis, R. Michaely & M. O'Hara (2000), "The accuracy of trade classification rules:
 * evidence from Nasdaq", Journal of Financial and Quantitative Analysis 35(4), 529-551.
 *
 * @example
 * ```ts
 * const emo = new Emo();
 * emo.onQuote(0, 579.40, 580.23);
 * emo.update({ ts: 1, price: 580.23, size: 1 }); // 1 (at the ask)
 * emo.update({ ts: 2, price: 580.00, size: 1 }); // -1 (inside: downtick from 580.23)
 * ```
 */
export class Emo extends QuoteClassifier<'Emo'> {
  constructor(options: EmoOptions = {}) {
    super('Emo', options, true);
  }

  protected quoteSide(price: number, bid: number, ask: number): Side {
    const tol = this.priceTolerance;
    const atAsk = Math.abs(price - ask) <= tol * Math.abs(ask);
    const atBid = Math.abs(price - bid) <= tol * Math.abs(bid);
    return atAsk === atBid ? 0 : atAsk ? 1 : -1;
  }
}
