import type { BookSnapshot } from '../core/events.js';
import { checkState, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, oneOfOption } from '../core/options.js';
import { bestAsk, bestBid, checkTs, positiveOrInfinityOption, stateInteger, stateNumbers } from './internal.js';

/** Options of {@link QuotedSpread}. */
export interface QuotedSpreadOptions {
  /**
   * `'bps'`: `(ask - bid) / mid * 1e4`; `'price'`: `ask - bid` in price units.
   * @defaultValue 'bps'
   */
  unit?: 'bps' | 'price';
  /**
   * Exponential time weighting: a quote's interval `halfLifeMs` ago weighs half as much as one now.
   * `Infinity` weighs all time equally (the average since the start or `reset`).
   * @defaultValue Infinity
   */
  halfLifeMs?: number;
}

/** Defaults of {@link QuotedSpreadOptions}. */
export const DEFAULT_QUOTED_SPREAD_OPTIONS: Readonly<Required<QuotedSpreadOptions>> = Object.freeze({
  unit: 'bps',
  halfLifeMs: Number.POSITIVE_INFINITY,
});

/** State of a {@link QuotedSpread}. */
export interface QuotedSpreadState extends OperatorState {
  readonly type: 'QuotedSpread';
  readonly version: 1;
  /** [lastTs, current spread, weighted sum, weight]. */
  readonly values: ReadonlyArray<number | string>;
  readonly lateEvents: number;
}

/**
 * Time-weighted quoted spread: each quote's spread weighs by how long it stood.
 *
 * ```text
 * s_i = ask_i - bid_i                 ('price')   or   (ask_i - bid_i) / mid_i * 1e4   ('bps')
 * TWQS(t) = sum_i s_i * w_i / sum_i w_i,   w_i = the time quote i stood before the next one (ms)
 * ```
 *
 * With a finite `halfLifeMs` (tau = halfLifeMs / ln 2) each interval's weight is its exponentially
 * discounted length, `integral exp(-(t - u) / tau) du` over the interval, so recent quotes count more.
 *
 * - Input: quotes by `onQuote(ts, bid, ask)` (returns the value) or books by `update(book)` /
 *   `onBook(book)`. Output: the average over the intervals closed so far (up to the latest quote's
 *   time): NaN until two quotes with a time between them. `valueAt(ts)` also counts the current quote
 *   up to `ts`, without changing the state.
 * - A quote with a missing side (NaN) has no spread: its interval counts for neither sum (but time
 *   still discounts the past). A crossed quote (bid > ask) counts with its negative spread.
 * - Late quotes (time before the latest seen) are taken at the latest time (their interval so far is
 *   0) and counted in `lateEvents`. Allocation-free.
 *
 * Reference: the quoted spread as in e.g. Hasbrouck (2007), "Empirical Market Microstructure"; time
 * weighting by quote duration (each quote counts for as long as it stood).
 *
 * @example
 * ```ts
 * const qs = new QuotedSpread({ unit: 'price' });
 * qs.onQuote(0, 100, 101);      // NaN (no interval yet)
 * qs.onQuote(3000, 100, 100.5); // 1 (1.0 for 3 s)
 * qs.onQuote(4000, 100, 101);   // 0.875 ((1 * 3000 + 0.5 * 1000) / 4000)
 * ```
 */
export class QuotedSpread implements Operator<BookSnapshot, number, QuotedSpreadState> {
  private readonly bps: boolean;
  /** 1 / tau in 1/ms (0 for Infinity). */
  private readonly rate: number;
  private lastTs = Number.NaN;
  private current = Number.NaN;
  private sum = 0;
  private weight = 0;
  private late = 0;

  constructor(options: QuotedSpreadOptions = {}) {
    checkOptionKeys('QuotedSpread', options, Object.keys(DEFAULT_QUOTED_SPREAD_OPTIONS));
    const o = { ...DEFAULT_QUOTED_SPREAD_OPTIONS, ...options };
    this.bps = oneOfOption('unit', o.unit, ['bps', 'price'] as const) === 'bps';
    const h = positiveOrInfinityOption('halfLifeMs', o.halfLifeMs);
    this.rate = Number.isFinite(h) ? Math.LN2 / h : 0;
  }

  /** Record a quote at `ts`; returns the time-weighted spread through `ts`. */
  onQuote(ts: number, bid: number, ask: number): number {
    checkTs('QuotedSpread.onQuote', ts);
    if (ts < this.lastTs) {
      this.late++;
      ts = this.lastTs;
    }
    if (this.lastTs === this.lastTs) this.accumulate(ts - this.lastTs);
    this.lastTs = ts;
    const s = ask - bid;
    this.current = this.bps ? (s / ((ask + bid) / 2)) * 1e4 : s;
    return this.weight > 0 ? this.sum / this.weight : NaN;
  }

  /** Record the best quotes of `book` at `book.ts`; returns the value. */
  onBook(book: BookSnapshot): number {
    return this.onQuote(book.ts, bestBid(book), bestAsk(book));
  }

  /** Same as `onBook`. */
  update(book: BookSnapshot): number {
    return this.onQuote(book.ts, bestBid(book), bestAsk(book));
  }

  /** The value as if time were `ts` (the current quote counted up to `ts`); no state change. */
  valueAt(ts: number): number {
    const sum = this.sum;
    const weight = this.weight;
    this.accumulate(ts > this.lastTs ? ts - this.lastTs : 0);
    const value = this.weight > 0 ? this.sum / this.weight : NaN;
    this.sum = sum;
    this.weight = weight;
    return value;
  }

  /** The value through the latest quote's time (NaN before an interval). */
  get value(): number {
    return this.weight > 0 ? this.sum / this.weight : NaN;
  }

  /** Late quotes (taken at the latest time seen). */
  get lateEvents(): number {
    return this.late;
  }

  private accumulate(dt: number): void {
    if (this.rate > 0) {
      const decay = Math.exp(-dt * this.rate);
      const w = -Math.expm1(-dt * this.rate) / this.rate;
      this.sum *= decay;
      this.weight *= decay;
      if (this.current === this.current) {
        this.sum += this.current * w;
        this.weight += w;
      }
    } else if (this.current === this.current) {
      this.sum += this.current * dt;
      this.weight += dt;
    }
  }

  reset(): void {
    this.lastTs = Number.NaN;
    this.current = Number.NaN;
    this.sum = 0;
    this.weight = 0;
    this.late = 0;
  }

  snapshot(): QuotedSpreadState {
    return {
      type: 'QuotedSpread',
      version: 1,
      values: encodeNumbers([this.lastTs, this.current, this.sum, this.weight]),
      lateEvents: this.late,
    };
  }

  restore(state: QuotedSpreadState): void {
    checkState(state, 'QuotedSpread', 1);
    const v = stateNumbers('QuotedSpread', 'values', state.values, 4, 4);
    const late = stateInteger('QuotedSpread', 'lateEvents', state.lateEvents);
    [this.lastTs, this.current, this.sum, this.weight] = v as [number, number, number, number];
    this.late = late;
  }
}
