import type { BookSnapshot, OrderEvent, Trade } from '../core/events.js';
import { InvalidOptionError } from '../core/errors.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { Ewma, type EwmaState } from '../stats/ewma.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { EventWindow, encodeList, stateNumbers, stateObject } from './internal.js';

/** Options of {@link QuoteStuffing}. */
export interface QuoteStuffingOptions {
  /**
   * The window whose message count is tested, ms (also the bucket of the baseline).
   * @defaultValue 1000
   */
  windowMs?: number;
  /**
   * Fires when the window's messages are at least `threshold` times the baseline's mean count.
   * @defaultValue 5
   */
  threshold?: number;
  /**
   * Ratio from which the signal is `'critical'`.
   * @defaultValue 50
   */
  criticalThreshold?: number;
  /**
   * Messages needed in the window to fire at all.
   * @defaultValue 200
   */
  minMessages?: number;
  /**
   * Cancellations per trade needed in the window, `cancels / max(trades, 1)` (with L2 data only: book
   * updates per trade).
   * @defaultValue 20
   */
  minCancelToTrade?: number;
  /**
   * Half-life of the baseline count per window (EWMA over windows, fed outside episodes), ms.
   * @defaultValue 300000 (5 minutes)
   */
  baselineHalfLifeMs?: number;
  /**
   * Time of baseline history before the detector can fire, ms.
   * @defaultValue 60000
   */
  warmupMs?: number;
}

/** Defaults of {@link QuoteStuffingOptions}. */
export const DEFAULT_QUOTE_STUFFING_OPTIONS: Readonly<Required<QuoteStuffingOptions>> = Object.freeze({
  windowMs: 1000,
  threshold: 5,
  criticalThreshold: 50,
  minMessages: 200,
  minCancelToTrade: 20,
  baselineHalfLifeMs: 300_000,
  warmupMs: 60_000,
});

/** State of a {@link QuoteStuffing}. */
export interface QuoteStuffingState extends BaseDetectorState {
  readonly type: 'QuoteStuffing';
  readonly version: 1;
  /** `[firstTs, bucketStart, bucketCount, bucketDirty, armed, sawOrder, sawTrade, lastMid]`. */
  readonly values: ReadonlyArray<number | string>;
  readonly messages: ReadonlyArray<number | string>;
  readonly cancels: ReadonlyArray<number | string>;
  readonly trades: ReadonlyArray<number | string>;
  readonly baseline: EwmaState;
}

/** Empty windows fed to the baseline after a silence, at most. */
const MAX_GAP_WINDOWS = 1000;

/**
 * Quote stuffing: a burst of order messages far above the usual rate, made of cancellations rather
 * than trades.
 *
 * ```text
 * messages = adds + cancels + deletes in (t - windowMs, t]      (L3; with L2 data only: book updates)
 * expected = max(EWMA of the message count of past windowMs buckets, 1)
 * fires when messages >= minMessages, messages / expected >= threshold
 *        and cancels / max(trades, 1) >= minCancelToTrade        (L2 only: updates / max(trades, 1))
 * ```
 *
 * The rule follows the SEC's and Egginton, Van Ness & Van Ness (2016), "Quote stuffing", Financial
 * Management 45(3): episodes of extreme message rates, with many cancellations per trade, against the
 * stock's own usual activity. The buckets of a burst that fired are kept out of the baseline; one
 * burst gives one signal (re-armed when the ratio falls below half the threshold).
 *
 * - Input: order events (L3) and trades; books count as messages only until the first order event.
 *   Output: a {@link Signal} (`kind: 'quoteStuffing'`, `side` 0, `price` the last mid or NaN,
 *   `score` = messages / expected; evidence `messages, expected, cancels, trades, cancelToTrade,
 *   windowMs`), `'critical'` from `criticalThreshold`.
 * - Warm-up: `warmupMs` of baseline history.
 * - Cannot see: who sends the messages (a burst from many honest participants after news looks the
 *   same), and with L2 data alone, cancellations (only book updates).
 *
 * @example
 * ```ts
 * const d = new QuoteStuffing({ warmupMs: 10_000, minMessages: 50 });
 * const order = { ts: 0, kind: 'add', orderId: 1, size: 100, price: 10, side: 1 } as const;
 * for (let t = 0; t < 20_000; t += 200) d.onOrder({ ...order, ts: t }); // 5 messages/s
 * let s = null;
 * for (let i = 0; i < 60 && s === null; i++) s = d.onOrder({ ...order, kind: 'delete', ts: 20_000 + i * 5 });
 * s?.evidence.messages; // 50 at ts 20 230: 47 deletes and the adds at 19 400, 19 600, 19 800 (10 x the 5 a second)
 * ```
 */
export class QuoteStuffing extends BaseDetector<QuoteStuffingState> {
  readonly kind = 'quoteStuffing';
  readonly inputs = DetectorInput.Book | DetectorInput.Trade | DetectorInput.Order;
  private readonly windowMs: number;
  private readonly threshold: number;
  private readonly critical: number;
  private readonly minMessages: number;
  private readonly minCancelToTrade: number;
  private readonly warmupMs: number;
  private readonly messages: EventWindow;
  private readonly cancels: EventWindow;
  private readonly trades: EventWindow;
  private readonly baseline: Ewma;
  private firstTs = NaN;
  private bucketStart = NaN;
  private bucketCount = 0;
  private bucketDirty = 0;
  private armed = 1;
  private sawOrder = 0;
  private sawTrade = 0;
  private lastMid = NaN;

  constructor(options: QuoteStuffingOptions = {}) {
    super();
    checkOptionKeys('QuoteStuffing', options, Object.keys(DEFAULT_QUOTE_STUFFING_OPTIONS));
    const o = { ...DEFAULT_QUOTE_STUFFING_OPTIONS, ...options };
    this.windowMs = positiveOption('windowMs', o.windowMs);
    this.threshold = positiveOption('threshold', o.threshold);
    this.critical = positiveOption('criticalThreshold', o.criticalThreshold);
    if (this.critical < this.threshold) {
      throw new InvalidOptionError('criticalThreshold', o.criticalThreshold, `>= threshold (${this.threshold})`);
    }
    this.minMessages = integerOption('minMessages', o.minMessages, 1);
    this.minCancelToTrade = nonNegativeOption('minCancelToTrade', o.minCancelToTrade);
    this.warmupMs = nonNegativeOption('warmupMs', o.warmupMs);
    this.baseline = new Ewma({ halfLife: positiveOption('baselineHalfLifeMs', o.baselineHalfLifeMs) / this.windowMs });
    this.messages = new EventWindow(this.windowMs);
    this.cancels = new EventWindow(this.windowMs);
    this.trades = new EventWindow(this.windowMs);
  }

  override onBook(book: BookSnapshot): Signal | null {
    const t = this.clock(book.ts);
    if (book.bidLevels > 0 && book.askLevels > 0) this.lastMid = (book.bidPx[0]! + book.askPx[0]!) / 2;
    if (this.sawOrder === 1) return null;
    return this.message(t, 1);
  }

  override onTrade(trade: Trade): Signal | null {
    const t = this.clock(trade.ts);
    this.sawTrade = 1;
    this.trades.push(t);
    return null;
  }

  override onOrder(order: OrderEvent): Signal | null {
    const t = this.clock(order.ts);
    this.sawOrder = 1;
    const kind = order.kind;
    if (kind === 'add') return this.message(t, 0);
    if (kind === 'cancel' || kind === 'delete') {
      this.cancels.push(t);
      return this.message(t, 0);
    }
    if ((kind === 'execute' || kind === 'executeHidden') && this.sawTrade === 0) this.trades.push(t);
    return null;
  }

  /** Count one message at `t`; `l2` = 1 when it is a book update (cancels unknown). */
  private message(t: number, l2: number): Signal | null {
    this.roll(t);
    if (!(this.firstTs === this.firstTs)) this.firstTs = t;
    this.bucketCount++;
    const n = this.messages.push(t);
    const expectedRaw = this.baseline.mean;
    const expected = expectedRaw > 1 ? expectedRaw : 1;
    const ratio = n / expected;
    if (ratio < this.threshold * 0.5) this.armed = 1;
    else if (this.armed === 0) this.bucketDirty = 1; // a burst that fired stays out of the baseline
    if (this.armed === 0 || n < this.minMessages || ratio < this.threshold || t - this.firstTs < this.warmupMs) return null;
    const trades = this.trades.evict(t);
    const cancels = l2 === 1 ? n : this.cancels.evict(t);
    const perTrade = cancels / (trades > 1 ? trades : 1);
    if (perTrade < this.minCancelToTrade) return null;
    this.armed = 0;
    this.bucketDirty = 1;
    return this.signal(t, ratio >= this.critical ? 'critical' : 'warning', 0, this.lastMid, ratio, {
      messages: n,
      expected,
      cancels,
      trades,
      cancelToTrade: perTrade,
      windowMs: this.windowMs,
    });
  }

  /** Close the buckets that ended before `t`. */
  private roll(t: number): void {
    if (!(this.bucketStart === this.bucketStart)) {
      this.bucketStart = t;
      return;
    }
    const k = Math.floor((t - this.bucketStart) / this.windowMs);
    if (k < 1) return;
    if (this.bucketDirty === 0) this.baseline.update(this.bucketCount);
    const empty = k - 1 < MAX_GAP_WINDOWS ? k - 1 : MAX_GAP_WINDOWS;
    for (let i = 0; i < empty; i++) this.baseline.update(0);
    this.bucketStart += k * this.windowMs;
    this.bucketCount = 0;
    this.bucketDirty = 0;
  }

  reset(): void {
    this.resetBase();
    this.messages.clear();
    this.cancels.clear();
    this.trades.clear();
    this.baseline.reset();
    this.firstTs = NaN;
    this.bucketStart = NaN;
    this.bucketCount = 0;
    this.bucketDirty = 0;
    this.armed = 1;
    this.sawOrder = 0;
    this.sawTrade = 0;
    this.lastMid = NaN;
  }

  snapshot(): QuoteStuffingState {
    return {
      type: 'QuoteStuffing',
      version: 1,
      clock: this.baseState(),
      values: encodeList([
        this.firstTs, this.bucketStart, this.bucketCount, this.bucketDirty, this.armed, this.sawOrder, this.sawTrade, this.lastMid,
      ]),
      messages: this.messages.encode(),
      cancels: this.cancels.encode(),
      trades: this.trades.encode(),
      baseline: this.baseline.snapshot(),
    };
  }

  restore(state: QuoteStuffingState): void {
    const T = 'QuoteStuffing';
    checkState(state, T, 1);
    const v = stateNumbers(T, 'values', state.values, 8, 8);
    this.baseline.restore(stateObject<EwmaState>(T, 'baseline', state.baseline));
    this.messages.decode(T, 'messages', state.messages);
    this.cancels.decode(T, 'cancels', state.cancels);
    this.trades.decode(T, 'trades', state.trades);
    this.restoreBase(T, state.clock);
    [this.firstTs, this.bucketStart, this.bucketCount, this.bucketDirty, this.armed, this.sawOrder, this.sawTrade, this.lastMid] =
      v as [number, number, number, number, number, number, number, number];
  }
}
