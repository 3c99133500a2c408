/*
 * Coefficients: W. J. Cody, "Algorithm 715: SPECFUN", ACM TOMS 19 (1993) 22-32, function ANORM, whose
 * rational approximations derive from Cody, "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23 (1969) 631-637.
 */

/** |x| <= 0.66291: Phi(x) = 1/2 + x P(x^2) / Q(x^2). */
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
/** 0.66291 < |x| <= sqrt(32): tail = exp(-x^2/2) P(|x|) / Q(|x|). */
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
/** |x| > sqrt(32): tail = exp(-x^2/2) / |x| (1/sqrt(2 pi) - P(1/x^2) / (x^2 Q(1/x^2))). */
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

const SQRT_1_2PI = 0.39894228040143267794;
const THRESHOLD = 0.66291;
const ROOT32 = 5.656854248;

/**
 * `exp(-y^2 / 2)` without the rounding error of `y * y`: `y` is split as `y = t + r` with `t` a multiple of
 * 1/16, so `t * t` is exact and `y^2 = t^2 + (y - t)(y + t)` (Cody's device).
 */
function expHalfSquare(y: number): number {
  const t = Math.trunc(y * 16) / 16;
  const del = (y - t) * (y + t);
  return Math.exp(-t * t * 0.5) * Math.exp(-del * 0.5);
}

/**
 * The standard normal cumulative distribution function,
 * ```text
 * Phi(x) = 1 / sqrt(2 pi) * integral_{-inf}^{x} exp(-t^2 / 2) dt
 * ```
 * by W. J. Cody's rational Chebyshev approximations (Cody 1969, "Rational Chebyshev approximations for the
 * error function", Math. Comp. 23, 631-637; as function ANORM of Cody 1993, ACM TOMS Algorithm 715), the
 * algorithm behind R's `pnorm`. Three ranges: `|x| <= 0.66291`, up to `sqrt(32)`, and beyond (asymptotic
 * form). For `x < 0` the lower tail is computed directly, so small probabilities keep their relative
 * accuracy (`Phi(-8) = 6.22e-16` to ~1e-15 relative); for `x > 0` the result is `1 - tail`, accurate to
 * ~1e-16 absolute.
 *
 * Unitless, in [0, 1]. `Phi(-Infinity) = 0`, `Phi(Infinity) = 1`, `Phi(NaN) = NaN`; below about -38.5 the
 * result underflows to 0, above about 8.3 it rounds to 1.
 *
 * @example
 * ```ts
 * normalCdf(0);     // 0.5
 * normalCdf(1.96);  // 0.9750021048517796
 * normalCdf(-8);    // 6.220960574271785e-16
 * ```
 */
export function normalCdf(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) {
    const xsq = y > 1.1e-16 ? x * x : 0;
    let num = A[4]! * xsq;
    let den = xsq;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * xsq;
      den = (den + B[i]!) * xsq;
    }
    return 0.5 + (x * (num + A[3]!)) / (den + B[3]!);
  }
  if (!(y < 40)) {
    // |x| >= 40 (the tail is below the smallest double) or NaN
    return Number.isNaN(x) ? NaN : x > 0 ? 1 : 0;
  }
  let tail: number;
  if (y <= ROOT32) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    tail = ((num + C[7]!) / (den + D[7]!)) * expHalfSquare(y);
  } else {
    const xsq = 1 / (x * x);
    let num = P[5]! * xsq;
    let den = xsq;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]!) * xsq;
      den = (den + Q[i]!) * xsq;
    }
    const r = (xsq * (num + P[4]!)) / (den + Q[4]!);
    tail = ((SQRT_1_2PI - r) / y) * expHalfSquare(y);
  }
  return x > 0 ? 1 - tail : tail;
}
