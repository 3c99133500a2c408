import type { BookSnapshot } from '../core/events.js';
import { InvalidInputError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption } from '../core/options.js';
import { stateNumbersInto as decodeStateNumbersInto } from '../core/state.js';
import { ofiBetween } from './ofi-between.js';

/** Options of {@link MultiLevelOfi}. */
export interface MultiLevelOfiOptions {
  /**
   * How many levels a side to follow (an integer >= 1). Levels past the book's depth count as empty.
   * @defaultValue 10
   */
  readonly levels?: number;
}

/** Defaults of {@link MultiLevelOfiOptions}. */
export const DEFAULT_MULTI_LEVEL_OFI_OPTIONS: Readonly<Required<MultiLevelOfiOptions>> = Object.freeze({
  /** @defaultValue 10 */
  levels: 10,
});

/** State of a {@link MultiLevelOfi}: the previous book's levels and the last per-level values, NaN-safe encoded. */
export interface MultiLevelOfiState extends OperatorState {
  readonly type: 'MultiLevelOfi';
  readonly version: 1;
  /** Whether the previous book had both a best bid and a best ask. */
  readonly prevValid: boolean;
  readonly prevBidPx: ReadonlyArray<number | string>;
  readonly prevBidSz: ReadonlyArray<number | string>;
  readonly prevAskPx: ReadonlyArray<number | string>;
  readonly prevAskSz: ReadonlyArray<number | string>;
  /** Per-level e_n of the last update. */
  readonly values: ReadonlyArray<number | string>;
}

/**
 * Multi-level order-flow imbalance (MLOFI) of Xu, Gould & Howison (2019): the Cont-Kukanov-Stoikov e_n
 * applied to each book level m = 1..levels separately, with level m's prices and sizes:
 *
 * ```text
 * e_n^m = 1{Pb^m_n >= Pb^m_n-1} qb^m_n - 1{Pb^m_n <= Pb^m_n-1} qb^m_n-1
 *       - 1{Pa^m_n <= Pa^m_n-1} qa^m_n + 1{Pa^m_n >= Pa^m_n-1} qa^m_n-1
 * ```
 *
 * Units: size units (shares) per update, positive = buying pressure; not bounded.
 *
 * - `update(book)` returns the **unweighted sum** over the levels, `sum_m e_n^m`; the per-level values
 *   of the last update are in {@link MultiLevelOfi.values} (index 0 = level 1) and `level(m)`. The paper
 *   regresses price changes on the vector of levels (summed over a time window); fit weights to it
 *   yourself rather than relying on the plain sum.
 * - **Empty levels.** Our books mark an empty level with price NaN; here an empty bid level is taken
 *   as price `-Infinity` and an empty ask level as `+Infinity`, size 0, inside the comparisons. That is
 *   what LOBSTER's sentinel prices (`-9999999999` / `9999999999`) give the reference, which uses them as
 *   they are: a level that empties counts as a price move (an emptied bid level contributes
 *   `-qb^m_n-1`, an emptied ask level `+qa^m_n-1`), a level that fills from empty contributes its new
 *   size (`+qb^m_n` or `-qa^m_n`), and a level empty in both books contributes 0. Levels past the
 *   book's depth are empty too.
 * - Warm-up: none. The first book returns 0 (every level), as in `Ofi`: the reference's `e_0 = 0`.
 * - Invalid rows: when this book or the previous one lacks a best bid or a best ask, every level
 *   returns 0 (the reference's "not valid" rule for e_n, applied to all levels), so level 1 always
 *   equals `Ofi` (the reference's "entry 1 = sum_e").
 * - Keeps the previous levels in `Float64Array`s (copied, so a borrowed, reused book is fine);
 *   allocates nothing per call. Swapping the bid and ask sides (prices mirrored) negates every value.
 *
 * Reference: K. Xu, M. D. Gould & S. D. Howison (2019), "Multi-level order-flow imbalance in a limit
 * order book", Market Microstructure and Liquidity 4(3-4), 1950011 (arXiv:1907.06230); e_n from
 * R. Cont, A. Kukanov & S. Stoikov (2014), J. Financial Econometrics 12(1), 47-88;
 * `ofi.multi_level_sum_e` of the reference README.
 *
 * @example
 * ```ts
 * const mlofi = new MultiLevelOfi({ levels: 2 });
 * mlofi.update(bookFromLevels([[100, 5], [99, 7]], [[101, 4], [102, 6]])); // 0 (first book)
 * // level 1: bid 100 x 5 -> 100 x 8: +3; level 2: bid 99 x 7 -> emptied: -7; asks unchanged: 0
 * mlofi.update(bookFromLevels([[100, 8]], [[101, 4], [102, 6]], { depth: 2 })); // -4
 * mlofi.level(1); // 3
 * mlofi.level(2); // -7
 * ```
 */
export class MultiLevelOfi implements Operator<BookSnapshot, number, MultiLevelOfiState> {
  /** The number of levels a side followed (the option). */
  readonly levels: number;
  /** Per-level e_n of the last update (index 0 = level 1); overwritten by every update, read it before the next. */
  readonly values: Float64Array;
  private prevValid = false;
  private readonly prevBidPx: Float64Array;
  private readonly prevBidSz: Float64Array;
  private readonly prevAskPx: Float64Array;
  private readonly prevAskSz: Float64Array;

  constructor(options: MultiLevelOfiOptions = {}) {
    checkOptionKeys('MultiLevelOfi', options, ['levels']);
    this.levels = integerOption('levels', options.levels ?? DEFAULT_MULTI_LEVEL_OFI_OPTIONS.levels, 1);
    this.values = new Float64Array(this.levels);
    this.prevBidPx = new Float64Array(this.levels);
    this.prevBidSz = new Float64Array(this.levels);
    this.prevAskPx = new Float64Array(this.levels);
    this.prevAskSz = new Float64Array(this.levels);
    this.reset();
  }

  /** e_n of level `m` (1-based) in the last update. Throws {@link InvalidInputError} outside 1..levels. */
  level(m: number): number {
    if (!Number.isInteger(m) || m < 1 || m > this.levels) {
      throw new InvalidInputError('m', m, `an integer in [1, ${this.levels}]`);
    }
    return this.values[m - 1]!;
  }

  /** Consume one book; returns the sum over levels of e_n against the previous book (0 for the first). */
  update(book: BookSnapshot): number {
    const valid = book.bidLevels > 0 && book.askLevels > 0;
    const score = valid && this.prevValid;
    const nb = Math.min(book.bidLevels, book.bidPx.length);
    const na = Math.min(book.askLevels, book.askPx.length);
    let total = 0;
    for (let m = 0; m < this.levels; m++) {
      const bidPx = m < nb ? book.bidPx[m]! : -Infinity;
      const bidSz = m < nb ? book.bidSz[m]! : 0;
      const askPx = m < na ? book.askPx[m]! : Infinity;
      const askSz = m < na ? book.askSz[m]! : 0;
      const e = score
        ? ofiBetween(this.prevBidPx[m]!, this.prevBidSz[m]!, this.prevAskPx[m]!, this.prevAskSz[m]!, bidPx, bidSz, askPx, askSz)
        : 0;
      this.values[m] = e;
      total += e;
      this.prevBidPx[m] = bidPx;
      this.prevBidSz[m] = bidSz;
      this.prevAskPx[m] = askPx;
      this.prevAskSz[m] = askSz;
    }
    this.prevValid = valid;
    return total;
  }

  reset(): void {
    this.prevValid = false;
    this.values.fill(0);
    this.prevBidPx.fill(-Infinity);
    this.prevBidSz.fill(0);
    this.prevAskPx.fill(Infinity);
    this.prevAskSz.fill(0);
  }

  snapshot(): MultiLevelOfiState {
    return {
      type: 'MultiLevelOfi',
      version: 1,
      prevValid: this.prevValid,
      prevBidPx: encodeNumbers(this.prevBidPx),
      prevBidSz: encodeNumbers(this.prevBidSz),
      prevAskPx: encodeNumbers(this.prevAskPx),
      prevAskSz: encodeNumbers(this.prevAskSz),
      values: encodeNumbers(this.values),
    };
  }

  /** Continue from `state`, which must come from an operator with the same `levels`. */
  restore(state: MultiLevelOfiState): void {
    checkState(state, 'MultiLevelOfi', 1);
    if (typeof state.prevValid !== 'boolean') {
      throw new InvalidStateError('MultiLevelOfi', `prevValid must be a boolean, got ${JSON.stringify(state.prevValid)}`);
    }
    const n = this.levels;
    const bidPx = new Float64Array(n);
    const bidSz = new Float64Array(n);
    const askPx = new Float64Array(n);
    const askSz = new Float64Array(n);
    const values = new Float64Array(n);
    decodeStateNumbersInto('MultiLevelOfi', 'prevBidPx', state.prevBidPx, bidPx);
    decodeStateNumbersInto('MultiLevelOfi', 'prevBidSz', state.prevBidSz, bidSz);
    decodeStateNumbersInto('MultiLevelOfi', 'prevAskPx', state.prevAskPx, askPx);
    decodeStateNumbersInto('MultiLevelOfi', 'prevAskSz', state.prevAskSz, askSz);
    decodeStateNumbersInto('MultiLevelOfi', 'values', state.values, values);
    this.prevValid = state.prevValid;
    this.prevBidPx.set(bidPx);
    this.prevBidSz.set(bidSz);
    this.prevAskPx.set(askPx);
    this.prevAskSz.set(askSz);
    this.values.set(values);
  }
}
