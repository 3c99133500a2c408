/**
 * Shared types and runtime checks of the stream helpers. `Stage` is what the curried forms (`map(fn)`,
 * `filter(pred)`, `take(n)`) return and what {@link pipe} chains.
 *
 * @module
 */
import { InvalidInputError } from '../core/errors.js';

/**
 * A step of a {@link pipe}: turns a sync iterable into a sync iterable and an async iterable into an
 * async one (values of an async stage are awaited).
 */
export interface Stage<T, U> {
  (source: AsyncIterable<T>): AsyncIterableIterator<Awaited<U>>;
  (source: Iterable<T>): IterableIterator<U>;
}

/** A hand-written stage over sync iterables, for {@link pipe}. */
export type IterableFn<T, U> = (source: Iterable<T>) => Iterable<U>;

/** A hand-written stage over async iterables, for {@link pipe}. */
export type AsyncIterableFn<T, U> = (source: AsyncIterable<T>) => AsyncIterable<U>;

/** Whether `x` is an async iterable (has `Symbol.asyncIterator`). */
export function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return x !== null && x !== undefined && typeof (x as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/** Whether `x` is a sync iterable (has `Symbol.iterator`). */
export function isIterable(x: unknown): x is Iterable<unknown> {
  return x !== null && x !== undefined && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/**
 * Classify a helper's source, eagerly (generators run lazily, so a bad source would otherwise fail only on
 * first pull): `true` async, `false` sync; throws {@link InvalidInputError} for anything else.
 * @internal
 */
export function checkSource(helper: string, source: unknown): boolean {
  if (isAsyncIterable(source)) return true;
  if (isIterable(source)) return false;
  throw new InvalidInputError(`${helper} source`, source, 'an Iterable or an AsyncIterable');
}

/** Throws {@link InvalidInputError} unless `fn` is a function. @internal */
export function checkFunction(helper: string, name: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new InvalidInputError(`${helper} ${name}`, fn, 'a function');
}
