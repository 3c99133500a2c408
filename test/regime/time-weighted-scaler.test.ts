import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import type { Operator } from '../../src/core/operator.js';
import { TimeWeightedScaler, type TimeWeightedScalerState } from '../../src/regime/time-weighted-scaler.js';
import { testOperatorContract } from '../support/contract.js';

interface Step {
  dt: number;
  x: number;
}

/** Naive reference: every held value weighted by the integral of 2^(-age / H) over the time it held. */
function reference(steps: Step[], halfLifeMs: number): { mean: number; variance: number } {
  const ts: number[] = [];
  let t = 0;
  for (const s of steps) {
    t += s.dt;
    ts.push(t);
  }
  const now = t;
  const rate = Math.LN2 / halfLifeMs;
  let sw = 0;
  let swx = 0;
  for (let i = 0; i + 1 < steps.length; i++) {
    const x = steps[i]!.x;
    if (!Number.isFinite(x)) continue;
    // held on [ts_i, ts_i+1]: weight integral of exp(-rate (now - u)) du
    const w = (Math.exp(-rate * (now - ts[i + 1]!)) * -Math.expm1(-rate * (ts[i + 1]! - ts[i]!))) / rate;
    sw += w;
    swx += w * x;
  }
  const mean = swx / sw;
  let sv = 0;
  for (let i = 0; i + 1 < steps.length; i++) {
    const x = steps[i]!.x;
    if (!Number.isFinite(x)) continue;
    const w = (Math.exp(-rate * (now - ts[i + 1]!)) * -Math.expm1(-rate * (ts[i + 1]! - ts[i]!))) / rate;
    sv += w * (x - mean) ** 2;
  }
  return { mean, variance: sv / sw };
}

const step: fc.Arbitrary<Step> = fc.record({
  dt: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 5000, noNaN: true })),
  x: fc.oneof({ weight: 6, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(NaN) }),
});

describe('TimeWeightedScaler', () => {
  it('runs the docstring example: a value weighs the time it held', () => {
    const s = new TimeWeightedScaler({ dimension: 1, halfLifeMs: 1e300, winsorize: Infinity });
    const z = new Float64Array(1);
    s.update(0, [1], z);
    expect(z[0]).toBeNaN();
    s.update(3000, [3], z);
    expect(z[0]).toBeNaN();
    expect(s.mean(0)).toBe(1);
    s.update(4000, [9], z);
    // 1 held 3 s, 3 held 1 s: mean 1.5, variance (3 * 0.25 + 1 * 2.25) / 4 = 0.75
    expect(s.mean(0)).toBe(1.5);
    expect(s.std(0)).toBeCloseTo(Math.sqrt(0.75), 15);
    expect(z[0]).toBeCloseTo(7.5 / Math.sqrt(0.75), 14);
    expect(s.observedMs).toBe(4000);
  });

  it('weighs a burst of events by its duration, not its count', () => {
    // 0 for 60 s, then 1000 events of 10 within 10 ms, then 0 again for 1 s: the burst held 10 ms
    const s = new TimeWeightedScaler({ dimension: 1, halfLifeMs: 1e300, winsorize: Infinity });
    const z = new Float64Array(1);
    s.update(0, [0], z);
    for (let i = 0; i < 1000; i++) s.update(60_000 + i * 0.01, [10], z);
    s.update(60_010, [0], z);
    s.update(61_010, [0], z);
    expect(s.mean(0)).toBeCloseTo((10 * 10) / 61_010, 9);
  });

  it('equals the time-weighted mean and variance of a naive reference, any half-life (property)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 40 }), fc.double({ min: 1000, max: 1e6, noNaN: true }), (steps, halfLifeMs) => {
        const s = new TimeWeightedScaler({ dimension: 1, halfLifeMs, winsorize: Infinity });
        const z = new Float64Array(1);
        let t = 0;
        for (const st of steps) {
          t += st.dt;
          s.update(t, [st.x], z);
        }
        const ref = reference(steps, halfLifeMs);
        if (!Number.isFinite(ref.mean)) {
          expect(s.mean(0)).toBeNaN();
          return;
        }
        // values in [-100, 100]: absolute tolerances, the variance relative to its size
        expect(Math.abs(s.mean(0) - ref.mean)).toBeLessThan(1e-7);
        expect(Math.abs(s.std(0) ** 2 - ref.variance)).toBeLessThan(1e-7 * (1 + ref.variance));
      }),
      { numRuns: 300 },
    );
  });

  it('scores a value against the baseline before it joins, and a missing value holds nothing', () => {
    const s = new TimeWeightedScaler({ dimension: 2, halfLifeMs: 1e300, winsorize: Infinity });
    const z = new Float64Array(2);
    s.update(0, [1, 5], z);
    s.update(1000, [3, NaN], z);
    expect(Number.isNaN(z[1]!)).toBe(true);
    s.update(2000, [5, 7], z);
    // series 0: 1 and 3 held 1 s each: mean 2, std 1: z = 3; series 1: only 5 held (NaN held nothing): std 0
    expect(z[0]).toBe(3);
    expect(z[1]).toBeNaN();
    expect(s.mean(1)).toBe(5);
    expect(new TimeWeightedScaler({ dimension: 1, halfLifeMs: 1 }).mean(0)).toBeNaN();
  });

  it('winsorizes a value at mean +- winsorize std once warm, so an episode moves its baseline slowly', () => {
    // equal weights: ten values alternating 0 and 2 held 1 s each (mean 1, std 1), then 100 held 1 s:
    // winsorized to 1 + 2 * 1 = 3 after warmupMs 5000; not winsorized before it
    const run = (warmupMs: number): number => {
      const s = new TimeWeightedScaler({ dimension: 1, halfLifeMs: 1e300, winsorize: 2, warmupMs });
      const z = new Float64Array(1);
      for (let i = 0; i < 10; i++) s.update(i * 1000, [i % 2 === 0 ? 0 : 2], z);
      s.update(10_000, [100], z);
      s.update(11_000, [1], z);
      return s.mean(0);
    };
    expect(run(5000)).toBeCloseTo((10 + 3) / 11, 12);
    expect(run(20_000)).toBeCloseTo((10 + 100) / 11, 12);
    expect(new TimeWeightedScaler({ dimension: 1, halfLifeMs: 1, warmupMs: 5 }).warm).toBe(false);
  });

  it('rejects bad options, time going backwards and a foreign state with typed errors', () => {
    for (const options of [{ dimension: 0, halfLifeMs: 1 }, { dimension: 65, halfLifeMs: 1 }, { dimension: 1, halfLifeMs: 0 }, { dimension: 1, halfLifeMs: 1, winsorize: 0 }, { dimension: 1, halfLifeMs: 1, warmupMs: -1 }, { dimension: 1, halfLifeMs: 1, typo: 1 }]) {
      expect(() => new TimeWeightedScaler(options as never), JSON.stringify(options)).toThrow(InvalidOptionError);
    }
    const s = new TimeWeightedScaler({ dimension: 1, halfLifeMs: 1000 });
    const z = new Float64Array(1);
    s.update(10, [1], z);
    expect(() => s.update(9, [1], z)).toThrow(InvalidInputError);
    expect(() => s.update(NaN, [1], z)).toThrow(InvalidInputError);
    const state = JSON.parse(JSON.stringify(s.snapshot())) as TimeWeightedScalerState;
    expect(() => new TimeWeightedScaler({ dimension: 1, halfLifeMs: 2000 }).restore(state)).toThrow(InvalidStateError);
    expect(() => new TimeWeightedScaler({ dimension: 1, halfLifeMs: 1000 }).restore({ ...state, mean: [] })).toThrow(InvalidStateError);
    expect(s.lastTs).toBe(10);
  });

  interface Input {
    dt: number;
    x: [number, number];
  }
  const input: fc.Arbitrary<Input> = fc.record({ dt: step.map((s) => s.dt), x: fc.tuple(step.map((s) => s.x), step.map((s) => s.x)) });
  testOperatorContract(
    'TimeWeightedScaler',
    () => new TimeWeightedScaler({ dimension: 2, halfLifeMs: 3000, winsorize: 2, warmupMs: 2000 }) as unknown as Operator<Input, number[]>,
    fc.array(input, { maxLength: 40 }),
    (op, i) => {
      const s = op as unknown as TimeWeightedScaler;
      const ts = (Number.isNaN(s.lastTs) ? 0 : s.lastTs) + i.dt;
      const z = new Float64Array(2);
      s.update(ts, i.x, z);
      return [...z, s.mean(0), s.std(1), s.observedMs];
    },
    50,
  );
});
