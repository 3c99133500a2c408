import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { map } from '../../src/stream/map.js';
import { toArray } from '../../src/stream/to-array.js';
import { asyncOf, countingSource } from './sources.js';

describe('map', () => {
  it('maps a sync iterable to a sync iterable, passing the index', () => {
    const out = map(['a', 'b', 'c'], (x, i) => `${x}${i}`);
    expectTypeOf(out).toEqualTypeOf<IterableIterator<string>>();
    expect(Symbol.asyncIterator in out).toBe(false);
    expect([...out]).toEqual(['a0', 'b1', 'c2']);
  });

  it('maps an async iterable to an async iterable and awaits an async fn', async () => {
    const out = map(asyncOf([1, 2, 3]), async (x) => x * 2);
    expectTypeOf(out).toEqualTypeOf<AsyncIterableIterator<number>>();
    expect(await toArray(out)).toEqual([2, 4, 6]);
    expect(await toArray(map(asyncOf(['x']), (x, i) => [x, i] as const))).toEqual([['x', 0]]);
  });

  it('is lazy: fn runs only as values are pulled', () => {
    const src = countingSource();
    const seen: number[] = [];
    const it = map(src.iterable, (x) => {
      seen.push(x);
      return x;
    });
    expect(src.pulled()).toBe(0);
    it.next();
    it.next();
    expect(seen).toEqual([0, 1]);
    expect(src.pulled()).toBe(2);
  });

  it('in curried form returns a stage for either kind of source', async () => {
    const double = map((x: number) => x * 2);
    expect([...double([1, 2])]).toEqual([2, 4]);
    expect(await toArray(double(asyncOf([3])))).toEqual([6]);
  });

  it('equals Array.prototype.map on both paths (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer()), async (xs) => {
        const f = (x: number, i: number) => x * 3 - i;
        expect([...map(xs, f)]).toEqual(xs.map(f));
        expect(await toArray(map(asyncOf(xs), f))).toEqual(xs.map(f));
      }),
    );
  });

  it('throws InvalidInputError at the call for a bad source or fn', () => {
    expect(() => map(42 as unknown as number[], (x) => x)).toThrow(InvalidInputError);
    expect(() => map(null as unknown as number[], (x) => x)).toThrow(/map source/);
    expect(() => map([1], 'f' as unknown as (x: number) => number)).toThrow(/map fn/);
  });

  it('propagates errors thrown by fn', async () => {
    const boom = () => {
      throw new Error('boom');
    };
    expect(() => [...map([1], boom)]).toThrow('boom');
    await expect(toArray(map(asyncOf([1]), boom))).rejects.toThrow('boom');
  });
});
