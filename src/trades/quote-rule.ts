import type { BookSnapshot, Side, Trade } from '../core/events.js';
import { checkState, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys } from '../core/options.js';
import { ClassifierCore, DEFAULT_QUOTE_CLASSIFIER_OPTIONS, type QuoteClassifierOptions, type QuoteClassifierStateFields } from './classifier-core.js';
import { bestAsk, bestBid } from './internal.js';

/** Options of {@link QuoteRule}. */
export type QuoteRuleOptions = QuoteClassifierOptions;

/** Defaults of {@link QuoteRuleOptions}: quote lag 0 ms, price tolerance 1e-12 (relative). */
export const DEFAULT_QUOTE_RULE_OPTIONS: Readonly<Required<QuoteRuleOptions>> = DEFAULT_QUOTE_CLASSIFIER_OPTIONS;

/** State of a {@link QuoteRule}. */
export interface QuoteRuleState extends OperatorState, QuoteClassifierStateFields {
  readonly type: 'QuoteRule';
  readonly version: 1;
}

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
export class QuoteRule implements Operator<Trade, Side, QuoteRuleState> {
  private readonly core: ClassifierCore;

  constructor(options: QuoteRuleOptions = {}) {
    checkOptionKeys('QuoteRule', options, Object.keys(DEFAULT_QUOTE_RULE_OPTIONS));
    this.core = new ClassifierCore('QuoteRule', options);
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
    const mid = (core.quotes.bid + core.quotes.ask) / 2;
    const tol = core.priceTolerance * Math.abs(mid);
    const d = trade.price - mid;
    if (d > tol) {
      core.byQuote++;
      return 1;
    }
    if (d < -tol) {
      core.byQuote++;
      return -1;
    }
    return 0;
  }

  /** Trades decided by the quote rule. */
  get byQuote(): number {
    return this.core.byQuote;
  }

  /** Always 0: the quote rule has no tick-rule fallback (kept for the classifiers' common shape). */
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

  snapshot(): QuoteRuleState {
    return { type: 'QuoteRule', version: 1, ...this.core.fields() };
  }

  restore(state: QuoteRuleState): void {
    checkState(state, 'QuoteRule', 1);
    this.core.restoreFields(state);
  }
}
