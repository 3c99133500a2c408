import { InvalidInputError, InvalidOptionError } from '../core/errors.js';
import { checkOptionKeys, finiteOption, integerOption, positiveOption } from '../core/options.js';

/**
 * Parameters of a univariate Hawkes process with an exponential kernel, in the **jump-size**
 * parameterisation of Ozaki (1979) and Ogata (1981):
 * ```text
 * lambda(t) = mu + sum_{t_i < t} alpha * exp(-beta * (t - t_i))
 * ```
 * Each event raises the intensity by `alpha` (events per time unit, per time unit), and the raise decays
 * at rate `beta` (per time unit). The kernel integrates to the **branching ratio** `n = alpha / beta`: the
 * mean number of events each event triggers directly. The process is stationary iff `n < 1`, and then its
 * mean rate is `mu / (1 - n)`. E.g. `mu 0.5, alpha 0.8, beta 1.2`: n = 2/3, mean rate 1.5 per time unit.
 * (The other common form, `alpha' * beta * exp(-beta t)`, has `alpha' = n`.)
 */
export interface HawkesParams {
  /** Background (immigrant) rate, events per time unit, > 0. */
  mu: number;
  /** Jump of the intensity at each event, events per time unit, >= 0. */
  alpha: number;
  /** Decay rate of the excitation, per time unit, > 0. */
  beta: number;
}

/** The observation window of a likelihood or fit: events at times in [start, end]. */
export interface HawkesWindow {
  /** Start of the window (time units). Default: the first event's time. */
  start?: number;
  /** End of the window (time units). Default: the last event's time. */
  end?: number;
}

/**
 * Check `times` (finite, non-decreasing, inside [start, end]) and resolve the window; throws
 * {@link InvalidInputError} naming the index at fault.
 */
function resolveWindow(name: string, times: ArrayLike<number>, window: HawkesWindow | undefined): { start: number; end: number } {
  const n = times.length;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    if (!Number.isFinite(t)) throw new InvalidInputError(`${name} times[${i}]`, t, 'a finite number');
    if (t < prev) throw new InvalidInputError(`${name} times[${i}]`, t, `>= times[${i - 1}] = ${prev} (times must be sorted)`);
    prev = t;
  }
  const start = window?.start ?? (n > 0 ? times[0]! : 0);
  const end = window?.end ?? (n > 0 ? times[n - 1]! : 0);
  if (!Number.isFinite(start)) throw new InvalidOptionError(`${name}.start`, start, 'a finite number');
  if (!Number.isFinite(end) || end < start) throw new InvalidOptionError(`${name}.end`, end, `a finite number >= start (${start})`);
  if (n > 0 && times[0]! < start) throw new InvalidInputError(`${name} times[0]`, times[0], `>= the window start ${start}`);
  if (n > 0 && times[n - 1]! > end) throw new InvalidInputError(`${name} times[${n - 1}]`, times[n - 1], `<= the window end ${end}`);
  return { start, end };
}

/**
 * Log-likelihood and its gradient by the recursion of Ozaki (1979), O(n). Writes the gradient with
 * respect to (mu, alpha, beta) into `grad` when given. Assumes valid input.
 *
 * ```text
 * A_1 = 0, A_i = exp(-beta d_i) (1 + A_{i-1})              d_i = t_i - t_{i-1}
 * C_1 = 0, C_i = exp(-beta d_i) (C_{i-1} + d_i (1 + A_{i-1}))   (= -dA_i/dbeta)
 * l = sum_i ln(mu + alpha A_i) - mu (end - start) - (alpha / beta) sum_i (1 - exp(-beta (end - t_i)))
 * ```
 */
function logLikelihoodRaw(
  times: ArrayLike<number>,
  mu: number,
  alpha: number,
  beta: number,
  start: number,
  end: number,
  grad: Float64Array | null,
): number {
  const n = times.length;
  let a = 0;
  let c = 0;
  let sumLog = 0;
  let gMu = 0;
  let gAlpha = 0;
  let gBeta = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    if (i > 0) {
      const d = t - prev;
      const e = Math.exp(-beta * d);
      c = e * (c + d * (1 + a));
      a = e * (1 + a);
    }
    prev = t;
    const lambda = mu + alpha * a;
    sumLog += Math.log(lambda);
    if (grad !== null) {
      const inv = 1 / lambda;
      gMu += inv;
      gAlpha += a * inv;
      gBeta -= alpha * c * inv;
    }
  }
  // The same recursions carried to `end` give the compensator's sums in O(1):
  // sum_i exp(-beta (end - t_i)) = A(end), sum_i (end - t_i) exp(-beta (end - t_i)) = C(end).
  let aEnd = 0;
  let cEnd = 0;
  if (n > 0) {
    const d = end - prev;
    const e = Math.exp(-beta * d);
    cEnd = e * (c + d * (1 + a));
    aEnd = e * (1 + a);
  }
  const sumTail = n - aEnd; // sum_i (1 - exp(-beta (end - t_i)))
  const l = sumLog - mu * (end - start) - (alpha / beta) * sumTail;
  if (grad !== null) {
    grad[0] = gMu - (end - start);
    grad[1] = gAlpha - sumTail / beta;
    grad[2] = gBeta + (alpha / (beta * beta)) * sumTail - (alpha / beta) * cEnd;
  }
  return l;
}

function checkParams(name: string, p: HawkesParams): void {
  positiveOption(`${name}.mu`, p.mu);
  if (typeof p.alpha !== 'number' || !Number.isFinite(p.alpha) || p.alpha < 0) {
    throw new InvalidOptionError(`${name}.alpha`, p.alpha, 'a finite number >= 0');
  }
  positiveOption(`${name}.beta`, p.beta);
}

/**
 * Exact log-likelihood of event times under an exponential-kernel Hawkes process (jump-size form,
 * {@link HawkesParams}) on the window [start, end], by Ozaki's (1979) O(n) recursion:
 * ```text
 * l = sum_i ln lambda(t_i) - integral_start^end lambda(t) dt
 *   = sum_i ln(mu + alpha A_i) - mu (end - start) - (alpha / beta) sum_i (1 - exp(-beta (end - t_i)))
 * A_1 = 0, A_i = exp(-beta (t_i - t_{i-1})) (1 + A_{i-1})
 * ```
 * Events before `start` are not seen (the process starts empty at `start`).
 *
 * Units: times in any one unit; `mu`, `alpha` per that unit, `beta` its reciprocal. Result in nats.
 * Empty input: `-mu (end - start)`.
 *
 * @param times event times, sorted (ties allowed), inside [start, end]; throws {@link InvalidInputError}
 *   on a non-finite or decreasing time
 * @example
 * ```ts
 * hawkesLogLikelihood([0, 1], { mu: 1, alpha: 1, beta: 1 }, { end: 2 });
 * // -3.1835235880737223 = ln 1 + ln(1 + e^-1) - 2 - ((1 - e^-2) + (1 - e^-1))
 * ```
 */
export function hawkesLogLikelihood(times: ArrayLike<number>, params: HawkesParams, window?: HawkesWindow): number {
  checkParams('hawkesLogLikelihood', params);
  const { start, end } = resolveWindow('hawkesLogLikelihood', times, window);
  return logLikelihoodRaw(times, params.mu, params.alpha, params.beta, start, end, null);
}

/** Options of {@link fitHawkes}. */
export interface HawkesFitOptions extends HawkesWindow {
  /**
   * Upper bound of the branching ratio `alpha / beta` searched, in (0, 1): the fit is restricted to
   * stationary processes.
   * @defaultValue 0.999999
   */
  maxBranchingRatio?: number;
  /**
   * Most likelihood evaluations of the Nelder-Mead search (all restarts together).
   * @defaultValue 4000
   */
  maxEvaluations?: number;
  /**
   * Convergence: the search stops when the simplex's log-likelihood values differ by less than this
   * (nats) and its points by less than `1e-7` in the log-parameters.
   * @defaultValue 1e-9
   */
  tolerance?: number;
  /** Starting point. Default: mu = rate / 2, beta = rate, alpha = beta / 2 (rate = events / window length). */
  initial?: HawkesParams;
}

/** Defaults of {@link HawkesFitOptions}. */
export const DEFAULT_HAWKES_FIT_OPTIONS: Readonly<{ maxBranchingRatio: number; maxEvaluations: number; tolerance: number }> =
  Object.freeze({
    /** @defaultValue 0.999999 */
    maxBranchingRatio: 0.999999,
    /** @defaultValue 4000 */
    maxEvaluations: 4000,
    /** @defaultValue 1e-9 */
    tolerance: 1e-9,
  });

/** Standard errors of a {@link HawkesFit}. */
export interface HawkesStdErrors {
  mu: number;
  alpha: number;
  beta: number;
  /** Of `alpha / beta`, by the delta method. */
  branchingRatio: number;
}

/** The result of {@link fitHawkes}. */
export interface HawkesFit extends HawkesParams {
  /** `alpha / beta`, in [0, maxBranchingRatio]. */
  branchingRatio: number;
  /** Mean event rate implied by the fit, `mu / (1 - branchingRatio)`, events per time unit. */
  stationaryRate: number;
  /**
   * Asymptotic standard errors from the observed information: the inverse of minus the Hessian of the
   * log-likelihood at the optimum (central differences of the analytic gradient). NaN when that matrix
   * is not positive definite (e.g. a fit on the boundary).
   */
  stdErrors: HawkesStdErrors;
  /** Covariance of (mu, alpha, beta) (3 x 3, row-major), NaN when unavailable. */
  covariance: number[];
  /** Log-likelihood at the optimum (nats). */
  logLikelihood: number;
  /** Events in the window. */
  events: number;
  start: number;
  end: number;
  /** Likelihood evaluations used. */
  evaluations: number;
  /**
   * Whether the search met its tolerance within `maxEvaluations` and the estimate is interior (branching
   * ratio below the bound, gradient near 0).
   */
  converged: boolean;
}

const FIT_KEYS = ['start', 'end', 'maxBranchingRatio', 'maxEvaluations', 'tolerance', 'initial'] as const;

/**
 * Maximum-likelihood fit of an exponential-kernel Hawkes process (jump-size form, {@link HawkesParams})
 * to event times on a window, with standard errors and the branching ratio.
 *
 * **Likelihood.** Ozaki's (1979) O(n) recursion ({@link hawkesLogLikelihood}).
 * **Search.** Nelder-Mead (Lagarias et al. 1998 coefficients) on the unconstrained parameters
 * `(ln mu, ln beta, logit(n / maxBranchingRatio))`, `n = alpha / beta`: every point searched is a
 * stationary process (`n < 1`), mu and beta stay positive. The search restarts from its best point until
 * a restart no longer improves it by `tolerance`.
 * **Standard errors.** Observed information (Ogata 1978: the MLE is asymptotically normal with that
 * covariance): the Hessian of the log-likelihood in (mu, alpha, beta) by central differences of the
 * analytic gradient, inverted; the branching ratio's by the delta method.
 *
 * Units: as the times (see {@link hawkesLogLikelihood}). Fewer than 2 events: every estimate NaN,
 * `converged: false`. Times must be finite and sorted ({@link InvalidInputError} otherwise). Ties are
 * allowed but bias the fit: merge simultaneous events (e.g. one market order filling several resting
 * orders) first.
 *
 * References: Ozaki, T. (1979) "Maximum likelihood estimation of Hawkes' self-exciting point processes",
 * Ann. Inst. Statist. Math. 31, eq. (3.3)-(3.5); Ogata, Y. (1978) "The asymptotic behaviour of maximum
 * likelihood estimators for stationary point processes", Ann. Inst. Statist. Math. 30.
 *
 * @example
 * ```ts
 * const times = simulateHawkes({ mu: 0.5, alpha: 0.8, beta: 1.2 }, { random: new Random(7), n: 20000 });
 * const fit = fitHawkes(times, { start: 0 });
 * // fit.mu 0.5016, fit.alpha 0.7900, fit.beta 1.1762, fit.branchingRatio 0.6716 (stdErrors.branchingRatio 0.0089)
 * ```
 */
export function fitHawkes(times: ArrayLike<number>, options: HawkesFitOptions = {}): HawkesFit {
  checkOptionKeys('fitHawkes', options, FIT_KEYS);
  const maxN = options.maxBranchingRatio ?? DEFAULT_HAWKES_FIT_OPTIONS.maxBranchingRatio;
  if (typeof maxN !== 'number' || !(maxN > 0 && maxN < 1)) {
    throw new InvalidOptionError('fitHawkes.maxBranchingRatio', maxN, 'a number in (0, 1)');
  }
  const maxEvaluations = integerOption('fitHawkes.maxEvaluations', options.maxEvaluations ?? DEFAULT_HAWKES_FIT_OPTIONS.maxEvaluations, 10);
  const tolerance = positiveOption('fitHawkes.tolerance', options.tolerance ?? DEFAULT_HAWKES_FIT_OPTIONS.tolerance);
  if (options.start !== undefined) finiteOption('fitHawkes.start', options.start);
  if (options.initial !== undefined) {
    checkParams('fitHawkes.initial', options.initial);
    if (!(options.initial.alpha / options.initial.beta < maxN)) {
      throw new InvalidOptionError('fitHawkes.initial', options.initial, `alpha / beta < maxBranchingRatio (${maxN})`);
    }
  }
  const { start, end } = resolveWindow('fitHawkes', times, options);
  const n = times.length;
  const nanErrors: HawkesStdErrors = { mu: NaN, alpha: NaN, beta: NaN, branchingRatio: NaN };
  if (n < 2 || !(end > start)) {
    return {
      mu: NaN, alpha: NaN, beta: NaN, branchingRatio: NaN, stationaryRate: NaN, stdErrors: nanErrors,
      covariance: new Array<number>(9).fill(NaN), logLikelihood: NaN, events: n, start, end, evaluations: 0, converged: false,
    };
  }

  const toParams = (x: Float64Array, out: Float64Array): void => {
    const mu = Math.exp(x[0]!);
    const beta = Math.exp(x[1]!);
    const ratio = maxN / (1 + Math.exp(-x[2]!));
    out[0] = mu;
    out[1] = ratio * beta;
    out[2] = beta;
  };
  const p = new Float64Array(3);
  let evaluations = 0;
  // Minimised: minus the log-likelihood per event (scale-free tolerance in nats per event * n).
  const objective = (x: Float64Array): number => {
    evaluations++;
    toParams(x, p);
    const l = logLikelihoodRaw(times, p[0]!, p[1]!, p[2]!, start, end, null);
    return Number.isFinite(l) ? -l : Infinity;
  };

  const rate = n / (end - start);
  const init = options.initial ?? { mu: rate / 2, alpha: rate / 2, beta: rate };
  const n0 = init.alpha / init.beta;
  let x: Float64Array = new Float64Array([Math.log(init.mu), Math.log(init.beta), n0 > 0 ? Math.log(n0 / maxN / (1 - n0 / maxN)) : -10]);
  let best = objective(x);
  let met = false;
  for (let restart = 0; restart < 20 && evaluations < maxEvaluations; restart++) {
    const r = nelderMead(objective, x, restart === 0 ? 0.5 : 0.05, tolerance, maxEvaluations - evaluations, () => evaluations);
    const improved = best - r.value;
    x = r.x;
    best = r.value;
    met = r.converged;
    if (r.converged && restart > 0 && improved < tolerance) break;
  }
  toParams(x, p);
  const mu = p[0]!;
  const alpha = p[1]!;
  const beta = p[2]!;

  // Observed information: Hessian by central differences of the analytic gradient.
  const grad = new Float64Array(3);
  const gPlus = new Float64Array(3);
  const gMinus = new Float64Array(3);
  const ll = logLikelihoodRaw(times, mu, alpha, beta, start, end, grad);
  const theta = [mu, alpha, beta];
  const hess = new Float64Array(9);
  for (let j = 0; j < 3; j++) {
    const h = 1e-5 * Math.max(Math.abs(theta[j]!), 1e-3 * rate);
    const tp = theta.slice();
    const tm = theta.slice();
    tp[j] = theta[j]! + h;
    tm[j] = theta[j]! - h;
    logLikelihoodRaw(times, tp[0]!, tp[1]!, tp[2]!, start, end, gPlus);
    logLikelihoodRaw(times, tm[0]!, Math.max(tm[1]!, 0), tm[2]!, start, end, gMinus);
    for (let i = 0; i < 3; i++) hess[i * 3 + j] = (gPlus[i]! - gMinus[i]!) / (2 * h);
  }
  const info = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) info[i * 3 + j] = -0.5 * (hess[i * 3 + j]! + hess[j * 3 + i]!);
  const cov = invertSpd3(info);
  const se = (i: number): number => (cov === null ? NaN : Math.sqrt(cov[i * 4]!));
  let seN = NaN;
  if (cov !== null) {
    const g1 = 1 / beta;
    const g2 = -alpha / (beta * beta);
    seN = Math.sqrt(g1 * g1 * cov[4]! + 2 * g1 * g2 * cov[5]! + g2 * g2 * cov[8]!);
  }
  const branchingRatio = alpha / beta;
  // Gradient near 0 relative to the information scale: |g_i| * se_i well under one nat.
  let interior = cov !== null && branchingRatio < maxN * (1 - 1e-6);
  if (cov !== null) for (let i = 0; i < 3; i++) if (Math.abs(grad[i]!) * se(i) > 1e-2) interior = false;
  return {
    mu,
    alpha,
    beta,
    branchingRatio,
    stationaryRate: mu / (1 - branchingRatio),
    stdErrors: { mu: se(0), alpha: se(1), beta: se(2), branchingRatio: seN },
    covariance: cov === null ? new Array<number>(9).fill(NaN) : Array.from(cov),
    logLikelihood: ll,
    events: n,
    start,
    end,
    evaluations,
    converged: met && interior,
  };
}

/** Inverse of a symmetric positive-definite 3x3 matrix (row-major) by Cholesky; null if not SPD. */
function invertSpd3(m: Float64Array): Float64Array | null {
  // Cholesky m = L L^T
  const l = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * 3 + j]!;
      for (let k = 0; k < j; k++) s -= l[i * 3 + k]! * l[j * 3 + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * 3 + i] = Math.sqrt(s);
      } else {
        l[i * 3 + j] = s / l[j * 3 + j]!;
      }
    }
  }
  // inv(L)
  const li = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    li[i * 3 + i] = 1 / l[i * 3 + i]!;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * 3 + k]! * li[k * 3 + j]!;
      li[i * 3 + j] = s / l[i * 3 + i]!;
    }
  }
  // inv(m) = inv(L)^T inv(L)
  const out = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += li[k * 3 + i]! * li[k * 3 + j]!;
      out[i * 3 + j] = s;
    }
  }
  return out;
}

interface NelderMeadResult {
  x: Float64Array;
  value: number;
  converged: boolean;
}

/**
 * Nelder-Mead minimisation (Lagarias, Reeds, Wright & Wright 1998, "Convergence properties of the
 * Nelder-Mead simplex method in low dimensions", SIAM J. Optim. 9: reflection 1, expansion 2,
 * contraction 1/2, shrink 1/2), from `x0` with an initial simplex of side `step`.
 */
function nelderMead(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  step: number,
  ftol: number,
  budget: number,
  used: () => number,
): NelderMeadResult {
  const d = x0.length;
  const startUsed = used();
  const pts: Float64Array[] = [];
  const vals: number[] = [];
  for (let i = 0; i <= d; i++) {
    const x = Float64Array.from(x0);
    if (i > 0) x[i - 1] = x[i - 1]! + step;
    pts.push(x);
    vals.push(f(x));
  }
  const centroid = new Float64Array(d);
  const xr = new Float64Array(d);
  const xe = new Float64Array(d);
  const xc = new Float64Array(d);
  const order = Array.from({ length: d + 1 }, (_, i) => i);
  let converged = false;
  while (used() - startUsed < budget) {
    order.sort((a, b) => vals[a]! - vals[b]!);
    const bestI = order[0]!;
    const worstI = order[d]!;
    const secondI = order[d - 1]!;
    let spread = 0;
    for (let i = 0; i <= d; i++) {
      for (let j = 0; j < d; j++) spread = Math.max(spread, Math.abs(pts[i]![j]! - pts[bestI]![j]!));
    }
    if (vals[worstI]! - vals[bestI]! <= ftol && spread <= 1e-7) {
      converged = true;
      break;
    }
    centroid.fill(0);
    for (let i = 0; i <= d; i++) if (i !== worstI) for (let j = 0; j < d; j++) centroid[j] = centroid[j]! + pts[i]![j]! / d;
    const worst = pts[worstI]!;
    for (let j = 0; j < d; j++) xr[j] = centroid[j]! + (centroid[j]! - worst[j]!);
    const fr = f(xr);
    if (fr < vals[bestI]!) {
      for (let j = 0; j < d; j++) xe[j] = centroid[j]! + 2 * (centroid[j]! - worst[j]!);
      const fe = f(xe);
      if (fe < fr) {
        worst.set(xe);
        vals[worstI] = fe;
      } else {
        worst.set(xr);
        vals[worstI] = fr;
      }
      continue;
    }
    if (fr < vals[secondI]!) {
      worst.set(xr);
      vals[worstI] = fr;
      continue;
    }
    // contraction: outside if the reflection beat the worst, else inside
    const outside = fr < vals[worstI]!;
    for (let j = 0; j < d; j++) xc[j] = outside ? centroid[j]! + 0.5 * (xr[j]! - centroid[j]!) : centroid[j]! + 0.5 * (worst[j]! - centroid[j]!);
    const fc = f(xc);
    if (outside ? fc <= fr : fc < vals[worstI]!) {
      worst.set(xc);
      vals[worstI] = fc;
      continue;
    }
    // shrink towards the best
    const bestX = pts[bestI]!;
    for (let i = 0; i <= d; i++) {
      if (i === bestI) continue;
      const x = pts[i]!;
      for (let j = 0; j < d; j++) x[j] = bestX[j]! + 0.5 * (x[j]! - bestX[j]!);
      vals[i] = f(x);
    }
  }
  let bi = 0;
  for (let i = 1; i <= d; i++) if (vals[i]! < vals[bi]!) bi = i;
  return { x: Float64Array.from(pts[bi]!), value: vals[bi]!, converged };
}
