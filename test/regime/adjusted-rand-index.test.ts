import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { adjustedRandIndex, contingencyTable } from '../../src/regime/adjusted-rand-index.js';

/**
 * ARI by pair counting (Steinley 2004 form, as scikit-learn's pair_confusion_matrix): over all pairs,
 * a = together in both, b = together only in the first, c = only in the second, d = apart in both;
 * ARI = 2 (a d - b c) / ((a + b)(b + d) + (a + c)(c + d)).
 */
function pairCountingAri(x: number[], y: number[]): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const sx = x[i] === x[j];
      const sy = y[i] === y[j];
      if (sx && sy) a++;
      else if (sx) b++;
      else if (sy) c++;
      else d++;
    }
  }
  const den = (a + b) * (b + d) + (a + c) * (c + d);
  return den === 0 ? 1 : (2 * (a * d - b * c)) / den;
}

const labelings = fc.integer({ min: 2, max: 40 }).chain((n) =>
  fc.tuple(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n })),
);

describe('adjustedRandIndex', () => {
  it('matches scikit-learn documentation values', () => {
    // adjusted_rand_score examples: identical and renamed partitions 1.0
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 1])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    // [0,0,1,2] vs [0,0,1,1]: index = C(2,2) = 1; sum_i C(a_i,2) = 1; sum_j C(b_j,2) = 2;
    // E = 1 * 2 / C(4,2) = 1/3; max = 3/2; ARI = (1 - 1/3) / (3/2 - 1/3) = 4/7
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(4 / 7, 15);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 15);
    // one cluster vs all singletons: index 0, E = 0, max = 3: 0
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    // [0,0,1,1] vs [0,1,0,1]: index 0, E = 2 * 2 / 6 = 2/3, max = 2: (0 - 2/3) / (4/3) = -0.5
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 15);
  });

  it('is 1 for identical trivial partitions, NaN for fewer than 2 points, and takes string labels', () => {
    expect(adjustedRandIndex([1, 1, 1], [2, 2, 2])).toBe(1);
    expect(adjustedRandIndex([1, 2, 3], [3, 2, 1])).toBe(1);
    expect(adjustedRandIndex([], [])).toBeNaN();
    expect(adjustedRandIndex([1], [1])).toBeNaN();
    expect(adjustedRandIndex(['calm', 'calm', 'crash', 'crash'], [2, 2, 0, 0])).toBe(1);
  });

  it('equals the pair-counting form, is symmetric and ignores label names (property)', () => {
    fc.assert(
      fc.property(labelings, fc.integer({ min: 1, max: 100 }), ([x, y], shift) => {
        const ari = adjustedRandIndex(x, y);
        expect(ari).toBeCloseTo(pairCountingAri(x, y), 10);
        expect(adjustedRandIndex(y, x)).toBeCloseTo(ari, 12);
        expect(adjustedRandIndex(x.map((v) => `r${(v * 7 + shift) % 5}`), y)).toBeCloseTo(ari, 12);
        expect(ari).toBeLessThanOrEqual(1 + 1e-12);
        expect(ari).toBeGreaterThanOrEqual(-1 - 1e-12);
        expect(adjustedRandIndex(x, x)).toBe(1);
      }),
    );
  });

  it('cross-tabulates labels in order of first appearance', () => {
    const t = contingencyTable(['a', 'b', 'a', 'c'], [1, 1, 0, 0]);
    expect(t.rows).toEqual(['a', 'b', 'c']);
    expect(t.columns).toEqual([1, 0]);
    expect(t.counts).toEqual([[1, 1], [1, 0], [0, 1]]);
    expect(t.n).toBe(4);
    expect(() => contingencyTable([1], [1, 2])).toThrow(InvalidInputError);
    expect(() => adjustedRandIndex([1, 2], [1])).toThrow(InvalidInputError);
  });
});
