import { kmeans } from 'ml-kmeans';
import { describeValue, InvalidInputError, InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, oneOfOption, positiveOption } from '../core/options.js';
import { Random, type RandomState } from '../core/random.js';
import { Ewma, type EwmaState } from '../stats/ewma.js';
import { minCostAssignment } from './assignment.js';
import { fitCentroids, type KmeansFunction } from './fit-centroids.js';

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
  /** Best ask - best bid (price units). */
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
   * A stress profile per name (k rows of one weight per feature, in `features` order): names are given
   * to the first centroids by maximising `sum profile_name . centroid` (see the class notes). Default:
   * {@link DEFAULT_REGIME_PROFILES} for the three default names, else the stress ordering.
   */
  profiles?: ReadonlyArray<ReadonlyArray<number>>;
  /**
   * `'first'`: names are given by the profiles at the first training and kept by matching new centroids to
   * the old after (stable labels); `'every'`: every training names its centroids by the profiles afresh
   * (a label then means "best fit to its profile" rather than "the same cluster as before").
   */
  naming?: 'first' | 'every';
  /** Half-life (ms) of the exponentially decayed windows of volatility, OFI and message rate. */
  featureHalfLifeMs?: number;
  /** Half-life, in events, of the EWMA mean and variance that standardize each feature. */
  scalerHalfLife?: number;
  /** Events that only feed the scalers before points are standardized (integer >= 2). */
  warmup?: number;
  /** Standardized values are clipped to [-clip, clip]. */
  clip?: number;
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
  /** K-means runs per training (k-means++ seeds `seed + j`), the least inertia kept. */
  restarts?: number;
  /** Lloyd iterations per run, at most. */
  maxIterations?: number;
  /** Seed of the reservoir sampling and of the K-means initialisation (integer). */
  seed?: number;
}

/** Defaults of {@link RegimeClassifierOptions}. */
export const DEFAULT_REGIME_CLASSIFIER_OPTIONS: Readonly<{
  k: number;
  names: readonly string[];
  features: readonly RegimeFeature[];
  naming: 'first' | 'every';
  featureHalfLifeMs: number;
  scalerHalfLife: number;
  warmup: number;
  clip: number;
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
  /** @defaultValue ['volatility', 'spread', 'ofi', 'depth', 'messageRate'] */
  features: Object.freeze(['volatility', 'spread', 'ofi', 'depth', 'messageRate'] as RegimeFeature[]),
  /** @defaultValue 'first' */
  naming: 'first',
  /** @defaultValue 1000 */
  featureHalfLifeMs: 1000,
  /** @defaultValue 50000 */
  scalerHalfLife: 50_000,
  /** @defaultValue 200 */
  warmup: 200,
  /** @defaultValue 5 */
  clip: 5,
  /** @defaultValue 2000 */
  minTrainPoints: 2000,
  /** @defaultValue 20000 */
  retrainEvery: 20_000,
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
 * volatility, spread, |OFI|, message rate and VPIN raise stress, depth lowers it.
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
 * The stress profiles of the default names (per feature, in standardized units):
 * - Calm: everything below its baseline;
 * - Stressed (a price dislocation: flash crash, liquidity crisis): high volatility, wide spread, thin
 *   book, toxic flow (VPIN);
 * - Manipulation (an order-traffic anomaly: spoofing, layering, quote stuffing): many messages, large
 *   order-flow imbalance, a deep (layered) book, at ordinary volatility and spread.
 */
export const DEFAULT_REGIME_PROFILES: Readonly<Record<string, Readonly<Record<RegimeFeature, number>>>> = Object.freeze({
  Calm: Object.freeze({ volatility: -1, spread: -1, ofi: -1, depth: 0, messageRate: -1, vpin: -1 }),
  Stressed: Object.freeze({ volatility: 1, spread: 1, ofi: 0, depth: -1, messageRate: 0, vpin: 1 }),
  Manipulation: Object.freeze({ volatility: 0, spread: 0, ofi: 1, depth: 1, messageRate: 1, vpin: 0 }),
});

/** State of a {@link RegimeClassifier}: the features' windows, the scalers, the training sample and the centroids. */
export interface RegimeClassifierState extends OperatorState {
  readonly type: 'RegimeClassifier';
  readonly version: 1;
  /** The options that shape the state (checked on restore). */
  readonly options: string;
  readonly count: number;
  readonly imputed: number;
  /** lastTs, prevMid, decayed sum of squared returns, decayed OFI sum, decayed message count. */
  readonly windows: ReadonlyArray<number | string>;
  readonly scalers: readonly EwmaState[];
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
  'k', 'names', 'features', 'profiles', 'naming', 'featureHalfLifeMs', 'scalerHalfLife', 'warmup', 'clip', 'minTrainPoints',
  'retrainEvery', 'trainingWindow', 'sampling', 'schedule', 'restarts', 'maxIterations', 'seed',
] as const;

const FEATURE_CODE: Readonly<Record<RegimeFeature, number>> = { volatility: 0, spread: 1, ofi: 2, depth: 3, messageRate: 4, vpin: 5 };

/** A training job handed to an off-thread trainer by {@link RegimeClassifier.takeTrainingJob}. */
export interface RegimeTrainingJob {
  /** Points copied into the target, row-major `n x dimension`. */
  n: number;
  /** Seed of the K-means initialisation of this job. */
  seed: number;
}

/**
 * Market-regime classifier: per event, a vector of standardized market-state features, classified to
 * the nearest of `k` K-means centroids that are refitted now and then off the hot path.
 *
 * **Features** (per event; windows decay with half-life `featureHalfLifeMs` = H, `dt` ms since the last
 * event, `f = 2^(-dt / H)`):
 * - `volatility`: realized volatility `sqrt(RV)`, `RV <- f RV + r^2`, `r = ln(mid / previous mid)`;
 * - `spread`: the spread itself; standardized, it is the spread's z-score;
 * - `ofi`: `|O|`, `O <- f O + e_n`, the absolute order-flow imbalance over the window (Cont, Kukanov &
 *   Stoikov 2014 aggregate e_n over intervals);
 * - `depth`: `bidDepth + askDepth`;
 * - `messageRate`: events per second, `N <- f N + 1`, rate `= N ln 2 / H * 1000`;
 * - `vpin`: the VPIN given with the event (Easley, Lopez de Prado & O'Hara 2012), when selected.
 * Each is standardized by its own {@link Ewma} (half-life `scalerHalfLife` events): `z = (x - mean) /
 * std` against the scaler before `x` is added, clipped to `[-clip, clip]`. A non-finite feature (a book
 * side empty, VPIN warming up) or a zero std gives `z = 0` (the baseline): counted in `imputed`.
 *
 * **Classification** (hot path, O(k d), no allocation): the regime is the index of the nearest centroid
 * in squared Euclidean distance; `update` returns it, {@link label} names it.
 *
 * **Training.** Warm points (after `warmup` events) enter a training sample of `trainingWindow` points
 * (`sampling`). Once it holds `minTrainPoints`, and then every `retrainEvery` points, a training is due:
 * K-means (`ml-kmeans`, k-means++ seeded by `seed`, `restarts` runs, the least inertia kept) over the
 * sample. With `schedule: 'auto'` it runs inside the `update` that makes it due, after that point is
 * classified (that one call then costs a fit: amortised O(window * k * d * iterations / retrainEvery));
 * with `'manual'` the host runs {@link train} between events or hands {@link takeTrainingJob} to a
 * worker and applies the result with {@link applyCentroids}. New centroids replace the old in one
 * reference swap.
 *
 * **Stable labels.** After the first training, new centroids are matched to the old by minimal total
 * squared distance (Hungarian method, {@link minCostAssignment}), so regime i keeps meaning the same
 * market state across retrains.
 *
 * **Names.** At the first training (every training with `naming: 'every'`; and on {@link rename}), names
 * go to centroids by maximising `sum_name profile_name . centroid` over all assignments. With the default names the profiles are
 * {@link DEFAULT_REGIME_PROFILES}; otherwise the profile of the i-th name is `(i - (k - 1) / 2) w`, with
 * `w` = {@link REGIME_STRESS_WEIGHTS}: that assignment orders the centroids by the stress score `w . c`
 * (rearrangement inequality), the first name the least stressed.
 *
 * **Warm-up.** `update` returns -1 ("unknown", {@link label} `'unknown'`, {@link distance} NaN) until
 * the first training: for exactly `warmup + minTrainPoints` events with `'auto'`.
 * **Bad input.** A non-finite or decreasing `ts` throws {@link InvalidInputError}.
 *
 * Not a model of manipulation: a cluster named Manipulation is the one whose profile fits best; check
 * it against labelled data (see {@link scoreRegimes}).
 *
 * @example
 * ```ts
 * const clf = new RegimeClassifier({ features: ['spread', 'depth'], warmup: 4, minTrainPoints: 6, trainingWindow: 16 });
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
  /** Whether `update` trains by itself (`'auto'`). */
  readonly schedule: 'auto' | 'manual';
  /** Capacity of the training sample (points). */
  readonly trainingWindow: number;
  /** K-means runs per training. */
  readonly restarts: number;
  /** Lloyd iterations per run, at most. */
  readonly maxIterations: number;

  private readonly codes: Int8Array;
  private readonly profiles: Float64Array; // k x d
  private readonly decayRate: number; // ln 2 / H
  private readonly rateScale: number; // ln 2 / H * 1000
  private readonly warmup: number;
  private readonly clip: number;
  private readonly minTrainPoints: number;
  private readonly retrainEvery: number;
  private readonly capacity: number;
  private readonly recent: boolean;
  private readonly renameEvery: boolean;
  private readonly seed: number;
  private readonly stateOptions: string;
  private readonly kmeansFn: KmeansFunction;

  private readonly scalerHalfLife: number;
  private readonly scalers: Ewma[];
  private readonly random: Random;
  private readonly raw: Float64Array;
  private readonly z: Float64Array;
  private readonly sample: Float64Array;
  private readonly cost: Float64Array;
  private centroids: Float64Array;
  private spare: Float64Array;

  private n = 0;
  private nImputed = 0;
  private lastTsValue = NaN;
  private prevMid = NaN;
  private rv = 0;
  private ofiSum = 0;
  private msg = 0;
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
    features.forEach((f, j) => {
      if (!(REGIME_FEATURES as readonly unknown[]).includes(f) || features.indexOf(f) !== j) {
        throw new InvalidOptionError(`RegimeClassifier.features[${j}]`, f, `a distinct one of ${REGIME_FEATURES.join(', ')}`);
      }
      codes[j] = FEATURE_CODE[f];
    });
    this.features = Object.freeze(features.slice());
    this.codes = codes;
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

    const halfLifeMs = positiveOption('RegimeClassifier.featureHalfLifeMs', options.featureHalfLifeMs ?? D.featureHalfLifeMs);
    this.decayRate = Math.LN2 / halfLifeMs;
    this.rateScale = (Math.LN2 / halfLifeMs) * 1000;
    const scalerHalfLife = positiveOption('RegimeClassifier.scalerHalfLife', options.scalerHalfLife ?? D.scalerHalfLife);
    this.warmup = integerOption('RegimeClassifier.warmup', options.warmup ?? D.warmup, 2);
    this.clip = positiveOption('RegimeClassifier.clip', options.clip ?? D.clip);
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
    this.restarts = integerOption('RegimeClassifier.restarts', options.restarts ?? D.restarts, 1, 100);
    this.maxIterations = integerOption('RegimeClassifier.maxIterations', options.maxIterations ?? D.maxIterations, 1);
    this.seed = integerOption('RegimeClassifier.seed', options.seed ?? D.seed, 0, 0xffffffff);
    this.kmeansFn = kmeans as unknown as KmeansFunction;

    this.scalerHalfLife = scalerHalfLife;
    this.scalers = [];
    for (let j = 0; j < d; j++) this.scalers.push(new Ewma({ halfLife: scalerHalfLife }));
    this.random = new Random(this.seed);
    this.raw = new Float64Array(d).fill(NaN);
    this.z = new Float64Array(d).fill(NaN);
    this.sample = new Float64Array(this.capacity * d);
    this.cost = new Float64Array(k * k);
    this.centroids = new Float64Array(k * d);
    this.spare = new Float64Array(k * d);
    this.stateOptions = JSON.stringify({
      k, names: this.names, features: this.features, profiles: Array.from(this.profiles), halfLifeMs, scalerHalfLife,
      warmup: this.warmup, clip: this.clip, minTrainPoints: this.minTrainPoints, retrainEvery: this.retrainEvery,
      trainingWindow: this.capacity, recent: this.recent, renameEvery: this.renameEvery, restarts: this.restarts, maxIterations: this.maxIterations, seed: this.seed,
    });
  }

  /**
   * Consume one event: update the feature windows and scalers, classify the standardized point, and
   * (with `schedule: 'auto'`) train when due. Returns the regime index, or -1 until the first training.
   */
  update(input: RegimeInput): number {
    const ts = input.ts;
    if (!Number.isFinite(ts)) throw new InvalidInputError('RegimeClassifier.update ts', ts, 'a finite number of ms');
    if (ts < this.lastTsValue) throw new InvalidInputError('RegimeClassifier.update ts', ts, `>= the previous ts ${this.lastTsValue}`);
    const f = this.n === 0 ? 0 : Math.exp(-(ts - this.lastTsValue) * this.decayRate);
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
    const e = input.ofi;
    this.ofiSum = f * this.ofiSum + (Number.isFinite(e) ? e : 0);
    this.msg = f * this.msg + 1;

    const d = this.dimension;
    const raw = this.raw;
    for (let j = 0; j < d; j++) {
      switch (this.codes[j]) {
        case 0:
          raw[j] = Math.sqrt(this.rv);
          break;
        case 1:
          raw[j] = input.spread;
          break;
        case 2:
          raw[j] = Math.abs(this.ofiSum);
          break;
        case 3:
          raw[j] = input.bidDepth + input.askDepth;
          break;
        case 4:
          raw[j] = this.msg * this.rateScale;
          break;
        default: {
          const v = input.vpin;
          raw[j] = v === undefined ? NaN : v;
        }
      }
    }

    const warm = this.n >= this.warmup;
    this.n++;
    const z = this.z;
    const clip = this.clip;
    for (let j = 0; j < d; j++) {
      const x = raw[j]!;
      const scaler = this.scalers[j]!;
      if (warm) {
        const sd = scaler.std;
        let v = 0;
        if (Number.isFinite(x) && sd > 0) {
          v = (x - scaler.mean) / sd;
          v = v > clip ? clip : v < -clip ? -clip : v;
        } else {
          this.nImputed++;
        }
        z[j] = v;
      }
      scaler.update(x);
    }
    if (!warm) return -1;

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
   * Fit new centroids in this thread now (due or not) and swap them in. Returns false, counting it in
   * `skippedTrainings`, when the sample is smaller than `k` distinct points (then the old centroids stay).
   */
  train(): boolean {
    const n = this.stored;
    const seed = this.startJob();
    const fit = fitCentroids(this.kmeansFn, this.sample, n, this.dimension, this.k, seed, this.restarts, this.maxIterations);
    if (fit === null) {
      this.nSkipped++;
      return false;
    }
    this.applyCentroids(fit.centroids);
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
   * `trainingWindow * dimension` long), restart the retraining schedule, and return the point count and
   * the K-means seed. Fit with the same `fitCentroids` + `ml-kmeans` and give the centroids to
   * {@link applyCentroids}.
   */
  takeTrainingJob(target: Float64Array): RegimeTrainingJob {
    if (target.length < this.stored * this.dimension) {
      throw new InvalidInputError('RegimeClassifier.takeTrainingJob target.length', target.length, `>= ${this.stored * this.dimension}`);
    }
    const n = this.stored;
    target.set(this.sample.subarray(0, n * this.dimension));
    return { n, seed: this.startJob() };
  }

  /** Count a job an off-thread trainer could not fit (fewer than k distinct points). */
  skipTraining(): void {
    this.nSkipped++;
  }

  /**
   * Swap in fitted centroids (k x d, row-major, standardized units): matched to the current ones by
   * minimal total squared distance once trained (`naming: 'first'`), else named by the profiles. Throws
   * {@link InvalidInputError} on a wrong length or a non-finite value.
   */
  applyCentroids(centroids: ArrayLike<number>): void {
    const k = this.k;
    const d = this.dimension;
    if (centroids.length !== k * d) throw new InvalidInputError('RegimeClassifier.applyCentroids centroids.length', centroids.length, `k * dimension = ${k * d}`);
    for (let i = 0; i < k * d; i++) {
      if (!Number.isFinite(centroids[i])) throw new InvalidInputError(`RegimeClassifier.applyCentroids centroids[${i}]`, centroids[i], 'a finite number');
    }
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
    this.spare = this.centroids;
    this.centroids = next;
    this.trained = true;
    this.nTrainings++;
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

  /** The last standardized point (borrowed; NaN before warm-up). */
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

  /** Feature values replaced by the baseline (non-finite, or zero spread in the scaler). */
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
    for (const s of this.scalers) s.reset();
    this.random.reset();
    this.z.fill(NaN);
    this.raw.fill(NaN);
    this.sample.fill(0);
    this.centroids.fill(0);
    this.spare.fill(0);
    this.n = 0;
    this.nImputed = 0;
    this.lastTsValue = NaN;
    this.prevMid = NaN;
    this.rv = 0;
    this.ofiSum = 0;
    this.msg = 0;
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

  snapshot(): RegimeClassifierState {
    return {
      type: 'RegimeClassifier',
      version: 1,
      options: this.stateOptions,
      count: this.n,
      imputed: this.nImputed,
      windows: encodeNumbers([this.lastTsValue, this.prevMid, this.rv, this.ofiSum, this.msg]),
      scalers: this.scalers.map((s) => s.snapshot()),
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
    checkState(state, 'RegimeClassifier', 1);
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
    const windows = nums('windows', state.windows, 5);
    if (!Array.isArray(state.scalers) || state.scalers.length !== d) fail('scalers', state.scalers, `an array of ${d} Ewma states`);
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
    // Scalers and the generator check their own states: restore into fresh ones first, then commit.
    const scalers = state.scalers.map((s) => {
      const e = new Ewma({ halfLife: this.scalerHalfLife });
      e.restore(s);
      return e;
    });
    const random = new Random(this.seed);
    random.restore(state.random);
    for (let j = 0; j < d; j++) this.scalers[j]!.restore(scalers[j]!.snapshot());
    this.random.restore(random.snapshot());
    this.n = count;
    this.nImputed = imputed;
    [this.lastTsValue, this.prevMid, this.rv, this.ofiSum, this.msg] = windows as [number, number, number, number, number];
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
  }
}
