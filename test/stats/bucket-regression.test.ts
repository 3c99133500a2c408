import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { BucketRegression } from '../../src/stats/bucket-regression.js';
import { StreamingOls } from '../../src/stats/streaming-ols.js';
import { testOperatorContract } from '../support/contract.js';

describe('BucketRegression', () => {
  it('regresses bucket level changes on bucket flows, as worked out by hand', () => {
    const r = new BucketRegression({ bucketMs: 10_000 });
    r.level(0, 100);
    r.flow(1, 50);
    r.level(2, 100.5); // bucket 0: X = 50, dY = 100.5 - 100 (the first level) = 0.5
    r.flow(10_001, -20);
    r.level(10_002, 100.2); // bucket 1: X = -20, dY = -0.3
    r.flow(20_001, 10);
    r.level(20_002, 100.3); // bucket 2: X = 10, dY = 0.1
    r.flush();
    // mean X = 40/3, mean dY = 0.1; Sxy = 36.6667 * 0.4 + (-33.3333) * (-0.4) + (-3.3333) * 0 = 28
    // Sxx = 36.6667^2 + 33.3333^2 + 3.3333^2 = 2466.667; slope = 28 / 2466.667 = 0.0113513...
    expect(r.slope).toBeCloseTo(28 / (7400 / 3), 12);
    expect(r.n).toBe(3);
    expect(r.intercept).toBeCloseTo(0.1 - (28 / (7400 / 3)) * (40 / 3), 12);
  });

  it('counts only buckets holding an event and measures each change from the previous counted bucket', () => {
    const r = new BucketRegression({ bucketMs: 1000, minBuckets: 2 });
    r.level(0, 10);
    r.flow(500, 1);
    r.level(5500, 13); // bucket 5 (buckets 1-4 empty): X = 0, dY = 13 - 10
    r.flow(5600, 2);
    r.advanceTo(7000); // closes bucket 5: X = 2, dY = 3; bucket 0 closed earlier: X = 1, dY = 0
    expect(r.n).toBe(2);
    expect(r.slope).toBeCloseTo(3, 12); // points (1, 0), (2, 3)
  });

  it('skips a bucket with no level yet and counts late events', () => {
    const r = new BucketRegression({ bucketMs: 1000 });
    r.flow(0, 5); // no level: its change is NaN
    r.level(1500, 1);
    r.flow(1400, 1); // late: taken at 1500
    r.flush();
    expect(r.skipped).toBe(1);
    expect(r.lateEvents).toBe(1);
    expect(() => r.level(NaN, 1)).toThrow(/ts/);
    expect(() => r.advanceTo(NaN)).toThrow(/ts/);
  });

  it('equals a StreamingOls fed the bucket points directly', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: -100, max: 100 }), fc.double({ min: 90, max: 110, noNaN: true })), { minLength: 1, maxLength: 80 }), (raw) => {
        const events = [...raw].sort((a, b) => a[0] - b[0]);
        const r = new BucketRegression({ bucketMs: 500 });
        const ols = new StreamingOls();
        let bucket = NaN;
        let flow = 0;
        let prevEnd = NaN;
        let last = NaN;
        for (const [ts, x, y] of events) {
          const k = Math.floor(ts / 500);
          if (k !== bucket && bucket === bucket) {
            ols.update(flow, last - prevEnd);
            prevEnd = last;
            flow = 0;
          }
          bucket = k;
          if (!(prevEnd === prevEnd)) prevEnd = y;
          flow += x;
          last = y;
          r.flow(ts, x);
          r.level(ts, y);
        }
        ols.update(flow, last - prevEnd);
        r.flush();
        expect(r.n).toBe(ols.count);
        if (Number.isNaN(ols.slope)) expect(r.slope).toBeNaN();
        else expect(r.slope).toBeCloseTo(ols.slope, 9);
      }),
    );
  });

  it('validates options and refuses a state from other options', () => {
    expect(() => new BucketRegression({ bucketMs: 0 })).toThrow(InvalidOptionError);
    expect(() => new BucketRegression({ bucketMs: 10, window: 1 })).toThrow(/window/);
    const state = new BucketRegression({ bucketMs: 10 }).snapshot();
    expect(() => new BucketRegression({ bucketMs: 20 }).restore(state)).toThrow(InvalidStateError);
    expect(() => new BucketRegression({ bucketMs: 10 }).restore({ ...state, current: [1] })).toThrow(/8 encoded numbers/);
  });

  testOperatorContract(
    'BucketRegression',
    () => new BucketRegression({ bucketMs: 100, window: 4 }) as never,
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: -5, max: 5 }), fc.integer({ min: 95, max: 105 })), { maxLength: 40 })
      .map((steps) => {
        let ts = 0;
        return steps.map(([dt, x, y]) => [(ts += dt), x, y] as [number, number, number]);
      }),
    (r: BucketRegression, [ts, x, y]: [number, number, number]) => {
      r.flow(ts, x);
      r.level(ts, y);
      return [r.slope, r.n, r.r2, r.lateEvents];
    },
  );
});
