/**
 * Internal: what the quote-based trade classifiers share: the quote history (with its lag), the tick
 * rule over the whole tape, the late-event clock and the counters. Not exported from the package.
 *
 * @module
 */
import type { Trade } from '../core/events.js';
import { encodeNumber } from '../core/operator.js';
import { fractionOption, nonNegativeOption } from '../core/options.js';
import { checkTrade, checkTs, stateInteger, stateNumber, stateObject } from './internal.js';
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

export class ClassifierCore {
  readonly quotes: QuoteHistory;
  readonly tick = new TickRule();
  readonly priceTolerance: number;
  lastTs = Number.NEGATIVE_INFINITY;
  lateEvents = 0;
  byQuote = 0;
  byTick = 0;
  /** Names for error messages, built once (no string building on the hot path). */
  private readonly onQuoteWhere: string;
  private readonly updateWhere: string;

  constructor(
    private readonly name: string,
    options: QuoteClassifierOptions,
  ) {
    this.onQuoteWhere = `${name}.onQuote`;
    this.updateWhere = `${name}.update`;
    const lag = nonNegativeOption('quoteLagMs', options.quoteLagMs ?? DEFAULT_QUOTE_CLASSIFIER_OPTIONS.quoteLagMs);
    const tol = options.priceTolerance ?? DEFAULT_QUOTE_CLASSIFIER_OPTIONS.priceTolerance;
    this.priceTolerance = tol === 0 ? 0 : fractionOption('priceTolerance', tol, 0, 0.01);
    this.quotes = new QuoteHistory(lag);
  }

  /** Record a quote (late quotes are taken at the latest time seen and counted). */
  onQuote(ts: number, bid: number, ask: number): void {
    checkTs(this.onQuoteWhere, ts);
    if (ts < this.lastTs) {
      this.lateEvents++;
      ts = this.lastTs;
    } else {
      this.lastTs = ts;
    }
    this.quotes.push(ts, bid, ask);
  }

  /** Check the trade, advance the clock and look up its quote into `quotes.bid` / `quotes.ask`. */
  begin(trade: Trade): void {
    checkTrade(this.updateWhere, trade);
    let ts = trade.ts;
    if (ts < this.lastTs) {
      this.lateEvents++;
      ts = this.lastTs;
    } else {
      this.lastTs = ts;
    }
    this.quotes.lookup(ts);
  }

  reset(): void {
    this.quotes.reset();
    this.tick.reset();
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.lateEvents = 0;
    this.byQuote = 0;
    this.byTick = 0;
  }

  fields(): QuoteClassifierStateFields {
    return {
      quotes: this.quotes.snapshot(),
      tick: this.tick.snapshot(),
      lastTs: encodeNumber(this.lastTs),
      lateEvents: this.lateEvents,
      byQuote: this.byQuote,
      byTick: this.byTick,
    };
  }

  restoreFields(state: QuoteClassifierStateFields): void {
    const n = this.name;
    const lastTs = stateNumber(n, 'lastTs', state.lastTs);
    const lateEvents = stateInteger(n, 'lateEvents', state.lateEvents);
    const byQuote = stateInteger(n, 'byQuote', state.byQuote);
    const byTick = stateInteger(n, 'byTick', state.byTick);
    this.quotes.restore(stateObject<QuoteHistoryState>(n, 'quotes', state.quotes));
    this.tick.restore(stateObject<TickRuleState>(n, 'tick', state.tick));
    this.lastTs = lastTs;
    this.lateEvents = lateEvents;
    this.byQuote = byQuote;
    this.byTick = byTick;
  }
}
