import type { BookSnapshot } from '../core/events.js';
import { InvalidOptionError } from '../core/errors.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, fractionOption, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { Ewma, type EwmaState } from '../stats/ewma.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { encodeList, sideDepth, stateNumbers, stateObject, WindowExtremum } from './internal.js';

/** Options of {@link DepthShock}. */
export interface DepthShockOptions {
  /**
   * Levels a side summed into the total depth.
   * @defaultValue 10
   */
  levels?: number;
  /**
   * The window within which the fall is measured, ms.
   * @defaultValue 2000
   */
  windowMs?: number;
  /**
   * Fires when the total depth is at most `(1 - dropFraction)` times the window's maximum ...
   * @defaultValue 0.3
   */
  dropFraction?: number;
  /**
   * ... and at most `maxBaselineFraction` times its baseline (a fall from a spike, or the ordinary
   * churn of a thin book, is not a crisis).
   * @defaultValue 0.4
   */
  maxBaselineFraction?: number;
  /**
   * How long the depth must stay at most `maxBaselineFraction` times its baseline before it fires, ms
   * (ordinary dips refill within moments; a crisis lasts).
   * @defaultValue 1000
   */
  minDurationMs?: number;
  /**
   * A shock ends (and the detector re-arms) when D is back to at least this fraction of its baseline.
   * The baseline keeps learning during a shock, so a lasting fall lowers it until the shock ends (a
   * new normal, not a detector silenced for good): one signal per episode of thin depth, not one per
   * partial refill within it. Must exceed `maxBaselineFraction` and stay below 1 (an EWMA converging
   * on a new level from above never reaches it).
   * @defaultValue 0.9
   */
  recoverFraction?: number;
  /**
   * A shock that starts within this long after the end of the previous signalled one continues its
   * episode and raises no new signal, ms: a book that refills for a few seconds and drains again is
   * one episode of thin depth, not a series of crises (a crisis is a state lasting tens of seconds:
   * the scenarios' last a minute, the liquidity withdrawal of 6 May 2010 minutes). 0: every shock
   * signals.
   * @defaultValue 30000
   */
  mergeWithinMs?: number;
  /**
   * Drop (against the window maximum) from which the signal is `'critical'`.
   * @defaultValue 0.6
   */
  criticalDropFraction?: number;
  /**
   * Half-life of the baseline depth (time EWMA, fed outside episodes), ms.
   * @defaultValue 300000 (5 minutes)
   */
  baselineHalfLifeMs?: number;
  /**
   * Time of baseline history before the detector can fire, ms.
   * @defaultValue 60000
   */
  warmupMs?: number;
}

/** Defaults of {@link DepthShockOptions}. */
export const DEFAULT_DEPTH_SHOCK_OPTIONS: Readonly<Required<DepthShockOptions>> = Object.freeze({
  levels: 10,
  windowMs: 2000,
  dropFraction: 0.3,
  maxBaselineFraction: 0.4,
  minDurationMs: 1000,
  recoverFraction: 0.9,
  mergeWithinMs: 30_000,
  criticalDropFraction: 0.6,
  baselineHalfLifeMs: 300_000,
  warmupMs: 60_000,
});

/** State of a {@link DepthShock}. */
export interface DepthShockState extends BaseDetectorState {
  readonly type: 'DepthShock';
  readonly version: 1;
  /**
   * `[firstTs, state (0 idle, 1 low, 2 fired), start, windowMax at the start, depth at the start,
   * end of the last signalled episode (NaN: none)]` (a state of 5 values, from before
   * `mergeWithinMs`, restores with the last one NaN).
   */
  readonly values: ReadonlyArray<number | string>;
  readonly max: ReadonlyArray<number | string>;
  readonly baseline: EwmaState;
  readonly bidBaseline: EwmaState;
  readonly askBaseline: EwmaState;
}

/**
 * Depth shock (liquidity crisis): the total displayed depth falls by more than a fraction within a
 * short window.
 *
 * ```text
 * D = sum of bid and ask sizes over the first `levels` levels
 * a shock starts when D <= (1 - dropFraction) * max_W D      (W = (t - windowMs, t])
 *                 and D <= maxBaselineFraction * baseline    (time EWMA of D outside shocks)
 * fires when D has stayed <= maxBaselineFraction * baseline for minDurationMs since
 * the shock ends when D >= recoverFraction * baseline (the baseline learns during the shock)
 * a shock starting within mergeWithinMs of the end of the last signalled one continues that episode
 * ```
 *
 * The baseline condition keeps a large order's cancellation (the window maximum was a spike) and the
 * ordinary churn of a thin book from reading as a crisis: depth must fall well below its normal level,
 * not only below a peak, and stay there (an ordinary dip refills within moments). A shock lasts until
 * D is back to `recoverFraction` (0.9) times the baseline, which keeps learning during the shock (so a
 * lasting fall ends as the new normal); it gives one signal, and a shock starting within
 * `mergeWithinMs` (30 s) of its end continues the episode silently (a book that refills for a few
 * seconds and drains again is one episode of thin depth, not several crises). Books of a shock still waiting for
 * `minDurationMs` stay out of the baseline. The liquidity measure is displayed depth, as in studies of
 * liquidity withdrawal (e.g. Kirilenko et al. 2017 on 6 May 2010; Cont, Kukanov & Stoikov 2014 use
 * depth as the scale of price impact).
 *
 * - Input: books. Output: a {@link Signal} (`kind: 'depthShock'`; `side` +1 when the bid side lost
 *   the larger share against its own baseline, -1 the ask side; `price` the mid; `score` = drop /
 *   dropFraction; evidence `depth, windowMax, baseline, drop` (the fall within the window when the
 *   shock started), `bidDepth, askDepth, durationMs, bidLoss, askLoss` (each side's fall against
 *   its own baseline)), `'critical'` from `criticalDropFraction`.
 * - Warm-up: `warmupMs` of baseline history.
 * - Cannot see: depth beyond `levels` (a book showing 10 levels refills from deeper levels it cannot
 *   see), hidden liquidity, and whether the depth left or was traded away (both fire).
 *
 * @example
 * ```ts
 * const d = new DepthShock({ warmupMs: 1000, windowMs: 500, minDurationMs: 0 });
 * for (let t = 0; t <= 2000; t += 100) d.onBook(bookFromLevels([[99, 500]], [[101, 500]], { ts: t }));
 * d.onBook(bookFromLevels([[99, 200]], [[101, 200]], { ts: 2100 }))?.evidence.drop; // 0.6 (1000 -> 400)
 * ```
 */
export class DepthShock extends BaseDetector<DepthShockState> {
  readonly kind = 'depthShock';
  readonly inputs = DetectorInput.Book;
  private readonly levels: number;
  private readonly keep: number;
  private readonly maxBase: number;
  private readonly dropFraction: number;
  private readonly critical: number;
  private readonly warmupMs: number;
  private readonly minDurationMs: number;
  private readonly recover: number;
  private readonly mergeWithinMs: number;
  private readonly max: WindowExtremum;
  private readonly baseline: Ewma;
  private readonly bidBaseline: Ewma;
  private readonly askBaseline: Ewma;
  private firstTs = NaN;
  /** 0 idle, 1 low (waiting for minDurationMs), 2 fired (until the depth recovers). */
  private state = 0;
  private start = NaN;
  private startMax = NaN;
  private startDepth = NaN;
  /** When the last signalled episode ended (NaN: none yet). */
  private episodeEnd = NaN;

  constructor(options: DepthShockOptions = {}) {
    super();
    checkOptionKeys('DepthShock', options, Object.keys(DEFAULT_DEPTH_SHOCK_OPTIONS));
    const o = { ...DEFAULT_DEPTH_SHOCK_OPTIONS, ...options };
    this.levels = integerOption('levels', o.levels, 1);
    this.dropFraction = fractionOption('dropFraction', o.dropFraction);
    this.keep = 1 - this.dropFraction;
    this.maxBase = fractionOption('maxBaselineFraction', o.maxBaselineFraction);
    this.critical = fractionOption('criticalDropFraction', o.criticalDropFraction);
    this.warmupMs = nonNegativeOption('warmupMs', o.warmupMs);
    this.minDurationMs = nonNegativeOption('minDurationMs', o.minDurationMs);
    this.recover = fractionOption('recoverFraction', o.recoverFraction);
    if (!(this.recover > this.maxBase && this.recover < 1)) {
      throw new InvalidOptionError('recoverFraction', o.recoverFraction, `> maxBaselineFraction (${this.maxBase}) and < 1`);
    }
    this.mergeWithinMs = nonNegativeOption('mergeWithinMs', o.mergeWithinMs);
    this.max = new WindowExtremum(positiveOption('windowMs', o.windowMs), 1);
    const halfLifeMs = positiveOption('baselineHalfLifeMs', o.baselineHalfLifeMs);
    this.baseline = new Ewma({ halfLifeMs });
    this.bidBaseline = new Ewma({ halfLifeMs });
    this.askBaseline = new Ewma({ halfLifeMs });
  }

  override onBook(book: BookSnapshot): Signal | null {
    const t = this.clock(book.ts);
    const bid = sideDepth(book.bidSz, book.bidLevels, this.levels);
    const ask = sideDepth(book.askSz, book.askLevels, this.levels);
    const d = bid + ask;
    if (!(d >= 0) || d === Number.POSITIVE_INFINITY) return null;
    if (!(this.firstTs === this.firstTs)) this.firstTs = t;
    this.max.push(t, d);
    const base = this.baseline.mean;
    const low = d <= this.maxBase * base;
    if (this.state === 2) {
      if (d >= this.recover * base) {
        this.state = 0;
        this.episodeEnd = t;
      } else {
        // the baseline keeps learning during a shock, so that a lasting fall becomes the new normal
        // (and the shock ends) instead of keeping the detector silent
        return this.learn(d, bid, ask, t);
      }
    }
    if (this.state === 1) {
      if (!low) {
        this.state = 0;
      } else if (t - this.start >= this.minDurationMs) {
        this.state = 2;
        // the same episode: the book drained again soon after the last signalled shock ended
        if (this.start - this.episodeEnd < this.mergeWithinMs) return this.learn(d, bid, ask, t);
        const hi = this.startMax;
        const drop = 1 - this.startDepth / hi;
        const bidLoss = 1 - bid / this.bidBaseline.mean;
        const askLoss = 1 - ask / this.askBaseline.mean;
        const mid = book.bidLevels > 0 && book.askLevels > 0 ? (book.bidPx[0]! + book.askPx[0]!) / 2 : NaN;
        return this.signal(t, drop >= this.critical ? 'critical' : 'warning', bidLoss >= askLoss ? 1 : -1, mid, drop / this.dropFraction, {
          depth: d,
          windowMax: hi,
          baseline: base,
          drop,
          bidDepth: bid,
          askDepth: ask,
          durationMs: t - this.start,
          bidLoss,
          askLoss,
        });
      } else {
        return null;
      }
    }
    if (this.state === 0) {
      const hi = this.max.value;
      if (t - this.firstTs >= this.warmupMs && low && d <= this.keep * hi && hi > 0) {
        this.state = 1;
        this.start = t;
        this.startMax = hi;
        this.startDepth = d;
        return this.minDurationMs === 0 ? this.onBookAgain(book, t) : null;
      }
    }
    return this.learn(d, bid, ask, t);
  }

  /** Feed the baselines. */
  private learn(d: number, bid: number, ask: number, t: number): null {
    this.baseline.update(d, t);
    this.bidBaseline.update(bid, t);
    this.askBaseline.update(ask, t);
    return null;
  }

  /** Re-evaluate the same book (minDurationMs 0: fire at once). */
  private onBookAgain(book: BookSnapshot, t: number): Signal | null {
    this.max.evict(t);
    return this.onBook(book);
  }

  reset(): void {
    this.resetBase();
    this.max.clear();
    this.baseline.reset();
    this.bidBaseline.reset();
    this.askBaseline.reset();
    this.firstTs = NaN;
    this.state = 0;
    this.start = NaN;
    this.startMax = NaN;
    this.startDepth = NaN;
    this.episodeEnd = NaN;
  }

  snapshot(): DepthShockState {
    return {
      type: 'DepthShock',
      version: 1,
      clock: this.baseState(),
      values: encodeList([this.firstTs, this.state, this.start, this.startMax, this.startDepth, this.episodeEnd]),
      max: this.max.encode(),
      baseline: this.baseline.snapshot(),
      bidBaseline: this.bidBaseline.snapshot(),
      askBaseline: this.askBaseline.snapshot(),
    };
  }

  restore(state: DepthShockState): void {
    const T = 'DepthShock';
    checkState(state, T, 1);
    const v = stateNumbers(T, 'values', state.values, 6);
    if (v.length < 5) stateNumbers(T, 'values', state.values, 6, 6); // throws: 5 or 6 values
    this.baseline.restore(stateObject<EwmaState>(T, 'baseline', state.baseline));
    this.bidBaseline.restore(stateObject<EwmaState>(T, 'bidBaseline', state.bidBaseline));
    this.askBaseline.restore(stateObject<EwmaState>(T, 'askBaseline', state.askBaseline));
    this.max.decode(T, 'max', state.max);
    this.restoreBase(T, state.clock);
    [this.firstTs, this.state, this.start, this.startMax, this.startDepth] = v as [number, number, number, number, number];
    this.episodeEnd = v.length > 5 ? v[5]! : NaN;
  }
}
