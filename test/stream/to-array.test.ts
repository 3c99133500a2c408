import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { toArray } from '../../src/stream/to-array.js';
import { asyncOf } from './sources.js';

describe('toArray', () => {
  it('collects a sync iterable into an array', () => {
    const out = toArray(new Set([3, 1, 2]));
    expectTypeOf(out).toEqualTypeOf<number[]>();
    expect(out).toEqual([3, 1, 2]);
  });

  it('collects an async iterable into a promise of an array', async () => {
    const out = toArray(asyncOf(['a', 'b']));
    expectTypeOf(out).toEqualTypeOf<Promise<string[]>>();
    expect(await out).toEqual(['a', 'b']);
  });

  it('throws InvalidInputError for a non-iterable', () => {
    expect(() => toArray(1 as unknown as number[])).toThrow(InvalidInputError);
  });
});
