import type { Trade } from '../core/events.js';
import { checkState, encodeNumber, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, finiteOption, positiveOption } from '../core/options.js';
import { checkTrade, checkTs, stateBoolean, stateInteger, stateNumber, stateNumbers, windowOption } from './internal.js';

/** Options of {@link Amihud}. */
export interface AmihudOptions {
  /**
   * Bucket length in ms.
   * @defaultValue 300000 (5 minutes)
   */
  bucketMs?: number;
  /**
   * Buckets are `[originMs + k * bucketMs, originMs + (k + 1) * bucketMs)`. With the default 0 they are
   * aligned to multiples of `bucketMs` since midnight (session-relative times) or the epoch; 09:30 is
   * a multiple of 5 minutes, so 5-minute buckets from 09:30 are the same.
   * @defaultValue 0
   */
  originMs?: number;
  /**
   * Average over the last `window` closed buckets; `Infinity` = all closed buckets (expanding).
   * @defaultValue Infinity
   */
  window?: number;
}

/** Defaults of {@link AmihudOptions}. */
export const DEFAULT_AMIHUD_OPTIONS: Readonly<Required<AmihudOptions>> = Object.freeze({
  bucketMs: 300_000,
  originMs: 0,
  window: Number.POSITIVE_INFINITY,
});

/** State of an {@link Amihud}. */
export interface AmihudState extends OperatorState {
  readonly type: 'Amihud';
  readonly version: 1;
  readonly open: boolean;
  readonly bucket: number | string;
  /** [firstPrice, prevClose, close, dollarVolume, lastTs]. */
  readonly current: ReadonlyArray<number | string>;
  readonly lateEvents: number;
  readonly buckets: number;
  readonly emptyBuckets: number;
  readonly sum: number | string;
  readonly sumDollarVolume: number | string;
  /** The window's ratios, oldest first (only with a finite window). */
  readonly ratios: ReadonlyArray<number | string>;
}

/**
 * Amihud (2002) illiquidity: the mean absolute return per dollar traded, over time buckets, streamed.
 *
 * ```text
 * bucket k = floor((t - originMs) / bucketMs), only buckets with >= 1 trade
 * r_k  = close_k / close_{k-1} - 1        (first bucket: close_0 / first trade price - 1)
 * DV_k = sum of price * size in bucket k  (dollar volume)
 * ILLIQ = mean over buckets of |r_k| / DV_k     [1 / dollars; often quoted x 1e9]
 * ```
 *
 * - Input: trades in time order. Output: ILLIQ over the closed buckets (all, or the last `window`);
 *   NaN until the first bucket closes. A bucket closes when a trade of a later bucket arrives,
 *   `advanceTo(ts)` passes its end, or `flush()` (end of stream) is called; so the value lags the
 *   bucket's end by up to one event.
 * - A bucket with zero dollar volume (only zero-size trades) has no ratio: it is skipped and counted in
 *   `emptyBuckets`. Late trades (time before the latest seen) go to the current bucket and are counted
 *   in `lateEvents`. Non-finite times, prices or sizes throw `InvalidInputError`.
 * - Allocation-free per call (the window ring is allocated once).
 *
 * Reference: Y. Amihud (2002), "Illiquidity and stock returns: cross-section and time-series effects",
 * Journal of Financial Markets 5(1), 31-56 (daily |r| / dollar volume; here on intraday buckets); the
 * reference README's `amihud` (5-minute buckets from 09:30).
 *
 * @example
 * ```ts
 * const illiq = new Amihud({ bucketMs: 60_000 });
 * illiq.update({ ts: 0, price: 100, size: 10 });      // NaN (bucket 0 open)
 * illiq.update({ ts: 30_000, price: 101, size: 10 }); // NaN
 * illiq.update({ ts: 60_000, price: 100, size: 50 }); // 0.000004975124378109457 (bucket 0: 0.01 / 2010)
 * illiq.flush();                                      // bucket 1: |100/101 - 1| / 5000
 * illiq.value;                                        // 0.00000347766119895572 (mean of the two)
 * ```
 */
export class Amihud implements Operator<Trade, number, AmihudState> {
  private readonly bucketMs: number;
  private readonly originMs: number;
  private readonly window: number;
  private readonly ring: Float64Array;
  private open = false;
  private bucket = NaN;
  private firstPrice = NaN;
  private prevClose = NaN;
  private close = NaN;
  private dollarVolume = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  private late = 0;
  private n = 0;
  private empty = 0;
  private total = 0;
  private totalDv = 0;

  constructor(options: AmihudOptions = {}) {
    checkOptionKeys('Amihud', options, Object.keys(DEFAULT_AMIHUD_OPTIONS));
    const o = { ...DEFAULT_AMIHUD_OPTIONS, ...options };
    this.bucketMs = positiveOption('bucketMs', o.bucketMs);
    this.originMs = finiteOption('originMs', o.originMs);
    this.window = windowOption('window', o.window);
    this.ring = new Float64Array(Number.isFinite(this.window) ? this.window : 0);
  }

  /** Add one trade; returns ILLIQ over the closed buckets (NaN before the first closes). */
  update(trade: Trade): number {
    checkTrade('Amihud.update', trade);
    let ts = trade.ts;
    if (ts < this.lastTs) {
      this.late++;
      ts = this.lastTs;
    } else {
      this.lastTs = ts;
    }
    const k = Math.floor((ts - this.originMs) / this.bucketMs);
    if (this.open && k !== this.bucket) this.closeBucket();
    if (!this.open) {
      this.open = true;
      this.bucket = k;
      this.dollarVolume = 0;
    }
    const price = trade.price;
    if (!(this.firstPrice === this.firstPrice)) this.firstPrice = price;
    this.close = price;
    this.dollarVolume += price * trade.size;
    return this.value;
  }

  /** Time has reached `ts`: close the open bucket if `ts` is past its end. */
  advanceTo(ts: number): void {
    checkTs('Amihud.advanceTo', ts);
    if (ts > this.lastTs) this.lastTs = ts;
    if (this.open && Math.floor((this.lastTs - this.originMs) / this.bucketMs) !== this.bucket) this.closeBucket();
  }

  /** End of stream: close the open bucket. */
  flush(): void {
    if (this.open) this.closeBucket();
  }

  private closeBucket(): void {
    this.open = false;
    const base = this.prevClose === this.prevClose ? this.prevClose : this.firstPrice;
    const r = this.close / base - 1;
    this.prevClose = this.close;
    if (!(this.dollarVolume > 0)) {
      this.empty++;
      return;
    }
    const ratio = Math.abs(r) / this.dollarVolume;
    const w = this.ring.length;
    if (w > 0) this.ring[this.n % w] = ratio;
    this.n++;
    this.total += ratio;
    this.totalDv += this.dollarVolume;
  }

  /** ILLIQ over the closed buckets (all, or the last `window`); NaN before the first closes. */
  get value(): number {
    const n = this.n;
    if (n === 0) return NaN;
    const w = this.ring.length;
    if (w === 0) return this.total / n;
    const m = n < w ? n : w;
    let s = 0;
    for (let i = 0; i < m; i++) s += this.ring[i]!;
    return s / m;
  }

  /** Closed buckets with a ratio. */
  get buckets(): number {
    return this.n;
  }

  /** Closed buckets without dollar volume (skipped). */
  get emptyBuckets(): number {
    return this.empty;
  }

  /** Dollar volume of all closed buckets. */
  get dollarVolumeTotal(): number {
    return this.totalDv;
  }

  /** Late trades (processed at the latest time seen). */
  get lateEvents(): number {
    return this.late;
  }

  reset(): void {
    this.open = false;
    this.bucket = NaN;
    this.firstPrice = NaN;
    this.prevClose = NaN;
    this.close = NaN;
    this.dollarVolume = 0;
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.late = 0;
    this.n = 0;
    this.empty = 0;
    this.total = 0;
    this.totalDv = 0;
    this.ring.fill(0);
  }

  snapshot(): AmihudState {
    const w = this.ring.length;
    const ratios: number[] = [];
    if (w > 0) {
      const m = this.n < w ? this.n : w;
      for (let i = this.n - m; i < this.n; i++) ratios.push(this.ring[i % w]!);
    }
    return {
      type: 'Amihud',
      version: 1,
      open: this.open,
      bucket: encodeNumber(this.bucket),
      current: encodeNumbers([this.firstPrice, this.prevClose, this.close, this.dollarVolume, this.lastTs]),
      lateEvents: this.late,
      buckets: this.n,
      emptyBuckets: this.empty,
      sum: encodeNumber(this.total),
      sumDollarVolume: encodeNumber(this.totalDv),
      ratios: encodeNumbers(ratios),
    };
  }

  restore(state: AmihudState): void {
    checkState(state, 'Amihud', 1);
    const t = 'Amihud';
    const open = stateBoolean(t, 'open', state.open);
    const bucket = stateNumber(t, 'bucket', state.bucket);
    const cur = stateNumbers(t, 'current', state.current, 5, 5);
    const late = stateInteger(t, 'lateEvents', state.lateEvents);
    const n = stateInteger(t, 'buckets', state.buckets);
    const empty = stateInteger(t, 'emptyBuckets', state.emptyBuckets);
    const total = stateNumber(t, 'sum', state.sum);
    const totalDv = stateNumber(t, 'sumDollarVolume', state.sumDollarVolume);
    const w = this.ring.length;
    const expected = w > 0 ? Math.min(n, w) : 0;
    const ratios = stateNumbers(t, 'ratios', state.ratios, expected, expected);
    this.reset();
    this.open = open;
    this.bucket = bucket;
    [this.firstPrice, this.prevClose, this.close, this.dollarVolume, this.lastTs] = cur as [number, number, number, number, number];
    this.late = late;
    this.n = n;
    this.empty = empty;
    this.total = total;
    this.totalDv = totalDv;
    for (let k = 0; k < ratios.length; k++) this.ring[(n - ratios.length + k) % w] = ratios[k]!;
  }
}
