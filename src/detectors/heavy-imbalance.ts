import type { BookSnapshot } from '../core/events.js';
import { InvalidOptionError } from '../core/errors.js';
import { checkState, encodeNumber } from '../core/operator.js';
import { checkOptionKeys, fractionOption, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { WeightedObi } from '../signals/weighted-obi.js';
import { Ewma, type EwmaState } from '../stats/ewma.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { encodeList, stateNumber, stateNumbers, stateObject } from './internal.js';

/** Options of {@link HeavyImbalance}. */
export interface HeavyImbalanceOptions {
  /**
   * Levels a side in the depth-weighted OBI.
   * @defaultValue 10
   */
  levels?: number;
  /**
   * Decay per level of the OBI weights, `w_i = exp(-decay (i - 1))`.
   * @defaultValue 0.5
   */
  decay?: number;
  /**
   * Half-life of the time average of dwobi that the thresholds apply to, ms (each book's value
   * weighted by the time it stood); 0 uses the raw value of each book.
   * @defaultValue 2000
   */
  smoothingMs?: number;
  /**
   * `|dwobi|` (time-averaged) from which a run of heavy imbalance starts (and which it must show when
   * it fires).
   * @defaultValue 0.6
   */
  threshold?: number;
  /**
   * `|dwobi|` below which a run ends (hysteresis, <= `threshold`).
   * @defaultValue 0.4
   */
  releaseThreshold?: number;
  /**
   * Also needed to start a run: `|dwobi - mean| >= zThreshold * std` against the baseline (so a book
   * whose imbalance is always lopsided does not fire all day).
   * @defaultValue 3
   */
  zThreshold?: number;
  /**
   * How long a run must last before it fires, ms.
   * @defaultValue 500
   */
  minDurationMs?: number;
  /**
   * `|dwobi|` from which the signal is `'critical'`.
   * @defaultValue 0.95
   */
  criticalThreshold?: number;
  /**
   * Half-life of the baseline mean and variance of dwobi, ms (updated outside runs only).
   * @defaultValue 600000 (10 minutes)
   */
  baselineHalfLifeMs?: number;
  /**
   * Books in the baseline before the detector can fire.
   * @defaultValue 200
   */
  minBooks?: number;
}

/** Defaults of {@link HeavyImbalanceOptions}. */
export const DEFAULT_HEAVY_IMBALANCE_OPTIONS: Readonly<Required<HeavyImbalanceOptions>> = Object.freeze({
  levels: 10,
  decay: 0.1,
  smoothingMs: 1000,
  threshold: 0.6,
  releaseThreshold: 0.4,
  zThreshold: 3,
  minDurationMs: 500,
  criticalThreshold: 0.95,
  baselineHalfLifeMs: 600_000,
  minBooks: 200,
});

/** State of a {@link HeavyImbalance}. */
export interface HeavyImbalanceState extends BaseDetectorState {
  readonly type: 'HeavyImbalance';
  readonly version: 1;
  /** `[runStart, runSide, firedInRun]`. */
  readonly run: ReadonlyArray<number | string>;
  readonly baseline: EwmaState;
  /** `[lastX]` and the time average. */
  readonly last: number | string;
  readonly smooth: EwmaState;
}

/**
 * Heavy one-sided imbalance: the depth-weighted order-book imbalance stays beyond a threshold for a
 * sustained time.
 *
 * ```text
 * dwobi = (B - A) / (B + A),  B = sum_i w_i bidSz_i,  A = sum_i w_i askSz_i,  w_i = exp(-decay (i - 1))
 * x     = time average of dwobi, half-life smoothingMs (each book's value weighted by the time it
 *         stood; x = dwobi with smoothingMs 0)
 * a run starts when |x| >= threshold and |x - m| >= zThreshold * s   (m, s: baseline EWMA of x)
 * it continues while x keeps its sign and |x| >= releaseThreshold
 * fires once per run, at the first book with |x| >= threshold after minDurationMs of run
 * ```
 *
 * The imbalance is {@link WeightedObi} (Cao, Hansch & Wang 2009 on the information in depth beyond
 * level 1). "Sustained" is measured twice: by the time average (a single lopsided book moves it little)
 * and by the run length. The baseline is a time-decayed EWMA of x (`baselineHalfLifeMs`), fed outside
 * runs only so a long episode does not become normal; the z test keeps a book that is always lopsided
 * (a sparse real book often is) from firing all day. Hysteresis (`releaseThreshold`) keeps a run alive
 * through brief dips, and one run gives one signal.
 *
 * - Input: books. Output: a {@link Signal} (`kind: 'heavyImbalance'`, `side` +1 when the bid side is
 *   heavy (buy pressure), -1 when the ask side is; `price` the mid; `score` = |x|; evidence
 *   `dwobi` (x), `rawDwobi` (this book's), `baselineMean, baselineStd, durationMs`), `'critical'` when
 *   |x| >= `criticalThreshold`.
 * - Warm-up: `minBooks` books in the baseline. A book with an empty side has no dwobi: it ends a run
 *   and restarts the time average.
 * - Cannot see: why the book is lopsided (a genuine buyer, a spoofer, a stale side after news); hidden
 *   liquidity; levels past `levels`.
 *
 * @example
 * ```ts
 * const d = new HeavyImbalance({ minBooks: 2, minDurationMs: 100, zThreshold: 0, smoothingMs: 0 });
 * d.onBook(bookFromLevels([[99, 100]], [[101, 100]], { ts: 0 }));   // null (balanced)
 * d.onBook(bookFromLevels([[99, 100]], [[101, 100]], { ts: 10 }));  // null
 * d.onBook(bookFromLevels([[99, 1900]], [[101, 100]], { ts: 20 })); // null (run starts: dwobi 0.9)
 * d.onBook(bookFromLevels([[99, 1900]], [[101, 100]], { ts: 120 }))?.side; // 1 (bid heavy for 100 ms)
 * ```
 */
export class HeavyImbalance extends BaseDetector<HeavyImbalanceState> {
  readonly kind = 'heavyImbalance';
  readonly inputs = DetectorInput.Book;
  private readonly threshold: number;
  private readonly release: number;
  private readonly z: number;
  private readonly minDurationMs: number;
  private readonly critical: number;
  private readonly minBooks: number;
  private readonly obi: WeightedObi;
  private readonly baseline: Ewma;
  private readonly smooth: Ewma | null;
  private lastX = NaN;
  private runStart = NaN;
  private runSide = 0;
  private firedInRun = 0;

  constructor(options: HeavyImbalanceOptions = {}) {
    super();
    checkOptionKeys('HeavyImbalance', options, Object.keys(DEFAULT_HEAVY_IMBALANCE_OPTIONS));
    const o = { ...DEFAULT_HEAVY_IMBALANCE_OPTIONS, ...options };
    this.threshold = fractionOption('threshold', o.threshold);
    this.release = fractionOption('releaseThreshold', o.releaseThreshold);
    if (this.release > this.threshold) {
      throw new InvalidOptionError('releaseThreshold', o.releaseThreshold, `<= threshold (${this.threshold})`);
    }
    this.z = nonNegativeOption('zThreshold', o.zThreshold);
    this.minDurationMs = nonNegativeOption('minDurationMs', o.minDurationMs);
    this.critical = fractionOption('criticalThreshold', o.criticalThreshold);
    this.minBooks = integerOption('minBooks', o.minBooks, 1);
    this.obi = new WeightedObi({ levels: integerOption('levels', o.levels, 1), decay: nonNegativeOption('decay', o.decay) });
    this.baseline = new Ewma({ halfLifeMs: positiveOption('baselineHalfLifeMs', o.baselineHalfLifeMs) });
    const smoothingMs = nonNegativeOption('smoothingMs', o.smoothingMs);
    this.smooth = smoothingMs > 0 ? new Ewma({ halfLifeMs: smoothingMs, adjust: false }) : null;
  }

  override onBook(book: BookSnapshot): Signal | null {
    const t = this.clock(book.ts);
    const raw = this.obi.update(book);
    if (!(raw === raw)) {
      this.endRun();
      this.lastX = NaN;
      this.smooth?.reset();
      return null;
    }
    let x = raw;
    const sm = this.smooth;
    if (sm !== null) {
      // the previous value stood from its book to this one
      x = sm.update(this.lastX === this.lastX ? this.lastX : raw, t);
      this.lastX = raw;
    }
    const side = x > 0 ? 1 : x < 0 ? -1 : 0;
    const ax = x < 0 ? -x : x;
    const b = this.baseline;
    if (this.runSide !== 0 && (side !== this.runSide || ax < this.release)) this.endRun();
    if (this.runSide === 0) {
      const mean = b.mean;
      const std = b.std;
      const dev = x - mean;
      if (b.count >= this.minBooks && ax >= this.threshold && (dev < 0 ? -dev : dev) >= this.z * std) {
        this.runStart = t;
        this.runSide = side;
        this.firedInRun = 0;
      } else {
        b.update(x, t);
      }
    }
    if (this.runSide === 0 || this.firedInRun === 1 || ax < this.threshold) return null;
    const duration = t - this.runStart;
    if (duration < this.minDurationMs) return null;
    this.firedInRun = 1;
    const mid = book.askLevels > 0 && book.bidLevels > 0 ? (book.bidPx[0]! + book.askPx[0]!) / 2 : NaN;
    return this.signal(t, ax >= this.critical ? 'critical' : 'warning', side as 1 | -1, mid, ax, {
      dwobi: x,
      rawDwobi: raw,
      baselineMean: b.mean,
      baselineStd: b.std,
      durationMs: duration,
    });
  }

  private endRun(): void {
    this.runStart = NaN;
    this.runSide = 0;
    this.firedInRun = 0;
  }

  reset(): void {
    this.resetBase();
    this.baseline.reset();
    this.smooth?.reset();
    this.lastX = NaN;
    this.endRun();
  }

  snapshot(): HeavyImbalanceState {
    return {
      type: 'HeavyImbalance',
      version: 1,
      clock: this.baseState(),
      run: encodeList([this.runStart, this.runSide, this.firedInRun]),
      baseline: this.baseline.snapshot(),
      last: encodeNumber(this.lastX),
      smooth: (this.smooth ?? this.baseline).snapshot(),
    };
  }

  restore(state: HeavyImbalanceState): void {
    checkState(state, 'HeavyImbalance', 1);
    const run = stateNumbers('HeavyImbalance', 'run', state.run, 3, 3);
    this.baseline.restore(stateObject<EwmaState>('HeavyImbalance', 'baseline', state.baseline));
    this.smooth?.restore(stateObject<EwmaState>('HeavyImbalance', 'smooth', state.smooth));
    this.lastX = stateNumber('HeavyImbalance', 'last', state.last);
    this.restoreBase('HeavyImbalance', state.clock);
    [this.runStart, this.runSide, this.firedInRun] = run as [number, number, number];
  }
}
