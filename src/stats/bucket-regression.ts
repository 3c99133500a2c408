import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, decodeNumber, encodeNumber, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, finiteOption, integerOption, positiveOption } from '../core/options.js';
import { StreamingOls, type StreamingOlsState } from './streaming-ols.js';

/** Options of {@link BucketRegression}. */
export interface BucketRegressionOptions {
  /** Bucket length in ms. */
  bucketMs: number;
  /**
   * Buckets are `[originMs + k bucketMs, originMs + (k + 1) bucketMs)`. With 0 they align to multiples
   * of `bucketMs` since the time origin (midnight for session times, the epoch for epoch times).
   * @defaultValue 0
   */
  originMs?: number;
  /**
   * Regress over the last `window` buckets (integer >= 2), or all of them (`Infinity`).
   * @defaultValue Infinity
   */
  window?: number;
  /**
   * Buckets needed before the slope is a number (integer >= 2, at most `window`).
   * @defaultValue 3
   */
  minBuckets?: number;
}

/** Defaults of the optional {@link BucketRegressionOptions}. */
export const DEFAULT_BUCKET_REGRESSION_OPTIONS = Object.freeze({
  /** @defaultValue 0 */
  originMs: 0,
  /** @defaultValue Infinity */
  window: Number.POSITIVE_INFINITY,
  /** @defaultValue 3 */
  minBuckets: 3,
});

/** State of a {@link BucketRegression}. */
export interface BucketRegressionState extends OperatorState {
  readonly type: 'BucketRegression';
  readonly version: 1;
  /** The options that shape the state (a state restores only into an instance with the same). */
  readonly bucketMs: number;
  readonly originMs: number;
  /** [open (0/1), bucket, flow, level, prevEndLevel, lastTs, skippedBuckets, lateEvents]. */
  readonly current: ReadonlyArray<number | string>;
  readonly ols: StreamingOlsState;
}

/**
 * The regression of a level's change on a flow, over time buckets, streamed: the common core of
 * price-impact estimates such as the OFI regression of Cont, Kukanov & Stoikov (2014, eq. 13,
 * `dP_k = alpha + beta OFI_k`) and Kyle's lambda (Kyle 1985; Hasbrouck 2007, ch. 5).
 *
 * ```text
 * bucket k = floor((t - originMs) / bucketMs); only buckets holding at least one event count
 * X_k  = sum of the flows added in bucket k
 * dY_k = level at the end of bucket k - level at the end of the previous counted bucket
 *        (first bucket: minus the first level seen)
 * OLS   dY_k = a + b X_k      over all buckets, or the last `window`
 * ```
 * - `level(ts, y)` records the level (e.g. the mid) in force at `ts`; NaN levels are ignored (the last
 *   valid one stays). `flow(ts, x)` adds to the bucket's flow. Either marks its bucket as counted.
 * - A bucket enters the regression when an event of a later bucket arrives, when `advanceTo(ts)` passes
 *   its end, or at `flush()`. A bucket whose change is NaN (no level yet) is skipped and counted.
 * - Events earlier than the latest seen are treated as of the latest time (counted in `lateEvents`).
 * - Getters `slope`, `intercept`, `r2`, `tStat`, `stdErr`, `n` read the {@link StreamingOls} behind it.
 * - O(1) per event, no allocation.
 *
 * @example
 * ```ts
 * const r = new BucketRegression({ bucketMs: 10_000 });
 * r.level(0, 100);
 * r.flow(1, 50);  r.level(2, 100.5);     // bucket 0: X = 50, dY = 0.5
 * r.flow(10_001, -20); r.level(10_002, 100.2); // bucket 1: X = -20, dY = -0.3
 * r.flow(20_001, 10); r.level(20_002, 100.3);  // bucket 2: X = 10, dY = 0.1
 * r.flush();
 * r.slope; // 0.011351351351351322
 * ```
 */
export class BucketRegression {
  readonly bucketMs: number;
  readonly originMs: number;
  private readonly ols: StreamingOls;
  private open = false;
  private bucket = NaN;
  private sumFlow = 0;
  private last = NaN;
  private prevEnd = NaN;
  private lastTs = Number.NEGATIVE_INFINITY;
  private skippedBuckets = 0;
  private late = 0;

  constructor(options: BucketRegressionOptions) {
    checkOptionKeys('BucketRegression', options, ['bucketMs', 'originMs', 'window', 'minBuckets']);
    const o = { ...DEFAULT_BUCKET_REGRESSION_OPTIONS, ...options };
    this.bucketMs = positiveOption('bucketMs', o.bucketMs);
    this.originMs = finiteOption('originMs', o.originMs);
    const window = o.window;
    if (window !== Number.POSITIVE_INFINITY && !(Number.isInteger(window) && window >= 2)) {
      throw new InvalidOptionError('window', window, 'an integer >= 2, or Infinity (all buckets)');
    }
    const minBuckets = integerOption('minBuckets', o.minBuckets, 2, Number.isFinite(window) ? window : Number.MAX_SAFE_INTEGER);
    this.ols = new StreamingOls({ window, minSamples: minBuckets });
  }

  /** Record the level in force at `ts` (NaN ignored). */
  level(ts: number, y: number): void {
    this.touch(ts);
    if (y === y) {
      if (!(this.prevEnd === this.prevEnd)) this.prevEnd = y;
      this.last = y;
    }
  }

  /** Add `x` to the flow of the bucket of `ts`. */
  flow(ts: number, x: number): void {
    this.touch(ts);
    this.sumFlow += x;
  }

  /** Time has reached `ts`: close the open bucket if `ts` lies past its end. */
  advanceTo(ts: number): void {
    if (!(ts === ts)) throw new InvalidInputError('ts', ts, 'a number');
    if (ts > this.lastTs) this.lastTs = ts;
    if (this.open && this.bucketOf(this.lastTs) !== this.bucket) this.close();
  }

  /** End of stream: close the open bucket. */
  flush(): void {
    if (this.open) this.close();
  }

  get slope(): number {
    return this.ols.slope;
  }
  get intercept(): number {
    return this.ols.intercept;
  }
  get r2(): number {
    return this.ols.r2;
  }
  get tStat(): number {
    return this.ols.tStat;
  }
  get stdErr(): number {
    return this.ols.stdErr;
  }
  /** Buckets in the fit. */
  get n(): number {
    return this.ols.count;
  }
  /** Buckets skipped because their change was NaN (no level yet). */
  get skipped(): number {
    return this.skippedBuckets;
  }
  /** Events that arrived earlier than the latest time seen. */
  get lateEvents(): number {
    return this.late;
  }

  reset(): void {
    this.ols.reset();
    this.open = false;
    this.bucket = NaN;
    this.sumFlow = 0;
    this.last = NaN;
    this.prevEnd = NaN;
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.skippedBuckets = 0;
    this.late = 0;
  }

  snapshot(): BucketRegressionState {
    return {
      type: 'BucketRegression',
      version: 1,
      bucketMs: this.bucketMs,
      originMs: this.originMs,
      current: [
        this.open ? 1 : 0,
        encodeNumber(this.bucket),
        encodeNumber(this.sumFlow),
        encodeNumber(this.last),
        encodeNumber(this.prevEnd),
        encodeNumber(this.lastTs),
        this.skippedBuckets,
        this.late,
      ],
      ols: this.ols.snapshot(),
    };
  }

  restore(state: BucketRegressionState): void {
    checkState(state, 'BucketRegression', 1);
    if (state.bucketMs !== this.bucketMs || state.originMs !== this.originMs) {
      throw new InvalidStateError('BucketRegression', `state has buckets of ${state.bucketMs} ms from ${state.originMs}, this instance ${this.bucketMs} ms from ${this.originMs}`);
    }
    const c = Array.isArray(state.current) ? state.current.map((v) => decodeNumber(v)) : [];
    if (c.length !== 8) {
      throw new InvalidStateError('BucketRegression', `current must be a list of 8 encoded numbers; got ${JSON.stringify(state.current)}`);
    }
    this.open = c[0] === 1;
    this.bucket = c[1]!;
    this.sumFlow = c[2]!;
    this.last = c[3]!;
    this.prevEnd = c[4]!;
    this.lastTs = c[5]!;
    this.skippedBuckets = c[6]!;
    this.late = c[7]!;
    this.ols.restore(state.ols);
  }

  private bucketOf(ts: number): number {
    return Math.floor((ts - this.originMs) / this.bucketMs);
  }

  private touch(ts: number): void {
    if (!(ts === ts)) throw new InvalidInputError('ts', ts, 'a number');
    if (ts < this.lastTs) this.late++;
    else this.lastTs = ts;
    const k = this.bucketOf(this.lastTs);
    if (this.open && k !== this.bucket) this.close();
    if (!this.open) {
      this.open = true;
      this.bucket = k;
    }
  }

  private close(): void {
    const dy = this.last - this.prevEnd;
    if (dy === dy) this.ols.update(this.sumFlow, dy);
    else this.skippedBuckets++;
    if (this.last === this.last) this.prevEnd = this.last;
    this.open = false;
    this.sumFlow = 0;
  }
}
