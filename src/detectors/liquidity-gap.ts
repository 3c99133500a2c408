import type { BookSnapshot, Trade } from '../core/events.js';
import { checkState } from '../core/operator.js';
import { checkOptionKeys, fractionOption, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { Ewma, type EwmaState } from '../stats/ewma.js';
import type { Signal } from '../trades/signal.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from './detector.js';
import { encodeList, stateNumbers, stateObject } from './internal.js';

/** Options of {@link LiquidityGap}. */
export interface LiquidityGapOptions {
  /**
   * The top levels of a side watched.
   * @defaultValue 3
   */
  levels?: number;
  /**
   * A gap: the size left at the prices of the reference's top levels (or better) is at most
   * `maxFraction` of what the reference held there.
   * @defaultValue 0.1
   */
  maxFraction?: number;
  /**
   * The reference book of a side is refreshed every `lookbackMs` (outside gaps): a gap is size that
   * vanished within about this time.
   * @defaultValue 50
   */
  lookbackMs?: number;
  /**
   * How long the gap must last before it fires, ms.
   * @defaultValue 200
   */
  minDurationMs?: number;
  /**
   * The reference's top-level size must be at least this fraction of its baseline (a side that was
   * already thin, under 30% of its usual size, cannot open a gap: the spread test below keeps a sparse
   * book quiet).
   * @defaultValue 0.3
   */
  minRefFraction?: number;
  /**
   * At the start of a gap the spread must be at least `minSpreadRatio` times its baseline (the side's
   * best price jumped away, not one level of a sparse book re-priced); 0 turns the test off.
   * @defaultValue 2.5
   */
  minSpreadRatio?: number;
  /**
   * Half-life of the baselines (each side's top-level size, the spread) (time EWMA of the references), ms.
   * @defaultValue 300000
   */
  baselineHalfLifeMs?: number;
  /**
   * Time of baseline history before the detector can fire, ms.
   * @defaultValue 30000
   */
  warmupMs?: number;
}

/** Defaults of {@link LiquidityGapOptions}. */
export const DEFAULT_LIQUIDITY_GAP_OPTIONS: Readonly<Required<LiquidityGapOptions>> = Object.freeze({
  levels: 3,
  maxFraction: 0.1,
  lookbackMs: 50,
  minDurationMs: 200,
  minRefFraction: 0.3,
  minSpreadRatio: 2.5,
  baselineHalfLifeMs: 300_000,
  warmupMs: 30_000,
});

/** State of a {@link LiquidityGap}. */
export interface LiquidityGapState extends BaseDetectorState {
  readonly type: 'LiquidityGap';
  readonly version: 2;
  /**
   * `[firstTs, instantTs, then per side (bid, ask): refTs, refSize, boundary, traded, candStart, candSize,
   * candFired, lastSize, lastBoundary]`.
   */
  readonly values: ReadonlyArray<number | string>;
  readonly bidBaseline: EwmaState;
  readonly askBaseline: EwmaState;
  readonly spreadBaseline: EwmaState;
}

// per-side fields
const REF_TS = 0;
const REF_SIZE = 1;
const BOUNDARY = 2;
const TRADED = 3;
const CAND_START = 4;
const CAND_SIZE = 5;
const CAND_FIRED = 6;
/** The top `levels` size and deepest price of the side in the latest book (the next reference). */
const LAST_SIZE = 7;
const LAST_BOUNDARY = 8;
const SIDE_FIELDS = 9;

/**
 * Liquidity gap: the top levels of one side empty out (zero or tiny size where the side's best
 * levels just were), withdrawn rather than traded away, and stay empty.
 *
 * ```text
 * reference (per side, refreshed every lookbackMs outside gaps, at the first event of a new time
 *            stamp, from the book as it stood before that instant): the top `levels` levels;
 *            R = their size, b = the deepest of their prices
 * left      = size now at prices at or better than b (bids >= b, asks <= b)
 * traded    = volume traded against the side since the reference
 * a gap starts when R >= minRefFraction * baseline(R), left <= maxFraction * R,
 *                   traded <= (R - left) / 2          (the size was withdrawn, not traded) and
 *                   spread >= minSpreadRatio * baseline(spread)   (the best price jumped away)
 * fires when the gap has lasted minDurationMs (left still <= maxFraction * R); one signal per gap
 * the gap ends when left > maxFraction * R (refilled) or, once signalled, when the other side's touch
 *                   reaches b (asks <= b for a bid gap, bids >= b for an ask gap: the market moved
 *                   through the emptied prices, which the side cannot refill without crossing)
 * ```
 *
 * Events that share a time stamp are one instant: an order book that reports each cancellation of a
 * withdrawal as its own update shows the side half-emptied in between, and a reference taken there
 * would hide the gap. So the reference is the book before the instant, never one in the middle of it.
 *
 * A gap in the book near the touch ("liquidity hole"): the next market order on that side would walk
 * through empty prices; Easley, Lopez de Prado & O'Hara (2011), "The microstructure of the 'Flash
 * Crash'", Journal of Portfolio Management 37(2), describe liquidity providers withdrawing before the
 * 6 May 2010 crash. The reference is a recent book of the same side, so the rule compares a side with
 * itself a moment ago; the baseline keeps a book that is always thin from firing. Size traded away
 * (a sweep) is not a withdrawal: that is the flash-crash and depth-shock detectors' business.
 *
 * - Input: books, trades (with `side`, to tell traded from withdrawn size). Output: a {@link Signal}
 *   (`kind: 'liquidityGap'`, `side` the side that emptied (+1 bids), `price` the reference's deepest
 *   price `b`, `score` = 1 - left / R; evidence `left, referenceSize, baseline, traded, durationMs,
 *   bestPrice` (the side's best price now, NaN when empty)), `'critical'` when the side is empty.
 * - Warm-up: `warmupMs` of book history.
 * - Cannot see: hidden liquidity, and orders beyond the book's depth; a gap that opens slower than
 *   `lookbackMs` (liquidity that drains away steadily) is compared with an already-thinned reference.
 *
 * @example
 * ```ts
 * const d = new LiquidityGap({ warmupMs: 1000, levels: 2 });
 * const full = (ts: number) => bookFromLevels([[99.99, 500], [99.98, 500], [99.97, 500], [99.96, 500]], [[100.01, 500], [100.02, 500]], { ts });
 * for (let t = 0; t <= 2000; t += 10) d.onBook(full(t));
 * const gap = (ts: number) => bookFromLevels([[99.95, 500]], [[100.01, 500], [100.02, 500]], { ts });
 * d.onBook(gap(2005)); // null (the gap opens: 99.99 to 99.96 gone at once, the spread 0.06 is 3 x 0.02)
 * d.onBook(gap(2205))?.side; // 1 (200 ms later, still empty)
 * ```
 */
export class LiquidityGap extends BaseDetector<LiquidityGapState> {
  readonly kind = 'liquidityGap';
  readonly inputs = DetectorInput.Book | DetectorInput.Trade;
  private readonly levels: number;
  private readonly maxFraction: number;
  private readonly lookbackMs: number;
  private readonly minDurationMs: number;
  private readonly minRefFraction: number;
  private readonly warmupMs: number;
  private readonly bidBaseline: Ewma;
  private readonly askBaseline: Ewma;
  private readonly spreadBaseline: Ewma;
  private readonly minSpreadRatio: number;
  private firstTs = NaN;
  /** The time stamp of the latest instant whose first event refreshed the due references. */
  private instantTs = NaN;
  /** Whether the current book's spread passes the `minSpreadRatio` test. */
  private wide = true;
  private readonly s = new Float64Array(2 * SIDE_FIELDS).fill(NaN);

  constructor(options: LiquidityGapOptions = {}) {
    super();
    checkOptionKeys('LiquidityGap', options, Object.keys(DEFAULT_LIQUIDITY_GAP_OPTIONS));
    const o = { ...DEFAULT_LIQUIDITY_GAP_OPTIONS, ...options };
    this.levels = integerOption('levels', o.levels, 1);
    this.maxFraction = fractionOption('maxFraction', o.maxFraction, 0, 1);
    this.lookbackMs = positiveOption('lookbackMs', o.lookbackMs);
    this.minDurationMs = nonNegativeOption('minDurationMs', o.minDurationMs);
    this.minRefFraction = nonNegativeOption('minRefFraction', o.minRefFraction);
    this.warmupMs = nonNegativeOption('warmupMs', o.warmupMs);
    const halfLifeMs = positiveOption('baselineHalfLifeMs', o.baselineHalfLifeMs);
    this.bidBaseline = new Ewma({ halfLifeMs });
    this.askBaseline = new Ewma({ halfLifeMs });
    this.spreadBaseline = new Ewma({ halfLifeMs });
    this.minSpreadRatio = nonNegativeOption('minSpreadRatio', o.minSpreadRatio);
    this.clearSides();
  }

  private clearSides(): void {
    const s = this.s;
    s.fill(NaN);
    for (let k = 0; k < 2; k++) {
      s[k * SIDE_FIELDS + TRADED] = 0;
      s[k * SIDE_FIELDS + CAND_FIRED] = 0;
    }
  }

  override onTrade(trade: Trade): Signal | null {
    this.instant(this.clock(trade.ts));
    const size = trade.size;
    if (!(size > 0) || size === Number.POSITIVE_INFINITY) return null;
    const side = trade.side;
    // A buyer-initiated trade takes asks; unknown sides count against both.
    if (side !== 1) this.s[TRADED] = this.s[TRADED]! + size;
    if (side !== -1) this.s[SIDE_FIELDS + TRADED] = this.s[SIDE_FIELDS + TRADED]! + size;
    return null;
  }

  override onBook(book: BookSnapshot): Signal | null {
    const t = this.clock(book.ts);
    this.instant(t);
    if (!(this.firstTs === this.firstTs)) this.firstTs = t;
    const warm = t - this.firstTs >= this.warmupMs;
    const both = book.bidLevels > 0 && book.askLevels > 0;
    const spread = both ? book.askPx[0]! - book.bidPx[0]! : Number.POSITIVE_INFINITY;
    this.wide = !(spread < this.minSpreadRatio * this.spreadBaseline.mean);
    const a = this.side(t, 1, book.bidPx, book.bidSz, book.bidLevels, warm, book.askLevels > 0 ? book.askPx[0]! : NaN);
    const b = this.side(t, -1, book.askPx, book.askSz, book.askLevels, warm, book.bidLevels > 0 ? book.bidPx[0]! : NaN);
    this.remember(0, book.bidPx, book.bidSz, book.bidLevels);
    this.remember(SIDE_FIELDS, book.askPx, book.askSz, book.askLevels);
    const s = this.s;
    if (both && spread > 0 && spread !== Number.POSITIVE_INFINITY && s[CAND_START] !== s[CAND_START] && s[SIDE_FIELDS + CAND_START] !== s[SIDE_FIELDS + CAND_START]) {
      this.spreadBaseline.update(spread, t);
    }
    return a !== null ? a : b;
  }

  /**
   * At the first event of a new time stamp `t`, the latest book is the one as it stood before the
   * instant: it becomes the reference of each side that is due (outside a gap, `lookbackMs` after the last).
   */
  private instant(t: number): void {
    if (t <= this.instantTs) return;
    this.instantTs = t;
    const s = this.s;
    for (let o = 0; o <= SIDE_FIELDS; o += SIDE_FIELDS) {
      if (s[o + CAND_START] === s[o + CAND_START] || t - s[o + REF_TS]! < this.lookbackMs) continue;
      const size = s[o + LAST_SIZE]!;
      s[o + REF_TS] = t;
      s[o + REF_SIZE] = size;
      s[o + BOUNDARY] = s[o + LAST_BOUNDARY]!;
      s[o + TRADED] = 0;
      if (size === size) (o === 0 ? this.bidBaseline : this.askBaseline).update(size, t);
    }
  }

  /** Keeps the side's top `levels` size and deepest price (NaN when empty or not finite), the next reference. */
  private remember(o: number, px: Float64Array, sz: Float64Array, n: number): void {
    const s = this.s;
    const count = n < px.length ? n : px.length;
    const k = count < this.levels ? count : this.levels;
    let size = 0;
    for (let i = 0; i < k; i++) size += sz[i]!;
    const ok = k > 0 && size >= 0 && size !== Number.POSITIVE_INFINITY;
    s[o + LAST_SIZE] = ok ? size : NaN;
    s[o + LAST_BOUNDARY] = ok ? px[k - 1]! : NaN;
  }

  private side(t: number, side: 1 | -1, px: Float64Array, sz: Float64Array, n: number, warm: boolean, otherBest: number): Signal | null {
    const s = this.s;
    const o = side > 0 ? 0 : SIDE_FIELDS;
    const base = side > 0 ? this.bidBaseline : this.askBaseline;
    const count = n < px.length ? n : px.length;
    let out: Signal | null = null;
    if (s[o + CAND_START] === s[o + CAND_START]) {
      const left = sizeWithin(px, sz, count, s[o + BOUNDARY]!, side);
      const refSize = s[o + CAND_SIZE]!;
      const b = s[o + BOUNDARY]!;
      const through = s[o + CAND_FIRED] === 1 && (side > 0 ? otherBest <= b : otherBest >= b);
      if (!(left <= this.maxFraction * refSize) || through) {
        // refilled, or (once signalled) the market moved through the emptied prices: the gap is over;
        // a new reference is taken at the next instant
        s[o + CAND_START] = NaN;
        s[o + CAND_FIRED] = 0;
        s[o + REF_SIZE] = NaN;
        s[o + REF_TS] = Number.NEGATIVE_INFINITY;
      } else if (s[o + CAND_FIRED] === 0 && t - s[o + CAND_START]! >= this.minDurationMs) {
        s[o + CAND_FIRED] = 1;
        const duration = t - s[o + CAND_START]!;
        out = this.signal(t, count === 0 ? 'critical' : 'warning', side, s[o + BOUNDARY]!, 1 - left / refSize, {
          left,
          referenceSize: refSize,
          baseline: base.mean,
          traded: s[o + TRADED]!,
          durationMs: duration,
          bestPrice: count > 0 ? px[0]! : NaN,
        });
      }
      return out;
    }
    const refSize = s[o + REF_SIZE]!;
    if (refSize === refSize && warm && refSize > 0 && refSize >= this.minRefFraction * base.mean) {
      const left = sizeWithin(px, sz, count, s[o + BOUNDARY]!, side);
      if (left <= this.maxFraction * refSize && s[o + TRADED]! <= 0.5 * (refSize - left) && this.wide) {
        s[o + CAND_START] = t;
        s[o + CAND_SIZE] = refSize;
        s[o + CAND_FIRED] = 0;
        if (this.minDurationMs === 0) return this.side(t, side, px, sz, n, warm, otherBest);
        return null;
      }
    }
    return null;
  }

  reset(): void {
    this.resetBase();
    this.bidBaseline.reset();
    this.askBaseline.reset();
    this.spreadBaseline.reset();
    this.firstTs = NaN;
    this.instantTs = NaN;
    this.clearSides();
  }

  snapshot(): LiquidityGapState {
    return {
      type: 'LiquidityGap',
      version: 2,
      clock: this.baseState(),
      values: encodeList([this.firstTs, this.instantTs, ...this.s]),
      bidBaseline: this.bidBaseline.snapshot(),
      askBaseline: this.askBaseline.snapshot(),
      spreadBaseline: this.spreadBaseline.snapshot(),
    };
  }

  restore(state: LiquidityGapState): void {
    const T = 'LiquidityGap';
    checkState(state, T, 2);
    const v = stateNumbers(T, 'values', state.values, 2 + 2 * SIDE_FIELDS, 2 + 2 * SIDE_FIELDS);
    this.bidBaseline.restore(stateObject<EwmaState>(T, 'bidBaseline', state.bidBaseline));
    this.askBaseline.restore(stateObject<EwmaState>(T, 'askBaseline', state.askBaseline));
    this.spreadBaseline.restore(stateObject<EwmaState>(T, 'spreadBaseline', state.spreadBaseline));
    this.restoreBase(T, state.clock);
    this.firstTs = v[0]!;
    this.instantTs = v[1]!;
    this.s.set(v.slice(2));
  }
}

/** Size on a side at prices at or better than `boundary` (bids >= it, asks <= it). */
function sizeWithin(px: Float64Array, sz: Float64Array, n: number, boundary: number, side: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = px[i]!;
    if (side > 0 ? p >= boundary : p <= boundary) s += sz[i]!;
    else break;
  }
  return s;
}
