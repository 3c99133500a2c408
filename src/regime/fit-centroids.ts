/**
 * The K-means fit behind {@link RegimeClassifier} training, shared by the in-thread trainer and the
 * worker-thread trainer (`microstructure/node`), which ships this function's source text to its
 * worker: it must stay self-contained (no reference to anything outside its own body) and plain
 * JavaScript once types are stripped.
 *
 * @module
 */

/** The shape of `kmeans` from `ml-kmeans` (v7) that {@link fitCentroids} uses. */
export type KmeansFunction = (
  data: number[][],
  k: number,
  options: { initialization: 'kmeans++' | number[][]; seed: number; maxIterations: number; tolerance: number },
) => { centroids: number[][]; iterations: number };

/** The result of {@link fitCentroids}. */
export interface CentroidFit {
  /** k x d centroids, row-major. */
  centroids: Float64Array;
  /** Sum of squared distances of the points to their nearest centroid (the K-means objective). */
  inertia: number;
  /** Lloyd iterations of the best restart. */
  iterations: number;
}

/**
 * Fit k centroids to `n` points of dimension `d` (row-major in `data`) with `ml-kmeans`: k-means++
 * seeding (Arthur & Vassilvitskii 2007) with a seeded generator, Lloyd iterations, `restarts` runs with
 * seeds `seed, seed + 1, ...`, keeping the run of least inertia. With `initial` (k x d, row-major), one
 * run of Lloyd iterations from those centroids instead ("seeded K-means", Basu, Banerjee & Mooney 2002):
 * centroid i of the result is the one grown from `initial` row i (a centroid no point comes nearest to
 * stays where it was). Deterministic for given inputs. Returns null when the points hold fewer than `k`
 * distinct vectors (K-means is then undefined).
 *
 * @internal
 */
export function fitCentroids(
  kmeans: KmeansFunction,
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  seed: number,
  restarts: number,
  maxIterations: number,
  initial: ArrayLike<number> | null = null,
): CentroidFit | null {
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: number[] = new Array(d);
    for (let j = 0; j < d; j++) row[j] = data[i * d + j]!;
    rows[i] = row;
  }
  // At least k distinct points, else k-means++ divides by a zero potential.
  const distinct: number[][] = [];
  for (let i = 0; i < n && distinct.length < k; i++) {
    const row = rows[i]!;
    let seen = false;
    for (const other of distinct) {
      let same = true;
      for (let j = 0; j < d; j++) {
        if (other[j] !== row[j]) {
          same = false;
          break;
        }
      }
      if (same) {
        seen = true;
        break;
      }
    }
    if (!seen) distinct.push(row);
  }
  if (distinct.length < k) return null;

  let start: number[][] | null = null;
  if (initial !== null) {
    start = [];
    for (let c = 0; c < k; c++) {
      const row: number[] = new Array(d);
      for (let j = 0; j < d; j++) row[j] = initial[c * d + j]!;
      start.push(row);
    }
  }
  let best: CentroidFit | null = null;
  const runs = start === null ? restarts : 1;
  for (let r = 0; r < runs; r++) {
    const result = kmeans(rows, k, {
      initialization: start === null ? 'kmeans++' : start.map((row) => row.slice()),
      seed: (seed + r) >>> 0,
      maxIterations,
      tolerance: 1e-10,
    });
    const centroids = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      const src = result.centroids[c]!;
      for (let j = 0; j < d; j++) centroids[c * d + j] = src[j]!;
    }
    let inertia = 0;
    for (let i = 0; i < n; i++) {
      let min = Infinity;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const diff = data[i * d + j]! - centroids[c * d + j]!;
          s += diff * diff;
        }
        if (s < min) min = s;
      }
      inertia += min;
    }
    if (best === null || inertia < best.inertia) best = { centroids, inertia, iterations: result.iterations };
  }
  return best;
}
