import { checkFunction, checkSource, type Stage } from './stage.js';

/**
 * Apply `fn` to every value of a sync or async iterable, lazily.
 *
 * - Sync source: a sync iterable (a generator); `fn` is called as values are pulled.
 * - Async source: an async iterable; `fn` may return a promise, which is awaited (one at a time, in order).
 * - `map(fn)` without a source returns a {@link Stage} for {@link pipe}.
 *
 * `fn` receives the value and its 0-based index. A source that is neither iterable nor async iterable
 * throws `InvalidInputError` at the call, not at the first pull.
 *
 * @example
 * ```ts
 * [...map([1, 2, 3], (x) => x * 10)];             // [10, 20, 30]
 * await toArray(map(asyncSource, async (x) => x)); // the values of asyncSource
 * ```
 */
export function map<T, U>(source: AsyncIterable<T>, fn: (value: T, index: number) => U | PromiseLike<U>): AsyncIterableIterator<U>;
export function map<T, U>(source: Iterable<T>, fn: (value: T, index: number) => U): IterableIterator<U>;
export function map<T, U>(fn: (value: T, index: number) => U): Stage<T, U>;
export function map(sourceOrFn: unknown, fn?: (value: unknown, index: number) => unknown): unknown {
  if (fn === undefined && typeof sourceOrFn === 'function') {
    const f = sourceOrFn as (value: unknown, index: number) => unknown;
    return (source: Iterable<unknown> | AsyncIterable<unknown>) => map(source as Iterable<unknown>, f);
  }
  checkFunction('map', 'fn', fn);
  return checkSource('map', sourceOrFn)
    ? mapAsync(sourceOrFn as AsyncIterable<unknown>, fn!)
    : mapSync(sourceOrFn as Iterable<unknown>, fn!);
}

function* mapSync<T, U>(source: Iterable<T>, fn: (value: T, index: number) => U): Generator<U, void, undefined> {
  let i = 0;
  for (const x of source) yield fn(x, i++);
}

async function* mapAsync<T, U>(source: AsyncIterable<T>, fn: (value: T, index: number) => U): AsyncGenerator<Awaited<U>, void, undefined> {
  let i = 0;
  for await (const x of source) yield await fn(x, i++);
}
