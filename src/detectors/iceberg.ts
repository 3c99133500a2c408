import type { BookSnapshot, OrderEvent, Trade } from '../core/events.js';
import { InvalidStateError } from '../core/errors.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { encodeList, OrderTable, stateNumbers } from './internal.js';

/** Options of {@link Iceberg}. */
export interface IcebergOptions {
  /**
   * Refills of one clip size at one price and side needed to fire.
   * @defaultValue 3
   */
  minRefills?: number;
  /**
   * A refill follows the execution that emptied the previous clip within this many ms.
   * @defaultValue 5
   */
  refillMs?: number;
  /**
   * Refills of one candidate must come within this time of each other, ms.
   * @defaultValue 60000
   */
  windowMs?: number;
  /**
   * Relative tolerance of "the same clip size".
   * @defaultValue 0
   */
  sizeTolerance?: number;
  /**
   * Hidden executions (L3 `executeHidden`) at one price and side, at distinct times within
   * `windowMs`, that fire as well (0: off).
   * @defaultValue 0
   */
  minHiddenExecutions?: number;
  /**
   * L3: do not fire while an order of the clip's size rests within the two best levels of the other
   * side (two-sided quoting of equal size is a market maker re-quoting a filled side, not an iceberg).
   * @defaultValue true
   */
  ignoreTwoSided?: boolean;
  /**
   * Orders tracked at once (L3); the oldest are dropped when full (counted in `overflow`).
   * @defaultValue 16384
   */
  maxTracked?: number;
}

/** Defaults of {@link IcebergOptions}. */
export const DEFAULT_ICEBERG_OPTIONS: Readonly<Required<IcebergOptions>> = Object.freeze({
  minRefills: 3,
  refillMs: 5,
  windowMs: 60_000,
  sizeTolerance: 0,
  minHiddenExecutions: 0,
  ignoreTwoSided: true,
  maxTracked: 16_384,
});

/** State of an {@link Iceberg}. */
export interface IcebergState extends BaseDetectorState {
  readonly type: 'Iceberg';
  readonly version: 1;
  /**
   * `[sawOrder, overflow, exTs, exSide, exPrice, exClip, exLevel, exBook, bid1, ask1, bid2, ask2]`: the
   * last execution and the two best prices of each side.
   */
  readonly values: ReadonlyArray<number | string>;
  /** Candidates: rows of `[side, price, clip, refills, firstTs, lastTs, volume, fired, hidden]`. */
  readonly candidates: ReadonlyArray<number | string>;
  /** L3: recently emptied orders, `[ts, side, price, size]` rows from the next slot to write, then `[next]`. */
  readonly full: ReadonlyArray<number | string>;
  readonly orders: ReadonlyArray<ReadonlyArray<number | string>>;
}

const O_TS = 0;
const O_SIDE = 1;
const O_PRICE = 2;
const O_SIZE = 3;
const O_LEFT = 4;
const O_FIELDS = 5;
const CANDIDATES = 16;
const FULL = 8;
const C_SIDE = 0;
const C_PRICE = 1;
const C_CLIP = 2;
const C_REFILLS = 3;
const C_FIRST = 4;
const C_LAST = 5;
const C_VOLUME = 6;
const C_FIRED = 7;
const C_HIDDEN = 8;
const C_FIELDS = 9;

/**
 * Iceberg (reserve) orders: a price level that is refilled with the same displayed size, again and
 * again, right after each clip is executed; and repeated hidden executions at one price.
 *
 * ```text
 * L3: a refill = an add at the side and price of an order that was just fully executed (within
 *     refillMs; one of the last 8 emptied, as a sweep empties several at one time), of the same size
 *     as that order (the clip)
 * L2: a refill = after a trade at a side's price, the size at that price grows again within refillMs;
 *     the growth is the clip
 * fires when minRefills refills of one clip (within sizeTolerance) at one side and price come with
 *       gaps <= windowMs; with minHiddenExecutions > 0 also when that many hidden executions at one
 *       side and price come at distinct times within windowMs
 * ```
 *
 * An iceberg shows a small clip of a large order and replaces it as soon as it trades (Esser & Monch
 * 2007, "The navigation of an iceberg: the optimal use of hidden orders", Finance Research Letters
 * 4(2); detection from refills: Frey & Sandas 2017, "The impact of iceberg orders in limit order
 * books", Quarterly Journal of Finance 7(3)). The same size at the same price at the same instant,
 * repeatedly, is the fingerprint; honest limit orders joining a level arrive at random times with
 * random sizes. A market maker re-quoting a filled side at the same price and size prints the same
 * fingerprint; it quotes the other side too, so with `ignoreTwoSided` a candidate does not fire while
 * an order of the clip's size rests within the other side's two best levels. Icebergs are legal: the
 * signal is `'info'` (a hidden size in the book), for context. The L3 table holds every live order
 * (`maxTracked`; when full, the oldest is dropped and counted in `overflow`).
 *
 * - Input: order events (L3), or books and trades (L2). Output: a {@link Signal} (`kind: 'iceberg'`,
 *   `side` the iceberg's side (+1 a buy order), `price` its price, `score` = refills; evidence
 *   `refills, clip, executedVolume, spanMs, hidden` (1 for the hidden-execution rule)), severity
 *   `'info'`. One signal per candidate.
 * - No warm-up.
 * - Cannot see: an iceberg whose refills come later than `refillMs` or change size (randomised
 *   clips), or that is re-priced; fully hidden orders show only as hidden executions.
 *
 * @example
 * ```ts
 * const d = new Iceberg({ minRefills: 2 });
 * d.onOrder({ ts: 0, kind: 'add', orderId: 1, size: 100, price: 10, side: -1 });
 * d.onOrder({ ts: 50, kind: 'execute', orderId: 1, size: 100, price: 10, side: -1 });
 * d.onOrder({ ts: 50, kind: 'add', orderId: 2, size: 100, price: 10, side: -1 }); // refill 1
 * d.onOrder({ ts: 90, kind: 'execute', orderId: 2, size: 100, price: 10, side: -1 });
 * d.onOrder({ ts: 90, kind: 'add', orderId: 3, size: 100, price: 10, side: -1 })?.evidence.refills; // 2
 * ```
 */
export class Iceberg extends BaseDetector<IcebergState> {
  readonly kind = 'iceberg';
  readonly inputs = DetectorInput.Book | DetectorInput.Trade | DetectorInput.Order;
  private readonly minRefills: number;
  private readonly refillMs: number;
  private readonly windowMs: number;
  private readonly tolerance: number;
  private readonly minHidden: number;
  private readonly orders: OrderTable;
  /** See {@link IcebergState.values}. */
  private readonly v = new Float64Array(12);
  private readonly ignoreTwoSided: boolean;
  private readonly cands = new Float64Array(CANDIDATES * C_FIELDS);
  /** L3: the orders emptied most recently, rows of `[ts, side, price, size]` (a ring of FULL). */
  private readonly full = new Float64Array(FULL * 4).fill(NaN);
  private fullNext = 0;

  constructor(options: IcebergOptions = {}) {
    super();
    checkOptionKeys('Iceberg', options, Object.keys(DEFAULT_ICEBERG_OPTIONS));
    const o = { ...DEFAULT_ICEBERG_OPTIONS, ...options };
    this.minRefills = integerOption('minRefills', o.minRefills, 1);
    this.refillMs = nonNegativeOption('refillMs', o.refillMs);
    this.windowMs = positiveOption('windowMs', o.windowMs);
    this.tolerance = nonNegativeOption('sizeTolerance', o.sizeTolerance);
    this.minHidden = integerOption('minHiddenExecutions', o.minHiddenExecutions, 0);
    this.ignoreTwoSided = o.ignoreTwoSided !== false;
    this.orders = new OrderTable(Math.ceil((integerOption('maxTracked', o.maxTracked, 1) * 4) / 3), O_FIELDS);
    this.clear();
  }

  private clear(): void {
    this.v.fill(0);
    this.v[2] = NaN;
    this.v[7] = NaN;
    this.v.fill(NaN, 8, 12);
    this.cands.fill(NaN);
    this.full.fill(NaN);
    this.fullNext = 0;
  }

  /** Orders dropped from the table because it was full. */
  get overflow(): number {
    return this.v[1]!;
  }

  override onOrder(order: OrderEvent): Signal | null {
    const t = this.clock(order.ts);
    const v = this.v;
    v[0] = 1;
    const table = this.orders;
    const kind = order.kind;
    if (kind === 'add') {
      const size = order.size;
      let out: Signal | null = null;
      // a refill of one of the orders just emptied (a market order may empty several at one time)
      const f = this.full;
      for (let k = 0; k < FULL; k++) {
        const r = k * 4;
        if (t - f[r]! <= this.refillMs && order.side === f[r + 1] && order.price === f[r + 2] && this.sameClip(size, f[r + 3]!)) {
          out = this.refill(t, order.side, order.price, f[r + 3]!, f[r + 3]!);
          f[r] = NaN;
          break;
        }
      }
      let slot = table.insert(order.orderId);
      if (slot < 0) {
        this.evictOldest();
        slot = table.insert(order.orderId);
      }
      if (slot >= 0) {
        const j = slot * O_FIELDS;
        table.data[j + O_TS] = t;
        table.data[j + O_SIDE] = order.side;
        table.data[j + O_PRICE] = order.price;
        table.data[j + O_SIZE] = size;
        table.data[j + O_LEFT] = size;
      }
      return out;
    }
    if (kind === 'executeHidden') {
      return this.minHidden > 0 ? this.hidden(t, order.side, order.price, order.size) : null;
    }
    const slot = table.find(order.orderId);
    if (slot < 0) return null;
    const j = slot * O_FIELDS;
    const d = table.data;
    if (kind === 'execute') {
      d[j + O_LEFT] = d[j + O_LEFT]! - order.size;
      this.addVolume(d[j + O_SIDE]!, d[j + O_PRICE]!, order.size);
      if (d[j + O_LEFT]! <= 0) {
        const r = this.fullNext * 4;
        this.fullNext = (this.fullNext + 1) % FULL;
        this.full[r] = t;
        this.full[r + 1] = d[j + O_SIDE]!;
        this.full[r + 2] = d[j + O_PRICE]!;
        this.full[r + 3] = d[j + O_SIZE]!;
        table.removeAt(slot);
      }
    } else if (kind === 'cancel') {
      d[j + O_LEFT] = d[j + O_LEFT]! - order.size;
      if (d[j + O_LEFT]! <= 0) table.removeAt(slot);
    } else if (kind === 'delete') {
      table.removeAt(slot);
    }
    return null;
  }

  override onTrade(trade: Trade): Signal | null {
    const t = this.clock(trade.ts);
    const v = this.v;
    if (v[0] === 1) return null;
    const side = trade.side === 1 ? -1 : trade.side === -1 ? 1 : 0; // the resting side
    if (side === 0 || !(trade.size > 0)) return null;
    v[2] = t;
    v[3] = side;
    v[4] = trade.price;
    v[5] = trade.size;
    v[6] = NaN;
    v[7] = NaN;
    this.addVolume(side, trade.price, trade.size);
    return null;
  }

  override onBook(book: BookSnapshot): Signal | null {
    const t = this.clock(book.ts);
    const v = this.v;
    v[8] = book.bidLevels > 0 ? book.bidPx[0]! : NaN;
    v[9] = book.askLevels > 0 ? book.askPx[0]! : NaN;
    v[10] = book.bidLevels > 1 ? book.bidPx[1]! : v[8]!;
    v[11] = book.askLevels > 1 ? book.askPx[1]! : v[9]!;
    if (v[0] === 1 || !(t - v[2]! <= this.refillMs)) return null;
    const side = v[3]!;
    const price = v[4]!;
    const size = side > 0 ? sizeAt(book.bidPx, book.bidSz, book.bidLevels, price) : sizeAt(book.askPx, book.askSz, book.askLevels, price);
    if (!(v[7] === v[7])) {
      // the first book after the trade: the level after the execution
      v[7] = size;
      return null;
    }
    if (!(size > v[7]!)) {
      v[7] = size < v[7]! ? size : v[7]!;
      return null;
    }
    const clip = size - v[7]!;
    v[2] = NaN;
    return this.refill(t, side, price, clip, v[5]!);
  }

  private sameClip(a: number, b: number): boolean {
    const d = a - b;
    return (d < 0 ? -d : d) <= this.tolerance * b;
  }

  /** The candidate row index for (side, price, clip), or -1. */
  private find(side: number, price: number, clip: number, hidden: number): number {
    const c = this.cands;
    for (let i = 0; i < CANDIDATES; i++) {
      const r = i * C_FIELDS;
      if (c[r + C_SIDE] === side && c[r + C_PRICE] === price && c[r + C_HIDDEN] === hidden && (hidden === 1 || this.sameClip(clip, c[r + C_CLIP]!))) return r;
    }
    return -1;
  }

  /** A new candidate row (reusing an empty, expired or the stalest one). */
  private open(t: number, side: number, price: number, clip: number, hidden: number): number {
    const c = this.cands;
    let best = 0;
    let bestTs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < CANDIDATES; i++) {
      const r = i * C_FIELDS;
      const last = c[r + C_LAST]!;
      if (!(last === last)) {
        best = r;
        break;
      }
      if (last < bestTs) {
        bestTs = last;
        best = r;
      }
    }
    c[best + C_SIDE] = side;
    c[best + C_PRICE] = price;
    c[best + C_CLIP] = clip;
    c[best + C_REFILLS] = 0;
    c[best + C_FIRST] = t;
    c[best + C_LAST] = t;
    c[best + C_VOLUME] = 0;
    c[best + C_FIRED] = 0;
    c[best + C_HIDDEN] = hidden;
    return best;
  }

  private addVolume(side: number, price: number, size: number): void {
    const c = this.cands;
    for (let i = 0; i < CANDIDATES; i++) {
      const r = i * C_FIELDS;
      if (c[r + C_SIDE] === side && c[r + C_PRICE] === price && c[r + C_HIDDEN] === 0) c[r + C_VOLUME] = c[r + C_VOLUME]! + size;
    }
  }

  private refill(t: number, side: number, price: number, clip: number, executed: number): Signal | null {
    let r = this.find(side, price, clip, 0);
    const c = this.cands;
    if (r >= 0 && t - c[r + C_LAST]! > this.windowMs) {
      c[r + C_LAST] = NaN;
      r = -1;
    }
    if (r < 0) {
      r = this.open(t, side, price, clip, 0);
      c[r + C_VOLUME] = executed;
    }
    c[r + C_REFILLS] = c[r + C_REFILLS]! + 1;
    c[r + C_LAST] = t;
    return this.maybeFire(t, r, this.minRefills, 0);
  }

  private hidden(t: number, side: number, price: number, size: number): Signal | null {
    let r = this.find(side, price, 0, 1);
    const c = this.cands;
    if (r >= 0 && t - c[r + C_LAST]! > this.windowMs) {
      c[r + C_LAST] = NaN;
      r = -1;
    }
    if (r < 0) r = this.open(t, side, price, 0, 1);
    c[r + C_VOLUME] = c[r + C_VOLUME]! + size;
    if (c[r + C_REFILLS]! > 0 && c[r + C_LAST] === t) return null; // same instant: one sweep
    c[r + C_REFILLS] = c[r + C_REFILLS]! + 1;
    c[r + C_LAST] = t;
    return this.maybeFire(t, r, this.minHidden, 1);
  }

  private maybeFire(t: number, r: number, needed: number, hidden: number): Signal | null {
    const c = this.cands;
    const n = c[r + C_REFILLS]!;
    if (n < needed || c[r + C_FIRED] === 1) return null;
    if (hidden === 0 && this.ignoreTwoSided && this.v[0] === 1 && this.quotedOpposite(c[r + C_SIDE]!, c[r + C_CLIP]!)) return null;
    c[r + C_FIRED] = 1;
    return this.signal(t, 'info', c[r + C_SIDE]! > 0 ? 1 : -1, c[r + C_PRICE]!, n, {
      refills: n,
      clip: c[r + C_CLIP]!,
      executedVolume: c[r + C_VOLUME]!,
      spanMs: t - c[r + C_FIRST]!,
      hidden,
    });
  }

  /**
   * Whether a live order of `clip` shares (added or left) rests within the two best levels opposite to
   * `side` (scans the table).
   */
  private quotedOpposite(side: number, clip: number): boolean {
    const limit = side > 0 ? this.v[11]! : this.v[10]!;
    if (!(limit === limit)) return false;
    const table = this.orders;
    const d = table.data;
    for (let i = 0; i < table.capacity; i++) {
      const id = table.ids[i]!;
      if (id !== id) continue;
      const j = i * O_FIELDS;
      if (d[j + O_SIDE] !== -side || (d[j + O_LEFT] !== clip && d[j + O_SIZE] !== clip)) continue;
      const p = d[j + O_PRICE]!;
      if (side > 0 ? p <= limit : p >= limit) return true;
    }
    return false;
  }

  /** Drop the oldest tracked order (a full table: orders that rest for hours). */
  private evictOldest(): void {
    const table = this.orders;
    let oldest = -1;
    let ts = Number.POSITIVE_INFINITY;
    for (let i = 0; i < table.capacity; i++) {
      const id = table.ids[i]!;
      if (id === id && table.data[i * O_FIELDS + O_TS]! < ts) {
        ts = table.data[i * O_FIELDS + O_TS]!;
        oldest = i;
      }
    }
    if (oldest >= 0) {
      table.removeAt(oldest);
      this.v[1]!++;
    }
  }

  reset(): void {
    this.resetBase();
    this.orders.clear();
    this.clear();
  }

  snapshot(): IcebergState {
    return {
      type: 'Iceberg',
      version: 1,
      clock: this.baseState(),
      values: encodeList(this.v),
      candidates: encodeList(this.cands),
      full: encodeList([...this.full, this.fullNext]),
      orders: this.orders.encode(),
    };
  }

  restore(state: IcebergState): void {
    const T = 'Iceberg';
    checkState(state, T, 1);
    const v = stateNumbers(T, 'values', state.values, 12, 12);
    const c = stateNumbers(T, 'candidates', state.candidates, CANDIDATES * C_FIELDS, CANDIDATES * C_FIELDS);
    const full = stateNumbers(T, 'full', state.full, FULL * 4 + 1, FULL * 4 + 1);
    const next = full[FULL * 4]!;
    if (!Number.isInteger(next) || next < 0 || next >= FULL) throw new InvalidStateError(T, `full: next slot must be an integer in [0, ${FULL})`);
    this.orders.decode(T, 'orders', state.orders);
    this.restoreBase(T, state.clock);
    this.v.set(v);
    this.cands.set(c);
    this.full.set(full.slice(0, FULL * 4));
    this.fullNext = next;
  }
}

/** Size at `price` among the first `n` levels (0 when absent). */
function sizeAt(px: Float64Array, sz: Float64Array, n: number, price: number): number {
  const m = n < px.length ? n : px.length;
  for (let i = 0; i < m; i++) if (px[i] === price) return sz[i]!;
  return 0;
}
