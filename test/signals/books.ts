/**
 * Test helpers for the signal tests: fast-check arbitraries of valid books, a side-swapping mirror,
 * and a minimal reader of the tiny LOBSTER order-book file (test-only; the library's reader lives in
 * src/replay).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { createBook } from '../../src/core/book.js';
import type { BookSnapshot } from '../../src/core/events.js';

export interface BookArbOptions {
  /** Largest depth (levels a side); depth is drawn from 1..maxDepth. */
  maxDepth?: number;
  /** Range of the mid tick; a narrow range makes consecutive books share prices (for OFI). */
  minMidTick?: number;
  maxMidTick?: number;
  /** Largest gap between adjacent levels, in ticks. */
  maxGap?: number;
}

/** Tick size of generated books: a power of two, so prices and mirrored prices are exact. */
export const TICK = 0.25;
/** Mirror constant: price p becomes MIRROR - p (exact for the generated prices, and stays positive). */
export const MIRROR = 200_000;

const size = fc.oneof(
  fc.integer({ min: 1, max: 10_000 }),
  fc.double({ min: 1e-3, max: 1e6, noNaN: true, noDefaultInfinity: true }),
);

/**
 * Valid books: depth 1..maxDepth, any number of levels present a side (0..depth), bid prices strictly
 * decreasing, ask prices strictly increasing, best bid <= best ask (locked books occur), positive
 * prices and sizes; empty levels have price NaN and size 0.
 */
export function bookArb(options: BookArbOptions = {}): fc.Arbitrary<BookSnapshot> {
  const maxDepth = options.maxDepth ?? 10;
  const minMid = options.minMidTick ?? 4_000;
  const maxMid = options.maxMidTick ?? 400_000;
  const maxGap = options.maxGap ?? 5;
  return fc.integer({ min: 1, max: maxDepth }).chain((depth) =>
    fc
      .record({
        bidLevels: fc.integer({ min: 0, max: depth }),
        askLevels: fc.integer({ min: 0, max: depth }),
        midTick: fc.integer({ min: minMid, max: maxMid }),
        bidGaps: fc.array(fc.integer({ min: 1, max: maxGap }), { minLength: depth, maxLength: depth }),
        askGaps: fc.array(fc.integer({ min: 1, max: maxGap }), { minLength: depth, maxLength: depth }),
        bidSz: fc.array(size, { minLength: depth, maxLength: depth }),
        askSz: fc.array(size, { minLength: depth, maxLength: depth }),
      })
      .map((r) => {
        const book = createBook(depth);
        // best bid = mid - (gap - 1), best ask = mid + (gap - 1): locked when both first gaps are 1
        let bidTick = r.midTick + 1;
        let askTick = r.midTick - 1;
        for (let i = 0; i < depth; i++) {
          bidTick -= r.bidGaps[i]!;
          askTick += r.askGaps[i]!;
          if (i < r.bidLevels) {
            book.bidPx[i] = bidTick * TICK;
            book.bidSz[i] = r.bidSz[i]!;
          }
          if (i < r.askLevels) {
            book.askPx[i] = askTick * TICK;
            book.askSz[i] = r.askSz[i]!;
          }
        }
        book.bidLevels = r.bidLevels;
        book.askLevels = r.askLevels;
        return book;
      }),
  );
}

/** Books with both sides present (at least one level each). */
export function twoSidedBookArb(options: BookArbOptions = {}): fc.Arbitrary<BookSnapshot> {
  return bookArb(options).filter((b) => b.bidLevels > 0 && b.askLevels > 0);
}

/** Sequences of books whose prices often repeat between consecutive books (to exercise OFI's branches). */
export function bookStreamArb(maxLength = 30): fc.Arbitrary<BookSnapshot[]> {
  return fc.array(bookArb({ minMidTick: 4_000, maxMidTick: 4_004, maxGap: 2 }), { maxLength });
}

/**
 * The book with its sides swapped: the asks become bids and the bids asks, price p -> MIRROR - p (so
 * the mirrored book is valid and sorted), sizes kept with their levels.
 */
export function mirrorBook(book: BookSnapshot): BookSnapshot {
  const depth = book.bidPx.length;
  const out = createBook(depth, book.ts);
  for (let i = 0; i < book.askLevels; i++) {
    out.bidPx[i] = MIRROR - book.askPx[i]!;
    out.bidSz[i] = book.askSz[i]!;
  }
  for (let i = 0; i < book.bidLevels; i++) {
    out.askPx[i] = MIRROR - book.bidPx[i]!;
    out.askSz[i] = book.bidSz[i]!;
  }
  out.bidLevels = book.askLevels;
  out.askLevels = book.bidLevels;
  return out;
}

/** `b` is exactly `-a`: both NaN, or a === -b (so 0 and -0 count as negations of each other). */
export function isNegation(a: number, b: number): boolean {
  return (Number.isNaN(a) && Number.isNaN(b)) || a === -b;
}

/**
 * Whether `actual` equals an e_n computed as `terms` summed in another order: within 4 ulps of the sum
 * of the terms' magnitudes (exact for integer sizes; fractional sizes may round differently by order).
 */
export function closeToFlow(actual: number, expected: number, magnitude: number): boolean {
  return Math.abs(actual - expected) <= 4 * Number.EPSILON * magnitude;
}

/**
 * Read a LOBSTER order-book CSV (small files only) into books: prices / 1e4 (dollars), sentinel prices
 * (+-9999999999) as empty levels. Level i's columns: ask price, ask size, bid price, bid size.
 */
export function readLobsterBooks(path: string): BookSnapshot[] {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return lines.map((line) => {
    const f = line.split(',').map(Number);
    const depth = f.length / 4;
    const book = createBook(depth);
    for (let i = 0; i < depth; i++) {
      const askPx = f[4 * i]!;
      const bidPx = f[4 * i + 2]!;
      if (askPx !== 9999999999) {
        book.askPx[book.askLevels] = askPx / 1e4;
        book.askSz[book.askLevels] = f[4 * i + 1]!;
        book.askLevels++;
      }
      if (bidPx !== -9999999999) {
        book.bidPx[book.bidLevels] = bidPx / 1e4;
        book.bidSz[book.bidLevels] = f[4 * i + 3]!;
        book.bidLevels++;
      }
    }
    return book;
  });
}
