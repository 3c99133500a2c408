import { InvalidInputError } from '../core/errors.js';
import type { Side, Trade } from '../core/events.js';
import { checkState, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { stateNumber, stateSide } from './internal.js';

/** State of a {@link TickRule}. */
export interface TickRuleState extends OperatorState {
  readonly type: 'TickRule';
  readonly version: 1;
  /** The last trade price (NaN before the first trade). */
  readonly lastPrice: number | string;
  /** The sign of the last price change (0 before the first change). */
  readonly lastSign: number;
}

/**
 * Tick rule trade classification: a trade above the last **different** earlier trade price is a buy
 * (+1), below it a sell (-1):
 *
 * ```text
 * side_i = sign(p_i - p_j),  j = the last trade before i with p_j != p_i
 * ```
 *
 * i.e. an uptick or zero-uptick is a buy, a downtick or zero-downtick a sell (the "zero-tick" rule).
 *
 * - Input: trades in tape order (only `price` is used; `classify(price)` takes the number alone).
 * - Output: +1, -1, or 0 while no earlier trade has a different price (the first trade, and a run of
 *   equal prices at the start). No warm-up beyond that.
 * - Prices are compared exactly: prices parsed from the same raw integers are the same doubles.
 * - Allocation-free; state is two numbers.
 *
 * Reference: Lee & Ready (1991), "Inferring trade direction from intraday data", Journal of Finance
 * 46(2), 733-746, section on the tick test; the reference README's `tick rule`.
 *
 * @example
 * ```ts
 * const tick = new TickRule();
 * [579.40, 579.40, 579.51, 579.50, 579.50].map((price) => tick.classify(price)); // [0, 0, 1, -1, -1]
 * ```
 */
export class TickRule implements Operator<Trade, Side, TickRuleState> {
  private lastPrice = NaN;
  private lastSign: Side = 0;

  /** Classify one trade; see the class docs. */
  update(trade: Trade): Side {
    return this.classify(trade.price);
  }

  /** Classify a trade at `price` (the number alone); throws {@link InvalidInputError} for a non-finite price. */
  classify(price: number): Side {
    if (price - price !== 0) throw new InvalidInputError('TickRule.update: trade.price', price, 'a finite number');
    const last = this.lastPrice;
    if (price > last) this.lastSign = 1;
    else if (price < last) this.lastSign = -1;
    this.lastPrice = price;
    return this.lastSign;
  }

  /** The side the rule gives a trade at `price` now, without recording the trade. */
  peek(price: number): Side {
    const last = this.lastPrice;
    return price > last ? 1 : price < last ? -1 : this.lastSign;
  }

  reset(): void {
    this.lastPrice = NaN;
    this.lastSign = 0;
  }

  snapshot(): TickRuleState {
    return { type: 'TickRule', version: 1, lastPrice: encodeNumber(this.lastPrice), lastSign: this.lastSign };
  }

  restore(state: TickRuleState): void {
    checkState(state, 'TickRule', 1);
    const lastPrice = stateNumber('TickRule', 'lastPrice', state.lastPrice);
    const lastSign = stateSide('TickRule', 'lastSign', state.lastSign);
    this.lastPrice = lastPrice;
    this.lastSign = lastSign;
  }
}
