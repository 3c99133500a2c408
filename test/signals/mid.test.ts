import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels, createBook } from '../../src/core/book.js';
import { mid } from '../../src/signals/mid.js';
import { hasSharedData, skipReason, tinyDay } from '../support/shared-data.js';
import { MIRROR, mirrorBook, readLobsterBooks, twoSidedBookArb } from './books.js';

describe('mid', () => {
  it('averages the best bid and ask (docstring example)', () => {
    // (579.40 + 580.23) / 2 = 1159.63 / 2 = 579.815
    expect(mid(bookFromLevels([[579.40, 496]], [[580.23, 100]]))).toBe(579.815);
  });

  it('is NaN when either side is empty', () => {
    expect(mid(createBook(1))).toBeNaN();
    expect(mid(bookFromLevels([[100, 1]], []))).toBeNaN();
    expect(mid(bookFromLevels([], [[100, 1]]))).toBeNaN();
  });

  it('lies within [best bid, best ask] and mirrors with the prices', () => {
    fc.assert(
      fc.property(twoSidedBookArb(), (book) => {
        const m = mid(book);
        expect(m).toBeGreaterThanOrEqual(book.bidPx[0]!);
        expect(m).toBeLessThanOrEqual(book.askPx[0]!);
        // generated prices are multiples of 0.25, so the mirrored mid is exact
        expect(mid(mirrorBook(book))).toBe(MIRROR - m);
      }),
    );
  });

  describe.skipIf(!hasSharedData)(`on the tiny LOBSTER file ${skipReason}`, () => {
    it('rows 0 and 1 have mid 579.815 (data README table)', () => {
      const [row0, row1] = readLobsterBooks(tinyDay.orderbook);
      expect(mid(row0!)).toBe(579.815);
      expect(mid(row1!)).toBe(579.815);
    });
  });
});
