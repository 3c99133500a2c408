import type { BookSnapshot, OrderEvent, Trade } from '../core/events.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, fractionOption, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { Ewma, type EwmaState } from '../stats/ewma.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { EventWindow, encodeList, OrderTable, stateNumbers, stateObject } from './internal.js';

/** Options of {@link Spoofing}. */
export interface SpoofingOptions {
  /**
   * L3: an added order is large when its size is at least `largeRatio` times the baseline mean size of
   * added orders.
   * @defaultValue 6.5
   */
  largeRatio?: number;
  /**
   * L3: an order is near the touch when at most this many price levels of its side (in the last book)
   * are better than its price (0: at the touch or better).
   * @defaultValue 1
   */
  nearLevels?: number;
  /**
   * L3: a large order counts when it is deleted within this time of being added, ms.
   * @defaultValue 3000
   */
  maxLifetimeMs?: number;
  /**
   * L3: executed share of the order above which its cancellation does not count (0: any fill clears it).
   * @defaultValue 0
   */
  maxFilledShare?: number;
  /**
   * L2: the best level is large when its size is more than `l1Ratio` times its baseline mean.
   * @defaultValue 2
   */
  l1Ratio?: number;
  /**
   * L2: it vanished when the size at that price falls under `vanishRatio` times the baseline mean.
   * @defaultValue 0.2
   */
  vanishRatio?: number;
  /**
   * L3: a cancellation does not count while a large order of about the same size (within 10%) rests
   * near the other side's touch, or was cancelled there within 100 ms: two-sided quoting is market
   * making, not spoofing.
   * @defaultValue true
   */
  ignoreTwoSided?: boolean;
  /**
   * Spoof-like cancellations on one side within `windowMs` needed to fire (a spoofer repeats the cycle;
   * one large cancellation is common in honest flow).
   * @defaultValue 2
   */
  minCancels?: number;
  /**
   * The window of `minCancels`, ms.
   * @defaultValue 10000
   */
  windowMs?: number;
  /**
   * Half-life of the baselines: added order sizes (L3, in orders) and best-level sizes (L2, in books).
   * @defaultValue 5000
   */
  baselineHalfLife?: number;
  /**
   * Orders (L3) or books (L2) in the baseline before the detector can fire.
   * @defaultValue 500
   */
  minSamples?: number;
  /**
   * Large orders tracked at once (L3); more are counted in `overflow` and not tracked.
   * @defaultValue 4096
   */
  maxTracked?: number;
}

/** Defaults of {@link SpoofingOptions}. */
export const DEFAULT_SPOOFING_OPTIONS: Readonly<Required<SpoofingOptions>> = Object.freeze({
  largeRatio: 6.5,
  nearLevels: 1,
  maxLifetimeMs: 3000,
  maxFilledShare: 0,
  l1Ratio: 2,
  vanishRatio: 0.2,
  ignoreTwoSided: true,
  minCancels: 2,
  windowMs: 10_000,
  baselineHalfLife: 5000,
  minSamples: 500,
  maxTracked: 4096,
});

/** State of a {@link Spoofing}. */
export interface SpoofingState extends BaseDetectorState {
  readonly type: 'Spoofing';
  readonly version: 1;
  /**
   * `[sawOrder, overflow, armedBid, armedAsk, then per side (bid, ask) the L2 candidate: price, peak,
   * ts, traded, then the last large cancellation per side: bidTs, bidSize, askTs, askSize]`.
   */
  readonly values: ReadonlyArray<number | string>;
  /** Recent best prices of each side: `[bid 0..nearLevels, ask 0..nearLevels]`. */
  readonly levels: ReadonlyArray<number | string>;
  readonly orders: ReadonlyArray<ReadonlyArray<number | string>>;
  readonly bidCancels: ReadonlyArray<number | string>;
  readonly askCancels: ReadonlyArray<number | string>;
  readonly addBaseline: EwmaState;
  readonly bidBaseline: EwmaState;
  readonly askBaseline: EwmaState;
}

// order table fields
const F_TS = 0;
const F_PRICE = 1;
const F_SIDE = 2;
const F_SIZE = 3;
const F_LEFT = 4;
const F_FILLED = 5;
const F_BASE = 6;
const FIELDS = 7;
/** Two large cancellations on opposite sides within this many ms are a two-sided quote pulled. */
const PAIR_MS = 100;

/**
 * Spoofing: large orders near the touch that are cancelled without being executed, repeatedly, on one
 * side.
 *
 * ```text
 * L3 (order events):  a spoof-like cancellation = the delete of an order with
 *                       size >= largeRatio * mean added size (EWMA),
 *                       at most nearLevels levels from its side's touch when added,
 *                       filled share <= maxFilledShare, lifetime <= maxLifetimeMs, and (with
 *                       ignoreTwoSided) no large order of about its size resting on the other
 *                       side, or pulled there within 100 ms (a two-sided quote: market making)
 * L2 (books + trades): a spoof-like cancellation = the best level of a side grows past
 *                       l1Ratio * its mean size (EWMA) and then, at that price, falls under
 *                       vanishRatio * mean with less than half of the fall traded, within maxLifetimeMs
 * fires when a side shows minCancels spoof-like cancellations within windowMs (once per run: re-armed
 * when the window empties)
 * ```
 *
 * The pattern is the one of the CFTC / SEC spoofing cases (Dodd-Frank Act s. 747, "bidding or offering
 * with the intent to cancel the bid or offer before execution"; e.g. U.S. v. Coscia, 2017): large
 * orders that move the visible depth, pulled before they can trade. The L2 rule is the usual
 * L1-snapshot heuristic (an order more than 2x the average size that vanishes to under 0.2x without
 * execution). With order events the L3 rule is used and books only locate the touch. One large
 * cancellation is common in honest flow (a market maker re-quoting, a change of mind), so the rule
 * needs a repeat on the same side, and leaves two-sided quoting alone. The L3 table tracks only the
 * large orders near the touch (bounded by `maxTracked`; orders older than `maxLifetimeMs` are swept
 * out when it fills; beyond that, counted in `overflow`).
 *
 * - Input: order events, books, trades. Output: a {@link Signal} (`kind: 'spoofing'`, `side` the side
 *   of the spoofed orders (+1 bids), `price` the last one's price, `score` = cancellations in the
 *   window; evidence `cancels, size, baselineSize` (the baseline mean when the order came),
 *   `lifetimeMs, filled, l3` (1 L3, 0 L2)), `'critical'` when the last spoofed order was twice the
 *   size that makes an order large (`2 * largeRatio`, L2: `2 * l1Ratio` times the baseline).
 * - Warm-up: `minSamples` added orders (L3) or books (L2).
 * - Cannot see: intent (an honest trader who changes their mind twice looks the same), who placed the
 *   orders (no account ids), and with L2 data alone, whether one order or many made the level.
 *
 * @example
 * ```ts
 * const d = new Spoofing({ minSamples: 2, minCancels: 1 });
 * d.onBook(bookFromLevels([[99.99, 500]], [[100.01, 500]], { ts: 0 }));
 * d.onOrder({ ts: 1, kind: 'add', orderId: 1, size: 100, price: 99.98, side: 1 });
 * d.onOrder({ ts: 2, kind: 'add', orderId: 2, size: 100, price: 100.02, side: -1 });
 * d.onOrder({ ts: 3, kind: 'add', orderId: 3, size: 1000, price: 99.99, side: 1 }); // large, at the touch
 * d.onOrder({ ts: 900, kind: 'delete', orderId: 3, size: 1000, price: 99.99, side: 1 })?.side; // 1
 * ```
 */
export class Spoofing extends BaseDetector<SpoofingState> {
  readonly kind = 'spoofing';
  readonly inputs = DetectorInput.Book | DetectorInput.Trade | DetectorInput.Order;
  private readonly largeRatio: number;
  private readonly nearLevels: number;
  private readonly maxLifetimeMs: number;
  private readonly maxFilledShare: number;
  private readonly l1Ratio: number;
  private readonly vanishRatio: number;
  private readonly minCancels: number;
  private readonly minSamples: number;
  private readonly ignoreTwoSided: boolean;
  private readonly orders: OrderTable;
  private readonly bidCancels: EventWindow;
  private readonly askCancels: EventWindow;
  private readonly addBaseline: Ewma;
  private readonly bidBaseline: Ewma;
  private readonly askBaseline: Ewma;
  /** Best prices, `nearLevels + 1` a side: bids then asks. */
  private readonly levels: Float64Array;
  /** `[sawOrder, overflow, armedBid, armedAsk]`. */
  private readonly flags = new Float64Array(4);
  /** Last large cancellation per side: `[-, -, -, -, bidTs, bidSize, askTs, askSize]`. */
  private readonly pulls = new Float64Array(8).fill(NaN);
  /** L2 candidates, per side (bid 0, ask 1): price, peak, ts, traded. */
  private readonly cand = new Float64Array(8).fill(NaN);

  constructor(options: SpoofingOptions = {}) {
    super();
    checkOptionKeys('Spoofing', options, Object.keys(DEFAULT_SPOOFING_OPTIONS));
    const o = { ...DEFAULT_SPOOFING_OPTIONS, ...options };
    this.largeRatio = positiveOption('largeRatio', o.largeRatio);
    this.nearLevels = integerOption('nearLevels', o.nearLevels, 0, 100);
    this.maxLifetimeMs = positiveOption('maxLifetimeMs', o.maxLifetimeMs);
    this.maxFilledShare = nonNegativeOption('maxFilledShare', o.maxFilledShare);
    this.l1Ratio = positiveOption('l1Ratio', o.l1Ratio);
    this.vanishRatio = fractionOption('vanishRatio', o.vanishRatio);
    this.minCancels = integerOption('minCancels', o.minCancels, 1);
    this.ignoreTwoSided = o.ignoreTwoSided !== false;
    const windowMs = positiveOption('windowMs', o.windowMs);
    const halfLife = positiveOption('baselineHalfLife', o.baselineHalfLife);
    this.minSamples = integerOption('minSamples', o.minSamples, 1);
    this.orders = new OrderTable(integerOption('maxTracked', o.maxTracked, 1) * 2, FIELDS);
    this.bidCancels = new EventWindow(windowMs);
    this.askCancels = new EventWindow(windowMs);
    this.addBaseline = new Ewma({ halfLife });
    this.bidBaseline = new Ewma({ halfLife });
    this.askBaseline = new Ewma({ halfLife });
    this.levels = new Float64Array(2 * (this.nearLevels + 1)).fill(NaN);
    this.flags[2] = 1;
    this.flags[3] = 1;
  }

  /** Large orders that could not be tracked because the table was full. */
  get overflow(): number {
    return this.flags[1]!;
  }

  override onBook(book: BookSnapshot): Signal | null {
    const t = this.clock(book.ts);
    const k = this.nearLevels + 1;
    const lv = this.levels;
    for (let i = 0; i < k; i++) {
      lv[i] = i < book.bidLevels ? book.bidPx[i]! : NaN;
      lv[k + i] = i < book.askLevels ? book.askPx[i]! : NaN;
    }
    if (this.flags[0] === 1) return null;
    // L2 rule, per side.
    const a = this.l2Side(t, 1, book.bidLevels > 0 ? book.bidPx[0]! : NaN, book.bidLevels > 0 ? book.bidSz[0]! : NaN, book);
    const b = this.l2Side(t, -1, book.askLevels > 0 ? book.askPx[0]! : NaN, book.askLevels > 0 ? book.askSz[0]! : NaN, book);
    return a !== null ? a : b;
  }

  override onTrade(trade: Trade): Signal | null {
    this.clock(trade.ts);
    if (this.flags[0] === 1) return null;
    // A trade at a candidate's price explains part of its fall: add it to both sides' candidates there.
    const c = this.cand;
    const size = trade.size;
    if (!(size > 0)) return null;
    if (c[0] === trade.price) c[3] = c[3]! + size;
    if (c[4] === trade.price) c[7] = c[7]! + size;
    return null;
  }

  override onOrder(order: OrderEvent): Signal | null {
    const t = this.clock(order.ts);
    this.flags[0] = 1;
    const kind = order.kind;
    const table = this.orders;
    if (kind === 'add') {
      const size = order.size;
      if (!(size > 0) || size === Number.POSITIVE_INFINITY) return null;
      const base = this.addBaseline;
      const large = base.count >= this.minSamples && size >= this.largeRatio * base.mean;
      const mean = base.mean;
      base.update(size);
      if (large && this.isNear(order.side, order.price)) {
        let slot = table.insert(order.orderId);
        if (slot < 0) {
          this.sweep(t);
          slot = table.insert(order.orderId);
        }
        if (slot < 0) {
          this.flags[1]!++;
          return null;
        }
        const d = table.data;
        const j = slot * FIELDS;
        d[j + F_TS] = t;
        d[j + F_PRICE] = order.price;
        d[j + F_SIDE] = order.side;
        d[j + F_SIZE] = size;
        d[j + F_LEFT] = size;
        d[j + F_FILLED] = 0;
        d[j + F_BASE] = mean;
      }
      return null;
    }
    if (table.size === 0) return null;
    const slot = table.find(order.orderId);
    if (slot < 0) return null;
    const d = table.data;
    const j = slot * FIELDS;
    if (kind === 'execute' || kind === 'executeHidden') {
      d[j + F_FILLED] = d[j + F_FILLED]! + order.size;
      d[j + F_LEFT] = d[j + F_LEFT]! - order.size;
      if (!(d[j + F_LEFT]! > 0)) table.removeAt(slot);
      return null;
    }
    if (kind === 'cancel') {
      d[j + F_LEFT] = d[j + F_LEFT]! - order.size;
      if (d[j + F_LEFT]! > 0) return null;
    } else if (kind !== 'delete') {
      return null;
    }
    const addTs = d[j + F_TS]!;
    const size = d[j + F_SIZE]!;
    const filled = d[j + F_FILLED]!;
    const side = d[j + F_SIDE]! > 0 ? 1 : -1;
    const price = d[j + F_PRICE]!;
    const baseline = d[j + F_BASE]!;
    table.removeAt(slot);
    const life = t - addTs;
    // a pair of large cancellations on both sides within PAIR_MS: a two-sided quote pulled
    const o = side > 0 ? 4 : 6;
    const p = side > 0 ? 6 : 4;
    const pulledOpposite = t - this.pulls[p]! <= PAIR_MS && similar(this.pulls[p + 1]!, size);
    this.pulls[o] = t;
    this.pulls[o + 1] = size;
    if (life > this.maxLifetimeMs || filled > this.maxFilledShare * size) return null;
    if (this.ignoreTwoSided && (pulledOpposite || this.quotedOpposite(side, size))) return null;
    return this.spoofCancel(t, side, price, size, baseline, life, filled, 1);
  }

  /** Whether `price` on `side` is at most `nearLevels` levels from the touch of the last book. */
  private isNear(side: number, price: number): boolean {
    const k = this.nearLevels + 1;
    const off = side > 0 ? 0 : k;
    const best = this.levels[off]!;
    if (!(best === best)) return true; // empty side: any price is the touch
    if (side > 0 ? price >= best : price <= best) return true;
    const last = this.levels[off + this.nearLevels]!;
    if (!(last === last)) return true; // fewer levels than nearLevels + 1: within them
    return side > 0 ? price >= last : price <= last;
  }

  /** Whether a tracked large order within 10% of `size` rests on the side opposite to `side`. */
  private quotedOpposite(side: number, size: number): boolean {
    const table = this.orders;
    if (table.size === 0) return false;
    const d = table.data;
    for (let i = 0; i < table.capacity; i++) {
      const id = table.ids[i]!;
      if (id !== id) continue;
      const j = i * FIELDS;
      const other = d[j + F_SIZE]!;
      if (d[j + F_SIDE] === -side && d[j + F_LEFT]! > 0 && similar(other, size)) return true;
    }
    return false;
  }

  /** Drop tracked orders that are too old to count. */
  private sweep(t: number): void {
    const table = this.orders;
    const d = table.data;
    for (let i = 0; i < table.capacity; i++) {
      const id = table.ids[i]!;
      if (id === id && t - d[i * FIELDS + F_TS]! > this.maxLifetimeMs) {
        table.removeAt(i);
        i--; // backward shift may have moved an entry into slot i
      }
    }
  }

  private l2Side(t: number, side: 1 | -1, px: number, sz: number, book: BookSnapshot): Signal | null {
    const base = side > 0 ? this.bidBaseline : this.askBaseline;
    const c = this.cand;
    const o = side > 0 ? 0 : 4;
    let out: Signal | null = null;
    const mean = base.mean;
    const warm = base.count >= this.minSamples;
    if (c[o] === c[o]) {
      // The candidate's price: its size now (at L1, or deeper, or gone).
      const price = c[o]!;
      const now = sizeAt(side > 0 ? book.bidPx : book.askPx, side > 0 ? book.bidSz : book.askSz, side > 0 ? book.bidLevels : book.askLevels, price, side);
      if (t - c[o + 2]! > this.maxLifetimeMs) {
        c[o] = NaN;
      } else if (now < this.vanishRatio * mean) {
        const fall = c[o + 1]! - now;
        const traded = c[o + 3]!;
        const start = c[o + 2]!;
        const peak = c[o + 1]!;
        c[o] = NaN;
        if (traded < 0.5 * fall) out = this.spoofCancel(t, side, price, peak, mean, t - start, traded, 0);
      } else if (now > c[o + 1]!) {
        c[o + 1] = now;
      }
    }
    if (warm && c[o] !== c[o] && sz > this.l1Ratio * mean) {
      c[o] = px;
      c[o + 1] = sz;
      c[o + 2] = t;
      c[o + 3] = 0;
    }
    if (sz === sz && sz !== Number.POSITIVE_INFINITY) base.update(sz);
    return out;
  }

  private spoofCancel(
    t: number,
    side: 1 | -1,
    price: number,
    size: number,
    baseline: number,
    life: number,
    filled: number,
    l3: number,
  ): Signal | null {
    const w = side > 0 ? this.bidCancels : this.askCancels;
    const fi = side > 0 ? 2 : 3;
    if (w.evict(t) === 0) this.flags[fi] = 1;
    const n = w.push(t);
    if (n < this.minCancels || this.flags[fi] === 0) return null;
    this.flags[fi] = 0;
    const huge = l3 === 1 ? size >= 2 * this.largeRatio * baseline : size >= 2 * this.l1Ratio * baseline;
    return this.signal(t, huge ? 'critical' : 'warning', side, price, n, {
      cancels: n,
      size,
      baselineSize: baseline,
      lifetimeMs: life,
      filled,
      l3,
    });
  }

  reset(): void {
    this.resetBase();
    this.orders.clear();
    this.bidCancels.clear();
    this.askCancels.clear();
    this.addBaseline.reset();
    this.bidBaseline.reset();
    this.askBaseline.reset();
    this.levels.fill(NaN);
    this.flags.fill(0);
    this.flags[2] = 1;
    this.flags[3] = 1;
    this.cand.fill(NaN);
    this.pulls.fill(NaN);
  }

  snapshot(): SpoofingState {
    return {
      type: 'Spoofing',
      version: 1,
      clock: this.baseState(),
      values: encodeList([...this.flags, ...this.cand, ...this.pulls.subarray(4)]),
      levels: encodeList(this.levels),
      orders: this.orders.encode(),
      bidCancels: this.bidCancels.encode(),
      askCancels: this.askCancels.encode(),
      addBaseline: this.addBaseline.snapshot(),
      bidBaseline: this.bidBaseline.snapshot(),
      askBaseline: this.askBaseline.snapshot(),
    };
  }

  restore(state: SpoofingState): void {
    const T = 'Spoofing';
    checkState(state, T, 1);
    const v = stateNumbers(T, 'values', state.values, 16, 16);
    const lv = stateNumbers(T, 'levels', state.levels, this.levels.length, this.levels.length);
    this.addBaseline.restore(stateObject<EwmaState>(T, 'addBaseline', state.addBaseline));
    this.bidBaseline.restore(stateObject<EwmaState>(T, 'bidBaseline', state.bidBaseline));
    this.askBaseline.restore(stateObject<EwmaState>(T, 'askBaseline', state.askBaseline));
    this.orders.decode(T, 'orders', state.orders);
    this.bidCancels.decode(T, 'bidCancels', state.bidCancels);
    this.askCancels.decode(T, 'askCancels', state.askCancels);
    this.restoreBase(T, state.clock);
    this.flags.set(v.slice(0, 4));
    this.cand.set(v.slice(4, 12));
    this.pulls.set(v.slice(12), 4);
    this.levels.set(lv);
  }
}

/** Sizes within 10% of each other. */
function similar(a: number, b: number): boolean {
  return a >= 0.9 * b && a <= b / 0.9;
}

/** Size at `price` among the first `n` levels (0 when absent). */
function sizeAt(px: Float64Array, sz: Float64Array, n: number, price: number, _side: number): number {
  for (let i = 0; i < n; i++) if (px[i] === price) return sz[i]!;
  return 0;
}
