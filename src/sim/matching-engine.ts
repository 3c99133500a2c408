/**
 * The exchange inside the {@link MarketSimulator}: a price-time priority matching engine over an
 * integer tick grid, and the outbox of messages it produces. Internal to `src/sim` (not exported from
 * the package): the simulator applies the messages to an `L3OrderBook`, which is the book users see.
 *
 * @module
 */
import { InvalidInputError } from '../core/errors.js';

/** LOBSTER message types the engine emits (1 add, 2 partial cancel, 3 delete, 4 visible execution). */
export const MSG_ADD = 1;
export const MSG_CANCEL = 2;
export const MSG_DELETE = 3;
export const MSG_EXECUTE = 4;
/** Reduced-form outbox entries: a trade and the book after it, or a book change alone. */
export const RF_TRADE = 8;
export const RF_BOOK = 9;

/** Owner tags: the background flow, the interactive user, then scenario agents from 2 up. */
export const OWNER_BACKGROUND = 0;
export const OWNER_USER = 1;
export const OWNER_AGENT0 = 2;

/**
 * A FIFO queue of pending messages in struct-of-arrays form (a growable ring). Fields per entry:
 * `ts`, `type` (MSG_* or RF_*), `id` (resting order id), `size`, `price`, `side` (resting side for
 * order messages, aggressor side for RF_TRADE), `agg` (aggressor order id of an execution, else NaN)
 * and three auxiliary numbers for reduced-form books (`a1` bid tick, `a2` bid queue, `a3` ask queue).
 */
export class Outbox {
  ts = new Float64Array(64);
  type = new Uint8Array(64);
  id = new Float64Array(64);
  size = new Float64Array(64);
  price = new Float64Array(64);
  side = new Int8Array(64);
  agg = new Float64Array(64);
  a1 = new Float64Array(64);
  a2 = new Float64Array(64);
  a3 = new Float64Array(64);
  private mask = 63;
  head = 0;
  count = 0;

  /** Append an entry; returns its ring index (valid until it is shifted). */
  push(ts: number, type: number, id: number, size: number, price: number, side: number, agg: number): number {
    if (this.count > this.mask) this.grow();
    const i = (this.head + this.count) & this.mask;
    this.ts[i] = ts;
    this.type[i] = type;
    this.id[i] = id;
    this.size[i] = size;
    this.price[i] = price;
    this.side[i] = side;
    this.agg[i] = agg;
    this.count++;
    return i;
  }

  /** Remove the oldest entry and return its ring index (read its fields before the next push). */
  shift(): number {
    const i = this.head;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return i;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const order = (a: Float64Array | Uint8Array | Int8Array, b: Float64Array | Uint8Array | Int8Array): void => {
      for (let k = 0; k < this.count; k++) b[k] = a[(this.head + k) & this.mask]!;
    };
    const f = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap);
      order(a, b);
      return b;
    };
    const type = new Uint8Array(cap);
    order(this.type, type);
    const side = new Int8Array(cap);
    order(this.side, side);
    this.ts = f(this.ts);
    this.id = f(this.id);
    this.size = f(this.size);
    this.price = f(this.price);
    this.agg = f(this.agg);
    this.a1 = f(this.a1);
    this.a2 = f(this.a2);
    this.a3 = f(this.a3);
    this.type = type;
    this.side = side;
    this.mask = cap - 1;
    this.head = 0;
  }
}

/** Receives executions of resting orders owned by an agent (owner >= OWNER_AGENT0). */
export type FillListener = (owner: number, orderId: number, size: number, remaining: number) => void;

/** Receives the aggressor's fills of one `match` call (price, size, resting order id). */
export type AggressorFill = (price: number, size: number, restingId: number) => void;

/**
 * Price-time priority matching over integer ticks.
 *
 * - Orders live in a struct-of-arrays pool (slot = index), an id -> slot `Map`, and one FIFO doubly
 *   linked list per price tick and side; the level arrays cover a window of ticks that re-centres and
 *   grows on demand.
 * - `bestBid` / `bestAsk` are ticks (-1 when the side is empty); a level emptied at the touch moves the
 *   touch to the next non-empty tick (a scan over empty ticks, usually one step).
 * - Orders marked cancellable (the background flow's) are also kept in a dense list for O(1) uniform
 *   random picks.
 * - Every change is written to the {@link Outbox} as a LOBSTER-style message at the current `ts`.
 * - No self-trade prevention (wash trades need it off).
 */
export class MatchingEngine {
  readonly outbox = new Outbox();
  /** Time stamped on the messages (ms). */
  ts = 0;
  bestBid = -1;
  bestAsk = -1;
  /** Orders resting per side. */
  bidOrders = 0;
  askOrders = 0;
  onFill: FillListener | null = null;

  private readonly tickSize: number;
  private readonly tickE4: number;

  // orders
  private ids = new Map<number, number>();
  private oId = new Float64Array(1024);
  private oSide = new Int8Array(1024);
  private oTick = new Float64Array(1024);
  private oSize = new Float64Array(1024);
  private oOwner = new Int16Array(1024);
  private oPrev = new Int32Array(1024);
  private oNext = new Int32Array(1024);
  private oPos = new Int32Array(1024); // index in the cancellable list, -1 if not there
  private oCap = 1024;
  private oUsed = 0;
  private oFree = -1;

  // cancellable (background) orders, dense
  private cl = new Int32Array(1024);
  /** Number of cancellable orders. */
  clCount = 0;

  // level window: index = tick - base
  private base = 0;
  private wCap = 0;
  private bidHead!: Int32Array;
  private bidTail!: Int32Array;
  private bidSize!: Float64Array;
  private askHead!: Int32Array;
  private askTail!: Int32Array;
  private askSize!: Float64Array;

  constructor(tickSize: number, centerTick: number) {
    this.tickSize = tickSize;
    const e4 = tickSize * 10000;
    // a tick on the LOBSTER grid (a multiple of 0.0001) prices exactly as LOBSTER's raw / 10000 reads back
    this.tickE4 = Math.abs(e4 - Math.round(e4)) < 1e-9 && Math.round(e4) >= 1 ? Math.round(e4) : NaN;
    this.allocWindow(Math.max(0, centerTick - 2048), 4096);
  }

  /** The price of a tick: `tick x tickSize`, computed as `tick x (tickSize x 10000) / 10000` on the LOBSTER grid. */
  priceOf(tick: number): number {
    return this.tickE4 === this.tickE4 ? (tick * this.tickE4) / 10000 : tick * this.tickSize;
  }

  /** The tick of a price (rounded to the nearest tick). */
  tickOf(price: number): number {
    return Math.round(price / this.tickSize);
  }

  /** Whether the tick size is a multiple of LOBSTER's price unit 0.0001. */
  get onLobsterGrid(): boolean {
    return this.tickE4 === this.tickE4;
  }

  private allocWindow(base: number, cap: number): void {
    this.base = base;
    this.wCap = cap;
    this.bidHead = new Int32Array(cap).fill(-1);
    this.bidTail = new Int32Array(cap).fill(-1);
    this.bidSize = new Float64Array(cap);
    this.askHead = new Int32Array(cap).fill(-1);
    this.askTail = new Int32Array(cap).fill(-1);
    this.askSize = new Float64Array(cap);
  }

  /** Make the window cover `tick` (re-centre and grow; copies the levels). */
  private cover(tick: number): void {
    if (tick >= this.base && tick < this.base + this.wCap) return;
    if (!(tick >= 0) || tick > 2 ** 40) throw new InvalidInputError('price tick', tick, 'an integer in [0, 2^40]');
    let lo = Math.min(tick, this.base);
    let hi = Math.max(tick + 1, this.base + this.wCap);
    const span = hi - lo;
    let cap = this.wCap;
    while (cap < 2 * span) cap *= 2;
    lo = Math.max(0, Math.floor((lo + hi) / 2) - cap / 2);
    hi = lo + cap;
    const old = {
      base: this.base,
      cap: this.wCap,
      bidHead: this.bidHead,
      bidTail: this.bidTail,
      bidSize: this.bidSize,
      askHead: this.askHead,
      askTail: this.askTail,
      askSize: this.askSize,
    };
    this.allocWindow(lo, cap);
    const shift = old.base - lo;
    for (let i = 0; i < old.cap; i++) {
      const j = i + shift;
      if (j < 0 || j >= cap) continue;
      this.bidHead[j] = old.bidHead[i]!;
      this.bidTail[j] = old.bidTail[i]!;
      this.bidSize[j] = old.bidSize[i]!;
      this.askHead[j] = old.askHead[i]!;
      this.askTail[j] = old.askTail[i]!;
      this.askSize[j] = old.askSize[i]!;
    }
  }

  // ---------------------------------------------------------------- reading

  /** Total size resting at `tick` on `side` (0 when empty or outside the window). */
  levelSize(side: number, tick: number): number {
    const i = tick - this.base;
    if (i < 0 || i >= this.wCap) return 0;
    return side === 1 ? this.bidSize[i]! : this.askSize[i]!;
  }

  /** Size of the best level on `side` (0 when the side is empty). */
  bestSize(side: number): number {
    const t = side === 1 ? this.bestBid : this.bestAsk;
    return t < 0 ? 0 : this.levelSize(side, t);
  }

  /** The tick of the `index`-th best non-empty level of `side` (0 = best), -1 past the levels. */
  levelTick(side: number, index: number): number {
    let t = side === 1 ? this.bestBid : this.bestAsk;
    if (t < 0) return -1;
    let k = 0;
    const size = side === 1 ? this.bidSize : this.askSize;
    const step = side === 1 ? -1 : 1;
    const end = side === 1 ? this.base - 1 : this.base + this.wCap;
    for (; t !== end; t += step) {
      if (size[t - this.base]! > 0) {
        if (k === index) return t;
        k++;
      }
    }
    return -1;
  }

  has(orderId: number): boolean {
    return this.ids.has(orderId);
  }

  /** Remaining size, NaN for an unknown id. */
  orderSize(orderId: number): number {
    const s = this.ids.get(orderId);
    return s === undefined ? NaN : this.oSize[s]!;
  }

  /** Tick of a live order, NaN for an unknown id. */
  orderTick(orderId: number): number {
    const s = this.ids.get(orderId);
    return s === undefined ? NaN : this.oTick[s]!;
  }

  /** Side of a live order, 0 for an unknown id. */
  orderSide(orderId: number): number {
    const s = this.ids.get(orderId);
    return s === undefined ? 0 : this.oSide[s]!;
  }

  /** Owner of a live order, -1 for an unknown id. */
  orderOwner(orderId: number): number {
    const s = this.ids.get(orderId);
    return s === undefined ? -1 : this.oOwner[s]!;
  }

  /** Shares queued ahead of a live order at its level, -1 for an unknown id. */
  sharesAhead(orderId: number): number {
    let s = this.ids.get(orderId);
    if (s === undefined) return -1;
    let ahead = 0;
    for (s = this.oPrev[s]!; s >= 0; s = this.oPrev[s]!) ahead += this.oSize[s]!;
    return ahead;
  }

  /** Number of live orders. */
  get liveOrders(): number {
    return this.ids.size;
  }

  /** The id of the cancellable order at dense index `i` (0 <= i < clCount). */
  cancellableId(i: number): number {
    return this.oId[this.cl[i]!]!;
  }

  /**
   * Ids of the orders resting on `side` at ticks in `[lo, hi]` with one of the given owners (a bit
   * mask over owner tags, bit 0 = background), front of each queue first, best tick first.
   */
  ordersIn(side: number, lo: number, hi: number, ownerMask: number): number[] {
    const out: number[] = [];
    const head = side === 1 ? this.bidHead : this.askHead;
    const from = side === 1 ? hi : lo;
    const to = side === 1 ? lo : hi;
    const step = side === 1 ? -1 : 1;
    for (let t = from; step > 0 ? t <= to : t >= to; t += step) {
      const i = t - this.base;
      if (i < 0 || i >= this.wCap) continue;
      for (let s = head[i]!; s >= 0; s = this.oNext[s]!) {
        const owner = this.oOwner[s]!;
        if (((owner < 30 ? 1 << owner : 0) & ownerMask) !== 0) out.push(this.oId[s]!);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- changes

  /**
   * Rest a new order (no matching: the caller makes sure it does not cross) at the tail of its level;
   * writes an add message. Returns the id.
   */
  rest(orderId: number, side: number, tick: number, size: number, owner: number, cancellable: boolean): number {
    this.cover(tick);
    let s = this.oFree;
    if (s >= 0) this.oFree = this.oNext[s]!;
    else {
      if (this.oUsed === this.oCap) this.growOrders();
      s = this.oUsed++;
    }
    this.oId[s] = orderId;
    this.oSide[s] = side;
    this.oTick[s] = tick;
    this.oSize[s] = size;
    this.oOwner[s] = owner;
    this.oNext[s] = -1;
    const i = tick - this.base;
    if (side === 1) {
      const tail = this.bidTail[i]!;
      this.oPrev[s] = tail;
      if (tail >= 0) this.oNext[tail] = s;
      else this.bidHead[i] = s;
      this.bidTail[i] = s;
      this.bidSize[i]! += size;
      this.bidOrders++;
      if (tick > this.bestBid) this.bestBid = tick;
    } else {
      const tail = this.askTail[i]!;
      this.oPrev[s] = tail;
      if (tail >= 0) this.oNext[tail] = s;
      else this.askHead[i] = s;
      this.askTail[i] = s;
      this.askSize[i]! += size;
      this.askOrders++;
      if (this.bestAsk < 0 || tick < this.bestAsk) this.bestAsk = tick;
    }
    if (cancellable) {
      if (this.clCount === this.cl.length) this.cl = grow(this.cl, this.cl.length * 2);
      this.oPos[s] = this.clCount;
      this.cl[this.clCount++] = s;
    } else {
      this.oPos[s] = -1;
    }
    this.ids.set(orderId, s);
    this.outbox.push(this.ts, MSG_ADD, orderId, size, this.priceOf(tick), side, NaN);
    return orderId;
  }

  /**
   * Cancel `size` shares of a live order (all of it when `size` >= its size or is NaN): a partial
   * cancel (type 2) or a delete (type 3) message. Returns the shares removed (0 for an unknown id).
   */
  cancel(orderId: number, size = NaN): number {
    const s = this.ids.get(orderId);
    if (s === undefined) return 0;
    const have = this.oSize[s]!;
    const tick = this.oTick[s]!;
    const side = this.oSide[s]!;
    if (size === size && size < have) {
      this.oSize[s] = have - size;
      if (side === 1) this.bidSize[tick - this.base]! -= size;
      else this.askSize[tick - this.base]! -= size;
      this.outbox.push(this.ts, MSG_CANCEL, orderId, size, this.priceOf(tick), side, NaN);
      return size;
    }
    this.remove(s);
    this.outbox.push(this.ts, MSG_DELETE, orderId, have, this.priceOf(tick), side, NaN);
    return have;
  }

  /**
   * An aggressive order of `size` on `side` (+1 buys from the asks) with id `aggressorId`, matched
   * against the opposite side from the touch while the touch is at or better than `limitTick`
   * (`Infinity` / `-Infinity` for a market order; for a buy, asks at ticks <= limitTick), FIFO within
   * a level, at most `maxLevels` price levels. One execute message per resting order touched.
   * Returns the size filled.
   */
  match(side: number, size: number, aggressorId: number, limitTick: number, maxLevels: number, fill: AggressorFill | null): number {
    let left = size;
    let levels = 0;
    let lastTick = NaN;
    while (left > 0) {
      const tick = side === 1 ? this.bestAsk : this.bestBid;
      if (tick < 0) break;
      if (side === 1 ? tick > limitTick : tick < limitTick) break;
      if (tick !== lastTick) {
        if (levels === maxLevels) break;
        levels++;
        lastTick = tick;
      }
      const i = tick - this.base;
      const s = side === 1 ? this.askHead[i]! : this.bidHead[i]!;
      const have = this.oSize[s]!;
      const q = left < have ? left : have;
      const id = this.oId[s]!;
      const owner = this.oOwner[s]!;
      const price = this.priceOf(tick);
      if (q < have) {
        this.oSize[s] = have - q;
        if (side === 1) this.askSize[i]! -= q;
        else this.bidSize[i]! -= q;
      } else {
        this.remove(s);
      }
      left -= q;
      this.outbox.push(this.ts, MSG_EXECUTE, id, q, price, -side, aggressorId);
      if (fill !== null) fill(price, q, id);
      if (owner >= OWNER_AGENT0 && this.onFill !== null) this.onFill(owner, id, q, have - q);
    }
    return size - left;
  }

  /** Unlink slot `s` from its level and the registry (the touch moves if its level empties). */
  private remove(s: number): void {
    const prev = this.oPrev[s]!;
    const next = this.oNext[s]!;
    const tick = this.oTick[s]!;
    const i = tick - this.base;
    const size = this.oSize[s]!;
    if (this.oSide[s] === 1) {
      if (prev >= 0) this.oNext[prev] = next;
      else this.bidHead[i] = next;
      if (next >= 0) this.oPrev[next] = prev;
      else this.bidTail[i] = prev;
      const left = this.bidSize[i]! - size;
      this.bidSize[i] = this.bidHead[i]! < 0 ? 0 : left;
      this.bidOrders--;
      if (this.bidHead[i]! < 0 && tick === this.bestBid) this.bestBid = this.scan(1, tick);
    } else {
      if (prev >= 0) this.oNext[prev] = next;
      else this.askHead[i] = next;
      if (next >= 0) this.oPrev[next] = prev;
      else this.askTail[i] = prev;
      const left = this.askSize[i]! - size;
      this.askSize[i] = this.askHead[i]! < 0 ? 0 : left;
      this.askOrders--;
      if (this.askHead[i]! < 0 && tick === this.bestAsk) this.bestAsk = this.scan(-1, tick);
    }
    const pos = this.oPos[s]!;
    if (pos >= 0) {
      const last = this.cl[--this.clCount]!;
      this.cl[pos] = last;
      this.oPos[last] = pos;
    }
    this.ids.delete(this.oId[s]!);
    this.oId[s] = NaN;
    this.oNext[s] = this.oFree;
    this.oFree = s;
  }

  /** The next non-empty tick beyond `from` on `side`, -1 when the side holds no order. */
  private scan(side: number, from: number): number {
    if (side === 1) {
      if (this.bidOrders === 0) return -1;
      const head = this.bidHead;
      for (let t = from - 1 - this.base; t >= 0; t--) if (head[t]! >= 0) return t + this.base;
    } else {
      if (this.askOrders === 0) return -1;
      const head = this.askHead;
      for (let t = from + 1 - this.base; t < this.wCap; t++) if (head[t]! >= 0) return t + this.base;
    }
    return -1; // unreachable: a live order lies inside the window
  }

  private growOrders(): void {
    const cap = this.oCap * 2;
    this.oId = grow(this.oId, cap);
    this.oSide = grow(this.oSide, cap);
    this.oTick = grow(this.oTick, cap);
    this.oSize = grow(this.oSize, cap);
    this.oOwner = grow(this.oOwner, cap);
    this.oPrev = grow(this.oPrev, cap);
    this.oNext = grow(this.oNext, cap);
    this.oPos = grow(this.oPos, cap);
    this.oCap = cap;
  }
}

function grow<T extends Float64Array | Int32Array | Int16Array | Int8Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}
