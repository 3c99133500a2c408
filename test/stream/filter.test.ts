import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { filter } from '../../src/stream/filter.js';
import { toArray } from '../../src/stream/to-array.js';
import { asyncOf } from './sources.js';

type Event = { type: 'trade'; price: number } | { type: 'book'; mid: number };

describe('filter', () => {
  it('keeps the values of a sync iterable for which the predicate holds, passing the source index', () => {
    const out = filter([5, 6, 7, 8], (x, i) => x % 2 === 0 || i === 0);
    expectTypeOf(out).toEqualTypeOf<IterableIterator<number>>();
    expect([...out]).toEqual([5, 6, 8]);
  });

  it('filters an async iterable and awaits an async predicate', async () => {
    const out = filter(asyncOf([1, 2, 3, 4]), async (x) => x > 2);
    expectTypeOf(out).toEqualTypeOf<AsyncIterableIterator<number>>();
    expect(await toArray(out)).toEqual([3, 4]);
  });

  it('narrows the type with a type-guard predicate, sync, async and curried', async () => {
    const events: Event[] = [
      { type: 'book', mid: 1 },
      { type: 'trade', price: 2 },
    ];
    const isTrade = (e: Event): e is Extract<Event, { type: 'trade' }> => e.type === 'trade';
    const trades = filter(events, isTrade);
    expectTypeOf(trades).toEqualTypeOf<IterableIterator<{ type: 'trade'; price: number }>>();
    expect([...trades].map((t) => t.price)).toEqual([2]);
    const asyncTrades = filter(asyncOf(events), isTrade);
    expectTypeOf(asyncTrades).toEqualTypeOf<AsyncIterableIterator<{ type: 'trade'; price: number }>>();
    expect((await toArray(asyncTrades)).map((t) => t.price)).toEqual([2]);
    expect([...filter(isTrade)(events)].map((t) => t.price)).toEqual([2]);
  });

  it('equals Array.prototype.filter on both paths (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer()), fc.integer({ min: 1, max: 5 }), async (xs, m) => {
        const p = (x: number) => x % m === 0;
        expect([...filter(xs, p)]).toEqual(xs.filter(p));
        expect(await toArray(filter(asyncOf(xs), p))).toEqual(xs.filter(p));
        expect([...filter(p)(xs)]).toEqual(xs.filter(p));
      }),
    );
  });

  it('throws InvalidInputError at the call for a bad source or predicate', () => {
    expect(() => filter({} as unknown as number[], () => true)).toThrow(InvalidInputError);
    expect(() => filter([1], 3 as unknown as () => boolean)).toThrow(/filter predicate/);
  });
});
