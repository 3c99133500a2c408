import { InvalidOptionError } from '../core/errors.js';
import { checkOptionKeys, finiteOption, integerOption, positiveOption } from '../core/options.js';
import type { Random } from '../core/random.js';
import type { HawkesParams } from './hawkes-fit.js';

/** Options of {@link simulateHawkes}. Give `n`, `end`, or both (the first reached stops). */
export interface HawkesSimulationOptions {
  /** The seeded generator drawn from (its state advances). */
  random: Random;
  /** Stop after this many events (integer >= 0). */
  n?: number;
  /** Stop at this time (time units): no event after it. */
  end?: number;
  /**
   * Start time; the process starts empty (no history) there.
   * @defaultValue 0
   */
  start?: number;
}

/**
 * Simulate a univariate exponential-kernel Hawkes process (jump-size form, {@link HawkesParams}:
 * `lambda(t) = mu + sum alpha exp(-beta (t - t_i))`) by Ogata's (1981) thinning: between events the
 * intensity only decays, so the intensity just after the current time bounds it until the next event;
 * draw a candidate gap from an exponential at that bound, accept the candidate with probability
 * `lambda(candidate) / bound`, and repeat. O(1) per candidate through the recursive sum
 * `S(t) = sum exp(-beta (t - t_i))`.
 *
 * Returns the event times (time units, increasing) as a `Float64Array`. Deterministic for a given
 * `random` state. Any `alpha >= 0` is allowed; with `alpha / beta >= 1` (explosive) give `n` or a short
 * `end`.
 *
 * Reference: Ogata, Y. (1981) "On Lewis' simulation method for point processes", IEEE Trans. Inform.
 * Theory 27(1), Algorithm 2.
 *
 * @example
 * ```ts
 * simulateHawkes({ mu: 0.5, alpha: 0.8, beta: 1.2 }, { random: new Random(1), n: 3 });
 * // Float64Array [ 1.681466882713499, 2.1706805585562776, 2.405763474185166 ]
 * ```
 */
export function simulateHawkes(params: HawkesParams, options: HawkesSimulationOptions): Float64Array {
  checkOptionKeys('simulateHawkes', options, ['random', 'n', 'end', 'start']);
  const mu = positiveOption('simulateHawkes.mu', params.mu);
  if (typeof params.alpha !== 'number' || !Number.isFinite(params.alpha) || params.alpha < 0) {
    throw new InvalidOptionError('simulateHawkes.alpha', params.alpha, 'a finite number >= 0');
  }
  const alpha = params.alpha;
  const beta = positiveOption('simulateHawkes.beta', params.beta);
  const random = options.random;
  if (random === null || typeof random !== 'object' || typeof random.next !== 'function') {
    throw new InvalidOptionError('simulateHawkes.random', random, 'a Random');
  }
  if (options.n === undefined && options.end === undefined) {
    throw new InvalidOptionError('simulateHawkes options', options, 'an object with n, end or both');
  }
  const maxN = options.n === undefined ? Infinity : integerOption('simulateHawkes.n', options.n, 0);
  const start = finiteOption('simulateHawkes.start', options.start ?? 0);
  const end = options.end === undefined ? Infinity : finiteOption('simulateHawkes.end', options.end);
  if (end < start) throw new InvalidOptionError('simulateHawkes.end', end, `>= start (${start})`);

  let out = new Float64Array(Number.isFinite(maxN) ? maxN : 1024);
  let count = 0;
  let t = start;
  let s = 0; // sum over events of exp(-beta (t - t_i)), at time t (after any event at t)
  while (count < maxN) {
    const bound = mu + alpha * s;
    const gap = random.exponential(bound);
    const candidate = t + gap;
    if (candidate > end) break;
    s *= Math.exp(-beta * gap);
    t = candidate;
    if (random.next() * bound <= mu + alpha * s) {
      if (count === out.length) {
        const grown = new Float64Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[count++] = t;
      s += 1;
    }
  }
  return count === out.length ? out : out.slice(0, count);
}
