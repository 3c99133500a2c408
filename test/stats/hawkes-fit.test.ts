import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { DEFAULT_HAWKES_FIT_OPTIONS, fitHawkes, hawkesLogLikelihood, type HawkesParams } from '../../src/stats/hawkes-fit.js';
import { simulateHawkes } from '../../src/stats/hawkes-simulate.js';

/** The log-likelihood by its definition, O(n^2): sum ln lambda(t_i) - integral of lambda over [start, end]. */
function naiveLogLikelihood(times: number[], p: HawkesParams, start: number, end: number): number {
  let l = 0;
  for (let i = 0; i < times.length; i++) {
    let lambda = p.mu;
    for (let j = 0; j < i; j++) lambda += p.alpha * Math.exp(-p.beta * (times[i]! - times[j]!));
    l += Math.log(lambda);
  }
  let integral = p.mu * (end - start);
  for (const t of times) integral += (p.alpha / p.beta) * (1 - Math.exp(-p.beta * (end - t)));
  return l - integral;
}

const sortedTimes = fc
  .array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 0, maxLength: 40 })
  .map((xs) => xs.sort((a, b) => a - b));
const params = fc.record({
  mu: fc.double({ min: 0.01, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0, max: 5, noNaN: true }),
  beta: fc.double({ min: 0.01, max: 5, noNaN: true }),
});

describe('hawkesLogLikelihood', () => {
  it('follows Ozaki (1979) on a hand-worked pair of events', () => {
    // events 0, 1 on [0, 2], mu = alpha = beta = 1:
    // lambda(0) = 1, lambda(1) = 1 + e^-1; integral = 2 + (1 - e^-2) + (1 - e^-1)
    const expected = Math.log(1 + Math.exp(-1)) - 2 - (1 - Math.exp(-2)) - (1 - Math.exp(-1));
    expect(hawkesLogLikelihood([0, 1], { mu: 1, alpha: 1, beta: 1 }, { end: 2 })).toBeCloseTo(expected, 14);
  });

  it('is the Poisson log-likelihood n ln mu - mu T when alpha = 0', () => {
    expect(hawkesLogLikelihood([1, 2, 5], { mu: 0.5, alpha: 0, beta: 3 }, { start: 0, end: 10 })).toBeCloseTo(3 * Math.log(0.5) - 5, 14);
  });

  it('equals the O(n^2) definition (property)', () => {
    fc.assert(
      fc.property(sortedTimes, params, fc.double({ min: 0, max: 50, noNaN: true }), (times, p, extra) => {
        const start = 0;
        const end = (times.length > 0 ? times[times.length - 1]! : 0) + extra;
        const fast = hawkesLogLikelihood(times, p, { start, end });
        const naive = naiveLogLikelihood(times, p, start, end);
        expect(Math.abs(fast - naive)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(naive)));
      }),
    );
  });

  it('defaults the window to [first event, last event] and checks its input', () => {
    const p = { mu: 1, alpha: 0.5, beta: 2 };
    expect(hawkesLogLikelihood([3, 4, 6], p)).toBe(hawkesLogLikelihood([3, 4, 6], p, { start: 3, end: 6 }));
    expect(hawkesLogLikelihood([], p, { start: 0, end: 4 })).toBe(-4);
    expect(() => hawkesLogLikelihood([2, 1], p)).toThrow(InvalidInputError);
    expect(() => hawkesLogLikelihood([1, NaN], p)).toThrow(InvalidInputError);
    expect(() => hawkesLogLikelihood([1, 2], p, { start: 1.5 })).toThrow(InvalidInputError);
    expect(() => hawkesLogLikelihood([1, 2], p, { end: 1.5 })).toThrow(InvalidInputError);
    expect(() => hawkesLogLikelihood([1, 2], p, { start: 3, end: 2 })).toThrow(InvalidOptionError);
    expect(() => hawkesLogLikelihood([1, 2], { mu: 0, alpha: 1, beta: 1 })).toThrow(InvalidOptionError);
  });
});

describe('fitHawkes', () => {
  it('recovers mu 0.5, alpha 0.8, beta 1.2 (branching ratio 2/3) from 50,000 simulated events within two standard errors', () => {
    // Jump-size form: each event adds 0.8 to the intensity, decaying at 1.2 per time unit; n = 0.8 / 1.2.
    // Seed fixed before the first run (not picked among others).
    const truth = { mu: 0.5, alpha: 0.8, beta: 1.2 };
    const times = simulateHawkes(truth, { random: new Random(2026), n: 50_000 });
    const fit = fitHawkes(times, { start: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.events).toBe(50_000);
    expect(Math.abs(fit.mu - truth.mu)).toBeLessThan(2 * fit.stdErrors.mu);
    expect(Math.abs(fit.alpha - truth.alpha)).toBeLessThan(2 * fit.stdErrors.alpha);
    expect(Math.abs(fit.beta - truth.beta)).toBeLessThan(2 * fit.stdErrors.beta);
    expect(Math.abs(fit.branchingRatio - 2 / 3)).toBeLessThan(2 * fit.stdErrors.branchingRatio);
    expect(fit.branchingRatio).toBeLessThan(1);
    expect(fit.stationaryRate).toBeCloseTo(fit.mu / (1 - fit.branchingRatio), 12);
    // the optimum: no better point nearby
    for (const [dm, da, db] of [[1e-3, 0, 0], [-1e-3, 0, 0], [0, 1e-3, 0], [0, -1e-3, 0], [0, 0, 1e-3], [0, 0, -1e-3]] as const) {
      const l = hawkesLogLikelihood(times, { mu: fit.mu + dm, alpha: fit.alpha + da, beta: fit.beta + db }, { start: 0 });
      expect(l).toBeLessThan(fit.logLikelihood);
    }
  });

  it('gives standard errors that cover the truth as a normal would: |z| < 2 in about 95% of 40 fits of 2,000 events', () => {
    // Each share is binomial(40, 0.95): below 0.85 with probability < 1%.
    const truth = { mu: 0.5, alpha: 0.8, beta: 1.2 };
    const inside = [0, 0, 0];
    const runs = 40;
    for (let seed = 500; seed < 500 + runs; seed++) {
      const fit = fitHawkes(simulateHawkes(truth, { random: new Random(seed), n: 2000 }), { start: 0 });
      if (Math.abs(fit.mu - truth.mu) < 2 * fit.stdErrors.mu) inside[0]!++;
      if (Math.abs(fit.alpha - truth.alpha) < 2 * fit.stdErrors.alpha) inside[1]!++;
      if (Math.abs(fit.beta - truth.beta) < 2 * fit.stdErrors.beta) inside[2]!++;
    }
    for (const k of inside) expect(k / runs).toBeGreaterThanOrEqual(0.85);
  });

  it('keeps the branching ratio below 1 for every fit, stationary data or not (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.double({ min: 0.2, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        (seed, mu, ratio, beta) => {
          const times = simulateHawkes({ mu, alpha: ratio * beta, beta }, { random: new Random(seed), n: 300 });
          const fit = fitHawkes(times, { start: 0 });
          expect(fit.branchingRatio).toBeGreaterThanOrEqual(0);
          expect(fit.branchingRatio).toBeLessThan(1);
          expect(fit.mu).toBeGreaterThan(0);
          expect(fit.beta).toBeGreaterThan(0);
          expect(Number.isFinite(fit.logLikelihood)).toBe(true);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('stops at the stationarity bound on explosive data and says it did not converge', () => {
    // n = 1.5: supercritical
    const times = simulateHawkes({ mu: 0.5, alpha: 1.5, beta: 1 }, { random: new Random(3), n: 3000 });
    const fit = fitHawkes(times, { start: 0 });
    expect(fit.branchingRatio).toBeLessThan(1);
    expect(fit.branchingRatio).toBeGreaterThan(0.99);
    expect(fit.converged).toBe(false);
  });

  it('fits a Poisson stream with a branching ratio within two standard errors of 0 and the rate of the data', () => {
    // rate 2 over [0, 5000]: about 10000 events; the true n is 0 (on the boundary). A slow kernel can
    // read chance fluctuations as weak excitation, so the estimate is judged by its standard error.
    const times = simulateHawkes({ mu: 2, alpha: 0, beta: 1 }, { random: new Random(12), end: 5000 });
    const fit = fitHawkes(times, { start: 0, end: 5000 });
    expect(fit.branchingRatio).toBeLessThan(2 * fit.stdErrors.branchingRatio);
    expect(Math.abs(fit.stationaryRate - times.length / 5000)).toBeLessThan(0.05 * (times.length / 5000));
  });

  it('returns NaN estimates for fewer than 2 events', () => {
    for (const times of [[], [1]]) {
      const fit = fitHawkes(times);
      expect(fit.mu).toBeNaN();
      expect(fit.branchingRatio).toBeNaN();
      expect(fit.stdErrors.mu).toBeNaN();
      expect(fit.converged).toBe(false);
      expect(fit.events).toBe(times.length);
    }
  });

  it('starts from a given point and honours the evaluation budget', () => {
    const times = simulateHawkes({ mu: 1, alpha: 1, beta: 2 }, { random: new Random(4), n: 2000 });
    const a = fitHawkes(times, { start: 0, initial: { mu: 1, alpha: 1, beta: 2 } });
    const b = fitHawkes(times, { start: 0 });
    expect(a.logLikelihood).toBeCloseTo(b.logLikelihood, 5);
    const short = fitHawkes(times, { start: 0, maxEvaluations: 20 });
    expect(short.evaluations).toBeLessThanOrEqual(20 + 4);
    expect(short.converged).toBe(false);
  });

  it('rejects bad options and unsorted times with typed errors', () => {
    expect(DEFAULT_HAWKES_FIT_OPTIONS.maxBranchingRatio).toBeLessThan(1);
    expect(() => fitHawkes([2, 1])).toThrow(InvalidInputError);
    expect(() => fitHawkes([1, 2], { maxBranchingRatio: 1 })).toThrow(InvalidOptionError);
    expect(() => fitHawkes([1, 2], { maxEvaluations: 1 })).toThrow(InvalidOptionError);
    expect(() => fitHawkes([1, 2], { tolerance: 0 })).toThrow(InvalidOptionError);
    expect(() => fitHawkes([1, 2], { initial: { mu: 1, alpha: 2, beta: 1 } })).toThrow(InvalidOptionError);
    expect(() => fitHawkes([1, 2], { start: NaN })).toThrow(InvalidOptionError);
    expect(() => fitHawkes([1, 2], { typo: 1 } as never)).toThrow(InvalidOptionError);
  });
});
