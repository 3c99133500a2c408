import { InvalidInputError, InvalidOptionError } from '../core/errors.js';
import { checkState, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, fractionOption, integerOption, positiveOption } from '../core/options.js';
import { checkStateOptions, encodeOptions, stateNumber, type StateOptions } from './state.js';

/**
 * Options of {@link Ewma}. Give exactly one of `alpha`, `halfLife` or `halfLifeMs`.
 */
export interface EwmaOptions {
  /** Smoothing factor per event, in (0, 1]: the weight of each new value in the recursive form. */
  alpha?: number;
  /** Half-life in events (> 0): `alpha = 1 - 2^(-1 / halfLife)`. */
  halfLife?: number;
  /**
   * Half-life in milliseconds (> 0), for irregularly spaced events: over `dt` ms, old weights shrink by
   * `2^(-dt / halfLifeMs)`. `update(x, ts)` then needs `ts`.
   */
  halfLifeMs?: number;
  /**
   * `true`: normalised weights (each value enters with weight 1, older weights decay; pandas
   * `ewm(adjust=True)`); `false`: the recursive form `mean += alpha (x - mean)` (pandas
   * `ewm(adjust=False)`). See the class notes. Default in {@link DEFAULT_EWMA_OPTIONS}.
   */
  adjust?: boolean;
  /** Values needed before `update` and the getters return numbers (NaN before). Integer >= 1. */
  minSamples?: number;
}

/** Defaults of the optional {@link EwmaOptions}. `alpha` / `halfLife` / `halfLifeMs` have none: give one. */
export const DEFAULT_EWMA_OPTIONS: Readonly<{ adjust: boolean; minSamples: number }> = Object.freeze({
  /** @defaultValue true */
  adjust: true,
  /** @defaultValue 1 */
  minSamples: 1,
});

/** State of an {@link Ewma}. */
export interface EwmaState extends OperatorState {
  readonly type: 'Ewma';
  readonly version: 1;
  /** The options that shape the state (checked on restore). */
  readonly options: StateOptions;
  readonly mean: number | string;
  readonly variance: number | string;
  readonly weight: number | string;
  readonly count: number;
  readonly skipped: number;
  readonly prevTs: number | string;
  readonly lastTs: number | string;
}

const OPTION_KEYS = ['alpha', 'halfLife', 'halfLifeMs', 'adjust', 'minSamples'] as const;

/**
 * Exponentially weighted moving mean and variance (EWMA / EWMV) of a stream of numbers.
 *
 * **Weights.** Each value enters with weight 1; at every later event (or, with `halfLifeMs`, over every
 * `dt` ms) all earlier weights are multiplied by the decay `d`:
 * - `alpha`: `d = 1 - alpha`;
 * - `halfLife` (events): `d = 2^(-1 / halfLife)`, i.e. `alpha = 1 - 2^(-1 / halfLife)`;
 * - `halfLifeMs` (irregular time): `d = 2^(-dt / halfLifeMs)` with `dt = ts - ts_prev` the time since the
 *   previous value.
 *
 * **Update.** With `a` the weight of the new value `x` (below), the mean and variance follow West (1979,
 * "Updating mean and variance estimates: an improved method", CACM 22) in the exponentially weighted form
 * of Finch (2009, "Incremental calculation of weighted mean and variance", University of Cambridge):
 * ```text
 * delta = x - mean
 * mean  = mean + a * delta
 * var   = (1 - a) * (var + a * delta^2)
 * ```
 * - `adjust: true` (default): `W = d * W + 1`, `a = 1 / W`, so `mean = sum_i w_i x_i / sum_i w_i` exactly
 *   (pandas `ewm(adjust=True)`): no start-up bias towards the first value, and values sharing a
 *   timestamp (`dt = 0`, common in order-book data) weigh equally.
 * - `adjust: false`: `a = alpha` (events) or `a = 1 - 2^(-dt / halfLifeMs)` (time): the textbook
 *   recursion (pandas `ewm(adjust=False)`); the first value carries the weight of all history, and with
 *   `halfLifeMs` a value at the same timestamp as the previous one gets `a = 0` (no effect on the mean).
 *
 * **Initialisation.** The first value is the mean, the variance is 0 (both forms). `update` returns the
 * mean, or NaN until `minSamples` values have been seen (default 1: from the first value on).
 *
 * **Variance.** `variance` is the weighted variance `sum_i w_i (x_i - mean)^2 / sum_i w_i`: pandas
 * `ewm(...).var(bias=True)`. It is biased low: for i.i.d. values in the steady state with constant `alpha`
 * its expectation is `sigma^2 * 2 (1 - alpha) / (2 - alpha)` (e.g. 0.947 sigma^2 at alpha = 0.1); divide by
 * that factor for an unbiased estimate. `std = sqrt(variance)`.
 *
 * **Units, range.** Mean in the unit of `x`, variance in its square; `ts` in ms. Empty: NaN.
 *
 * **Bad input.** Non-finite values (NaN, +-Infinity) are skipped (the state is untouched, the value is not
 * counted in `count`) and counted in `skipped`; `update` then returns the current mean. With
 * `halfLifeMs`, a missing, non-finite or decreasing `ts` throws {@link InvalidInputError} (checked before
 * the value, so even a skipped value must carry a valid `ts`). Without `halfLifeMs`, `ts` is ignored.
 *
 * @example
 * ```ts
 * const e = new Ewma({ alpha: 0.5 });
 * [1, 2, 3].map((x) => e.update(x)); // [1, 1.6666666666666665, 2.4285714285714284]
 * e.variance;                        // 0.5306122448979593 (weights 0.25, 0.5, 1)
 * const r = new Ewma({ alpha: 0.5, adjust: false });
 * [1, 2, 3].map((x) => r.update(x)); // [1, 1.5, 2.25]
 * const t = new Ewma({ halfLifeMs: 1000 });
 * t.update(10, 0); t.update(20, 1000); // 16.666666666666664 (weights 0.5 and 1)
 * ```
 */
export class Ewma implements Operator<number, number, EwmaState> {
  /** Whether the decay runs on time (`halfLifeMs`) rather than on events. */
  private readonly timed: boolean;
  /** Event modes: the per-event decay `d` and `alpha = 1 - d`. */
  private readonly decay: number;
  private readonly alpha: number;
  /** Time mode: `ln 2 / halfLifeMs`, so `d = exp(-dt * rate)`. */
  private readonly rate: number;
  private readonly adjust: boolean;
  private readonly minSamples: number;
  private readonly stateOptions: StateOptions;

  private m = 0;
  private v = 0;
  private w = 0;
  /** 1 / w, cached while w does not change (see {@link adjustedWeight}). */
  private weight = 1;
  private n = 0;
  private nSkipped = 0;
  private prevTs = NaN;
  private lastTsValue = NaN;

  constructor(options: EwmaOptions) {
    checkOptionKeys('Ewma', options, OPTION_KEYS);
    if (options === undefined || options === null) {
      throw new InvalidOptionError('Ewma options', options, 'an object with exactly one of alpha, halfLife, halfLifeMs');
    }
    const given = OPTION_KEYS.slice(0, 3).filter((k) => options[k] !== undefined);
    if (given.length !== 1) {
      throw new InvalidOptionError(
        'Ewma options',
        options,
        `exactly one of alpha, halfLife, halfLifeMs (got ${given.length === 0 ? 'none' : given.join(', ')})`,
      );
    }
    const adjust = options.adjust ?? DEFAULT_EWMA_OPTIONS.adjust;
    if (typeof adjust !== 'boolean') throw new InvalidOptionError('Ewma.adjust', adjust, 'a boolean');
    this.adjust = adjust;
    this.minSamples = integerOption('Ewma.minSamples', options.minSamples ?? DEFAULT_EWMA_OPTIONS.minSamples, 1);

    this.timed = false;
    this.rate = NaN;
    let shape: Record<string, number | boolean>;
    if (options.alpha !== undefined) {
      this.alpha = fractionOption('Ewma.alpha', options.alpha, 0, 1);
      this.decay = 1 - this.alpha;
      shape = { alpha: this.alpha };
    } else if (options.halfLife !== undefined) {
      const h = positiveOption('Ewma.halfLife', options.halfLife);
      this.alpha = -Math.expm1(-Math.LN2 / h);
      this.decay = Math.exp(-Math.LN2 / h);
      shape = { halfLife: h };
    } else {
      const h = positiveOption('Ewma.halfLifeMs', options.halfLifeMs);
      this.timed = true;
      this.rate = Math.LN2 / h;
      this.alpha = NaN;
      this.decay = NaN;
      shape = { halfLifeMs: h };
    }
    shape['adjust'] = adjust;
    this.stateOptions = encodeOptions(shape);
  }

  /**
   * Add one value and return the mean (NaN before `minSamples` values).
   * @param x the value; non-finite values are skipped and counted
   * @param ts time stamp in ms: required (finite, non-decreasing) with `halfLifeMs`, ignored otherwise
   */
  update(x: number, ts?: number): number {
    // The time-based steps live in methods of their own: this method stays small enough for V8 to
    // inline into its callers (a pipeline of several operators shares one inlining budget).
    const dt = this.timed ? this.tick(ts) : 0;
    if (!Number.isFinite(x)) {
      this.nSkipped++;
      return this.mean;
    }
    if (this.n === 0) {
      this.m = x;
      this.v = 0;
      this.w = 1;
    } else {
      const a = this.timed ? this.timedWeight(dt) : this.adjust ? this.adjustedWeight() : this.alpha;
      const delta = x - this.m;
      this.m += a * delta;
      this.v = (1 - a) * (this.v + a * delta * delta);
    }
    this.n++;
    if (this.timed) this.prevTs = this.lastTsValue;
    return this.n >= this.minSamples ? this.m : NaN;
  }

  /** Check `ts` (finite, not before the last) and move the clock; returns the ms since the previous value. */
  private tick(ts: number | undefined): number {
    if (!(typeof ts === 'number' && ts - ts === 0 && !(ts < this.lastTsValue))) throwBadTs(ts, this.lastTsValue);
    this.lastTsValue = ts;
    return ts - this.prevTs;
  }

  /**
   * The adjusted weight of the next value with a constant decay: 1 / w after w = decay * w + 1. The sum
   * w converges to 1 / (1 - decay) and then stops changing in floating point (after about 37 half-lives);
   * from then on the reciprocal is reused, saving a division a value, bit for bit the same result.
   */
  private adjustedWeight(): number {
    const w = this.decay * this.w + 1;
    if (w !== this.w) {
      this.w = w;
      this.weight = 1 / w;
    }
    return this.weight;
  }

  /** The weight of a value `dt` ms after the previous one (`halfLifeMs`): adjusted, or 1 - exp(-dt / tau). */
  private timedWeight(dt: number): number {
    if (this.adjust) {
      this.w = Math.exp(-dt * this.rate) * this.w + 1;
      return 1 / this.w;
    }
    return -Math.expm1(-dt * this.rate);
  }

  /** The weighted mean (NaN before `minSamples` values). */
  get mean(): number {
    return this.n >= this.minSamples ? this.m : NaN;
  }

  /** The weighted (biased, pandas `bias=True`) variance; 0 after one value; NaN before `minSamples`. */
  get variance(): number {
    return this.n >= this.minSamples ? this.v : NaN;
  }

  /** `sqrt(variance)`. */
  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** Values used (finite ones). */
  get count(): number {
    return this.n;
  }

  /** Non-finite values skipped. */
  get skipped(): number {
    return this.nSkipped;
  }

  /** With `halfLifeMs`: the `ts` of the last update (NaN before any); NaN in event modes. */
  get lastTs(): number {
    return this.lastTsValue;
  }

  reset(): void {
    this.m = 0;
    this.v = 0;
    this.w = 0;
    this.weight = 1;
    this.n = 0;
    this.nSkipped = 0;
    this.prevTs = NaN;
    this.lastTsValue = NaN;
  }

  snapshot(): EwmaState {
    return {
      type: 'Ewma',
      version: 1,
      options: this.stateOptions,
      mean: encodeNumber(this.m),
      variance: encodeNumber(this.v),
      weight: encodeNumber(this.w),
      count: this.n,
      skipped: this.nSkipped,
      prevTs: encodeNumber(this.prevTs),
      lastTs: encodeNumber(this.lastTsValue),
    };
  }

  restore(state: EwmaState): void {
    checkState(state, 'Ewma', 1);
    checkStateOptions('Ewma', state, this.stateOptions);
    const m = stateNumber('Ewma', state, 'mean');
    const v = stateNumber('Ewma', state, 'variance');
    const w = stateNumber('Ewma', state, 'weight');
    const n = stateNumber('Ewma', state, 'count');
    const skipped = stateNumber('Ewma', state, 'skipped');
    const prevTs = stateNumber('Ewma', state, 'prevTs');
    const lastTs = stateNumber('Ewma', state, 'lastTs');
    this.m = m;
    this.v = v;
    this.w = w;
    this.weight = 1 / w;
    this.n = n;
    this.nSkipped = skipped;
    this.prevTs = prevTs;
    this.lastTsValue = lastTs;
  }
}

/** The error of {@link Ewma.update} for a missing, non-finite or decreasing `ts` (with `halfLifeMs`). */
function throwBadTs(ts: unknown, last: number): never {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) {
    throw new InvalidInputError('Ewma.update ts', ts, 'a finite number of ms (required with halfLifeMs)');
  }
  throw new InvalidInputError('Ewma.update ts', ts, `>= the previous ts ${last}`);
}
