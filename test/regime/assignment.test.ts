import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { minCostAssignment } from '../../src/regime/assignment.js';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

function total(cost: number[], n: number, assignment: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += cost[i * n + assignment[i]!]!;
  return s;
}

describe('minCostAssignment', () => {
  it('solves a 3 x 3 problem worked by hand', () => {
    // rows: [4 1 3], [2 0 5], [3 2 2]; the 6 permutations cost 6, 9, 11, 5, 7, 6 (row order 012 -> cols):
    // (0,1,2) 4+0+2 = 6, (0,2,1) 4+5+2 = 11, (1,0,2) 1+2+2 = 5, (1,2,0) 1+5+3 = 9, (2,0,1) 3+2+2 = 7,
    // (2,1,0) 3+0+3 = 6: the best is (1, 0, 2)
    expect(Array.from(minCostAssignment([4, 1, 3, 2, 0, 5, 3, 2, 2], 3))).toEqual([1, 0, 2]);
  });

  it('handles 0 and 1 rows, and negative costs', () => {
    expect(minCostAssignment([], 0).length).toBe(0);
    expect(Array.from(minCostAssignment([7], 1))).toEqual([0]);
    expect(Array.from(minCostAssignment([-1, -5, -3, -2], 2))).toEqual([1, 0]);
  });

  it('returns a permutation of least total cost, as brute force does (property)', () => {
    const problem = fc.integer({ min: 1, max: 6 }).chain((n) =>
      fc.tuple(fc.constant(n), fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n * n, maxLength: n * n })),
    );
    fc.assert(
      fc.property(problem, ([n, cost]) => {
        const a = minCostAssignment(cost, n);
        expect(Array.from(a).sort()).toEqual(Array.from({ length: n }, (_, i) => i));
        const best = Math.min(...permutations(n).map((p) => total(cost, n, p)));
        expect(total(cost, n, a)).toBeCloseTo(best, 9);
      }),
    );
  });

  it('rejects a wrong size and non-finite costs', () => {
    expect(() => minCostAssignment([1, 2, 3], 2)).toThrow(InvalidInputError);
    expect(() => minCostAssignment([1, NaN, 3, 4], 2)).toThrow(InvalidInputError);
    expect(() => minCostAssignment([1], -1)).toThrow(InvalidInputError);
  });
});
