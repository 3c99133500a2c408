import type { BookSnapshot } from '../core/events.js';
import { InvalidInputError } from '../core/errors.js';

/**
 * Cumulative depth: the total size resting in the best `levels` levels of one side.
 *
 * `cumulativeDepth = sum_{i=1..min(levels, present)} size_i`, in size units (shares). Levels the side
 * does not hold (past `bidLevels` / `askLevels`, or past the book's depth) add nothing.
 *
 * - Range: `>= 0`, non-decreasing in `levels`.
 * - Empty input: `0` for an empty side: no size rests there, which is a value, not a missing one.
 * - Throws {@link InvalidInputError} when `side` is not `'bid'` or `'ask'`, or `levels` is not an
 *   integer >= 1. Stateless and allocation-free; no warm-up.
 *
 * @example
 * ```ts
 * const book = bookFromLevels([[579.40, 496], [578.70, 400]], [[580.23, 100], [580.43, 100]]);
 * cumulativeDepth(book, 'bid', 2); // 896
 * cumulativeDepth(book, 'ask', 1); // 100
 * ```
 */
export function cumulativeDepth(book: BookSnapshot, side: 'bid' | 'ask', levels: number): number {
  if (!Number.isInteger(levels) || levels < 1) throw new InvalidInputError('levels', levels, 'an integer >= 1');
  let sz: Float64Array;
  let present: number;
  if (side === 'bid') {
    sz = book.bidSz;
    present = book.bidLevels;
  } else if (side === 'ask') {
    sz = book.askSz;
    present = book.askLevels;
  } else {
    throw new InvalidInputError('side', side, '"bid" or "ask"');
  }
  const n = Math.min(levels, present, sz.length);
  let total = 0;
  for (let i = 0; i < n; i++) total += sz[i]!;
  return total;
}
