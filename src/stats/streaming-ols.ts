import { InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption } from '../core/options.js';
import { NumberRing } from '../core/ring-buffer.js';
import { checkStateOptions, encodeOptions, SHRINK_LIMIT, stateNumber, stateNumbers, type StateOptions } from './state.js';

/** Options of {@link StreamingOls}. */
export interface StreamingOlsOptions {
  /** Fit the last `window` points (integer >= 2), or all points since the last reset (`Infinity`). */
  window?: number;
  /** Points needed before `update` and the getters return numbers. Integer in [2, window]. */
  minSamples?: number;
}

/** Defaults of {@link StreamingOlsOptions}. */
export const DEFAULT_STREAMING_OLS_OPTIONS: Readonly<{ window: number; minSamples: number }> = Object.freeze({
  /** @defaultValue Infinity (an expanding fit) */
  window: Infinity,
  /** @defaultValue 3 (the fewest points with a standard error: n - 2 = 1 degree of freedom) */
  minSamples: 3,
});

/** State of a {@link StreamingOls}. */
export interface StreamingOlsState extends OperatorState {
  readonly type: 'StreamingOls';
  readonly version: 1;
  readonly options: StateOptions;
  readonly n: number;
  readonly meanX: number | string;
  readonly meanY: number | string;
  readonly sxx: number | string;
  readonly syy: number | string;
  readonly sxy: number | string;
  readonly sxxPeak: number | string;
  readonly syyPeak: number | string;
  readonly removed: number;
  readonly skipped: number;
  /** With a window: its points, oldest first (empty otherwise). */
  readonly xs: ReadonlyArray<number | string>;
  readonly ys: ReadonlyArray<number | string>;
}

/**
 * Streaming ordinary least squares of one regressor with an intercept, `y = a + b x + e`, over all points
 * or over the last `window` points.
 *
 * With the centred co-moments `Sxx = sum (x - mean_x)^2`, `Syy = sum (y - mean_y)^2`,
 * `Sxy = sum (x - mean_x)(y - mean_y)` over the `n` points:
 * ```text
 * slope b     = Sxy / Sxx
 * intercept a = mean_y - b mean_x
 * R^2         = Sxy^2 / (Sxx Syy)
 * SSE         = Syy - b Sxy                      (residual sum of squares)
 * stdErr      = sqrt(SSE / (n - 2) / Sxx)        (classical OLS standard error of b, n - 2 dof)
 * tStat       = b / stdErr
 * ```
 * (e.g. Greene, "Econometric Analysis", ch. 4; the same numbers as statsmodels `OLS` with a constant or
 * scipy `linregress`). Kyle's (1985) lambda is the slope of price changes on signed volume.
 *
 * **Algorithm.** The means and co-moments are updated with Welford's (1962, "Note on a method for
 * calculating corrected sums of squares and products") centred recurrences, as in Pébay (2008, "Formulas
 * for robust, one-pass parallel computation of covariances and arbitrary-order statistical moments"):
 * `dx = x - mean_x; mean_x += dx / n; mean_y += dy / n; Sxy += dx (y - mean_y)`, and the reverse to
 * remove the oldest point of a window. Centring avoids the cancellation of the textbook
 * `sum x y - n mean_x mean_y`. With a window, the means and co-moments are recomputed exactly (two
 * passes) every `window` removals, and whenever `Sxx` or `Syy` falls below 1e-4 of its peak since the last
 * recomputation (large values leaving: the removal steps' rounding errors scale with that peak); O(window)
 * in that call, O(1) amortized.
 *
 * **Warm-up, empty, degenerate.** `update` returns the slope, NaN until `minSamples` points (default 3).
 * The slope (and intercept, R^2) is NaN while all x are equal (`Sxx = 0`); R^2 is NaN while all y are equal
 * (`Syy = 0`, 0/0). `stdErr` and `tStat` need n >= 3. A perfect fit gives `stdErr = 0` and
 * `tStat = +-Infinity` (NaN for slope 0). `SSE` is clamped at 0 and R^2 to [0, 1].
 *
 * **Units.** slope: units of y per unit of x; intercept: units of y; R^2 unitless in [0, 1]; tStat
 * unitless.
 *
 * **Bad input.** Pairs with a non-finite x or y are skipped (not fitted), counted in `skipped`.
 *
 * @example
 * ```ts
 * const ols = new StreamingOls();
 * [[1, 2], [2, 4], [3, 5], [4, 4], [5, 5]].map(([x, y]) => ols.update(x!, y!)); // [NaN, NaN, 1.5, 0.7, 0.6]
 * ols.intercept; // 2.2
 * ols.r2;        // 0.6
 * ols.stdErr;    // 0.28284271247461906
 * ols.tStat;     // 2.121320343559642
 * ```
 */
export class StreamingOls implements Operator<readonly [number, number], number, StreamingOlsState> {
  /** The window length (`Infinity`: all points). */
  readonly window: number;
  private readonly minSamples: number;
  private readonly stateOptions: StateOptions;
  private readonly xs: NumberRing | null;
  private readonly ys: NumberRing | null;

  private n = 0;
  private mx = 0;
  private my = 0;
  private sxx = 0;
  private syy = 0;
  private sxy = 0;
  /** Largest `Sxx`, `Syy` since the last exact recomputation (window mode). */
  private sxxPeak = 0;
  private syyPeak = 0;
  private removed = 0;
  private nSkipped = 0;

  constructor(options?: StreamingOlsOptions) {
    checkOptionKeys('StreamingOls', options, ['window', 'minSamples']);
    const window = options?.window ?? DEFAULT_STREAMING_OLS_OPTIONS.window;
    this.window = window === Infinity ? Infinity : integerOption('StreamingOls.window', window, 2);
    const maxMin = this.window === Infinity ? Number.MAX_SAFE_INTEGER : this.window;
    this.minSamples = integerOption(
      'StreamingOls.minSamples',
      options?.minSamples ?? Math.min(DEFAULT_STREAMING_OLS_OPTIONS.minSamples, maxMin),
      2,
      maxMin,
    );
    if (this.window === Infinity) {
      this.xs = null;
      this.ys = null;
    } else {
      this.xs = new NumberRing(this.window);
      this.ys = new NumberRing(this.window);
    }
    this.stateOptions = encodeOptions({ window: this.window });
  }

  /**
   * Add the point `(x, y)` (dropping the oldest one when a window is full) and return the slope (NaN
   * before `minSamples` points or while `Sxx = 0`). Non-finite pairs are skipped and counted.
   *
   * As an {@link Operator} the input is the pair; call it as `update(x, y)`.
   */
  update(x: number, y: number): number;
  update(point: readonly [number, number]): number;
  update(xOrPoint: number | readonly [number, number], yValue?: number): number {
    let x: number;
    let y: number;
    if (typeof xOrPoint === 'number') {
      x = xOrPoint;
      y = yValue as number;
    } else {
      x = xOrPoint[0];
      y = xOrPoint[1];
    }
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      this.nSkipped++;
      return this.slope;
    }
    const xs = this.xs;
    if (xs !== null && xs.full) {
      this.remove(xs.shift(), this.ys!.shift());
    }
    if (xs !== null) {
      xs.push(x);
      this.ys!.push(y);
    }
    const n = ++this.n;
    const dx = x - this.mx;
    const dy = y - this.my;
    this.mx += dx / n;
    this.my += dy / n;
    this.sxx += dx * (x - this.mx);
    this.syy += dy * (y - this.my);
    this.sxy += dx * (y - this.my);
    if (xs !== null) {
      if (this.sxx > this.sxxPeak) this.sxxPeak = this.sxx;
      if (this.syy > this.syyPeak) this.syyPeak = this.syy;
      if (
        (this.removed > 0 && this.removed >= n) ||
        this.sxxPeak > SHRINK_LIMIT * this.sxx ||
        this.syyPeak > SHRINK_LIMIT * this.syy
      ) {
        this.recompute();
      }
    }
    return this.slope;
  }

  /** Reverse of the add step for the point `(x, y)`; only called on a full window, so `n >= 2` before. */
  private remove(x: number, y: number): void {
    const n = --this.n;
    const dx = x - this.mx;
    const dy = y - this.my;
    this.mx -= dx / n;
    this.my -= dy / n;
    const sxx = this.sxx - dx * (x - this.mx);
    const syy = this.syy - dy * (y - this.my);
    this.sxx = sxx > 0 ? sxx : 0;
    this.syy = syy > 0 ? syy : 0;
    this.sxy -= dy * (x - this.mx);
    this.removed++;
  }

  /** Exact two-pass recomputation of the means and co-moments from the window. */
  private recompute(): void {
    const xs = this.xs!;
    const ys = this.ys!;
    const n = xs.length;
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      sx += xs.get(i);
      sy += ys.get(i);
    }
    const mx = sx / n;
    const my = sy / n;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const dx = xs.get(i) - mx;
      const dy = ys.get(i) - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    this.mx = mx;
    this.my = my;
    this.sxx = sxx;
    this.syy = syy;
    this.sxy = sxy;
    this.sxxPeak = sxx;
    this.syyPeak = syy;
    this.removed = 0;
  }

  /** Points in the fit. */
  get count(): number {
    return this.n;
  }

  /** Pairs skipped for a non-finite x or y. */
  get skipped(): number {
    return this.nSkipped;
  }

  /** Whether `minSamples` points are in the fit. */
  get ready(): boolean {
    return this.n >= this.minSamples;
  }

  /** Mean of x over the fitted points (NaN before `minSamples`). */
  get meanX(): number {
    return this.ready ? this.mx : NaN;
  }

  /** Mean of y over the fitted points (NaN before `minSamples`). */
  get meanY(): number {
    return this.ready ? this.my : NaN;
  }

  /** Slope `b = Sxy / Sxx` (NaN before `minSamples` or while all x are equal). */
  get slope(): number {
    return this.ready && this.sxx > 0 ? this.sxy / this.sxx : NaN;
  }

  /** Intercept `a = mean_y - b mean_x`. */
  get intercept(): number {
    return this.my - this.slope * this.mx;
  }

  /** Coefficient of determination `Sxy^2 / (Sxx Syy)` in [0, 1] (NaN while all x or all y are equal). */
  get r2(): number {
    if (!this.ready || !(this.sxx > 0) || !(this.syy > 0)) return NaN;
    // as (Sxy / Sxx) (Sxy / Syy): the product Sxx Syy could underflow or overflow
    const r2 = (this.sxy / this.sxx) * (this.sxy / this.syy);
    return r2 < 1 ? r2 : 1;
  }

  /** Residual sum of squares `Syy - b Sxy`, clamped at 0 (NaN while the slope is). */
  get sse(): number {
    const b = this.slope;
    if (Number.isNaN(b)) return NaN;
    const sse = this.syy - b * this.sxy;
    return sse > 0 ? sse : 0;
  }

  /** OLS standard error of the slope, `sqrt(SSE / (n - 2) / Sxx)` (NaN with n < 3). */
  get stdErr(): number {
    if (this.n < 3) return NaN;
    return Math.sqrt(this.sse / (this.n - 2) / this.sxx);
  }

  /** t-statistic of the slope, `b / stdErr` (n - 2 degrees of freedom). */
  get tStat(): number {
    return this.slope / this.stdErr;
  }

  reset(): void {
    this.xs?.clear();
    this.ys?.clear();
    this.n = 0;
    this.mx = 0;
    this.my = 0;
    this.sxx = 0;
    this.syy = 0;
    this.sxy = 0;
    this.sxxPeak = 0;
    this.syyPeak = 0;
    this.removed = 0;
    this.nSkipped = 0;
  }

  snapshot(): StreamingOlsState {
    return {
      type: 'StreamingOls',
      version: 1,
      options: this.stateOptions,
      n: this.n,
      meanX: encodeNumber(this.mx),
      meanY: encodeNumber(this.my),
      sxx: encodeNumber(this.sxx),
      syy: encodeNumber(this.syy),
      sxy: encodeNumber(this.sxy),
      sxxPeak: encodeNumber(this.sxxPeak),
      syyPeak: encodeNumber(this.syyPeak),
      removed: this.removed,
      skipped: this.nSkipped,
      xs: this.xs === null ? [] : encodeNumbers(this.xs.toArray()),
      ys: this.ys === null ? [] : encodeNumbers(this.ys.toArray()),
    };
  }

  restore(state: StreamingOlsState): void {
    checkState(state, 'StreamingOls', 1);
    checkStateOptions('StreamingOls', state, this.stateOptions);
    const op = 'StreamingOls';
    const n = stateNumber(op, state, 'n');
    const mx = stateNumber(op, state, 'meanX');
    const my = stateNumber(op, state, 'meanY');
    const sxx = stateNumber(op, state, 'sxx');
    const syy = stateNumber(op, state, 'syy');
    const sxy = stateNumber(op, state, 'sxy');
    const sxxPeak = stateNumber(op, state, 'sxxPeak');
    const syyPeak = stateNumber(op, state, 'syyPeak');
    const removed = stateNumber(op, state, 'removed');
    const skipped = stateNumber(op, state, 'skipped');
    const cap = this.xs === null ? 0 : this.window;
    const xs = stateNumbers(op, state, 'xs', cap);
    const ys = stateNumbers(op, state, 'ys', cap);
    if (this.xs !== null && (xs.length !== n || ys.length !== n)) {
      throw new InvalidStateError(op, `"xs" and "ys" must hold n = ${n} points; got ${xs.length} and ${ys.length}`);
    }
    this.xs?.clear();
    this.ys?.clear();
    for (let i = 0; i < xs.length; i++) {
      this.xs!.push(xs[i]!);
      this.ys!.push(ys[i]!);
    }
    this.n = n;
    this.mx = mx;
    this.my = my;
    this.sxx = sxx;
    this.syy = syy;
    this.sxy = sxy;
    this.sxxPeak = sxxPeak;
    this.syyPeak = syyPeak;
    this.removed = removed;
    this.nSkipped = skipped;
  }
}
