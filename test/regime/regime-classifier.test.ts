import fc from 'fast-check';
import { kmeans } from 'ml-kmeans';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { fitCentroids, type KmeansFunction } from '../../src/regime/fit-centroids.js';
import {
  DEFAULT_REGIME_CLASSIFIER_OPTIONS,
  DEFAULT_REGIME_PROFILES,
  PROFILE_SEED_SCALE,
  RegimeClassifier,
  type RegimeClassifierOptions,
  type RegimeInput,
} from '../../src/regime/regime-classifier.js';
import { testOperatorContract } from '../support/contract.js';

const SMALL: RegimeClassifierOptions = { warmup: 3, warmupMs: 0, minTrainPoints: 8, retrainEvery: 10, trainingWindow: 16, restarts: 1, maxIterations: 20 };

/** An input with ts = previous ts + dt. */
interface Step {
  dt: number;
  mid: number;
  spread: number;
  ofi: number;
  depth: number;
}

function feed(clf: RegimeClassifier, s: Step): number {
  const ts = (Number.isNaN(clf.lastTs) ? 0 : clf.lastTs) + s.dt;
  return clf.update({ ts, mid: s.mid, spread: s.spread, ofi: s.ofi, bidDepth: s.depth / 2, askDepth: s.depth / 2 });
}

const step: fc.Arbitrary<Step> = fc.record({
  dt: fc.double({ min: 0, max: 2000, noNaN: true }),
  mid: fc.oneof(fc.double({ min: 90, max: 110, noNaN: true }), fc.constant(NaN)),
  spread: fc.oneof(fc.integer({ min: 1, max: 20 }).map((t) => t / 100), fc.constant(NaN)),
  ofi: fc.double({ min: -500, max: 500, noNaN: true }),
  depth: fc.double({ min: 0, max: 5000, noNaN: true }),
});

/** A stream of random inputs from a seed (three loose clusters of market states). */
function randomInputs(seed: number, n: number): RegimeInput[] {
  const rnd = new Random(seed);
  const out: RegimeInput[] = [];
  let ts = 0;
  let mid = 100;
  for (let i = 0; i < n; i++) {
    const state = Math.floor(i / 200) % 3;
    ts += rnd.exponential(state === 2 ? 0.1 : 0.02);
    mid *= Math.exp(rnd.normal(0, state === 1 ? 1e-3 : 1e-4));
    const depth = state === 1 ? 500 : state === 2 ? 4000 : 2000;
    out.push({ ts, mid, spread: 0.01 * (state === 1 ? 5 : 1) + 0.01 * rnd.poisson(0.3), ofi: rnd.normal(0, state === 2 ? 300 : 50), bidDepth: depth / 2, askDepth: depth / 2 });
  }
  return out;
}

describe('RegimeClassifier', () => {
  it('computes the raw features over decayed windows, worked by hand', () => {
    // feature windows H = 1000 ms; message rate over 1000 ms against 2000 ms.
    // Events: (ts 0, mid 100, spread 0.02, ofi 10, depth 500), (1000, 101, 0.04, -30, 700), (1000, 100, 0.02, 5, 500).
    // decay f: -, 0.5, 1 (dt = 0)
    // volatility sqrt(RV / N): RV 0, r^2, 2 r^2 with r = ln 1.01; N 1, 1.5, 2.5
    // spread EWMA: 0.02; (0.5 * 0.02 + 0.04) / 1.5; (0.5 * 0.02 + 0.04 + 0.02) / 2.5 = 0.028
    // OFI |net| / gross: 10 / 10; |5 - 30| / (5 + 30); |-25 + 5| / (35 + 5)
    // depth EWMA: 500; (250 + 700) / 1.5; (950 + 500) / 2.5 = 580
    // message rate: N_H ln2 / (H (1 - 2^(-T / H))), short over long: NaN at T = 0; then
    //   N_1000 = 1.5, 2.5 and N_2000 = 1 + 2^-0.5, 2 + 2^-0.5 at T = 1000
    const clf = new RegimeClassifier({
      featureHalfLifeMs: 1000, messageHalfLifeMs: 1000, activityHalfLifeMs: 2000, features: ['volatility', 'spread', 'ofi', 'depth', 'messageRate'],
    });
    const input = (ts: number, mid: number, spread: number, ofi: number, depth: number): RegimeInput => ({ ts, mid, spread, ofi, bidDepth: depth - 200, askDepth: 200 });
    clf.update(input(0, 100, 0.02, 10, 500));
    expect(Array.from(clf.rawPoint)).toEqual([0, 0.02, 1, 500, NaN]);
    clf.update(input(1000, 101, 0.04, -30, 700));
    const r = Math.log(1.01);
    const rate = (n: number, h: number): number => (n * Math.LN2) / (h * (1 - 2 ** (-1000 / h)));
    expect(clf.rawPoint[0]).toBeCloseTo(r / Math.sqrt(1.5), 15);
    expect(clf.rawPoint[1]).toBeCloseTo(0.05 / 1.5, 15);
    expect(clf.rawPoint[2]).toBeCloseTo(25 / 35, 14);
    expect(clf.rawPoint[3]).toBeCloseTo(950 / 1.5, 10);
    expect(clf.rawPoint[4]).toBeCloseTo(rate(1.5, 1000) / rate(1 + 2 ** -0.5, 2000), 12);
    clf.update(input(1000, 100, 0.02, 5, 500));
    expect(clf.rawPoint[0]).toBeCloseTo(r * Math.sqrt(2 / 2.5), 15);
    expect(clf.rawPoint[1]).toBeCloseTo(0.028, 15);
    expect(clf.rawPoint[2]).toBeCloseTo(0.5, 14);
    expect(clf.rawPoint[3]).toBeCloseTo(580, 10);
    expect(clf.rawPoint[4]).toBeCloseTo(rate(2.5, 1000) / rate(2 + 2 ** -0.5, 2000), 12);
  });

  it('standardizes each feature on a log scale against its time-weighted baseline before the value, clipped, shrunk by the dead zone, and imputes the baseline for missing values', () => {
    // spread only, no smoothing (H 1e-6 ms), baseline half-life 1e300 ms (equal weights per ms), not
    // winsorized, warmup 2, no dead zone. ln spreads 1, 3 held 1 s each -> baseline mean 2, std 1;
    // ln 4 scores (4 - 2) / 1 = 2. Then 100 scores (100 - 8/3) / std{1, 3, 4} = 97.33 / 1.247 -> clipped
    // to 5; then NaN -> 0, imputed (the spread window is empty).
    const options: RegimeClassifierOptions = {
      features: ['spread'], initialization: 'kmeans++', featureHalfLifeMs: 1e-6, scalerHalfLifeMs: 1e300, winsorize: Infinity, warmup: 2, warmupMs: 0, clip: 5, deadZone: 0,
      minTrainPoints: 10, trainingWindow: 10,
    };
    const at = (ts: number, lnSpread: number): RegimeInput => ({ ts, mid: 100, spread: Math.exp(lnSpread), ofi: 0, bidDepth: 1, askDepth: 1 });
    const clf = new RegimeClassifier(options);
    clf.update(at(0, 1));
    clf.update(at(1000, 3));
    expect(clf.point[0]).toBeNaN();
    clf.update(at(2000, 4));
    expect(clf.point[0]).toBeCloseTo(2, 12);
    clf.update(at(3000, 100));
    expect(clf.point[0]).toBe(5);
    clf.update(at(4000, NaN));
    expect(clf.point[0]).toBe(0);
    expect(clf.imputed).toBe(1);
    expect(clf.samplePoints).toBe(3);
    // the same with a dead zone of 0.5: 2 -> 1.5, 5 -> 4.5
    const dead = new RegimeClassifier({ ...options, deadZone: 0.5 });
    for (const [ts, x] of [[0, 1], [1000, 3], [2000, 4]] as const) dead.update(at(ts, x));
    expect(dead.point[0]).toBeCloseTo(1.5, 12);
    dead.update(at(3000, 100));
    expect(dead.point[0]).toBe(4.5);
  });

  it('runs the docstring example: warm-up, one training, then Calm, Manipulation, Stressed, Calm', () => {
    const clf = new RegimeClassifier({ features: ['spread', 'depth'], featureHalfLifeMs: 1, warmup: 4, warmupMs: 0, minTrainPoints: 6 });
    const spreads = [1, 1, 2, 1, 1, 1, 8, 1, 1, 8, 1, 1, 8, 1];
    const depths = [900, 1000, 950, 1000, 3000, 1000, 200, 1000, 3000, 200, 1000, 3000, 250, 1000];
    const out = spreads.map((spread, i) => clf.update({ ts: i * 100, mid: 100, spread, ofi: 0, bidDepth: depths[i]! / 2, askDepth: depths[i]! / 2 }));
    expect(out).toEqual([-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 2, 1, 0]);
    expect(clf.label).toBe('Calm');
  });

  it('answers -1 (unknown) for exactly warmup + minTrainPoints events, then a regime', () => {
    const inputs = randomInputs(1, 400);
    const clf = new RegimeClassifier({ warmup: 20, warmupMs: 0, minTrainPoints: 50, retrainEvery: 100, trainingWindow: 64 });
    const out = inputs.map((x) => clf.update(x));
    expect(out.slice(0, 70).every((r) => r === -1)).toBe(true);
    expect(out[70]).toBeGreaterThanOrEqual(0);
    expect(out.slice(70).every((r) => r >= 0 && r < 3)).toBe(true);
    expect(clf.trainings).toBe(1 + Math.floor((400 - 70) / 100));
    expect(['Calm', 'Stressed', 'Manipulation']).toContain(clf.label);
    expect(new RegimeClassifier().label).toBe('unknown');
    expect(new RegimeClassifier().distance).toBeNaN();
  });

  it('classifies each point to its nearest centroid (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
        const clf = new RegimeClassifier({ ...SMALL, minTrainPoints: 30, trainingWindow: 40, retrainEvery: 25 });
        for (const x of randomInputs(seed, 150)) {
          const trainingsBefore = clf.trainings;
          const r = clf.update(x);
          if (r < 0) continue;
          const c = clf.centroidsCopy!;
          const d = clf.dimension;
          let best = -1;
          let bestD = Infinity;
          for (let i = 0; i < clf.k; i++) {
            let s = 0;
            for (let j = 0; j < d; j++) s += (clf.point[j]! - c[i * d + j]!) ** 2;
            if (s < bestD) {
              bestD = s;
              best = i;
            }
          }
          // a training inside this update (after classifying) replaced the centroids the answer used
          if (clf.trainings === trainingsBefore) {
            expect(r).toBe(best);
            expect(clf.distance).toBeCloseTo(bestD, 12);
          }
          expect(clf.classify(clf.point)).toBe(best);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('keeps labels stable: centroids refitted in another order are matched back to the old ones', () => {
    const clf = new RegimeClassifier({ features: ['spread', 'depth'], schedule: 'manual' });
    // first training: named by the default profiles (spread, depth): Calm (-1, 0), Stressed (1, -1),
    // Manipulation (0, 1): (0, 0) Calm, (5, -5) Stressed, (2, 2) Manipulation
    clf.applyCentroids([0, 0, 5, -5, 2, 2]);
    const first = Array.from(clf.centroidsCopy!);
    // the same centroids, moved a little and listed in another order
    clf.applyCentroids([2.1, 1.9, 5.2, -4.9, 0.1, -0.1]);
    const second = Array.from(clf.centroidsCopy!);
    for (let i = 0; i < 3; i++) {
      const dist = Math.hypot(first[2 * i]! - second[2 * i]!, first[2 * i + 1]! - second[2 * i + 1]!);
      expect(dist).toBeLessThan(0.5);
    }
    expect(clf.trainings).toBe(2);
  });

  it('names the first centroids by the default profiles: Calm, Stressed (dislocation), Manipulation (order traffic)', () => {
    // features: volatility, spread, depth, messageRate
    const crash = [3, 3, -2, 0];
    const calm = [-0.5, -0.5, 0, -0.5];
    const spoof = [0, 0, 2, 3];
    const clf = new RegimeClassifier({ schedule: 'manual' });
    clf.applyCentroids([...spoof, ...crash, ...calm]);
    expect(Array.from(clf.centroidsCopy!)).toEqual([...calm, ...crash, ...spoof]);
    expect(clf.names).toEqual(['Calm', 'Stressed', 'Manipulation']);
    expect(DEFAULT_REGIME_PROFILES['Stressed']!.volatility).toBe(1);
  });

  it('orders custom names by the stress score, least stressed first', () => {
    // stress weights: spread +1, depth -1: scores 10 - 1 = 9, 0 - 0 = 0, 3 - 5 = -2, 1 - 0 = 1
    const clf = new RegimeClassifier({ k: 4, features: ['spread', 'depth'], names: ['a', 'b', 'c', 'd'], schedule: 'manual' });
    clf.applyCentroids([10, 1, 0, 0, 3, 5, 1, 0]);
    expect(Array.from(clf.centroidsCopy!)).toEqual([3, 5, 0, 0, 1, 0, 10, 1]);
    expect(clf.stressScores).toEqual([-2, 0, 1, 9]);
    expect(new RegimeClassifier({ k: 2 }).names).toEqual(['Regime 1', 'Regime 2']);
  });

  it('renames by the profiles on request, and on every training with naming: every', () => {
    // names low/high on (spread, depth): stress scores spread - depth. First fit: (0, 0) low, (10, 0) high.
    // Refit: A = (1, -30) lies nearest the old low but has stress 31 > B = (10, 0) with 10.
    // Distance matching: low<-A, high<-B costs 901 + 0; low<-B, high<-A costs 100 + 981: keeps A as low.
    const clf = new RegimeClassifier({ k: 2, features: ['spread', 'depth'], names: ['low', 'high'], schedule: 'manual' });
    clf.applyCentroids([0, 0, 10, 0]);
    expect(Array.from(clf.centroidsCopy!)).toEqual([0, 0, 10, 0]);
    clf.applyCentroids([10, 0, 1, -30]);
    expect(Array.from(clf.centroidsCopy!)).toEqual([1, -30, 10, 0]);
    clf.rename();
    expect(Array.from(clf.centroidsCopy!)).toEqual([10, 0, 1, -30]);
    expect(clf.trainings).toBe(2);
    const every = new RegimeClassifier({ k: 2, features: ['spread', 'depth'], names: ['low', 'high'], schedule: 'manual', naming: 'every' });
    every.applyCentroids([0, 0, 10, 0]);
    every.applyCentroids([10, 0, 1, -30]);
    expect(Array.from(every.centroidsCopy!)).toEqual([10, 0, 1, -30]);
    new RegimeClassifier().rename(); // no-op before training
  });

  it('uses given profiles', () => {
    const clf = new RegimeClassifier({ k: 2, features: ['spread', 'depth'], names: ['thin', 'deep'], profiles: [[0, -1], [0, 1]], schedule: 'manual' });
    clf.applyCentroids([0, 5, 0, -5]);
    expect(Array.from(clf.centroidsCopy!)).toEqual([0, -5, 0, 5]);
  });

  it('skips a training on fewer than k distinct points, and tries again only after retrainEvery points', () => {
    const clf = new RegimeClassifier({ ...SMALL, features: ['depth'] });
    const out: number[] = [];
    for (let i = 0; i < 30; i++) out.push(clf.update({ ts: i, mid: 100, spread: 0.01, ofi: 0, bidDepth: 100, askDepth: 100 }));
    // warmup 3, then points from event 3: due at 8 points (event 10) and again 10 points later (event 20);
    // events 21..29 are 9 points: not due again
    expect(out.every((r) => r === -1)).toBe(true);
    expect(clf.skippedTrainings).toBe(2);
    expect(clf.isTrained).toBe(false);
  });

  it('with schedule manual never trains in update; train() and an off-thread job give the same centroids', () => {
    for (const initialization of ['profiles', 'kmeans++'] as const) {
      const options: RegimeClassifierOptions = { ...SMALL, trainingWindow: 64, minTrainPoints: 40, schedule: 'manual', initialization };
      const a = new RegimeClassifier(options);
      for (const x of randomInputs(3, 300)) expect(a.update(x)).toBe(-1);
      expect(a.trainingDue).toBe(true);
      const b = new RegimeClassifier(options);
      b.restore(JSON.parse(JSON.stringify(a.snapshot())));
      expect(a.train()).toBe(true);
      expect(a.trainingDue).toBe(false);
      const target = new Float64Array(b.trainingWindow * b.dimension);
      const job = b.takeTrainingJob(target);
      expect(job.n).toBe(64);
      expect(job.initial === null).toBe(initialization === 'kmeans++');
      const fit = fitCentroids(kmeans as unknown as KmeansFunction, target, job.n, b.dimension, b.k, job.seed, b.restarts, b.maxIterations, job.initial);
      b.applyFit(fit!.centroids);
      expect(Array.from(b.centroidsCopy!)).toEqual(Array.from(a.centroidsCopy!));
      expect(() => b.takeTrainingJob(new Float64Array(3))).toThrow(InvalidInputError);
    }
  });

  it('with initialization profiles, starts every training from the profiles: centroid i is regime i, a regime without points keeps its seed', () => {
    // spread and depth; seeds 2 x profile: Calm (0, 0), Stressed (2, -2), Manipulation (0, 2).
    // Points (z after the dead zone): 4 at (0, 0) and 1 at (0.5, 0), 3 at (3, -3): Calm and Stressed move
    // to their means, Manipulation has no point nearest it and stays at its seed.
    const clf = new RegimeClassifier({ features: ['spread', 'depth'], schedule: 'manual', minTrainPoints: 8, trainingWindow: 8 });
    const seeds = clf.takeTrainingJob(new Float64Array(8 * 2)).initial!;
    expect(seeds).toEqual([0, 0, 2, -2, 0, 2]);
    expect(PROFILE_SEED_SCALE).toBe(2);
    const data = new Float64Array([0, 0, 3, -3, 0, 0, 3, -3, 0.5, 0, 3, -3, 0, 0, 0, 0]);
    const fit = fitCentroids(kmeans as unknown as KmeansFunction, data, 8, 2, 3, 1, 1, 100, seeds)!;
    expect(Array.from(fit.centroids)).toEqual([0.1, 0, 3, -3, 0, 2]);
    clf.applyFit(fit.centroids);
    expect(Array.from(clf.centroidsCopy!)).toEqual([0.1, 0, 3, -3, 0, 2]);
    // the same rows in another order are taken as they come (no matching): row order is regime order
    clf.applyFit([0, 2, 3, -3, 0, 0]);
    expect(clf.classify([0, 0])).toBe(2);
    expect(clf.restarts).toBe(1);
    expect(() => new RegimeClassifier({ k: 2, features: ['spread'], profiles: [[1], [1]] })).toThrow(InvalidOptionError);
    expect(() => new RegimeClassifier({ k: 2, features: ['spread'], profiles: [[1], [1]], initialization: 'kmeans++' })).not.toThrow();
  });

  it('on calm trading alone, profile seeding keeps the points Calm where k-means++ splits them three ways', () => {
    // 5 minutes of stationary trading at 40 events/s: nothing but ordinary fluctuations
    const calmShare = (initialization: 'profiles' | 'kmeans++'): number => {
      const rnd = new Random(5);
      const clf = new RegimeClassifier({ initialization, minTrainPoints: 1000, retrainEvery: 2000 });
      let ts = 0;
      let mid = 100;
      const counts = [0, 0, 0];
      for (let i = 0; i < 12_000; i++) {
        ts += rnd.exponential(0.04);
        mid += 0.005 * Math.round(rnd.normal(0, 0.3));
        const depth = rnd.normal(4000, 300);
        const r = clf.update({ ts, mid, spread: 0.01 * (1 + rnd.poisson(0.2)), ofi: rnd.normal(0, 50), bidDepth: depth / 2, askDepth: depth / 2 });
        if (r >= 0) counts[r]!++;
      }
      expect(clf.trainings).toBeGreaterThan(1);
      const known = counts[0]! + counts[1]! + counts[2]!;
      return initialization === 'profiles' ? counts[0]! / known : Math.max(...counts) / known;
    };
    const profiles = calmShare('profiles');
    expect(profiles).toBeGreaterThan(0.9);
    expect(calmShare('kmeans++')).toBeLessThan(profiles);
  });

  it("keeps the last trainingWindow points with sampling 'recent' and a uniform sample with 'reservoir'", () => {
    const inputs = randomInputs(4, 200);
    const recent = new RegimeClassifier({ ...SMALL, features: ['depth', 'spread'], sampling: 'recent', schedule: 'manual' });
    const points: number[][] = [];
    for (const x of inputs) {
      recent.update(x);
      if (recent.count > 3) points.push(Array.from(recent.point));
    }
    const target = new Float64Array(16 * 2);
    recent.takeTrainingJob(target);
    const rows = (xs: ArrayLike<number>): string[] => Array.from({ length: 16 }, (_, i) => `${xs[2 * i]},${xs[2 * i + 1]}`).sort();
    expect(rows(target)).toEqual(rows(points.slice(-16).flat()));
    const reservoir = new RegimeClassifier({ ...SMALL, features: ['depth', 'spread'], schedule: 'manual' });
    for (const x of inputs) reservoir.update(x);
    expect(reservoir.samplePoints).toBe(16);
  });

  it('rejects bad options, time going backwards and bad centroids with typed errors', () => {
    const bad: Array<Record<string, unknown>> = [
      { k: 1 }, { k: 17 }, { names: ['a', 'b'] }, { names: ['a', 'a', 'b'] }, { names: ['a', 'b', 'unknown'] },
      { features: [] }, { features: ['volume'] }, { features: ['spread', 'spread'] }, { profiles: [[1]] },
      { k: 2, features: ['spread'], profiles: [[1], [NaN]] }, { featureHalfLifeMs: 0 }, { messageHalfLifeMs: -1 }, { activityHalfLifeMs: 0 },
      { scalerHalfLifeMs: 0 }, { scalerHalfLife: 1000 }, { winsorize: 0 }, { warmup: 1 }, { warmupMs: -1 },
      { clip: 0 }, { deadZone: -1 }, { deadZone: 5 }, { minTrainPoints: 2 }, { minTrainPoints: 5000 }, { retrainEvery: 0 }, { trainingWindow: 2 },
      { sampling: 'all' }, { schedule: 'never' }, { naming: 'last' }, { initialization: 'random' }, { restarts: 0 }, { maxIterations: 0 }, { seed: -1 }, { typo: 1 },
    ];
    for (const options of bad) expect(() => new RegimeClassifier(options as RegimeClassifierOptions), JSON.stringify(options)).toThrow(InvalidOptionError);
    const clf = new RegimeClassifier();
    clf.update({ ts: 10, mid: 1, spread: 1, ofi: 0, bidDepth: 1, askDepth: 1 });
    expect(() => clf.update({ ts: 9, mid: 1, spread: 1, ofi: 0, bidDepth: 1, askDepth: 1 })).toThrow(InvalidInputError);
    expect(() => clf.update({ ts: NaN, mid: 1, spread: 1, ofi: 0, bidDepth: 1, askDepth: 1 })).toThrow(InvalidInputError);
    expect(() => clf.applyCentroids([1, 2])).toThrow(InvalidInputError);
    expect(() => clf.applyCentroids(new Array(12).fill(NaN))).toThrow(InvalidInputError);
    expect(() => clf.applyFit([1, 2])).toThrow(InvalidInputError);
    expect(DEFAULT_REGIME_CLASSIFIER_OPTIONS.k).toBe(3);
  });

  it('uses VPIN when asked, imputing the baseline while it is missing', () => {
    // (VPIN alone: the default Calm and Manipulation profiles coincide on it, so profile seeding cannot tell them apart)
    const clf = new RegimeClassifier({ features: ['vpin'], initialization: 'kmeans++', warmup: 2, warmupMs: 0, minTrainPoints: 10, trainingWindow: 10 });
    for (let i = 0; i < 5; i++) clf.update({ ts: i, mid: 1, spread: 1, ofi: 0, bidDepth: 1, askDepth: 1 });
    expect(clf.imputed).toBe(3);
    clf.update({ ts: 5, mid: 1, spread: 1, ofi: 0, bidDepth: 1, askDepth: 1, vpin: 0.4 });
    expect(clf.rawPoint[0]).toBe(0.4);
  });

  it('refuses a state from other options or a malformed one', () => {
    const a = new RegimeClassifier(SMALL);
    for (const x of randomInputs(5, 30)) a.update(x);
    const state = JSON.parse(JSON.stringify(a.snapshot()));
    expect(() => new RegimeClassifier({ ...SMALL, clip: 4 }).restore(state)).toThrow(InvalidStateError);
    const b = new RegimeClassifier(SMALL);
    expect(() => b.restore({ ...state, windows: [1, 2] })).toThrow(InvalidStateError);
    expect(() => b.restore({ ...state, regime: 7 })).toThrow(InvalidStateError);
    expect(() => b.restore({ ...state, sample: { ...state.sample, stored: 99 } })).toThrow(InvalidStateError);
    expect(() => b.restore({ ...state, scaler: null })).toThrow(InvalidStateError);
    expect(() => b.restore({ ...state, scaler: { ...state.scaler, mean: [] } })).toThrow(InvalidStateError);
    expect(() => b.restore({ ...state, version: 1 })).toThrow(InvalidStateError);
    expect(() => b.restore({ ...state, centroids: ['x'] })).toThrow(InvalidStateError);
    expect(b.count).toBe(0);
    b.restore(state);
    expect(b.count).toBe(30);
  });

  testOperatorContract(
    'RegimeClassifier',
    () => new RegimeClassifier(SMALL),
    fc.array(step, { maxLength: 40 }),
    (clf, s) => [feed(clf, s), clf.trainings, Array.from(clf.point)],
    30,
  );

  testOperatorContract(
    'RegimeClassifier (k-means++, time warm-up, all features)',
    () => new RegimeClassifier({ ...SMALL, warmupMs: 1500, initialization: 'kmeans++', features: ['volatility', 'spread', 'ofi', 'depth', 'messageRate', 'vpin'] }),
    fc.array(step, { maxLength: 40 }),
    (clf, s) => [feed(clf, s), clf.trainings, Array.from(clf.point), Array.from(clf.rawPoint), clf.imputed],
    30,
  );
});
