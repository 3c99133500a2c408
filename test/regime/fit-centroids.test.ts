import { kmeans } from 'ml-kmeans';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { fitCentroids, type KmeansFunction } from '../../src/regime/fit-centroids.js';

const km = kmeans as unknown as KmeansFunction;

describe('fitCentroids', () => {
  it('finds three separated blobs, deterministically for a seed', () => {
    // 3 x 100 points around (0, 0), (10, 0), (0, 10), sd 0.5
    const rnd = new Random(1);
    const centers = [[0, 0], [10, 0], [0, 10]];
    const data = new Float64Array(300 * 2);
    for (let i = 0; i < 300; i++) {
      const c = centers[i % 3]!;
      data[2 * i] = c[0]! + rnd.normal(0, 0.5);
      data[2 * i + 1] = c[1]! + rnd.normal(0, 0.5);
    }
    const fit = fitCentroids(km, data, 300, 2, 3, 7, 2, 100)!;
    const found = Array.from({ length: 3 }, (_, i) => [fit.centroids[2 * i]!, fit.centroids[2 * i + 1]!]);
    for (const c of centers) {
      const nearest = Math.min(...found.map((f) => Math.hypot(f[0]! - c[0]!, f[1]! - c[1]!)));
      expect(nearest).toBeLessThan(0.2);
    }
    // inertia: about 300 points * 2 dims * 0.25 variance = 150
    expect(fit.inertia).toBeGreaterThan(100);
    expect(fit.inertia).toBeLessThan(200);
    const again = fitCentroids(km, data, 300, 2, 3, 7, 2, 100)!;
    expect(Array.from(again.centroids)).toEqual(Array.from(fit.centroids));
  });

  it('returns null with fewer than k distinct points', () => {
    const data = new Float64Array([1, 1, 1, 1, 2, 2, 1, 1]);
    expect(fitCentroids(km, data, 4, 2, 3, 1, 1, 10)).toBeNull();
    expect(fitCentroids(km, data, 4, 2, 2, 1, 1, 10)).not.toBeNull();
  });

  it('with initial centroids runs once from them: row i is the cluster grown from initial row i', () => {
    // blobs around (0, 0), (10, 0), (0, 10); seeds listed in another order: (0, 9), (1, 1), (9, 1)
    const rnd = new Random(2);
    const centers = [[0, 0], [10, 0], [0, 10]];
    const data = new Float64Array(300 * 2);
    for (let i = 0; i < 300; i++) {
      const c = centers[i % 3]!;
      data[2 * i] = c[0]! + rnd.normal(0, 0.5);
      data[2 * i + 1] = c[1]! + rnd.normal(0, 0.5);
    }
    const initial = [0, 9, 1, 1, 9, 1];
    const fit = fitCentroids(km, data, 300, 2, 3, 7, 5, 100, initial)!;
    const order = [[0, 10], [0, 0], [10, 0]];
    order.forEach((c, i) => expect(Math.hypot(fit.centroids[2 * i]! - c[0]!, fit.centroids[2 * i + 1]! - c[1]!)).toBeLessThan(0.2));
    // restarts and seed play no part
    expect(Array.from(fitCentroids(km, data, 300, 2, 3, 99, 1, 100, initial)!.centroids)).toEqual(Array.from(fit.centroids));
    expect(initial).toEqual([0, 9, 1, 1, 9, 1]);
  });

  it('is self-contained source text, as the worker trainer ships it', () => {
    // eslint-style guard: the function body names nothing from its module
    const text = fitCentroids.toString();
    expect(text.startsWith('function fitCentroids(')).toBe(true);
    const rebuilt = new Function(`return (${text});`)() as typeof fitCentroids;
    const data = new Float64Array([0, 0, 0, 1, 5, 5, 5, 6]);
    expect(Array.from(rebuilt(km, data, 4, 2, 2, 3, 1, 10)!.centroids)).toEqual(Array.from(fitCentroids(km, data, 4, 2, 2, 3, 1, 10)!.centroids));
    expect(Array.from(rebuilt(km, data, 4, 2, 2, 3, 1, 10, [0, 0, 5, 5])!.centroids)).toEqual([0, 0.5, 5, 5.5]);
  });
});
