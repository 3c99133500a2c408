import { InvalidInputError } from '../core/errors.js';
import { checkSource, type AsyncIterableFn, type IterableFn, type Stage } from './stage.js';

/**
 * Chain stages over a sync or async iterable: `pipe(source, s1, s2)` is `s2(s1(source))`. A stage is a
 * curried helper ({@link map}`(fn)`, {@link filter}`(predicate)`, {@link take}`(n)`) or any function from
 * one iterable to the next; a sync source gives a sync iterable, an async source an async one. Nothing is
 * pulled until the result is iterated.
 *
 * Typing: a pipe of helpers is fully inferred for both kinds of source; in an async pipe that mixes
 * helpers with hand-written functions, annotate the helpers' callback parameters. Up to 6 stages are
 * typed one by one; more fall back to `unknown`.
 *
 * A source that is neither iterable nor async iterable, or a stage that is not a function, throws
 * `InvalidInputError` at the call.
 *
 * @example
 * ```ts
 * const out = pipe([1, 2, 3, 4], filter((x) => x % 2 === 0), map((x) => x * 10));
 * [...out]; // [20, 40]
 * ```
 */
export function pipe<T>(source: AsyncIterable<T>): AsyncIterable<T>;
export function pipe<T, A>(source: AsyncIterable<T>, s1: Stage<T, A>): AsyncIterable<Awaited<A>>;
export function pipe<T, A, B>(
  source: AsyncIterable<T>,
  s1: Stage<T, A>,
  s2: Stage<Awaited<A>, B>,
): AsyncIterable<Awaited<B>>;
export function pipe<T, A, B, C>(
  source: AsyncIterable<T>,
  s1: Stage<T, A>,
  s2: Stage<Awaited<A>, B>,
  s3: Stage<Awaited<B>, C>,
): AsyncIterable<Awaited<C>>;
export function pipe<T, A, B, C, D>(
  source: AsyncIterable<T>,
  s1: Stage<T, A>,
  s2: Stage<Awaited<A>, B>,
  s3: Stage<Awaited<B>, C>,
  s4: Stage<Awaited<C>, D>,
): AsyncIterable<Awaited<D>>;
export function pipe<T, A, B, C, D, E>(
  source: AsyncIterable<T>,
  s1: Stage<T, A>,
  s2: Stage<Awaited<A>, B>,
  s3: Stage<Awaited<B>, C>,
  s4: Stage<Awaited<C>, D>,
  s5: Stage<Awaited<D>, E>,
): AsyncIterable<Awaited<E>>;
export function pipe<T, A, B, C, D, E, F>(
  source: AsyncIterable<T>,
  s1: Stage<T, A>,
  s2: Stage<Awaited<A>, B>,
  s3: Stage<Awaited<B>, C>,
  s4: Stage<Awaited<C>, D>,
  s5: Stage<Awaited<D>, E>,
  s6: Stage<Awaited<E>, F>,
): AsyncIterable<Awaited<F>>;
export function pipe<T, A>(source: AsyncIterable<T>, s1: AsyncIterableFn<T, A>): AsyncIterable<A>;
export function pipe<T, A, B>(
  source: AsyncIterable<T>,
  s1: AsyncIterableFn<T, A>,
  s2: AsyncIterableFn<A, B>,
): AsyncIterable<B>;
export function pipe<T, A, B, C>(
  source: AsyncIterable<T>,
  s1: AsyncIterableFn<T, A>,
  s2: AsyncIterableFn<A, B>,
  s3: AsyncIterableFn<B, C>,
): AsyncIterable<C>;
export function pipe<T, A, B, C, D>(
  source: AsyncIterable<T>,
  s1: AsyncIterableFn<T, A>,
  s2: AsyncIterableFn<A, B>,
  s3: AsyncIterableFn<B, C>,
  s4: AsyncIterableFn<C, D>,
): AsyncIterable<D>;
export function pipe<T, A, B, C, D, E>(
  source: AsyncIterable<T>,
  s1: AsyncIterableFn<T, A>,
  s2: AsyncIterableFn<A, B>,
  s3: AsyncIterableFn<B, C>,
  s4: AsyncIterableFn<C, D>,
  s5: AsyncIterableFn<D, E>,
): AsyncIterable<E>;
export function pipe<T, A, B, C, D, E, F>(
  source: AsyncIterable<T>,
  s1: AsyncIterableFn<T, A>,
  s2: AsyncIterableFn<A, B>,
  s3: AsyncIterableFn<B, C>,
  s4: AsyncIterableFn<C, D>,
  s5: AsyncIterableFn<D, E>,
  s6: AsyncIterableFn<E, F>,
): AsyncIterable<F>;
export function pipe<T>(source: Iterable<T>): Iterable<T>;
export function pipe<T, A>(source: Iterable<T>, s1: IterableFn<T, A>): Iterable<A>;
export function pipe<T, A, B>(source: Iterable<T>, s1: IterableFn<T, A>, s2: IterableFn<A, B>): Iterable<B>;
export function pipe<T, A, B, C>(
  source: Iterable<T>,
  s1: IterableFn<T, A>,
  s2: IterableFn<A, B>,
  s3: IterableFn<B, C>,
): Iterable<C>;
export function pipe<T, A, B, C, D>(
  source: Iterable<T>,
  s1: IterableFn<T, A>,
  s2: IterableFn<A, B>,
  s3: IterableFn<B, C>,
  s4: IterableFn<C, D>,
): Iterable<D>;
export function pipe<T, A, B, C, D, E>(
  source: Iterable<T>,
  s1: IterableFn<T, A>,
  s2: IterableFn<A, B>,
  s3: IterableFn<B, C>,
  s4: IterableFn<C, D>,
  s5: IterableFn<D, E>,
): Iterable<E>;
export function pipe<T, A, B, C, D, E, F>(
  source: Iterable<T>,
  s1: IterableFn<T, A>,
  s2: IterableFn<A, B>,
  s3: IterableFn<B, C>,
  s4: IterableFn<C, D>,
  s5: IterableFn<D, E>,
  s6: IterableFn<E, F>,
): Iterable<F>;
export function pipe(source: Iterable<unknown> | AsyncIterable<unknown>, ...stages: Array<(source: any) => any>): unknown;
export function pipe(source: unknown, ...stages: Array<(source: any) => any>): unknown {
  checkSource('pipe', source);
  for (let i = 0; i < stages.length; i++) {
    if (typeof stages[i] !== 'function') throw new InvalidInputError(`pipe stages[${i}]`, stages[i], 'a function');
  }
  let out: unknown = source;
  for (const stage of stages) out = stage(out);
  return out;
}
