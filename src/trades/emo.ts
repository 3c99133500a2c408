import type { BookSnapshot, Side, Trade } from '../core/events.js';
import { checkState, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys } from '../core/options.js';
import { ClassifierCore, DEFAULT_QUOTE_CLASSIFIER_OPTIONS, type QuoteClassifierOptions, type QuoteClassifierStateFields } from './classifier-core.js';
import { bestAsk, bestBid } from './internal.js';

/** Options of {@link Emo}. */
export type EmoOptions = QuoteClassifierOptions;

/** Defaults of {@link EmoOptions}: quote lag 0 ms, price tolerance 1e-12 (relative). */
export const DEFAULT_EMO_OPTIONS: Readonly<Required<EmoOptions>> = DEFAULT_QUOTE_CLASSIFIER_OPTIONS;

/** State of an {@link Emo}. */
export interface EmoState extends OperatorState, QuoteClassifierStateFields {
  readonly type: 'Emo';
  readonly version: 1;
}

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
export class Emo implements Operator<Trade, Side, EmoState> {
  private readonly core: ClassifierCore;

  constructor(options: EmoOptions = {}) {
    checkOptionKeys('Emo', options, Object.keys(DEFAULT_EMO_OPTIONS));
    this.core = new ClassifierCore('Emo', options);
  }

  /** Record the best quotes at `ts` (NaN for a missing side). */
  onQuote(ts: number, bid: number, ask: number): void {
    this.core.onQuote(ts, bid, ask);
  }

  /** Record the best quotes of `book` at `book.ts`. */
  onBook(book: BookSnapshot): void {
    this.core.onQuote(book.ts, bestBid(book), bestAsk(book));
  }

  /** Classify one trade; see the class docs. */
  update(trade: Trade): Side {
    const core = this.core;
    core.begin(trade);
    const price = trade.price;
    const tick = core.tick.classify(price);
    const bid = core.quotes.bid;
    const ask = core.quotes.ask;
    const tol = core.priceTolerance;
    const atAsk = Math.abs(price - ask) <= tol * Math.abs(ask);
    const atBid = Math.abs(price - bid) <= tol * Math.abs(bid);
    if (atAsk !== atBid) {
      core.byQuote++;
      return atAsk ? 1 : -1;
    }
    core.byTick++;
    return tick;
  }

  /** Trades decided by the quote rule. */
  get byQuote(): number {
    return this.core.byQuote;
  }

  /** Trades decided by the tick rule (at the mid, or no quote). */
  get byTick(): number {
    return this.core.byTick;
  }

  /** Events that arrived with a time before the latest seen (processed at the latest time). */
  get lateEvents(): number {
    return this.core.lateEvents;
  }

  reset(): void {
    this.core.reset();
  }

  snapshot(): EmoState {
    return { type: 'Emo', version: 1, ...this.core.fields() };
  }

  restore(state: EmoState): void {
    checkState(state, 'Emo', 1);
    this.core.restoreFields(state);
  }
}
