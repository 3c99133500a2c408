import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookDepth, bookFromLevels, bookLevels, booksEqual, cloneBook, copyBook, createBook } from '../../src/core/book.js';
import { InvalidInputError } from '../../src/core/errors.js';

describe('createBook', () => {
  it('creates an empty book: NaN prices, zero sizes, no levels', () => {
    const book = createBook(3, 5);
    expect(book.ts).toBe(5);
    expect(bookDepth(book)).toBe(3);
    expect([...book.bidPx].every(Number.isNaN)).toBe(true);
    expect([...book.askSz]).toEqual([0, 0, 0]);
    expect(book.bidLevels).toBe(0);
    expect(book.askLevels).toBe(0);
  });

  it('rejects a depth that is not a positive integer', () => {
    expect(() => createBook(0)).toThrow(InvalidInputError);
    expect(() => createBook(2.5)).toThrow(/depth/);
  });
});

describe('bookFromLevels', () => {
  it('builds the first row of the dev day from [price, size] pairs', () => {
    // tiny/ orderbook row 0: ask 580.23 x 100, bid 579.40 x 496
    const book = bookFromLevels([[579.4, 496]], [[580.23, 100]], { ts: 34200015.105074 });
    expect(book.bidPx[0]).toBe(579.4);
    expect(book.bidSz[0]).toBe(496);
    expect(book.askPx[0]).toBe(580.23);
    expect(book.askSz[0]).toBe(100);
    expect(book.bidLevels).toBe(1);
    expect(book.askLevels).toBe(1);
    expect(book.ts).toBe(34200015.105074);
  });

  it('takes the depth from the longer side, or from the option', () => {
    expect(bookDepth(bookFromLevels([[1, 1], [0.9, 2]], []))).toBe(2);
    expect(bookDepth(bookFromLevels([], []))).toBe(1);
    const deep = bookFromLevels([[1, 1]], [[2, 1]], { depth: 5 });
    expect(bookDepth(deep)).toBe(5);
    expect(Number.isNaN(deep.bidPx[1])).toBe(true);
  });

  it('rejects more levels than the depth and malformed pairs', () => {
    expect(() => bookFromLevels([[1, 1], [0.9, 1]], [], { depth: 1 })).toThrow(InvalidInputError);
    expect(() => bookFromLevels([[1] as unknown as [number, number]], [])).toThrow(/bids\[0\]/);
  });
});

describe('copyBook, cloneBook, booksEqual, bookLevels', () => {
  const levels = fc.array(fc.tuple(fc.double({ noNaN: true }), fc.double({ min: 0, max: 1e9, noNaN: true })), { maxLength: 6 });

  it('a clone equals its source and is independent of it', () => {
    fc.assert(
      fc.property(levels, levels, (bids, asks) => {
        const book = bookFromLevels(bids, asks, { depth: 6, ts: 1 });
        const copy = cloneBook(book);
        expect(booksEqual(book, copy)).toBe(true);
        expect(bookLevels(copy, 'bid')).toEqual(bids.map(([p, s]) => [p, s]));
        expect(bookLevels(copy, 'ask')).toEqual(asks.map(([p, s]) => [p, s]));
        if (bids.length > 0) {
          copy.bidSz[0] = (copy.bidSz[0] as number) + 1;
          expect(booksEqual(book, copy)).toBe(false);
        }
      }),
    );
  });

  it('copies into a deeper book and clears the levels past the source depth', () => {
    const src = bookFromLevels([[10, 1]], [[11, 2]]);
    const dst = bookFromLevels([[9, 1], [8, 1], [7, 1]], [[12, 1], [13, 1], [14, 1]]);
    copyBook(src, dst);
    expect(bookLevels(dst, 'bid')).toEqual([[10, 1]]);
    expect(Number.isNaN(dst.askPx[2])).toBe(true);
    expect(dst.askSz[2]).toBe(0);
  });

  it('refuses to copy into a shallower book', () => {
    expect(() => copyBook(createBook(3), createBook(2))).toThrow(/dst depth/);
  });

  it('books with different level counts or prices differ', () => {
    const a = bookFromLevels([[10, 1]], [[11, 1]]);
    expect(booksEqual(a, bookFromLevels([[10, 1]], []))).toBe(false);
    expect(booksEqual(a, bookFromLevels([[10, 1]], [[11.5, 1]]))).toBe(false);
    expect(booksEqual(a, bookFromLevels([[10, 2]], [[11, 1]]))).toBe(false);
  });
});
