import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../src/stats/normal-cdf.js';
import { relClose } from '../support/shared-data.js';

/**
 * Phi(x) from mpmath 1.3.0 (`mp.dps = 40; ncdf(mpf(x))`), rounded to 20 significant digits. The x are
 * exact binary values or decimal literals whose double differs from the decimal by far less than the
 * tolerance (|Phi'| <= 0.4).
 */
const MPMATH: Array<[number, number]> = [
  [0, 0.5],
  [0.1, 0.53982783727702898147],
  [0.5, 0.69146246127401310364],
  [-0.5, 0.30853753872598689636],
  [0.66291, 0.74630590161026006041],
  [-0.7, 0.24196365222307301475],
  [1, 0.84134474606854294859],
  [-1, 0.15865525393145705141],
  [1.96, 0.97500210485177956586],
  [-1.96, 0.024997895148220434137],
  [-2.33, 0.0099030755591642520877],
  [2.5, 0.99379033467422386483],
  [-3, 0.0013498980316300945267],
  [3, 0.99865010196836990547],
  [5.5, 0.99999998101043753411],
  [-5.7, 5.9903714010635344298e-9],
  [-8, 6.2209605742717841235e-16],
  [8, 0.9999999999999993779],
  [-10, 7.619853024160526066e-24],
  [-20, 2.7536241186062336951e-89],
  [-37, 5.7255712225245768227e-300],
];

describe('normalCdf', () => {
  it('matches the values in the issue to 1e-15 relative', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(relClose(normalCdf(1), 0.8413447460685429, 1e-15)).toBe(true);
    expect(relClose(normalCdf(-1.96), 0.024997895148220435, 1e-15)).toBe(true);
    expect(relClose(normalCdf(3), 0.9986501019683699, 1e-15)).toBe(true);
    expect(relClose(normalCdf(-8), 6.22096057427178e-16, 1e-14)).toBe(true);
  });

  it('matches mpmath in every range of the approximation: lower tail to 2e-15 relative, upper to 2e-16 absolute', () => {
    for (const [x, expected] of MPMATH) {
      const got = normalCdf(x);
      if (x <= 0) expect(relClose(got, expected, 2e-15), `Phi(${x}) = ${got}, expected ${expected}`).toBe(true);
      else expect(Math.abs(got - expected), `Phi(${x}) = ${got}, expected ${expected}`).toBeLessThanOrEqual(2e-16);
    }
  });

  it('is symmetric: Phi(x) + Phi(-x) = 1 (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (x) => {
        expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).toBeLessThanOrEqual(2.3e-16);
      }),
    );
  });

  it('is non-decreasing and in [0, 1] (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (x, d) => {
        const a = normalCdf(x);
        const b = normalCdf(x + d);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(1);
        // within a few ulps where two approximation ranges meet
        expect(b - a).toBeGreaterThanOrEqual(-4e-16 * Math.max(a, 1e-300));
      }),
    );
  });

  it('is accurate on both sides of the range boundaries 0.66291 and sqrt(32) (mpmath, doubles next to each other)', () => {
    // each boundary value belongs to the lower range, the next double up to the higher one
    const cases: Array<[number, number]> = [
      [0.66291, 0.74630590161026006017],
      [0.6629100000000001, 0.74630590161026009572],
      [-0.66291, 0.25369409838973993983],
      [-0.6629100000000001, 0.25369409838973990428],
      [5.656854248, 0.99999999229137098286],
      [5.656854248000001, 0.99999999229137098286],
      [-5.656854248, 7.7086290171404708101e-9],
      [-5.656854248000001, 7.7086290171404309353e-9],
    ];
    for (const [x, expected] of cases) {
      const got = normalCdf(x);
      if (x <= 0) expect(relClose(got, expected, 2e-15), `Phi(${x}) = ${got}, expected ${expected}`).toBe(true);
      else expect(Math.abs(got - expected), `Phi(${x}) = ${got}, expected ${expected}`).toBeLessThanOrEqual(2e-16);
    }
  });

  it('handles infinities, NaN and the far tails', () => {
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(NaN)).toBeNaN();
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(1e300)).toBe(1);
    expect(normalCdf(-1e300)).toBe(0);
    expect(normalCdf(9)).toBe(1);
    expect(normalCdf(-38)).toBeGreaterThan(0);
    expect(normalCdf(1e-300)).toBe(0.5);
  });
});
