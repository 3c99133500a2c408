import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { simulateHawkes } from '../../src/stats/hawkes-simulate.js';

/** A Random whose uniforms come from a script (exponential draws use them through -ln(1 - u) / rate). */
class ScriptedRandom extends Random {
  constructor(private readonly script: number[]) {
    super(1);
  }
  override next(): number {
    const u = this.script.shift();
    if (u === undefined) throw new Error('script exhausted');
    return u;
  }
}

describe('simulateHawkes', () => {
  it('thins candidates by lambda(candidate) / bound (Ogata 1981), worked by hand', () => {
    // mu 1, alpha 1, beta ln 2 (the excitation halves per time unit). Uniforms chosen so each gap is 1:
    // 1. bound 1, gap 1 (u = 1 - e^-1): t = 1, lambda = 1; accept (0.99 * 1 <= 1). Event at 1, S = 1.
    // 2. bound 1 + 1 = 2, gap 1 (u = 1 - e^-2): t = 2, S = 0.5, lambda = 1.5; 0.8 * 2 = 1.6 > 1.5: reject.
    // 3. bound 1.5, gap 1 (u = 1 - e^-1.5): t = 3, S = 0.25, lambda = 1.25; 0.8 * 1.5 = 1.2 <= 1.25: accept.
    const rnd = new ScriptedRandom([1 - Math.exp(-1), 0.99, 1 - Math.exp(-2), 0.8, 1 - Math.exp(-1.5), 0.8]);
    const times = simulateHawkes({ mu: 1, alpha: 1, beta: Math.LN2 }, { random: rnd, n: 2 });
    expect(times.length).toBe(2);
    expect(times[0]).toBeCloseTo(1, 12);
    expect(times[1]).toBeCloseTo(3, 12);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const p = { mu: 0.5, alpha: 0.8, beta: 1.2 };
    const a = simulateHawkes(p, { random: new Random(5), n: 500 });
    const b = simulateHawkes(p, { random: new Random(5), n: 500 });
    const c = simulateHawkes(p, { random: new Random(6), n: 500 });
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('returns increasing times inside [start, end], stopping at n or end (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 0.95, noNaN: true }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        (seed, mu, ratio, beta, n, start) => {
          const times = simulateHawkes({ mu, alpha: ratio * beta, beta }, { random: new Random(seed), n, start, end: start + 200 });
          expect(times.length).toBeLessThanOrEqual(n);
          let prev = start;
          for (const t of times) {
            expect(t).toBeGreaterThanOrEqual(prev);
            expect(t).toBeLessThanOrEqual(start + 200);
            prev = t;
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('with alpha 0 is a Poisson process of rate mu', () => {
    // count on [0, 10000] at rate 2: mean 20000, sd sqrt(20000) = 141
    const times = simulateHawkes({ mu: 2, alpha: 0, beta: 1 }, { random: new Random(8), end: 10_000 });
    expect(Math.abs(times.length - 20_000)).toBeLessThan(4 * Math.sqrt(20_000));
  });

  it('has the stationary mean rate mu / (1 - alpha / beta)', () => {
    // mu 0.5, n = 2/3: rate 1.5. Var N(T) ~ mu T / (1 - n)^3 (Hawkes & Oakes 1974): over T = 20000,
    // mean 30000, sd sqrt(0.5 * 20000 * 27) = 520.
    const times = simulateHawkes({ mu: 0.5, alpha: 0.8, beta: 1.2 }, { random: new Random(9), end: 20_000 });
    expect(Math.abs(times.length - 30_000)).toBeLessThan(4 * 520);
  });

  it('rejects bad parameters and options with typed errors', () => {
    const random = new Random(1);
    expect(() => simulateHawkes({ mu: 0, alpha: 1, beta: 1 }, { random, n: 1 })).toThrow(InvalidOptionError);
    expect(() => simulateHawkes({ mu: 1, alpha: -1, beta: 1 }, { random, n: 1 })).toThrow(InvalidOptionError);
    expect(() => simulateHawkes({ mu: 1, alpha: 1, beta: 0 }, { random, n: 1 })).toThrow(InvalidOptionError);
    expect(() => simulateHawkes({ mu: 1, alpha: 1, beta: 1 }, { random })).toThrow(InvalidOptionError);
    expect(() => simulateHawkes({ mu: 1, alpha: 1, beta: 1 }, { random, n: 1.5 })).toThrow(InvalidOptionError);
    expect(() => simulateHawkes({ mu: 1, alpha: 1, beta: 1 }, { random, end: -1 })).toThrow(InvalidOptionError);
    expect(() => simulateHawkes({ mu: 1, alpha: 1, beta: 1 }, { random: {} as Random, n: 1 })).toThrow(InvalidOptionError);
  });
});
