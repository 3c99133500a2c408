import type { BookSnapshot, Trade } from '../core/events.js';
import { checkState, decodeNumber, encodeNumber, encodeNumbers, decodeNumbersInto, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, positiveOption } from '../core/options.js';
import { Summary } from '../stats/summary.js';
import { KyleLambda } from '../trades/kyle-lambda.js';
import { LeeReady } from '../trades/lee-ready.js';
import { RealizedSpread } from '../trades/realized-spread.js';
import { TickRule } from '../trades/tick-rule.js';
import { Vpin } from '../trades/vpin.js';

/** Options of {@link TradeAnalytics}. */
export interface TradeAnalyticsOptions {
  /**
   * VPIN bucket volume. Give this, or `dailyVolume` (then buckets are `dailyVolume / vpinBucketsPerDay`);
   * with neither, VPIN is off.
   */
  vpinBucketVolume?: number;
  /** The day's traded volume, when known in advance (e.g. from a first pass over a file). */
  dailyVolume?: number;
  /** @defaultValue 50 */
  vpinBucketsPerDay?: number;
  /** VPIN window in buckets. @defaultValue 50 */
  vpinWindow?: number;
  /** BVC bar length, ms. @defaultValue 60000 */
  vpinBarMs?: number;
  /**
   * Standard deviation of bar price changes for BVC, when known (e.g. from a first pass): the reference
   * definition. Without it, VPIN uses the running estimate (see `Vpin`).
   */
  vpinSigma?: number;
  /** Kyle's lambda bucket length, ms. @defaultValue 300000 */
  kyleBucketMs?: number;
  /** Realized spread horizon, ms. @defaultValue 5000 */
  realizedHorizonMs?: number;
}

/** Defaults of {@link TradeAnalyticsOptions}. */
export const DEFAULT_TRADE_ANALYTICS_OPTIONS = Object.freeze({
  vpinBucketsPerDay: 50,
  vpinWindow: 50,
  vpinBarMs: 60_000,
  kyleBucketMs: 300_000,
  realizedHorizonMs: 5_000,
});

/** State of a {@link TradeAnalytics}: its operators' states and its counters. */
export interface TradeAnalyticsState extends OperatorState {
  readonly type: 'TradeAnalytics';
  readonly version: 1;
  readonly counts: ReadonlyArray<number | string>;
  readonly accuracy: ReadonlyArray<number | string>;
  readonly leeReady: ReturnType<LeeReady['snapshot']>;
  readonly tick: ReturnType<TickRule['snapshot']>;
  readonly realized: ReturnType<RealizedSpread['snapshot']>;
  readonly kyle: ReturnType<KyleLambda['snapshot']>;
  readonly vpin: ReturnType<Vpin['snapshot']> | null;
  readonly vpinWindowValues: ReturnType<Summary['snapshot']>;
}

/** The trade sections of the `analyze` report. */
export interface TradeReport {
  trades: {
    count: number;
    volume: number;
    /** Where the signs of the spreads and Kyle's lambda come from: the source's true aggressor side, Lee-Ready, or both (per trade). */
    signSource: 'source' | 'leeReady' | 'mixed' | 'none';
    leeReady: { accuracy: number; accuracyHidden: number; accuracyVisible: number; withTrueSide: number; zero: number };
    tickRule: { accuracy: number; accuracyHidden: number; accuracyVisible: number };
    effectiveSpreadBps: { mean: number; vwMean: number; n: number };
    realizedSpreadBps: { horizonMs: number; mean: number; vwMean: number; n: number };
    priceImpactBps: { mean: number; vwMean: number };
  };
  vpin: null | { bucketVolume: number; window: number; classification: 'bvc'; sigma: number; sigmaSource: 'given' | 'running'; buckets: number; last: number; mean: number; max: number };
  kyleLambda: { bucketMs: number; slope: number; intercept: number; tStat: number; r2: number; n: number };
}

/**
 * The trade side of the engine's graph: Lee-Ready and tick-rule classification (with their accuracy
 * where the source knows the true aggressor), effective and realized spreads and Kyle's lambda signed by
 * the true side when known (else Lee-Ready), and VPIN by bulk volume classification.
 *
 * Feed it in stream order: `onTrade(trade)` *before* the book that follows the trade (so trades are
 * classified against the quotes in force before them), `onBook(book)` for every book. Call `finish()`
 * at the end of the stream to resolve pending realized spreads and close open buckets.
 */
export class TradeAnalytics {
  private readonly leeReady = new LeeReady();
  private readonly tick = new TickRule();
  private readonly realized: RealizedSpread;
  private readonly kyle: KyleLambda;
  private readonly vpin: Vpin | null;
  private readonly vpinWindowValues = new Summary();
  private readonly vpinWindow: number;
  private readonly options: TradeAnalyticsOptions;
  private count = 0;
  private volume = 0;
  private trueSided = 0;
  private leeReadyZero = 0;
  // [all, hidden, visible] x [known, leeReadyRight, tickRight]
  private readonly acc = new Float64Array(9);
  private readonly vpinBucketVolume: number;
  private readonly kyleBucketMs: number;
  private vpinBuckets = 0;
  private vpinLast = NaN;

  constructor(options: TradeAnalyticsOptions = {}) {
    checkOptionKeys('TradeAnalytics', options, [
      'vpinBucketVolume',
      'dailyVolume',
      'vpinBucketsPerDay',
      'vpinWindow',
      'vpinBarMs',
      'vpinSigma',
      'kyleBucketMs',
      'realizedHorizonMs',
    ]);
    const o = { ...DEFAULT_TRADE_ANALYTICS_OPTIONS, ...options };
    this.options = o;
    this.realized = new RealizedSpread({ horizonMs: positiveOption('realizedHorizonMs', o.realizedHorizonMs) });
    this.kyleBucketMs = positiveOption('kyleBucketMs', o.kyleBucketMs);
    this.kyle = new KyleLambda({ bucketMs: this.kyleBucketMs });
    this.vpinWindow = o.vpinWindow;
    const volume = o.vpinBucketVolume !== undefined ? { bucketVolume: o.vpinBucketVolume } : o.dailyVolume !== undefined && o.dailyVolume > 0 ? { dailyVolume: o.dailyVolume, bucketsPerDay: o.vpinBucketsPerDay } : undefined;
    this.vpinBucketVolume = o.vpinBucketVolume ?? (o.dailyVolume ?? NaN) / o.vpinBucketsPerDay;
    this.vpin =
      volume === undefined
        ? null
        : new Vpin({
            ...volume,
            window: o.vpinWindow,
            barMs: o.vpinBarMs,
            classification: 'bvc',
            ...(o.vpinSigma !== undefined && o.vpinSigma > 0 ? { sigma: o.vpinSigma } : {}),
            onBucket: (k, _oi, v) => {
              this.vpinBuckets = k;
              this.vpinLast = v;
              // the reference's rolling mean / max run over full windows once there are `window` buckets
              if (k === this.vpinWindow) this.vpinWindowValues.reset();
              this.vpinWindowValues.update(v);
            },
          });
  }

  /** A trade, before the book that follows it. `hidden` marks a hidden execution (for the accuracy split). */
  onTrade(trade: Trade, hidden = false): void {
    this.count++;
    this.volume += trade.size;
    const lr = this.leeReady.update(trade);
    const tk = this.tick.update(trade);
    if (lr === 0) this.leeReadyZero++;
    const trueSide = trade.side === 1 || trade.side === -1 ? trade.side : 0;
    let side: number = lr;
    if (trueSide !== 0) {
      side = trueSide;
      this.trueSided++;
      const a = this.acc;
      const g = hidden ? 3 : 6;
      a[0]!++;
      a[g]!++;
      if (lr === trueSide) {
        a[1]!++;
        a[g + 1]!++;
      }
      if (tk === trueSide) {
        a[2]!++;
        a[g + 2]!++;
      }
    }
    this.realized.update(trade, side);
    this.kyle.update(trade, side);
    if (this.vpin !== null) this.vpin.update(trade);
  }

  /** A book (after any trade that produced it). */
  onBook(book: BookSnapshot): void {
    this.leeReady.onBook(book);
    this.realized.onBook(book);
    this.kyle.onBook(book);
    if (this.vpin !== null) this.vpin.advanceTo(book.ts);
  }

  /** End of stream: resolve pending realized spreads, close open buckets. */
  finish(): void {
    this.realized.flush();
    this.kyle.flush();
    if (this.vpin !== null) this.vpin.flush();
  }

  reset(): void {
    this.leeReady.reset();
    this.tick.reset();
    this.realized.reset();
    this.kyle.reset();
    this.vpin?.reset();
    this.vpinWindowValues.reset();
    this.acc.fill(0);
    this.count = 0;
    this.volume = 0;
    this.trueSided = 0;
    this.leeReadyZero = 0;
    this.vpinBuckets = 0;
    this.vpinLast = NaN;
  }

  snapshot(): TradeAnalyticsState {
    return {
      type: 'TradeAnalytics',
      version: 1,
      counts: [this.count, encodeNumber(this.volume), this.trueSided, this.leeReadyZero, this.vpinBuckets, encodeNumber(this.vpinLast)],
      accuracy: encodeNumbers(this.acc),
      leeReady: this.leeReady.snapshot(),
      tick: this.tick.snapshot(),
      realized: this.realized.snapshot(),
      kyle: this.kyle.snapshot(),
      vpin: this.vpin === null ? null : this.vpin.snapshot(),
      vpinWindowValues: this.vpinWindowValues.snapshot(),
    };
  }

  restore(state: TradeAnalyticsState): void {
    checkState(state, 'TradeAnalytics', 1);
    this.leeReady.restore(state.leeReady);
    this.tick.restore(state.tick);
    this.realized.restore(state.realized);
    this.kyle.restore(state.kyle);
    if (this.vpin !== null && state.vpin !== null) this.vpin.restore(state.vpin);
    this.vpinWindowValues.restore(state.vpinWindowValues);
    decodeNumbersInto(state.accuracy, this.acc);
    const c = state.counts.map((v) => decodeNumber(v));
    [this.count, this.volume, this.trueSided, this.leeReadyZero, this.vpinBuckets, this.vpinLast] = c as [number, number, number, number, number, number];
  }

  /** The report sections (call `finish()` first). */
  report(): TradeReport {
    const a = this.acc;
    const share = (right: number, known: number) => (known > 0 ? right / known : NaN);
    const r = this.realized;
    const signSource = this.count === 0 ? 'none' : this.trueSided === this.count ? 'source' : this.trueSided === 0 ? 'leeReady' : 'mixed';
    const w = this.vpinWindowValues.result();
    return {
      trades: {
        count: this.count,
        volume: this.volume,
        signSource,
        leeReady: {
          accuracy: share(a[1]!, a[0]!),
          accuracyHidden: share(a[4]!, a[3]!),
          accuracyVisible: share(a[7]!, a[6]!),
          withTrueSide: a[0]!,
          zero: this.leeReadyZero,
        },
        tickRule: { accuracy: share(a[2]!, a[0]!), accuracyHidden: share(a[5]!, a[3]!), accuracyVisible: share(a[8]!, a[6]!) },
        effectiveSpreadBps: { mean: r.effectiveMean, vwMean: r.effectiveVwMean, n: r.effectiveCount },
        realizedSpreadBps: { horizonMs: this.options.realizedHorizonMs ?? DEFAULT_TRADE_ANALYTICS_OPTIONS.realizedHorizonMs, mean: r.realizedMean, vwMean: r.realizedVwMean, n: r.resolved },
        priceImpactBps: { mean: r.impactMean, vwMean: r.impactVwMean },
      },
      vpin:
        this.vpin === null
          ? null
          : {
              bucketVolume: this.vpinBucketVolume,
              window: this.vpinWindow,
              classification: 'bvc',
              sigma: this.vpin.sigma,
              sigmaSource: this.options.vpinSigma !== undefined && this.options.vpinSigma > 0 ? 'given' : 'running',
              buckets: this.vpinBuckets,
              last: this.vpinLast,
              mean: w.mean,
              max: w.max,
            },
      kyleLambda: {
        bucketMs: this.kyleBucketMs,
        slope: this.kyle.lambda,
        intercept: this.kyle.intercept,
        tStat: this.kyle.tStat,
        r2: this.kyle.r2,
        n: this.kyle.n,
      },
    };
  }
}
