import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, positiveOption } from '../core/options.js';
import { checkStateOptions, encodeOptions, SHRINK_LIMIT, stateNumber, stateNumbers, type StateOptions } from './state.js';

/** Options of {@link TimeRollingStats}. */
export interface TimeRollingStatsOptions {
  /** Window length in ms (> 0): at time `ts` the window holds the values with `ts_i > ts - windowMs`. */
  windowMs: number;
  /** Values needed in the window before `update` and the getters return numbers. Integer >= 1. */
  minSamples?: number;
  /**
   * At most this many (newest) values are kept, whatever their age: a memory bound for bursts. Integer
   * >= 1, or `Infinity` (no bound).
   */
  maxCount?: number;
}

/** Defaults of the optional {@link TimeRollingStatsOptions} (`windowMs` is required). */
export const DEFAULT_TIME_ROLLING_STATS_OPTIONS: Readonly<{ minSamples: number; maxCount: number }> = Object.freeze({
  /** @defaultValue 1 (pandas' `min_periods` default for time windows) */
  minSamples: 1,
  /** @defaultValue Infinity */
  maxCount: Infinity,
});

/** State of a {@link TimeRollingStats}. */
export interface TimeRollingStatsState extends OperatorState {
  readonly type: 'TimeRollingStats';
  readonly version: 1;
  readonly options: StateOptions;
  /** Time stamps of the window's values, oldest first. */
  readonly ts: ReadonlyArray<number | string>;
  /** The window's values, oldest first. */
  readonly values: ReadonlyArray<number | string>;
  readonly sum: number | string;
  readonly compensation: number | string;
  readonly m2: number | string;
  readonly m2Peak: number | string;
  readonly removed: number;
  readonly skipped: number;
  readonly lastTs: number | string;
}

const INITIAL_CAPACITY = 16;

/**
 * Rolling sum, mean and variance over the last `windowMs` milliseconds of an irregularly spaced stream
 * (a time window, like pandas `rolling('5s')` with its default `closed='right'`).
 *
 * At time `ts` the window `W` holds the values `x_i` with `ts - windowMs < ts_i <= ts` (values exactly
 * `windowMs` old are out), and
 * ```text
 * sum  = sum_{i in W} x_i          mean = sum / n
 * variance           = sum_{i in W} (x_i - mean)^2 / (n - 1)   (sample, ddof = 1)
 * populationVariance = sum_{i in W} (x_i - mean)^2 / n         (ddof = 0)
 * ```
 *
 * **Algorithm.** As {@link RollingStats}: Neumaier-compensated sum and Welford-style add / remove of
 * the sum of squared deviations `m2` (Welford 1962; Finch 2009), recomputed exactly from the
 * window once the number of evictions since the last recomputation reaches the number of values held, or
 * `m2` falls below 1e-4 of its peak since then (O(1) amortized). `m2` is clamped at 0; an emptied window
 * restarts from exact zeros.
 *
 * **Memory.** Values live in a ring of two `Float64Array`s (time stamps, values) whose capacity starts at
 * 16 and doubles when full: an update allocates only when the window holds more values than ever before
 * (amortized O(1), no per-event garbage once grown). `maxCount` bounds the ring: past it the oldest value
 * is evicted whatever its age.
 *
 * **Warm-up.** `update` returns the mean of the window after adding `x`, or NaN while the window holds
 * fewer than `minSamples` values (default 1); so do the getters. `variance` needs two values.
 *
 * **Time.** `ts` in ms, finite and non-decreasing; a non-finite or decreasing `ts` throws
 * {@link InvalidInputError}. Equal time stamps are fine. `advance(ts)` moves the clock (evicts) without
 * adding a value.
 *
 * **Bad input.** Non-finite values (NaN, +-Infinity) are not added but still move the clock (old values
 * are evicted); they are counted in `skipped`.
 *
 * @example
 * ```ts
 * const r = new TimeRollingStats({ windowMs: 1000 });
 * r.update(1, 0);    // 1
 * r.update(3, 500);  // 2
 * r.update(5, 1000); // 4 (the value at ts 0 is exactly 1000 ms old: out)
 * r.count;           // 2
 * r.variance;        // 2
 * r.advance(2000);   // NaN (empty window)
 * ```
 */
export class TimeRollingStats implements Operator<readonly [number, number], number, TimeRollingStatsState> {
  /** The window length in ms. */
  readonly windowMs: number;
  private readonly minSamples: number;
  private readonly maxCount: number;
  private readonly stateOptions: StateOptions;

  private tsBuf = new Float64Array(INITIAL_CAPACITY);
  private xBuf = new Float64Array(INITIAL_CAPACITY);
  private mask = INITIAL_CAPACITY - 1;
  private head = 0;
  private n = 0;

  private s = 0;
  private c = 0;
  private m2Value = 0;
  /** Largest `m2` since the last exact recomputation. */
  private m2Peak = 0;
  private removed = 0;
  private nSkipped = 0;
  private lastTsValue = NaN;

  constructor(options: TimeRollingStatsOptions) {
    checkOptionKeys('TimeRollingStats', options, ['windowMs', 'minSamples', 'maxCount']);
    if (options === undefined || options === null) {
      throw new InvalidOptionError('TimeRollingStats options', options, 'an object with a windowMs');
    }
    this.windowMs = positiveOption('TimeRollingStats.windowMs', options.windowMs);
    this.minSamples = integerOption(
      'TimeRollingStats.minSamples',
      options.minSamples ?? DEFAULT_TIME_ROLLING_STATS_OPTIONS.minSamples,
      1,
    );
    const maxCount = options.maxCount ?? DEFAULT_TIME_ROLLING_STATS_OPTIONS.maxCount;
    this.maxCount = maxCount === Infinity ? Infinity : integerOption('TimeRollingStats.maxCount', maxCount, 1);
    this.stateOptions = encodeOptions({ windowMs: this.windowMs, maxCount: this.maxCount });
  }

  /**
   * Move the clock to `ts`, add `x`, and return the mean of the window (NaN before `minSamples` values).
   * @param x the value; non-finite values are skipped and counted (the clock still moves)
   * @param ts time stamp in ms, finite and non-decreasing
   *
   * As an {@link Operator} the input is the pair `[x, ts]`; call it as `update(x, ts)`.
   */
  update(x: number, ts: number): number;
  update(point: readonly [number, number]): number;
  update(xOrPoint: number | readonly [number, number], tsValue?: number): number {
    let x: number;
    let ts: number;
    if (typeof xOrPoint === 'number') {
      x = xOrPoint;
      ts = tsValue as number;
    } else {
      x = xOrPoint[0];
      ts = xOrPoint[1];
    }
    this.advanceTo(ts);
    if (!Number.isFinite(x)) {
      this.nSkipped++;
      // the clock moved: evictions may call for the exact recomputation as in advance()
      this.maybeRecompute();
      return this.mean;
    }
    if (this.n >= this.maxCount) this.removeOldest();
    const n = this.n;
    if (n === this.tsBuf.length) this.grow();
    const i = (this.head + n) & this.mask;
    this.tsBuf[i] = ts;
    this.xBuf[i] = x;
    this.n = n + 1;
    if (n === 0) {
      this.s = x;
      this.c = 0;
      this.m2Value = 0;
    } else {
      const meanOld = (this.s + this.c) / n;
      this.add(x);
      const meanNew = (this.s + this.c) / (n + 1);
      this.m2Value += (x - meanOld) * (x - meanNew);
    }
    if (this.m2Value > this.m2Peak) this.m2Peak = this.m2Value;
    this.maybeRecompute();
    return this.mean;
  }

  /** Move the clock to `ts` (evicting values at or before `ts - windowMs`) and return the mean. */
  advance(ts: number): number {
    this.advanceTo(ts);
    this.maybeRecompute();
    return this.mean;
  }

  /** Recompute exactly after `n` evictions, or once `m2` has fallen far below its peak. */
  private maybeRecompute(): void {
    if (this.n > 0 && ((this.removed > 0 && this.removed >= this.n) || this.m2Peak > SHRINK_LIMIT * this.m2Value)) {
      this.recompute();
    }
  }

  private advanceTo(ts: number): void {
    if (typeof ts !== 'number' || !Number.isFinite(ts)) {
      throw new InvalidInputError('TimeRollingStats ts', ts, 'a finite number of ms');
    }
    if (ts < this.lastTsValue) {
      throw new InvalidInputError('TimeRollingStats ts', ts, `>= the previous ts ${this.lastTsValue}`);
    }
    this.lastTsValue = ts;
    const cutoff = ts - this.windowMs;
    while (this.n > 0 && this.tsBuf[this.head]! <= cutoff) this.removeOldest();
  }

  private removeOldest(): void {
    const y = this.xBuf[this.head]!;
    this.head = (this.head + 1) & this.mask;
    const n = --this.n;
    if (n === 0) {
      this.s = 0;
      this.c = 0;
      this.m2Value = 0;
      this.m2Peak = 0;
      this.removed = 0;
      return;
    }
    const meanOld = (this.s + this.c) / (n + 1);
    this.add(-y);
    const meanNew = (this.s + this.c) / n;
    const m2 = this.m2Value - (y - meanOld) * (y - meanNew);
    this.m2Value = m2 > 0 ? m2 : 0;
    this.removed++;
  }

  /** Double the ring's capacity, keeping the values in order (the only allocation). */
  private grow(): void {
    const cap = this.tsBuf.length;
    const ts = new Float64Array(cap * 2);
    const xs = new Float64Array(cap * 2);
    for (let k = 0; k < this.n; k++) {
      const j = (this.head + k) & this.mask;
      ts[k] = this.tsBuf[j]!;
      xs[k] = this.xBuf[j]!;
    }
    this.tsBuf = ts;
    this.xBuf = xs;
    this.head = 0;
    this.mask = cap * 2 - 1;
  }

  /** Neumaier's compensated add of `x` to `s + c`. */
  private add(x: number): void {
    const s = this.s;
    const t = s + x;
    this.c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    this.s = t;
  }

  /** Exact recomputation of the sum and `m2` from the window. */
  private recompute(): void {
    const n = this.n;
    this.s = 0;
    this.c = 0;
    for (let k = 0; k < n; k++) this.add(this.xBuf[(this.head + k) & this.mask]!);
    const mean = (this.s + this.c) / n;
    let m2 = 0;
    for (let k = 0; k < n; k++) {
      const d = this.xBuf[(this.head + k) & this.mask]! - mean;
      m2 += d * d;
    }
    this.m2Value = m2;
    this.m2Peak = m2;
    this.removed = 0;
  }

  /** Values in the window now. */
  get count(): number {
    return this.n;
  }

  /** Non-finite values skipped. */
  get skipped(): number {
    return this.nSkipped;
  }

  /** The `ts` of the last `update` / `advance` (NaN before any). */
  get lastTs(): number {
    return this.lastTsValue;
  }

  /** Whether the window holds `minSamples` values. */
  get ready(): boolean {
    return this.n >= this.minSamples;
  }

  /** Sum of the window (NaN before `minSamples` values). */
  get sum(): number {
    return this.ready ? this.s + this.c : NaN;
  }

  /** Mean of the window (NaN before `minSamples` values). */
  get mean(): number {
    return this.ready ? (this.s + this.c) / this.n : NaN;
  }

  /** Sample variance (ddof = 1); NaN with fewer than 2 values or before `minSamples`. */
  get variance(): number {
    return this.ready && this.n >= 2 ? this.m2Value / (this.n - 1) : NaN;
  }

  /** Population variance (ddof = 0); 0 with one value; NaN before `minSamples`. */
  get populationVariance(): number {
    return this.ready ? this.m2Value / this.n : NaN;
  }

  /** Sample standard deviation, `sqrt(variance)`. */
  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** Population standard deviation, `sqrt(populationVariance)`. */
  get populationStd(): number {
    return Math.sqrt(this.populationVariance);
  }

  /** Back to the fresh state (a grown ring keeps its capacity). */
  reset(): void {
    this.head = 0;
    this.n = 0;
    this.s = 0;
    this.c = 0;
    this.m2Value = 0;
    this.m2Peak = 0;
    this.removed = 0;
    this.nSkipped = 0;
    this.lastTsValue = NaN;
  }

  snapshot(): TimeRollingStatsState {
    const ts = new Array<number>(this.n);
    const xs = new Array<number>(this.n);
    for (let k = 0; k < this.n; k++) {
      const j = (this.head + k) & this.mask;
      ts[k] = this.tsBuf[j]!;
      xs[k] = this.xBuf[j]!;
    }
    return {
      type: 'TimeRollingStats',
      version: 1,
      options: this.stateOptions,
      ts: encodeNumbers(ts),
      values: encodeNumbers(xs),
      sum: encodeNumber(this.s),
      compensation: encodeNumber(this.c),
      m2: encodeNumber(this.m2Value),
      m2Peak: encodeNumber(this.m2Peak),
      removed: this.removed,
      skipped: this.nSkipped,
      lastTs: encodeNumber(this.lastTsValue),
    };
  }

  restore(state: TimeRollingStatsState): void {
    checkState(state, 'TimeRollingStats', 1);
    checkStateOptions('TimeRollingStats', state, this.stateOptions);
    const ts = stateNumbers('TimeRollingStats', state, 'ts', this.maxCount);
    const xs = stateNumbers('TimeRollingStats', state, 'values', ts.length);
    if (xs.length !== ts.length) {
      throw new InvalidStateError('TimeRollingStats', `"values" holds ${xs.length} entries, "ts" ${ts.length}`);
    }
    const s = stateNumber('TimeRollingStats', state, 'sum');
    const c = stateNumber('TimeRollingStats', state, 'compensation');
    const m2 = stateNumber('TimeRollingStats', state, 'm2');
    const m2Peak = stateNumber('TimeRollingStats', state, 'm2Peak');
    const removed = stateNumber('TimeRollingStats', state, 'removed');
    const skipped = stateNumber('TimeRollingStats', state, 'skipped');
    const lastTs = stateNumber('TimeRollingStats', state, 'lastTs');
    let cap = this.tsBuf.length;
    while (cap < ts.length) cap *= 2;
    if (cap !== this.tsBuf.length) {
      this.tsBuf = new Float64Array(cap);
      this.xBuf = new Float64Array(cap);
      this.mask = cap - 1;
    }
    this.tsBuf.set(ts);
    this.xBuf.set(xs);
    this.head = 0;
    this.n = ts.length;
    this.s = s;
    this.c = c;
    this.m2Value = m2;
    this.m2Peak = m2Peak;
    this.removed = removed;
    this.nSkipped = skipped;
    this.lastTsValue = lastTs;
  }
}
