import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels, createBook } from '../../src/core/book.js';
import { InvalidInputError } from '../../src/core/errors.js';
import { cumulativeDepth } from '../../src/signals/cumulative-depth.js';
import { hasSharedData, skipReason, tinyDay } from '../support/shared-data.js';
import { bookArb, readLobsterBooks } from './books.js';

describe('cumulativeDepth', () => {
  const book = bookFromLevels([[579.40, 496], [578.70, 400]], [[580.23, 100], [580.43, 100]]);

  it('sums the sizes of the best levels of one side (docstring example)', () => {
    // bids 496 + 400 = 896; asks, first level only: 100
    expect(cumulativeDepth(book, 'bid', 2)).toBe(896);
    expect(cumulativeDepth(book, 'ask', 1)).toBe(100);
    expect(cumulativeDepth(book, 'ask', 2)).toBe(200);
  });

  it('uses the levels present when asked for more (past bidLevels or the depth)', () => {
    expect(cumulativeDepth(book, 'bid', 50)).toBe(896);
    const partial = bookFromLevels([[100, 5]], [[101, 1]], { depth: 3 });
    expect(cumulativeDepth(partial, 'bid', 3)).toBe(5);
  });

  it('is 0 for an empty side', () => {
    expect(cumulativeDepth(createBook(2), 'bid', 2)).toBe(0);
    expect(cumulativeDepth(bookFromLevels([[100, 5]], []), 'ask', 1)).toBe(0);
  });

  it('throws InvalidInputError for a bad side or level count', () => {
    expect(() => cumulativeDepth(book, 'both' as 'bid', 1)).toThrow(InvalidInputError);
    expect(() => cumulativeDepth(book, 'bid', 0)).toThrow(InvalidInputError);
    expect(() => cumulativeDepth(book, 'bid', 1.5)).toThrow(/"levels" must be an integer >= 1; got 1.5/);
  });

  it('equals the naive sum of the present levels and is non-decreasing in levels', () => {
    fc.assert(
      fc.property(bookArb(), fc.constantFrom<'bid' | 'ask'>('bid', 'ask'), fc.integer({ min: 1, max: 12 }), (b, side, k) => {
        const sizes = side === 'bid' ? b.bidSz : b.askSz;
        const present = side === 'bid' ? b.bidLevels : b.askLevels;
        let naive = 0;
        for (let i = 0; i < Math.min(k, present); i++) naive += sizes[i]!;
        expect(cumulativeDepth(b, side, k)).toBe(naive);
        expect(cumulativeDepth(b, side, k + 1)).toBeGreaterThanOrEqual(cumulativeDepth(b, side, k));
      }),
    );
  });

  describe.skipIf(!hasSharedData)(`on the tiny LOBSTER file ${skipReason}`, () => {
    it('row 0: bids 496 + 400 + 500 = 1396 over 3 levels, asks 100 x 3 = 300', () => {
      const [row0] = readLobsterBooks(tinyDay.orderbook);
      // row 0 bid sizes 496, 400, 500, ...; ask sizes 100, 100, 100, ...
      expect(cumulativeDepth(row0!, 'bid', 3)).toBe(1396);
      expect(cumulativeDepth(row0!, 'ask', 3)).toBe(300);
    });
  });
});
