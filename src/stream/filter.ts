import { checkFunction, checkSource, type Stage } from './stage.js';

/**
 * Keep the values of a sync or async iterable for which `predicate` is truthy, lazily.
 *
 * - Sync source: a sync iterable (a generator).
 * - Async source: an async iterable; `predicate` may return a promise, which is awaited.
 * - `filter(predicate)` without a source returns a {@link Stage} for {@link pipe}.
 * - A type-guard predicate (`(e): e is Trade => ...`) narrows the value type.
 *
 * `predicate` receives the value and its 0-based index in the source. A source that is neither iterable
 * nor async iterable throws `InvalidInputError` at the call.
 *
 * @example
 * ```ts
 * [...filter([1, 2, 3, 4], (x) => x % 2 === 0)]; // [2, 4]
 * ```
 */
export function filter<T, S extends T>(source: AsyncIterable<T>, predicate: (value: T, index: number) => value is S): AsyncIterableIterator<S>;
export function filter<T>(source: AsyncIterable<T>, predicate: (value: T, index: number) => unknown): AsyncIterableIterator<T>;
export function filter<T, S extends T>(source: Iterable<T>, predicate: (value: T, index: number) => value is S): IterableIterator<S>;
export function filter<T>(source: Iterable<T>, predicate: (value: T, index: number) => unknown): IterableIterator<T>;
export function filter<T, S extends T>(predicate: (value: T, index: number) => value is S): Stage<T, S>;
export function filter<T>(predicate: (value: T, index: number) => unknown): Stage<T, T>;
export function filter(sourceOrPredicate: unknown, predicate?: (value: unknown, index: number) => unknown): unknown {
  if (predicate === undefined && typeof sourceOrPredicate === 'function') {
    const p = sourceOrPredicate as (value: unknown, index: number) => unknown;
    return (source: Iterable<unknown> | AsyncIterable<unknown>) => filter(source as Iterable<unknown>, p);
  }
  checkFunction('filter', 'predicate', predicate);
  return checkSource('filter', sourceOrPredicate)
    ? filterAsync(sourceOrPredicate as AsyncIterable<unknown>, predicate!)
    : filterSync(sourceOrPredicate as Iterable<unknown>, predicate!);
}

function* filterSync<T>(source: Iterable<T>, predicate: (value: T, index: number) => unknown): Generator<T, void, undefined> {
  let i = 0;
  for (const x of source) if (predicate(x, i++)) yield x;
}

async function* filterAsync<T>(source: AsyncIterable<T>, predicate: (value: T, index: number) => unknown): AsyncGenerator<T, void, undefined> {
  let i = 0;
  for await (const x of source) if (await predicate(x, i++)) yield x;
}
