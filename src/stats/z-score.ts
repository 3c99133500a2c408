import { InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption } from '../core/options.js';
import { Ewma, type EwmaOptions, type EwmaState } from './ewma.js';
import { RollingStats, type RollingStatsState } from './rolling-stats.js';
import { TimeRollingStats, type TimeRollingStatsState } from './time-rolling-stats.js';

/**
 * Options of {@link ZScore}. Give exactly one baseline: `alpha`, `halfLife` or `halfLifeMs` for an
 * {@link Ewma} baseline, `window` for a {@link RollingStats} baseline, `windowMs` for a
 * {@link TimeRollingStats} baseline.
 */
export interface ZScoreOptions {
  /** EWMA baseline with this smoothing factor per event, in (0, 1]. */
  alpha?: number;
  /** EWMA baseline with this half-life in events. */
  halfLife?: number;
  /** EWMA baseline with this half-life in ms (then `update(x, ts)` needs `ts`). */
  halfLifeMs?: number;
  /** Rolling baseline over the last `window` values (sample std, ddof = 1). */
  window?: number;
  /** Rolling baseline over the last `windowMs` ms (sample std, ddof = 1; `update(x, ts)` needs `ts`). */
  windowMs?: number;
  /** EWMA baselines only: {@link EwmaOptions.adjust}. */
  adjust?: boolean;
  /** Score `x` against a baseline that already includes it (`true`) or against the baseline before it (`false`). */
  includeCurrent?: boolean;
  /** Values the baseline must hold before a score is returned. Integer >= 1. */
  minSamples?: number;
}

/** Defaults of the optional {@link ZScoreOptions} (the baseline has none: give one). */
export const DEFAULT_Z_SCORE_OPTIONS: Readonly<{ adjust: boolean; includeCurrent: boolean; minSamples: number }> =
  Object.freeze({
    /** @defaultValue true */
    adjust: true,
    /** @defaultValue false */
    includeCurrent: false,
    /** @defaultValue 2 (the fewest values with a non-zero spread) */
    minSamples: 2,
  });

/** State of a {@link ZScore}: its baseline's state. */
export interface ZScoreState extends OperatorState {
  readonly type: 'ZScore';
  readonly version: 1;
  readonly baseline: EwmaState | RollingStatsState | TimeRollingStatsState;
}

const BASELINE_KEYS = ['alpha', 'halfLife', 'halfLifeMs', 'window', 'windowMs'] as const;

/**
 * Streaming z-score: how many standard deviations a value lies from a moving baseline,
 * ```text
 * z = (x - mean) / std
 * ```
 * with `mean` and `std` from an exponentially weighted baseline ({@link Ewma}: weighted mean and the
 * square root of its weighted, `bias=True` variance) or a rolling one ({@link RollingStats} /
 * {@link TimeRollingStats}: window mean and sample std, ddof = 1).
 *
 * **Order.** By default (`includeCurrent: false`) `x` is scored against the baseline *before* it is added,
 * then added: an outlier does not dampen its own score (with a time window, the window is first moved to
 * `ts`). With `includeCurrent: true` `x` is added first, as in `(x - rolling_mean) / rolling_std` over a
 * window ending at `x` (pandas style).
 *
 * **Warm-up, range.** Unitless, any real. NaN until the baseline holds `minSamples` values (default 2), and
 * whenever the baseline's `std` is 0 (a constant history) or NaN. The first value therefore scores NaN.
 *
 * **Bad input.** A non-finite `x` scores NaN and is skipped by the baseline (counted in `skipped`). Time
 * baselines need a finite, non-decreasing `ts` (else the baseline throws
 * `InvalidInputError`).
 *
 * @example
 * ```ts
 * const z = new ZScore({ window: 3 });
 * [1, 2, 3, 10].map((x) => z.update(x)); // [NaN, NaN, 2.1213203435596424, 8]
 * // 3 against {1, 2}: (3 - 1.5) / sqrt(0.5); 10 against {1, 2, 3}: (10 - 2) / 1
 * ```
 */
export class ZScore implements Operator<number, number, ZScoreState> {
  private readonly kind: 0 | 1 | 2;
  private readonly ewma: Ewma | null = null;
  private readonly rolling: RollingStats | null = null;
  private readonly timeRolling: TimeRollingStats | null = null;
  private readonly includeCurrent: boolean;
  private readonly minSamples: number;

  constructor(options: ZScoreOptions) {
    checkOptionKeys('ZScore', options, [...BASELINE_KEYS, 'adjust', 'includeCurrent', 'minSamples']);
    if (options === undefined || options === null) {
      throw new InvalidOptionError('ZScore options', options, `an object with exactly one of ${BASELINE_KEYS.join(', ')}`);
    }
    const given = BASELINE_KEYS.filter((k) => options[k] !== undefined);
    if (given.length !== 1) {
      throw new InvalidOptionError(
        'ZScore options',
        options,
        `exactly one of ${BASELINE_KEYS.join(', ')} (got ${given.length === 0 ? 'none' : given.join(', ')})`,
      );
    }
    const includeCurrent = options.includeCurrent ?? DEFAULT_Z_SCORE_OPTIONS.includeCurrent;
    if (typeof includeCurrent !== 'boolean') throw new InvalidOptionError('ZScore.includeCurrent', includeCurrent, 'a boolean');
    this.includeCurrent = includeCurrent;
    this.minSamples = integerOption('ZScore.minSamples', options.minSamples ?? DEFAULT_Z_SCORE_OPTIONS.minSamples, 1);

    if (options.window !== undefined || options.windowMs !== undefined) {
      if (options.adjust !== undefined) {
        throw new InvalidOptionError('ZScore.adjust', options.adjust, 'given only with an EWMA baseline (alpha, halfLife or halfLifeMs)');
      }
      if (options.window !== undefined) {
        this.kind = 1;
        this.rolling = new RollingStats({ window: options.window, minSamples: 1 });
      } else {
        this.kind = 2;
        this.timeRolling = new TimeRollingStats({ windowMs: options.windowMs!, minSamples: 1 });
      }
    } else {
      this.kind = 0;
      const ewmaOptions: EwmaOptions = { adjust: options.adjust ?? DEFAULT_Z_SCORE_OPTIONS.adjust, minSamples: 1 };
      if (options.alpha !== undefined) ewmaOptions.alpha = options.alpha;
      if (options.halfLife !== undefined) ewmaOptions.halfLife = options.halfLife;
      if (options.halfLifeMs !== undefined) ewmaOptions.halfLifeMs = options.halfLifeMs;
      this.ewma = new Ewma(ewmaOptions);
    }
  }

  /**
   * Score `x` against the baseline and add it; returns the z-score (NaN during warm-up or when the
   * baseline's std is 0).
   * @param ts time stamp in ms: required with `halfLifeMs` and `windowMs`, ignored otherwise
   */
  update(x: number, ts?: number): number {
    if (this.includeCurrent) {
      this.add(x, ts);
      return this.score(x);
    }
    if (this.kind === 2) this.timeRolling!.advance(ts as number);
    const z = this.score(x);
    this.add(x, ts);
    return z;
  }

  private add(x: number, ts: number | undefined): void {
    if (this.kind === 0) this.ewma!.update(x, ts);
    else if (this.kind === 1) this.rolling!.update(x);
    else this.timeRolling!.update(x, ts as number);
  }

  private score(x: number): number {
    if (this.count < this.minSamples || !Number.isFinite(x)) return NaN;
    const sd = this.std;
    return sd > 0 ? (x - this.mean) / sd : NaN;
  }

  /** The baseline's mean now (NaN when empty). */
  get mean(): number {
    return this.kind === 0 ? this.ewma!.mean : this.kind === 1 ? this.rolling!.mean : this.timeRolling!.mean;
  }

  /** The baseline's standard deviation now (EWMA: weighted, bias=True; rolling: sample). */
  get std(): number {
    return this.kind === 0 ? this.ewma!.std : this.kind === 1 ? this.rolling!.std : this.timeRolling!.std;
  }

  /** Values in the baseline (EWMA: all finite values seen; rolling: values in the window). */
  get count(): number {
    return this.kind === 0 ? this.ewma!.count : this.kind === 1 ? this.rolling!.count : this.timeRolling!.count;
  }

  /** Non-finite values skipped by the baseline. */
  get skipped(): number {
    return this.kind === 0 ? this.ewma!.skipped : this.kind === 1 ? this.rolling!.skipped : this.timeRolling!.skipped;
  }

  /** With a time baseline: the `ts` of the last update (NaN before any, and for event baselines). */
  get lastTs(): number {
    return this.kind === 0 ? this.ewma!.lastTs : this.kind === 2 ? this.timeRolling!.lastTs : NaN;
  }

  reset(): void {
    if (this.kind === 0) this.ewma!.reset();
    else if (this.kind === 1) this.rolling!.reset();
    else this.timeRolling!.reset();
  }

  snapshot(): ZScoreState {
    const baseline = this.kind === 0 ? this.ewma!.snapshot() : this.kind === 1 ? this.rolling!.snapshot() : this.timeRolling!.snapshot();
    return { type: 'ZScore', version: 1, baseline };
  }

  restore(state: ZScoreState): void {
    checkState(state, 'ZScore', 1);
    const b = (state as { baseline?: unknown }).baseline;
    if (b === null || typeof b !== 'object') {
      throw new InvalidStateError('ZScore', `field "baseline" must be a state object; got ${typeof b}`);
    }
    if (this.kind === 0) this.ewma!.restore(b as EwmaState);
    else if (this.kind === 1) this.rolling!.restore(b as RollingStatsState);
    else this.timeRolling!.restore(b as TimeRollingStatsState);
  }
}
