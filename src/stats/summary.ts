import { checkState, decodeNumber, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';

/** State of a {@link Summary}. */
export interface SummaryState extends OperatorState {
  readonly type: 'Summary';
  readonly version: 1;
  readonly n: number;
  readonly skipped: number;
  readonly mean: number | string;
  readonly m2: number | string;
  readonly sum: number | string;
  readonly compensation: number | string;
  readonly min: number | string;
  readonly max: number | string;
}

/** What {@link Summary.result} returns. */
export interface SummaryResult {
  /** Number of finite values summarised. */
  n: number;
  /** Non-finite values passed over (NaN, +-Infinity). */
  skipped: number;
  mean: number;
  /** Population standard deviation (ddof = 0), as numpy's `std()` default. */
  std: number;
  min: number;
  max: number;
  /** Compensated sum of the values. */
  sum: number;
}

/**
 * Descriptive statistics of a stream in one pass: count, mean, population standard deviation, min,
 * max and sum.
 *
 * - Mean and variance by Welford's (1962) update: `d = x - mean; mean += d / n; m2 += d (x - mean)`;
 *   `std = sqrt(m2 / n)` (population, ddof = 0). Sample std: `sqrt(m2 / (n - 1))`.
 * - Sum by Neumaier's (1974) compensated summation, so a day of prices sums to within an ulp or so of
 *   an exact sum.
 * - Non-finite inputs (NaN, +-Infinity) are not summarised; they are counted in `skipped`.
 * - Empty: `n = 0`, mean/std/min/max `NaN`, sum `0`. `update` returns the running mean.
 *
 * @example
 * ```ts
 * const s = new Summary();
 * [1, 2, 3, 4].forEach((x) => s.update(x));
 * s.result(); // { n: 4, skipped: 0, mean: 2.5, std: 1.118033988749895, min: 1, max: 4, sum: 10 }
 * ```
 */
export class Summary implements Operator<number, number, SummaryState> {
  private n = 0;
  private skipped = 0;
  private mean = NaN;
  private m2 = 0;
  private sum = 0;
  private compensation = 0;
  private min = NaN;
  private max = NaN;

  update(x: number): number {
    if (!Number.isFinite(x)) {
      this.skipped++;
      return this.mean;
    }
    const n = ++this.n;
    if (n === 1) {
      this.mean = x;
      this.min = x;
      this.max = x;
    } else {
      const d = x - this.mean;
      this.mean += d / n;
      this.m2 += d * (x - this.mean);
      if (x < this.min) this.min = x;
      if (x > this.max) this.max = x;
    }
    const t = this.sum + x;
    this.compensation += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
    return this.mean;
  }

  /** Number of finite values seen. */
  get count(): number {
    return this.n;
  }

  /** Population (ddof = 0) standard deviation; NaN when empty. */
  get std(): number {
    return this.n === 0 ? NaN : Math.sqrt(this.m2 / this.n);
  }

  /** Sample (ddof = 1) standard deviation; NaN below 2 values. */
  get sampleStd(): number {
    return this.n < 2 ? NaN : Math.sqrt(this.m2 / (this.n - 1));
  }

  /** The statistics so far (allocates one small object). */
  result(): SummaryResult {
    return {
      n: this.n,
      skipped: this.skipped,
      mean: this.mean,
      std: this.std,
      min: this.min,
      max: this.max,
      sum: this.sum + this.compensation,
    };
  }

  reset(): void {
    this.n = 0;
    this.skipped = 0;
    this.mean = NaN;
    this.m2 = 0;
    this.sum = 0;
    this.compensation = 0;
    this.min = NaN;
    this.max = NaN;
  }

  snapshot(): SummaryState {
    return {
      type: 'Summary',
      version: 1,
      n: this.n,
      skipped: this.skipped,
      mean: encodeNumber(this.mean),
      m2: encodeNumber(this.m2),
      sum: encodeNumber(this.sum),
      compensation: encodeNumber(this.compensation),
      min: encodeNumber(this.min),
      max: encodeNumber(this.max),
    };
  }

  restore(state: SummaryState): void {
    checkState(state, 'Summary', 1);
    this.n = state.n;
    this.skipped = state.skipped;
    this.mean = decodeNumber(state.mean);
    this.m2 = decodeNumber(state.m2);
    this.sum = decodeNumber(state.sum);
    this.compensation = decodeNumber(state.compensation);
    this.min = decodeNumber(state.min);
    this.max = decodeNumber(state.max);
  }
}
