import type { Trade } from '../core/events.js';
import { InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { checkTrade, sideOf, stateInteger, stateNumbers } from './internal.js';
import type { Signal } from './signal.js';

/** Options of {@link RapidTrading}. */
export interface RapidTradingOptions {
  /**
   * The short window whose trade count is tested, in ms.
   * @defaultValue 1000
   */
  windowMs?: number;
  /**
   * Half-life of the baseline trade rate, in ms.
   * @defaultValue 300000 (5 minutes)
   */
  baselineHalfLifeMs?: number;
  /**
   * Half-life of a second, short-term baseline rate, in ms; the expected count uses the larger of the
   * two rates, so a rise in activity that lasts (a busier regime: the arrival intensity of a
   * self-exciting flow wanders over minutes) is compared with its own recent level, not with the
   * slower baseline it has outgrown. A burst is seconds; a level that has held for half a minute is
   * the market's new pace. 0: the slow baseline only.
   * @defaultValue 30000
   */
  fastHalfLifeMs?: number;
  /**
   * Fires when the window's count is at least `threshold` times the baseline's expected count
   * (severity `'warning'`).
   * @defaultValue 5
   */
  threshold?: number;
  /**
   * Ratio from which the signal is `'critical'` (>= `threshold`).
   * @defaultValue 10
   */
  criticalThreshold?: number;
  /**
   * Trades needed in the window to fire at all (a burst of 2 trades against an expected 0.2 is not
   * a burst). With a Poisson flow of 2 trades/s, 10 in one second happens about once an hour
   * (P(N >= 10 | mean 2) = 4.6e-5 per window); 20 practically never (P ~ 1e-11).
   * @defaultValue 20
   */
  minCount?: number;
  /**
   * Time of baseline history (from the first trade to the start of the window) needed before firing.
   * @defaultValue 300000
   */
  warmupMs?: number;
  /**
   * After a signal, none for `cooldownMs` (one burst, one signal).
   * @defaultValue 1000
   */
  cooldownMs?: number;
  /**
   * Trade times held before the window ring's first doubling (it grows only when a window holds more).
   * @defaultValue 256
   */
  initialCapacity?: number;
}

/** Defaults of {@link RapidTradingOptions}. */
export const DEFAULT_RAPID_TRADING_OPTIONS: Readonly<Required<RapidTradingOptions>> = Object.freeze({
  windowMs: 1000,
  baselineHalfLifeMs: 300_000,
  fastHalfLifeMs: 30_000,
  threshold: 5,
  criticalThreshold: 10,
  minCount: 20,
  warmupMs: 300_000,
  cooldownMs: 1000,
  initialCapacity: 256,
});

/** State of a {@link RapidTrading}. */
export interface RapidTradingState extends OperatorState {
  readonly type: 'RapidTrading';
  readonly version: 1;
  /** Trade times in the window, oldest first. */
  readonly window: ReadonlyArray<number | string>;
  /**
   * [decayed count, its time, first trade time, last time, last signal time, decayed count of the
   * fast baseline] (5 values, from before `fastHalfLifeMs`: the fast count is set to the slow rate).
   */
  readonly values: ReadonlyArray<number | string>;
  /** [lateEvents, fired]. */
  readonly counts: readonly number[];
}

/**
 * Rapid trading detector: the number of trades in the last `windowMs` against the number a baseline
 * trade rate predicts.
 *
 * ```text
 * count    = trades with time in (t - windowMs, t]            (exact, from a ring of times)
 * rate     = sum_i exp(-(b - t_i) / tau) / (tau (1 - exp(-(b - t_0) / tau)))    trades per ms
 *            over the trades t_i <= b = t - windowMs (the baseline excludes the window itself),
 *            tau = baselineHalfLifeMs / ln 2, t_0 = the first trade
 * fast     = the same with tau_f = fastHalfLifeMs / ln 2 (0: none)
 * expected = max(max(rate, fast) * windowMs, 1)
 * ratio    = count / expected;  fires when ratio >= threshold and count >= minCount
 * ```
 *
 * The rate is an exponentially weighted count of past trades, normalised by the weight of the time
 * observed so far, so it is unbiased for a constant-rate (Poisson) flow from the first trade on. An
 * EWMA of sampled values would weigh busy periods more (one sample per trade); this counts time. The
 * floor of 1 expected trade keeps the ratio finite after a silence. The fast rate (30 s half-life)
 * keeps a lasting rise of activity from firing every `cooldownMs` for minutes: trade arrivals are
 * clustered (self-exciting, Hawkes 1971; Bowsher 2007), so their intensity wanders, and a level held
 * for tens of seconds is the market's pace, not a burst; the slow rate keeps a burst after a lull
 * measured against the usual pace.
 *
 * - Input: trades in time order. Output: a {@link Signal} (`kind: 'rapidTrading'`, `score` = ratio,
 *   evidence `count, expected, windowMs, baselineRatePerSec`) or `null`; allocates only when it fires.
 * - Warm-up: no signal before `warmupMs` of baseline history. After a signal, none for `cooldownMs`.
 * - Late trades (time before the latest seen) are processed at the latest time and counted in
 *   `lateEvents`. Non-finite fields throw `InvalidInputError`.
 * - The window ring grows by doubling when a window holds more trades than it (the only allocation).
 *
 * Reference: a rate-ratio burst rule (no single paper defines it); the baseline is a one-sided
 * exponential-kernel estimate of the trade arrival intensity, normalised for the time observed.
 *
 * @example
 * ```ts
 * const d = new RapidTrading({ warmupMs: 10_000, baselineHalfLifeMs: 10_000, minCount: 10 });
 * for (let t = 0; t <= 20_000; t += 1000) d.update({ ts: t, price: 10, size: 1 }); // 1 trade/s
 * let signal = null;
 * for (let i = 1; i <= 20 && signal === null; i++) signal = d.update({ ts: 20_000 + i * 10, price: 10, size: 1 });
 * signal?.evidence.count; // 10 (the trade at 20 000 ms and 9 burst trades in (19 090, 20 090])
 * signal?.score;          // 9.510767108810395 (10 / 1.0514 expected): severity 'warning'
 * ```
 */
export class RapidTrading implements Operator<Trade, Signal | null, RapidTradingState> {
  private readonly windowMs: number;
  private readonly tau: number;
  /** tau of the fast baseline (0: none). */
  private readonly tauFast: number;
  private readonly threshold: number;
  private readonly critical: number;
  private readonly minCount: number;
  private readonly warmupMs: number;
  private readonly cooldownMs: number;
  private readonly initialCapacity: number;
  private ring: Float64Array;
  private head = 0;
  private count = 0;
  private acc = 0;
  private accFast = 0;
  private accTs = Number.NaN;
  private firstTs = Number.NaN;
  private lastTs = Number.NEGATIVE_INFINITY;
  private lastFire = Number.NEGATIVE_INFINITY;
  private late = 0;
  private firedN = 0;

  constructor(options: RapidTradingOptions = {}) {
    checkOptionKeys('RapidTrading', options, Object.keys(DEFAULT_RAPID_TRADING_OPTIONS));
    const o = { ...DEFAULT_RAPID_TRADING_OPTIONS, ...options };
    this.windowMs = positiveOption('windowMs', o.windowMs);
    this.tau = positiveOption('baselineHalfLifeMs', o.baselineHalfLifeMs) / Math.LN2;
    this.tauFast = nonNegativeOption('fastHalfLifeMs', o.fastHalfLifeMs) / Math.LN2;
    this.threshold = positiveOption('threshold', o.threshold);
    this.critical = positiveOption('criticalThreshold', o.criticalThreshold);
    if (this.critical < this.threshold) {
      throw new InvalidOptionError('criticalThreshold', o.criticalThreshold, `>= threshold (${this.threshold})`);
    }
    this.minCount = integerOption('minCount', o.minCount, 1);
    this.warmupMs = nonNegativeOption('warmupMs', o.warmupMs);
    this.cooldownMs = nonNegativeOption('cooldownMs', o.cooldownMs);
    this.initialCapacity = integerOption('initialCapacity', o.initialCapacity, 1);
    this.ring = new Float64Array(this.initialCapacity);
  }

  /** Add one trade; returns a signal or null. */
  update(trade: Trade, side?: number): Signal | null {
    checkTrade('RapidTrading.update', trade);
    let ts = trade.ts;
    if (ts < this.lastTs) {
      this.late++;
      ts = this.lastTs;
    } else {
      this.lastTs = ts;
    }
    if (!(this.firstTs === this.firstTs)) this.firstTs = ts;
    // Move trades that left the window into the baseline.
    const start = ts - this.windowMs;
    let cap = this.ring.length;
    while (this.count > 0 && this.ring[this.head]! <= start) {
      const t = this.ring[this.head]!;
      this.acc = this.accTs === this.accTs ? this.acc * Math.exp(-(t - this.accTs) / this.tau) + 1 : 1;
      if (this.tauFast > 0) this.accFast = this.accTs === this.accTs ? this.accFast * Math.exp(-(t - this.accTs) / this.tauFast) + 1 : 1;
      this.accTs = t;
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.count--;
    }
    if (this.count === cap) {
      this.grow();
      cap = this.ring.length;
    }
    let i = this.head + this.count;
    if (i >= cap) i -= cap;
    this.ring[i] = ts;
    const n = ++this.count;
    const observed = start - this.firstTs;
    // expected >= 1, so a ratio >= threshold needs n >= threshold: skip the exponentials otherwise.
    if (n < this.minCount || n < this.threshold || observed < this.warmupMs || observed <= 0 || ts < this.lastFire + this.cooldownMs) {
      return null;
    }
    const slow = this.rateAt(start, observed);
    const fast = this.tauFast > 0 ? this.fastRateAt(start, observed) : 0;
    const rate = fast > slow ? fast : slow;
    const raw = rate * this.windowMs;
    const expected = raw > 1 ? raw : 1;
    const ratio = n / expected;
    if (ratio < this.threshold) return null;
    this.lastFire = ts;
    this.firedN++;
    return {
      kind: 'rapidTrading',
      severity: ratio >= this.critical ? 'critical' : 'warning',
      ts,
      side: sideOf(trade, side),
      price: trade.price,
      score: ratio,
      evidence: { count: n, expected, windowMs: this.windowMs, baselineRatePerSec: slow * 1000, fastRatePerSec: fast * 1000 },
    };
  }

  /** Baseline trades per ms at time `b`, with `observed = b - firstTs > 0`. */
  private rateAt(b: number, observed: number): number {
    const acc = this.accTs === this.accTs ? this.acc * Math.exp(-(b - this.accTs) / this.tau) : 0;
    // Weight of the observed time; exactly tau in doubles once observed > 37 tau (exp underflows 1 ulp).
    const norm = observed > 37 * this.tau ? this.tau : -Math.expm1(-observed / this.tau) * this.tau;
    return acc / norm;
  }

  /** The fast baseline's trades per ms at time `b` (as {@link rateAt}). */
  private fastRateAt(b: number, observed: number): number {
    const tau = this.tauFast;
    const acc = this.accTs === this.accTs ? this.accFast * Math.exp(-(b - this.accTs) / tau) : 0;
    const norm = observed > 37 * tau ? tau : -Math.expm1(-observed / tau) * tau;
    return acc / norm;
  }

  /** The baseline rate in trades per second at the latest time (NaN before any history). */
  get baselineRatePerSec(): number {
    const b = this.lastTs - this.windowMs;
    const observed = b - this.firstTs;
    return observed > 0 ? this.rateAt(b, observed) * 1000 : NaN;
  }

  /** Trades in the current window. */
  get windowCount(): number {
    return this.count;
  }

  /** Signals returned. */
  get fired(): number {
    return this.firedN;
  }

  /** Late trades (processed at the latest time seen). */
  get lateEvents(): number {
    return this.late;
  }

  /** A state of 5 values (no fast count): the fast count that gives the slow rate at its time. */
  private legacyFast(): number {
    const observed = this.accTs - this.firstTs;
    if (!(this.tauFast > 0) || !(observed > 0)) return this.acc;
    const norm = (tau: number): number => (observed > 37 * tau ? tau : -Math.expm1(-observed / tau) * tau);
    return (this.acc / norm(this.tau)) * norm(this.tauFast);
  }

  private grow(): void {
    const old = this.ring.length;
    const next = new Float64Array(old * 2);
    for (let k = 0; k < this.count; k++) {
      let j = this.head + k;
      if (j >= old) j -= old;
      next[k] = this.ring[j]!;
    }
    this.ring = next;
    this.head = 0;
  }

  reset(): void {
    if (this.ring.length !== this.initialCapacity) this.ring = new Float64Array(this.initialCapacity);
    this.head = 0;
    this.count = 0;
    this.acc = 0;
    this.accFast = 0;
    this.accTs = Number.NaN;
    this.firstTs = Number.NaN;
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.lastFire = Number.NEGATIVE_INFINITY;
    this.late = 0;
    this.firedN = 0;
  }

  snapshot(): RapidTradingState {
    const times: number[] = new Array(this.count);
    const cap = this.ring.length;
    for (let k = 0; k < this.count; k++) {
      let j = this.head + k;
      if (j >= cap) j -= cap;
      times[k] = this.ring[j]!;
    }
    return {
      type: 'RapidTrading',
      version: 1,
      window: encodeNumbers(times),
      values: encodeNumbers([this.acc, this.accTs, this.firstTs, this.lastTs, this.lastFire, this.accFast]),
      counts: [this.late, this.firedN],
    };
  }

  restore(state: RapidTradingState): void {
    checkState(state, 'RapidTrading', 1);
    const t = 'RapidTrading';
    if (!Array.isArray(state.window)) throw new InvalidStateError(t, `window must be an array, got ${JSON.stringify(state.window)}`);
    const times = stateNumbers(t, 'window', state.window, state.window.length);
    const v = stateNumbers(t, 'values', state.values, 6);
    if (v.length < 5) stateNumbers(t, 'values', state.values, 6, 6); // throws: 5 or 6 values
    const counts = stateNumbers(t, 'counts', state.counts, 2, 2);
    const late = stateInteger(t, 'counts[0]', counts[0]);
    const fired = stateInteger(t, 'counts[1]', counts[1]);
    this.reset();
    while (this.ring.length < times.length) this.grow();
    this.ring.set(times);
    this.count = times.length;
    [this.acc, this.accTs, this.firstTs, this.lastTs, this.lastFire] = v as [number, number, number, number, number];
    this.accFast = v.length > 5 ? v[5]! : this.legacyFast();
    this.late = late;
    this.firedN = fired;
  }
}
