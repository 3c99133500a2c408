import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../src/stats/normal-cdf.js';
import { normalQuantile } from '../../src/stats/normal-quantile.js';
import { relClose } from '../support/shared-data.js';

/**
 * z with Phi(z) = p for the double p, from mpmath 1.3.0 (`mp.dps = 60`; `sqrt(2) erfinv(2p - 1)` for
 * p >= 1e-8, Newton's method on `ncdf` below), 20 significant digits.
 */
const MPMATH: Array<[number, number]> = [
  [0.975, 1.9599639845400538556],
  [0.025, -1.9599639845400542118],
  [0.1, -1.2815515655446004353],
  [0.9, 1.2815515655446005935],
  [0.3, -0.52440051270804081597],
  [0.7, 0.52440051270804065631],
  [1e-5, -4.2648907939228246102],
  [0.999999, 4.7534243088170877657],
  [1e-10, -6.3613409024040561991],
  [1e-20, -9.2623400897984075796],
  [1e-300, -37.047096299361199237],
];

describe('normalQuantile', () => {
  it('matches mpmath in the central region and both tail regions to 1e-15 relative', () => {
    for (const [p, expected] of MPMATH) {
      const got = normalQuantile(p);
      expect(relClose(got, expected, 1e-15), `q(${p}) = ${got}, expected ${expected}`).toBe(true);
    }
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('inverts normalCdf: Phi(q(p)) = p (property)', () => {
    // in the lower tail the round trip is ill-conditioned: d ln Phi / d ln z ~ z^2, so a relative error eps
    // in z becomes ~ z^2 eps in Phi (z = -37 at p = 1e-300): tolerance 2e-15 max(1, z^2)
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 0.5, noNaN: true }), (p) => {
        const z = normalQuantile(p);
        expect(relClose(normalCdf(z), p, 2e-15 * Math.max(1, z * z))).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 1, noNaN: true }), (p) => {
        expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThanOrEqual(4e-16);
      }),
    );
  });

  it('is antisymmetric: q(p) = -q(1 - p) for p with an exact 1 - p (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 20 - 1 }), (k) => {
        const p = k / 2 ** 20;
        expect(relClose(normalQuantile(p), -normalQuantile(1 - p), 1e-15) || normalQuantile(p) === 0).toBe(true);
      }),
    );
  });

  it('gives -Infinity at 0, Infinity at 1 and NaN outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(NaN)).toBeNaN();
  });
});
