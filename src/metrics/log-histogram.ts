import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, fractionOption, positiveOption } from '../core/options.js';
import { stateInteger, stateNumber } from '../core/state.js';

/** Options of {@link LogHistogram}. */
export interface LogHistogramOptions {
  /**
   * The relative accuracy `a` in (0, 1): every quantile of values in `[minValue, maxValue]` is within
   * `a` of the exact one, relatively.
   * @defaultValue 0.01
   */
  relativeAccuracy?: number;
  /**
   * The smallest value tracked with relative accuracy (> 0). Smaller values, zero included, are
   * counted in one zero bucket and reported as 0.
   * @defaultValue 1e-6
   */
  minValue?: number;
  /**
   * The largest value tracked with relative accuracy (> minValue). Larger values are counted in the
   * top bucket (and in `clamped`).
   * @defaultValue 1e9
   */
  maxValue?: number;
}

/** Defaults of {@link LogHistogramOptions}. */
export const DEFAULT_LOG_HISTOGRAM_OPTIONS: Readonly<Required<LogHistogramOptions>> = Object.freeze({
  relativeAccuracy: 0.01,
  minValue: 1e-6,
  maxValue: 1e9,
});

/** State of a {@link LogHistogram}. */
export interface LogHistogramState extends OperatorState {
  readonly type: 'LogHistogram';
  readonly version: 1;
  /** `[relativeAccuracy, minValue, maxValue]`: must match the restoring histogram's options. */
  readonly options: readonly number[];
  /** `[count, zeroCount, clamped]`. */
  readonly counts: readonly number[];
  /** `[sum, min, max]`, encoded. */
  readonly values: ReadonlyArray<number | string>;
  /** Non-empty buckets as flat pairs `[index, count, index, count, ...]`, index 0 = the lowest bucket. */
  readonly buckets: readonly number[];
}

/**
 * A histogram with logarithmic buckets and bounded relative error (the DDSketch layout, fixed range),
 * for latency percentiles.
 *
 * ```text
 * gamma = (1 + a) / (1 - a)
 * i(x)  = ceil(ln(x) / ln(gamma))                 bucket i holds (gamma^(i-1), gamma^i]
 * v(i)  = 2 gamma^i / (gamma + 1)                 the value reported for bucket i
 * rank  = max(1, ceil(q n))                        nearest rank, 1-based, of quantile q among n values
 * ```
 *
 * **Error bound.** For `x` in bucket `i`, `|v(i) - x| / x <= (gamma - 1) / (gamma + 1) = a`: so the
 * quantile returned, `v` of the bucket holding the value of rank `ceil(q n)`, is within relative
 * error `a` of that exact value (the lower nearest-rank quantile, `sorted[ceil(q n) - 1]`), up to
 * float rounding (about 1e-15 relative) in `ln`. The estimate is then clamped to the exact
 * `[min, max]` seen, which only brings it closer; the top rank (`q = 1`, or `ceil(q n) = n`) returns
 * the exact max. Outside `[minValue, maxValue]` the bound does not hold: smaller values are reported
 * as 0 (absolute error below `minValue`), larger ones (counted in `clamped`) as the top bucket's value,
 * about `maxValue`, except the largest, which is exact.
 *
 * **Cost.** `record` is one `Math.log`, one `Math.ceil` and an increment into a `Float64Array`; it
 * allocates nothing. Memory: `ln(maxValue / minValue) / ln(gamma)` buckets, 8 bytes each (1728
 * buckets, 14 kB, with the defaults). `quantile` walks the buckets (O(buckets)).
 *
 * Input: values `>= 0` (NaN, negative or infinite values throw `InvalidInputError`). Output of
 * `quantile`: NaN when empty.
 *
 * Reference: Masson, Rim and Lee (2019), "DDSketch: a fast and fully-mergeable quantile sketch with
 * relative-error guarantees", PVLDB 12(12), section 2 (the index and value maps, Proposition 3);
 * the layout is HdrHistogram's idea (Tene) with geometric instead of sub-bucketed power-of-two bins.
 *
 * @example
 * ```ts
 * const h = new LogHistogram();           // a = 1%
 * for (let ms = 1; ms <= 1000; ms++) h.record(ms);
 * h.quantile(0.5);   // 497.7794014558156  (exact: 500; relative error 0.0044 <= 0.01)
 * h.quantile(0.99);  // 982.5779489474345  (exact: 990; relative error 0.0075)
 * h.quantile(1);     // 1000               (the max, exactly)
 * ```
 */
export class LogHistogram {
  readonly relativeAccuracy: number;
  readonly minValue: number;
  readonly maxValue: number;
  private readonly gamma: number;
  private readonly invLnGamma: number;
  /** Index `i(minValue)`: bucket array slot 0. */
  private readonly offset: number;
  private readonly counts: Float64Array;
  private n = 0;
  private zeros = 0;
  private clampedN = 0;
  private total = 0;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;

  constructor(options: LogHistogramOptions = {}) {
    checkOptionKeys('LogHistogram', options, Object.keys(DEFAULT_LOG_HISTOGRAM_OPTIONS));
    const o = { ...DEFAULT_LOG_HISTOGRAM_OPTIONS, ...options };
    const a = fractionOption('relativeAccuracy', o.relativeAccuracy);
    if (a >= 1) throw new InvalidOptionError('relativeAccuracy', a, 'a number in (0, 1)');
    this.relativeAccuracy = a;
    this.minValue = positiveOption('minValue', o.minValue);
    this.maxValue = positiveOption('maxValue', o.maxValue);
    if (!(this.maxValue > this.minValue)) throw new InvalidOptionError('maxValue', o.maxValue, `a number > minValue (${this.minValue})`);
    this.gamma = (1 + a) / (1 - a);
    this.invLnGamma = 1 / Math.log(this.gamma);
    this.offset = Math.ceil(Math.log(this.minValue) * this.invLnGamma);
    const top = Math.ceil(Math.log(this.maxValue) * this.invLnGamma);
    const size = top - this.offset + 1;
    if (size > 1 << 24) throw new InvalidOptionError('relativeAccuracy', a, `larger for this range (it needs ${size} buckets)`);
    this.counts = new Float64Array(size);
  }

  /** Values recorded. */
  get count(): number {
    return this.n;
  }

  /** Sum of the values recorded (exact inputs, not bucket values). */
  get sum(): number {
    return this.total;
  }

  /** Smallest value recorded (NaN when empty). */
  get min(): number {
    return this.n === 0 ? Number.NaN : this.lo;
  }

  /** Largest value recorded (NaN when empty). */
  get max(): number {
    return this.n === 0 ? Number.NaN : this.hi;
  }

  /** Mean of the values recorded (NaN when empty). */
  get mean(): number {
    return this.n === 0 ? Number.NaN : this.total / this.n;
  }

  /** Values above `maxValue` recorded (into the top bucket). */
  get clamped(): number {
    return this.clampedN;
  }

  /** Number of buckets (excluding the zero bucket). */
  get bucketCount(): number {
    return this.counts.length;
  }

  /** Record one value `x >= 0`. Allocates nothing. */
  record(x: number): void {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) {
      throw new InvalidInputError('LogHistogram.record: value', x, 'a finite number >= 0');
    }
    this.n++;
    this.total += x;
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    if (x < this.minValue) {
      this.zeros++;
      return;
    }
    const last = this.counts.length - 1;
    let k = Math.ceil(Math.log(x) * this.invLnGamma) - this.offset;
    if (x > this.maxValue) {
      this.clampedN++;
      k = last;
    } else if (k < 0) k = 0; // float rounding at minValue
    else if (k > last) k = last;
    this.counts[k]!++;
  }

  /**
   * The `q`-quantile, `q` in [0, 1]: the value of the bucket holding the value of rank
   * `max(1, ceil(q n))`, clamped to `[min, max]` (the max itself at rank n); NaN when empty.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new InvalidInputError('LogHistogram.quantile: q', q, 'a number in [0, 1]');
    const n = this.n;
    if (n === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * n));
    if (rank === n) return this.hi; // the largest value, exactly
    let seen = this.zeros;
    if (seen >= rank) return this.lo > 0 ? this.lo : 0; // the zero bucket's 0, clamped to [min, max]
    const counts = this.counts;
    for (let k = 0; k < counts.length; k++) {
      seen += counts[k]!;
      if (seen >= rank) {
        const v = (2 * Math.pow(this.gamma, k + this.offset)) / (this.gamma + 1);
        return v < this.lo ? this.lo : v > this.hi ? this.hi : v;
      }
    }
    return this.hi; // not reached: the counts sum to n
  }

  /** Add the counts of `other`, which must have the same options. */
  merge(other: LogHistogram): void {
    if (other.relativeAccuracy !== this.relativeAccuracy || other.minValue !== this.minValue || other.maxValue !== this.maxValue) {
      throw new InvalidInputError('LogHistogram.merge: other', [other.relativeAccuracy, other.minValue, other.maxValue], `a histogram with the same options [${this.relativeAccuracy}, ${this.minValue}, ${this.maxValue}]`);
    }
    if (other.n === 0) return;
    const src = other.counts;
    const dst = this.counts;
    for (let k = 0; k < src.length; k++) {
      const c = src[k]!;
      if (c !== 0) dst[k] = dst[k]! + c;
    }
    this.n += other.n;
    this.zeros += other.zeros;
    this.clampedN += other.clampedN;
    this.total += other.total;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
  }

  reset(): void {
    if (this.n !== 0) this.counts.fill(0);
    this.n = 0;
    this.zeros = 0;
    this.clampedN = 0;
    this.total = 0;
    this.lo = Number.POSITIVE_INFINITY;
    this.hi = Number.NEGATIVE_INFINITY;
  }

  snapshot(): LogHistogramState {
    const buckets: number[] = [];
    const counts = this.counts;
    for (let k = 0; k < counts.length; k++) if (counts[k] !== 0) buckets.push(k, counts[k]!);
    return {
      type: 'LogHistogram',
      version: 1,
      options: [this.relativeAccuracy, this.minValue, this.maxValue],
      counts: [this.n, this.zeros, this.clampedN],
      values: [encodeNumber(this.total), encodeNumber(this.lo), encodeNumber(this.hi)],
      buckets,
    };
  }

  /** Continue from a state of a histogram with the same options (else `InvalidStateError`). */
  restore(state: LogHistogramState): void {
    const t = 'LogHistogram';
    checkState(state, t, 1);
    const o = state.options;
    if (!Array.isArray(o) || o[0] !== this.relativeAccuracy || o[1] !== this.minValue || o[2] !== this.maxValue) {
      throw new InvalidStateError(t, `state options ${JSON.stringify(o)} differ from this histogram's [${this.relativeAccuracy}, ${this.minValue}, ${this.maxValue}]`);
    }
    if (!Array.isArray(state.counts) || state.counts.length !== 3) throw new InvalidStateError(t, `counts must be an array of 3 integers, got ${JSON.stringify(state.counts)}`);
    if (!Array.isArray(state.values) || state.values.length !== 3) throw new InvalidStateError(t, `values must be an array of 3 numbers, got ${JSON.stringify(state.values)}`);
    if (!Array.isArray(state.buckets) || state.buckets.length % 2 !== 0) throw new InvalidStateError(t, `buckets must be an array of [index, count] pairs, got ${JSON.stringify(state.buckets)}`);
    const n = stateInteger(t, 'counts[0]', state.counts[0]);
    const zeros = stateInteger(t, 'counts[1]', state.counts[1]);
    const clamped = stateInteger(t, 'counts[2]', state.counts[2]);
    const total = stateNumber(t, 'values[0]', state.values[0]);
    const lo = stateNumber(t, 'values[1]', state.values[1]);
    const hi = stateNumber(t, 'values[2]', state.values[2]);
    let sum = zeros;
    for (let j = 0; j < state.buckets.length; j += 2) {
      stateInteger(t, `buckets[${j}]`, state.buckets[j], 0);
      if (state.buckets[j]! >= this.counts.length) throw new InvalidStateError(t, `buckets[${j}] = ${state.buckets[j]} is past the last bucket (${this.counts.length - 1})`);
      sum += stateInteger(t, `buckets[${j + 1}]`, state.buckets[j + 1], 1);
    }
    if (sum !== n) throw new InvalidStateError(t, `the bucket counts sum to ${sum}, not count = ${n}`);
    this.counts.fill(0);
    for (let j = 0; j < state.buckets.length; j += 2) this.counts[state.buckets[j]!] = state.buckets[j + 1]!;
    this.n = n;
    this.zeros = zeros;
    this.clampedN = clamped;
    this.total = total;
    this.lo = lo;
    this.hi = hi;
  }
}
