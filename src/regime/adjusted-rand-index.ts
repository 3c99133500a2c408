import { InvalidInputError } from '../core/errors.js';

/** A contingency table of two labelings, from {@link contingencyTable}. */
export interface ContingencyTable {
  /** Distinct labels of the first labeling, in order of first appearance. */
  rows: Array<number | string>;
  /** Distinct labels of the second labeling, in order of first appearance. */
  columns: Array<number | string>;
  /** counts[i][j]: points labelled rows[i] by the first and columns[j] by the second. */
  counts: number[][];
  /** Points. */
  n: number;
}

/**
 * Cross-tabulate two labelings of the same points (labels compared with `===`; a label is any number
 * or string). Throws {@link InvalidInputError} if the lengths differ.
 */
export function contingencyTable(a: ArrayLike<number | string>, b: ArrayLike<number | string>): ContingencyTable {
  if (a.length !== b.length) throw new InvalidInputError('contingencyTable b.length', b.length, `the length of a (${a.length})`);
  const rowIndex = new Map<number | string, number>();
  const colIndex = new Map<number | string, number>();
  const rows: Array<number | string> = [];
  const columns: Array<number | string> = [];
  const counts: number[][] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    let r = rowIndex.get(x);
    if (r === undefined) {
      r = rows.length;
      rowIndex.set(x, r);
      rows.push(x);
      counts.push(new Array<number>(columns.length).fill(0));
    }
    let c = colIndex.get(y);
    if (c === undefined) {
      c = columns.length;
      colIndex.set(y, c);
      columns.push(y);
      for (const row of counts) row.push(0);
    }
    counts[r]![c]!++;
  }
  return { rows, columns, counts, n: a.length };
}

const pairs = (m: number): number => (m * (m - 1)) / 2;

/**
 * Adjusted Rand index of two labelings of the same points (Hubert & Arabie 1985, "Comparing
 * partitions", Journal of Classification 2, eq. 5): the Rand index corrected for chance,
 * ```text
 * ARI = (sum_ij C(n_ij, 2) - E) / ((sum_i C(a_i, 2) + sum_j C(b_j, 2)) / 2 - E)
 * E   = sum_i C(a_i, 2) * sum_j C(b_j, 2) / C(n, 2)
 * ```
 * with `n_ij` the contingency table, `a_i`, `b_j` its row and column sums. Unitless; 1 for identical
 * partitions (whatever the label names), about 0 for independent ones, negative below chance (>= -1).
 * Symmetric. When the denominator is 0 (both labelings put every point in one cluster, or every point
 * in its own) the partitions are identical and the result is 1, as scikit-learn's
 * `adjusted_rand_score`. Fewer than 2 points: NaN (scikit-learn returns 1).
 *
 * @example
 * ```ts
 * adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 * adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]); // 0.5714285714285715 (4/7)
 * adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]); // -0.49999999999999994 (-1/2)
 * ```
 */
export function adjustedRandIndex(a: ArrayLike<number | string>, b: ArrayLike<number | string>): number {
  const t = contingencyTable(a, b);
  if (t.n < 2) return NaN;
  let index = 0;
  const colSums = new Array<number>(t.columns.length).fill(0);
  let sumA = 0;
  for (const row of t.counts) {
    let rowSum = 0;
    for (let j = 0; j < row.length; j++) {
      const c = row[j]!;
      index += pairs(c);
      rowSum += c;
      colSums[j]! += c;
    }
    sumA += pairs(rowSum);
  }
  let sumB = 0;
  for (const c of colSums) sumB += pairs(c);
  const expected = (sumA * sumB) / pairs(t.n);
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
