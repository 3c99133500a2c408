import type { Trade } from '../core/events.js';
import { InvalidOptionError } from '../core/errors.js';
import { checkState, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { Ewma, type EwmaState } from '../stats/ewma.js';
import { checkTrade, sideOf, stateInteger, stateObject } from './internal.js';
import type { Signal } from './signal.js';

/** Options of {@link UnusualSize}. */
export interface UnusualSizeOptions {
  /**
   * Half-life of the baseline, in trades (EWMA of log size).
   * @defaultValue 1000
   */
  halfLife?: number;
  /**
   * z-score from which a trade is unusual (severity `'warning'`).
   * @defaultValue 4
   */
  threshold?: number;
  /**
   * z-score from which the signal is `'critical'` (>= `threshold`).
   * @defaultValue 6
   */
  criticalThreshold?: number;
  /**
   * Trades in the baseline before the detector can fire (warm-up).
   * @defaultValue 100
   */
  minTrades?: number;
  /**
   * Floor of the baseline's standard deviation, in log-size units (0.1 = about 10% in size), so a
   * market of identical sizes does not make every slightly larger trade infinitely unusual.
   * @defaultValue 0.1
   */
  minStd?: number;
}

/** Defaults of {@link UnusualSizeOptions}. */
export const DEFAULT_UNUSUAL_SIZE_OPTIONS: Readonly<Required<UnusualSizeOptions>> = Object.freeze({
  halfLife: 1000,
  threshold: 4,
  criticalThreshold: 6,
  minTrades: 100,
  minStd: 0.1,
});

/** State of an {@link UnusualSize}. */
export interface UnusualSizeState extends OperatorState {
  readonly type: 'UnusualSize';
  readonly version: 1;
  readonly baseline: EwmaState;
  readonly skipped: number;
  readonly fired: number;
}

/**
 * Unusual trade size detector: the z-score of a trade's log size against an exponentially weighted
 * baseline of earlier trades' log sizes.
 *
 * ```text
 * z = (ln size - m) / max(s, minStd)
 * m, s^2 = EWMA mean and variance of ln size over the earlier trades (half-life `halfLife` trades)
 * fires when z >= threshold (severity 'warning'), 'critical' when z >= criticalThreshold
 * ```
 *
 * Trade sizes spread over orders of magnitude and are heavy-tailed, so the z-score is taken on the
 * log size, where the bulk is roughly symmetric. Only unusually **large** trades fire (one-sided). The
 * trade is scored against the baseline **before** it joins it, so a
 * block does not hide itself.
 *
 * - Input: trades (`size`; `price`, `ts`, side for the signal; `side` argument defaults to
 *   `trade.side`, then 0). Output: a {@link Signal} (`kind: 'unusualSize'`, `score` = z, evidence
 *   `size, logSize, baselineMean, baselineStd, z, trades`) or `null`. Allocates only when it fires.
 * - Warm-up: never fires before `minTrades` trades are in the baseline. Trades of size 0 have no log
 *   size: they are not scored and counted in `skipped`. Non-finite fields throw `InvalidInputError`.
 * - The baseline is an {@link Ewma} (`adjust: true`, biased variance); `fired` counts signals.
 *
 * Reference: a plain z-score rule on log size with an EWMA baseline (no single paper defines it);
 * heavy tails of trade sizes: Gopikrishnan, Plerou, Gabaix & Stanley (2000), "Statistical properties
 * of share volume traded in financial markets", Physical Review E 62(4), R4493. A heavy tail means a
 * Gaussian z-threshold fires more often than its normal tail probability: calibrate `threshold` on
 * your own data.
 *
 * @example
 * ```ts
 * const d = new UnusualSize({ minTrades: 3, threshold: 3 });
 * [100, 120, 80, 110].forEach((size, i) => d.update({ ts: i, price: 10, size }));
 * d.update({ ts: 5, price: 10, size: 5000 })?.severity; // 'critical'
 * ```
 */
export class UnusualSize implements Operator<Trade, Signal | null, UnusualSizeState> {
  private readonly threshold: number;
  private readonly critical: number;
  private readonly minTrades: number;
  private readonly minStd: number;
  private readonly baseline: Ewma;
  private skippedN = 0;
  private firedN = 0;

  constructor(options: UnusualSizeOptions = {}) {
    checkOptionKeys('UnusualSize', options, Object.keys(DEFAULT_UNUSUAL_SIZE_OPTIONS));
    const o = { ...DEFAULT_UNUSUAL_SIZE_OPTIONS, ...options };
    const halfLife = positiveOption('halfLife', o.halfLife);
    this.threshold = positiveOption('threshold', o.threshold);
    this.critical = positiveOption('criticalThreshold', o.criticalThreshold);
    if (this.critical < this.threshold) {
      throw new InvalidOptionError('criticalThreshold', o.criticalThreshold, `>= threshold (${this.threshold})`);
    }
    this.minTrades = integerOption('minTrades', o.minTrades, 1);
    this.minStd = nonNegativeOption('minStd', o.minStd);
    this.baseline = new Ewma({ halfLife, adjust: true });
  }

  /** Score one trade against the baseline, then add it; returns a signal or null. */
  update(trade: Trade, side?: number): Signal | null {
    checkTrade('UnusualSize.update', trade);
    const size = trade.size;
    if (!(size > 0)) {
      this.skippedN++;
      return null;
    }
    const x = Math.log(size);
    const b = this.baseline;
    const n = b.count;
    let signal: Signal | null = null;
    if (n >= this.minTrades) {
      const mean = b.mean;
      const std = b.std;
      const z = (x - mean) / (std > this.minStd ? std : this.minStd);
      if (z >= this.threshold) {
        this.firedN++;
        signal = {
          kind: 'unusualSize',
          severity: z >= this.critical ? 'critical' : 'warning',
          ts: trade.ts,
          side: sideOf(trade, side),
          price: trade.price,
          score: z,
          evidence: { size, logSize: x, baselineMean: mean, baselineStd: std, z, trades: n },
        };
      }
    }
    b.update(x);
    return signal;
  }

  /** Trades of size 0 (not scored). */
  get skipped(): number {
    return this.skippedN;
  }

  /** Signals returned. */
  get fired(): number {
    return this.firedN;
  }

  reset(): void {
    this.baseline.reset();
    this.skippedN = 0;
    this.firedN = 0;
  }

  snapshot(): UnusualSizeState {
    return { type: 'UnusualSize', version: 1, baseline: this.baseline.snapshot(), skipped: this.skippedN, fired: this.firedN };
  }

  restore(state: UnusualSizeState): void {
    checkState(state, 'UnusualSize', 1);
    const skipped = stateInteger('UnusualSize', 'skipped', state.skipped);
    const fired = stateInteger('UnusualSize', 'fired', state.fired);
    this.baseline.restore(stateObject<EwmaState>('UnusualSize', 'baseline', state.baseline));
    this.skippedN = skipped;
    this.firedN = fired;
  }
}
