import type { OrderEvent } from '../core/events.js';
import { InvalidStateError } from '../core/errors.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { Ewma, type EwmaState } from '../stats/ewma.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { encodeList, OrderTable, stateNumbers, stateObject } from './internal.js';

/** Options of {@link Layering}. */
export interface LayeringOptions {
  /**
   * Orders of at least this many distinct prices on one side, cancelled together, fire.
   * @defaultValue 4
   */
  minOrders?: number;
  /**
   * An order counts when its size is at least `largeRatio` times the baseline mean size of added orders.
   * @defaultValue 3.5
   */
  largeRatio?: number;
  /**
   * "Together": all the cancellations within this many ms.
   * @defaultValue 50
   */
  cancelWindowMs?: number;
  /**
   * "Stacked": all the orders were added within this many ms of each other.
   * @defaultValue 200
   */
  addWindowMs?: number;
  /**
   * An order counts when it is deleted within this time of being added, ms.
   * @defaultValue 10000
   */
  maxLifetimeMs?: number;
  /**
   * Executed share of an order above which its cancellation does not count.
   * @defaultValue 0
   */
  maxFilledShare?: number;
  /**
   * Half-life of the baseline mean size of added orders, in orders.
   * @defaultValue 5000
   */
  baselineHalfLife?: number;
  /**
   * Added orders in the baseline before the detector can fire.
   * @defaultValue 500
   */
  minSamples?: number;
  /**
   * Large orders tracked at once; more are counted in `overflow` and not tracked.
   * @defaultValue 4096
   */
  maxTracked?: number;
}

/** Defaults of {@link LayeringOptions}. */
export const DEFAULT_LAYERING_OPTIONS: Readonly<Required<LayeringOptions>> = Object.freeze({
  minOrders: 4,
  largeRatio: 3.5,
  cancelWindowMs: 50,
  addWindowMs: 200,
  maxLifetimeMs: 10_000,
  maxFilledShare: 0,
  baselineHalfLife: 5000,
  minSamples: 500,
  maxTracked: 4096,
});

/** State of a {@link Layering}. */
export interface LayeringState extends BaseDetectorState {
  readonly type: 'Layering';
  readonly version: 1;
  /** `[overflow, lastFireBid, lastFireAsk]`. */
  readonly values: ReadonlyArray<number | string>;
  readonly orders: ReadonlyArray<ReadonlyArray<number | string>>;
  /** Recent qualifying cancellations per side: `[ts, price, addTs, size]` rows, flattened, oldest first. */
  readonly bid: ReadonlyArray<number | string>;
  readonly ask: ReadonlyArray<number | string>;
  readonly baseline: EwmaState;
}

const F_TS = 0;
const F_PRICE = 1;
const F_SIDE = 2;
const F_SIZE = 3;
const F_LEFT = 4;
const F_FILLED = 5;
const FIELDS = 6;
/** Recent cancellations kept per side. */
const RING = 16;
const ROW = 4;

/**
 * Layering: several large orders stacked at different prices on one side, added together and
 * cancelled together without being executed.
 *
 * ```text
 * a qualifying cancellation = the delete of an order with size >= largeRatio * mean added size (EWMA),
 *                             filled share <= maxFilledShare, lifetime <= maxLifetimeMs
 * fires when one side shows qualifying cancellations at >= minOrders distinct prices
 *        within cancelWindowMs, whose orders were all added within addWindowMs of each other
 * ```
 *
 * Layering is spoofing with several orders at several price levels (FINRA Rule 5210 guidance and the
 * FCA's Market Watch 50; e.g. the SEC's case against Lek Securities / Avalon FA, 2017): depth is
 * built behind the touch to suggest pressure, a genuine order trades on the other side, and the layers
 * are pulled at once. Requiring that the layers were *added* together and *cancelled* together, and
 * are large, separates them from a market maker re-quoting (one order a side, cancelled and replaced)
 * and from the independent cancellations of the background flow. Needs L3 order events: on L2 data a
 * level that shrinks could be many small cancellations, and the detector stays silent.
 *
 * - Input: order events. Output: a {@link Signal} (`kind: 'layering'`, `side` the side of the layers,
 *   `price` the last cancelled layer's price, `score` = layers; evidence `layers, totalSize,
 *   baselineSize, cancelSpanMs, addSpanMs`), `'critical'` when the layers hold at least twice the
 *   smallest stack that qualifies (`totalSize >= 2 * minOrders * largeRatio * baselineSize`).
 * - Warm-up: `minSamples` added orders. At most one signal per side per `cancelWindowMs`.
 * - Cannot see: the account behind the orders (several participants cancelling at once after news
 *   look the same, but rarely added their orders together), or the intent.
 *
 * @example
 * ```ts
 * const d = new Layering({ minSamples: 50 });
 * for (let i = 0; i < 50; i++) d.onOrder({ ts: i, kind: 'add', orderId: 100 + i, size: 100, price: 99.9, side: 1 });
 * const price = (i: number) => Math.round(9998 - i) / 100; // 99.98, 99.97, 99.96, 99.95
 * for (let i = 0; i < 4; i++) d.onOrder({ ts: 100 + 20 * i, kind: 'add', orderId: i + 1, size: 500, price: price(i), side: 1 });
 * for (let i = 0; i < 3; i++) d.onOrder({ ts: 2000 + 5 * i, kind: 'delete', orderId: i + 1, size: 500, price: price(i), side: 1 }); // null
 * d.onOrder({ ts: 2015, kind: 'delete', orderId: 4, size: 500, price: price(3), side: 1 })?.evidence.layers; // 4
 * ```
 */
export class Layering extends BaseDetector<LayeringState> {
  readonly kind = 'layering';
  readonly inputs = DetectorInput.Order;
  private readonly minOrders: number;
  private readonly largeRatio: number;
  private readonly cancelWindowMs: number;
  private readonly addWindowMs: number;
  private readonly maxLifetimeMs: number;
  private readonly maxFilledShare: number;
  private readonly minSamples: number;
  private readonly orders: OrderTable;
  private readonly baseline: Ewma;
  /** Per side (bid 0, ask 1): a ring of RING rows of `[ts, price, addTs, size]`. */
  private readonly rings = [new Float64Array(RING * ROW), new Float64Array(RING * ROW)] as const;
  private readonly heads = new Int32Array(2);
  private readonly counts = new Int32Array(2);
  /** `[overflow, lastFireBid, lastFireAsk]`. */
  private readonly values = new Float64Array([0, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);

  constructor(options: LayeringOptions = {}) {
    super();
    checkOptionKeys('Layering', options, Object.keys(DEFAULT_LAYERING_OPTIONS));
    const o = { ...DEFAULT_LAYERING_OPTIONS, ...options };
    this.minOrders = integerOption('minOrders', o.minOrders, 2, RING);
    this.largeRatio = positiveOption('largeRatio', o.largeRatio);
    this.cancelWindowMs = positiveOption('cancelWindowMs', o.cancelWindowMs);
    this.addWindowMs = nonNegativeOption('addWindowMs', o.addWindowMs);
    this.maxLifetimeMs = positiveOption('maxLifetimeMs', o.maxLifetimeMs);
    this.maxFilledShare = nonNegativeOption('maxFilledShare', o.maxFilledShare);
    this.minSamples = integerOption('minSamples', o.minSamples, 1);
    this.orders = new OrderTable(integerOption('maxTracked', o.maxTracked, 1) * 2, FIELDS);
    this.baseline = new Ewma({ halfLife: positiveOption('baselineHalfLife', o.baselineHalfLife) });
  }

  /** Large orders that could not be tracked because the table was full. */
  get overflow(): number {
    return this.values[0]!;
  }

  override onOrder(order: OrderEvent): Signal | null {
    const t = this.clock(order.ts);
    const kind = order.kind;
    const table = this.orders;
    if (kind === 'add') {
      const size = order.size;
      if (!(size > 0) || size === Number.POSITIVE_INFINITY) return null;
      const base = this.baseline;
      const large = base.count >= this.minSamples && size >= this.largeRatio * base.mean;
      base.update(size);
      if (!large) return null;
      let slot = table.insert(order.orderId);
      if (slot < 0) {
        this.sweep(t);
        slot = table.insert(order.orderId);
      }
      if (slot < 0) {
        this.values[0]!++;
        return null;
      }
      const j = slot * FIELDS;
      const d = table.data;
      d[j + F_TS] = t;
      d[j + F_PRICE] = order.price;
      d[j + F_SIDE] = order.side;
      d[j + F_SIZE] = size;
      d[j + F_LEFT] = size;
      d[j + F_FILLED] = 0;
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
    table.removeAt(slot);
    if (t - addTs > this.maxLifetimeMs || filled > this.maxFilledShare * size) return null;
    return this.cancelled(t, side, price, addTs, size);
  }

  private cancelled(t: number, side: 1 | -1, price: number, addTs: number, size: number): Signal | null {
    const s = side > 0 ? 0 : 1;
    const ring = this.rings[s];
    // append
    const at = (this.heads[s]! + this.counts[s]!) % RING;
    if (this.counts[s] === RING) this.heads[s] = (this.heads[s]! + 1) % RING;
    else this.counts[s]!++;
    ring[at * ROW] = t;
    ring[at * ROW + 1] = price;
    ring[at * ROW + 2] = addTs;
    ring[at * ROW + 3] = size;
    if (t - this.values[1 + s]! < this.cancelWindowMs) return null;
    // The rows within the cancel window whose add times lie within addWindowMs of this order's: count
    // distinct prices (rows are few: a quadratic scan is fine).
    let layers = 0;
    let total = 0;
    let firstCancel = t;
    let minAdd = addTs;
    let maxAdd = addTs;
    const n = this.counts[s]!;
    const h = this.heads[s]!;
    for (let k = 0; k < n; k++) {
      const r = ((h + k) % RING) * ROW;
      const ts = ring[r]!;
      const a = ring[r + 2]!;
      if (t - ts > this.cancelWindowMs || a < addTs - this.addWindowMs || a > addTs + this.addWindowMs) continue;
      const p = ring[r + 1]!;
      let dup = false;
      for (let m = 0; m < k; m++) {
        const q = ((h + m) % RING) * ROW;
        const qa = ring[q + 2]!;
        if (ring[q + 1] === p && t - ring[q]! <= this.cancelWindowMs && qa >= addTs - this.addWindowMs && qa <= addTs + this.addWindowMs) {
          dup = true;
          break;
        }
      }
      if (dup) continue;
      layers++;
      total += ring[r + 3]!;
      if (ts < firstCancel) firstCancel = ts;
      if (a < minAdd) minAdd = a;
      if (a > maxAdd) maxAdd = a;
    }
    if (layers < this.minOrders || maxAdd - minAdd > this.addWindowMs) return null;
    this.values[1 + s] = t;
    const heavy = total >= 2 * this.minOrders * this.largeRatio * this.baseline.mean;
    return this.signal(t, heavy ? 'critical' : 'warning', side, price, layers, {
      layers,
      totalSize: total,
      baselineSize: this.baseline.mean,
      cancelSpanMs: t - firstCancel,
      addSpanMs: maxAdd - minAdd,
    });
  }

  private sweep(t: number): void {
    const table = this.orders;
    for (let i = 0; i < table.capacity; i++) {
      const id = table.ids[i]!;
      if (id === id && t - table.data[i * FIELDS + F_TS]! > this.maxLifetimeMs) {
        table.removeAt(i);
        i--;
      }
    }
  }

  reset(): void {
    this.resetBase();
    this.orders.clear();
    this.baseline.reset();
    this.heads.fill(0);
    this.counts.fill(0);
    this.values[0] = 0;
    this.values[1] = Number.NEGATIVE_INFINITY;
    this.values[2] = Number.NEGATIVE_INFINITY;
  }

  private encodeRing(s: number): Array<number | string> {
    const out: number[] = [];
    const ring = this.rings[s as 0 | 1];
    for (let k = 0; k < this.counts[s]!; k++) {
      const r = ((this.heads[s]! + k) % RING) * ROW;
      for (let f = 0; f < ROW; f++) out.push(ring[r + f]!);
    }
    return encodeList(out);
  }

  private decodeRing(s: number, name: string, value: unknown): void {
    const xs = stateNumbers('Layering', name, value, RING * ROW);
    if (xs.length % ROW !== 0) throw new InvalidStateError('Layering', `${name} must hold rows of ${ROW} numbers`);
    this.rings[s as 0 | 1].set(xs);
    this.heads[s] = 0;
    this.counts[s] = xs.length / ROW;
  }

  snapshot(): LayeringState {
    return {
      type: 'Layering',
      version: 1,
      clock: this.baseState(),
      values: encodeList(this.values),
      orders: this.orders.encode(),
      bid: this.encodeRing(0),
      ask: this.encodeRing(1),
      baseline: this.baseline.snapshot(),
    };
  }

  restore(state: LayeringState): void {
    const T = 'Layering';
    checkState(state, T, 1);
    const v = stateNumbers(T, 'values', state.values, 3, 3);
    this.baseline.restore(stateObject<EwmaState>(T, 'baseline', state.baseline));
    this.orders.decode(T, 'orders', state.orders);
    this.decodeRing(0, 'bid', state.bid);
    this.decodeRing(1, 'ask', state.ask);
    this.restoreBase(T, state.clock);
    this.values.set(v);
  }
}
