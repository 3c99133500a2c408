import { describeValue, InvalidInputError, InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, encodeNumbers, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { stateNumber, stateNumbers } from '../core/state.js';

/** Options of {@link TimeWeightedScaler}. */
export interface TimeWeightedScalerOptions {
  /** Number of series standardized together (integer in [1, 64]). */
  dimension: number;
  /** Half-life of the baselines, ms (> 0): over `dt` ms, old weights shrink by `2^(-dt / halfLifeMs)`. */
  halfLifeMs: number;
  /**
   * Once warm, a value joins its baseline winsorized to `mean +- winsorize * std` (> 0; `Infinity`: never).
   * @defaultValue 2
   */
  winsorize?: number;
  /**
   * Observed time (ms) before values are winsorized (before, the std is not yet known).
   * @defaultValue 0
   */
  warmupMs?: number;
}

/** State of a {@link TimeWeightedScaler}. */
export interface TimeWeightedScalerState extends OperatorState {
  readonly type: 'TimeWeightedScaler';
  readonly version: 1;
  /** dimension, halfLifeMs, winsorize, warmupMs (checked on restore). */
  readonly options: ReadonlyArray<number | string>;
  readonly lastTs: number | string;
  readonly observedMs: number | string;
  readonly mean: ReadonlyArray<number | string>;
  readonly variance: ReadonlyArray<number | string>;
  readonly weight: ReadonlyArray<number | string>;
  readonly held: ReadonlyArray<number | string>;
}

/**
 * Time-weighted exponentially weighted mean and variance of `dimension` series observed at irregular
 * events, and the z-score of each new value against them: the baseline a value is compared with is
 * what each series was **over time**, not over events, so a burst of events (a thousand quotes in two
 * seconds) weighs two seconds, not a thousand values.
 *
 * **Weights.** A value holds from its event until the next one; over that interval of `dt` ms it gets
 * the decayed time weight `w = integral_0^dt 2^(-u / H) du = (1 - 2^(-dt / H)) H / ln 2` (ms), while all
 * earlier weights shrink by `2^(-dt / H)` (`H` = `halfLifeMs`). With `W <- 2^(-dt / H) W + w` and
 * `a = w / W`, mean and variance follow the weighted incremental form of West (1979) as in Finch (2009,
 * "Incremental calculation of weighted mean and variance", University of Cambridge):
 * ```text
 * delta = x - mean,  mean <- mean + a delta,  var <- (1 - a) (var + a delta^2)
 * ```
 * so `mean` is the time average `sum w_i x_i / sum w_i` of the held values exactly. The first value
 * held sets `mean`; `var` starts at 0.
 *
 * **Winsorizing.** Once `warmupMs` of time has been observed (and the std is > 0), a value joins as
 * `clamp(x, mean - c std, mean + c std)` (`c` = `winsorize`; Tukey 1962, "The future of data analysis", sec. 14): an
 * episode far from the baseline still moves it, but no faster than a value `c` std away would, and it
 * inflates the variance little, so it stays visible for its whole length (a liquidity crisis of a
 * minute stays a crisis). Before `warmupMs` every value joins as it is (the std is not known yet).
 *
 * **update(ts, x, z)**: credit the values held since the last update, then write into `z[j]` (`z`
 * may be `x` itself) the z-score `(x[j] - mean_j) / std_j` against the baseline **before** `x[j]` joins it: NaN when `x[j]` is
 * not finite, nothing was held yet, or the std is 0. A non-finite `x[j]` holds nothing (its series has
 * no weight over the next interval). Equal time stamps: the later value replaces the earlier, which
 * held for 0 ms. Units: `x` in any units, `z` unitless. No allocation. A non-finite or decreasing `ts`
 * throws {@link InvalidInputError}.
 *
 * @example
 * ```ts
 * const s = new TimeWeightedScaler({ dimension: 1, halfLifeMs: 1e300, winsorize: Infinity });
 * const z = new Float64Array(1);
 * s.update(0, [1], z);    // z[0] NaN: nothing held yet
 * s.update(3000, [3], z); // 1 held 3 s: mean 1, std 0: z[0] NaN
 * s.update(4000, [9], z); // 3 held 1 s: mean (3*1 + 1*3) / 4 = 1.5, var 0.75: z[0] = 7.5 / 0.866 = 8.66
 * s.mean(0); // 1.5
 * ```
 */
export class TimeWeightedScaler {
  readonly dimension: number;
  readonly halfLifeMs: number;
  readonly winsorize: number;
  readonly warmupMs: number;
  private readonly decayRate: number; // ln 2 / H
  private readonly weightScale: number; // H / ln 2
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly w: Float64Array;
  private readonly held: Float64Array;
  private lastTsValue = NaN;
  private observed = 0;

  constructor(options: TimeWeightedScalerOptions) {
    checkOptionKeys('TimeWeightedScaler', options, ['dimension', 'halfLifeMs', 'winsorize', 'warmupMs']);
    this.dimension = integerOption('TimeWeightedScaler.dimension', options?.dimension, 1, 64);
    this.halfLifeMs = positiveOption('TimeWeightedScaler.halfLifeMs', options.halfLifeMs);
    const c = options.winsorize ?? 2;
    if (typeof c !== 'number' || !(c > 0)) throw new InvalidOptionError('TimeWeightedScaler.winsorize', c, 'a number > 0 (Infinity: never)');
    this.winsorize = c;
    this.warmupMs = nonNegativeOption('TimeWeightedScaler.warmupMs', options.warmupMs ?? 0);
    this.decayRate = Math.LN2 / this.halfLifeMs;
    this.weightScale = this.halfLifeMs / Math.LN2;
    const d = this.dimension;
    this.m = new Float64Array(d);
    this.v = new Float64Array(d);
    this.w = new Float64Array(d);
    this.held = new Float64Array(d).fill(NaN);
  }

  /** Credit the held values up to `ts`, then z-score `x` into `z` and hold `x` (see the class notes). */
  update(ts: number, x: ArrayLike<number>, z: Float64Array): void {
    if (!Number.isFinite(ts)) throw new InvalidInputError('TimeWeightedScaler.update ts', ts, 'a finite number of ms');
    if (ts < this.lastTsValue) throw new InvalidInputError('TimeWeightedScaler.update ts', ts, `>= the previous ts ${this.lastTsValue}`);
    const d = this.dimension;
    const m = this.m;
    const v = this.v;
    const w = this.w;
    const held = this.held;
    const dt = ts - this.lastTsValue;
    if (dt > 0) {
      const e = Math.expm1(-dt * this.decayRate); // 2^(-dt / H) - 1, exact for small dt / H
      const decay = 1 + e;
      const add = -e * this.weightScale;
      const winsorize = this.observed >= this.warmupMs;
      const c = this.winsorize;
      for (let j = 0; j < d; j++) {
        let y = held[j]!;
        const before = w[j]! * decay;
        if (!(y === y)) {
          w[j] = before;
          continue;
        }
        const total = before + add;
        w[j] = total;
        if (before === 0) {
          m[j] = y;
          v[j] = 0;
          continue;
        }
        if (winsorize && v[j]! > 0) {
          const lim = c * Math.sqrt(v[j]!);
          const lo = m[j]! - lim;
          const hi = m[j]! + lim;
          y = y < lo ? lo : y > hi ? hi : y;
        }
        const a = add / total;
        const delta = y - m[j]!;
        m[j] = m[j]! + a * delta;
        v[j] = (1 - a) * (v[j]! + a * delta * delta);
      }
      this.observed += dt;
    }
    for (let j = 0; j < d; j++) {
      const y = x[j]!;
      const sd = Math.sqrt(v[j]!);
      if (Number.isFinite(y)) {
        z[j] = w[j]! > 0 && sd > 0 ? (y - m[j]!) / sd : NaN;
        held[j] = y;
      } else {
        z[j] = NaN;
        held[j] = NaN;
      }
    }
    this.lastTsValue = ts;
  }

  /** The baseline mean of series `j` (NaN before its first held value has been credited). */
  mean(j: number): number {
    return this.w[j]! > 0 ? this.m[j]! : NaN;
  }

  /** The baseline standard deviation of series `j` (NaN before its first held value has been credited). */
  std(j: number): number {
    return this.w[j]! > 0 ? Math.sqrt(this.v[j]!) : NaN;
  }

  /** Time credited so far, ms (undecayed: from the first update to the last). */
  get observedMs(): number {
    return this.observed;
  }

  /** Whether `warmupMs` of time has been observed (values are then winsorized). */
  get warm(): boolean {
    return this.observed >= this.warmupMs;
  }

  /** `ts` of the last update (NaN before any). */
  get lastTs(): number {
    return this.lastTsValue;
  }

  reset(): void {
    this.m.fill(0);
    this.v.fill(0);
    this.w.fill(0);
    this.held.fill(NaN);
    this.lastTsValue = NaN;
    this.observed = 0;
  }

  private optionList(): Array<number | string> {
    return encodeNumbers([this.dimension, this.halfLifeMs, this.winsorize, this.warmupMs]);
  }

  snapshot(): TimeWeightedScalerState {
    return {
      type: 'TimeWeightedScaler',
      version: 1,
      options: this.optionList(),
      lastTs: encodeNumber(this.lastTsValue),
      observedMs: encodeNumber(this.observed),
      mean: encodeNumbers(this.m),
      variance: encodeNumbers(this.v),
      weight: encodeNumbers(this.w),
      held: encodeNumbers(this.held),
    };
  }

  restore(state: TimeWeightedScalerState): void {
    checkState(state, 'TimeWeightedScaler', 1);
    const op = 'TimeWeightedScaler';
    const options = stateNumbers(op, 'options', state.options, 4, 4);
    const own = [this.dimension, this.halfLifeMs, this.winsorize, this.warmupMs];
    if (options.some((x, i) => x !== own[i])) {
      throw new InvalidStateError(op, `state was taken with options ${describeValue(state.options)}, this scaler has ${describeValue(this.optionList())}`);
    }
    const d = this.dimension;
    const lastTs = stateNumber(op, 'lastTs', state.lastTs);
    const observed = stateNumber(op, 'observedMs', state.observedMs);
    const m = stateNumbers(op, 'mean', state.mean, d, d);
    const v = stateNumbers(op, 'variance', state.variance, d, d);
    const w = stateNumbers(op, 'weight', state.weight, d, d);
    const held = stateNumbers(op, 'held', state.held, d, d);
    this.lastTsValue = lastTs;
    this.observed = observed;
    this.m.set(m);
    this.v.set(v);
    this.w.set(w);
    this.held.set(held);
  }
}
