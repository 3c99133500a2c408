import { InvalidInputError } from '../core/errors.js';

/**
 * Minimum-cost perfect matching of an n x n cost matrix (the linear assignment problem), by the
 * Hungarian method (Kuhn 1955, Munkres 1957) in its O(n^3) shortest-augmenting-path form with row and
 * column potentials (Jonker & Volgenant 1987 style).
 *
 * Returns `assignment` with `assignment[row] = column`, a permutation of 0..n-1 minimising
 * `sum_row cost[row * n + assignment[row]]`. Ties resolve to the lowest column found first
 * (deterministic). `n = 0` gives an empty array.
 *
 * The regime classifier uses it to keep labels stable across retrains (old centroids x new centroids,
 * squared distances) and to name clusters (names x centroids, minus the profile scores).
 *
 * @param cost row-major n x n, every entry finite ({@link InvalidInputError} otherwise)
 * @example
 * ```ts
 * minCostAssignment([4, 1, 3, 2, 0, 5, 3, 2, 2], 3); // Int32Array [1, 0, 2]  (cost 1 + 2 + 2 = 5)
 * ```
 */
export function minCostAssignment(cost: ArrayLike<number>, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new InvalidInputError('minCostAssignment n', n, 'an integer >= 0');
  if (cost.length !== n * n) throw new InvalidInputError('minCostAssignment cost.length', cost.length, `n * n = ${n * n}`);
  for (let i = 0; i < n * n; i++) {
    if (!Number.isFinite(cost[i])) throw new InvalidInputError(`minCostAssignment cost[${i}]`, cost[i], 'a finite number');
  }
  // 1-based potentials u (rows), v (columns); p[j] = row matched to column j (0 = none); way = tree links.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j] === 1) continue;
        const cur = cost[(i0 - 1) * n + (j - 1)]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j] === 1) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Int32Array(n);
  for (let j = 1; j <= n; j++) out[p[j]! - 1] = j - 1;
  return out;
}
