import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Amihud } from '../../src/trades/amihud.js';
import { testOperatorContract } from '../support/contract.js';
import { feed, streamArb, tradesArb } from './arbitraries.js';

describe('Amihud', () => {
  it('averages |return| / dollar volume over closed buckets', () => {
    // Bucket 0: 10 @ 100, 10 @ 101: r = 101 / 100 - 1 = 0.01 (from the first trade), DV = 2010.
    // Bucket 1: 50 @ 100: r = 100 / 101 - 1, DV = 5000.
    const illiq = new Amihud({ bucketMs: 60_000 });
    expect(illiq.update({ ts: 0, price: 100, size: 10 })).toBeNaN();
    expect(illiq.update({ ts: 30_000, price: 101, size: 10 })).toBeNaN();
    const first = (101 / 100 - 1) / 2010;
    expect(illiq.update({ ts: 60_000, price: 100, size: 50 })).toBe(first);
    illiq.flush();
    expect(illiq.value).toBe((first + Math.abs(100 / 101 - 1) / 5000) / 2);
    expect(illiq.buckets).toBe(2);
    expect(illiq.dollarVolumeTotal).toBe(7010);
  });

  it('with a window averages the last W buckets; advanceTo closes a bucket', () => {
    const illiq = new Amihud({ bucketMs: 10, window: 2 });
    const prices = [100, 102, 101, 103];
    prices.forEach((price, k) => illiq.update({ ts: k * 10, price, size: 1 }));
    illiq.advanceTo(40);
    // ratios: |102/100 - 1| / 102 ... last two: |101/102 - 1| / 101, |103/101 - 1| / 103
    expect(illiq.value).toBeCloseTo((Math.abs(101 / 102 - 1) / 101 + Math.abs(103 / 101 - 1) / 103) / 2, 15);
    expect(illiq.buckets).toBe(4);
  });

  it('skips a bucket without dollar volume and counts it', () => {
    const illiq = new Amihud({ bucketMs: 10 });
    illiq.update({ ts: 0, price: 100, size: 0 });
    illiq.flush();
    expect(illiq.emptyBuckets).toBe(1);
    expect(illiq.value).toBeNaN();
  });

  it('equals a batch computation over the buckets', () => {
    fc.assert(
      fc.property(tradesArb({ maxDtMs: 3000 }), (trades) => {
        const illiq = new Amihud({ bucketMs: 5000 });
        for (const t of trades) illiq.update(t);
        illiq.flush();
        const buckets = new Map<number, { close: number; dv: number }>();
        for (const t of trades) {
          const k = Math.floor(t.ts / 5000);
          const b = buckets.get(k) ?? { close: 0, dv: 0 };
          b.close = t.price;
          b.dv += t.price * t.size;
          buckets.set(k, b);
        }
        let prev = trades[0]?.price ?? NaN;
        const ratios: number[] = [];
        for (const b of buckets.values()) {
          ratios.push(Math.abs(b.close / prev - 1) / b.dv);
          prev = b.close;
        }
        expect(illiq.buckets).toBe(ratios.length);
        if (ratios.length > 0) expect(illiq.value).toBeCloseTo(ratios.reduce((a, b) => a + b, 0) / ratios.length, 15);
      }),
    );
  });

  it('rejects bad options and states', () => {
    expect(() => new Amihud({ bucketMs: -5 })).toThrow(InvalidOptionError);
    expect(() => new Amihud({ window: 0 })).toThrow(InvalidOptionError);
    expect(() => new Amihud({ window: 2 }).restore({ ...new Amihud({ window: 2 }).snapshot(), buckets: 3, ratios: [] })).toThrow(InvalidStateError);
  });

  testOperatorContract('Amihud', () => new Amihud({ bucketMs: 2000 }), streamArb({ control: true }), (op, e) => feed(op, e));
  testOperatorContract('Amihud (window 3)', () => new Amihud({ bucketMs: 1000, window: 3 }), streamArb({ control: true }), (op, e) => feed(op, e));
});
