import { InvalidInputError } from '../core/errors.js';
import { checkSource, type Stage } from './stage.js';

/**
 * The first `n` values of a sync or async iterable, lazily. It pulls exactly `n` values (none for
 * `n = 0`) and then closes the source (its `return()`), so `take` bounds an endless stream.
 *
 * `take(n)` without a source returns a {@link Stage} for {@link pipe}. `n` must be an integer >= 0 (or
 * `Infinity`), else `InvalidInputError`.
 *
 * @example
 * ```ts
 * [...take([1, 2, 3, 4], 2)]; // [1, 2]
 * ```
 */
export function take<T>(source: AsyncIterable<T>, n: number): AsyncIterableIterator<T>;
export function take<T>(source: Iterable<T>, n: number): IterableIterator<T>;
export function take<T>(n: number): Stage<T, T>;
export function take(sourceOrN: unknown, n?: number): unknown {
  if (n === undefined && typeof sourceOrN === 'number') {
    const count = checkCount(sourceOrN);
    return (source: Iterable<unknown> | AsyncIterable<unknown>) => take(source as Iterable<unknown>, count);
  }
  const count = checkCount(n);
  return checkSource('take', sourceOrN) ? takeAsync(sourceOrN as AsyncIterable<unknown>, count) : takeSync(sourceOrN as Iterable<unknown>, count);
}

function checkCount(n: unknown): number {
  if (typeof n !== 'number' || !(Number.isInteger(n) || n === Infinity) || n < 0) {
    throw new InvalidInputError('take n', n, 'an integer >= 0 or Infinity');
  }
  return n;
}

function* takeSync<T>(source: Iterable<T>, n: number): Generator<T, void, undefined> {
  if (n === 0) return;
  let i = 0;
  for (const x of source) {
    yield x;
    if (++i >= n) return;
  }
}

async function* takeAsync<T>(source: AsyncIterable<T>, n: number): AsyncGenerator<T, void, undefined> {
  if (n === 0) return;
  let i = 0;
  for await (const x of source) {
    yield x;
    if (++i >= n) return;
  }
}
