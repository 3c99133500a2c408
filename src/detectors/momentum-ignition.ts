import type { BookSnapshot, Trade } from '../core/events.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, fractionOption, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { Ewma, type EwmaState } from '../stats/ewma.js';
import { TimeRollingStats, type TimeRollingStatsState } from '../stats/time-rolling-stats.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { EventWindow, encodeList, stateNumbers, stateObject, WindowExtremum } from './internal.js';

/** Options of {@link MomentumIgnition}. */
export interface MomentumIgnitionOptions {
  /**
   * The window of an aggressive burst, ms (also the bucket of the volume baseline).
   * @defaultValue 2000
   */
  windowMs?: number;
  /**
   * Ignition: the aggressive volume of one direction in the window is at least `volumeRatio` times
   * the baseline's mean aggressive volume (both directions) per window ...
   * @defaultValue 4
   */
  volumeRatio?: number;
  /**
   * ... and at least `volumeZ` baseline standard deviations above the baseline mean (volume per window
   * is heavy-tailed where trading is sparse: a ratio to the mean alone is easy to meet there) ...
   * @defaultValue 5
   */
  volumeZ?: number;
  /**
   * ... at least this share of the window's aggressive volume ...
   * @defaultValue 0.8
   */
  minImbalance?: number;
  /**
   * ... from at least this many aggressive prints at distinct times (a series of orders, not one
   * sweep) ...
   * @defaultValue 4
   */
  minShots?: number;
  /**
   * ... and the price moved its way by at least this many bps within the window.
   * @defaultValue 3
   */
  minMoveBps?: number;
  /**
   * ... and by at least `moveZ` baseline standard deviations of a `windowMs` price change.
   * @defaultValue 3
   */
  moveZ?: number;
  /**
   * How long after the ignition its reversal is looked for, ms.
   * @defaultValue 15000
   */
  reversalMs?: number;
  /**
   * Reversal: aggressive volume the other way in the window of at least `reversalVolumeRatio` times
   * the baseline volume per window ...
   * @defaultValue 1.5
   */
  reversalVolumeRatio?: number;
  /**
   * ... and at least this share of the window's aggressive volume ...
   * @defaultValue 0.4
   */
  reversalImbalance?: number;
  /**
   * ... and at least this share of the ignition's own volume (the unwind of a material part of the
   * position the burst built: a scale-free bar, where ratios to the mean window volume are not, on a
   * stock that trades rarely and in heavy-tailed bursts) ...
   * @defaultValue 0.25
   */
  reversalShare?: number;
  /**
   * ... and, when > 0, the price giving back at least this share of the move (pre-ignition price to
   * the extreme since) within `windowMs` of that flow (0: the flow alone is the reversal).
   * @defaultValue 0
   */
  retraceShare?: number;
  /**
   * Half-life of the baseline aggressive volume per window, ms (fed outside ignitions).
   * @defaultValue 300000
   */
  baselineHalfLifeMs?: number;
  /**
   * Time of baseline history before the detector can fire, ms.
   * @defaultValue 30000
   */
  warmupMs?: number;
}

/** Defaults of {@link MomentumIgnitionOptions}. */
export const DEFAULT_MOMENTUM_IGNITION_OPTIONS: Readonly<Required<MomentumIgnitionOptions>> = Object.freeze({
  windowMs: 2000,
  volumeRatio: 4,
  volumeZ: 5,
  minImbalance: 0.8,
  minShots: 4,
  minMoveBps: 3,
  moveZ: 3,
  reversalMs: 15_000,
  reversalVolumeRatio: 1.5,
  reversalImbalance: 0.4,
  reversalShare: 0.25,
  retraceShare: 0,
  baselineHalfLifeMs: 300_000,
  warmupMs: 30_000,
});

/** State of a {@link MomentumIgnition}. */
export interface MomentumIgnitionState extends BaseDetectorState {
  readonly type: 'MomentumIgnition';
  readonly version: 1;
  /** See the private field list `V_*` of the source; NaN-safe encoded. */
  readonly values: ReadonlyArray<number | string>;
  readonly buy: TimeRollingStatsState;
  readonly sell: TimeRollingStatsState;
  readonly buyShots: ReadonlyArray<number | string>;
  readonly sellShots: ReadonlyArray<number | string>;
  readonly max: ReadonlyArray<number | string>;
  readonly min: ReadonlyArray<number | string>;
  readonly baseline: EwmaState;
  readonly volatility: EwmaState;
}

const MAX_GAP_WINDOWS = 1000;
// value slots
const V_FIRST = 0; // first trade ts
const V_PRICE = 1; // current price
const V_SAW_BOOK = 2;
const V_BUCKET = 3; // bucket start
const V_BUCKET_VOL = 4;
const V_IGN_TS = 5; // ignition time (NaN: none)
const V_IGN_SIDE = 6;
const V_IGN_FROM = 7; // price before the ignition
const V_IGN_PEAK = 8; // extreme since
const V_IGN_VOL = 9;
const V_FLOW_TS = 10; // time of the reversing flow (NaN: none yet)
const V_LAST_BUY = 11; // last aggressive print times (for distinct shots)
const V_LAST_SELL = 12;
const V_BUCKET_PRICE = 13; // price at the bucket start
const V_IGN_SIGMA = 14; // sigma of a window's log price change at the ignition
const V_IGN_SHOTS = 15; // prints at distinct times in the ignition window
const V_REV_VOL = 16; // the reversing flow's volume in its window
const V_N = 17;

/**
 * Momentum ignition: a series of aggressive orders in one direction that moves the price, followed by
 * a reversal: the price falls back while aggressive flow runs the other way (the igniter unwinding
 * into the followers).
 *
 * ```text
 * V+, V-   = aggressive buy and sell volume in (t - windowMs, t]   (trade.side; the tick rule if 0)
 * N+, N-   = aggressive prints at distinct times in the window
 * E, sd    = EWMA mean and standard deviation of V+ + V- per windowMs bucket (buckets during an
 *            ignition left out)
 * sigma    = sqrt(EWMA of squared log price changes over windowMs buckets)
 * ignition : V_s >= volumeRatio * E, V_s >= E + volumeZ * sd, V_s >= minImbalance (V+ + V-), N_s >= minShots, and the price
 *            moved in direction s from the window's extreme by >= max(minMoveBps, moveZ * sigma)
 * reversal : from windowMs to reversalMs after the ignition, V_-s >= reversalVolumeRatio * E, V_-s >= reversalImbalance (V+ + V-)
 *            and V_-s >= reversalShare * V_ign (the ignition's volume),
 *            and within windowMs of that flow the price gives back >= retraceShare of the move
 *            (from the pre-ignition price to the extreme since)
 * fires at the reversal; one signal per ignition
 * ```
 *
 * The pattern of the SEC's 2010 "Concept release on equity market structure" (s. IV.B.2: "initiate a
 * series of orders and trades ... in an attempt to ignite a rapid price move ... the strategy profits
 * by ... unwinding") and of ESMA's 2012 guidelines on automated trading. Several prints at distinct
 * times keep one large sweep from reading as an ignition; requiring both the opposite flow and the
 * price retrace keeps an honest large order that trades, and the ordinary bounce of the mid, silent.
 * The price of that is delay: the signal comes when the igniter unwinds, not when the burst starts.
 *
 * - Input: trades (size, side; the tick rule on the trade price when the side is 0) and books (the
 *   mid; trade prices are used while no book has been seen). Output: a {@link Signal}
 *   (`kind: 'momentumIgnition'`, `side` the ignition's direction (+1 buying), `price` the price at
 *   the reversal, `score` = ignition volume / E; evidence `ignitionVolume, expected, moveBps,
 *   retraceShare, sinceIgnitionMs, moveZ` (the move in sigmas), `shots`, `reversalVolume`), `'critical'` when the move was at least 3 x minMoveBps.
 * - Warm-up: `warmupMs` of history.
 * - Cannot see: who traded (the followers and the igniter are anonymous), so an honest reversal after
 *   an honest burst (news digested) looks the same.
 *
 * @example
 * ```ts
 * const d = new MomentumIgnition({ warmupMs: 10_000, minShots: 3 });
 * // 100 shares every 500 ms, alternating sides: 400 shares per 2 s window
 * for (let t = 0; t < 20_000; t += 500) d.onTrade({ ts: t, price: 100, size: 100, side: t % 1000 === 0 ? 1 : -1 });
 * [1, 2, 3].forEach((i) => d.onTrade({ ts: 20_000 + i * 100, price: 100 + i * 0.05, size: 600, side: 1 })); // +15 bps
 * d.onTrade({ ts: 23_000, price: 100.06, size: 600, side: -1 })?.evidence.retraceShare; // 0.6 (sold back)
 * ```
 */
export class MomentumIgnition extends BaseDetector<MomentumIgnitionState> {
  readonly kind = 'momentumIgnition';
  readonly inputs = DetectorInput.Book | DetectorInput.Trade;
  private readonly windowMs: number;
  private readonly volumeRatio: number;
  private readonly volumeZ: number;
  private readonly minImbalance: number;
  private readonly minShots: number;
  private readonly minMove: number;
  private readonly moveZ: number;
  private readonly reversalMs: number;
  private readonly reversalVolumeRatio: number;
  private readonly reversalImbalance: number;
  private readonly reversalShare: number;
  private readonly retraceShare: number;
  private readonly warmupMs: number;
  private readonly buy: TimeRollingStats;
  private readonly sell: TimeRollingStats;
  private readonly buyShots: EventWindow;
  private readonly sellShots: EventWindow;
  private readonly max: WindowExtremum;
  private readonly min: WindowExtremum;
  private readonly baseline: Ewma;
  /** EWMA of squared log price changes over windowMs buckets. */
  private readonly volatility: Ewma;
  private readonly v = new Float64Array(V_N);

  constructor(options: MomentumIgnitionOptions = {}) {
    super();
    checkOptionKeys('MomentumIgnition', options, Object.keys(DEFAULT_MOMENTUM_IGNITION_OPTIONS));
    const o = { ...DEFAULT_MOMENTUM_IGNITION_OPTIONS, ...options };
    this.windowMs = positiveOption('windowMs', o.windowMs);
    this.volumeRatio = positiveOption('volumeRatio', o.volumeRatio);
    this.volumeZ = nonNegativeOption('volumeZ', o.volumeZ);
    this.minImbalance = fractionOption('minImbalance', o.minImbalance);
    this.minShots = integerOption('minShots', o.minShots, 1);
    this.minMove = nonNegativeOption('minMoveBps', o.minMoveBps) / 1e4;
    this.moveZ = nonNegativeOption('moveZ', o.moveZ);
    this.reversalMs = positiveOption('reversalMs', o.reversalMs);
    this.reversalVolumeRatio = nonNegativeOption('reversalVolumeRatio', o.reversalVolumeRatio);
    this.reversalImbalance = fractionOption('reversalImbalance', o.reversalImbalance);
    this.reversalShare = nonNegativeOption('reversalShare', o.reversalShare);
    this.retraceShare = o.retraceShare === 0 ? 0 : fractionOption('retraceShare', o.retraceShare);
    this.warmupMs = nonNegativeOption('warmupMs', o.warmupMs);
    this.buy = new TimeRollingStats({ windowMs: this.windowMs });
    this.sell = new TimeRollingStats({ windowMs: this.windowMs });
    this.buyShots = new EventWindow(this.windowMs);
    this.sellShots = new EventWindow(this.windowMs);
    this.max = new WindowExtremum(this.windowMs, 1);
    this.min = new WindowExtremum(this.windowMs, -1);
    const halfLife = positiveOption('baselineHalfLifeMs', o.baselineHalfLifeMs) / this.windowMs;
    this.baseline = new Ewma({ halfLife });
    this.volatility = new Ewma({ halfLife });
    this.clear();
  }

  private clear(): void {
    const v = this.v;
    v.fill(0);
    v[V_FIRST] = NaN;
    v[V_PRICE] = NaN;
    v[V_BUCKET] = NaN;
    v[V_IGN_TS] = NaN;
    v[V_FLOW_TS] = NaN;
    v[V_LAST_BUY] = NaN;
    v[V_LAST_SELL] = NaN;
    v[V_BUCKET_PRICE] = NaN;
  }

  override onBook(book: BookSnapshot): Signal | null {
    const t = this.clock(book.ts);
    this.v[V_SAW_BOOK] = 1;
    if (book.bidLevels < 1 || book.askLevels < 1) return null;
    const p = (book.bidPx[0]! + book.askPx[0]!) / 2;
    if (!(p > 0) || p === Number.POSITIVE_INFINITY) return null;
    return this.price(t, p);
  }

  override onTrade(trade: Trade): Signal | null {
    const t = this.clock(trade.ts);
    const v = this.v;
    const size = trade.size;
    const price = trade.price;
    if (!(size > 0) || size === Number.POSITIVE_INFINITY || !(price > 0) || price === Number.POSITIVE_INFINITY) return null;
    let side = trade.side === 1 ? 1 : trade.side === -1 ? -1 : 0;
    if (side === 0) {
      const last = v[V_PRICE]!;
      side = last === last ? (price > last ? 1 : price < last ? -1 : 0) : 0;
    }
    this.roll(t);
    if (!(v[V_FIRST] === v[V_FIRST])) v[V_FIRST] = t;
    v[V_BUCKET_VOL] = v[V_BUCKET_VOL]! + size;
    if (side > 0) {
      this.buy.update(size, t);
      this.sell.advance(t);
      if (v[V_LAST_BUY] !== t) this.buyShots.push(t);
      v[V_LAST_BUY] = t;
    } else if (side < 0) {
      this.sell.update(size, t);
      this.buy.advance(t);
      if (v[V_LAST_SELL] !== t) this.sellShots.push(t);
      v[V_LAST_SELL] = t;
    }
    if (v[V_SAW_BOOK] === 0) {
      const s = this.price(t, price);
      if (s !== null) return s;
    }
    return this.flow(t);
  }

  /** A new price: track the extremes; after a reversing flow, look for the retrace. */
  private price(t: number, p: number): Signal | null {
    const v = this.v;
    v[V_PRICE] = p;
    this.max.push(t, p);
    this.min.push(t, p);
    const ignTs = v[V_IGN_TS]!;
    if (!(ignTs === ignTs)) return null;
    if (t - ignTs > this.reversalMs) {
      v[V_IGN_TS] = NaN;
      v[V_FLOW_TS] = NaN;
      return null;
    }
    const s = v[V_IGN_SIDE]!;
    const flowTs = v[V_FLOW_TS]!;
    if (!(flowTs === flowTs)) {
      // before any reversing flow: the extreme keeps moving with the followers
      if (s > 0 ? p > v[V_IGN_PEAK]! : p < v[V_IGN_PEAK]!) v[V_IGN_PEAK] = p;
      return null;
    }
    if (t - flowTs > this.windowMs) {
      v[V_FLOW_TS] = NaN;
      return null;
    }
    return this.retraced(t, p);
  }

  /** Fire when the price gave back enough of the move. */
  private retraced(t: number, p: number): Signal | null {
    const v = this.v;
    const s = v[V_IGN_SIDE]!;
    const from = v[V_IGN_FROM]!;
    const peak = v[V_IGN_PEAK]!;
    const move = s * (peak - from);
    if (!(move > 0)) return null;
    const back = (s * (peak - p)) / move;
    if (!(back >= this.retraceShare)) return null;
    const e = this.baseline.mean;
    const ignTs = v[V_IGN_TS]!;
    const moveBps = (move / from) * 1e4;
    v[V_IGN_TS] = NaN;
    v[V_FLOW_TS] = NaN;
    return this.signal(t, moveBps >= 3 * this.minMove * 1e4 ? 'critical' : 'warning', s > 0 ? 1 : -1, p, v[V_IGN_VOL]! / e, {
      ignitionVolume: v[V_IGN_VOL]!,
      expected: e,
      moveBps,
      retraceShare: back,
      sinceIgnitionMs: t - ignTs,
      moveZ: v[V_IGN_SIGMA]! > 0 ? Math.log(s > 0 ? peak / from : from / peak) / v[V_IGN_SIGMA]! : Number.POSITIVE_INFINITY,
      shots: v[V_IGN_SHOTS]!,
      reversalVolume: v[V_REV_VOL]!,
    });
  }

  /** After a trade: an ignition, or the reversing flow of the current one. */
  private flow(t: number): Signal | null {
    const v = this.v;
    if (t - v[V_FIRST]! < this.warmupMs) return null;
    const up = this.buy.count > 0 ? this.buy.sum : 0;
    const down = this.sell.count > 0 ? this.sell.sum : 0;
    const total = up + down;
    const e = this.baseline.mean;
    if (!(e > 0) || !(total > 0)) return null;
    const ignTs = v[V_IGN_TS]!;
    if (ignTs === ignTs && t - ignTs <= this.reversalMs) {
      // "followed by": the reversing flow is measured in a window after the ignition's
      if (t - ignTs < this.windowMs) return null;
      const s = v[V_IGN_SIDE]!;
      const against = s > 0 ? down : up;
      if (against >= this.reversalVolumeRatio * e && against >= this.reversalImbalance * total && against >= this.reversalShare * v[V_IGN_VOL]!) {
        if (!(v[V_FLOW_TS] === v[V_FLOW_TS])) v[V_FLOW_TS] = t;
        v[V_REV_VOL] = against;
        return this.retraced(t, v[V_PRICE]!);
      }
      return null;
    }
    const side = up >= down ? 1 : -1;
    const dir = side > 0 ? up : down;
    if (!(dir >= this.volumeRatio * e && dir >= e + this.volumeZ * this.baseline.std && dir >= this.minImbalance * total)) return null;
    if ((side > 0 ? this.buyShots.evict(t) : this.sellShots.evict(t)) < this.minShots) return null;
    const p = v[V_PRICE]!;
    const lo = this.min.value;
    const hi = this.max.value;
    const moved = side > 0 ? (p - lo) / lo : (hi - p) / hi;
    const zMove = this.moveZ * Math.sqrt(this.volatility.mean);
    if (!(moved >= this.minMove) || !(moved > 0) || !(moved >= zMove || this.volatility.count === 0)) return null;
    v[V_IGN_TS] = t;
    v[V_IGN_SIDE] = side;
    v[V_IGN_FROM] = side > 0 ? lo : hi;
    v[V_IGN_PEAK] = p;
    v[V_IGN_VOL] = dir;
    v[V_IGN_SIGMA] = Math.sqrt(this.volatility.mean);
    v[V_IGN_SHOTS] = side > 0 ? this.buyShots.evict(t) : this.sellShots.evict(t);
    v[V_FLOW_TS] = NaN;
    return null;
  }

  /** Close the volume buckets that ended before `t`. */
  private roll(t: number): void {
    const v = this.v;
    if (!(v[V_BUCKET] === v[V_BUCKET])) {
      v[V_BUCKET] = t;
      return;
    }
    const k = Math.floor((t - v[V_BUCKET]!) / this.windowMs);
    if (k < 1) return;
    const ignTs = v[V_IGN_TS]!;
    const price = v[V_PRICE]!;
    if (!(ignTs === ignTs)) {
      this.baseline.update(v[V_BUCKET_VOL]!);
      const from = v[V_BUCKET_PRICE]!;
      if (from > 0 && price > 0) {
        const r = Math.log(price / from);
        this.volatility.update(r * r);
      }
    }
    const empty = k - 1 < MAX_GAP_WINDOWS ? k - 1 : MAX_GAP_WINDOWS;
    for (let i = 0; i < empty; i++) {
      this.baseline.update(0);
      this.volatility.update(0);
    }
    v[V_BUCKET] = v[V_BUCKET]! + k * this.windowMs;
    v[V_BUCKET_VOL] = 0;
    v[V_BUCKET_PRICE] = price;
  }

  reset(): void {
    this.resetBase();
    this.buy.reset();
    this.sell.reset();
    this.buyShots.clear();
    this.sellShots.clear();
    this.max.clear();
    this.min.clear();
    this.baseline.reset();
    this.volatility.reset();
    this.clear();
  }

  snapshot(): MomentumIgnitionState {
    return {
      type: 'MomentumIgnition',
      version: 1,
      clock: this.baseState(),
      values: encodeList(this.v),
      buy: this.buy.snapshot(),
      sell: this.sell.snapshot(),
      buyShots: this.buyShots.encode(),
      sellShots: this.sellShots.encode(),
      max: this.max.encode(),
      min: this.min.encode(),
      baseline: this.baseline.snapshot(),
      volatility: this.volatility.snapshot(),
    };
  }

  restore(state: MomentumIgnitionState): void {
    const T = 'MomentumIgnition';
    checkState(state, T, 1);
    const v = stateNumbers(T, 'values', state.values, V_N, V_N);
    this.buy.restore(stateObject<TimeRollingStatsState>(T, 'buy', state.buy));
    this.sell.restore(stateObject<TimeRollingStatsState>(T, 'sell', state.sell));
    this.baseline.restore(stateObject<EwmaState>(T, 'baseline', state.baseline));
    this.volatility.restore(stateObject<EwmaState>(T, 'volatility', state.volatility));
    this.buyShots.decode(T, 'buyShots', state.buyShots);
    this.sellShots.decode(T, 'sellShots', state.sellShots);
    this.max.decode(T, 'max', state.max);
    this.min.decode(T, 'min', state.min);
    this.restoreBase(T, state.clock);
    this.v.set(v);
  }
}
