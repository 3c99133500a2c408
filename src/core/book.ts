/**
 * Helpers to build, copy and read {@link BookSnapshot}s.
 *
 * @module
 */
import type { BookSnapshot } from './events.js';
import { InvalidInputError } from './errors.js';

/** A `[price, size]` pair, as typed in a notebook. */
export type Level = readonly [price: number, size: number];

/**
 * An empty book of `depth` levels a side: every price `NaN`, every size 0, no levels present.
 *
 * @example
 * ```ts
 * const book = createBook(10);
 * book.bidLevels; // 0
 * ```
 */
export function createBook(depth: number, ts = 0): BookSnapshot {
  if (!Number.isInteger(depth) || depth < 1) throw new InvalidInputError('depth', depth, 'an integer >= 1');
  const book: BookSnapshot = {
    ts,
    bidPx: new Float64Array(depth).fill(NaN),
    bidSz: new Float64Array(depth),
    askPx: new Float64Array(depth).fill(NaN),
    askSz: new Float64Array(depth),
    bidLevels: 0,
    askLevels: 0,
  };
  return book;
}

/**
 * Build a book from `[price, size]` levels, best first, for people typing in a notebook.
 * The depth is the longer side's length unless `depth` is given. The levels are taken as given (not
 * sorted, not checked): run the book through a `BookValidator` to check them.
 *
 * @example
 * ```ts
 * const book = bookFromLevels([[579.40, 496]], [[580.23, 100]]);
 * microprice(book); // 580.0907382550336
 * ```
 */
export function bookFromLevels(
  bids: readonly Level[],
  asks: readonly Level[],
  options: { ts?: number; depth?: number } = {},
): BookSnapshot {
  const depth = options.depth ?? Math.max(1, bids.length, asks.length);
  if (bids.length > depth || asks.length > depth) {
    throw new InvalidInputError('depth', depth, `>= the number of levels given (${Math.max(bids.length, asks.length)})`);
  }
  const book = createBook(depth, options.ts ?? 0);
  fillSide(bids, book.bidPx, book.bidSz, 'bids');
  fillSide(asks, book.askPx, book.askSz, 'asks');
  book.bidLevels = bids.length;
  book.askLevels = asks.length;
  return book;
}

function fillSide(levels: readonly Level[], px: Float64Array, sz: Float64Array, name: string): void {
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (!Array.isArray(level) || level.length !== 2) {
      throw new InvalidInputError(`${name}[${i}]`, level, 'a [price, size] pair');
    }
    px[i] = level[0];
    sz[i] = level[1];
  }
}

/** Copy `src` into `dst` (same depth or deeper), without allocating. Returns `dst`. */
export function copyBook(src: BookSnapshot, dst: BookSnapshot): BookSnapshot {
  const depth = src.bidPx.length;
  if (dst.bidPx.length < depth) {
    throw new InvalidInputError('dst depth', dst.bidPx.length, `>= the source depth ${depth}`);
  }
  dst.ts = src.ts;
  dst.bidPx.set(src.bidPx);
  dst.bidSz.set(src.bidSz);
  dst.askPx.set(src.askPx);
  dst.askSz.set(src.askSz);
  for (let i = depth; i < dst.bidPx.length; i++) {
    dst.bidPx[i] = NaN;
    dst.bidSz[i] = 0;
    dst.askPx[i] = NaN;
    dst.askSz[i] = 0;
  }
  dst.bidLevels = src.bidLevels;
  dst.askLevels = src.askLevels;
  return dst;
}

/** A fresh copy of `book` (allocates; not for hot paths). */
export function cloneBook(book: BookSnapshot): BookSnapshot {
  return copyBook(book, createBook(book.bidPx.length));
}

/** The book's capacity in levels a side. */
export function bookDepth(book: BookSnapshot): number {
  return book.bidPx.length;
}

/** The levels of one side as `[price, size]` pairs, best first (allocates; for display and tests). */
export function bookLevels(book: BookSnapshot, side: 'bid' | 'ask'): Array<[number, number]> {
  const px = side === 'bid' ? book.bidPx : book.askPx;
  const sz = side === 'bid' ? book.bidSz : book.askSz;
  const n = side === 'bid' ? book.bidLevels : book.askLevels;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) out.push([px[i] as number, sz[i] as number]);
  return out;
}

/** Whether two books hold the same levels (same counts, prices and sizes on present levels). */
export function booksEqual(a: BookSnapshot, b: BookSnapshot): boolean {
  if (a.bidLevels !== b.bidLevels || a.askLevels !== b.askLevels) return false;
  for (let i = 0; i < a.bidLevels; i++) {
    if (a.bidPx[i] !== b.bidPx[i] || a.bidSz[i] !== b.bidSz[i]) return false;
  }
  for (let i = 0; i < a.askLevels; i++) {
    if (a.askPx[i] !== b.askPx[i] || a.askSz[i] !== b.askSz[i]) return false;
  }
  return true;
}
