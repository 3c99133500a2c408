import type { BookSnapshot, OrderEvent, Side, Trade } from '../core/events.js';
import { InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, nonNegativeOption } from '../core/options.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { encodeList, stateInteger, stateNumbers, stateObject } from './internal.js';

/** A trade operator that returns signals: what {@link TradeDetector} wraps (e.g. `UnusualSize`). */
export type TradeSignalOperator<S extends OperatorState = OperatorState> = Operator<Trade, Signal | null, S>;

/** Options of {@link TradeDetector}. */
export interface TradeDetectorOptions {
  /**
   * Merge the prints of one aggressive order (consecutive trades with the same `ts` and `side`) into
   * one trade (sizes summed, volume-weighted price) before the wrapped operator sees it. A market
   * order that sweeps twenty resting orders prints twenty trades at one time stamp: twenty trades for a
   * rate detector, twenty small sizes for a size detector, where there was one order. The merged trade
   * is passed on when the next event with another time or side arrives (the signal comes then, with
   * the merged trade's `ts`).
   * @defaultValue false
   */
  aggregatePrints?: boolean;
  /**
   * With `aggregatePrints`, prints of the same side up to this many ms after the first print of the
   * run are merged too (0: only the same time stamp). A marketable order that walks hidden liquidity,
   * or a router's child orders of one parent sweeping one price, print microseconds apart rather than
   * at one time stamp: LOBSTER's GOOG day has runs of a dozen same-side prints at one price within
   * half a millisecond. A run ends at a print of the other side or a print later than the tolerance.
   * @defaultValue 0
   */
  mergeWithinMs?: number;
}

/** Defaults of {@link TradeDetectorOptions}. */
export const DEFAULT_TRADE_DETECTOR_OPTIONS: Readonly<Required<TradeDetectorOptions>> = Object.freeze({
  aggregatePrints: false,
  mergeWithinMs: 0,
});

/** State of a {@link TradeDetector}. */
export interface TradeDetectorState extends BaseDetectorState {
  readonly type: 'TradeDetector';
  readonly version: 1;
  readonly kind: string;
  readonly skipped: number;
  /** The merged trade waiting to be passed on: `[ts, side, size, notional, id, prints]` (prints 0: none). */
  readonly pending: ReadonlyArray<number | string>;
  readonly inner: OperatorState;
}

/**
 * Adapts a trade operator that returns signals (`UnusualSize`, `RapidTrading` of `src/trades`, or a
 * user's own) to the {@link Detector} interface, so a {@link DetectorSet} can run it.
 *
 * `onTrade(trade)` passes the trade to the operator, unless a field is not finite or the size is
 * negative: such a trade is skipped and counted in `skipped` (the `badData` detector reports it), so
 * the wrapped operator's input errors never reach the stream. With `aggregatePrints`, the prints of
 * one aggressive order are merged first (see {@link TradeDetectorOptions.aggregatePrints}); books and
 * order events then only move the clock (a later time passes the merged trade on).
 *
 * @example
 * ```ts
 * const d = new TradeDetector('unusualSize', new UnusualSize({ minTrades: 3, threshold: 3 }));
 * [100, 120, 80, 110].forEach((size, i) => d.onTrade({ ts: i, price: 10, size }));
 * d.onTrade({ ts: 5, price: 10, size: 5000 })?.kind; // 'unusualSize'
 * ```
 */
export class TradeDetector<S extends OperatorState = OperatorState> extends BaseDetector<TradeDetectorState> {
  readonly kind: string;
  readonly inputs: number;
  /** The wrapped operator. */
  readonly inner: TradeSignalOperator<S>;
  private readonly aggregate: boolean;
  private readonly mergeWithinMs: number;
  private skippedN = 0;
  /** `[ts, side, size, notional, id, prints]`. */
  private readonly pending = new Float64Array(6);
  private readonly merged: Trade & { side: Side; id: number } = { ts: 0, price: 0, size: 0, side: 0, id: 0 };

  constructor(kind: string, inner: TradeSignalOperator<S>, options: TradeDetectorOptions = {}) {
    super();
    checkOptionKeys('TradeDetector', options, Object.keys(DEFAULT_TRADE_DETECTOR_OPTIONS));
    if (typeof kind !== 'string' || kind === '') throw new InvalidOptionError('TradeDetector kind', kind, 'a non-empty string');
    const o = { ...DEFAULT_TRADE_DETECTOR_OPTIONS, ...options };
    this.kind = kind;
    this.inner = inner;
    this.aggregate = o.aggregatePrints === true;
    this.mergeWithinMs = nonNegativeOption('mergeWithinMs', o.mergeWithinMs);
    this.inputs = this.aggregate ? DetectorInput.Trade | DetectorInput.Book | DetectorInput.Order : DetectorInput.Trade;
  }

  /** Trades not passed on (a non-finite field or a negative size). */
  get skipped(): number {
    return this.skippedN;
  }

  override onTrade(trade: Trade): Signal | null {
    this.clock(trade.ts);
    const ts = trade.ts;
    const price = trade.price;
    const size = trade.size;
    if (!(ts - ts === 0 && price - price === 0 && size >= 0 && size - size === 0)) {
      this.skippedN++;
      return null;
    }
    if (!this.aggregate) return this.pass(trade);
    const p = this.pending;
    const side = trade.side === 1 ? 1 : trade.side === -1 ? -1 : 0;
    let out: Signal | null = null;
    if (p[5]! > 0 && (ts - p[0]! > this.mergeWithinMs || ts < p[0]! || p[1] !== side)) out = this.flush();
    if (p[5] === 0) {
      p[0] = ts;
      p[1] = side;
      p[2] = 0;
      p[3] = 0;
      p[4] = trade.id ?? 0;
    }
    p[2] = p[2]! + size;
    p[3] = p[3]! + size * price;
    p[5] = p[5]! + 1;
    return out;
  }

  override onBook(book: BookSnapshot): Signal | null {
    return this.later(book.ts);
  }

  override onOrder(order: OrderEvent): Signal | null {
    return this.later(order.ts);
  }

  /** Another event at `ts`: a later time passes the merged trade on. */
  private later(ts: number): Signal | null {
    this.clock(ts);
    const p = this.pending;
    return p[5]! > 0 && ts - p[0]! > this.mergeWithinMs ? this.flush() : null;
  }

  /** Pass the merged trade on (and clear it). */
  private flush(): Signal | null {
    const p = this.pending;
    const m = this.merged;
    m.ts = p[0]!;
    m.side = p[1]! > 0 ? 1 : p[1]! < 0 ? -1 : 0;
    m.size = p[2]!;
    m.price = p[2]! > 0 ? p[3]! / p[2]! : p[3]!;
    m.id = p[4]!;
    p[5] = 0;
    return this.pass(m);
  }

  private pass(trade: Trade): Signal | null {
    const s = this.inner.update(trade);
    if (s !== null) this.countFired();
    return s;
  }

  reset(): void {
    this.resetBase();
    this.inner.reset();
    this.skippedN = 0;
    this.pending.fill(0);
  }

  snapshot(): TradeDetectorState {
    return {
      type: 'TradeDetector',
      version: 1,
      clock: this.baseState(),
      kind: this.kind,
      skipped: this.skippedN,
      pending: encodeList(this.pending),
      inner: this.inner.snapshot(),
    };
  }

  restore(state: TradeDetectorState): void {
    checkState(state, 'TradeDetector', 1);
    if (state.kind !== this.kind) {
      throw new InvalidStateError('TradeDetector', `state is of kind ${JSON.stringify(state.kind)}, not ${JSON.stringify(this.kind)}`);
    }
    const skipped = stateInteger('TradeDetector', 'skipped', state.skipped);
    const pending = stateNumbers('TradeDetector', 'pending', state.pending, 6, 6);
    this.inner.restore(stateObject<S>('TradeDetector', 'inner', state.inner));
    this.restoreBase('TradeDetector', state.clock);
    this.skippedN = skipped;
    this.pending.set(pending);
  }
}
