import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_LOG_HISTOGRAM_OPTIONS, LogHistogram, type LogHistogramOptions, type LogHistogramState } from '../../src/metrics/log-histogram.js';
import { testOperatorContract } from '../support/contract.js';

/** The lower nearest-rank quantile of sorted values: sorted[max(1, ceil(q n)) - 1]. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

/** The stated bound: relative error a, plus float rounding in ln (far below 1e-9 relative). */
function withinBound(estimate: number, exact: number, a: number): boolean {
  return Math.abs(estimate - exact) <= a * exact * (1 + 1e-9);
}

/** Positive values spread over 12 decades (log-uniform), inside the default range. */
const valueArb = fc.double({ min: -6, max: 6, noNaN: true }).map((e) => 10 ** e);
const QS = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

describe('LogHistogram', () => {
  it('reports the documented example', () => {
    const h = new LogHistogram();
    for (let ms = 1; ms <= 1000; ms++) h.record(ms);
    // gamma = 1.01 / 0.99; the median's exact value 500 lies in bucket ceil(ln 500 / ln gamma) =
    // ceil(6.2146 / 0.0200007) = ceil(310.72) = 311, reported as 2 gamma^311 / (gamma + 1).
    const gamma = 1.01 / 0.99;
    expect(Math.ceil(Math.log(500) / Math.log(gamma))).toBe(311);
    expect(h.quantile(0.5)).toBeCloseTo((2 * gamma ** 311) / (gamma + 1), 9);
    expect(Math.abs(h.quantile(0.5) - 500) / 500).toBeLessThanOrEqual(0.01);
    expect(Math.abs(h.quantile(0.99) - 990) / 990).toBeLessThanOrEqual(0.01);
    expect(h.quantile(1)).toBe(1000); // the max, exactly (clamped to [min, max])
    expect(h.quantile(0)).toBe(1);
    expect([h.count, h.sum, h.min, h.max, h.mean]).toEqual([1000, 500_500, 1, 1000, 500.5]);
    expect(h.bucketCount).toBe(1728); // ceil(ln 1e9 / ln g) - ceil(ln 1e-6 / ln g) + 1 = 1037 - (-690) + 1
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_LOG_HISTOGRAM_OPTIONS).toEqual({ relativeAccuracy: 0.01, minValue: 1e-6, maxValue: 1e9 });
  });

  it('is NaN when empty', () => {
    const h = new LogHistogram();
    expect(h.quantile(0.5)).toBeNaN();
    expect([h.min, h.max, h.mean]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
  });

  it('stays within the relative accuracy of the exact quantiles (property)', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 1, maxLength: 300 }), fc.constantFrom(0.001, 0.01, 0.05), (xs, a) => {
        const h = new LogHistogram({ relativeAccuracy: a });
        for (const x of xs) h.record(x);
        const sorted = [...xs].sort((p, q) => p - q);
        for (const q of QS) {
          const est = h.quantile(q);
          const exact = exactQuantile(sorted, q);
          if (!withinBound(est, exact, a)) expect.fail(`q ${q}: estimate ${est}, exact ${exact}, a ${a}`);
        }
      }),
    );
  });

  it('holds the bound for values on bucket boundaries (gamma^i)', () => {
    const a = 0.01;
    const gamma = (1 + a) / (1 - a);
    const h = new LogHistogram({ relativeAccuracy: a });
    const xs: number[] = [];
    for (let i = -300; i <= 300; i += 7) xs.push(gamma ** i);
    for (const x of xs) h.record(x);
    const sorted = xs.sort((p, q) => p - q);
    for (let k = 1; k <= sorted.length; k++) {
      const q = k / sorted.length;
      expect(withinBound(h.quantile(q), exactQuantile(sorted, q), a)).toBe(true);
    }
  });

  it('reports values below minValue as 0 (or the smallest seen) and values above maxValue as the top bucket', () => {
    const h = new LogHistogram({ minValue: 1, maxValue: 100 });
    for (const x of [0, 0.5, 50, 1e6, 2e6]) h.record(x);
    expect(h.quantile(0.2)).toBe(0); // rank 1: the zero bucket
    expect(h.quantile(0.4)).toBe(0); // rank 2: 0.5 is below minValue, reported as 0
    expect(Math.abs(h.quantile(0.6) - 50) / 50).toBeLessThanOrEqual(0.01); // rank 3
    // Rank 4: 1e6, counted in the top bucket, i = ceil(ln 100 / ln gamma) = ceil(230.25) = 231.
    const gamma = 1.01 / 0.99;
    expect(h.quantile(0.8)).toBeCloseTo((2 * gamma ** 231) / (gamma + 1), 9);
    expect(h.quantile(1)).toBe(2e6); // rank n: the max, exactly
    expect(h.clamped).toBe(2);
    const positive = new LogHistogram({ minValue: 1 });
    positive.record(0.5);
    positive.record(0.7);
    expect(positive.quantile(0.5)).toBe(0.5); // 0 clamped to [min, max] = [0.5, 0.7]
  });

  it('merges to the same histogram as recording everything in one', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { maxLength: 100 }), fc.array(valueArb, { maxLength: 100 }), (xs, ys) => {
        const a = new LogHistogram();
        const b = new LogHistogram();
        const both = new LogHistogram();
        for (const x of xs) (a.record(x), both.record(x));
        for (const y of ys) (b.record(y), both.record(y));
        a.merge(b);
        const { values: va, ...sa } = a.snapshot();
        const { values: vb, ...sb } = both.snapshot();
        expect(sa).toEqual(sb);
        expect(va[1]).toEqual(vb[1]);
        expect(va[2]).toEqual(vb[2]);
        for (const q of QS) expect(a.quantile(q)).toBe(both.quantile(q));
      }),
    );
    expect(() => new LogHistogram().merge(new LogHistogram({ relativeAccuracy: 0.02 }))).toThrow(InvalidInputError);
  });

  it('rejects bad values, bad quantiles and bad options with typed errors', () => {
    const h = new LogHistogram();
    for (const x of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => h.record(x)).toThrow(/LogHistogram\.record: value/);
    expect(h.count).toBe(0);
    expect(() => h.quantile(1.5)).toThrow(InvalidInputError);
    const bad: LogHistogramOptions[] = [{ relativeAccuracy: 0 }, { relativeAccuracy: 1 }, { minValue: 0 }, { minValue: 10, maxValue: 5 }, { relativeAccuracy: 1e-9 }];
    for (const o of bad) expect(() => new LogHistogram(o), JSON.stringify(o)).toThrow(InvalidOptionError);
  });

  it('refuses a state of other options or inconsistent counts', () => {
    const h = new LogHistogram();
    h.record(3);
    const s = h.snapshot();
    expect(() => new LogHistogram({ relativeAccuracy: 0.02 }).restore(s)).toThrow(/differ/);
    expect(() => new LogHistogram().restore({ ...s, counts: [2, 0, 0] })).toThrow(/sum to 1, not count = 2/);
    expect(() => new LogHistogram().restore({ ...s, buckets: [99_999, 1] })).toThrow(InvalidStateError);
    expect(() => new LogHistogram().restore({ ...s, type: 'Other' } as unknown as LogHistogramState)).toThrow(InvalidStateError);
  });

  // The contract through an adapter: update records a value and returns the running p99.
  const adapter = () => {
    const h = new LogHistogram({ relativeAccuracy: 0.02, minValue: 1e-3, maxValue: 1e4 });
    return {
      update: (x: number) => {
        h.record(x);
        return h.quantile(0.99);
      },
      reset: () => h.reset(),
      snapshot: () => h.snapshot(),
      restore: (s: LogHistogramState) => h.restore(s),
    };
  };
  testOperatorContract('LogHistogram', adapter, fc.array(fc.oneof(valueArb, fc.constant(0), fc.constant(1e7)), { maxLength: 50 }));
});
