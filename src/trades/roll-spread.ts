import type { Trade } from '../core/events.js';
import { checkState, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkTrade, stateInteger, stateNumbers } from './internal.js';

/** State of a {@link RollSpread}. */
export interface RollSpreadState extends OperatorState {
  readonly type: 'RollSpread';
  readonly version: 1;
  /** [lastPrice, lastChange, pairs, meanX, meanY, coMoment, trades, meanPrice], NaN-safe encoded. */
  readonly values: ReadonlyArray<number | string>;
}

/**
 * Roll's (1984) implied spread from the serial covariance of trade-price changes, streamed:
 *
 * ```text
 * dp_i = p_i - p_{i-1}                         (consecutive trades, zero changes included)
 * cov  = sample covariance (n - 1) of the pairs (dp_i, dp_{i-1})
 * roll = 2 * sqrt(-cov)   if cov < 0,   NaN otherwise
 * ```
 *
 * Bid-ask bounce makes consecutive price changes negatively correlated; under Roll's model
 * `cov = -s^2 / 4` for an effective spread `s`.
 *
 * - Input: trades in tape order (`price`). Output: the estimate in price units; `bps` gives it in basis
 *   points of the mean trade price. The covariance uses the pairs' own means (numpy
 *   `cov(dp[1:], dp[:-1])`), by a one-pass co-moment update (Welford-style), so it is stable.
 * - Warm-up: NaN until 2 pairs of changes (4 trades), and NaN whenever `cov >= 0`
 *   (positive serial covariance: the model does not apply; see `cov` for the raw value).
 * - Expanding (all trades since the start or `reset`). Allocation-free.
 *
 * Reference: R. Roll (1984), "A simple implicit measure of the effective bid-ask spread in an efficient
 * market", Journal of Finance 39(4), 1127-1139; the reference README's `roll`.
 *
 * @example
 * ```ts
 * const roll = new RollSpread();
 * [100, 101, 100, 101, 100].map((price, i) => roll.update({ ts: i, price, size: 1 }));
 * // [NaN, NaN, NaN, 2.8284271247461903, 2.3094010767585034]
 * ```
 */
export class RollSpread implements Operator<Trade, number, RollSpreadState> {
  private lastPrice = NaN;
  private lastChange = NaN;
  private pairs = 0;
  private meanX = 0;
  private meanY = 0;
  private coMoment = 0;
  private trades = 0;
  private meanPrice = 0;

  /** Add one trade; returns the current estimate (price units; NaN when undefined). */
  update(trade: Trade): number {
    checkTrade('RollSpread.update', trade);
    const price = trade.price;
    const n = ++this.trades;
    this.meanPrice += (price - this.meanPrice) / n;
    const change = price - this.lastPrice; // NaN for the first trade
    if (this.lastChange === this.lastChange) {
      const k = ++this.pairs;
      const dx = change - this.meanX;
      this.meanX += dx / k;
      this.meanY += (this.lastChange - this.meanY) / k;
      this.coMoment += dx * (this.lastChange - this.meanY);
    }
    this.lastPrice = price;
    this.lastChange = change;
    return this.value;
  }

  /** Sample covariance of consecutive price changes (NaN below 2 pairs). */
  get cov(): number {
    return this.pairs < 2 ? NaN : this.coMoment / (this.pairs - 1);
  }

  /** The estimate `2 sqrt(-cov)` in price units (NaN when `cov` is NaN or >= 0). */
  get value(): number {
    const c = this.cov;
    return c < 0 ? 2 * Math.sqrt(-c) : NaN;
  }

  /** The estimate in basis points of the mean trade price. */
  get bps(): number {
    return (this.value / this.meanPrice) * 1e4;
  }

  /** Number of price changes seen (trades - 1). */
  get priceChanges(): number {
    return this.trades === 0 ? 0 : this.trades - 1;
  }

  /** Pairs of consecutive changes in the covariance. */
  get count(): number {
    return this.pairs;
  }

  reset(): void {
    this.lastPrice = NaN;
    this.lastChange = NaN;
    this.pairs = 0;
    this.meanX = 0;
    this.meanY = 0;
    this.coMoment = 0;
    this.trades = 0;
    this.meanPrice = 0;
  }

  snapshot(): RollSpreadState {
    return {
      type: 'RollSpread',
      version: 1,
      values: encodeNumbers([
        this.lastPrice, this.lastChange, this.pairs, this.meanX, this.meanY, this.coMoment, this.trades, this.meanPrice,
      ]),
    };
  }

  restore(state: RollSpreadState): void {
    checkState(state, 'RollSpread', 1);
    const v = stateNumbers('RollSpread', 'values', state.values, 8, 8);
    const pairs = stateInteger('RollSpread', 'values[2] (pairs)', v[2]);
    const trades = stateInteger('RollSpread', 'values[6] (trades)', v[6]);
    this.lastPrice = v[0]!;
    this.lastChange = v[1]!;
    this.pairs = pairs;
    this.meanX = v[3]!;
    this.meanY = v[4]!;
    this.coMoment = v[5]!;
    this.trades = trades;
    this.meanPrice = v[7]!;
  }
}
