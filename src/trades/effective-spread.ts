import type { BookSnapshot, Trade } from '../core/events.js';
import { checkState, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { bestAsk, bestBid, checkTrade, checkTs, sideOf, stateInteger, stateNumber } from './internal.js';

/** State of an {@link EffectiveSpread}. */
export interface EffectiveSpreadState extends OperatorState {
  readonly type: 'EffectiveSpread';
  readonly version: 1;
  readonly bid: number | string;
  readonly ask: number | string;
  readonly count: number;
  readonly noQuote: number;
  readonly sum: number | string;
  readonly volume: number | string;
  readonly vwSum: number | string;
}

/**
 * Effective spread of each trade, in basis points of the mid-quote before it:
 *
 * ```text
 * effective = 2 * side * (price - mid) / mid * 1e4      [bps]
 * ```
 *
 * with `mid = (bid + ask) / 2` of the quote last received and `side` the trade's aggressor side (+1 buy,
 * -1 sell). It is the round-trip cost a liquidity taker paid against the mid; with a correct side it is
 * positive for trades inside or at the quotes (twice the distance to the mid), 0 at the mid.
 *
 * - Inputs: quotes by `onQuote(ts, bid, ask)` or `onBook(book)`, trades by `update(trade, side?)`.
 *   `side` defaults to `trade.side`, then 0; pass the output of a classifier (e.g. {@link LeeReady}) to
 *   use inferred sides. Feed each trade before the book state it produces.
 * - Output: the trade's effective spread in bps; `NaN` when there is no quote (no quote yet, or a side
 *   missing), such trades are counted in `noQuote` and left out of the running statistics. A side of 0
 *   gives 0 and is counted (as in the reference).
 * - Running statistics over the trades with a quote: `count`, `sum`, `mean` (simple), `vwMean`
 *   (weighted by `size`), `volume`. NaN while empty.
 * - Flipping every side negates every value and the sums. Allocation-free; no warm-up.
 *
 * Reference: the effective spread of e.g. Huang & Stoll (1996), "Dealer versus auction markets", Journal
 * of Financial Economics 41, 313-357; the reference README's `effective spread (bps)`.
 *
 * @example
 * ```ts
 * const es = new EffectiveSpread();
 * es.onQuote(0, 579.40, 580.23);                          // mid 579.815
 * es.update({ ts: 1, price: 579.40, size: 300 }, -1);    // 14.314910790513432
 * ```
 */
export class EffectiveSpread implements Operator<Trade, number, EffectiveSpreadState> {
  private bid = NaN;
  private ask = NaN;
  private n = 0;
  private noQuoteCount = 0;
  private total = 0;
  private vol = 0;
  private vwTotal = 0;

  /** Record the best quotes (NaN for a missing side). `ts` is checked but not used. */
  onQuote(ts: number, bid: number, ask: number): void {
    checkTs('EffectiveSpread.onQuote', ts);
    this.bid = bid;
    this.ask = ask;
  }

  /** Record the best quotes of `book`. */
  onBook(book: BookSnapshot): void {
    this.onQuote(book.ts, bestBid(book), bestAsk(book));
  }

  /** The trade's effective spread in bps (NaN without a quote); see the class docs. */
  update(trade: Trade, side?: number): number {
    checkTrade('EffectiveSpread.update', trade);
    const mid = (this.bid + this.ask) / 2;
    if (!(mid === mid)) {
      this.noQuoteCount++;
      return NaN;
    }
    const s = sideOf(trade, side);
    const value = ((2 * s * (trade.price - mid)) / mid) * 1e4;
    this.n++;
    this.total += value;
    this.vol += trade.size;
    this.vwTotal += value * trade.size;
    return value;
  }

  /** Trades with a quote. */
  get count(): number {
    return this.n;
  }

  /** Trades without a quote (NaN output, not in the statistics). */
  get noQuote(): number {
    return this.noQuoteCount;
  }

  /** Sum of the effective spreads (bps). */
  get sum(): number {
    return this.total;
  }

  /** Mean effective spread (bps); NaN while empty. */
  get mean(): number {
    return this.n === 0 ? NaN : this.total / this.n;
  }

  /** Volume-weighted mean effective spread (bps); NaN while no volume. */
  get vwMean(): number {
    return this.vol === 0 ? NaN : this.vwTotal / this.vol;
  }

  /** Total size of the trades with a quote. */
  get volume(): number {
    return this.vol;
  }

  reset(): void {
    this.bid = NaN;
    this.ask = NaN;
    this.n = 0;
    this.noQuoteCount = 0;
    this.total = 0;
    this.vol = 0;
    this.vwTotal = 0;
  }

  snapshot(): EffectiveSpreadState {
    return {
      type: 'EffectiveSpread',
      version: 1,
      bid: encodeNumber(this.bid),
      ask: encodeNumber(this.ask),
      count: this.n,
      noQuote: this.noQuoteCount,
      sum: encodeNumber(this.total),
      volume: encodeNumber(this.vol),
      vwSum: encodeNumber(this.vwTotal),
    };
  }

  restore(state: EffectiveSpreadState): void {
    checkState(state, 'EffectiveSpread', 1);
    const t = 'EffectiveSpread';
    const bid = stateNumber(t, 'bid', state.bid);
    const ask = stateNumber(t, 'ask', state.ask);
    const n = stateInteger(t, 'count', state.count);
    const noQuote = stateInteger(t, 'noQuote', state.noQuote);
    const total = stateNumber(t, 'sum', state.sum);
    const vol = stateNumber(t, 'volume', state.volume);
    const vwTotal = stateNumber(t, 'vwSum', state.vwSum);
    this.bid = bid;
    this.ask = ask;
    this.n = n;
    this.noQuoteCount = noQuote;
    this.total = total;
    this.vol = vol;
    this.vwTotal = vwTotal;
  }
}
