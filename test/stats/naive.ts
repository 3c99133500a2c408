/**
 * Naive reference computations for the stats tests: direct formulas over arrays, no streaming.
 */
import fc from 'fast-check';

/** Plain sum. */
export function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** Two-pass mean and sum of squared deviations. */
export function moments(xs: readonly number[]): { n: number; mean: number; m2: number } {
  const n = xs.length;
  const mean = sum(xs) / n;
  let m2 = 0;
  for (const x of xs) m2 += (x - mean) * (x - mean);
  return { n, mean, m2 };
}

/** max |x| (0 for an empty list). */
export function maxAbs(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) m = Math.max(m, Math.abs(x));
  return m;
}

/** |actual - expected| <= tol * scale, or both NaN. */
export function closeScaled(actual: number, expected: number, tol: number, scale: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Math.abs(actual - expected) <= tol * scale;
}

/** Closed-form OLS of y on x with an intercept, two-pass. */
export function naiveOls(xs: readonly number[], ys: readonly number[]) {
  const n = xs.length;
  const mx = sum(xs) / n;
  const my = sum(ys) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  // residuals computed directly, not through Syy - b Sxy
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - intercept - slope * xs[i]!) ** 2;
  const r2 = 1 - sse / syy;
  const stdErr = Math.sqrt(sse / (n - 2) / sxx);
  return { n, sxx, syy, sxy, slope, intercept, r2, stdErr, tStat: slope / stdErr };
}

/**
 * Moderate finite values, as the properties use: 0 or |x| in [1e-100, 1e6] (tinier values are mapped to
 * 0, so that squares and scaled tolerances do not underflow into subnormals).
 */
export const moderate = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(noTiny);

/** 0 for |x| < 1e-100, else x: keeps squares clear of underflow. */
export function noTiny(x: number): number {
  return Math.abs(x) < 1e-100 ? 0 : x;
}

/** Moderate values with an occasional NaN or infinity (to exercise the skip policy). */
export const moderateOrBad = fc.oneof(
  { arbitrary: moderate, weight: 12 },
  { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity), weight: 1 },
);
