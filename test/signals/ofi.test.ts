import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels, copyBook, createBook } from '../../src/core/book.js';
import { InvalidStateError } from '../../src/core/errors.js';
import type { BookSnapshot } from '../../src/core/events.js';
import { Ofi } from '../../src/signals/ofi.js';
import { testOperatorContract } from '../support/contract.js';
import { hasSharedData, skipReason, tinyDay } from '../support/shared-data.js';
import { bookStreamArb, closeToFlow, isNegation, mirrorBook, readLobsterBooks } from './books.js';

/**
 * The reference's e_n, written from its README with indicator functions (an oracle for the tests),
 * summed left to right, and the magnitude of its terms (for the rounding tolerance).
 */
function referenceE(prev: BookSnapshot | undefined, cur: BookSnapshot): [e: number, magnitude: number] {
  const valid = (b: BookSnapshot): boolean => b.bidLevels > 0 && b.askLevels > 0;
  if (prev === undefined || !valid(prev) || !valid(cur)) return [0, 0];
  const I = (c: boolean): number => (c ? 1 : 0);
  const [pb0, qb0, pa0, qa0] = [prev.bidPx[0]!, prev.bidSz[0]!, prev.askPx[0]!, prev.askSz[0]!];
  const [pb, qb, pa, qa] = [cur.bidPx[0]!, cur.bidSz[0]!, cur.askPx[0]!, cur.askSz[0]!];
  return [I(pb >= pb0) * qb - I(pb <= pb0) * qb0 - I(pa <= pa0) * qa + I(pa >= pa0) * qa0, qb + qb0 + qa + qa0];
}

describe('Ofi', () => {
  it('returns 0 for the first book, then e_n (docstring example, data README rows 0-1)', () => {
    const ofi = new Ofi();
    expect(ofi.update(bookFromLevels([[579.40, 496]], [[580.23, 100]]))).toBe(0);
    // bid queue at 579.40: 496 -> 196 at the same price, ask unchanged: 196 - 496 - 100 + 100 = -300
    expect(ofi.update(bookFromLevels([[579.40, 196]], [[580.23, 100]]))).toBe(-300);
  });

  it('reads only level 1', () => {
    const ofi = new Ofi();
    ofi.update(bookFromLevels([[100, 5], [99, 1]], [[101, 5], [102, 1]]));
    // deeper levels change a lot, level 1 is the same: 5 - 5 - 5 + 5 = 0
    expect(ofi.update(bookFromLevels([[100, 5], [98, 100]], [[101, 5]], { depth: 2 }))).toBe(0);
  });

  it('returns 0 when this book or the previous one lacks a side, and for the first valid book after one', () => {
    const ofi = new Ofi();
    const a = bookFromLevels([[100, 5]], [[101, 5]]);
    const b = bookFromLevels([[100, 9]], [[101, 5]]);
    expect(ofi.update(a)).toBe(0); // first book
    expect(ofi.update(b)).toBe(4); // 9 - 5
    expect(ofi.update(bookFromLevels([], [[101, 5]]))).toBe(0); // no bid: not valid
    expect(ofi.update(a)).toBe(0); // previous not valid
    expect(ofi.update(b)).toBe(4); // 9 - 5 again
    expect(ofi.update(createBook(1))).toBe(0);
  });

  it('copies the previous book: a borrowed book reused and overwritten gives the same outputs', () => {
    fc.assert(
      fc.property(bookStreamArb(), (books) => {
        const fresh = new Ofi();
        const borrowedOp = new Ofi();
        const borrowed = createBook(10);
        for (const b of books) expect(borrowedOp.update(copyBook(b, borrowed))).toBe(fresh.update(b));
      }),
    );
  });

  it('equals the reference formula on any stream', () => {
    fc.assert(
      fc.property(bookStreamArb(), (books) => {
        const ofi = new Ofi();
        books.forEach((b, n) => {
          const [e, magnitude] = referenceE(books[n - 1], b);
          expect(closeToFlow(ofi.update(b), e, magnitude)).toBe(true);
        });
      }),
    );
  });

  it('negates every e_n when the bid and ask sides are swapped', () => {
    fc.assert(
      fc.property(bookStreamArb(), (books) => {
        const ofi = new Ofi();
        const mirrored = new Ofi();
        for (const b of books) expect(isNegation(ofi.update(b), mirrored.update(mirrorBook(b)))).toBe(true);
      }),
    );
  });

  it('restore rejects states of another type, version or shape', () => {
    const ofi = new Ofi();
    const good = ofi.snapshot();
    expect(() => ofi.restore({ ...good, type: 'MultiLevelOfi' } as never)).toThrow(InvalidStateError);
    expect(() => ofi.restore({ ...good, version: 2 } as never)).toThrow(/version 2 is not supported/);
    expect(() => ofi.restore({ ...good, prevValid: 1 } as never)).toThrow(/prevValid must be a boolean/);
    expect(() => ofi.restore({ ...good, prevBidPx: 'abc' })).toThrow(/prevBidPx must be a number/);
    expect(() => ofi.restore({ ...good, prevAskSz: null } as never)).toThrow(InvalidStateError);
  });

  it('snapshot encodes the NaN prices of a fresh instance as JSON-safe strings', () => {
    const state = new Ofi().snapshot();
    expect(state).toEqual({ type: 'Ofi', version: 1, prevValid: false, prevBidPx: 'NaN', prevBidSz: 0, prevAskPx: 'NaN', prevAskSz: 0 });
  });

  testOperatorContract('Ofi', () => new Ofi(), bookStreamArb(20));

  describe.skipIf(!hasSharedData)(`on the tiny LOBSTER file ${skipReason}`, () => {
    it('rows 0-10 by hand', () => {
      const books = readLobsterBooks(tinyDay.orderbook).slice(0, 11);
      // level 1 (bid px x sz | ask px x sz) and e_n:
      //  0: 579.40 x 496 | 580.23 x 100   first: 0
      //  1: 579.40 x 196 | same            196 - 496 = -300
      //  2-5: unchanged                    0
      //  6: 579.40 x 29                    29 - 196 = -167
      //  7: 579.40 x 129                   129 - 29 = +100
      //  8-9: level 1 unchanged            0
      // 10: ask 580.23 x 100 -> 579.89 x 25: ask price down -> -qa_n = -25; bid unchanged: 0
      const ofi = new Ofi();
      expect(books.map((b) => ofi.update(b))).toEqual([0, -300, 0, 0, 0, 0, -167, 100, 0, 0, -25]);
    });
  });
});
