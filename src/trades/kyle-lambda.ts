import type { BookSnapshot, Trade } from '../core/events.js';
import { InvalidOptionError } from '../core/errors.js';
import { checkState, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, finiteOption, integerOption, positiveOption } from '../core/options.js';
import { BucketRegression, type BucketRegressionState } from '../stats/bucket-regression.js';
import { bestAsk, bestBid, checkTrade, checkTs, sideOf, stateInteger, stateObject, windowOption } from './internal.js';

/** Options of {@link KyleLambda}. */
export interface KyleLambdaOptions {
  /**
   * Bucket length in ms.
   * @defaultValue 300000 (5 minutes)
   */
  bucketMs?: number;
  /**
   * Buckets are `[originMs + k * bucketMs, originMs + (k + 1) * bucketMs)`; with 0 they are aligned to
   * multiples of `bucketMs` since midnight (session-relative times) or the epoch (09:30 is a multiple
   * of 5 minutes, so the reference's buckets from 09:30 are the same).
   * @defaultValue 0
   */
  originMs?: number;
  /**
   * Regress over the last `window` buckets (integer >= 2); `Infinity` = all buckets (expanding).
   * @defaultValue Infinity
   */
  window?: number;
  /**
   * Buckets needed before a value (integer >= 2, at most `window`); 3 is the fewest with a t-statistic.
   * @defaultValue 3
   */
  minBuckets?: number;
}

/** Defaults of {@link KyleLambdaOptions}. */
export const DEFAULT_KYLE_LAMBDA_OPTIONS: Readonly<Required<KyleLambdaOptions>> = Object.freeze({
  bucketMs: 300_000,
  originMs: 0,
  window: Number.POSITIVE_INFINITY,
  minBuckets: 3,
});

/** State of a {@link KyleLambda}. */
export interface KyleLambdaState extends OperatorState {
  readonly type: 'KyleLambda';
  readonly version: 1;
  /** NaN mids ignored. */
  readonly invalidMids: number;
  /** The bucketed regression behind it. */
  readonly regression: BucketRegressionState;
}

/**
 * Kyle's lambda: the price impact of order flow, estimated as the OLS slope of mid-price changes on
 * signed volume over time buckets, streamed.
 *
 * ```text
 * bucket k = floor((t - originMs) / bucketMs), only buckets holding at least one event
 * S_k      = sum of side * size over the trades in bucket k        (signed volume, shares)
 * dmid_k   = mid at the end of bucket k - mid at the end of the previous bucket
 *            (first bucket: minus the first mid seen)              (price units)
 * OLS  dmid_k = a + lambda * S_k   over all buckets or the last `window`
 * ```
 *
 * lambda is in price units per share (e.g. $ per share): the mid move per share of net buying.
 *
 * - Inputs: mids by `onMid(ts, mid)`, `onQuote(ts, bid, ask)` or `onBook(book)` (a NaN mid, e.g. a side
 *   missing, is ignored and counted in `invalidMids`: the last valid mid stays in force); trades by
 *   `update(trade, side?)` (`side` defaults to `trade.side`, then 0: pass a classifier's output for
 *   inferred signs). Both mark their bucket non-empty. In time order.
 * - A bucket closes when an event of a later bucket arrives, `advanceTo(ts)` passes its end, or at
 *   `flush()` (end of stream); then its point enters the regression. A bucket whose dmid is NaN (no mid
 *   yet) is skipped and counted in `skippedBuckets`.
 * - Output of `update`: lambda (NaN until `minBuckets` buckets, or while all S_k are equal). Getters:
 *   `lambda`, `intercept`, `tStat` (OLS, n - 2 dof), `stdErr`, `r2`, `n` (buckets in the fit).
 * - Flipping every side flips every S_k and so negates lambda and its t-statistic.
 * - Late events are processed at the latest time seen (counted in `lateEvents`); non-finite times or
 *   prices throw `InvalidInputError`. The bucketing and regression are {@link BucketRegression}'s (the OFI regression uses it too); allocation-free per call.
 *
 * Reference: A. S. Kyle (1985), "Continuous auctions and insider trading", Econometrica 53(6),
 * 1315-1335 (lambda); the bucketed regression form as commonly estimated, e.g. Hasbrouck (2007),
 * "Empirical Market Microstructure"; the reference README's `kyle_lambda` (5-minute buckets from
 * 09:30, true sides, all buckets).
 *
 * @example
 * ```ts
 * const kyle = new KyleLambda({ bucketMs: 1000 });
 * kyle.onMid(0, 100);
 * kyle.update({ ts: 10, price: 100.01, size: 100 }, 1);
 * kyle.onMid(20, 100.02);  // bucket 0: S = 100, dmid = 0.02
 * kyle.update({ ts: 1010, price: 100.01, size: 200 }, -1);
 * kyle.onMid(1020, 99.98); // bucket 1: S = -200, dmid = -0.04
 * kyle.update({ ts: 2010, price: 99.99, size: 50 }, 1);
 * kyle.onMid(2020, 100);   // bucket 2: S = 50, dmid = 0.02
 * kyle.flush();
 * kyle.lambda;             // 0.00021290322580640926 (33 / 155000 up to rounding)
 * kyle.r2;                 // 0.9758064516129032 (121 / 124)
 * kyle.tStat;              // 6.350852961085896
 * ```
 */
export class KyleLambda implements Operator<Trade, number, KyleLambdaState> {
  private readonly reg: BucketRegression;
  private invalid = 0;

  constructor(options: KyleLambdaOptions = {}) {
    checkOptionKeys('KyleLambda', options, Object.keys(DEFAULT_KYLE_LAMBDA_OPTIONS));
    const o = { ...DEFAULT_KYLE_LAMBDA_OPTIONS, ...options };
    const bucketMs = positiveOption('bucketMs', o.bucketMs);
    const originMs = finiteOption('originMs', o.originMs);
    const window = windowOption('window', o.window);
    if (window < 2) throw new InvalidOptionError('window', o.window, 'an integer >= 2, or Infinity (all buckets)');
    const minBuckets = integerOption('minBuckets', o.minBuckets, 2, Number.isFinite(window) ? window : Number.MAX_SAFE_INTEGER);
    this.reg = new BucketRegression({ bucketMs, originMs, window, minBuckets });
  }

  /** Record the mid at `ts` (NaN is ignored and counted). */
  onMid(ts: number, mid: number): void {
    checkTs('KyleLambda.onMid', ts);
    if (!(mid === mid)) this.invalid++;
    this.reg.level(ts, mid);
  }

  /** Record the best quotes at `ts` (their mid). */
  onQuote(ts: number, bid: number, ask: number): void {
    this.onMid(ts, (bid + ask) / 2);
  }

  /** Record the mid of `book` at `book.ts`. */
  onBook(book: BookSnapshot): void {
    this.onMid(book.ts, (bestBid(book) + bestAsk(book)) / 2);
  }

  /** Time has reached `ts`: close the open bucket if `ts` is past its end. */
  advanceTo(ts: number): void {
    checkTs('KyleLambda.advanceTo', ts);
    this.reg.advanceTo(ts);
  }

  /** Add one trade's signed volume; returns lambda (NaN until `minBuckets` buckets). */
  update(trade: Trade, side?: number): number {
    checkTrade('KyleLambda.update', trade);
    this.reg.flow(trade.ts, sideOf(trade, side) * trade.size);
    return this.reg.slope;
  }

  /** End of stream: close the open bucket. */
  flush(): void {
    this.reg.flush();
  }

  /** The slope lambda (price units per share); NaN until `minBuckets` buckets. */
  get lambda(): number {
    return this.reg.slope;
  }

  /** The regression's intercept (price units per bucket). */
  get intercept(): number {
    return this.reg.intercept;
  }

  /** t-statistic of lambda (OLS standard error, n - 2 dof). */
  get tStat(): number {
    return this.reg.tStat;
  }

  /** OLS standard error of lambda. */
  get stdErr(): number {
    return this.reg.stdErr;
  }

  /** R^2 of the regression. */
  get r2(): number {
    return this.reg.r2;
  }

  /** Buckets in the regression. */
  get n(): number {
    return this.reg.n;
  }

  /** NaN mids ignored. */
  get invalidMids(): number {
    return this.invalid;
  }

  /** Closed buckets without a dmid (no mid yet), not in the regression. */
  get skippedBuckets(): number {
    return this.reg.skipped;
  }

  /** Late events (processed at the latest time seen). */
  get lateEvents(): number {
    return this.reg.lateEvents;
  }

  reset(): void {
    this.reg.reset();
    this.invalid = 0;
  }

  snapshot(): KyleLambdaState {
    return { type: 'KyleLambda', version: 1, invalidMids: this.invalid, regression: this.reg.snapshot() };
  }

  restore(state: KyleLambdaState): void {
    checkState(state, 'KyleLambda', 1);
    const invalid = stateInteger('KyleLambda', 'invalidMids', state.invalidMids);
    this.reg.restore(stateObject<BucketRegressionState>('KyleLambda', 'regression', state.regression));
    this.invalid = invalid;
  }
}
