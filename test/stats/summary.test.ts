import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Summary } from '../../src/stats/summary.js';
import { testOperatorContract } from '../support/contract.js';

describe('Summary', () => {
  it('summarises 1, 2, 3, 4 as worked out by hand', () => {
    // mean = 10 / 4 = 2.5; deviations -1.5, -0.5, 0.5, 1.5; squares sum to 5; population var = 5 / 4 = 1.25
    const s = new Summary();
    expect([1, 2, 3, 4].map((x) => s.update(x))).toEqual([1, 1.5, 2, 2.5]);
    expect(s.result()).toEqual({ n: 4, skipped: 0, mean: 2.5, std: Math.sqrt(1.25), min: 1, max: 4, sum: 10 });
    expect(s.sampleStd).toBe(Math.sqrt(5 / 3));
    expect(s.count).toBe(4);
  });

  it('is empty before the first value and counts non-finite values as skipped', () => {
    const s = new Summary();
    expect(s.result()).toEqual({ n: 0, skipped: 0, mean: NaN, std: NaN, min: NaN, max: NaN, sum: 0 });
    expect(s.sampleStd).toBeNaN();
    s.update(NaN);
    s.update(Infinity);
    s.update(2);
    expect(s.result()).toMatchObject({ n: 1, skipped: 2, mean: 2, std: 0, sum: 2 });
  });

  it('agrees with a naive two-pass computation', () => {
    // Integer values: every partial sum is exact in float64 (|sum| < 2^53), so the naive sum is exact too
    // and the compensated sum must equal it; mean and std are compared with a relative tolerance.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 200 }), (xs) => {
        const s = new Summary();
        xs.forEach((x) => s.update(x));
        const sum = xs.reduce((a, b) => a + b, 0);
        const mean = sum / xs.length;
        const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
        const r = s.result();
        const scale = Math.max(1, ...xs.map(Math.abs));
        expect(r.sum).toBe(sum);
        expect(Math.abs(r.mean - mean)).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(r.std - Math.sqrt(variance))).toBeLessThanOrEqual(1e-9 * scale);
        // == rather than Object.is: -0 and 0 are the same minimum
        expect(r.min === Math.min(...xs)).toBe(true);
        expect(r.max === Math.max(...xs)).toBe(true);
      }),
    );
  });

  it('sums with compensation: 1e16 + 1 - 1e16 = 1', () => {
    const s = new Summary();
    [1e16, 1, -1e16].forEach((x) => s.update(x));
    expect(s.result().sum).toBe(1);
  });

  testOperatorContract('Summary', () => new Summary(), fc.array(fc.oneof(fc.double({ min: -1e9, max: 1e9 }), fc.constant(NaN)), { maxLength: 30 }));
});
