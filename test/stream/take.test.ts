import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { take } from '../../src/stream/take.js';
import { toArray } from '../../src/stream/to-array.js';
import { asyncCountingSource, asyncOf, countingSource } from './sources.js';

describe('take', () => {
  it('pulls exactly n values from an endless sync source and closes it', () => {
    const src = countingSource();
    expect([...take(src.iterable, 3)]).toEqual([0, 1, 2]);
    expect(src.pulled()).toBe(3);
    expect(src.closed()).toBe(true);
  });

  it('pulls exactly n values from an endless async source and closes it', async () => {
    const src = asyncCountingSource();
    expect(await toArray(take(src.iterable, 2))).toEqual([0, 1]);
    expect(src.pulled()).toBe(2);
    expect(src.closed()).toBe(true);
  });

  it('pulls nothing for n = 0 and everything for Infinity', async () => {
    const src = countingSource();
    expect([...take(src.iterable, 0)]).toEqual([]);
    expect(src.pulled()).toBe(0);
    expect([...take([1, 2], Infinity)]).toEqual([1, 2]);
    expect(await toArray(take(asyncOf([1, 2]), 0))).toEqual([]);
  });

  it('equals Array.prototype.slice(0, n) on both paths, curried or not (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer()), fc.nat(12), async (xs, n) => {
        expect([...take(xs, n)]).toEqual(xs.slice(0, n));
        expect([...take<number>(n)(xs)]).toEqual(xs.slice(0, n));
        expect(await toArray(take(asyncOf(xs), n))).toEqual(xs.slice(0, n));
      }),
    );
  });

  it('throws InvalidInputError at the call for a bad n or source', () => {
    for (const n of [-1, 1.5, NaN, '2']) {
      expect(() => take([1], n as number)).toThrow(InvalidInputError);
      expect(() => take(n as number)).toThrow(/take n/);
    }
    expect(() => take(5 as unknown as number[], 1)).toThrow(/take source/);
  });
});
