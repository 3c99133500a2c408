import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels, createBook } from '../../src/core/book.js';
import { obi } from '../../src/signals/obi.js';
import { hasSharedData, skipReason, tinyDay } from '../support/shared-data.js';
import { bookArb, isNegation, mirrorBook, readLobsterBooks } from './books.js';

describe('obi', () => {
  it('is (bidSz - askSz) / (bidSz + askSz) at level 1 (docstring example)', () => {
    // (496 - 100) / (496 + 100) = 396 / 596 = 0.66442953...
    expect(obi(bookFromLevels([[579.40, 496]], [[580.23, 100]]))).toBe(396 / 596);
  });

  it('ignores deeper levels', () => {
    // level 1: (3 - 1) / 4 = 0.5, whatever lies below
    expect(obi(bookFromLevels([[100, 3], [99, 1000]], [[101, 1]]))).toBe(0.5);
  });

  it('is +1 / -1 when one level-1 queue has size 0, NaN when both have', () => {
    expect(obi(bookFromLevels([[100, 5]], [[101, 0]]))).toBe(1);
    expect(obi(bookFromLevels([[100, 0]], [[101, 5]]))).toBe(-1);
    expect(obi(bookFromLevels([[100, 0]], [[101, 0]]))).toBeNaN();
  });

  it('is NaN when a side is empty (not +-1)', () => {
    expect(obi(createBook(1))).toBeNaN();
    expect(obi(bookFromLevels([[100, 5]], []))).toBeNaN();
    expect(obi(bookFromLevels([], [[101, 5]]))).toBeNaN();
  });

  it('lies in [-1, 1], NaN exactly when a side is empty, and negates when the sides are swapped', () => {
    fc.assert(
      fc.property(bookArb(), (book) => {
        const x = obi(book);
        if (book.bidLevels === 0 || book.askLevels === 0) {
          expect(x).toBeNaN();
        } else {
          expect(x).toBeGreaterThanOrEqual(-1);
          expect(x).toBeLessThanOrEqual(1);
        }
        expect(isNegation(x, obi(mirrorBook(book)))).toBe(true);
      }),
    );
  });

  describe.skipIf(!hasSharedData)(`on the tiny LOBSTER file ${skipReason}`, () => {
    it('rows 0 and 1 give the data README table values', () => {
      const [row0, row1] = readLobsterBooks(tinyDay.orderbook);
      // row 0: (496 - 100) / 596 = 0.6644295302013423; row 1: (196 - 100) / 296 = 0.32432432...
      expect(obi(row0!)).toBe(0.6644295302013423);
      expect(obi(row1!)).toBe(96 / 296);
      expect(obi(row1!)).toBeCloseTo(0.3243243243243243, 15);
    });
  });
});
