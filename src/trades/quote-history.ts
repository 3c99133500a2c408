import { InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumbers, type OperatorState } from '../core/operator.js';
import { nonNegativeOption } from '../core/options.js';
import { stateNumbers } from './internal.js';

/** State of a {@link QuoteHistory}: the retained quotes, oldest first, NaN-safe encoded. */
export interface QuoteHistoryState extends OperatorState {
  readonly type: 'QuoteHistory';
  readonly version: 1;
  readonly ts: ReadonlyArray<number | string>;
  readonly bid: ReadonlyArray<number | string>;
  readonly ask: ReadonlyArray<number | string>;
}

/**
 * The quotes (best bid and ask) of the last `lagMs` milliseconds, for "the quote in effect at
 * `t - lagMs`" look-ups: the building block of the quote-based trade classifiers (Lee & Ready's quote
 * lag).
 *
 * - `push(ts, bid, ask)` records a quote (numbers only; no object is kept). Times must not decrease
 *   (the operators using it clamp late events first).
 * - `lookup(t)` finds the last quote with `ts <= t - lagMs` and leaves it in `bid` / `ask` (NaN, NaN
 *   when there is none); it returns whether one was found. `t` must not decrease between calls either.
 * - Storage: three `Float64Array` rings. Quotes superseded at `q - lagMs` (q = the newest quote's
 *   time) can never be looked up again and are dropped on `push`, so the ring holds the quotes of the
 *   last `lagMs` ms plus one: a single quote when `lagMs = 0`. The ring starts at `initialCapacity`
 *   and doubles when a push finds it full (the only allocation; it never shrinks until `reset`).
 *
 * @example
 * ```ts
 * const h = new QuoteHistory(5000);
 * h.push(1000, 99, 101);
 * h.push(4000, 100, 102);
 * h.lookup(7000); // true: the quote in effect at 2000 ms
 * [h.bid, h.ask]; // [99, 101]
 * ```
 */
export class QuoteHistory {
  /** The look-up lag in milliseconds. */
  readonly lagMs: number;
  /** Best bid of the last `lookup` (NaN when none). */
  bid = NaN;
  /** Best ask of the last `lookup` (NaN when none). */
  ask = NaN;
  private readonly initialCapacity: number;
  private tsRing: Float64Array;
  private bidRing: Float64Array;
  private askRing: Float64Array;
  private head = 0;
  private count = 0;

  /**
   * @param lagMs look-up lag in ms (>= 0)
   * @param initialCapacity quotes held before the first doubling (integer >= 1)
   */
  constructor(lagMs = 0, initialCapacity = 16) {
    this.lagMs = nonNegativeOption('quoteLagMs', lagMs);
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1) {
      throw new InvalidOptionError('initialCapacity', initialCapacity, 'an integer >= 1');
    }
    this.initialCapacity = initialCapacity;
    this.tsRing = new Float64Array(initialCapacity);
    this.bidRing = new Float64Array(initialCapacity);
    this.askRing = new Float64Array(initialCapacity);
  }

  /** Number of quotes retained. */
  get length(): number {
    return this.count;
  }

  /** Current ring capacity (grows by doubling). */
  get capacity(): number {
    return this.tsRing.length;
  }

  /** Record a quote at `ts` (not before the previous one); drops quotes no look-up can reach any more. */
  push(ts: number, bid: number, ask: number): void {
    if (this.count === this.tsRing.length) this.grow();
    const cap = this.tsRing.length;
    let i = this.head + this.count;
    if (i >= cap) i -= cap;
    this.tsRing[i] = ts;
    this.bidRing[i] = bid;
    this.askRing[i] = ask;
    this.count++;
    this.prune(ts - this.lagMs);
  }

  /** Find the quote in effect at `t - lagMs`; see the class docs. */
  lookup(t: number): boolean {
    const cutoff = t - this.lagMs;
    this.prune(cutoff);
    if (this.count > 0 && this.tsRing[this.head]! <= cutoff) {
      this.bid = this.bidRing[this.head]!;
      this.ask = this.askRing[this.head]!;
      return true;
    }
    this.bid = NaN;
    this.ask = NaN;
    return false;
  }

  /** Drop the oldest quotes while the next one is already in effect at `cutoff`. */
  private prune(cutoff: number): void {
    const cap = this.tsRing.length;
    while (this.count >= 2) {
      const next = this.head + 1 === cap ? 0 : this.head + 1;
      if (this.tsRing[next]! > cutoff) break;
      this.head = next;
      this.count--;
    }
  }

  private grow(): void {
    const old = this.tsRing.length;
    const ts = new Float64Array(old * 2);
    const bid = new Float64Array(old * 2);
    const ask = new Float64Array(old * 2);
    for (let k = 0; k < this.count; k++) {
      let j = this.head + k;
      if (j >= old) j -= old;
      ts[k] = this.tsRing[j]!;
      bid[k] = this.bidRing[j]!;
      ask[k] = this.askRing[j]!;
    }
    this.tsRing = ts;
    this.bidRing = bid;
    this.askRing = ask;
    this.head = 0;
  }

  /** Forget every quote; the ring goes back to its initial capacity. */
  reset(): void {
    if (this.tsRing.length !== this.initialCapacity) {
      this.tsRing = new Float64Array(this.initialCapacity);
      this.bidRing = new Float64Array(this.initialCapacity);
      this.askRing = new Float64Array(this.initialCapacity);
    }
    this.head = 0;
    this.count = 0;
    this.bid = NaN;
    this.ask = NaN;
  }

  snapshot(): QuoteHistoryState {
    const ts: number[] = new Array(this.count);
    const bid: number[] = new Array(this.count);
    const ask: number[] = new Array(this.count);
    const cap = this.tsRing.length;
    for (let k = 0; k < this.count; k++) {
      let j = this.head + k;
      if (j >= cap) j -= cap;
      ts[k] = this.tsRing[j]!;
      bid[k] = this.bidRing[j]!;
      ask[k] = this.askRing[j]!;
    }
    return { type: 'QuoteHistory', version: 1, ts: encodeNumbers(ts), bid: encodeNumbers(bid), ask: encodeNumbers(ask) };
  }

  restore(state: QuoteHistoryState): void {
    checkState(state, 'QuoteHistory', 1);
    const n = Array.isArray(state.ts) ? state.ts.length : -1;
    if (n < 0) throw new InvalidStateError('QuoteHistory', `ts must be an array, got ${JSON.stringify(state.ts)}`);
    const ts = stateNumbers('QuoteHistory', 'ts', state.ts, n, n);
    const bid = stateNumbers('QuoteHistory', 'bid', state.bid, n, n);
    const ask = stateNumbers('QuoteHistory', 'ask', state.ask, n, n);
    this.reset();
    for (let k = 0; k < n; k++) {
      if (this.count === this.tsRing.length) this.grow();
      this.tsRing[k] = ts[k]!;
      this.bidRing[k] = bid[k]!;
      this.askRing[k] = ask[k]!;
      this.count++;
    }
  }
}
