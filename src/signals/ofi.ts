import type { BookSnapshot } from '../core/events.js';
import { InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { stateNumber as decodeStateNumber } from '../core/state.js';
import { ofiBetween } from './ofi-between.js';

/** State of an {@link Ofi}: the previous book's level 1, NaN-safe encoded. */
export interface OfiState extends OperatorState {
  readonly type: 'Ofi';
  readonly version: 1;
  /** Whether the previous book had both a best bid and a best ask. */
  readonly prevValid: boolean;
  readonly prevBidPx: number | string;
  readonly prevBidSz: number | string;
  readonly prevAskPx: number | string;
  readonly prevAskSz: number | string;
}

/**
 * Best-level order-flow imbalance (OFI) of Cont, Kukanov & Stoikov (2014): for each book state n, the
 * net order flow at the best quotes since the previous state,
 *
 * ```text
 * e_n = 1{Pb_n >= Pb_n-1} qb_n - 1{Pb_n <= Pb_n-1} qb_n-1
 *     - 1{Pa_n <= Pa_n-1} qa_n + 1{Pa_n >= Pa_n-1} qa_n-1
 * ```
 *
 * with `Pb, qb` (`Pa, qa`) the best bid (ask) price and size (formula in `ofiBetween`). Units: size
 * units (shares) per update, positive = buying pressure; not bounded. Sum it over a time window for the
 * OFI of the paper's price-impact regression.
 *
 * - `update(book)` returns e_n of `book` against the previous book.
 * - Warm-up: none. The first book returns **0, not NaN**: the reference defines `e_0 = 0`, and a flow
 *   measure that has seen no change has no flow, so sums over a window need no NaN guard.
 * - Empty input: 0 when this book or the previous one lacks a best bid or a best ask (the reference's
 *   "not valid" row); the next valid book after an invalid one also returns 0.
 * - Keeps the previous level-1 values in number fields (copied, so a borrowed, reused book is fine);
 *   allocates nothing per call. Swapping the bid and ask sides (prices mirrored) negates every e_n
 *   exactly.
 *
 * Reference: R. Cont, A. Kukanov & S. Stoikov (2014), "The price impact of order book events",
 * Journal of Financial Econometrics 12(1), 47-88 (the definition of e_n); `ofi.sum_e` of the reference
 * README. For levels 2..L see `MultiLevelOfi`.
 *
 * @example
 * ```ts
 * const ofi = new Ofi();
 * ofi.update(bookFromLevels([[579.40, 496]], [[580.23, 100]])); // 0 (first book)
 * ofi.update(bookFromLevels([[579.40, 196]], [[580.23, 100]])); // -300 (bid queue lost 300 at the same price)
 * ```
 */
export class Ofi implements Operator<BookSnapshot, number, OfiState> {
  private prevValid = false;
  private prevBidPx = NaN;
  private prevBidSz = 0;
  private prevAskPx = NaN;
  private prevAskSz = 0;

  /** Consume one book; returns e_n against the previous book (0 for the first or an invalid pair). */
  update(book: BookSnapshot): number {
    const valid = book.bidLevels > 0 && book.askLevels > 0;
    const bidPx = book.bidPx[0]!;
    const bidSz = book.bidSz[0]!;
    const askPx = book.askPx[0]!;
    const askSz = book.askSz[0]!;
    const e =
      valid && this.prevValid
        ? ofiBetween(this.prevBidPx, this.prevBidSz, this.prevAskPx, this.prevAskSz, bidPx, bidSz, askPx, askSz)
        : 0;
    this.prevValid = valid;
    this.prevBidPx = bidPx;
    this.prevBidSz = bidSz;
    this.prevAskPx = askPx;
    this.prevAskSz = askSz;
    return e;
  }

  reset(): void {
    this.prevValid = false;
    this.prevBidPx = NaN;
    this.prevBidSz = 0;
    this.prevAskPx = NaN;
    this.prevAskSz = 0;
  }

  snapshot(): OfiState {
    return {
      type: 'Ofi',
      version: 1,
      prevValid: this.prevValid,
      prevBidPx: encodeNumber(this.prevBidPx),
      prevBidSz: encodeNumber(this.prevBidSz),
      prevAskPx: encodeNumber(this.prevAskPx),
      prevAskSz: encodeNumber(this.prevAskSz),
    };
  }

  restore(state: OfiState): void {
    checkState(state, 'Ofi', 1);
    if (typeof state.prevValid !== 'boolean') {
      throw new InvalidStateError('Ofi', `prevValid must be a boolean, got ${JSON.stringify(state.prevValid)}`);
    }
    const bidPx = decodeStateNumber('Ofi', 'prevBidPx', state.prevBidPx);
    const bidSz = decodeStateNumber('Ofi', 'prevBidSz', state.prevBidSz);
    const askPx = decodeStateNumber('Ofi', 'prevAskPx', state.prevAskPx);
    const askSz = decodeStateNumber('Ofi', 'prevAskSz', state.prevAskSz);
    this.prevValid = state.prevValid;
    this.prevBidPx = bidPx;
    this.prevBidSz = bidSz;
    this.prevAskPx = askPx;
    this.prevAskSz = askSz;
  }
}

