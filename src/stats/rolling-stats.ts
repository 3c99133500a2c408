import { InvalidOptionError } from '../core/errors.js';
import { checkState, encodeNumber, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption } from '../core/options.js';
import { NumberRing } from '../core/ring-buffer.js';
import { checkStateOptions, encodeOptions, SHRINK_LIMIT, stateNumber, stateNumbers, type StateOptions } from './state.js';

/**
 * Options of {@link RollingStats}. There is no `DEFAULT_ROLLING_STATS_OPTIONS`: `window` is required and
 * `minSamples` defaults to `window` (pandas' `min_periods` convention for fixed windows).
 */
export interface RollingStatsOptions {
  /** Number of most recent (finite) values in the window. Integer >= 1. */
  window: number;
  /** Values needed before `update` and the getters return numbers (NaN before). Integer in [1, window]; default `window`. */
  minSamples?: number;
}

/** State of a {@link RollingStats}. */
export interface RollingStatsState extends OperatorState {
  readonly type: 'RollingStats';
  readonly version: 1;
  readonly options: StateOptions;
  /** The window's values, oldest first. */
  readonly values: ReadonlyArray<number | string>;
  readonly sum: number | string;
  readonly compensation: number | string;
  readonly m2: number | string;
  readonly m2Peak: number | string;
  readonly removed: number;
  readonly skipped: number;
}

/**
 * Rolling sum, mean and variance over the last `window` values (a count window, like pandas
 * `rolling(window)`).
 *
 * ```text
 * sum  = sum_{i in W} x_i          mean = sum / n
 * variance           = sum_{i in W} (x_i - mean)^2 / (n - 1)   (sample, ddof = 1, pandas' default)
 * populationVariance = sum_{i in W} (x_i - mean)^2 / n         (ddof = 0, numpy's default)
 * ```
 * with `W` the last `n = min(count, window)` values.
 *
 * **Algorithm.** The sum is kept by Neumaier's (1974) compensated summation (adding `x`, subtracting the
 * evicted value), the sum of squared deviations `m2` by the sliding form of Welford's (1962) update:
 * `m2 += (x - y) (x - mean_new + y - mean_old)` when `x` replaces the evicted `y` (Welford 1962, "Note on
 * a method for calculating corrected sums of squares and products"; add and remove steps as in Finch
 * 2009). Rounding errors of `m2` are of the order of `eps` times the largest
 * `m2` since the last exact recomputation, so they matter only when `m2` falls far below that peak (a
 * large value leaving a window of small ones). The sum and `m2` are therefore recomputed exactly from the
 * window (Neumaier sum, then a two-pass sum of squared deviations) whenever `m2` falls below 1e-4 of its
 * peak, and in any case every `window` evictions. A recomputation costs O(window) in that one call; it is
 * O(1) amortized (each needs `window` evictions, or the exit of values that dominated the variance).
 * Result: mean and variances agree with a two-pass computation over the window to 1e-9 of the window's
 * own scale (`max |x|`, `max x^2`) in the property tests, long streams included; `m2` is clamped at 0.
 *
 * **Warm-up.** `update` returns the mean, or NaN until `minSamples` values (default: `window`) have been
 * seen; so do the getters. `variance` needs two values (NaN with one); `populationVariance` is 0 with one.
 *
 * **Units, range.** Sum and mean in the unit of `x`, variances in its square. Empty: NaN.
 *
 * **Bad input.** Non-finite values (NaN, +-Infinity) are skipped: not added to the window, counted in
 * `skipped`; `update` returns the current mean. The window is then the last `window` finite values.
 *
 * No allocation per update: the window is a {@link NumberRing} (`Float64Array`).
 *
 * @example
 * ```ts
 * const r = new RollingStats({ window: 3 });
 * [1, 2, 3, 10].map((x) => r.update(x)); // [NaN, NaN, 2, 5]
 * r.sum;                                 // 15 (2 + 3 + 10)
 * r.variance;                            // 19 (deviations -3, -2, 5: 38 / 2)
 * r.populationVariance;                  // 12.666666666666666
 * ```
 */
export class RollingStats implements Operator<number, number, RollingStatsState> {
  /** The window length. */
  readonly window: number;
  private readonly minSamples: number;
  private readonly stateOptions: StateOptions;
  private readonly ring: NumberRing;
  private s = 0;
  private c = 0;
  private m2Value = 0;
  /** Largest `m2` since the last exact recomputation. */
  private m2Peak = 0;
  private removed = 0;
  private nSkipped = 0;

  constructor(options: RollingStatsOptions) {
    checkOptionKeys('RollingStats', options, ['window', 'minSamples']);
    if (options === undefined || options === null) {
      throw new InvalidOptionError('RollingStats options', options, 'an object with a window');
    }
    this.window = integerOption('RollingStats.window', options.window, 1);
    this.minSamples = integerOption('RollingStats.minSamples', options.minSamples ?? this.window, 1, this.window);
    this.ring = new NumberRing(this.window);
    this.stateOptions = encodeOptions({ window: this.window });
  }

  /** Add one value and return the mean of the window (NaN before `minSamples` values). */
  update(x: number): number {
    if (!Number.isFinite(x)) {
      this.nSkipped++;
      return this.mean;
    }
    const ring = this.ring;
    const n = ring.length;
    if (n === 0) {
      ring.push(x);
      this.s = x;
      this.c = 0;
      this.m2Value = 0;
      this.m2Peak = 0;
    } else if (n < this.window) {
      const meanOld = (this.s + this.c) / n;
      ring.push(x);
      this.add(x);
      const meanNew = (this.s + this.c) / (n + 1);
      this.m2Value += (x - meanOld) * (x - meanNew);
      if (this.m2Value > this.m2Peak) this.m2Peak = this.m2Value;
    } else {
      const y = ring.push(x);
      const meanOld = (this.s + this.c) / n;
      this.add(x);
      this.add(-y);
      const meanNew = (this.s + this.c) / n;
      const m2 = this.m2Value + (x - y) * (x - meanNew + (y - meanOld));
      this.m2Value = m2 > 0 ? m2 : 0;
      if (this.m2Value > this.m2Peak) this.m2Peak = this.m2Value;
      if (++this.removed >= n || this.m2Peak > SHRINK_LIMIT * this.m2Value) this.recompute();
    }
    return this.mean;
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
    const ring = this.ring;
    const n = ring.length;
    this.s = 0;
    this.c = 0;
    for (let i = 0; i < n; i++) this.add(ring.get(i));
    const mean = (this.s + this.c) / n;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const d = ring.get(i) - mean;
      m2 += d * d;
    }
    this.m2Value = m2;
    this.m2Peak = m2;
    this.removed = 0;
  }

  /** Values in the window now (finite ones only). */
  get count(): number {
    return this.ring.length;
  }

  /** Non-finite values skipped. */
  get skipped(): number {
    return this.nSkipped;
  }

  /** Whether `minSamples` values are in the window. */
  get ready(): boolean {
    return this.ring.length >= this.minSamples;
  }

  /** Sum of the window (NaN before `minSamples` values). */
  get sum(): number {
    return this.ready ? this.s + this.c : NaN;
  }

  /** Mean of the window (NaN before `minSamples` values). */
  get mean(): number {
    return this.ready ? (this.s + this.c) / this.ring.length : NaN;
  }

  /** Sample variance (ddof = 1); NaN with fewer than 2 values or before `minSamples`. */
  get variance(): number {
    const n = this.ring.length;
    return this.ready && n >= 2 ? this.m2Value / (n - 1) : NaN;
  }

  /** Population variance (ddof = 0); 0 with one value; NaN before `minSamples`. */
  get populationVariance(): number {
    return this.ready ? this.m2Value / this.ring.length : NaN;
  }

  /** Sample standard deviation, `sqrt(variance)`. */
  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** Population standard deviation, `sqrt(populationVariance)`. */
  get populationStd(): number {
    return Math.sqrt(this.populationVariance);
  }

  reset(): void {
    this.ring.clear();
    this.s = 0;
    this.c = 0;
    this.m2Value = 0;
    this.m2Peak = 0;
    this.removed = 0;
    this.nSkipped = 0;
  }

  snapshot(): RollingStatsState {
    return {
      type: 'RollingStats',
      version: 1,
      options: this.stateOptions,
      values: encodeNumbers(this.ring.toArray()),
      sum: encodeNumber(this.s),
      compensation: encodeNumber(this.c),
      m2: encodeNumber(this.m2Value),
      m2Peak: encodeNumber(this.m2Peak),
      removed: this.removed,
      skipped: this.nSkipped,
    };
  }

  restore(state: RollingStatsState): void {
    checkState(state, 'RollingStats', 1);
    checkStateOptions('RollingStats', state, this.stateOptions);
    const values = stateNumbers('RollingStats', state, 'values', this.window);
    const s = stateNumber('RollingStats', state, 'sum');
    const c = stateNumber('RollingStats', state, 'compensation');
    const m2 = stateNumber('RollingStats', state, 'm2');
    const m2Peak = stateNumber('RollingStats', state, 'm2Peak');
    const removed = stateNumber('RollingStats', state, 'removed');
    const skipped = stateNumber('RollingStats', state, 'skipped');
    this.ring.clear();
    for (const v of values) this.ring.push(v);
    this.s = s;
    this.c = c;
    this.m2Value = m2;
    this.m2Peak = m2Peak;
    this.removed = removed;
    this.nSkipped = skipped;
  }
}
