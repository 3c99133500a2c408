import { InvalidInputError, InvalidStateError } from '../core/errors.js';
import { checkState, decodeNumber, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption } from '../core/options.js';

/** Options of {@link RegimeTally}. */
export interface RegimeTallyOptions {
  /** Number of regimes (regime indices 0..k-1; -1 is unknown). Integer in [1, 64]. */
  k: number;
}

/** What {@link RegimeTally.result} returns: the report's `regime` section. */
export interface RegimeTallyResult {
  /** Per regime name (or index), the share of the time tallied spent in it, in [0, 1]. */
  share: Record<string, number>;
  /** Share of the time in the unknown regime (-1, warm-up). */
  unknownShare: number;
  /** Changes from one known regime to another (an unknown stretch in between does not count as a change). */
  switches: number;
  /** Time tallied, ms: from the first update to the last. */
  durationMs: number;
  /** Updates. */
  updates: number;
}

/** State of a {@link RegimeTally}. */
export interface RegimeTallyState extends OperatorState {
  readonly type: 'RegimeTally';
  readonly version: 1;
  readonly k: number;
  /** Time per regime (ms), the unknown regime last. */
  readonly timeMs: ReadonlyArray<number | string>;
  readonly lastTs: number | string;
  readonly lastRegime: number;
  readonly lastKnown: number;
  readonly switches: number;
  readonly updates: number;
}

/**
 * Time spent in each regime and the number of regime switches, for a day report: the time between an
 * update and the next is credited to the regime of the earlier one (a step function), so the shares
 * weigh calendar time, not events. A switch is a change between two known regimes (an unknown stretch
 * in between is bridged). Units: ms in, shares in [0, 1] out; empty: every share NaN, 0 switches.
 *
 * `update(ts, regime)` returns the switch count so far. A non-finite or decreasing `ts`, or a regime
 * outside [-1, k-1], throws {@link InvalidInputError}.
 *
 * @example
 * ```ts
 * const t = new RegimeTally({ k: 2 });
 * t.update(0, -1); t.update(1000, 0); t.update(3000, 1); t.update(4000, 0);
 * t.result(['Calm', 'Stressed']);
 * // { share: { Calm: 0.5, Stressed: 0.25 }, unknownShare: 0.25, switches: 2, durationMs: 4000, updates: 4 }
 * ```
 */
export class RegimeTally implements Operator<{ ts: number; regime: number }, number, RegimeTallyState> {
  readonly k: number;
  private readonly time: Float64Array;
  private lastTsValue = NaN;
  private lastRegime = -1;
  private lastKnown = -1;
  private nSwitches = 0;
  private n = 0;

  constructor(options: RegimeTallyOptions) {
    checkOptionKeys('RegimeTally', options, ['k']);
    this.k = integerOption('RegimeTally.k', options?.k, 1, 64);
    this.time = new Float64Array(this.k + 1);
  }

  /** Tally one update: `regime` holds from `ts` until the next update. Accepts `{ ts, regime }` too. */
  update(input: number | { ts: number; regime: number }, regime?: number): number {
    const ts = typeof input === 'number' ? input : input.ts;
    const r = typeof input === 'number' ? regime : input.regime;
    if (!Number.isFinite(ts)) throw new InvalidInputError('RegimeTally.update ts', ts, 'a finite number of ms');
    if (ts < this.lastTsValue) throw new InvalidInputError('RegimeTally.update ts', ts, `>= the previous ts ${this.lastTsValue}`);
    if (typeof r !== 'number' || !Number.isInteger(r) || r < -1 || r >= this.k) {
      throw new InvalidInputError('RegimeTally.update regime', r, `an integer in [-1, ${this.k - 1}]`);
    }
    if (this.n > 0) {
      const slot = this.lastRegime < 0 ? this.k : this.lastRegime;
      this.time[slot] = this.time[slot]! + (ts - this.lastTsValue);
    }
    if (r >= 0) {
      if (this.lastKnown >= 0 && r !== this.lastKnown) this.nSwitches++;
      this.lastKnown = r;
    }
    this.lastRegime = r;
    this.lastTsValue = ts;
    this.n++;
    return this.nSwitches;
  }

  /** Regime switches so far. */
  get switches(): number {
    return this.nSwitches;
  }

  /** Updates so far. */
  get updates(): number {
    return this.n;
  }

  /** `ts` of the last update (NaN before any). */
  get lastTs(): number {
    return this.lastTsValue;
  }

  /** The tally, with regimes keyed by `names` (default: their indices as strings). */
  result(names?: readonly string[]): RegimeTallyResult {
    if (names !== undefined && names.length !== this.k) {
      throw new InvalidInputError('RegimeTally.result names.length', names.length, `k = ${this.k}`);
    }
    let total = 0;
    for (let i = 0; i <= this.k; i++) total += this.time[i]!;
    const share: Record<string, number> = {};
    for (let i = 0; i < this.k; i++) share[names === undefined ? String(i) : names[i]!] = this.time[i]! / total;
    return {
      share,
      unknownShare: this.time[this.k]! / total,
      switches: this.nSwitches,
      durationMs: total,
      updates: this.n,
    };
  }

  reset(): void {
    this.time.fill(0);
    this.lastTsValue = NaN;
    this.lastRegime = -1;
    this.lastKnown = -1;
    this.nSwitches = 0;
    this.n = 0;
  }

  snapshot(): RegimeTallyState {
    return {
      type: 'RegimeTally',
      version: 1,
      k: this.k,
      timeMs: Array.from(this.time, encodeNumber),
      lastTs: encodeNumber(this.lastTsValue),
      lastRegime: this.lastRegime,
      lastKnown: this.lastKnown,
      switches: this.nSwitches,
      updates: this.n,
    };
  }

  restore(state: RegimeTallyState): void {
    checkState(state, 'RegimeTally', 1);
    if (state.k !== this.k || !Array.isArray(state.timeMs) || state.timeMs.length !== this.k + 1) {
      throw new InvalidStateError('RegimeTally', `state has k = ${String(state.k)}, this tally has k = ${this.k}`);
    }
    for (let i = 0; i <= this.k; i++) this.time[i] = decodeNumber(state.timeMs[i]!);
    this.lastTsValue = decodeNumber(state.lastTs);
    this.lastRegime = state.lastRegime;
    this.lastKnown = state.lastKnown;
    this.nSwitches = state.switches;
    this.n = state.updates;
  }
}
