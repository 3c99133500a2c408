import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels } from '../../src/core/book.js';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { KyleLambda } from '../../src/trades/kyle-lambda.js';
import { testOperatorContract } from '../support/contract.js';
import { feed, flipSides, streamArb } from './arbitraries.js';

/** Naive OLS slope of y on x. */
function olsSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  return sxy / sxx;
}

/** Three 1-second buckets: S = 100, -200, 50; mids 100 -> 100.02 -> 99.98 -> 100.00. */
function threeBuckets(kyle: KyleLambda): void {
  kyle.onMid(0, 100);
  kyle.update({ ts: 10, price: 100.01, size: 100 }, 1);
  kyle.onMid(20, 100.02);
  kyle.update({ ts: 1010, price: 100.01, size: 200 }, -1);
  kyle.onMid(1020, 99.98);
  kyle.update({ ts: 2010, price: 99.99, size: 50 }, 1);
  kyle.onMid(2020, 100);
}

describe('KyleLambda', () => {
  it('regresses end-of-bucket mid changes on signed volume', () => {
    // x = S = [100, -200, 50], y = dmid = [0.02, -0.04, 0.02]: mean x = -50/3, mean y = 0,
    // Sxx = 52500 - 3 (50/3)^2 = 155000/3, Sxy = 2 + 8 + 1 = 11, Syy = 0.0024.
    // lambda = 11 / (155000/3) = 33/155000; R^2 = 121 / (155000/3 * 0.0024) = 121/124;
    // intercept = 0 - lambda * (-50/3) = 1650/465000.
    const kyle = new KyleLambda({ bucketMs: 1000 });
    threeBuckets(kyle);
    expect(kyle.n).toBe(2); // bucket 2 is still open
    expect(kyle.lambda).toBeNaN(); // warm-up: 3 buckets
    kyle.flush();
    expect(kyle.n).toBe(3);
    expect(kyle.lambda).toBeCloseTo(33 / 155000, 15);
    expect(kyle.r2).toBeCloseTo(121 / 124, 10);
    expect(kyle.intercept).toBeCloseTo(1650 / 465000, 12);
    // SSE = Syy - lambda Sxy = 0.0024 - 363/155000; se = sqrt(SSE / 1 / Sxx); t = lambda / se
    const se = Math.sqrt((0.0024 - 363 / 155000) / (155000 / 3));
    expect(kyle.stdErr).toBeCloseTo(se, 12);
    expect(kyle.tStat).toBeCloseTo(33 / 155000 / se, 6);
  });

  it('measures the first bucket from the first mid seen; buckets align to originMs', () => {
    const kyle = new KyleLambda({ bucketMs: 1000, originMs: 500, minBuckets: 2 });
    kyle.onBook(bookFromLevels([[99, 1]], [[101, 1]], { ts: 600 })); // mid 100, bucket 0 = [500, 1500)
    kyle.update({ ts: 700, price: 101, size: 10, side: 1 });
    kyle.onQuote(1400, 100, 102); // mid 101
    kyle.onQuote(1600, 99, 101); // bucket 1: closes bucket 0 with (10, 1)
    kyle.update({ ts: 1700, price: 99, size: 20, side: -1 }); // bucket 1: (-20, 100 - 101 = -1)
    kyle.advanceTo(2500);
    expect(kyle.n).toBe(2);
    expect(kyle.lambda).toBeCloseTo(2 / 30, 14); // two points: slope (1 - -1) / (10 - -20)
  });

  it('skips a bucket without a mid and ignores NaN mids (counted)', () => {
    const kyle = new KyleLambda({ bucketMs: 1000 });
    kyle.update({ ts: 0, price: 10, size: 5, side: 1 }); // bucket 0, no mid yet
    kyle.onQuote(1000, NaN, 10.1); // bucket 1, NaN mid
    kyle.onMid(1100, 10);
    kyle.flush();
    expect(kyle.skippedBuckets).toBe(1);
    expect(kyle.invalidMids).toBe(1);
    expect(kyle.n).toBe(1); // bucket 1: dmid 10 - 10 = 0
  });

  it('flipping every side negates lambda and its t-statistic exactly', () => {
    fc.assert(
      fc.property(streamArb({ control: true }), (events) => {
        const a = new KyleLambda({ bucketMs: 1000 });
        const b = new KyleLambda({ bucketMs: 1000 });
        const flipped = flipSides(events);
        events.forEach((e, i) => {
          feed(a, e);
          feed(b, flipped[i]!);
        });
        a.flush();
        b.flush();
        if (Number.isNaN(a.lambda)) expect(b.lambda).toBeNaN();
        else expect(b.lambda === -a.lambda).toBe(true);
        if (!Number.isNaN(a.tStat)) expect(b.tStat === -a.tStat).toBe(true);
        expect(b.r2).toEqual(a.r2);
      }),
    );
  });

  it('with a window regresses the last W buckets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ s: fc.integer({ min: -50, max: 50 }), dm: fc.integer({ min: -5, max: 5 }) }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 3, max: 8 }),
        (buckets, W) => {
          const kyle = new KyleLambda({ bucketMs: 10, window: W });
          let mid = 100;
          kyle.onMid(0, mid);
          const xs: number[] = [];
          const ys: number[] = [];
          buckets.forEach((b, k) => {
            kyle.update({ ts: k * 10 + 1, price: 100, size: Math.abs(b.s), side: b.s >= 0 ? 1 : -1 });
            mid += b.dm;
            kyle.onMid(k * 10 + 2, mid);
            xs.push(b.s);
            ys.push(b.dm);
          });
          kyle.flush();
          const x = xs.slice(-W);
          const y = ys.slice(-W);
          const want = x.length >= 3 ? olsSlope(x, y) : NaN;
          if (Number.isFinite(want)) expect(kyle.lambda).toBeCloseTo(want, 9);
          else expect(kyle.lambda).toBeNaN();
        },
      ),
    );
  });

  it('rejects bad options and states', () => {
    expect(() => new KyleLambda({ bucketMs: 0 })).toThrow(InvalidOptionError);
    expect(() => new KyleLambda({ window: 1 })).toThrow(InvalidOptionError);
    expect(() => new KyleLambda({ window: 5, minBuckets: 6 })).toThrow(InvalidOptionError);
    expect(() => new KyleLambda().restore({ ...new KyleLambda().snapshot(), invalidMids: -1 })).toThrow(InvalidStateError);
  });

  testOperatorContract('KyleLambda', () => new KyleLambda({ bucketMs: 1500 }), streamArb({ control: true, missingSides: true }), (op, e) => [
    feed(op, e),
    op.n,
    op.tStat,
  ]);
  testOperatorContract('KyleLambda (window 4)', () => new KyleLambda({ bucketMs: 700, window: 4 }), streamArb({ control: true }), (op, e) => [
    feed(op, e),
    op.r2,
  ]);
});
