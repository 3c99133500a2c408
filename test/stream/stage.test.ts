import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { checkFunction, checkSource, isAsyncIterable, isIterable } from '../../src/stream/stage.js';
import { asyncOf } from './sources.js';

describe('stage helpers', () => {
  it('tells sync from async iterables', () => {
    expect(isIterable([1])).toBe(true);
    expect(isIterable('ab')).toBe(true);
    expect(isIterable(asyncOf([]))).toBe(false);
    expect(isAsyncIterable(asyncOf([]))).toBe(true);
    expect(isAsyncIterable([1])).toBe(false);
    expect(isIterable(null)).toBe(false);
    expect(isAsyncIterable(undefined)).toBe(false);
  });

  it('classifies a source as async (true) or sync (false), preferring async when both', () => {
    const both = { [Symbol.iterator]: () => [][Symbol.iterator](), [Symbol.asyncIterator]: () => asyncOf([]) };
    expect(checkSource('h', both)).toBe(true);
    expect(checkSource('h', [1])).toBe(false);
    expect(() => checkSource('h', 3)).toThrow(InvalidInputError);
    expect(() => checkFunction('h', 'fn', 3)).toThrow(/"h fn" must be a function; got 3/);
  });
});
