import type { BookSnapshot } from '../core/events.js';
import { checkState, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption } from '../core/options.js';

/** Options of {@link WeightedObi}. */
export interface WeightedObiOptions {
  /**
   * How many levels a side to use (an integer >= 1). A book holding fewer levels uses those it holds.
   * @defaultValue 10
   */
  readonly levels?: number;
  /**
   * Exponential decay per level: level i (1-based) weighs `exp(-decay * (i - 1))`. 0 weighs all levels
   * equally (plain depth imbalance over `levels` levels).
   * @defaultValue 0.5
   */
  readonly decay?: number;
}

/** Defaults of {@link WeightedObiOptions}. */
export const DEFAULT_WEIGHTED_OBI_OPTIONS: Readonly<Required<WeightedObiOptions>> = Object.freeze({
  /** @defaultValue 10 */
  levels: 10,
  /** @defaultValue 0.5 */
  decay: 0.5,
});

/** State of a {@link WeightedObi}: it keeps none (the weights come from the options). */
export interface WeightedObiState extends OperatorState {
  readonly type: 'WeightedObi';
  readonly version: 1;
}

/**
 * Depth-weighted order-book imbalance: OBI over several levels, each level's size weighted by an
 * exponential decay in the level number so level 1 weighs most.
 *
 * ```text
 * B = sum_i w_i bidSz_i,   A = sum_i w_i askSz_i,   w_i = exp(-decay * (i - 1)),  i = 1..levels
 * dwobi = (B - A) / (B + A)
 * ```
 *
 * Unitless, in `[-1, 1]` (also under rounding), +1 when all the weighted size is on the bid. Empty
 * levels (past `bidLevels` / `askLevels`) add nothing; a `levels` option larger than the book's depth
 * uses the book's depth. With `levels: 1` it equals `obi`.
 *
 * - `update(book)` returns the value for that book; no warm-up (stateless, a class only to hold the
 *   precomputed weights, in a `Float64Array`). Allocates nothing per call.
 * - Empty input: `NaN` when either side has no level, or when all the weighted sizes are 0.
 * - Swapping the bid and ask sides negates it exactly.
 *
 * Reference: `dwobi` of the reference README (w_i = exp(-0.5 (i-1)), L = 10: the defaults). Depth-
 * weighted imbalances with decaying weights are common in practice; e.g. Cao, Hansch & Wang (2009),
 * "The information content of an open limit-order book", Journal of Futures Markets 29(1), on the
 * information beyond level 1.
 *
 * @example
 * ```ts
 * const dwobi = new WeightedObi({ levels: 2 });
 * // B = 496 + 400 * exp(-0.5) = 738.6122638850534, A = 100 + 100 * exp(-0.5) = 160.65306597126335
 * dwobi.update(bookFromLevels([[579.40, 496], [578.70, 400]], [[580.23, 100], [580.43, 100]])); // 0.6427015239274658
 * ```
 */
export class WeightedObi implements Operator<BookSnapshot, number, WeightedObiState> {
  /** The number of levels a side used (the option). */
  readonly levels: number;
  /** The decay per level (the option). */
  readonly decay: number;
  private readonly weights: Float64Array;

  constructor(options: WeightedObiOptions = {}) {
    checkOptionKeys('WeightedObi', options, ['levels', 'decay']);
    this.levels = integerOption('levels', options.levels ?? DEFAULT_WEIGHTED_OBI_OPTIONS.levels, 1);
    this.decay = nonNegativeOption('decay', options.decay ?? DEFAULT_WEIGHTED_OBI_OPTIONS.decay);
    this.weights = new Float64Array(this.levels);
    for (let i = 0; i < this.levels; i++) this.weights[i] = Math.exp(-this.decay * i);
  }

  /** The weight of level `i` (1-based), `exp(-decay * (i - 1))`; NaN outside 1..levels. */
  weight(i: number): number {
    return Number.isInteger(i) && i >= 1 && i <= this.levels ? this.weights[i - 1]! : NaN;
  }

  /** The depth-weighted imbalance of `book`. */
  update(book: BookSnapshot): number {
    if (book.bidLevels < 1 || book.askLevels < 1) return NaN;
    const w = this.weights;
    const bidSz = book.bidSz;
    const askSz = book.askSz;
    const levels = this.levels;
    const nb = book.bidLevels < levels ? (book.bidLevels < bidSz.length ? book.bidLevels : bidSz.length) : levels < bidSz.length ? levels : bidSz.length;
    const na = book.askLevels < levels ? (book.askLevels < askSz.length ? book.askLevels : askSz.length) : levels < askSz.length ? levels : askSz.length;
    // two partial sums a side (even and odd levels): half as long a chain of dependent additions
    let bid0 = 0;
    let bid1 = 0;
    let ask0 = 0;
    let ask1 = 0;
    const both = nb < na ? nb : na;
    let i = 0;
    for (; i + 1 < both; i += 2) {
      const w0 = w[i]!;
      const w1 = w[i + 1]!;
      bid0 += w0 * bidSz[i]!;
      bid1 += w1 * bidSz[i + 1]!;
      ask0 += w0 * askSz[i]!;
      ask1 += w1 * askSz[i + 1]!;
    }
    for (let j = i; j < nb; j++) bid0 += w[j]! * bidSz[j]!;
    for (let j = i; j < na; j++) ask0 += w[j]! * askSz[j]!;
    const bid = bid0 + bid1;
    const ask = ask0 + ask1;
    return (bid - ask) / (bid + ask);
  }

  /** Nothing to reset: the operator keeps no state between books. */
  reset(): void {}

  snapshot(): WeightedObiState {
    return { type: 'WeightedObi', version: 1 };
  }

  restore(state: WeightedObiState): void {
    checkState(state, 'WeightedObi', 1);
  }
}
