import { kmeans } from 'ml-kmeans';
import { describeValue, InvalidInputError, InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption, oneOfOption, positiveOption } from '../core/options.js';
import { Random, type RandomState } from '../core/random.js';
import { minCostAssignment } from './assignment.js';
import { fitCentroids, type KmeansFunction } from './fit-centroids.js';
import { TimeWeightedScaler, type TimeWeightedScalerState } from './time-weighted-scaler.js';

/** The features a {@link RegimeClassifier} can use, in the order they enter the vector. */
export type RegimeFeature = 'volatility' | 'spread' | 'ofi' | 'depth' | 'messageRate' | 'vpin';

/** Every {@link RegimeFeature}, in canonical order. */
export const REGIME_FEATURES: readonly RegimeFeature[] = Object.freeze(['volatility', 'spread', 'ofi', 'depth', 'messageRate', 'vpin']);

/**
 * One event's input to {@link RegimeClassifier.update}. An engine's `FeatureFrame` has every field but
 * `vpin`, so a frame can be passed as it is.
 */
export interface RegimeInput {
  /** Time, ms (finite, non-decreasing). */
  readonly ts: number;
  /** Mid price (price units); non-finite or <= 0: no return this event. */
  readonly mid: number;
  /** Best ask - best bid (price units); not finite: left out of the spread window this event. */
  readonly spread: number;
  /** Order-flow imbalance of this event (shares), e.g. Cont-Kukanov-Stoikov e_n; NaN counts as 0. */
  readonly ofi: number;
  /** Bid depth (shares) over the levels the caller sums. */
  readonly bidDepth: number;
  /** Ask depth (shares). */
  readonly askDepth: number;
  /** VPIN in [0, 1], when the `vpin` feature is used (NaN or absent while VPIN warms up). */
  readonly vpin?: number;
}

/** Options of {@link RegimeClassifier}. */
export interface RegimeClassifierOptions {
  /** Number of regimes (clusters), integer in [2, 16]. */
  k?: number;
  /** Regime names, `k` distinct strings. Default: Calm, Stressed, Manipulation for k = 3, else `Regime 1..k`. */
  names?: readonly string[];
  /** Features used, distinct, in this order. */
  features?: readonly RegimeFeature[];
  /**
   * A profile per name (k rows of one weight per feature, in `features` order, standardized units): where
   * each regime lies relative to the baseline. They seed the K-means of every training
   * (`initialization: 'profiles'`) or name the centroids of the first one (`'kmeans++'`; see the class
   * notes). Default: {@link DEFAULT_REGIME_PROFILES} for the three default names, else the stress ordering.
   */
  profiles?: ReadonlyArray<ReadonlyArray<number>>;
  /**
   * `'profiles'`: every training runs K-means from the profiles (`PROFILE_SEED_SCALE x profile`), so
   * centroid i is regime i by construction; `'kmeans++'`: `restarts` runs from k-means++ seeds, the
   * least inertia kept, then named by `naming`.
   */
  initialization?: 'profiles' | 'kmeans++';
  /**
   * With `initialization: 'kmeans++'`: `'first'`: names are given by the profiles at the first training
   * and kept by matching new centroids to the old after (stable labels); `'every'`: every training names
   * its centroids by the profiles afresh.
   */
  naming?: 'first' | 'every';
  /** Half-life (ms) of the decayed windows of the market-state features: volatility, spread, OFI, depth. */
  featureHalfLifeMs?: number;
  /** Half-life (ms) of the short window of the message rate (the `messageRate` numerator). */
  messageHalfLifeMs?: number;
  /** Half-life (ms) of the long window of the message rate, the activity it is relative to (the denominator). */
  activityHalfLifeMs?: number;
  /** Half-life (ms) of the time-weighted baselines (mean and variance) that standardize each feature. */
  scalerHalfLifeMs?: number;
  /** Once warm, a value joins its baseline winsorized to mean +- `winsorize` std (> 0, `Infinity`: never). */
  winsorize?: number;
  /** Events before points are standardized (integer >= 2); see also `warmupMs`. */
  warmup?: number;
  /** Time (ms) of baseline history before points are standardized; both `warmup` and `warmupMs` must pass. */
  warmupMs?: number;
  /** Standardized values are clipped to [-clip, clip]. */
  clip?: number;
  /** Then shrunk towards 0 by this much (soft threshold, in [0, clip)): `sign(z) max(|z| - deadZone, 0)`. */
  deadZone?: number;
  /** Standardized points needed before the first training (integer >= k). */
  minTrainPoints?: number;
  /** Points between trainings (integer >= 1). */
  retrainEvery?: number;
  /** Capacity of the training sample, in points (integer >= k). */
  trainingWindow?: number;
  /**
   * `'reservoir'`: a uniform random sample of every point since the start (Vitter's Algorithm R), so
   * rare regimes stay represented; `'recent'`: the last `trainingWindow` points.
   */
  sampling?: 'reservoir' | 'recent';
  /**
   * `'auto'`: `update` trains in-thread when due, after classifying its point; `'manual'`: `update` never
   * trains; the host calls {@link RegimeClassifier.train} between events, or a worker trainer
   * (`WorkerRegimeTrainer` from `microstructure/node`) fits off-thread.
   */
  schedule?: 'auto' | 'manual';
  /** With `initialization: 'kmeans++'`: K-means runs per training (k-means++ seeds `seed + j`), the least inertia kept. */
  restarts?: number;
  /** Lloyd iterations per run, at most. */
  maxIterations?: number;
  /** Seed of the reservoir sampling and of the k-means++ initialisation (integer). */
  seed?: number;
}

/** Defaults of {@link RegimeClassifierOptions}. */
export const DEFAULT_REGIME_CLASSIFIER_OPTIONS: Readonly<{
  k: number;
  names: readonly string[];
  features: readonly RegimeFeature[];
  initialization: 'profiles' | 'kmeans++';
  naming: 'first' | 'every';
  featureHalfLifeMs: number;
  messageHalfLifeMs: number;
  activityHalfLifeMs: number;
  scalerHalfLifeMs: number;
  winsorize: number;
  warmup: number;
  warmupMs: number;
  clip: number;
  deadZone: number;
  minTrainPoints: number;
  retrainEvery: number;
  trainingWindow: number;
  sampling: 'reservoir' | 'recent';
  schedule: 'auto' | 'manual';
  restarts: number;
  maxIterations: number;
  seed: number;
}> = Object.freeze({
  /** @defaultValue 3 */
  k: 3,
  /** @defaultValue ['Calm', 'Stressed', 'Manipulation'] */
  names: Object.freeze(['Calm', 'Stressed', 'Manipulation']),
  /** @defaultValue ['volatility', 'spread', 'depth', 'messageRate'] */
  features: Object.freeze(['volatility', 'spread', 'depth', 'messageRate'] as RegimeFeature[]),
  /** @defaultValue 'profiles' */
  initialization: 'profiles',
  /** @defaultValue 'first' */
  naming: 'first',
  /** @defaultValue 4000 */
  featureHalfLifeMs: 4000,
  /** @defaultValue 250 */
  messageHalfLifeMs: 250,
  /** @defaultValue 30000 */
  activityHalfLifeMs: 30_000,
  /** @defaultValue 300000 */
  scalerHalfLifeMs: 300_000,
  /** @defaultValue 2 */
  winsorize: 2,
  /** @defaultValue 200 */
  warmup: 200,
  /** @defaultValue 30000 */
  warmupMs: 30_000,
  /** @defaultValue 5 */
  clip: 5,
  /** @defaultValue 1 */
  deadZone: 1,
  /** @defaultValue 2000 */
  minTrainPoints: 2000,
  /** @defaultValue 5000 */
  retrainEvery: 5000,
  /** @defaultValue 4096 */
  trainingWindow: 4096,
  /** @defaultValue 'reservoir' */
  sampling: 'reservoir',
  /** @defaultValue 'auto' */
  schedule: 'auto',
  /** @defaultValue 3 */
  restarts: 3,
  /** @defaultValue 100 */
  maxIterations: 100,
  /** @defaultValue 1 */
  seed: 1,
});

/**
 * Weights of the stress score `sum_f w_f z_f` of a standardized point (or centroid) `z`, per feature:
 * volatility, spread, OFI imbalance, message rate and VPIN raise stress, depth lowers it.
 */
export const REGIME_STRESS_WEIGHTS: Readonly<Record<RegimeFeature, number>> = Object.freeze({
  volatility: 1,
  spread: 1,
  ofi: 1,
  depth: -1,
  messageRate: 1,
  vpin: 1,
});

/**
 * The profiles of the default names (per feature, standardized units: beyond the baseline's dead zone):
 * - Calm: at the baseline;
 * - Stressed (a price dislocation: flash crash, liquidity crisis): high volatility, wide spread, thin
 *   book, toxic flow (VPIN);
 * - Manipulation (an order-traffic anomaly: spoofing, layering, quote stuffing): a burst of messages,
 *   one-sided order flow, a deep (layered) book, at ordinary volatility and spread.
 */
export const DEFAULT_REGIME_PROFILES: Readonly<Record<string, Readonly<Record<RegimeFeature, number>>>> = Object.freeze({
  Calm: Object.freeze({ volatility: 0, spread: 0, ofi: 0, depth: 0, messageRate: 0, vpin: 0 }),
  Stressed: Object.freeze({ volatility: 1, spread: 1, ofi: 0, depth: -1, messageRate: 0, vpin: 1 }),
  Manipulation: Object.freeze({ volatility: 0, spread: 0, ofi: 1, depth: 1, messageRate: 1, vpin: 0 }),
});

/** With `initialization: 'profiles'`, the K-means of a training starts from `PROFILE_SEED_SCALE x profile_i`. */
export const PROFILE_SEED_SCALE = 2;

/** State of a {@link RegimeClassifier}: the features' windows, the scalers, the training sample and the centroids. */
export interface RegimeClassifierState extends OperatorState {
  readonly type: 'RegimeClassifier';
  readonly version: 2;
  /** The options that shape the state (checked on restore). */
  readonly options: string;
  readonly count: number;
  readonly imputed: number;
  /**
   * lastTs, firstTs, prevMid, decayed sum of squared returns, decayed event count, spread window (mean,
   * weight), depth window (mean, weight), decayed net and gross OFI, message and activity counts and their
   * decays since the first event.
   */
  readonly windows: ReadonlyArray<number | string>;
  readonly scaler: TimeWeightedScalerState;
  readonly sample: { readonly stored: number; readonly seen: number; readonly head: number; readonly points: ReadonlyArray<number | string> };
  readonly random: RandomState;
  /** k x d centroids, row-major, or null before the first training. */
  readonly centroids: ReadonlyArray<number | string> | null;
  /** trainings, skipped trainings, jobs started, points since the last job. */
  readonly counters: readonly [number, number, number, number];
  readonly regime: number;
  readonly distance: number | string;
  readonly point: ReadonlyArray<number | string>;
  readonly raw: ReadonlyArray<number | string>;
}

const OPTION_KEYS = [
  'k', 'names', 'features', 'profiles', 'initialization', 'naming', 'featureHalfLifeMs', 'messageHalfLifeMs', 'activityHalfLifeMs',
  'scalerHalfLifeMs', 'winsorize', 'warmup', 'warmupMs', 'clip', 'deadZone', 'minTrainPoints', 'retrainEvery', 'trainingWindow',
  'sampling', 'schedule', 'restarts', 'maxIterations', 'seed',
] as const;

const FEATURE_CODE: Readonly<Record<RegimeFeature, number>> = { volatility: 0, spread: 1, ofi: 2, depth: 3, messageRate: 4, vpin: 5 };

/** Features standardized on a log scale (positive, multiplicative); the others (bounded ratios) as they are. */
const LOG_SCALE: readonly boolean[] = [true, true, false, true, true, false];

const WINDOWS = 15;

/** A training job handed to an off-thread trainer by {@link RegimeClassifier.takeTrainingJob}. */
export interface RegimeTrainingJob {
  /** Points copied into the target, row-major `n x dimension`. */
  n: number;
  /** Seed of the k-means++ initialisation of this job. */
  seed: number;
  /** The starting centroids (k x d, row-major) with `initialization: 'profiles'`, else null (k-means++). */
  initial: number[] | null;
}

/**
 * Market-regime classifier: per event, a vector of market-state features, each standardized against
 * its own time-weighted baseline, classified to the nearest of `k` K-means centroids that are refitted
 * now and then off the hot path.
 *
 * **Features** (per event; `dt` ms since the last event; a window of half-life `H` decays by
 * `f_H = 2^(-dt / H)`; `H` = `featureHalfLifeMs` unless said otherwise). Each is built so that the
 * market's ordinary swings in activity (how many events a second) do not move it:
 * - `volatility`: realized volatility **per event**, `sqrt(RV / N)`, `RV <- f RV + r^2`, `N <- f N + 1`,
 *   `r = ln(mid / previous mid)` (log-return units): volatility in event time, which does not rise just
 *   because more events arrive (Clark 1973; Ane & Geman 2000);
 * - `spread`: the spread averaged over the window (EWMA, each event weight 1, weights decaying in time);
 * - `ofi`: the net-to-gross order-flow imbalance `|O| / A`, `O <- f O + e_n`, `A <- f A + |e_n|`, in
 *   [0, 1]: 1 when all flow in the window is one-sided (Cont, Kukanov & Stoikov 2014 aggregate e_n over
 *   intervals);
 * - `depth`: `bidDepth + askDepth` averaged over the window (EWMA);
 * - `messageRate`: the **relative** message rate, events per second over a short window
 *   (`messageHalfLifeMs`) over events per second over a long one (`activityHalfLifeMs`), each count
 *   `N_H <- f_H N_H + 1` turned into a rate by its expectation at a constant rate, `rate_H = N_H ln 2 /
 *   (H (1 - 2^(-T / H)))` (T: time since the first event): a burst of messages (quote stuffing) against
 *   the market's current activity; NaN at the first event;
 * - `vpin`: the VPIN given with the event (Easley, Lopez de Prado & O'Hara 2012), when selected.
 *
 * **Standardization.** Volatility, spread, depth and the message rate are taken on a log scale
 * (multiplicative quantities: a halving and a doubling are equally far), OFI and VPIN as they are; each
 * is z-scored against its own baseline by a {@link TimeWeightedScaler} (half-life `scalerHalfLifeMs`):
 * the baseline is what the feature was over time, not over events, so a burst of events does not
 * become the norm; values join it winsorized at `winsorize` std once warm, so an episode does not
 * inflate the std that measures it. `z = (x - mean) / std` against the baseline before `x` joins it,
 * clipped to `[-clip, clip]`, then shrunk by the dead zone: `z' = sign(z) max(|z| - deadZone, 0)` (soft
 * thresholding, Donoho & Johnstone 1994): ordinary fluctuations within `deadZone` std of the baseline
 * all map to 0, so ordinary trading is one tight cluster at the origin and the other clusters are
 * left to departures from it. A value that cannot be standardized (not finite, not > 0 on a log scale,
 * no std yet) gives `z' = 0`, the baseline, and is counted in `imputed`.
 *
 * **Classification** (hot path, O(k d), no allocation): the regime is the index of the nearest centroid
 * in squared Euclidean distance; `update` returns it, {@link label} names it.
 *
 * **Training.** Warm points enter a training sample of `trainingWindow` points (`sampling`). Once it
 * holds `minTrainPoints`, and then every `retrainEvery` points, a training is due: K-means
 * (`ml-kmeans`) over the sample. With `initialization: 'profiles'` (default) it starts from the
 * profiles, centroid i at `PROFILE_SEED_SCALE x profile_i` (seeded K-means, Basu, Banerjee & Mooney
 * 2002): Calm at the origin, Stressed towards high volatility and spread and a thin book, Manipulation
 * towards a message burst and a deep book. Lloyd iterations then move each to the mean of the points
 * nearest it; centroid i stays regime i (named by name i), at every training, so labels are stable by
 * construction, and a regime the sample has not shown yet keeps its seed (a first model trained on
 * calm trading alone still keeps nearly all of it in Calm). With `'kmeans++'`,
 * `restarts` runs from k-means++ seeds (seeded by `seed`), the least inertia kept, named by the
 * profiles at the first training and matched to the old centroids after (see `naming`).
 * With `schedule: 'auto'` the training runs inside the `update` that makes it due, after that point is
 * classified (that one call then costs a fit: amortised O(window * k * d * iterations / retrainEvery));
 * with `'manual'` the host runs {@link train} between events or hands {@link takeTrainingJob} to a
 * worker and applies the result with {@link applyFit}. New centroids replace the old in one reference
 * swap.
 *
 * **Names** (`'kmeans++'`). At the first training (every training with `naming: 'every'`; and on
 * {@link rename}), names go to centroids by maximising `sum_name profile_name . centroid` over all
 * assignments; after, new centroids are matched to the old by minimal total squared distance (Hungarian
 * method, {@link minCostAssignment}). With the default names the profiles are
 * {@link DEFAULT_REGIME_PROFILES}; otherwise the profile of the i-th name is `(i - (k - 1) / 2) w`, with
 * `w` = {@link REGIME_STRESS_WEIGHTS}: that assignment orders the centroids by the stress score `w . c`
 * (rearrangement inequality), the first name the least stressed. {@link applyCentroids} names and
 * matches centroids fitted elsewhere the same way, in both modes.
 *
 * **Warm-up.** Points are standardized from the event at which `warmup` events and `warmupMs` ms (since
 * the first event) have passed; `update` returns -1 ("unknown", {@link label} `'unknown'`,
 * {@link distance} NaN) until the first training: with `'auto'`, for `minTrainPoints` points after that.
 * **Bad input.** A non-finite or decreasing `ts` throws {@link InvalidInputError}.
 *
 * Not a model of manipulation: a cluster named Manipulation is the one grown from (or fitting) its
 * profile; check it against labelled data (see {@link scoreRegimes}).
 *
 * @example
 * ```ts
 * const clf = new RegimeClassifier({ features: ['spread', 'depth'], featureHalfLifeMs: 1, warmup: 4, warmupMs: 0, minTrainPoints: 6 });
 * const spreads = [1, 1, 2, 1, 1, 1, 8, 1, 1, 8, 1, 1, 8, 1];
 * const depths = [900, 1000, 950, 1000, 3000, 1000, 200, 1000, 3000, 200, 1000, 3000, 250, 1000];
 * spreads.map((spread, i) => clf.update({ ts: i * 100, mid: 100, spread, ofi: 0, bidDepth: depths[i] / 2, askDepth: depths[i] / 2 }));
 * // [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 2, 1, 0]: 4 warm-up events + 6 points, trained on the 10th;
 * // then (1, 1000) Calm, (1, 3000) Manipulation (deep book), (8, 250) Stressed (wide and thin), Calm
 * clf.label; // 'Calm'
 * // an engine's FeatureFrame is a RegimeInput: clf.update(frame)
 * ```
 */
export class RegimeClassifier implements Operator<RegimeInput, number, RegimeClassifierState> {
  /** Number of regimes. */
  readonly k: number;
  /** Feature-vector dimension. */
  readonly dimension: number;
  /** Regime names, index = regime. */
  readonly names: readonly string[];
  /** Features, in vector order. */
  readonly features: readonly RegimeFeature[];
  /** How each training starts: from the profiles, or k-means++. */
  readonly initialization: 'profiles' | 'kmeans++';
  /** Whether `update` trains by itself (`'auto'`). */
  readonly schedule: 'auto' | 'manual';
  /** Capacity of the training sample (points). */
  readonly trainingWindow: number;
  /** K-means runs per training (`'kmeans++'`; 1 with `'profiles'`). */
  readonly restarts: number;
  /** Lloyd iterations per run, at most. */
  readonly maxIterations: number;

  private readonly codes: Int8Array;
  private readonly logScale: Uint8Array;
  private readonly profiles: Float64Array; // k x d
  private readonly seeds: number[] | null; // k x d starting centroids ('profiles')
  private readonly featureRate: number; // ln 2 / featureHalfLifeMs
  private readonly messageRate: number; // ln 2 / messageHalfLifeMs
  private readonly activityRate: number; // ln 2 / activityHalfLifeMs
  private readonly warmup: number;
  private readonly warmupMs: number;
  private readonly clip: number;
  private readonly deadZone: number;
  private readonly minTrainPoints: number;
  private readonly retrainEvery: number;
  private readonly capacity: number;
  private readonly recent: boolean;
  private readonly renameEvery: boolean;
  private readonly seed: number;
  private readonly stateOptions: string;
  private readonly kmeansFn: KmeansFunction;

  private readonly scaler: TimeWeightedScaler;
  private readonly random: Random;
  private readonly raw: Float64Array;
  private readonly y: Float64Array;
  private readonly z: Float64Array;
  private readonly sample: Float64Array;
  private readonly cost: Float64Array;
  private centroids: Float64Array;
  private spare: Float64Array;

  private n = 0;
  private nImputed = 0;
  // windows
  private lastTsValue = NaN;
  private firstTs = NaN;
  private prevMid = NaN;
  private rv = 0;
  private events = 0;
  private spreadMean = 0;
  private spreadWeight = 0;
  private depthMean = 0;
  private depthWeight = 0;
  private ofiNet = 0;
  private ofiGross = 0;
  private msgCount = 0;
  private actCount = 0;
  private msgDecay = 1; // 2^(-T / messageHalfLifeMs)
  private actDecay = 1; // 2^(-T / activityHalfLifeMs)
  // sample and model
  private stored = 0;
  private seen = 0;
  private head = 0;
  private trained = false;
  private nTrainings = 0;
  private nSkipped = 0;
  private jobs = 0;
  private since = 0;
  private regimeValue = -1;
  private distanceValue = NaN;

  constructor(options: RegimeClassifierOptions = {}) {
    checkOptionKeys('RegimeClassifier', options, OPTION_KEYS);
    const D = DEFAULT_REGIME_CLASSIFIER_OPTIONS;
    const k = integerOption('RegimeClassifier.k', options.k ?? D.k, 2, 16);
    this.k = k;
    const givenFeatures: unknown = options.features ?? D.features;
    if (!Array.isArray(givenFeatures) || givenFeatures.length === 0) {
      throw new InvalidOptionError('RegimeClassifier.features', givenFeatures, `a non-empty array of ${REGIME_FEATURES.join(', ')}`);
    }
    const features = givenFeatures as readonly RegimeFeature[];
    const codes = new Int8Array(features.length);
    const logScale = new Uint8Array(features.length);
    features.forEach((f, j) => {
      if (!(REGIME_FEATURES as readonly unknown[]).includes(f) || features.indexOf(f) !== j) {
        throw new InvalidOptionError(`RegimeClassifier.features[${j}]`, f, `a distinct one of ${REGIME_FEATURES.join(', ')}`);
      }
      codes[j] = FEATURE_CODE[f];
      logScale[j] = LOG_SCALE[FEATURE_CODE[f]] ? 1 : 0;
    });
    this.features = Object.freeze(features.slice());
    this.codes = codes;
    this.logScale = logScale;
    const d = features.length;
    this.dimension = d;

    const defaultNames = k === 3 ? D.names : Array.from({ length: k }, (_, i) => `Regime ${i + 1}`);
    const names = options.names ?? defaultNames;
    if (!Array.isArray(names) || names.length !== k || names.some((x) => typeof x !== 'string') || new Set(names).size !== k) {
      throw new InvalidOptionError('RegimeClassifier.names', names, `${k} distinct strings`);
    }
    if (names.includes('unknown')) throw new InvalidOptionError('RegimeClassifier.names', names, `names other than "unknown" (the warm-up label)`);
    this.names = Object.freeze(names.slice());

    this.profiles = new Float64Array(k * d);
    if (options.profiles !== undefined) {
      const p = options.profiles;
      if (!Array.isArray(p) || p.length !== k) throw new InvalidOptionError('RegimeClassifier.profiles', p, `${k} rows of ${d} finite numbers`);
      p.forEach((row, i) => {
        if (!Array.isArray(row) || row.length !== d || row.some((x) => !Number.isFinite(x))) {
          throw new InvalidOptionError(`RegimeClassifier.profiles[${i}]`, row, `${d} finite numbers (one per feature)`);
        }
        for (let j = 0; j < d; j++) this.profiles[i * d + j] = row[j] as number;
      });
    } else {
      const useDefault = this.names.every((name) => Object.prototype.hasOwnProperty.call(DEFAULT_REGIME_PROFILES, name));
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < d; j++) {
          const f = features[j]!;
          this.profiles[i * d + j] = useDefault ? DEFAULT_REGIME_PROFILES[this.names[i]!]![f] : (i - (k - 1) / 2) * REGIME_STRESS_WEIGHTS[f];
        }
      }
    }
    this.initialization = oneOfOption('RegimeClassifier.initialization', options.initialization ?? D.initialization, ['profiles', 'kmeans++']);
    if (this.initialization === 'profiles') {
      for (let a = 0; a < k; a++) {
        for (let b = a + 1; b < k; b++) {
          let same = true;
          for (let j = 0; j < d; j++) if (this.profiles[a * d + j] !== this.profiles[b * d + j]) same = false;
          if (same) {
            throw new InvalidOptionError(
              'RegimeClassifier.profiles',
              Array.from(this.profiles),
              `distinct rows with initialization 'profiles' (the profiles of ${this.names[a]} and ${this.names[b]} are equal over the features used: give profiles, or initialization 'kmeans++')`,
            );
          }
        }
      }
      this.seeds = Array.from(this.profiles, (x) => PROFILE_SEED_SCALE * x);
    } else {
      this.seeds = null;
    }

    const featureHalfLifeMs = positiveOption('RegimeClassifier.featureHalfLifeMs', options.featureHalfLifeMs ?? D.featureHalfLifeMs);
    const messageHalfLifeMs = positiveOption('RegimeClassifier.messageHalfLifeMs', options.messageHalfLifeMs ?? D.messageHalfLifeMs);
    const activityHalfLifeMs = positiveOption('RegimeClassifier.activityHalfLifeMs', options.activityHalfLifeMs ?? D.activityHalfLifeMs);
    this.featureRate = Math.LN2 / featureHalfLifeMs;
    this.messageRate = Math.LN2 / messageHalfLifeMs;
    this.activityRate = Math.LN2 / activityHalfLifeMs;
    const scalerHalfLifeMs = positiveOption('RegimeClassifier.scalerHalfLifeMs', options.scalerHalfLifeMs ?? D.scalerHalfLifeMs);
    const winsorize = options.winsorize ?? D.winsorize;
    if (typeof winsorize !== 'number' || !(winsorize > 0)) throw new InvalidOptionError('RegimeClassifier.winsorize', winsorize, 'a number > 0 (Infinity: never)');
    this.warmup = integerOption('RegimeClassifier.warmup', options.warmup ?? D.warmup, 2);
    this.warmupMs = nonNegativeOption('RegimeClassifier.warmupMs', options.warmupMs ?? D.warmupMs);
    this.clip = positiveOption('RegimeClassifier.clip', options.clip ?? D.clip);
    this.deadZone = nonNegativeOption('RegimeClassifier.deadZone', options.deadZone ?? D.deadZone);
    if (this.deadZone >= this.clip) throw new InvalidOptionError('RegimeClassifier.deadZone', this.deadZone, `< clip (${this.clip})`);
    this.minTrainPoints = integerOption('RegimeClassifier.minTrainPoints', options.minTrainPoints ?? D.minTrainPoints, k);
    this.retrainEvery = integerOption('RegimeClassifier.retrainEvery', options.retrainEvery ?? D.retrainEvery, 1);
    this.capacity = integerOption('RegimeClassifier.trainingWindow', options.trainingWindow ?? D.trainingWindow, k);
    this.trainingWindow = this.capacity;
    if (this.minTrainPoints > this.capacity) {
      throw new InvalidOptionError('RegimeClassifier.minTrainPoints', this.minTrainPoints, `<= trainingWindow (${this.capacity})`);
    }
    this.recent = oneOfOption('RegimeClassifier.sampling', options.sampling ?? D.sampling, ['reservoir', 'recent']) === 'recent';
    this.schedule = oneOfOption('RegimeClassifier.schedule', options.schedule ?? D.schedule, ['auto', 'manual']);
    this.renameEvery = oneOfOption('RegimeClassifier.naming', options.naming ?? D.naming, ['first', 'every']) === 'every';
    const restarts = integerOption('RegimeClassifier.restarts', options.restarts ?? D.restarts, 1, 100);
    this.restarts = this.seeds === null ? restarts : 1;
    this.maxIterations = integerOption('RegimeClassifier.maxIterations', options.maxIterations ?? D.maxIterations, 1);
    this.seed = integerOption('RegimeClassifier.seed', options.seed ?? D.seed, 0, 0xffffffff);
    this.kmeansFn = kmeans as unknown as KmeansFunction;

    this.scaler = new TimeWeightedScaler({ dimension: d, halfLifeMs: scalerHalfLifeMs, winsorize, warmupMs: this.warmupMs });
    this.random = new Random(this.seed);
    this.raw = new Float64Array(d).fill(NaN);
    this.y = new Float64Array(d).fill(NaN);
    this.z = new Float64Array(d).fill(NaN);
    this.sample = new Float64Array(this.capacity * d);
    this.cost = new Float64Array(k * k);
    this.centroids = new Float64Array(k * d);
    this.spare = new Float64Array(k * d);
    this.stateOptions = JSON.stringify({
      k, names: this.names, features: this.features, profiles: Array.from(this.profiles), initialization: this.initialization,
      featureHalfLifeMs, messageHalfLifeMs, activityHalfLifeMs, scalerHalfLifeMs, winsorize: String(winsorize), warmup: this.warmup,
      warmupMs: this.warmupMs, clip: this.clip, deadZone: this.deadZone, minTrainPoints: this.minTrainPoints, retrainEvery: this.retrainEvery,
      trainingWindow: this.capacity, recent: this.recent, renameEvery: this.renameEvery, restarts: this.restarts, maxIterations: this.maxIterations, seed: this.seed,
    });
  }

  /**
   * Consume one event: update the feature windows and the baselines, classify the standardized point,
   * and (with `schedule: 'auto'`) train when due. Returns the regime index, or -1 until the first training.
   */
  update(input: RegimeInput): number {
    const ts = input.ts;
    if (!Number.isFinite(ts)) throw new InvalidInputError('RegimeClassifier.update ts', ts, 'a finite number of ms');
    if (ts < this.lastTsValue) throw new InvalidInputError('RegimeClassifier.update ts', ts, `>= the previous ts ${this.lastTsValue}`);
    let f = 0;
    let fm = 0;
    let fa = 0;
    if (this.n === 0) {
      this.firstTs = ts;
    } else if (ts === this.lastTsValue) {
      f = fm = fa = 1; // simultaneous events (common in book data): nothing decays
    } else {
      const dt = ts - this.lastTsValue;
      f = Math.exp(-dt * this.featureRate);
      fm = Math.exp(-dt * this.messageRate);
      fa = Math.exp(-dt * this.activityRate);
      this.msgDecay *= fm;
      this.actDecay *= fa;
    }
    this.lastTsValue = ts;

    const mid = input.mid;
    let r2 = 0;
    if (mid > 0 && mid < Infinity) {
      if (this.prevMid > 0) {
        const r = Math.log(mid / this.prevMid);
        r2 = r * r;
      }
      this.prevMid = mid;
    }
    this.rv = f * this.rv + r2;
    this.events = f * this.events + 1;
    const spread = input.spread;
    this.spreadWeight *= f;
    if (Number.isFinite(spread)) {
      this.spreadWeight += 1;
      this.spreadMean += (spread - this.spreadMean) / this.spreadWeight;
    }
    const depth = input.bidDepth + input.askDepth;
    this.depthWeight *= f;
    if (Number.isFinite(depth)) {
      this.depthWeight += 1;
      this.depthMean += (depth - this.depthMean) / this.depthWeight;
    }
    const e = Number.isFinite(input.ofi) ? input.ofi : 0;
    this.ofiNet = f * this.ofiNet + e;
    this.ofiGross = f * this.ofiGross + (e < 0 ? -e : e);
    this.msgCount = fm * this.msgCount + 1;
    this.actCount = fa * this.actCount + 1;

    const d = this.dimension;
    const raw = this.raw;
    const y = this.y;
    for (let j = 0; j < d; j++) {
      let x: number;
      switch (this.codes[j]) {
        case 0:
          x = Math.sqrt(this.rv / this.events);
          break;
        case 1:
          x = this.spreadWeight > 0 ? this.spreadMean : NaN;
          break;
        case 2:
          x = this.ofiGross > 0 ? Math.abs(this.ofiNet) / this.ofiGross : NaN;
          break;
        case 3:
          x = this.depthWeight > 0 ? this.depthMean : NaN;
          break;
        case 4:
          // (N_m ln2 / (H_m (1 - g_m))) / (N_a ln2 / (H_a (1 - g_a))), with ln2 / H as the rates kept
          x = this.n === 0 ? NaN : (this.msgCount * this.messageRate * (1 - this.actDecay)) / (this.actCount * this.activityRate * (1 - this.msgDecay));
          break;
        default: {
          const v = input.vpin;
          x = v === undefined ? NaN : v;
        }
      }
      raw[j] = x;
      y[j] = this.logScale[j] === 1 ? (x > 0 ? Math.log(x) : NaN) : x;
    }

    this.scaler.update(ts, y, y); // y now holds the z-scores
    this.n++;
    if (this.n <= this.warmup || ts - this.firstTs < this.warmupMs) return -1;
    const z = this.z;
    const clip = this.clip;
    const dead = this.deadZone;
    for (let j = 0; j < d; j++) {
      let v = y[j]!;
      if (v === v) {
        v = v > clip ? clip : v < -clip ? -clip : v;
        v = v > dead ? v - dead : v < -dead ? v + dead : 0;
      } else {
        v = 0;
        this.nImputed++;
      }
      z[j] = v;
    }

    this.store(z);
    this.since++;

    if (this.trained) {
      const c = this.centroids;
      let best = -1;
      let bestD = Infinity;
      for (let i = 0; i < this.k; i++) {
        let s = 0;
        const o = i * d;
        for (let j = 0; j < d; j++) {
          const diff = z[j]! - c[o + j]!;
          s += diff * diff;
        }
        if (s < bestD) {
          bestD = s;
          best = i;
        }
      }
      this.regimeValue = best;
      this.distanceValue = bestD;
    }
    const out = this.regimeValue;
    if (this.schedule === 'auto' && this.trainingDue) this.train();
    return out;
  }

  private store(z: Float64Array): void {
    const cap = this.capacity;
    let slot: number;
    if (this.recent) {
      slot = this.head;
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      if (this.stored < cap) this.stored++;
    } else if (this.stored < cap) {
      slot = this.stored++;
    } else {
      slot = Math.floor(this.random.next() * (this.seen + 1));
    }
    this.seen++;
    if (slot < cap) {
      const d = this.dimension;
      const o = slot * d;
      const sample = this.sample;
      for (let j = 0; j < d; j++) sample[o + j] = z[j]!;
    }
  }

  /** Whether a training is due (the sample holds `minTrainPoints`, and `retrainEvery` points passed since the last job). */
  get trainingDue(): boolean {
    return this.stored >= this.minTrainPoints && (this.jobs === 0 || this.since >= this.retrainEvery);
  }

  /**
   * Fit new centroids in this thread now (due or not) and swap them in ({@link applyFit}). Returns false,
   * counting it in `skippedTrainings`, when the sample is smaller than `k` distinct points (then the old
   * centroids stay).
   */
  train(): boolean {
    const n = this.stored;
    const seed = this.startJob();
    const fit = fitCentroids(this.kmeansFn, this.sample, n, this.dimension, this.k, seed, this.restarts, this.maxIterations, this.seeds);
    if (fit === null) {
      this.nSkipped++;
      return false;
    }
    this.applyFit(fit.centroids);
    return true;
  }

  private startJob(): number {
    const seed = (this.seed + this.jobs * this.restarts) >>> 0;
    this.jobs++;
    this.since = 0;
    return seed;
  }

  /**
   * Start a training job for an off-thread trainer: copy the sample into `target` (row-major, at least
   * `trainingWindow * dimension` long), restart the retraining schedule, and return the point count, the
   * k-means++ seed and the starting centroids. Fit with the same `fitCentroids` + `ml-kmeans` and give
   * the centroids to {@link applyFit}.
   */
  takeTrainingJob(target: Float64Array): RegimeTrainingJob {
    if (target.length < this.stored * this.dimension) {
      throw new InvalidInputError('RegimeClassifier.takeTrainingJob target.length', target.length, `>= ${this.stored * this.dimension}`);
    }
    const n = this.stored;
    target.set(this.sample.subarray(0, n * this.dimension));
    return { n, seed: this.startJob(), initial: this.seeds === null ? null : this.seeds.slice() };
  }

  /** Count a job an off-thread trainer could not fit (fewer than k distinct points). */
  skipTraining(): void {
    this.nSkipped++;
  }

  /**
   * Swap in the centroids fitted for a job of this classifier ({@link train}, or {@link takeTrainingJob}
   * and an off-thread fit): with `initialization: 'profiles'` row i grew from regime i's seed and is
   * taken as regime i as it is; with `'kmeans++'` the rows are named or matched as by
   * {@link applyCentroids}. Throws {@link InvalidInputError} on a wrong length or a non-finite value.
   */
  applyFit(centroids: ArrayLike<number>): void {
    if (this.seeds === null) {
      this.applyCentroids(centroids);
      return;
    }
    this.checkCentroids(centroids);
    const next = this.spare;
    for (let i = 0; i < this.k * this.dimension; i++) next[i] = centroids[i]!;
    this.swap(next);
  }

  private checkCentroids(centroids: ArrayLike<number>): void {
    const size = this.k * this.dimension;
    if (centroids.length !== size) throw new InvalidInputError('RegimeClassifier.applyCentroids centroids.length', centroids.length, `k * dimension = ${size}`);
    for (let i = 0; i < size; i++) {
      if (!Number.isFinite(centroids[i])) throw new InvalidInputError(`RegimeClassifier.applyCentroids centroids[${i}]`, centroids[i], 'a finite number');
    }
  }

  private swap(next: Float64Array): void {
    this.spare = this.centroids;
    this.centroids = next;
    this.trained = true;
    this.nTrainings++;
  }

  /**
   * Swap in centroids fitted elsewhere (k x d, row-major, standardized units), in any order: matched to
   * the current ones by minimal total squared distance once trained (with `naming: 'first'`), else named
   * by the profiles. Throws {@link InvalidInputError} on a wrong length or a non-finite value.
   */
  applyCentroids(centroids: ArrayLike<number>): void {
    const k = this.k;
    const d = this.dimension;
    this.checkCentroids(centroids);
    const cost = this.cost;
    const old = this.centroids;
    const byDistance = this.trained && !this.renameEvery;
    for (let i = 0; i < k; i++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          if (byDistance) {
            const diff = old[i * d + j]! - centroids[c * d + j]!;
            s += diff * diff;
          } else {
            s -= this.profiles[i * d + j]! * centroids[c * d + j]!;
          }
        }
        cost[i * k + c] = s;
      }
    }
    const match = minCostAssignment(cost, k);
    const next = this.spare;
    for (let i = 0; i < k; i++) for (let j = 0; j < d; j++) next[i * d + j] = centroids[match[i]! * d + j]!;
    this.swap(next);
  }

  /** Re-derive the names from the profiles for the current centroids (labels may change). No-op before training. */
  rename(): void {
    if (!this.trained) return;
    const current = Float64Array.from(this.centroids);
    this.trained = false;
    this.nTrainings--;
    this.applyCentroids(current);
  }

  /**
   * Nearest-centroid regime of a standardized point (length `dimension`), without changing any state;
   * -1 before the first training.
   */
  classify(point: ArrayLike<number>): number {
    if (!this.trained) return -1;
    const d = this.dimension;
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < this.k; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const diff = point[j]! - this.centroids[i * d + j]!;
        s += diff * diff;
      }
      if (s < bestD) {
        bestD = s;
        best = i;
      }
    }
    return best;
  }

  /** Regime of the last event (-1 while unknown). */
  get regime(): number {
    return this.regimeValue;
  }

  /** Name of the last event's regime, or `'unknown'`. */
  get label(): string {
    return this.regimeValue < 0 ? 'unknown' : this.names[this.regimeValue]!;
  }

  /** Squared distance of the last point to its centroid (standardized units); NaN while unknown. */
  get distance(): number {
    return this.distanceValue;
  }

  /** The last standardized point, as classified (clipped, dead zone applied; borrowed; NaN before warm-up). */
  get point(): Float64Array {
    return this.z;
  }

  /** The last event's raw features, before standardization, in `features` order (borrowed). */
  get rawPoint(): Float64Array {
    return this.raw;
  }

  /** `ts` of the last event (NaN before any). */
  get lastTs(): number {
    return this.lastTsValue;
  }

  /** A copy of the centroids (k x d, row-major; regime i is row i), or null before the first training. */
  get centroidsCopy(): Float64Array | null {
    return this.trained ? Float64Array.from(this.centroids) : null;
  }

  /** The stress score `REGIME_STRESS_WEIGHTS . centroid` of each regime (NaN before training). */
  get stressScores(): number[] {
    const out = new Array<number>(this.k).fill(NaN);
    if (!this.trained) return out;
    for (let i = 0; i < this.k; i++) {
      let s = 0;
      for (let j = 0; j < this.dimension; j++) s += REGIME_STRESS_WEIGHTS[this.features[j]!] * this.centroids[i * this.dimension + j]!;
      out[i] = s;
    }
    return out;
  }

  /** Events seen. */
  get count(): number {
    return this.n;
  }

  /** Feature values replaced by the baseline (not standardizable: non-finite, not > 0 on a log scale, no std yet). */
  get imputed(): number {
    return this.nImputed;
  }

  /** Points in the training sample. */
  get samplePoints(): number {
    return this.stored;
  }

  /** Centroid sets applied (trainings). */
  get trainings(): number {
    return this.nTrainings;
  }

  /** Trainings skipped for lack of `k` distinct points. */
  get skippedTrainings(): number {
    return this.nSkipped;
  }

  /** Whether centroids are in place. */
  get isTrained(): boolean {
    return this.trained;
  }

  reset(): void {
    this.scaler.reset();
    this.random.reset();
    this.z.fill(NaN);
    this.y.fill(NaN);
    this.raw.fill(NaN);
    this.sample.fill(0);
    this.centroids.fill(0);
    this.spare.fill(0);
    this.n = 0;
    this.nImputed = 0;
    this.setWindows([NaN, NaN, NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    this.stored = 0;
    this.seen = 0;
    this.head = 0;
    this.trained = false;
    this.nTrainings = 0;
    this.nSkipped = 0;
    this.jobs = 0;
    this.since = 0;
    this.regimeValue = -1;
    this.distanceValue = NaN;
  }

  private windows(): number[] {
    return [
      this.lastTsValue, this.firstTs, this.prevMid, this.rv, this.events, this.spreadMean, this.spreadWeight, this.depthMean,
      this.depthWeight, this.ofiNet, this.ofiGross, this.msgCount, this.actCount, this.msgDecay, this.actDecay,
    ];
  }

  private setWindows(w: readonly number[]): void {
    [
      this.lastTsValue, this.firstTs, this.prevMid, this.rv, this.events, this.spreadMean, this.spreadWeight, this.depthMean,
      this.depthWeight, this.ofiNet, this.ofiGross, this.msgCount, this.actCount, this.msgDecay, this.actDecay,
    ] = w as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  }

  snapshot(): RegimeClassifierState {
    return {
      type: 'RegimeClassifier',
      version: 2,
      options: this.stateOptions,
      count: this.n,
      imputed: this.nImputed,
      windows: encodeNumbers(this.windows()),
      scaler: this.scaler.snapshot(),
      sample: { stored: this.stored, seen: this.seen, head: this.head, points: encodeNumbers(this.sample.subarray(0, this.stored * this.dimension)) },
      random: this.random.snapshot(),
      centroids: this.trained ? encodeNumbers(this.centroids) : null,
      counters: [this.nTrainings, this.nSkipped, this.jobs, this.since],
      regime: this.regimeValue,
      distance: encodeNumber(this.distanceValue),
      point: encodeNumbers(this.z),
      raw: encodeNumbers(this.raw),
    };
  }

  restore(state: RegimeClassifierState): void {
    checkState(state, 'RegimeClassifier', 2);
    const fail = (field: string, value: unknown, expected: string): never => {
      throw new InvalidStateError('RegimeClassifier', `field "${field}" must be ${expected}; got ${describeValue(value)}`);
    };
    if (state.options !== this.stateOptions) {
      throw new InvalidStateError('RegimeClassifier', `state was taken with options ${describeValue(state.options)}, this classifier has ${describeValue(this.stateOptions)}`);
    }
    const num = (field: string, v: unknown): number => {
      if (typeof v === 'number') return v;
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity' || v === '-0') return Number(v);
      return fail(field, v, 'a number or an encoded number');
    };
    const nums = (field: string, v: unknown, length: number): number[] => {
      if (!Array.isArray(v) || v.length !== length) return fail(field, v, `an array of ${length} numbers`);
      return v.map((x, i) => num(`${field}[${i}]`, x));
    };
    const int = (field: string, v: unknown, max: number): number =>
      Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max ? (v as number) : fail(field, v, `an integer in [0, ${max}]`);
    const d = this.dimension;
    const k = this.k;
    const count = int('count', state.count, Number.MAX_SAFE_INTEGER);
    const imputed = int('imputed', state.imputed, Number.MAX_SAFE_INTEGER);
    const windows = nums('windows', state.windows, WINDOWS);
    if (state.scaler === null || typeof state.scaler !== 'object') fail('scaler', state.scaler, 'a TimeWeightedScaler state');
    const sample = state.sample as RegimeClassifierState['sample'] | undefined;
    if (sample === null || typeof sample !== 'object') return fail('sample', sample, 'an object');
    const stored = int('sample.stored', sample.stored, this.capacity);
    const seen = int('sample.seen', sample.seen, Number.MAX_SAFE_INTEGER);
    const head = int('sample.head', sample.head, this.capacity - 1);
    const points = nums('sample.points', sample.points, stored * d);
    const centroids = state.centroids === null ? null : nums('centroids', state.centroids, k * d);
    const counters = nums('counters', state.counters, 4);
    const regime = Number.isInteger(state.regime) && state.regime >= -1 && state.regime < k ? state.regime : fail('regime', state.regime, `an integer in [-1, ${k - 1}]`);
    const distance = num('distance', state.distance);
    const point = nums('point', state.point, d);
    const raw = nums('raw', state.raw, d);
    // The scaler and the generator check their own states: restore into fresh ones first, then commit.
    const scaler = new TimeWeightedScaler({ dimension: d, halfLifeMs: this.scaler.halfLifeMs, winsorize: this.scaler.winsorize, warmupMs: this.scaler.warmupMs });
    scaler.restore(state.scaler);
    const random = new Random(this.seed);
    random.restore(state.random);
    this.scaler.restore(scaler.snapshot());
    this.random.restore(random.snapshot());
    this.n = count;
    this.nImputed = imputed;
    this.setWindows(windows);
    this.stored = stored;
    this.seen = seen;
    this.head = head;
    this.sample.fill(0);
    this.sample.set(points);
    this.trained = centroids !== null;
    this.centroids.fill(0);
    if (centroids !== null) this.centroids.set(centroids);
    [this.nTrainings, this.nSkipped, this.jobs, this.since] = counters as [number, number, number, number];
    this.regimeValue = regime;
    this.distanceValue = distance;
    this.z.set(point);
    this.raw.set(raw);
    this.y.fill(NaN);
  }
}
