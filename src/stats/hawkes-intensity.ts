import { InvalidInputError, InvalidOptionError } from '../core/errors.js';
import { checkState, encodeNumber, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, positiveOption } from '../core/options.js';
import { checkStateOptions, encodeOptions, stateNumber, type StateOptions } from './state.js';

/** Options of {@link HawkesIntensity}: the process's parameters (e.g. from {@link fitHawkes}) and the time unit. */
export interface HawkesIntensityOptions {
  /** Background rate, events per time unit, > 0. */
  mu: number;
  /** Jump of the intensity at each event, events per time unit, >= 0 (jump-size form, see {@link HawkesParams}). */
  alpha: number;
  /** Decay rate of the excitation, per time unit, > 0. */
  beta: number;
  /** Length of the time unit of `mu`, `alpha`, `beta` in ms (`ts` is in ms). */
  timeUnitMs?: number;
}

/** Defaults of the optional {@link HawkesIntensityOptions}. `mu`, `alpha`, `beta` have none: give them. */
export const DEFAULT_HAWKES_INTENSITY_OPTIONS: Readonly<{ timeUnitMs: number }> = Object.freeze({
  /** @defaultValue 1000 (parameters and intensities per second) */
  timeUnitMs: 1000,
});

/** State of a {@link HawkesIntensity}. */
export interface HawkesIntensityState extends OperatorState {
  readonly type: 'HawkesIntensity';
  readonly version: 1;
  readonly options: StateOptions;
  /** The excitation sum just after the last event. */
  readonly excitation: number | string;
  readonly lastTs: number | string;
  readonly count: number;
  readonly compensator: number | string;
}

/**
 * The conditional intensity of a univariate Hawkes process with an exponential kernel, streamed one
 * event at a time in O(1) (the recursive sum of Ozaki 1979):
 * ```text
 * lambda(t) = mu + alpha * S(t),   S(t) = sum_{t_i <= t} exp(-beta (t - t_i))
 * S(t_n) = exp(-beta (t_n - t_{n-1})) S(t_{n-1}) + 1
 * ```
 * in the jump-size parameterisation ({@link HawkesParams}): each event raises the intensity by `alpha`,
 * the raise decays at rate `beta`; branching ratio `alpha / beta`. Use one instance per event stream
 * (e.g. buyer- and seller-initiated market orders, or each event type), with parameters from
 * {@link fitHawkes}.
 *
 * **Units.** `ts` in ms; `mu`, `alpha`, intensities in events per time unit, `beta` per time unit; the
 * time unit is `timeUnitMs` ms (default 1000: per second).
 * **Output.** `update(ts)` records an event at `ts` and returns the intensity just after it,
 * `lambda(ts+)`, including the event's own jump: always `>= mu + alpha` (>= mu in every case).
 * {@link intensityAt} reads `lambda(ts)` at a later time without an event. No warm-up: before any event
 * the intensity is `mu`.
 * **Compensator.** {@link compensator} is the integrated intensity from the first event to the last,
 * `integral lambda dt`: under a correct model the increments between events are i.i.d. Exp(1) (time
 * rescaling; Ogata 1988), a goodness-of-fit check.
 * **Bad input.** A non-finite `ts`, or one before the previous, throws {@link InvalidInputError}.
 * Simultaneous events (equal `ts`) each add a jump.
 *
 * References: Hawkes, A. G. (1971) "Spectra of some self-exciting and mutually exciting point processes",
 * Biometrika 58; Ozaki, T. (1979), Ann. Inst. Statist. Math. 31.
 *
 * @example
 * ```ts
 * const h = new HawkesIntensity({ mu: 0.5, alpha: 0.8, beta: 1.2 });
 * h.update(0);      // 1.3 = 0.5 + 0.8
 * h.update(1000);   // 1.5409553695297618 = 0.5 + 0.8 (1 + e^-1.2)
 * h.intensityAt(2000); // 0.8135297321612918 = 0.5 + 0.8 e^-1.2 (1 + e^-1.2)
 * ```
 */
export class HawkesIntensity implements Operator<number, number, HawkesIntensityState> {
  readonly mu: number;
  readonly alpha: number;
  readonly beta: number;
  readonly timeUnitMs: number;
  /** beta per ms. */
  private readonly betaMs: number;
  private readonly stateOptions: StateOptions;
  private s = 0;
  private last = NaN;
  private n = 0;
  private comp = 0;

  constructor(options: HawkesIntensityOptions) {
    checkOptionKeys('HawkesIntensity', options, ['mu', 'alpha', 'beta', 'timeUnitMs']);
    if (options === undefined || options === null) {
      throw new InvalidOptionError('HawkesIntensity options', options, 'an object with mu, alpha and beta');
    }
    this.mu = positiveOption('HawkesIntensity.mu', options.mu);
    if (typeof options.alpha !== 'number' || !Number.isFinite(options.alpha) || options.alpha < 0) {
      throw new InvalidOptionError('HawkesIntensity.alpha', options.alpha, 'a finite number >= 0');
    }
    this.alpha = options.alpha;
    this.beta = positiveOption('HawkesIntensity.beta', options.beta);
    this.timeUnitMs = positiveOption('HawkesIntensity.timeUnitMs', options.timeUnitMs ?? DEFAULT_HAWKES_INTENSITY_OPTIONS.timeUnitMs);
    this.betaMs = this.beta / this.timeUnitMs;
    this.stateOptions = encodeOptions({ mu: this.mu, alpha: this.alpha, beta: this.beta, timeUnitMs: this.timeUnitMs });
  }

  /** Record an event at `ts` (ms) and return the intensity just after it (events per time unit). */
  update(ts: number): number {
    if (!Number.isFinite(ts)) throw new InvalidInputError('HawkesIntensity.update ts', ts, 'a finite number of ms');
    if (this.n === 0) {
      this.s = 1;
    } else {
      const dt = ts - this.last;
      if (!(dt >= 0)) throw new InvalidInputError('HawkesIntensity.update ts', ts, `>= the previous ts ${this.last}`);
      const e = Math.exp(-this.betaMs * dt);
      // integral of lambda over (last, ts]: mu dt + (alpha / beta) S (1 - e)
      this.comp += (this.mu * dt) / this.timeUnitMs + (this.alpha / this.beta) * this.s * (1 - e);
      this.s = this.s * e + 1;
    }
    this.last = ts;
    this.n++;
    return this.mu + this.alpha * this.s;
  }

  /**
   * The intensity at `ts` (ms, not before the last event) without recording an event: `mu` plus the
   * decayed excitation. At the last event's `ts` it equals the value `update` returned.
   */
  intensityAt(ts: number): number {
    if (this.n === 0) return this.mu;
    const dt = ts - this.last;
    if (!(dt >= 0)) throw new InvalidInputError('HawkesIntensity.intensityAt ts', ts, `a number >= the last event's ts ${this.last}`);
    return this.mu + this.alpha * this.s * Math.exp(-this.betaMs * dt);
  }

  /** The intensity just after the last event (`mu` before any). */
  get intensity(): number {
    return this.mu + this.alpha * this.s;
  }

  /** `alpha / beta`: events directly triggered per event. */
  get branchingRatio(): number {
    return this.alpha / this.beta;
  }

  /** Events recorded. */
  get count(): number {
    return this.n;
  }

  /** `ts` of the last event (NaN before any). */
  get lastTs(): number {
    return this.last;
  }

  /** Integrated intensity from the first event to the last (time rescaling), dimensionless. */
  get compensator(): number {
    return this.comp;
  }

  reset(): void {
    this.s = 0;
    this.last = NaN;
    this.n = 0;
    this.comp = 0;
  }

  snapshot(): HawkesIntensityState {
    return {
      type: 'HawkesIntensity',
      version: 1,
      options: this.stateOptions,
      excitation: encodeNumber(this.s),
      lastTs: encodeNumber(this.last),
      count: this.n,
      compensator: encodeNumber(this.comp),
    };
  }

  restore(state: HawkesIntensityState): void {
    checkState(state, 'HawkesIntensity', 1);
    checkStateOptions('HawkesIntensity', state, this.stateOptions);
    const s = stateNumber('HawkesIntensity', state, 'excitation');
    const last = stateNumber('HawkesIntensity', state, 'lastTs');
    const n = stateNumber('HawkesIntensity', state, 'count');
    const comp = stateNumber('HawkesIntensity', state, 'compensator');
    this.s = s;
    this.last = last;
    this.n = n;
    this.comp = comp;
  }
}
