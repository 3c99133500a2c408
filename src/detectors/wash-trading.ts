import type { OrderEvent, Trade } from '../core/events.js';
import { InvalidOptionError } from '../core/errors.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { encodeList, stateNumbers } from './internal.js';

/** Options of {@link WashTrading}. */
export interface WashTradingOptions {
  /**
   * Two prints match when they are at most this far apart, ms.
   * @defaultValue 100
   */
  windowMs?: number;
  /**
   * A match fires only when the number of chance matches expected for it is at most this (see the
   * class notes).
   * @defaultValue 0.02
   */
  maxChance?: number;
  /**
   * With L3 order events: both prints must have executed an order added at most this long before,
   * ms (a pre-arranged cross rests only for an instant); `Infinity` turns the test off.
   * @defaultValue 50
   */
  freshMs?: number;
  /**
   * Half-life of the trade-size frequencies, in trades.
   * @defaultValue 5000
   */
  sizeHalfLife?: number;
  /**
   * Trades in the size frequencies before the detector can fire.
   * @defaultValue 200
   */
  minTrades?: number;
  /**
   * Buckets of the size-frequency table (a power of two; sizes that collide share a count, which only
   * makes the chance estimate larger, i.e. the rule more cautious).
   * @defaultValue 4096
   */
  sizeBuckets?: number;
}

/** Defaults of {@link WashTradingOptions}. */
export const DEFAULT_WASH_TRADING_OPTIONS: Readonly<Required<WashTradingOptions>> = Object.freeze({
  windowMs: 100,
  maxChance: 0.02,
  freshMs: 50,
  sizeHalfLife: 5000,
  minTrades: 200,
  sizeBuckets: 4096,
});

/** State of a {@link WashTrading}. */
export interface WashTradingState extends BaseDetectorState {
  readonly type: 'WashTrading';
  readonly version: 1;
  /** `[weight, trades, sawOrder, lastExecTs, lastExecFresh, scale]`. */
  readonly values: ReadonlyArray<number | string>;
  /** Recent trades: `[ts, price, size, side, fresh, matched, weight]` rows, flattened, oldest first. */
  readonly recent: ReadonlyArray<number | string>;
  /** Size frequencies: `[bucket, weight]` pairs of the non-zero buckets. */
  readonly sizes: ReadonlyArray<number | string>;
  /** Recent adds: `[id, ts]` pairs, oldest first. */
  readonly adds: ReadonlyArray<number | string>;
}

const ROW = 7;
const RECENT = 64;
const ADDS = 64;

/**
 * Wash trading: two prints of the same size at the same price with opposite aggressor sides, a moment
 * apart: a round trip that changes no one's position.
 *
 * ```text
 * match  : a trade (side s != 0) and an earlier unmatched trade within windowMs with side -s, the same
 *          size and the same price
 * chance : E = n * f(size), n = trades of side -s at that price in the window, f = decayed share of
 *          earlier trades of exactly that size, the matched print left out (a chance match of
 *          independent traders is expected E times)
 * fires when E <= maxChance; with L3 order events, both prints must also have executed an order
 *        added at most freshMs before (the resting half of a pre-arranged cross)
 * ```
 *
 * Wash trades are prohibited by the Commodity Exchange Act s. 4c(a) and SEC Rule 10b-5 / Exchange
 * Act s. 9(a)(1) ("no change in beneficial ownership"); detection from the tape follows the matched-
 * print approach of Cao, Li, Coleman, Belatreche & McGinnity (2015), "Detecting wash trade in
 * financial market using digraphs and dynamic programming", IEEE TNNLS 27(11) (without account ids).
 *
 * **What L2 data (prints and books) can show**: two prints that mirror each other, and how unlikely
 * that is by chance (E). **What it cannot**: who traded. Without account or beneficial-owner ids, a
 * round trip by one owner and a coincidence of two independent traders print identically; common
 * round lots (100 shares) make coincidences frequent, which E accounts for by making such matches
 * fire less. A self-match within one order (one print) is invisible. With L3 data the freshness of
 * the resting orders adds evidence (an order added and filled in the same instant), still not proof.
 *
 * - Input: trades (price, size, side), order events (adds and executions, for freshness). Output: a
 *   {@link Signal} (`kind: 'washTrading'`, `side` 0, `price` the print price, `score` = 1 / max(E,
 *   1e-9); evidence `size, chance, gapMs, sizeShare, fresh` (1 when L3 data showed both resting
 *   orders fresh)), `'critical'` when E <= maxChance / 10.
 * - Warm-up: `minTrades` trades. Trades with side 0 are only used in the frequencies.
 * - Cannot see: accounts; crosses split into different sizes; round trips slower than `windowMs`.
 *
 * @example
 * ```ts
 * const d = new WashTrading({ minTrades: 3 });
 * [100, 200, 300].forEach((size, i) => d.onTrade({ ts: i * 1000, price: 10, size, side: 1 }));
 * d.onTrade({ ts: 5000, price: 10.01, size: 137, side: 1 });                 // null
 * d.onTrade({ ts: 5000, price: 10.01, size: 137, side: -1 })?.evidence.chance; // 0 (no other 137)
 * ```
 */
export class WashTrading extends BaseDetector<WashTradingState> {
  readonly kind = 'washTrading';
  readonly inputs = DetectorInput.Trade | DetectorInput.Order;
  private readonly windowMs: number;
  private readonly maxChance: number;
  private readonly freshMs: number;
  private readonly decay: number;
  private readonly minTrades: number;
  private readonly mask: number;
  /** Size weights per bucket, scaled by `scale` (lazy decay). */
  private readonly freq: Float64Array;
  private readonly recent = new Float64Array(RECENT * ROW);
  private head = 0;
  private n = 0;
  private readonly adds = new Float64Array(ADDS * 2);
  private addHead = 0;
  private addN = 0;
  /** `[weight, trades, sawOrder, lastExecTs, lastExecFresh]`; weight = total of `freq` (scaled). */
  private readonly v = new Float64Array(5);
  private scale = 1;

  constructor(options: WashTradingOptions = {}) {
    super();
    checkOptionKeys('WashTrading', options, Object.keys(DEFAULT_WASH_TRADING_OPTIONS));
    const o = { ...DEFAULT_WASH_TRADING_OPTIONS, ...options };
    this.windowMs = nonNegativeOption('windowMs', o.windowMs);
    this.maxChance = positiveOption('maxChance', o.maxChance);
    this.freshMs = o.freshMs === Number.POSITIVE_INFINITY ? Infinity : nonNegativeOption('freshMs', o.freshMs);
    this.decay = Math.exp(-Math.LN2 / positiveOption('sizeHalfLife', o.sizeHalfLife));
    this.minTrades = integerOption('minTrades', o.minTrades, 1);
    const buckets = integerOption('sizeBuckets', o.sizeBuckets, 16, 1 << 20);
    if ((buckets & (buckets - 1)) !== 0) throw new InvalidOptionError('sizeBuckets', buckets, 'a power of two in [16, 2^20]');
    this.mask = buckets - 1;
    this.freq = new Float64Array(buckets);
    this.v[3] = NaN;
  }

  private bucket(size: number): number {
    const lo = size | 0;
    const frac = ((size - lo) * 1e6) | 0;
    let h = Math.imul(lo ^ Math.imul(frac, 0x27d4eb2d), 0x9e3779b1);
    h ^= h >>> 16;
    return h & this.mask;
  }

  override onOrder(order: OrderEvent): Signal | null {
    const t = this.clock(order.ts);
    this.v[2] = 1;
    const kind = order.kind;
    if (kind === 'add') {
      const i = (this.addHead + this.addN) % ADDS;
      if (this.addN === ADDS) this.addHead = (this.addHead + 1) % ADDS;
      else this.addN++;
      this.adds[2 * i] = order.orderId;
      this.adds[2 * i + 1] = t;
    } else if (kind === 'execute' || kind === 'executeHidden') {
      let fresh = 0;
      for (let k = this.addN - 1; k >= 0; k--) {
        const i = (this.addHead + k) % ADDS;
        if (this.adds[2 * i] === order.orderId) {
          fresh = t - this.adds[2 * i + 1]! <= this.freshMs ? 1 : 0;
          break;
        }
      }
      this.v[3] = t;
      this.v[4] = fresh;
    }
    return null;
  }

  override onTrade(trade: Trade): Signal | null {
    const t = this.clock(trade.ts);
    const size = trade.size;
    const price = trade.price;
    if (!(size > 0) || size === Number.POSITIVE_INFINITY || price - price !== 0) return null;
    const v = this.v;
    // size frequency: decay all weights by `decay` per trade, lazily through `scale`
    this.scale /= this.decay;
    if (this.scale > 1e100) this.rescale();
    const b = this.bucket(size);
    const prior = this.freq[b]!;
    const total = v[0]!;
    this.freq[b] = prior + this.scale;
    v[0] = v[0]! + this.scale;
    v[1] = v[1]! + 1;
    const side = trade.side === 1 ? 1 : trade.side === -1 ? -1 : 0;
    // freshness of this print's resting order (L3): the execution just before it, at its time
    const fresh = v[2] === 1 ? (v[3] === t && v[4] === 1 ? 1 : 0) : 1;
    // scan the window for a match; count opposite trades at this price
    let match = -1;
    let opposite = 0;
    const r = this.recent;
    for (let k = this.n - 1; k >= 0; k--) {
      const i = ((this.head + k) % RECENT) * ROW;
      if (t - r[i]! > this.windowMs) break;
      if (side === 0 || r[i + 3] !== -side || r[i + 1] !== price) continue;
      opposite++;
      if (match < 0 && r[i + 2] === size && r[i + 5] === 0) match = i;
    }
    this.push(t, price, size, side, fresh);
    if (match < 0 || v[1]! < this.minTrades) return null;
    // the share of this size among the earlier trades, the matched print itself left out
    const w = r[match + 6]!;
    const share = total - w > 0 ? (prior - w) / (total - w) : 0;
    const chance = opposite * share;
    if (chance > this.maxChance) return null;
    const bothFresh = v[2] === 1 && fresh === 1 && r[match + 4] === 1;
    if (v[2] === 1 && this.freshMs !== Infinity && !bothFresh) return null;
    r[match + 5] = 1;
    const last = ((this.head + this.n - 1) % RECENT) * ROW;
    r[last + 5] = 1;
    const floor = chance > 1e-9 ? chance : 1e-9;
    return this.signal(t, chance <= this.maxChance / 10 ? 'critical' : 'warning', 0, price, 1 / floor, {
      size,
      chance,
      gapMs: t - r[match]!,
      sizeShare: share,
      fresh: bothFresh ? 1 : 0,
    });
  }

  private push(t: number, price: number, size: number, side: number, fresh: number): void {
    const at = (this.head + this.n) % RECENT;
    if (this.n === RECENT) this.head = (this.head + 1) % RECENT;
    else this.n++;
    const i = at * ROW;
    const r = this.recent;
    r[i] = t;
    r[i + 1] = price;
    r[i + 2] = size;
    r[i + 3] = side;
    r[i + 4] = fresh;
    r[i + 5] = 0;
    r[i + 6] = this.scale;
  }

  private rescale(): void {
    const s = this.scale;
    for (let i = 0; i < this.freq.length; i++) this.freq[i] = this.freq[i]! / s;
    for (let k = 0; k < RECENT; k++) this.recent[k * ROW + 6] = this.recent[k * ROW + 6]! / s;
    this.v[0] = this.v[0]! / s;
    this.scale = 1;
  }

  reset(): void {
    this.resetBase();
    this.freq.fill(0);
    this.head = 0;
    this.n = 0;
    this.addHead = 0;
    this.addN = 0;
    this.v.fill(0);
    this.v[3] = NaN;
    this.scale = 1;
  }

  snapshot(): WashTradingState {
    const recent: number[] = [];
    for (let k = 0; k < this.n; k++) {
      const i = ((this.head + k) % RECENT) * ROW;
      for (let f = 0; f < ROW; f++) recent.push(this.recent[i + f]!);
    }
    const sizes: number[] = [];
    for (let i = 0; i < this.freq.length; i++) if (this.freq[i] !== 0) sizes.push(i, this.freq[i]!);
    const adds: number[] = [];
    for (let k = 0; k < this.addN; k++) {
      const i = (this.addHead + k) % ADDS;
      adds.push(this.adds[2 * i]!, this.adds[2 * i + 1]!);
    }
    return {
      type: 'WashTrading',
      version: 1,
      clock: this.baseState(),
      values: encodeList([...this.v, this.scale]),
      recent: encodeList(recent),
      sizes: encodeList(sizes),
      adds: encodeList(adds),
    };
  }

  restore(state: WashTradingState): void {
    const T = 'WashTrading';
    checkState(state, T, 1);
    const v = stateNumbers(T, 'values', state.values, 6, 6);
    const recent = stateNumbers(T, 'recent', state.recent, RECENT * ROW);
    const sizes = stateNumbers(T, 'sizes', state.sizes, 2 * this.freq.length);
    const adds = stateNumbers(T, 'adds', state.adds, 2 * ADDS);
    this.restoreBase(T, state.clock);
    this.reset0();
    this.v.set(v.slice(0, 5));
    this.scale = v[5]!;
    this.recent.set(recent);
    this.n = Math.floor(recent.length / ROW);
    for (let k = 0; k + 1 < sizes.length; k += 2) this.freq[sizes[k]! & this.mask] = sizes[k + 1]!;
    this.adds.set(adds);
    this.addN = Math.floor(adds.length / 2);
  }

  private reset0(): void {
    this.freq.fill(0);
    this.head = 0;
    this.n = 0;
    this.addHead = 0;
    this.addN = 0;
    this.scale = 1;
  }
}
