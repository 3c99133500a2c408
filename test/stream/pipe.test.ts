import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { filter } from '../../src/stream/filter.js';
import { map } from '../../src/stream/map.js';
import { pipe } from '../../src/stream/pipe.js';
import type { Stage } from '../../src/stream/stage.js';
import { take } from '../../src/stream/take.js';
import { toArray } from '../../src/stream/to-array.js';
import { asyncCountingSource, asyncOf, countingSource } from './sources.js';

describe('pipe', () => {
  it('chains stages over a sync source into a sync iterable, with inferred types', () => {
    const out = pipe([1, 2, 3, 4], filter((x) => x % 2 === 0), map((x) => ({ doubled: x * 2 })));
    expectTypeOf(out).toEqualTypeOf<Iterable<{ doubled: number }>>();
    expect([...out]).toEqual([{ doubled: 4 }, { doubled: 8 }]);
  });

  it('chains stages over an async source into an async iterable, with inferred types', async () => {
    const out = pipe(asyncOf([1, 2, 3, 4]), map((x) => x + 1), filter((x) => x > 2), map(async (x) => String(x)));
    expectTypeOf(out).toEqualTypeOf<AsyncIterable<string>>();
    expect(await toArray(out)).toEqual(['3', '4', '5']);
  });

  it('accepts hand-written stage functions', async () => {
    const firstTwo = (s: Iterable<number>) => take(s, 2);
    const out = pipe([5, 6, 7], map((x) => x * 10), firstTwo);
    expectTypeOf(out).toEqualTypeOf<Iterable<number>>();
    expect([...out]).toEqual([50, 60]);
    const sumAsync = async function* (s: AsyncIterable<number>) {
      let total = 0;
      for await (const x of s) yield (total += x);
    };
    expect(await toArray(pipe(asyncOf([1, 2, 3]), map((x: number) => x * 2), sumAsync))).toEqual([2, 6, 12]);
  });

  it('returns the source itself with no stages, and pulls nothing until iterated', () => {
    const xs = [1, 2];
    expect(pipe(xs)).toBe(xs);
    const src = countingSource();
    const out = pipe(src.iterable, map((x) => x), take(2));
    expect(src.pulled()).toBe(0);
    expect([...out]).toEqual([0, 1]);
    expect(src.closed()).toBe(true);
  });

  it('bounds an endless async source with take', async () => {
    const src = asyncCountingSource();
    expect(await toArray(pipe(src.iterable, filter((x) => x % 3 === 0), take(3)))).toEqual([0, 3, 6]);
    expect(src.pulled()).toBe(7);
    expect(src.closed()).toBe(true);
  });

  it('gives the same values over a sync source and its async twin (property)', async () => {
    const stageArb = fc.oneof(
      fc.integer({ min: -3, max: 3 }).map((k) => ({ name: `map +${k}`, stage: map((x: number) => x + k) as Stage<number, number> })),
      fc.integer({ min: 2, max: 4 }).map((m) => ({ name: `filter %${m}`, stage: filter((x: number) => x % m !== 0) as Stage<number, number> })),
      fc.nat(6).map((n) => ({ name: `take ${n}`, stage: take<number>(n) })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 30 }), fc.array(stageArb, { maxLength: 6 }), async (xs, stages) => {
        const fns = stages.map((s) => s.stage) as Array<(s: Iterable<number>) => Iterable<number>>;
        const sync = [...(pipe(xs, ...fns) as Iterable<number>)];
        const asyncValues = await toArray(pipe(asyncOf(xs), ...(fns as never[])) as AsyncIterable<number>);
        expect(asyncValues).toEqual(sync);
        // and the same as applying the stages by hand on arrays
        let expected = xs;
        for (const s of stages) expected = [...(s.stage(expected) as Iterable<number>)];
        expect(sync).toEqual(expected);
      }),
    );
  });

  it('throws InvalidInputError at the call for a bad source or stage', () => {
    expect(() => pipe(3 as unknown as number[])).toThrow(InvalidInputError);
    expect(() => pipe([1], map((x: number) => x), 'x' as never)).toThrow(/pipe stages\[1\]/);
  });
});
