import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels, createBook } from '../../src/core/book.js';
import { InvalidInputError } from '../../src/core/errors.js';
import { cumulativeDepth } from '../../src/signals/cumulative-depth.js';
import { depthWithinBps } from '../../src/signals/depth-within-bps.js';
import { hasSharedData, skipReason, tinyDay } from '../support/shared-data.js';
import { bookArb, readLobsterBooks, twoSidedBookArb } from './books.js';

describe('depthWithinBps', () => {
  const book = bookFromLevels([[579.40, 496], [578.70, 400]], [[580.23, 100], [580.43, 100]]);

  it('sums the sizes within k bps of the mid (docstring example)', () => {
    // mid 579.815; 20 bps = 1.15963 -> bids >= 578.65537: 579.40 and 578.70 count: 496 + 400
    expect(depthWithinBps(book, 'bid', 20)).toBe(896);
    // 10 bps = 0.579815 -> bids >= 579.235185: only 579.40
    expect(depthWithinBps(book, 'bid', 10)).toBe(496);
    // asks <= 579.815 + 0.579815 = 580.394815: only 580.23; at 20 bps (<= 580.97463) both
    expect(depthWithinBps(book, 'ask', 10)).toBe(100);
    expect(depthWithinBps(book, 'ask', 20)).toBe(200);
  });

  it('is 0 inside the half spread, NaN when a side is empty', () => {
    // half spread 0.415 = 7.16 bps of the mid
    expect(depthWithinBps(book, 'bid', 7)).toBe(0);
    expect(depthWithinBps(book, 'ask', 0)).toBe(0);
    expect(depthWithinBps(createBook(2), 'bid', 10)).toBeNaN();
    expect(depthWithinBps(bookFromLevels([[100, 1]], []), 'bid', 10)).toBeNaN();
  });

  it('includes the boundary', () => {
    // bid 99, ask 101: mid 100, 100 bps = 1 -> bid 99 is exactly on the boundary
    expect(depthWithinBps(bookFromLevels([[99, 4]], [[101, 6]]), 'bid', 100)).toBe(4);
    expect(depthWithinBps(bookFromLevels([[99, 4]], [[101, 6]]), 'ask', 100)).toBe(6);
  });

  it('throws InvalidInputError for a bad side or bps', () => {
    expect(() => depthWithinBps(book, 'mid' as 'bid', 10)).toThrow(InvalidInputError);
    expect(() => depthWithinBps(book, 'bid', -1)).toThrow(/"bps" must be a finite number >= 0; got -1/);
    expect(() => depthWithinBps(book, 'bid', NaN)).toThrow(InvalidInputError);
    expect(() => depthWithinBps(book, 'bid', Infinity)).toThrow(InvalidInputError);
  });

  it('is non-decreasing in bps and at most the cumulative depth of the side', () => {
    fc.assert(
      fc.property(
        twoSidedBookArb(),
        fc.constantFrom<'bid' | 'ask'>('bid', 'ask'),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (b, side, x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const dLo = depthWithinBps(b, side, lo);
          const dHi = depthWithinBps(b, side, hi);
          expect(dLo).toBeLessThanOrEqual(dHi);
          expect(dHi).toBeLessThanOrEqual(cumulativeDepth(b, side, b.bidPx.length));
        },
      ),
    );
  });

  it('equals a naive filter |price - mid| / mid * 1e4 <= bps (bps off the boundaries)', () => {
    // bps = k + 1/pi: prices on the generated 0.25 grid sit on a band boundary only by a fluke, so the
    // two roundings (ours: price >= mid - mid * bps / 1e4; naive: distance in bps) agree
    fc.assert(
      fc.property(bookArb(), fc.constantFrom<'bid' | 'ask'>('bid', 'ask'), fc.integer({ min: 0, max: 200 }), (b, side, k) => {
        const bps = k + 1 / Math.PI;
        const got = depthWithinBps(b, side, bps);
        if (b.bidLevels === 0 || b.askLevels === 0) {
          expect(got).toBeNaN();
          return;
        }
        const m = (b.bidPx[0]! + b.askPx[0]!) / 2;
        const px = side === 'bid' ? b.bidPx : b.askPx;
        const sz = side === 'bid' ? b.bidSz : b.askSz;
        const n = side === 'bid' ? b.bidLevels : b.askLevels;
        let naive = 0;
        for (let i = 0; i < n; i++) if ((Math.abs(px[i]! - m) / m) * 1e4 <= bps) naive += sz[i]!;
        expect(got).toBe(naive);
      }),
    );
  });

  describe.skipIf(!hasSharedData)(`on the tiny LOBSTER file ${skipReason}`, () => {
    it('row 0: within 50 bps of the mid 579.815', () => {
      const [row0] = readLobsterBooks(tinyDay.orderbook);
      // 50 bps of 579.815 = 2.899075 -> bids >= 576.915925: 579.40 x 496, 578.70 x 400, 578.50 x 500,
      // 578.00 x 500, 577.18 x 100, 576.94 x 100 (576.60 is out) -> 496+400+500+500+100+100 = 2096
      // asks <= 582.714075: 580.23, 580.43, 580.50, 580.63, 580.67 (x 100 each), 580.96 x 50, 580.97 x 100
      // (583.50 is out) -> 500 + 50 + 100 = 650
      expect(depthWithinBps(row0!, 'bid', 50)).toBe(2096);
      expect(depthWithinBps(row0!, 'ask', 50)).toBe(650);
    });
  });
});
