import type { BookSnapshot, Trade } from '../core/events.js';
import { InvalidOptionError } from '../core/errors.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { Ewma, type EwmaState } from '../stats/ewma.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { encodeList, stateNumbers, stateObject, WindowExtremum } from './internal.js';

/** Options of {@link FlashCrash}. */
export interface FlashCrashOptions {
  /**
   * The window over which a dislocation is measured, ms (also the horizon of the baseline returns).
   * @defaultValue 5000
   */
  windowMs?: number;
  /**
   * Smallest move that can fire, in basis points of the window's extreme price.
   * @defaultValue 10
   */
  minMoveBps?: number;
  /**
   * A move must also be at least `zThreshold` baseline standard deviations of a `windowMs` return.
   * @defaultValue 8
   */
  zThreshold?: number;
  /**
   * Move from which the signal is `'critical'`, bps.
   * @defaultValue 100
   */
  criticalMoveBps?: number;
  /**
   * Half-life of the baseline (EWMA of squared `windowMs` log returns), in windows.
   * @defaultValue 360 (30 minutes with 5 s windows)
   */
  baselineHalfLife?: number;
  /**
   * Windows in the baseline before the detector can fire.
   * @defaultValue 24
   */
  minWindows?: number;
}

/** Defaults of {@link FlashCrashOptions}. */
export const DEFAULT_FLASH_CRASH_OPTIONS: Readonly<Required<FlashCrashOptions>> = Object.freeze({
  windowMs: 5000,
  minMoveBps: 10,
  zThreshold: 8,
  criticalMoveBps: 100,
  baselineHalfLife: 360,
  minWindows: 24,
});

/** State of a {@link FlashCrash}. */
export interface FlashCrashState extends BaseDetectorState {
  readonly type: 'FlashCrash';
  readonly version: 1;
  /** `[lastPrice, bucketStart, bucketPrice, bucketDirty, armedDown, armedUp, sawBook]`. */
  readonly values: ReadonlyArray<number | string>;
  readonly max: ReadonlyArray<number | string>;
  readonly min: ReadonlyArray<number | string>;
  readonly baseline: EwmaState;
}

/** Empty windows fed to the baseline after a silence, at most (a longer silence adds no more). */
const MAX_GAP_WINDOWS = 1000;

/**
 * Flash crash (or spike): a price dislocation over a short window, against the price's own volatility.
 *
 * ```text
 * p        = mid of each book (trade prices only while no book has been seen)
 * drop     = (max_W p - p) / max_W p,   rise = (p - min_W p) / min_W p     over W = (t - windowMs, t]
 * sigma_W  = sqrt(EWMA of r_k^2),   r_k = ln(p at end / p at start) of consecutive windowMs buckets
 * fires when drop (or rise) >= max(minMoveBps / 1e4, zThreshold * sigma_W)
 * ```
 *
 * The rule is the one behind exchange circuit breakers ("limit up-limit down" bands, a price move
 * beyond a band within a short window), with the band set from the price's recent volatility; see
 * Kirilenko, Kyle, Samadi & Tuzun (2017), "The Flash Crash: high-frequency trading in an electronic
 * market", Journal of Finance 72(3), for the 6 May 2010 event. The buckets of an episode that fired are
 * kept out of the baseline; one episode gives one signal per direction (re-armed when the move falls
 * below half the threshold).
 *
 * - Input: books (and trades while no book has been seen). Output: a {@link Signal}
 *   (`kind: 'flashCrash'`, `side` -1 for a crash, +1 for a spike; `price` the current price; `score`
 *   = move / threshold; evidence `moveBps, fromPrice, sigmaBps, thresholdBps, windowMs`), `'critical'`
 *   from `criticalMoveBps`.
 * - Warm-up: `minWindows` buckets in the baseline.
 * - Cannot see: moves slower than the window (a trend), dislocations on other venues, or whether the
 *   move is news (an informed repricing fires too: the rule flags speed, not intent).
 *
 * @example
 * ```ts
 * const d = new FlashCrash({ windowMs: 1000, minWindows: 2, minMoveBps: 50, zThreshold: 0 });
 * for (let t = 0; t <= 3000; t += 100) d.onBook(bookFromLevels([[99.99, 100]], [[100.01, 100]], { ts: t }));
 * d.onBook(bookFromLevels([[98.99, 100]], [[99.01, 100]], { ts: 3100 }))?.evidence.moveBps; // 100 (1% in 100 ms)
 * ```
 */
export class FlashCrash extends BaseDetector<FlashCrashState> {
  readonly kind = 'flashCrash';
  readonly inputs = DetectorInput.Book | DetectorInput.Trade;
  private readonly windowMs: number;
  private readonly minMove: number;
  private readonly z: number;
  private readonly criticalMove: number;
  private readonly minWindows: number;
  private readonly baseline: Ewma;
  private readonly max: WindowExtremum;
  private readonly min: WindowExtremum;
  private lastPrice = NaN;
  private bucketStart = NaN;
  private bucketPrice = NaN;
  private bucketDirty = 0;
  private armedDown = 1;
  private armedUp = 1;
  private sawBook = 0;

  constructor(options: FlashCrashOptions = {}) {
    super();
    checkOptionKeys('FlashCrash', options, Object.keys(DEFAULT_FLASH_CRASH_OPTIONS));
    const o = { ...DEFAULT_FLASH_CRASH_OPTIONS, ...options };
    this.windowMs = positiveOption('windowMs', o.windowMs);
    this.minMove = positiveOption('minMoveBps', o.minMoveBps) / 1e4;
    this.z = nonNegativeOption('zThreshold', o.zThreshold);
    this.criticalMove = positiveOption('criticalMoveBps', o.criticalMoveBps) / 1e4;
    if (this.criticalMove < this.minMove) {
      throw new InvalidOptionError('criticalMoveBps', o.criticalMoveBps, `>= minMoveBps (${o.minMoveBps})`);
    }
    this.minWindows = integerOption('minWindows', o.minWindows, 1);
    this.baseline = new Ewma({ halfLife: positiveOption('baselineHalfLife', o.baselineHalfLife) });
    this.max = new WindowExtremum(this.windowMs, 1);
    this.min = new WindowExtremum(this.windowMs, -1);
  }

  override onBook(book: BookSnapshot): Signal | null {
    const t = this.clock(book.ts);
    this.sawBook = 1;
    if (book.bidLevels < 1 || book.askLevels < 1) return null;
    const p = (book.bidPx[0]! + book.askPx[0]!) / 2;
    return this.price(t, p);
  }

  override onTrade(trade: Trade): Signal | null {
    const t = this.clock(trade.ts);
    if (this.sawBook === 1) return null;
    return this.price(t, trade.price);
  }

  /** The baseline's standard deviation of a `windowMs` log return (NaN before any bucket). */
  get sigma(): number {
    return Math.sqrt(this.baseline.mean);
  }

  private price(t: number, p: number): Signal | null {
    if (!(p > 0) || p === Number.POSITIVE_INFINITY) return null;
    this.roll(t);
    this.lastPrice = p;
    this.max.push(t, p);
    this.min.push(t, p);
    if (!(this.bucketPrice === this.bucketPrice)) this.bucketPrice = p;
    if (this.baseline.count < this.minWindows) return null;
    const hi = this.max.value;
    const lo = this.min.value;
    const drop = (hi - p) / hi;
    const rise = (p - lo) / lo;
    const sigma = Math.sqrt(this.baseline.mean);
    const zMove = this.z * sigma;
    const threshold = zMove > this.minMove ? zMove : this.minMove;
    if (drop < threshold * 0.5) this.armedDown = 1;
    if (rise < threshold * 0.5) this.armedUp = 1;
    let side: -1 | 1;
    let move: number;
    let from: number;
    if (drop >= threshold && this.armedDown === 1) {
      side = -1;
      move = drop;
      from = hi;
      this.armedDown = 0;
    } else if (rise >= threshold && this.armedUp === 1) {
      side = 1;
      move = rise;
      from = lo;
      this.armedUp = 0;
    } else {
      // an episode that fired stays out of the baseline until it re-arms
      if (this.armedDown === 0 || this.armedUp === 0) this.bucketDirty = 1;
      return null;
    }
    this.bucketDirty = 1;
    return this.signal(t, move >= this.criticalMove ? 'critical' : 'warning', side, p, move / threshold, {
      moveBps: move * 1e4,
      fromPrice: from,
      sigmaBps: sigma * 1e4,
      thresholdBps: threshold * 1e4,
      windowMs: this.windowMs,
    });
  }

  /** Close the buckets that ended before `t`, feeding their returns to the baseline. */
  private roll(t: number): void {
    if (!(this.bucketStart === this.bucketStart)) {
      this.bucketStart = t;
      return;
    }
    const k = Math.floor((t - this.bucketStart) / this.windowMs);
    if (k < 1) return;
    const last = this.lastPrice;
    if (this.bucketDirty === 0 && last > 0 && this.bucketPrice > 0) {
      const r = Math.log(last / this.bucketPrice);
      this.baseline.update(r * r);
    }
    // Buckets without any price: the price did not move.
    const empty = k - 1 < MAX_GAP_WINDOWS ? k - 1 : MAX_GAP_WINDOWS;
    for (let i = 0; i < empty; i++) this.baseline.update(0);
    this.bucketStart += k * this.windowMs;
    this.bucketPrice = last;
    this.bucketDirty = 0;
  }

  reset(): void {
    this.resetBase();
    this.baseline.reset();
    this.max.clear();
    this.min.clear();
    this.lastPrice = NaN;
    this.bucketStart = NaN;
    this.bucketPrice = NaN;
    this.bucketDirty = 0;
    this.armedDown = 1;
    this.armedUp = 1;
    this.sawBook = 0;
  }

  snapshot(): FlashCrashState {
    return {
      type: 'FlashCrash',
      version: 1,
      clock: this.baseState(),
      values: encodeList([this.lastPrice, this.bucketStart, this.bucketPrice, this.bucketDirty, this.armedDown, this.armedUp, this.sawBook]),
      max: this.max.encode(),
      min: this.min.encode(),
      baseline: this.baseline.snapshot(),
    };
  }

  restore(state: FlashCrashState): void {
    checkState(state, 'FlashCrash', 1);
    const v = stateNumbers('FlashCrash', 'values', state.values, 7, 7);
    this.baseline.restore(stateObject<EwmaState>('FlashCrash', 'baseline', state.baseline));
    this.max.decode('FlashCrash', 'max', state.max);
    this.min.decode('FlashCrash', 'min', state.min);
    this.restoreBase('FlashCrash', state.clock);
    [this.lastPrice, this.bucketStart, this.bucketPrice, this.bucketDirty, this.armedDown, this.armedUp, this.sawBook] = v as [
      number, number, number, number, number, number, number,
    ];
  }
}
