/** Test sources for the stream helpers: async versions of arrays, and sources that count pulls and closes. */

/** The values of `xs` as an async generator. */
export async function* asyncOf<T>(xs: Iterable<T>): AsyncGenerator<T, void, undefined> {
  for (const x of xs) yield x;
}

/** An endless sync source 0, 1, 2, ... that records how many values were pulled and whether it was closed. */
export function countingSource(): { iterable: Iterable<number>; pulled: () => number; closed: () => boolean } {
  let pulled = 0;
  let closed = false;
  const iterable: Iterable<number> = {
    [Symbol.iterator]() {
      return {
        next: () => ({ value: pulled++, done: false }),
        return: () => {
          closed = true;
          return { value: undefined, done: true };
        },
      };
    },
  };
  return { iterable, pulled: () => pulled, closed: () => closed };
}

/** The async twin of {@link countingSource}. */
export function asyncCountingSource(): { iterable: AsyncIterable<number>; pulled: () => number; closed: () => boolean } {
  let pulled = 0;
  let closed = false;
  const iterable: AsyncIterable<number> = {
    [Symbol.asyncIterator]() {
      return {
        next: async () => ({ value: pulled++, done: false }),
        return: async () => {
          closed = true;
          return { value: undefined, done: true };
        },
      };
    },
  };
  return { iterable, pulled: () => pulled, closed: () => closed };
}
