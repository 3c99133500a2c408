import { createBook } from '../core/book.js';
import { InvalidInputError, InvalidStateError } from '../core/errors.js';
import type { BookSnapshot, OrderEvent } from '../core/events.js';
import { checkState, decodeNumber, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, oneOfOption } from '../core/options.js';
import { bookMismatchReason, type ResyncReasonCounts } from './l2-book.js';

/** Options of {@link L3OrderBook}. */
export interface L3OrderBookOptions {
  /**
   * Initial size of the order pool (slots); it doubles when the live orders outgrow it.
   * @defaultValue 1024
   */
  readonly initialOrders?: number;
  /**
   * Initial size of the price-level pool and of each side's sorted level index; they double as needed.
   * @defaultValue 64
   */
  readonly initialLevels?: number;
  /**
   * How a cancel / delete / execute whose size the named order does not account for is attributed:
   * - `'orders'`: each event acts on its own order only. An unknown id takes its size from synthetic
   *   volume at its level (or changes nothing); a cancel / execute larger than the order removes the
   *   order (the excess is ignored); a delete removes the order whole, whatever size it gives. Right for
   *   a market-by-order feed whose level totals come only from its own messages.
   * - `'levels'`: the level totals are taken as the truth (they are anchored to observed book rows by
   *   `seedFromBook` / `resyncFrom`), so each event changes its level by exactly its size, as an L2
   *   delta would: what the named order does not cover (an unknown id, or a size larger than the order)
   *   is taken from synthetic volume first, then from other known orders from the front of the queue;
   *   a delete smaller than the order leaves the remainder in place as synthetic volume. Use it for
   *   LOBSTER-style replays (`LobsterL3Replay` does).
   * @defaultValue 'orders'
   */
  readonly sizePolicy?: L3SizePolicy;
}

/** How an {@link L3OrderBook} attributes sizes its orders do not account for (see {@link L3OrderBookOptions.sizePolicy}). */
export type L3SizePolicy = 'orders' | 'levels';

/** Defaults of {@link L3OrderBookOptions}. */
export const DEFAULT_L3_ORDER_BOOK_OPTIONS: Readonly<Required<L3OrderBookOptions>> = Object.freeze({
  /** @defaultValue 1024 */
  initialOrders: 1024,
  /** @defaultValue 64 */
  initialLevels: 64,
  /** @defaultValue 'orders' */
  sizePolicy: 'orders',
});

/** Counters of an {@link L3OrderBook} (cumulative since construction or `reset()`), and its size now. */
export interface L3OrderBookStats {
  /** `add` calls (duplicates included). */
  adds: number;
  /** `cancel` calls (known and unknown ids). */
  cancels: number;
  /** `delete` calls (known and unknown ids). */
  deletes: number;
  /** `execute` calls (known and unknown ids). */
  executes: number;
  /** Shares removed by `execute` (known orders and synthetic volume). */
  executedShares: number;
  /** `apply` events that change no visible level: `executeHidden`, `cross`, `halt`. */
  passiveEvents: number;
  /** Cancel / delete / execute of an order id the book does not hold, by kind. */
  unknownOrders: { cancel: number; delete: number; execute: number };
  /** Unknown-id events whose size came from synthetic volume at their price level only. */
  unknownMatchedSynthetic: number;
  /** Unknown-id events that took (some) size from known orders (`sizePolicy: 'levels'` only). */
  unknownMatchedKnown: number;
  /**
   * Unknown-id events that changed nothing: no level at the price, nothing to take from there under
   * the size policy, or no side, price or size given. `unknownMatchedSynthetic + unknownMatchedKnown +
   * unknownIgnored` = all unknown-id events.
   */
  unknownIgnored: number;
  /** Known orders reduced or removed on behalf of another event (`sizePolicy: 'levels'` only). */
  knownOrdersTaken: number;
  /**
   * Events whose size disagreed with the book: a cancel / execute larger than the order, a delete
   * whose given size is not the order's remaining size, or an unknown id's size larger than what could
   * be taken for it. The size policy says what happens to the difference.
   */
  sizeDisagreements: number;
  /** `add` of an id already live: the old order is removed, the new one queued at the tail. */
  duplicateAdds: number;
  /** `seedFromBook` calls. */
  seeds: number;
  /** `resyncFrom` calls that found a difference (rows needing a resync). */
  resyncs: number;
  /** Levels changed by all resyncs (inserted, resized or removed). */
  levelsCorrected: number;
  /** Resyncs by reason. */
  resyncsByReason: ResyncReasonCounts;
  /** Known orders removed whole by a resync (their level was removed or shrank). */
  ordersDroppedByResync: number;
  /** Known orders made smaller (not removed) by a resync. */
  ordersTrimmedByResync: number;
  /** Live orders with an id (synthetic volume excluded). */
  liveOrders: number;
  /** Live synthetic orders (aggregate volume from seeding or resyncs, no id). */
  syntheticOrders: number;
  /** Price levels held on the bid side. */
  bidLevels: number;
  /** Price levels held on the ask side. */
  askLevels: number;
  /** Order slots allocated (peak live orders, rounded up to a power of two times `initialOrders`). */
  orderCapacity: number;
  /** Level slots allocated. */
  levelCapacity: number;
}

/** One order in an {@link L3OrderBookState}: `[id, size, ts]`, id `null` for synthetic volume. */
export type L3OrderState = readonly [id: number | null, size: number | string, ts: number | string];

/** One price level in an {@link L3OrderBookState}: `[price, orders in FIFO order]`. */
export type L3LevelState = readonly [price: number | string, orders: readonly L3OrderState[]];

/** State of an {@link L3OrderBook}: its levels best first, each with its orders in queue order. */
export interface L3OrderBookState extends OperatorState {
  readonly type: 'L3OrderBook';
  readonly version: 1;
  readonly ts: number | string;
  readonly lastPriceMissing: boolean;
  readonly bids: readonly L3LevelState[];
  readonly asks: readonly L3LevelState[];
  /** Cumulative counters, in the order of `COUNTER_NAMES`. */
  readonly counters: readonly number[];
}

// Counter indices (into a Float64Array).
const C_ADDS = 0;
const C_CANCELS = 1;
const C_DELETES = 2;
const C_EXECUTES = 3;
const C_EXECUTED_SHARES = 4;
const C_PASSIVE = 5;
const C_UNKNOWN_CANCEL = 6;
const C_UNKNOWN_DELETE = 7;
const C_UNKNOWN_EXECUTE = 8;
const C_UNKNOWN_MATCHED = 9;
const C_UNKNOWN_IGNORED = 10;
const C_SIZE_DISAGREE = 11;
const C_DUPLICATE = 12;
const C_SEEDS = 13;
const C_RESYNCS = 14;
const C_CORRECTED = 15;
const C_R_ENTERS = 16;
const C_R_MISSING = 17;
const C_R_SIZE = 18;
const C_R_OTHER = 19;
const C_DROPPED = 20;
const C_TRIMMED = 21;
const C_UNKNOWN_KNOWN = 22;
const C_KNOWN_TAKEN = 23;
const N_COUNTERS = 24;

/**
 * A market-by-order (L3) limit order book: every live order with its id, price, size and place in the
 * FIFO queue of its price level; the aggregated levels (market-by-price) follow from it.
 *
 * - `add(id, side, price, size)` queues an order at the tail of its level; `cancel(id, size)` removes
 *   part of it (keeping its place), `execute(id, size)` too (counted as executed volume), `delete(id)`
 *   all of it; an order reaching size 0 leaves the book, a level with no orders disappears.
 *   `apply(order)` (alias `update`) dispatches an {@link OrderEvent} on its kind; `executeHidden`,
 *   `cross` and `halt` do not change the visible book (counted as `passiveEvents`). `apply` returns the
 *   signed change of visible volume (+size for an add, minus the shares removed otherwise, 0 for passive
 *   events).
 * - `queuePosition(id)`: shares queued ahead of the order at its level (-1 for an unknown id);
 *   `ordersAhead(id)`: orders ahead. Both walk the queue (O(orders ahead)), allocating nothing.
 * - Layout: orders live in a struct-of-arrays pool of typed arrays (id, size, ts, level, prev, next:
 *   an intrusive doubly linked FIFO list per level) with a free list; a `Map` from id to pool slot.
 *   Levels live in a second pool (price, total size, synthetic size, order count, head, tail); each
 *   side keeps its level prices in a sorted `Float64Array` (best last, so the busy touch shifts little),
 *   searched linearly over the 8 best levels, then by bisection. Add / cancel / delete / execute are
 *   O(1) amortised plus O(log levels) to find a level and O(levels better than it) to insert or remove
 *   one. Memory is bounded by the live
 *   orders and levels (the pools grow to their peak, freed slots are reused; `reset()` shrinks them
 *   back); nothing is allocated per message except the `Map`'s own growth. Level totals are kept
 *   incrementally, exact for integer sizes.
 * - Units: prices and sizes as given (sizes in shares or lots), compared exactly (`===`): feed the same
 *   number for the same price. No warm-up. An empty side has best price NaN; `levelSize` of a missing
 *   level is 0; `writeSnapshot` writes 0 levels for it.
 * - Sizes an order does not account for (an unknown id, a cancel larger than the order, a delete whose
 *   size differs from it) follow the `sizePolicy` option: `'orders'` (default) acts on the named order
 *   only; `'levels'` keeps every level changing by exactly the event's size, as an L2 delta would.
 *
 * Orders the book never saw (placed before it started), for a replay that starts mid-stream:
 * - {@link L3OrderBook.seedFromBook} loads a book snapshot as **synthetic** orders (no id), one per
 *   level: aggregate volume of unknown orders.
 * - A cancel / delete / execute of an unknown id, given its side, price and size (`apply` passes them),
 *   takes its size from the synthetic volume at that level, front of the queue first (counted
 *   `unknownMatchedSynthetic`); with `sizePolicy: 'levels'` what synthetic volume cannot cover comes
 *   from known orders, front first (`unknownMatchedKnown`). Otherwise it changes nothing (counted
 *   `unknownIgnored`; a price the book lacks also marks the next resync as `priceMissing`).
 * - {@link L3OrderBook.resyncFrom} compares the book with an observed book row (e.g. LOBSTER's order-book
 *   file, which shows levels entering from beyond the visible depth that no message announces) and
 *   corrects the differing visible levels with synthetic volume, keeping deeper levels.
 *
 * Reference: the price-time priority (FIFO) matching of Nasdaq TotalView-ITCH, as LOBSTER rebuilds it:
 * Huang & Polak (2011), "LOBSTER: Limit Order Book Reconstruction System", SSRN 1977207; queue position
 * as in Moallemi & Yuan (2017), "A model for queue position valuation in a limit order book".
 *
 * @example
 * ```ts
 * const book = new L3OrderBook();
 * book.add(1, 1, 579.40, 100);
 * book.add(2, 1, 579.40, 50);
 * book.add(3, -1, 580.23, 200);
 * book.queuePosition(2);    // 100 (order 1 is ahead)
 * book.execute(1, 60);      // 60
 * book.queuePosition(2);    // 40
 * book.levelSize(1, 579.4); // 90
 * book.delete(1);           // 40
 * book.ordersAhead(2);      // 0
 * book.liveOrders;          // 2
 * ```
 */
export class L3OrderBook implements Operator<OrderEvent, number, L3OrderBookState> {
  /** Initial order pool size (the option). */
  readonly initialOrders: number;
  /** Initial level pool size (the option). */
  readonly initialLevels: number;
  /** The size policy (the option). */
  readonly sizePolicy: L3SizePolicy;
  private readonly levelsPolicy: boolean;

  private ids = new Map<number, number>();
  // order pool (struct of arrays)
  private oId!: Float64Array;
  private oSize!: Float64Array;
  private oTs!: Float64Array;
  private oLevel!: Int32Array;
  private oPrev!: Int32Array;
  private oNext!: Int32Array;
  private oCap = 0;
  private oUsed = 0;
  private oFree = -1;
  private nSynthetic = 0;
  // level pool
  private lPrice!: Float64Array;
  private lSize!: Float64Array;
  private lSynth!: Float64Array;
  private lCount!: Int32Array;
  private lSynthCount!: Int32Array;
  private lHead!: Int32Array;
  private lTail!: Int32Array;
  private lSide!: Int8Array;
  private lCap = 0;
  private lUsed = 0;
  private lFree = -1;
  // sorted level index per side: key = side * price, ascending, best last
  private bidKeys!: Float64Array;
  private bidSlots!: Int32Array;
  private nBid = 0;
  private askKeys!: Float64Array;
  private askSlots!: Int32Array;
  private nAsk = 0;

  private ts = 0;
  private lastPriceMissing = false;
  private readonly c = new Float64Array(N_COUNTERS);
  private scratch: BookSnapshot | null = null;

  constructor(options: L3OrderBookOptions = {}) {
    checkOptionKeys('L3OrderBook', options, ['initialOrders', 'initialLevels', 'sizePolicy']);
    this.initialOrders = integerOption('initialOrders', options.initialOrders ?? DEFAULT_L3_ORDER_BOOK_OPTIONS.initialOrders, 1, 1 << 30);
    this.initialLevels = integerOption('initialLevels', options.initialLevels ?? DEFAULT_L3_ORDER_BOOK_OPTIONS.initialLevels, 1, 1 << 30);
    this.sizePolicy = oneOfOption('sizePolicy', options.sizePolicy ?? DEFAULT_L3_ORDER_BOOK_OPTIONS.sizePolicy, ['orders', 'levels']);
    this.levelsPolicy = this.sizePolicy === 'levels';
    this.allocate();
  }

  private allocate(): void {
    this.oCap = this.initialOrders;
    this.oId = new Float64Array(this.oCap);
    this.oSize = new Float64Array(this.oCap);
    this.oTs = new Float64Array(this.oCap);
    this.oLevel = new Int32Array(this.oCap);
    this.oPrev = new Int32Array(this.oCap);
    this.oNext = new Int32Array(this.oCap);
    this.oUsed = 0;
    this.oFree = -1;
    this.nSynthetic = 0;
    this.lCap = this.initialLevels;
    this.lPrice = new Float64Array(this.lCap);
    this.lSize = new Float64Array(this.lCap);
    this.lSynth = new Float64Array(this.lCap);
    this.lCount = new Int32Array(this.lCap);
    this.lSynthCount = new Int32Array(this.lCap);
    this.lHead = new Int32Array(this.lCap);
    this.lTail = new Int32Array(this.lCap);
    this.lSide = new Int8Array(this.lCap);
    this.lUsed = 0;
    this.lFree = -1;
    this.bidKeys = new Float64Array(this.initialLevels);
    this.bidSlots = new Int32Array(this.initialLevels);
    this.askKeys = new Float64Array(this.initialLevels);
    this.askSlots = new Int32Array(this.initialLevels);
    this.nBid = 0;
    this.nAsk = 0;
    this.ids = new Map();
  }

  // ---------------------------------------------------------------- reading

  /** Live orders with an id (synthetic volume excluded). */
  get liveOrders(): number {
    return this.ids.size;
  }

  /** Live synthetic orders (volume of orders the book never saw, from seeding or resyncs). */
  get syntheticOrders(): number {
    return this.nSynthetic;
  }

  /** Price levels held on the bid side (all of them, not only a visible depth). */
  get bidLevels(): number {
    return this.nBid;
  }

  /** Price levels held on the ask side. */
  get askLevels(): number {
    return this.nAsk;
  }

  /** Rows that needed a resync so far (`stats().resyncs`, without allocating). */
  get resyncCount(): number {
    return this.c[C_RESYNCS]!;
  }

  /** Time of the last event applied (ms), 0 before any. */
  get lastTs(): number {
    return this.ts;
  }

  /** Best bid price, NaN when the bid side is empty. */
  bestBid(): number {
    return this.nBid > 0 ? this.lPrice[this.bidSlots[this.nBid - 1]!]! : NaN;
  }

  /** Best ask price, NaN when the ask side is empty. */
  bestAsk(): number {
    return this.nAsk > 0 ? this.lPrice[this.askSlots[this.nAsk - 1]!]! : NaN;
  }

  /** Price of level `index` (0 = best) on `side`, NaN past the held levels. */
  priceAt(side: 1 | -1, index: number): number {
    const slot = this.slotAt(side, index);
    return slot < 0 ? NaN : this.lPrice[slot]!;
  }

  /** Total size of level `index` (0 = best) on `side`, 0 past the held levels. */
  sizeAt(side: 1 | -1, index: number): number {
    const slot = this.slotAt(side, index);
    return slot < 0 ? 0 : this.lSize[slot]!;
  }

  private slotAt(side: 1 | -1, index: number): number {
    const n = side === 1 ? this.nBid : this.nAsk;
    if (!(index >= 0 && index < n)) return -1;
    return (side === 1 ? this.bidSlots : this.askSlots)[n - 1 - Math.floor(index)]!;
  }

  /** Total size at `price` on `side` (known and synthetic), 0 when there is no such level. */
  levelSize(side: 1 | -1, price: number): number {
    const level = this.findLevel(side, price);
    return level < 0 ? 0 : this.lSize[level]!;
  }

  /** Synthetic size (volume of orders never seen) at `price` on `side`. */
  levelSyntheticSize(side: 1 | -1, price: number): number {
    const level = this.findLevel(side, price);
    return level < 0 ? 0 : this.lSynth[level]!;
  }

  /** Orders queued at `price` on `side` (a synthetic chunk counts as one order). */
  levelOrderCount(side: 1 | -1, price: number): number {
    const level = this.findLevel(side, price);
    return level < 0 ? 0 : this.lCount[level]!;
  }

  /** Whether an order with this id is live. */
  hasOrder(orderId: number): boolean {
    return this.ids.has(orderId);
  }

  /** Remaining size of a live order, NaN for an unknown id. */
  orderSize(orderId: number): number {
    const slot = this.ids.get(orderId);
    return slot === undefined ? NaN : this.oSize[slot]!;
  }

  /** Price of a live order, NaN for an unknown id. */
  orderPrice(orderId: number): number {
    const slot = this.ids.get(orderId);
    return slot === undefined ? NaN : this.lPrice[this.oLevel[slot]!]!;
  }

  /** Side of a live order (+1 bid, -1 ask), 0 for an unknown id. */
  orderSide(orderId: number): -1 | 0 | 1 {
    const slot = this.ids.get(orderId);
    return slot === undefined ? 0 : (this.lSide[this.oLevel[slot]!]! as 1 | -1);
  }

  /** Shares queued ahead of the order at its level (synthetic volume included); -1 for an unknown id. */
  queuePosition(orderId: number): number {
    let slot = this.ids.get(orderId);
    if (slot === undefined) return -1;
    let ahead = 0;
    slot = this.oPrev[slot]!;
    while (slot >= 0) {
      ahead += this.oSize[slot]!;
      slot = this.oPrev[slot]!;
    }
    return ahead;
  }

  /** Orders queued ahead of the order at its level (a synthetic chunk counts as one); -1 for an unknown id. */
  ordersAhead(orderId: number): number {
    let slot = this.ids.get(orderId);
    if (slot === undefined) return -1;
    let ahead = 0;
    slot = this.oPrev[slot]!;
    while (slot >= 0) {
      ahead++;
      slot = this.oPrev[slot]!;
    }
    return ahead;
  }

  /**
   * Write the best levels a side (as many as `book` holds) into a caller's snapshot, clear its other
   * levels and set its `ts` to the last event's. Allocates nothing. Returns `book`.
   */
  writeSnapshot(book: BookSnapshot): BookSnapshot {
    book.ts = this.ts;
    book.bidLevels = this.fillSide(this.bidSlots, this.nBid, book.bidPx, book.bidSz);
    book.askLevels = this.fillSide(this.askSlots, this.nAsk, book.askPx, book.askSz);
    return book;
  }

  private fillSide(slots: Int32Array, n: number, px: Float64Array, sz: Float64Array): number {
    const m = Math.min(n, px.length);
    for (let i = 0; i < m; i++) {
      const level = slots[n - 1 - i]!;
      px[i] = this.lPrice[level]!;
      sz[i] = this.lSize[level]!;
    }
    for (let i = m; i < px.length; i++) {
      px[i] = NaN;
      sz[i] = 0;
    }
    return m;
  }

  // ---------------------------------------------------------------- messages

  /** Apply one order event (see the class docs); returns the signed change of visible volume. */
  apply(order: OrderEvent): number {
    this.ts = order.ts;
    switch (order.kind) {
      case 'add':
        return this.add(order.orderId, order.side, order.price, order.size, order.ts);
      case 'cancel':
        return 0 - this.cancel(order.orderId, order.size, order.side, order.price);
      case 'delete':
        return 0 - this.delete(order.orderId, order.size, order.side, order.price);
      case 'execute':
        return 0 - this.execute(order.orderId, order.size, order.side, order.price);
      case 'executeHidden':
      case 'cross':
      case 'halt':
        this.c[C_PASSIVE]!++;
        this.lastPriceMissing = false;
        return 0;
      default:
        throw new InvalidInputError(`L3OrderBook.apply (order ${order.orderId}) kind`, order.kind, 'an OrderEventKind');
    }
  }

  /** Same as {@link L3OrderBook.apply} (the operator contract's name). */
  update(order: OrderEvent): number {
    return this.apply(order);
  }

  /**
   * Queue a new order at the tail of its price level. An id already live is replaced (the old order
   * leaves; counted `duplicateAdds`). Throws {@link InvalidInputError} for a non-finite id or price,
   * a size that is not finite and > 0, or a side other than +-1. Returns `size`.
   */
  add(orderId: number, side: 1 | -1, price: number, size: number, ts = NaN): number {
    if (!Number.isFinite(orderId)) throw new InvalidInputError('L3OrderBook.add orderId', orderId, 'a finite number');
    if (side !== 1 && side !== -1) throw new InvalidInputError(`L3OrderBook.add (order ${orderId}) side`, side, '1 (bid) or -1 (ask)');
    if (!Number.isFinite(price)) throw new InvalidInputError(`L3OrderBook.add (order ${orderId}) price`, price, 'a finite number');
    if (!(size > 0) || size === Infinity) throw new InvalidInputError(`L3OrderBook.add (order ${orderId}) size`, size, 'a finite number > 0');
    this.c[C_ADDS]!++;
    this.lastPriceMissing = false;
    if (ts === ts) this.ts = ts;
    const ids = this.ids;
    const before = ids.size;
    const slot = this.append(this.levelFor(side, price), orderId, size, ts);
    ids.set(orderId, slot);
    if (ids.size === before) this.replaceDuplicate(orderId, slot);
    return size;
  }

  /** A duplicate add: find the old order's slot (rare path, O(pool); freed slots hold id NaN) and remove it. */
  private replaceDuplicate(orderId: number, slot: number): void {
    this.c[C_DUPLICATE]!++;
    const oId = this.oId;
    for (let old = 0; old < this.oUsed; old++) {
      if (old !== slot && oId[old] === orderId) {
        this.unlink(old);
        return;
      }
    }
  }

  /**
   * Remove `size` shares of an order, keeping its queue place (a partial cancellation; the order leaves
   * when nothing remains). For an unknown id, `side` and `price` locate synthetic volume to take the
   * size from (see the class docs). Returns the shares removed.
   */
  cancel(orderId: number, size: number, side: number = 0, price = NaN): number {
    this.checkSize('cancel', orderId, size);
    this.c[C_CANCELS]!++;
    return this.reduce(orderId, size, side, price, C_UNKNOWN_CANCEL);
  }

  /**
   * Execute `size` shares of a resting order (visible execution): like `cancel`, counted as executed
   * volume. Returns the shares removed.
   */
  execute(orderId: number, size: number, side: number = 0, price = NaN): number {
    this.checkSize('execute', orderId, size);
    this.c[C_EXECUTES]!++;
    const removed = this.reduce(orderId, size, side, price, C_UNKNOWN_EXECUTE);
    this.c[C_EXECUTED_SHARES]! += removed;
    return removed;
  }

  /**
   * Remove an order whole. `size` (optional; 0 or NaN = not given) is checked against the order's
   * remaining size (a difference is counted in `sizeDisagreements` and handled by the size policy)
   * and, with `side` and `price`, used for an unknown id as in `cancel`. Returns the shares removed
   * from the book.
   */
  delete(orderId: number, size = NaN, side: number = 0, price = NaN): number {
    if (!(size >= 0 || size !== size) || size === Infinity) {
      throw new InvalidInputError(`L3OrderBook.delete (order ${orderId}) size`, size, 'a finite number >= 0, or NaN (not given)');
    }
    this.c[C_DELETES]!++;
    this.lastPriceMissing = false;
    const slot = this.ids.get(orderId);
    if (slot === undefined) {
      this.c[C_UNKNOWN_DELETE]!++;
      return size > 0 ? this.takeUnknown(size, side, price) : this.ignoreUnknown(side, price);
    }
    const have = this.oSize[slot]!;
    if (!(size > 0) || size === have) {
      this.ids.delete(orderId);
      this.unlink(slot);
      return have;
    }
    this.c[C_SIZE_DISAGREE]!++;
    if (this.levelsPolicy && size < have) {
      // the order leaves; the volume it does not account for stays in its place, as synthetic volume
      const level = this.oLevel[slot]!;
      this.ids.delete(orderId);
      this.oId[slot] = NaN;
      this.oSize[slot] = have - size;
      this.lSize[level]! -= size;
      this.lSynth[level]! += have - size;
      this.lSynthCount[level]!++;
      this.nSynthetic++;
      return size;
    }
    return this.removeWithExcess(orderId, slot, have, size);
  }

  private checkSize(what: string, orderId: number, size: number): void {
    if (!(size >= 0) || size === Infinity) {
      throw new InvalidInputError(`L3OrderBook.${what} (order ${orderId}) size`, size, 'a finite number >= 0');
    }
  }

  private reduce(orderId: number, size: number, side: number, price: number, unknownCounter: number): number {
    this.lastPriceMissing = false;
    const slot = this.ids.get(orderId);
    if (slot === undefined) {
      this.c[unknownCounter]!++;
      return size > 0 ? this.takeUnknown(size, side, price) : this.ignoreUnknown(side, price);
    }
    const have = this.oSize[slot]!;
    if (size < have) {
      this.oSize[slot] = have - size;
      this.lSize[this.oLevel[slot]!]! -= size;
      return size;
    }
    if (size > have) this.c[C_SIZE_DISAGREE]!++;
    return this.removeWithExcess(orderId, slot, have, size);
  }

  /** Remove a known order of size `have` for an event of size `size` >= have; the 'levels' policy takes the excess from the level. */
  private removeWithExcess(orderId: number, slot: number, have: number, size: number): number {
    const level = this.oLevel[slot]!;
    const last = this.lCount[level] === 1;
    this.ids.delete(orderId);
    this.unlink(slot);
    if (!this.levelsPolicy || last || size <= have) return have;
    return have + this.takeFromLevel(level, size - have);
  }

  /** An unknown id's event of `size` > 0 at `price` on `side`. */
  private takeUnknown(size: number, side: number, price: number): number {
    const level = side === 1 || side === -1 ? this.findLevel(side, price) : -1;
    if (level < 0) return this.ignoreUnknown(side, price);
    let taken = this.lSynth[level]! > 0 ? this.takeSynthetic(level, size) : 0;
    let counter = C_UNKNOWN_MATCHED;
    if (taken < size && this.levelsPolicy && this.lCount[level]! > 0) {
      const known = this.takeKnown(level, size - taken);
      if (known > 0) {
        counter = C_UNKNOWN_KNOWN;
        taken += known;
      }
    }
    if (taken === 0) return this.ignoreUnknown(side, price);
    this.c[counter]!++;
    if (taken < size) this.c[C_SIZE_DISAGREE]!++;
    return taken;
  }

  private ignoreUnknown(side: number, price: number): number {
    this.c[C_UNKNOWN_IGNORED]!++;
    if ((side === 1 || side === -1) && price === price && this.findLevel(side, price) < 0) this.lastPriceMissing = true;
    return 0;
  }

  /** Take up to `size` shares from `level`: synthetic volume first, then known orders, front first. */
  private takeFromLevel(level: number, size: number): number {
    const taken = this.lSynth[level]! > 0 ? this.takeSynthetic(level, size) : 0;
    if (taken >= size || this.lCount[level] === 0 || this.lSize[level] === 0) return taken;
    return taken + this.takeKnown(level, size - taken);
  }

  /** Take up to `size` shares from the known orders of `level`, front of the queue first (the level must hold no synthetic volume). */
  private takeKnown(level: number, size: number): number {
    let left = size;
    let slot = this.lHead[level]!;
    while (left > 0 && slot >= 0) {
      const next = this.oNext[slot]!;
      const have = this.oSize[slot]!;
      this.c[C_KNOWN_TAKEN]!++;
      if (left < have) {
        this.oSize[slot] = have - left;
        this.lSize[level]! -= left;
        left = 0;
      } else {
        left -= have;
        const last = this.lCount[level] === 1;
        this.ids.delete(this.oId[slot]!);
        this.unlink(slot);
        if (last) break;
      }
      slot = next;
    }
    return size - left;
  }

  /** Take up to `size` shares from the synthetic orders of `level`, front of the queue first. */
  private takeSynthetic(level: number, size: number): number {
    let left = size;
    let slot = this.lHead[level]!;
    while (left > 0 && slot >= 0 && this.lSynthCount[level]! > 0) {
      const next = this.oNext[slot]!;
      if (this.oId[slot] !== this.oId[slot]) {
        const have = this.oSize[slot]!;
        if (left < have) {
          this.oSize[slot] = have - left;
          this.lSize[level]! -= left;
          this.lSynth[level]! -= left;
          left = 0;
        } else {
          left -= have;
          const last = this.lCount[level] === 1;
          this.unlink(slot);
          if (last) break;
        }
      }
      slot = next;
    }
    return size - left;
  }

  // ---------------------------------------------------------------- seeding and resync

  /**
   * Replace the book's content by `book`'s present levels, each as one synthetic order (volume of
   * orders the book never saw). Counters are kept. Throws {@link InvalidInputError} for a level whose
   * price is not finite or whose size is not finite and > 0.
   */
  seedFromBook(book: BookSnapshot): void {
    checkRow('seedFromBook', book);
    this.clearContent();
    this.c[C_SEEDS]!++;
    this.ts = book.ts;
    for (let i = 0; i < book.bidLevels; i++) this.append(this.levelFor(1, book.bidPx[i]!), NaN, book.bidSz[i]!, NaN);
    for (let i = 0; i < book.askLevels; i++) this.append(this.levelFor(-1, book.askPx[i]!), NaN, book.askSz[i]!, NaN);
  }

  /**
   * Compare the book's best `L` levels a side (L = `row`'s capacity) with an observed `row`. If they
   * are equal, change nothing and return 0. Otherwise count a resync under its
   * {@link ResyncReason} (the `book_consistency` reasons of the reference README) and correct the book
   * so its best L levels equal the row's: on each side, every level at or better than the row's L-th
   * price (every level, when the row shows fewer than L) that the row lacks is removed with its orders;
   * a level the row has and the book lacks gets one synthetic order of the row's size; a level whose
   * size differs gets a synthetic order for missing volume (at the tail) or loses excess volume
   * (synthetic volume first, then known orders from the tail of the queue, counted). Deeper levels are
   * kept. Returns the number of levels changed. Throws {@link InvalidInputError} for a present row level
   * with a non-finite price or a size that is not finite and > 0 (before changing anything).
   */
  resyncFrom(row: BookSnapshot): number {
    const depth = row.bidPx.length;
    let scratch = this.scratch;
    if (scratch === null || scratch.bidPx.length !== depth) scratch = this.scratch = createBook(depth);
    this.writeSnapshot(scratch);
    const reason = bookMismatchReason(scratch, row, this.lastPriceMissing);
    if (reason === null) return 0;
    checkRow('resyncFrom', row);
    this.c[C_RESYNCS]!++;
    this.c[reason === 'entersFromBeyondDepth' ? C_R_ENTERS : reason === 'priceMissing' ? C_R_MISSING : reason === 'sizeMismatch' ? C_R_SIZE : C_R_OTHER]!++;
    const changed =
      this.resyncSide(1, row.bidPx, row.bidSz, row.bidLevels, depth) + this.resyncSide(-1, row.askPx, row.askSz, row.askLevels, depth);
    this.c[C_CORRECTED]! += changed;
    this.lastPriceMissing = false;
    return changed;
  }

  private resyncSide(side: 1 | -1, rpx: Float64Array, rsz: Float64Array, m: number, depth: number): number {
    let changed = 0;
    const boundary = m >= depth && m > 0 ? side * rpx[m - 1]! : -Infinity;
    // 1. remove held levels at or better than the boundary that the row lacks (walk best to worse)
    let r = 0;
    for (let j = (side === 1 ? this.nBid : this.nAsk) - 1; j >= 0; j--) {
      const keys = side === 1 ? this.bidKeys : this.askKeys;
      const key = keys[j]!;
      if (key < boundary) break;
      while (r < m && side * rpx[r]! > key) r++;
      if (r < m && side * rpx[r]! === key) continue;
      changed++;
      this.removeLevelWithOrders((side === 1 ? this.bidSlots : this.askSlots)[j]!);
    }
    // 2. insert or resize the row's levels
    for (let i = 0; i < m; i++) {
      const price = rpx[i]!;
      const target = rsz[i]!;
      const level = this.findLevel(side, price);
      if (level < 0) {
        this.append(this.levelFor(side, price), NaN, target, NaN);
        changed++;
      } else if (this.lSize[level] !== target) {
        this.resize(level, target);
        changed++;
      }
    }
    return changed;
  }

  private resize(level: number, target: number): void {
    const diff = target - this.lSize[level]!;
    if (diff > 0) {
      const tail = this.lTail[level]!;
      if (this.oId[tail] !== this.oId[tail]) {
        this.oSize[tail]! += diff;
        this.lSize[level]! += diff;
        this.lSynth[level]! += diff;
      } else {
        this.append(level, NaN, diff, NaN);
      }
      return;
    }
    let excess = -diff - this.takeSynthetic(level, -diff);
    let slot = this.lTail[level]!;
    while (excess > 0 && slot >= 0) {
      const prev = this.oPrev[slot]!;
      const have = this.oSize[slot]!;
      if (excess < have) {
        this.oSize[slot] = have - excess;
        this.lSize[level]! -= excess;
        this.c[C_TRIMMED]!++;
        excess = 0;
      } else {
        excess -= have;
        this.c[C_DROPPED]!++;
        this.ids.delete(this.oId[slot]!);
        this.unlink(slot);
      }
      slot = prev;
    }
  }

  private removeLevelWithOrders(level: number): void {
    let slot = this.lHead[level]!;
    while (slot >= 0) {
      const next = this.oNext[slot]!;
      const id = this.oId[slot]!;
      if (id === id) {
        this.ids.delete(id);
        this.c[C_DROPPED]!++;
      }
      this.unlink(slot);
      slot = next;
    }
  }

  // ---------------------------------------------------------------- pools

  /** Append an order (id NaN = synthetic) at the tail of `level`; returns its slot. */
  private append(level: number, id: number, size: number, ts: number): number {
    let slot = this.oFree;
    if (slot >= 0) {
      this.oFree = this.oNext[slot]!;
    } else {
      if (this.oUsed === this.oCap) this.growOrders();
      slot = this.oUsed++;
    }
    const tail = this.lTail[level]!;
    this.oId[slot] = id;
    this.oSize[slot] = size;
    this.oTs[slot] = ts;
    this.oLevel[slot] = level;
    this.oPrev[slot] = tail;
    this.oNext[slot] = -1;
    if (tail >= 0) this.oNext[tail] = slot;
    else this.lHead[level] = slot;
    this.lTail[level] = slot;
    this.lCount[level]!++;
    this.lSize[level]! += size;
    if (id !== id) {
      this.lSynth[level]! += size;
      this.lSynthCount[level]!++;
      this.nSynthetic++;
    }
    return slot;
  }

  /** Unlink an order slot from its level (removing the level when it empties) and free the slot. The caller removes the id from the map. */
  private unlink(slot: number): void {
    const level = this.oLevel[slot]!;
    const prev = this.oPrev[slot]!;
    const next = this.oNext[slot]!;
    if (prev >= 0) this.oNext[prev] = next;
    else this.lHead[level] = next;
    if (next >= 0) this.oPrev[next] = prev;
    else this.lTail[level] = prev;
    const size = this.oSize[slot]!;
    if (this.oId[slot] !== this.oId[slot]) {
      this.lSynth[level]! -= size;
      this.lSynthCount[level]!--;
      this.nSynthetic--;
    }
    this.oId[slot] = NaN;
    this.oNext[slot] = this.oFree;
    this.oFree = slot;
    if (--this.lCount[level]! === 0) this.removeLevel(level);
    else this.lSize[level]! -= size;
  }

  private growOrders(): void {
    const cap = this.oCap * 2;
    this.oId = grow(this.oId, cap);
    this.oSize = grow(this.oSize, cap);
    this.oTs = grow(this.oTs, cap);
    this.oLevel = grow(this.oLevel, cap);
    this.oPrev = grow(this.oPrev, cap);
    this.oNext = grow(this.oNext, cap);
    this.oCap = cap;
  }

  /** The level slot at `price` on `side`, or -1. */
  private findLevel(side: number, price: number): number {
    const keys = side === 1 ? this.bidKeys : this.askKeys;
    const n = side === 1 ? this.nBid : this.nAsk;
    const key = side * price;
    const i = locate(keys, n, key);
    return i < n && keys[i] === key ? (side === 1 ? this.bidSlots : this.askSlots)[i]! : -1;
  }

  /** The level slot at `price` on `side`, created (empty) when missing. */
  private levelFor(side: 1 | -1, price: number): number {
    const key = side * price;
    let keys = side === 1 ? this.bidKeys : this.askKeys;
    let slots = side === 1 ? this.bidSlots : this.askSlots;
    const n = side === 1 ? this.nBid : this.nAsk;
    // fast path: the touch
    if (n > 0 && keys[n - 1] === key) return slots[n - 1]!;
    const i = locate(keys, n, key);
    if (i < n && keys[i] === key) return slots[i]!;
    let level = this.lFree;
    if (level >= 0) {
      this.lFree = this.lHead[level]!;
    } else {
      if (this.lUsed === this.lCap) this.growLevels();
      level = this.lUsed++;
    }
    this.lPrice[level] = price;
    this.lSize[level] = 0;
    this.lSynth[level] = 0;
    this.lCount[level] = 0;
    this.lSynthCount[level] = 0;
    this.lHead[level] = -1;
    this.lTail[level] = -1;
    this.lSide[level] = side;
    if (n === keys.length) {
      keys = grow(keys, n * 2);
      slots = grow(slots, n * 2);
      if (side === 1) {
        this.bidKeys = keys;
        this.bidSlots = slots;
      } else {
        this.askKeys = keys;
        this.askSlots = slots;
      }
    }
    keys.copyWithin(i + 1, i, n);
    slots.copyWithin(i + 1, i, n);
    keys[i] = key;
    slots[i] = level;
    if (side === 1) this.nBid = n + 1;
    else this.nAsk = n + 1;
    return level;
  }

  private removeLevel(level: number): void {
    const side = this.lSide[level]!;
    const keys = side === 1 ? this.bidKeys : this.askKeys;
    const slots = side === 1 ? this.bidSlots : this.askSlots;
    const n = side === 1 ? this.nBid : this.nAsk;
    const key = side * this.lPrice[level]!;
    const i = locate(keys, n, key);
    keys.copyWithin(i, i + 1, n);
    slots.copyWithin(i, i + 1, n);
    if (side === 1) this.nBid = n - 1;
    else this.nAsk = n - 1;
    this.lSize[level] = 0;
    this.lSynth[level] = 0;
    this.lHead[level] = this.lFree;
    this.lFree = level;
  }

  private growLevels(): void {
    const cap = this.lCap * 2;
    this.lPrice = grow(this.lPrice, cap);
    this.lSize = grow(this.lSize, cap);
    this.lSynth = grow(this.lSynth, cap);
    this.lCount = grow(this.lCount, cap);
    this.lSynthCount = grow(this.lSynthCount, cap);
    this.lHead = grow(this.lHead, cap);
    this.lTail = grow(this.lTail, cap);
    this.lSide = grow(this.lSide, cap);
    this.lCap = cap;
  }

  // ---------------------------------------------------------------- contract

  /** Counters and current size (allocates; not for the hot path). */
  stats(): L3OrderBookStats {
    const c = this.c;
    return {
      adds: c[C_ADDS]!,
      cancels: c[C_CANCELS]!,
      deletes: c[C_DELETES]!,
      executes: c[C_EXECUTES]!,
      executedShares: c[C_EXECUTED_SHARES]!,
      passiveEvents: c[C_PASSIVE]!,
      unknownOrders: { cancel: c[C_UNKNOWN_CANCEL]!, delete: c[C_UNKNOWN_DELETE]!, execute: c[C_UNKNOWN_EXECUTE]! },
      unknownMatchedSynthetic: c[C_UNKNOWN_MATCHED]!,
      unknownMatchedKnown: c[C_UNKNOWN_KNOWN]!,
      unknownIgnored: c[C_UNKNOWN_IGNORED]!,
      knownOrdersTaken: c[C_KNOWN_TAKEN]!,
      sizeDisagreements: c[C_SIZE_DISAGREE]!,
      duplicateAdds: c[C_DUPLICATE]!,
      seeds: c[C_SEEDS]!,
      resyncs: c[C_RESYNCS]!,
      levelsCorrected: c[C_CORRECTED]!,
      resyncsByReason: {
        entersFromBeyondDepth: c[C_R_ENTERS]!,
        priceMissing: c[C_R_MISSING]!,
        sizeMismatch: c[C_R_SIZE]!,
        other: c[C_R_OTHER]!,
      },
      ordersDroppedByResync: c[C_DROPPED]!,
      ordersTrimmedByResync: c[C_TRIMMED]!,
      liveOrders: this.ids.size,
      syntheticOrders: this.nSynthetic,
      bidLevels: this.nBid,
      askLevels: this.nAsk,
      orderCapacity: this.oCap,
      levelCapacity: this.lCap,
    };
  }

  private clearContent(): void {
    // Drop every order and level but keep the pools (seeding reuses them).
    this.ids.clear();
    this.oUsed = 0;
    this.oFree = -1;
    this.nSynthetic = 0;
    this.lUsed = 0;
    this.lFree = -1;
    this.nBid = 0;
    this.nAsk = 0;
    this.lastPriceMissing = false;
  }

  /** Back to an empty book with zeroed counters; the pools shrink back to their initial sizes. */
  reset(): void {
    this.allocate();
    this.c.fill(0);
    this.ts = 0;
    this.lastPriceMissing = false;
  }

  /** The book as plain JSON data: levels best first, each with its orders in FIFO order, and the counters. */
  snapshot(): L3OrderBookState {
    return {
      type: 'L3OrderBook',
      version: 1,
      ts: encodeNumber(this.ts),
      lastPriceMissing: this.lastPriceMissing,
      bids: this.sideState(this.bidSlots, this.nBid),
      asks: this.sideState(this.askSlots, this.nAsk),
      counters: Array.from(this.c),
    };
  }

  private sideState(slots: Int32Array, n: number): L3LevelState[] {
    const out: L3LevelState[] = [];
    for (let i = n - 1; i >= 0; i--) {
      const level = slots[i]!;
      const orders: L3OrderState[] = [];
      for (let slot = this.lHead[level]!; slot >= 0; slot = this.oNext[slot]!) {
        const id = this.oId[slot]!;
        orders.push([id === id ? id : null, encodeNumber(this.oSize[slot]!), encodeNumber(this.oTs[slot]!)]);
      }
      out.push([encodeNumber(this.lPrice[level]!), orders]);
    }
    return out;
  }

  /** Continue from a state returned by `snapshot()`. Throws {@link InvalidStateError} for a malformed state. */
  restore(state: L3OrderBookState): void {
    checkState(state, 'L3OrderBook', 1);
    if (!Array.isArray(state.bids) || !Array.isArray(state.asks) || !Array.isArray(state.counters) || state.counters.length !== N_COUNTERS) {
      throw new InvalidStateError('L3OrderBook', `expected bids, asks and ${N_COUNTERS} counters`);
    }
    this.reset();
    this.restoreSide(1, state.bids);
    this.restoreSide(-1, state.asks);
    for (let i = 0; i < N_COUNTERS; i++) this.c[i] = Number(state.counters[i]);
    this.ts = decodeNumber(state.ts);
    this.lastPriceMissing = state.lastPriceMissing === true;
  }

  private restoreSide(side: 1 | -1, levels: readonly L3LevelState[]): void {
    for (const entry of levels) {
      if (!Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[1]) || entry[1].length === 0) {
        throw new InvalidStateError('L3OrderBook', `malformed level ${JSON.stringify(entry)}`);
      }
      const price = decodeNumber(entry[0]);
      const level = this.levelFor(side, price);
      for (const order of entry[1]) {
        const [id, size, ts] = order;
        const slot = this.append(level, id === null ? NaN : id, decodeNumber(size), decodeNumber(ts));
        if (id !== null) this.ids.set(id, slot);
      }
    }
  }
}

function checkRow(what: string, book: BookSnapshot): void {
  checkRowSide(what, 'bid', book.bidPx, book.bidSz, book.bidLevels);
  checkRowSide(what, 'ask', book.askPx, book.askSz, book.askLevels);
}

function checkRowSide(what: string, name: string, px: Float64Array, sz: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > px.length) throw new InvalidInputError(`L3OrderBook.${what} ${name}Levels`, n, `an integer in [0, ${px.length}]`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(px[i]!)) throw new InvalidInputError(`L3OrderBook.${what} ${name}Px[${i}]`, px[i], 'a finite number');
    const s = sz[i]!;
    if (!(s > 0) || s === Infinity) throw new InvalidInputError(`L3OrderBook.${what} ${name}Sz[${i}]`, s, 'a finite number > 0');
  }
}

function grow<T extends Float64Array | Int32Array | Int8Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

/**
 * First index in ascending `keys[0..n)` with `keys[i] >= key`, searching the last (best) 8 keys
 * linearly first: most events land near the touch.
 */
function locate(keys: Float64Array, n: number, key: number): number {
  const stop = n > 8 ? n - 8 : 0;
  let i = n - 1;
  while (i >= stop && keys[i]! >= key) i--;
  return i >= stop ? i + 1 : lowerBound(keys, stop, key);
}

/** First index in ascending `keys[0..n)` with `keys[i] >= key` (bisection). */
function lowerBound(keys: Float64Array, n: number, key: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
