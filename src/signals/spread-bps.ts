import type { BookSnapshot } from '../core/events.js';

/**
 * Relative quoted spread in basis points of the mid price.
 *
 * `spreadBps = (askPx[0] - bidPx[0]) / mid * 1e4` with `mid = (bidPx[0] + askPx[0]) / 2`; unitless (bps).
 *
 * - Range: > 0 for a normal book with positive prices, 0 when locked, negative when crossed (see
 *   `spread`).
 * - Empty input: `NaN` when either side has no level. A mid of 0 gives ±Infinity (or NaN when the
 *   spread is 0 too); prices are expected to be positive.
 * - Stateless and allocation-free; no warm-up.
 *
 * @example
 * ```ts
 * const book = bookFromLevels([[579.40, 496]], [[580.23, 100]]);
 * spreadBps(book); // 14.31491079051147 (0.83 / 579.815 * 1e4)
 * ```
 */
export function spreadBps(book: BookSnapshot): number {
  if (book.bidLevels < 1 || book.askLevels < 1) return NaN;
  const bid = book.bidPx[0]!;
  const ask = book.askPx[0]!;
  return ((ask - bid) / ((bid + ask) / 2)) * 1e4;
}
