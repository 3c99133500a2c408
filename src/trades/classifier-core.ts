/**
 * What the quote-based trade classifiers share: the quote history (with its lag), the tick rule over
 * the whole tape, the late-event clock, the counters and the operator contract. Each classifier only
 * says how the quote decides a trade ({@link QuoteClassifier.quoteSide}).
 *
 * @module
 */
import type { BookSnapshot, Side, Trade } from '../core/events.js';
import { checkState, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, fractionOption, nonNegativeOption } from '../core/options.js';
import { bestAsk, bestBid, checkTrade, checkTs, stateInteger, stateNumber, stateObject } from './internal.js';
import { QuoteHistory, type QuoteHistoryState } from './quote-history.js';
import { TickRule, type TickRuleState } from './tick-rule.js';

/** The options every quote-based classifier takes. */
export interface QuoteClassifierOptions {
  /**
   * Classify against the quote in effect `quoteLagMs` milliseconds before the trade: 0 for modern,
   * well-synchronised time stamps (the quote just before the trade); 5000 for the original Lee & Ready
   * (1991) five-second rule on 1980s TAQ data.
   * @defaultValue 0
   */
  quoteLagMs?: number;
  /**
   * Relative tolerance of price comparisons against the quotes: a trade is "at the mid" (or at the
   * ask, at the bid) when `|price - mid| <= priceTolerance * mid`. Prices in dollars from integer
   * ticks are not exact doubles: `2 * 579.815 !== 579.40 + 580.23` in float64, and 21 of the dev day's
   * 78 trades exactly at the mid would miss an exact test. 1e-12 is far above float error and far
   * below any real price step. 0 compares exactly.
   * @defaultValue 1e-12
   */
  priceTolerance?: number;
}

/** Defaults of {@link QuoteClassifierOptions}. */
export const DEFAULT_QUOTE_CLASSIFIER_OPTIONS: Readonly<Required<QuoteClassifierOptions>> = Object.freeze({
  quoteLagMs: 0,
  priceTolerance: 1e-12,
});

/** The state fields the quote-based classifiers share. */
export interface QuoteClassifierStateFields {
  readonly quotes: QuoteHistoryState;
  readonly tick: TickRuleState;
  readonly lastTs: number | string;
  readonly lateEvents: number;
  readonly byQuote: number;
  readonly byTick: number;
}

/** The state of a quote-based classifier named `T`. */
export interface QuoteClassifierState<T extends string> extends OperatorState, QuoteClassifierStateFields {
  readonly type: T;
  readonly version: 1;
}

/**
 * Base of the quote-based classifiers (quote rule, Lee-Ready, EMO, CLNV): feed quotes by
 * `onQuote(ts, bid, ask)` or `onBook(book)` and trades by `update(trade)`, in time order, each trade
 * before the book state it produces. Every trade also updates the tick rule (one tape). Late events are
 * processed at the latest time seen and counted in `lateEvents`; non-finite times or prices throw
 * `InvalidInputError`. Allocation-free per call.
 */
export abstract class QuoteClassifier<T extends string> implements Operator<Trade, Side, QuoteClassifierState<T>> {
  /** Relative tolerance of price comparisons against the quotes (see {@link QuoteClassifierOptions}). */
  readonly priceTolerance: number;
  protected readonly quotes: QuoteHistory;
  protected readonly tick = new TickRule();
  private lastTs = Number.NEGATIVE_INFINITY;
  private late = 0;
  private decidedByQuote = 0;
  private decidedByTick = 0;
  /** Names for error messages, built once (no string building on the hot path). */
  private readonly onQuoteWhere: string;
  private readonly updateWhere: string;

  /**
   * @param name the operator's name (state `type`, error messages)
   * @param fallbackToTick whether a trade the quote does not decide goes to the tick rule (else 0)
   */
  protected constructor(
    private readonly name: T,
    options: QuoteClassifierOptions,
    private readonly fallbackToTick: boolean,
  ) {
    checkOptionKeys(name, options, Object.keys(DEFAULT_QUOTE_CLASSIFIER_OPTIONS));
    this.onQuoteWhere = `${name}.onQuote`;
    this.updateWhere = `${name}.update`;
    const lag = nonNegativeOption('quoteLagMs', options.quoteLagMs ?? DEFAULT_QUOTE_CLASSIFIER_OPTIONS.quoteLagMs);
    const tol = options.priceTolerance ?? DEFAULT_QUOTE_CLASSIFIER_OPTIONS.priceTolerance;
    this.priceTolerance = tol === 0 ? 0 : fractionOption('priceTolerance', tol, 0, 0.01);
    this.quotes = new QuoteHistory(lag);
  }

  /**
   * The side the quote gives a trade at `price` against `bid` / `ask` (NaN when missing), or 0 when the
   * quote does not decide it.
   */
  protected abstract quoteSide(price: number, bid: number, ask: number): Side;

  /** Record the best quotes at `ts` (NaN for a missing side; late quotes are taken at the latest time seen). */
  onQuote(ts: number, bid: number, ask: number): void {
    checkTs(this.onQuoteWhere, ts);
    if (ts < this.lastTs) {
      this.late++;
      ts = this.lastTs;
    } else {
      this.lastTs = ts;
    }
    this.quotes.push(ts, bid, ask);
  }

  /** Record the best quotes of `book` at `book.ts`. */
  onBook(book: BookSnapshot): void {
    this.onQuote(book.ts, bestBid(book), bestAsk(book));
  }

  /** Classify one trade: +1 buyer-initiated, -1 seller-initiated, 0 undecided. */
  update(trade: Trade): Side {
    checkTrade(this.updateWhere, trade);
    let ts = trade.ts;
    if (ts < this.lastTs) {
      this.late++;
      ts = this.lastTs;
    } else {
      this.lastTs = ts;
    }
    this.quotes.lookup(ts);
    const price = trade.price;
    const tick = this.tick.classify(price);
    const side = this.quoteSide(price, this.quotes.bid, this.quotes.ask);
    if (side !== 0) {
      this.decidedByQuote++;
      return side;
    }
    if (!this.fallbackToTick) return 0;
    this.decidedByTick++;
    return tick;
  }

  /** Trades decided by the quote. */
  get byQuote(): number {
    return this.decidedByQuote;
  }

  /** Trades decided by the tick rule (the quote did not decide, or there was none). */
  get byTick(): number {
    return this.decidedByTick;
  }

  /** Events that arrived with a time before the latest seen (processed at the latest time). */
  get lateEvents(): number {
    return this.late;
  }

  reset(): void {
    this.quotes.reset();
    this.tick.reset();
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.late = 0;
    this.decidedByQuote = 0;
    this.decidedByTick = 0;
  }

  snapshot(): QuoteClassifierState<T> {
    return {
      type: this.name,
      version: 1,
      quotes: this.quotes.snapshot(),
      tick: this.tick.snapshot(),
      lastTs: encodeNumber(this.lastTs),
      lateEvents: this.late,
      byQuote: this.decidedByQuote,
      byTick: this.decidedByTick,
    };
  }

  restore(state: QuoteClassifierState<T>): void {
    checkState(state, this.name, 1);
    const n = this.name;
    const lastTs = stateNumber(n, 'lastTs', state.lastTs);
    const lateEvents = stateInteger(n, 'lateEvents', state.lateEvents);
    const byQuote = stateInteger(n, 'byQuote', state.byQuote);
    const byTick = stateInteger(n, 'byTick', state.byTick);
    this.quotes.restore(stateObject<QuoteHistoryState>(n, 'quotes', state.quotes));
    this.tick.restore(stateObject<TickRuleState>(n, 'tick', state.tick));
    this.lastTs = lastTs;
    this.late = lateEvents;
    this.decidedByQuote = byQuote;
    this.decidedByTick = byTick;
  }
}
