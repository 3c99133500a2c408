import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels, createBook } from '../../src/core/book.js';
import { microprice } from '../../src/signals/microprice.js';
import { hasSharedData, skipReason, tinyDay } from '../support/shared-data.js';
import { MIRROR, mirrorBook, readLobsterBooks, twoSidedBookArb } from './books.js';

describe('microprice', () => {
  it('weights each best price by the opposite size (docstring example, data README row 0)', () => {
    // (579.40 * 100 + 580.23 * 496) / (496 + 100) = (57940 + 287794.08) / 596 = 345734.08 / 596 = 580.09073825...
    expect(microprice(bookFromLevels([[579.40, 496]], [[580.23, 100]]))).toBeCloseTo(580.0907382550336, 12);
  });

  it('is the bid when the bid size is 0, the ask when the ask size is 0, the mid for equal sizes', () => {
    expect(microprice(bookFromLevels([[100, 0]], [[101, 5]]))).toBe(100);
    expect(microprice(bookFromLevels([[100, 5]], [[101, 0]]))).toBe(101);
    // equal sizes: (100 * 3 + 101 * 3) / 6 = 100.5
    expect(microprice(bookFromLevels([[100, 3]], [[101, 3]]))).toBe(100.5);
  });

  it('is the common price of a locked book', () => {
    expect(microprice(bookFromLevels([[100.1, 7]], [[100.1, 3]]))).toBe(100.1);
  });

  it('is NaN when both sizes are 0 or a side is empty', () => {
    expect(microprice(bookFromLevels([[100, 0]], [[101, 0]]))).toBeNaN();
    expect(microprice(createBook(2))).toBeNaN();
    expect(microprice(bookFromLevels([[100, 1]], []))).toBeNaN();
    expect(microprice(bookFromLevels([], [[101, 1]]))).toBeNaN();
  });

  it('lies within [best bid, best ask] on valid books', () => {
    fc.assert(
      fc.property(twoSidedBookArb(), (book) => {
        const m = microprice(book);
        expect(m).toBeGreaterThanOrEqual(book.bidPx[0]!);
        expect(m).toBeLessThanOrEqual(book.askPx[0]!);
      }),
    );
  });

  it('matches the reference formula (bid * askSz + ask * bidSz) / (bidSz + askSz) to 1e-12 relative', () => {
    fc.assert(
      fc.property(twoSidedBookArb(), (book) => {
        const [b, qb, a, qa] = [book.bidPx[0]!, book.bidSz[0]!, book.askPx[0]!, book.askSz[0]!];
        const expected = (b * qa + a * qb) / (qb + qa);
        expect(Math.abs(microprice(book) - expected)).toBeLessThanOrEqual(1e-12 * expected);
      }),
    );
  });

  it('mirrors with the prices when the sides are swapped', () => {
    fc.assert(
      fc.property(twoSidedBookArb(), (book) => {
        const m = microprice(book);
        expect(Math.abs(microprice(mirrorBook(book)) - (MIRROR - m))).toBeLessThanOrEqual(1e-9);
      }),
    );
  });

  describe.skipIf(!hasSharedData)(`on the tiny LOBSTER file ${skipReason}`, () => {
    it('rows 0 and 1 give the data README table values', () => {
      const [row0, row1] = readLobsterBooks(tinyDay.orderbook);
      // row 0: bid 579.40 x 496, ask 580.23 x 100 -> 345734.08 / 596
      expect(microprice(row0!)).toBeCloseTo(580.0907382550336, 12);
      // row 1: bid 579.40 x 196, ask 580.23 x 100 -> (57940 + 113725.08) / 296 = 171665.08 / 296
      expect(microprice(row1!)).toBeCloseTo(579.9495945945946, 12);
      expect(microprice(row1!)).toBeCloseTo(171665.08 / 296, 12);
    });
  });
});
