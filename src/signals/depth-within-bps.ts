import type { BookSnapshot } from '../core/events.js';
import { InvalidInputError } from '../core/errors.js';

/**
 * Depth within `bps` basis points of the mid: the total size of one side's levels whose price lies
 * within `bps` of the mid price.
 *
 * With `mid = (bidPx[0] + askPx[0]) / 2` and `band = mid * bps / 1e4`, a bid level counts when
 * `price >= mid - band`, an ask level when `price <= mid + band` (boundaries included). Output in size
 * units (shares). Only the levels the book holds are seen: the true depth within the band may be larger
 * when the band reaches past the book's last level.
 *
 * - Range: `>= 0`, non-decreasing in `bps`. With `bps` below the half spread it is 0.
 * - Empty input: `NaN` when either side has no level (the mid is needed).
 * - Throws {@link InvalidInputError} when `side` is not `'bid'` or `'ask'`, or `bps` is not a finite
 *   number >= 0. Stateless and allocation-free; no warm-up.
 *
 * @example
 * ```ts
 * const book = bookFromLevels([[579.40, 496], [578.70, 400]], [[580.23, 100], [580.43, 100]]);
 * // mid 579.815; 20 bps of it = 1.15963, so bids >= 578.65537 and asks <= 580.97463
 * depthWithinBps(book, 'bid', 20); // 896
 * depthWithinBps(book, 'bid', 10); // 496 (578.70 < 579.815 - 0.579815)
 * ```
 */
export function depthWithinBps(book: BookSnapshot, side: 'bid' | 'ask', bps: number): number {
  if (typeof bps !== 'number' || !Number.isFinite(bps) || bps < 0) {
    throw new InvalidInputError('bps', bps, 'a finite number >= 0');
  }
  if (side !== 'bid' && side !== 'ask') throw new InvalidInputError('side', side, '"bid" or "ask"');
  if (book.bidLevels < 1 || book.askLevels < 1) return NaN;
  const mid = (book.bidPx[0]! + book.askPx[0]!) / 2;
  const band = (mid * bps) / 1e4;
  let total = 0;
  if (side === 'bid') {
    const limit = mid - band;
    const n = Math.min(book.bidLevels, book.bidPx.length);
    for (let i = 0; i < n; i++) if (book.bidPx[i]! >= limit) total += book.bidSz[i]!;
  } else {
    const limit = mid + band;
    const n = Math.min(book.askLevels, book.askPx.length);
    for (let i = 0; i < n; i++) if (book.askPx[i]! <= limit) total += book.askSz[i]!;
  }
  return total;
}
