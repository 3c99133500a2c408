import type { BookSnapshot, Side, Trade } from '../core/events.js';
import { checkState, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys } from '../core/options.js';
import { ClassifierCore, DEFAULT_QUOTE_CLASSIFIER_OPTIONS, type QuoteClassifierOptions, type QuoteClassifierStateFields } from './classifier-core.js';
import { bestAsk, bestBid } from './internal.js';

/** Options of {@link Clnv}. */
export type ClnvOptions = QuoteClassifierOptions;

/** Defaults of {@link ClnvOptions}: quote lag 0 ms, price tolerance 1e-12 (relative). */
export const DEFAULT_CLNV_OPTIONS: Readonly<Required<ClnvOptions>> = DEFAULT_QUOTE_CLASSIFIER_OPTIONS;

/** State of a {@link Clnv}. */
export interface ClnvState extends OperatorState, QuoteClassifierStateFields {
  readonly type: 'Clnv';
  readonly version: 1;
}

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
export class Clnv implements Operator<Trade, Side, ClnvState> {
  private readonly core: ClassifierCore;

  constructor(options: ClnvOptions = {}) {
    checkOptionKeys('Clnv', options, Object.keys(DEFAULT_CLNV_OPTIONS));
    this.core = new ClassifierCore('Clnv', options);
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
    const s = ask - bid;
    if (s > 0) {
      const tol = core.priceTolerance * Math.abs(ask);
      const above = price - bid; // 0 at the bid, s at the ask
      if (above <= s + tol && above >= 0.7 * s - tol) {
        core.byQuote++;
        return 1;
      }
      if (above >= -tol && above <= 0.3 * s + tol) {
        core.byQuote++;
        return -1;
      }
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

  snapshot(): ClnvState {
    return { type: 'Clnv', version: 1, ...this.core.fields() };
  }

  restore(state: ClnvState): void {
    checkState(state, 'Clnv', 1);
    this.core.restoreFields(state);
  }
}
