import { InvalidInputError, InvalidStateError } from '../core/errors.js';
import { checkState, decodeNumber, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, nonNegativeOption, positiveOption } from '../core/options.js';
import { fitHawkes, type HawkesFit, type HawkesFitOptions } from './hawkes-fit.js';

/** Options of {@link HawkesArrivals}. */
export interface HawkesArrivalsOptions {
  /**
   * Executions of one side closer than this (ms) to the previous kept arrival of that side are one
   * market order (one marketable order filling several resting orders shares a time stamp). 0 merges
   * only equal time stamps.
   * @defaultValue 0
   */
  mergeWithinMs?: number;
  /**
   * The time unit of the fits, in ms: parameters per second by default.
   * @defaultValue 1000
   */
  timeUnitMs?: number;
}

/** Defaults of {@link HawkesArrivalsOptions}. */
export const DEFAULT_HAWKES_ARRIVALS_OPTIONS: Readonly<Required<HawkesArrivalsOptions>> = Object.freeze({
  /** @defaultValue 0 */
  mergeWithinMs: 0,
  /** @defaultValue 1000 */
  timeUnitMs: 1000,
});

/** State of a {@link HawkesArrivals}: the kept arrival times per side (ms) and the counts. */
export interface HawkesArrivalsState extends OperatorState {
  readonly type: 'HawkesArrivals';
  readonly version: 1;
  readonly options: { readonly mergeWithinMs: number; readonly timeUnitMs: number };
  readonly buys: readonly number[];
  readonly sells: readonly number[];
  readonly merged: number;
  readonly unsigned: number;
  readonly lastTs: number | string;
}

/** What {@link HawkesArrivals.fitBoth} returns: the report's `hawkes` section. */
export interface HawkesSides {
  /** Buyer-initiated market orders. */
  buy: HawkesFit;
  /** Seller-initiated market orders. */
  sell: HawkesFit;
  /** Executions merged into an earlier arrival of their side. */
  merged: number;
  /** Executions without a side (side 0), not used. */
  unsigned: number;
}

/**
 * Collects market-order arrival times per aggressor side from a stream of executions, for Hawkes fits
 * of buy and sell market orders over a session ({@link fitHawkes}, jump-size form): the `hawkes`
 * section of a day report. Executions sharing a time stamp (or within `mergeWithinMs`) on one side
 * count as one market order (counted in `merged`); executions with side 0 (unknown) are counted in
 * `unsigned` and left out. Memory grows with the arrivals kept (8 bytes each, amortised growth: no
 * allocation per call in the steady state).
 *
 * `add(ts, side)` (or `update(trade)`): `ts` in ms, finite and non-decreasing per side ({@link InvalidInputError}
 * otherwise); `side` +1 buyer-initiated, -1 seller-initiated, 0 unknown. Fits run in `timeUnitMs`
 * units (per second by default) on the window from the side's first to its last arrival.
 *
 * @example
 * ```ts
 * const a = new HawkesArrivals();
 * a.add(0, 1); a.add(0, 1); a.add(1500, 1); a.add(2000, -1);
 * a.times(1); // Float64Array [0, 1.5] (seconds); a.merged === 1
 * ```
 */
export class HawkesArrivals implements Operator<{ readonly ts: number; readonly side?: number }, boolean, HawkesArrivalsState> {
  readonly mergeWithinMs: number;
  readonly timeUnitMs: number;
  private buys = new Float64Array(1024);
  private sells = new Float64Array(1024);
  private nBuys = 0;
  private nSells = 0;
  private nMerged = 0;
  private nUnsigned = 0;
  private lastTsValue = NaN;

  constructor(options: HawkesArrivalsOptions = {}) {
    checkOptionKeys('HawkesArrivals', options, ['mergeWithinMs', 'timeUnitMs']);
    this.mergeWithinMs = nonNegativeOption('HawkesArrivals.mergeWithinMs', options.mergeWithinMs ?? DEFAULT_HAWKES_ARRIVALS_OPTIONS.mergeWithinMs);
    this.timeUnitMs = positiveOption('HawkesArrivals.timeUnitMs', options.timeUnitMs ?? DEFAULT_HAWKES_ARRIVALS_OPTIONS.timeUnitMs);
  }

  /** Record one execution. Returns whether it started a new arrival (false: merged or unsigned). */
  add(ts: number, side: number): boolean {
    if (!Number.isFinite(ts)) throw new InvalidInputError('HawkesArrivals.add ts', ts, 'a finite number of ms');
    if (side !== 1 && side !== -1 && side !== 0) throw new InvalidInputError('HawkesArrivals.add side', side, '+1, -1 or 0');
    if (side === 0) {
      this.lastTsValue = ts;
      this.nUnsigned++;
      return false;
    }
    const buy = side === 1;
    const n = buy ? this.nBuys : this.nSells;
    let arr = buy ? this.buys : this.sells;
    if (n > 0) {
      const last = arr[n - 1]!;
      if (ts < last) throw new InvalidInputError('HawkesArrivals.add ts', ts, `>= the previous ${buy ? 'buy' : 'sell'} arrival ${last}`);
      if (ts - last <= this.mergeWithinMs) {
        this.lastTsValue = ts;
        this.nMerged++;
        return false;
      }
    }
    if (n === arr.length) {
      const grown = new Float64Array(arr.length * 2);
      grown.set(arr);
      arr = grown;
      if (buy) this.buys = grown;
      else this.sells = grown;
    }
    arr[n] = ts;
    this.lastTsValue = ts;
    if (buy) this.nBuys++;
    else this.nSells++;
    return true;
  }

  /** Record one trade (`side` absent counts as 0): `add(trade.ts, trade.side ?? 0)`. */
  update(trade: { readonly ts: number; readonly side?: number }): boolean {
    return this.add(trade.ts, trade.side ?? 0);
  }

  /** Arrivals kept for a side (+1 buys, -1 sells), in `timeUnitMs` units (a new array). */
  times(side: 1 | -1): Float64Array {
    const n = side === 1 ? this.nBuys : this.nSells;
    const src = side === 1 ? this.buys : this.sells;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = src[i]! / this.timeUnitMs;
    return out;
  }

  /** Arrivals kept for a side. */
  count(side: 1 | -1): number {
    return side === 1 ? this.nBuys : this.nSells;
  }

  /** `ts` of the last execution added, of any side (NaN before any). */
  get lastTs(): number {
    return this.lastTsValue;
  }

  /** Executions merged into an earlier arrival. */
  get merged(): number {
    return this.nMerged;
  }

  /** Executions with side 0, left out. */
  get unsigned(): number {
    return this.nUnsigned;
  }

  /** {@link fitHawkes} on one side's arrivals (window: its first to its last arrival, unless given). */
  fit(side: 1 | -1, options?: HawkesFitOptions): HawkesFit {
    return fitHawkes(this.times(side), options);
  }

  /** Fits of both sides and the counts: the report's `hawkes` section. */
  fitBoth(options?: HawkesFitOptions): HawkesSides {
    return { buy: this.fit(1, options), sell: this.fit(-1, options), merged: this.nMerged, unsigned: this.nUnsigned };
  }

  reset(): void {
    this.nBuys = 0;
    this.nSells = 0;
    this.nMerged = 0;
    this.nUnsigned = 0;
    this.lastTsValue = NaN;
  }

  snapshot(): HawkesArrivalsState {
    return {
      type: 'HawkesArrivals',
      version: 1,
      options: { mergeWithinMs: this.mergeWithinMs, timeUnitMs: this.timeUnitMs },
      buys: Array.from(this.buys.subarray(0, this.nBuys)),
      sells: Array.from(this.sells.subarray(0, this.nSells)),
      merged: this.nMerged,
      unsigned: this.nUnsigned,
      lastTs: encodeNumber(this.lastTsValue),
    };
  }

  restore(state: HawkesArrivalsState): void {
    checkState(state, 'HawkesArrivals', 1);
    const o = state.options;
    if (o === null || typeof o !== 'object' || o.mergeWithinMs !== this.mergeWithinMs || o.timeUnitMs !== this.timeUnitMs) {
      throw new InvalidStateError('HawkesArrivals', `state was taken with options ${JSON.stringify(o)}, this collector has mergeWithinMs ${this.mergeWithinMs}, timeUnitMs ${this.timeUnitMs}`);
    }
    const check = (name: string, xs: unknown): number[] => {
      if (!Array.isArray(xs) || xs.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
        throw new InvalidStateError('HawkesArrivals', `field "${name}" must be an array of finite numbers`);
      }
      return xs as number[];
    };
    const buys = check('buys', state.buys);
    const sells = check('sells', state.sells);
    for (const [name, v] of [['merged', state.merged], ['unsigned', state.unsigned]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new InvalidStateError('HawkesArrivals', `field "${name}" must be an integer >= 0`);
    }
    this.buys = new Float64Array(Math.max(1024, buys.length));
    this.buys.set(buys);
    this.sells = new Float64Array(Math.max(1024, sells.length));
    this.sells.set(sells);
    this.nBuys = buys.length;
    this.nSells = sells.length;
    this.nMerged = state.merged;
    this.nUnsigned = state.unsigned;
    this.lastTsValue = decodeNumber(state.lastTs);
  }
}
