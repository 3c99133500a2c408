/**
 * The data model: book snapshots, trades, L3 order events and the `MarketEvent` union.
 *
 * Units: `ts` is a number of **milliseconds** (epoch or session-relative; the fraction carries micro-
 * and nanoseconds). Prices and sizes are numbers in the instrument's own units.
 *
 * Sources may reuse one event object for speed ("borrowed" events): an operator that keeps anything
 * past the call copies it.
 *
 * @module
 */

/**
 * A limit-order-book state, `depth` levels a side, in four parallel typed arrays.
 *
 * Index 0 is the best level. `bidLevels` / `askLevels` say how many levels each side holds now; levels
 * at and past them are empty: price `NaN`, size `0`. Bids are sorted by price descending, asks ascending.
 */
export interface BookSnapshot {
  /** Time in milliseconds. */
  ts: number;
  /** Bid prices, best (highest) first. */
  readonly bidPx: Float64Array;
  /** Bid sizes, aligned with `bidPx`. */
  readonly bidSz: Float64Array;
  /** Ask prices, best (lowest) first. */
  readonly askPx: Float64Array;
  /** Ask sizes, aligned with `askPx`. */
  readonly askSz: Float64Array;
  /** Number of bid levels present (0..depth). */
  bidLevels: number;
  /** Number of ask levels present (0..depth). */
  askLevels: number;
}

/** Aggressor side: +1 buyer-initiated, -1 seller-initiated, 0 unknown. */
export type Side = -1 | 0 | 1;

/** A trade print. */
export interface Trade {
  /** Time in milliseconds. */
  ts: number;
  price: number;
  size: number;
  /** Aggressor side when the source knows it: +1 buyer-initiated, -1 seller-initiated, 0 unknown. */
  side?: Side;
  /** Trade or order id, when the source has one. */
  id?: number;
}

/**
 * Kinds of L3 (market-by-order) events, as LOBSTER's message file carries them:
 * `add` (type 1), `cancel` (2, partial), `delete` (3), `execute` (4, visible), `executeHidden` (5),
 * `cross` (6, auction print) and `halt` (7).
 */
export type OrderEventKind = 'add' | 'cancel' | 'delete' | 'execute' | 'executeHidden' | 'cross' | 'halt';

/** An L3 order event. */
export interface OrderEvent {
  /** Time in milliseconds. */
  ts: number;
  kind: OrderEventKind;
  /** Id of the resting order (0 for hidden executions). */
  orderId: number;
  /** Shares added, cancelled or executed. */
  size: number;
  price: number;
  /** Side of the **resting** order: +1 buy (bid), -1 sell (ask). */
  side: 1 | -1;
}

/** A book update for one symbol. */
export interface BookEvent {
  type: 'book';
  symbol: string;
  book: BookSnapshot;
}

/** A trade for one symbol. */
export interface TradeEvent {
  type: 'trade';
  symbol: string;
  trade: Trade;
}

/** An L3 order event for one symbol. */
export interface OrderMessageEvent {
  type: 'order';
  symbol: string;
  order: OrderEvent;
}

/** What a source yields and the engine consumes. */
export type MarketEvent = BookEvent | TradeEvent | OrderMessageEvent;
