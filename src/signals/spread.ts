import type { BookSnapshot } from '../core/events.js';

/**
 * Quoted spread: best ask minus best bid.
 *
 * `spread = askPx[0] - bidPx[0]`, in the book's price units (dollars for a LOBSTER source).
 *
 * - Range: > 0 for a normal book, 0 for a locked book (bid = ask), **negative for a crossed book**
 *   (bid > ask). The value is reported as it is, not clamped: a `BookValidator` flags crossed books.
 * - Empty input: `NaN` when either side has no level (`bidLevels` or `askLevels` is 0).
 * - Stateless and allocation-free; no warm-up.
 *
 * Reference: the `spread` of the reference README (`best_ask - best_bid`).
 *
 * @example
 * ```ts
 * const book = bookFromLevels([[579.40, 496]], [[580.23, 100]]);
 * spread(book); // 0.8300000000000409 (580.23 - 579.40 in binary floating point)
 * ```
 */
export function spread(book: BookSnapshot): number {
  if (book.bidLevels < 1 || book.askLevels < 1) return NaN;
  return book.askPx[0]! - book.bidPx[0]!;
}
