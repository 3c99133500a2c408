import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import { DEFAULT_HAWKES_INTENSITY_OPTIONS, HawkesIntensity } from '../../src/stats/hawkes-intensity.js';
import { simulateHawkes } from '../../src/stats/hawkes-simulate.js';
import { testOperatorContract } from '../support/contract.js';

/** Feed gaps (ms) as events: ts = previous ts + gap (0 for the first). */
function feedGap(h: HawkesIntensity, gap: number): number {
  return h.update((Number.isNaN(h.lastTs) ? 0 : h.lastTs) + gap);
}

/** lambda(t_n+) by the definition: mu + alpha sum_{i <= n} exp(-beta (t_n - t_i)), times in seconds. */
function naiveIntensity(tsMs: number[], mu: number, alpha: number, beta: number): number {
  const tn = tsMs[tsMs.length - 1]!;
  let s = 0;
  for (const t of tsMs) s += Math.exp((-beta * (tn - t)) / 1000);
  return mu + alpha * s;
}

const gaps = fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 1, maxLength: 60 });

describe('HawkesIntensity', () => {
  it('jumps by alpha at each event and decays at rate beta per second', () => {
    // mu 0.5, alpha 0.8, beta 1.2 per second:
    // event at 0: 0.5 + 0.8 = 1.3
    // event at 1 s: 0.5 + 0.8 (e^-1.2 + 1) = 0.5 + 0.8 * 1.3011942119122022 = 1.5409553695297618
    // at 2 s, no event: 0.5 + 0.8 e^-1.2 (1 + e^-1.2) = 0.5 + 0.8 * 0.3919... = 0.8135297...
    const h = new HawkesIntensity({ mu: 0.5, alpha: 0.8, beta: 1.2 });
    expect(h.intensity).toBe(0.5);
    expect(h.intensityAt(123)).toBe(0.5);
    expect(h.update(0)).toBeCloseTo(1.3, 15);
    const e = Math.exp(-1.2);
    expect(h.update(1000)).toBeCloseTo(0.5 + 0.8 * (1 + e), 14);
    expect(h.intensityAt(1000)).toBeCloseTo(0.5 + 0.8 * (1 + e), 14);
    expect(h.intensityAt(2000)).toBeCloseTo(0.5 + 0.8 * e * (1 + e), 14);
    expect(h.count).toBe(2);
    expect(h.lastTs).toBe(1000);
    expect(h.branchingRatio).toBeCloseTo(2 / 3, 15);
  });

  it('takes its time unit from timeUnitMs (default one second)', () => {
    expect(DEFAULT_HAWKES_INTENSITY_OPTIONS.timeUnitMs).toBe(1000);
    // beta 0.001 per ms = 1 per second: the same process
    const perMs = new HawkesIntensity({ mu: 0.0005, alpha: 0.001, beta: 0.001, timeUnitMs: 1 });
    const perS = new HawkesIntensity({ mu: 0.5, alpha: 1, beta: 1 });
    for (const ts of [0, 250, 900, 900, 4000]) {
      expect(perMs.update(ts) * 1000).toBeCloseTo(perS.update(ts), 12);
    }
  });

  it('counts simultaneous events as separate jumps', () => {
    const h = new HawkesIntensity({ mu: 1, alpha: 2, beta: 1 });
    h.update(5);
    expect(h.update(5)).toBe(1 + 2 * 2);
  });

  it('accumulates the compensator, the integrated intensity between the first and last event', () => {
    // events at 0 and 1 s: integral_0^1 (0.5 + 0.8 e^{-1.2 t}) dt = 0.5 + (0.8 / 1.2)(1 - e^-1.2)
    const h = new HawkesIntensity({ mu: 0.5, alpha: 0.8, beta: 1.2 });
    h.update(0);
    expect(h.compensator).toBe(0);
    h.update(1000);
    expect(h.compensator).toBeCloseTo(0.5 + (0.8 / 1.2) * (1 - Math.exp(-1.2)), 14);
  });

  it('has compensator increments of mean 1 on its own simulated process (time rescaling)', () => {
    // Under the true model the increments are i.i.d. Exp(1): mean 1, sd 1 / sqrt(n) = 0.0071 for n = 20000.
    const params = { mu: 0.5, alpha: 0.8, beta: 1.2 };
    const times = simulateHawkes(params, { random: new Random(41), n: 20_000 });
    const h = new HawkesIntensity(params);
    for (const t of times) h.update(t * 1000);
    const meanIncrement = h.compensator / (times.length - 1);
    expect(Math.abs(meanIncrement - 1)).toBeLessThan(4 / Math.sqrt(times.length));
  });

  it('never falls below mu (property), and equals the definition as a sum over past events', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        gaps,
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        (mu, alpha, beta, gs, later) => {
          const h = new HawkesIntensity({ mu, alpha, beta });
          const ts: number[] = [];
          for (const g of gs) {
            const out = feedGap(h, g);
            ts.push(h.lastTs);
            expect(out).toBeGreaterThanOrEqual(mu);
            expect(out).toBeGreaterThanOrEqual(mu + alpha);
            expect(out).toBeCloseTo(naiveIntensity(ts, mu, alpha, beta), 9);
          }
          expect(h.intensityAt(h.lastTs + later)).toBeGreaterThanOrEqual(mu);
        },
      ),
    );
  });

  it('rejects bad options and bad time stamps with typed errors', () => {
    expect(() => new HawkesIntensity({ mu: 0, alpha: 1, beta: 1 })).toThrow(InvalidOptionError);
    expect(() => new HawkesIntensity({ mu: 1, alpha: -1, beta: 1 })).toThrow(InvalidOptionError);
    expect(() => new HawkesIntensity({ mu: 1, alpha: 1, beta: 0 })).toThrow(InvalidOptionError);
    expect(() => new HawkesIntensity({ mu: 1, alpha: 1, beta: 1, timeUnitMs: 0 })).toThrow(InvalidOptionError);
    expect(() => new HawkesIntensity({ mu: 1, alpha: 1, beta: 1, typo: 1 } as never)).toThrow(InvalidOptionError);
    expect(() => new HawkesIntensity(undefined as never)).toThrow(InvalidOptionError);
    const h = new HawkesIntensity({ mu: 1, alpha: 1, beta: 1 });
    expect(() => h.update(NaN)).toThrow(InvalidInputError);
    h.update(10);
    expect(() => h.update(9)).toThrow(InvalidInputError);
    expect(() => h.intensityAt(9)).toThrow(InvalidInputError);
    expect(h.count).toBe(1);
  });

  it('refuses a state taken with other parameters', () => {
    const a = new HawkesIntensity({ mu: 1, alpha: 1, beta: 2 });
    a.update(0);
    const b = new HawkesIntensity({ mu: 1, alpha: 1, beta: 3 });
    expect(() => b.restore(a.snapshot())).toThrow(InvalidStateError);
    expect(() => b.restore({ type: 'Ewma', version: 1 } as never)).toThrow(InvalidStateError);
  });

  testOperatorContract(
    'HawkesIntensity',
    () => new HawkesIntensity({ mu: 0.5, alpha: 0.8, beta: 1.2 }),
    fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { maxLength: 40 }),
    (h, gap) => [feedGap(h, gap), h.compensator],
  );
});
