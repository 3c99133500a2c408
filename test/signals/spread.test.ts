import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels, createBook } from '../../src/core/book.js';
import { spread } from '../../src/signals/spread.js';
import { hasSharedData, skipReason, tinyDay } from '../support/shared-data.js';
import { mirrorBook, readLobsterBooks, twoSidedBookArb } from './books.js';

describe('spread', () => {
  it('is the best ask minus the best bid (docstring example)', () => {
    const book = bookFromLevels([[579.40, 496]], [[580.23, 100]]);
    // 580.23 - 579.40 = 0.83, which binary floating point gives as 0.8300000000000409
    expect(spread(book)).toBe(580.23 - 579.40);
    expect(spread(book)).toBe(0.8300000000000409);
  });

  it('is 0 for a locked book and negative for a crossed one', () => {
    expect(spread(bookFromLevels([[100, 1]], [[100, 2]]))).toBe(0);
    // crossed: bid 101 > ask 100 -> 100 - 101 = -1
    expect(spread(bookFromLevels([[101, 1]], [[100, 2]]))).toBe(-1);
  });

  it('is NaN when either side is empty', () => {
    expect(spread(createBook(3))).toBeNaN();
    expect(spread(bookFromLevels([[100, 1]], []))).toBeNaN();
    expect(spread(bookFromLevels([], [[101, 1]]))).toBeNaN();
  });

  it('reads only level 1 (deeper levels do not matter)', () => {
    const a = bookFromLevels([[100, 1], [99, 5]], [[101, 2], [102, 3]]);
    const b = bookFromLevels([[100, 7]], [[101, 9]], { depth: 2 });
    expect(spread(a)).toBe(spread(b));
  });

  it('is >= 0 on valid books and unchanged by swapping the sides', () => {
    fc.assert(
      fc.property(twoSidedBookArb(), (book) => {
        const s = spread(book);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(spread(mirrorBook(book))).toBe(s);
      }),
    );
  });

  describe.skipIf(!hasSharedData)(`on the tiny LOBSTER file ${skipReason}`, () => {
    it('row 0: 580.23 - 579.40', () => {
      const [row0] = readLobsterBooks(tinyDay.orderbook);
      // row 0: ask 5802300 x 100, bid 5794000 x 496 -> 580.23 - 579.40
      expect(spread(row0!)).toBe(5802300 / 1e4 - 5794000 / 1e4);
    });
  });
});
