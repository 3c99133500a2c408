import type { BookSnapshot, Trade } from '../core/events.js';
import { InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption } from '../core/options.js';
import { bestAsk, bestBid, checkTrade, checkTs, sideOf, stateInteger, stateNumber, stateNumbers } from './internal.js';

/** Called once per trade when its realized spread is known (see {@link RealizedSpread}). */
export type RealizedSpreadCallback = (
  tradeTs: number,
  realizedBps: number,
  priceImpactBps: number,
  size: number,
  side: number,
) => void;

/** Options of {@link RealizedSpread}. */
export interface RealizedSpreadOptions {
  /**
   * The horizon tau in ms: the realized spread uses the mid `horizonMs` after the trade.
   * @defaultValue 5000
   */
  horizonMs?: number;
  /**
   * Pending trades held before the ring's first doubling. The ring holds the trades of the last
   * `horizonMs`; when a trade finds it full it doubles (the only allocation; it never shrinks until
   * `reset`). Size it to the busiest `horizonMs` you expect to avoid any allocation on the stream.
   * @defaultValue 256
   */
  initialCapacity?: number;
  /**
   * Called synchronously for each trade as it resolves, oldest first, with
   * `(tradeTs, realizedBps, priceImpactBps, size, side)`: numbers only, nothing allocated. Not part of
   * the state (`snapshot` does not carry it). No default (no callback).
   */
  onResolved?: RealizedSpreadCallback;
}

/** Defaults of {@link RealizedSpreadOptions} (`onResolved` has none). */
export const DEFAULT_REALIZED_SPREAD_OPTIONS: Readonly<Required<Omit<RealizedSpreadOptions, 'onResolved'>>> = Object.freeze({
  horizonMs: 5000,
  initialCapacity: 256,
});

/** State of a {@link RealizedSpread}. Pending trades oldest first, NaN-safe encoded. */
export interface RealizedSpreadState extends OperatorState {
  readonly type: 'RealizedSpread';
  readonly version: 1;
  readonly bid: number | string;
  readonly ask: number | string;
  readonly lastTs: number | string;
  readonly lateEvents: number;
  readonly pendingTs: ReadonlyArray<number | string>;
  readonly pendingPrice: ReadonlyArray<number | string>;
  readonly pendingSize: ReadonlyArray<number | string>;
  readonly pendingSide: ReadonlyArray<number | string>;
  readonly pendingMid: ReadonlyArray<number | string>;
  /** [count, noQuote, sum, volume, vwSum] of the effective spread. */
  readonly effective: ReadonlyArray<number | string>;
  /** [resolved, unresolved, sum, volume, vwSum, impactSum, impactVwSum] of the realized spread. */
  readonly realized: ReadonlyArray<number | string>;
}

/**
 * Realized spread and price impact at a horizon tau, streamed: each trade waits until the mid tau
 * milliseconds later is known.
 *
 * ```text
 * effective = 2 * side * (price - mid_0) / mid_0 * 1e4            [bps]
 * realized  = 2 * side * (price - mid_tau) / mid_0 * 1e4          [bps]
 * impact    = effective - realized = 2 * side * (mid_tau - mid_0) / mid_0 * 1e4
 * ```
 *
 * `mid_0` is the mid of the quote last received before the trade; `mid_tau` the mid of the last quote
 * with `ts <= t + tau`. The realized spread is what the liquidity provider kept after the price moved;
 * the price impact what the taker's information (or pressure) moved the mid. Both are scaled by `mid_0`.
 *
 * - Inputs: quotes by `onQuote(ts, bid, ask)` / `onBook(book)` and trades by `update(trade, side?)`
 *   (`side` defaults to `trade.side`, then 0), in time order, each trade before the book state it
 *   produces. `advanceTo(ts)` tells it time has passed without an event; `flush()` at the end of the
 *   stream resolves every pending trade with the last mid (past the last quote the last quote holds).
 * - `update` returns the trade's **effective** spread now (NaN without a quote: such a trade is counted
 *   in `noQuote` and not followed). The trade then waits in a ring of typed arrays (no allocation per
 *   trade) and resolves when an event arrives with `ts > t + tau` (the mid then in force is mid_tau).
 * - Delivery of realized values: running statistics `realizedMean`, `realizedVwMean`, `realizedSum`,
 *   `impactMean`, `impactVwMean`, `resolved` (count), and, for per-trade values, the `onResolved`
 *   callback option. A trade whose mid_tau is NaN (a side missing then) is counted in `unresolved`.
 * - Latency: a realized value exists tau ms after its trade, once a later event (or `advanceTo`)
 *   shows the time has passed.
 * - Late events (time before the latest seen) are processed at the latest time and counted in
 *   `lateEvents`; non-finite times or prices throw `InvalidInputError`.
 * - Flipping every side negates every value and sum.
 *
 * Reference: Huang & Stoll (1996), "Dealer versus auction markets", Journal of Financial Economics 41,
 * 313-357 (realized spread and price impact); the reference README's `realized spread 5 s (bps)` (same
 * definition, tau = 5000 ms, scaled by mid_before).
 *
 * @example
 * ```ts
 * const rs = new RealizedSpread({ horizonMs: 5000 });
 * rs.onQuote(0, 100, 101);
 * rs.update({ ts: 10, price: 101, size: 100 }, 1); // 99.50248756218905 (effective, bps; mid_0 = 100.5)
 * rs.onQuote(3000, 101, 102);
 * rs.onQuote(6000, 102, 103);                     // 6000 > 10 + 5000: resolves with mid_tau = 101.5
 * rs.realizedMean;                                // -99.50248756218905
 * rs.impactMean;                                  // 199.0049751243781
 * ```
 */
export class RealizedSpread implements Operator<Trade, number, RealizedSpreadState> {
  /** The horizon tau in ms. */
  readonly horizonMs: number;
  private readonly initialCapacity: number;
  private readonly callback: RealizedSpreadCallback | undefined;
  private bid = NaN;
  private ask = NaN;
  private lastTs = Number.NEGATIVE_INFINITY;
  private late = 0;
  // Pending ring.
  private pTs: Float64Array;
  private pPrice: Float64Array;
  private pSize: Float64Array;
  private pSide: Float64Array;
  private pMid: Float64Array;
  private head = 0;
  private count = 0;
  // Effective spread statistics.
  private effN = 0;
  private noQuoteN = 0;
  private effSum = 0;
  private effVol = 0;
  private effVwSum = 0;
  // Realized spread statistics.
  private resN = 0;
  private unresN = 0;
  private resSum = 0;
  private resVol = 0;
  private resVwSum = 0;
  private impSum = 0;
  private impVwSum = 0;

  constructor(options: RealizedSpreadOptions = {}) {
    checkOptionKeys('RealizedSpread', options, [...Object.keys(DEFAULT_REALIZED_SPREAD_OPTIONS), 'onResolved']);
    const o = { ...DEFAULT_REALIZED_SPREAD_OPTIONS, ...options };
    this.horizonMs = nonNegativeOption('horizonMs', o.horizonMs);
    this.initialCapacity = integerOption('initialCapacity', o.initialCapacity, 1);
    if (o.onResolved !== undefined && typeof o.onResolved !== 'function') {
      throw new InvalidOptionError('onResolved', o.onResolved, 'a function');
    }
    this.callback = o.onResolved;
    const cap = this.initialCapacity;
    this.pTs = new Float64Array(cap);
    this.pPrice = new Float64Array(cap);
    this.pSize = new Float64Array(cap);
    this.pSide = new Float64Array(cap);
    this.pMid = new Float64Array(cap);
  }

  /** Record the best quotes at `ts` (NaN for a missing side); first resolves trades older than `ts - tau`. */
  onQuote(ts: number, bid: number, ask: number): void {
    checkTs('RealizedSpread.onQuote', ts);
    this.advance(ts);
    this.bid = bid;
    this.ask = ask;
  }

  /** Record the best quotes of `book` at `book.ts`. */
  onBook(book: BookSnapshot): void {
    this.onQuote(book.ts, bestBid(book), bestAsk(book));
  }

  /** Time has reached `ts` with no event: resolve the trades with `t + tau < ts`. */
  advanceTo(ts: number): void {
    checkTs('RealizedSpread.advanceTo', ts);
    this.advance(ts);
  }

  /** The trade's effective spread in bps now (NaN without a quote); its realized spread follows. */
  update(trade: Trade, side?: number): number {
    checkTrade('RealizedSpread.update', trade);
    const ts = this.advance(trade.ts);
    const mid = (this.bid + this.ask) / 2;
    if (!(mid === mid)) {
      this.noQuoteN++;
      return NaN;
    }
    const s = sideOf(trade, side);
    const price = trade.price;
    const size = trade.size;
    const value = ((2 * s * (price - mid)) / mid) * 1e4;
    this.effN++;
    this.effSum += value;
    this.effVol += size;
    this.effVwSum += value * size;
    if (this.count === this.pTs.length) this.grow();
    const cap = this.pTs.length;
    let i = this.head + this.count;
    if (i >= cap) i -= cap;
    this.pTs[i] = ts;
    this.pPrice[i] = price;
    this.pSize[i] = size;
    this.pSide[i] = s;
    this.pMid[i] = mid;
    this.count++;
    return value;
  }

  /** End of stream: resolve every pending trade with the last mid. */
  flush(): void {
    while (this.count > 0) this.resolveOldest();
  }

  /** Clamp a late time, then resolve the trades with `t + tau < ts`. Returns the time used. */
  private advance(ts: number): number {
    if (ts < this.lastTs) {
      this.late++;
      ts = this.lastTs;
    } else {
      this.lastTs = ts;
    }
    const h = this.horizonMs;
    while (this.count > 0 && this.pTs[this.head]! + h < ts) this.resolveOldest();
    return ts;
  }

  private resolveOldest(): void {
    const i = this.head;
    this.head = i + 1 === this.pTs.length ? 0 : i + 1;
    this.count--;
    const midTau = (this.bid + this.ask) / 2;
    if (!(midTau === midTau)) {
      this.unresN++;
      return;
    }
    const s = this.pSide[i]!;
    const mid0 = this.pMid[i]!;
    const size = this.pSize[i]!;
    const realized = ((2 * s * (this.pPrice[i]! - midTau)) / mid0) * 1e4;
    const impact = ((2 * s * (midTau - mid0)) / mid0) * 1e4;
    this.resN++;
    this.resSum += realized;
    this.resVol += size;
    this.resVwSum += realized * size;
    this.impSum += impact;
    this.impVwSum += impact * size;
    if (this.callback !== undefined) this.callback(this.pTs[i]!, realized, impact, size, s);
  }

  private grow(): void {
    const old = this.pTs.length;
    const copy = (a: Float64Array): Float64Array => {
      const b = new Float64Array(old * 2);
      for (let k = 0; k < this.count; k++) {
        let j = this.head + k;
        if (j >= old) j -= old;
        b[k] = a[j]!;
      }
      return b;
    };
    this.pTs = copy(this.pTs);
    this.pPrice = copy(this.pPrice);
    this.pSize = copy(this.pSize);
    this.pSide = copy(this.pSide);
    this.pMid = copy(this.pMid);
    this.head = 0;
  }

  /** Trades waiting for their horizon. */
  get pending(): number {
    return this.count;
  }

  /** Current capacity of the pending ring. */
  get capacity(): number {
    return this.pTs.length;
  }

  /** Trades with a quote. */
  get effectiveCount(): number {
    return this.effN;
  }

  /** Trades without a quote (NaN, not followed). */
  get noQuote(): number {
    return this.noQuoteN;
  }

  /** Sum of effective spreads (bps). */
  get effectiveSum(): number {
    return this.effSum;
  }

  /** Mean effective spread (bps); NaN while empty. */
  get effectiveMean(): number {
    return this.effN === 0 ? NaN : this.effSum / this.effN;
  }

  /** Volume-weighted mean effective spread (bps); NaN while no volume. */
  get effectiveVwMean(): number {
    return this.effVol === 0 ? NaN : this.effVwSum / this.effVol;
  }

  /** Trades whose realized spread is known. */
  get resolved(): number {
    return this.resN;
  }

  /** Trades that resolved while the mid was NaN (not in the statistics). */
  get unresolved(): number {
    return this.unresN;
  }

  /** Sum of realized spreads (bps). */
  get realizedSum(): number {
    return this.resSum;
  }

  /** Mean realized spread (bps); NaN while none resolved. */
  get realizedMean(): number {
    return this.resN === 0 ? NaN : this.resSum / this.resN;
  }

  /** Volume-weighted mean realized spread (bps); NaN while no volume resolved. */
  get realizedVwMean(): number {
    return this.resVol === 0 ? NaN : this.resVwSum / this.resVol;
  }

  /** Sum of price impacts (bps). */
  get impactSum(): number {
    return this.impSum;
  }

  /** Mean price impact (bps) over the resolved trades; NaN while none. */
  get impactMean(): number {
    return this.resN === 0 ? NaN : this.impSum / this.resN;
  }

  /** Volume-weighted mean price impact (bps) over the resolved trades; NaN while no volume. */
  get impactVwMean(): number {
    return this.resVol === 0 ? NaN : this.impVwSum / this.resVol;
  }

  /** Events that arrived with a time before the latest seen (processed at the latest time). */
  get lateEvents(): number {
    return this.late;
  }

  reset(): void {
    const cap = this.initialCapacity;
    if (this.pTs.length !== cap) {
      this.pTs = new Float64Array(cap);
      this.pPrice = new Float64Array(cap);
      this.pSize = new Float64Array(cap);
      this.pSide = new Float64Array(cap);
      this.pMid = new Float64Array(cap);
    }
    this.head = 0;
    this.count = 0;
    this.bid = NaN;
    this.ask = NaN;
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.late = 0;
    this.effN = 0;
    this.noQuoteN = 0;
    this.effSum = 0;
    this.effVol = 0;
    this.effVwSum = 0;
    this.resN = 0;
    this.unresN = 0;
    this.resSum = 0;
    this.resVol = 0;
    this.resVwSum = 0;
    this.impSum = 0;
    this.impVwSum = 0;
  }

  private pendingArray(a: Float64Array): Array<number | string> {
    const out: number[] = new Array(this.count);
    const cap = a.length;
    for (let k = 0; k < this.count; k++) {
      let j = this.head + k;
      if (j >= cap) j -= cap;
      out[k] = a[j]!;
    }
    return encodeNumbers(out);
  }

  snapshot(): RealizedSpreadState {
    return {
      type: 'RealizedSpread',
      version: 1,
      bid: encodeNumber(this.bid),
      ask: encodeNumber(this.ask),
      lastTs: encodeNumber(this.lastTs),
      lateEvents: this.late,
      pendingTs: this.pendingArray(this.pTs),
      pendingPrice: this.pendingArray(this.pPrice),
      pendingSize: this.pendingArray(this.pSize),
      pendingSide: this.pendingArray(this.pSide),
      pendingMid: this.pendingArray(this.pMid),
      effective: encodeNumbers([this.effN, this.noQuoteN, this.effSum, this.effVol, this.effVwSum]),
      realized: encodeNumbers([this.resN, this.unresN, this.resSum, this.resVol, this.resVwSum, this.impSum, this.impVwSum]),
    };
  }

  restore(state: RealizedSpreadState): void {
    checkState(state, 'RealizedSpread', 1);
    const t = 'RealizedSpread';
    if (!Array.isArray(state.pendingTs)) throw new InvalidStateError(t, `pendingTs must be an array, got ${JSON.stringify(state.pendingTs)}`);
    const n = state.pendingTs.length;
    const ts = stateNumbers(t, 'pendingTs', state.pendingTs, n, n);
    const price = stateNumbers(t, 'pendingPrice', state.pendingPrice, n, n);
    const size = stateNumbers(t, 'pendingSize', state.pendingSize, n, n);
    const side = stateNumbers(t, 'pendingSide', state.pendingSide, n, n);
    const mid = stateNumbers(t, 'pendingMid', state.pendingMid, n, n);
    const eff = stateNumbers(t, 'effective', state.effective, 5, 5);
    const res = stateNumbers(t, 'realized', state.realized, 7, 7);
    const bid = stateNumber(t, 'bid', state.bid);
    const ask = stateNumber(t, 'ask', state.ask);
    const lastTs = stateNumber(t, 'lastTs', state.lastTs);
    const late = stateInteger(t, 'lateEvents', state.lateEvents);
    stateInteger(t, 'effective[0]', eff[0]);
    stateInteger(t, 'effective[1]', eff[1]);
    stateInteger(t, 'realized[0]', res[0]);
    stateInteger(t, 'realized[1]', res[1]);
    this.reset();
    while (this.pTs.length < n) this.grow();
    this.pTs.set(ts);
    this.pPrice.set(price);
    this.pSize.set(size);
    this.pSide.set(side);
    this.pMid.set(mid);
    this.count = n;
    this.bid = bid;
    this.ask = ask;
    this.lastTs = lastTs;
    this.late = late;
    [this.effN, this.noQuoteN, this.effSum, this.effVol, this.effVwSum] = eff as [number, number, number, number, number];
    [this.resN, this.unresN, this.resSum, this.resVol, this.resVwSum, this.impSum, this.impVwSum] = res as [
      number, number, number, number, number, number, number,
    ];
  }
}
