import { checkSource } from './stage.js';

/**
 * Collect a sync iterable into an array, or an async iterable into a promise of an array. Unbounded
 * sources never finish: bound them with {@link take} first.
 *
 * @example
 * ```ts
 * toArray(map([1, 2], (x) => x + 1));        // [2, 3]
 * await toArray(take(asyncSource, 10));       // the first 10 values
 * ```
 */
export function toArray<T>(source: AsyncIterable<T>): Promise<T[]>;
export function toArray<T>(source: Iterable<T>): T[];
export function toArray(source: unknown): unknown {
  return checkSource('toArray', source) ? toArrayAsync(source as AsyncIterable<unknown>) : Array.from(source as Iterable<unknown>);
}

async function toArrayAsync<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of source) out.push(x);
  return out;
}
