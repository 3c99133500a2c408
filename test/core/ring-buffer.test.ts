import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.js';
import { NumberRing, RingBuffer } from '../../src/core/ring-buffer.js';

type Op = { push: number } | { shift: true };
const ops = fc.array(fc.oneof(fc.record({ push: fc.double() }), fc.constant({ shift: true as const })), { maxLength: 60 });

describe('NumberRing', () => {
  it('behaves like a bounded array model under any push/shift sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), ops, (capacity, seq: Op[]) => {
        const ring = new NumberRing(capacity);
        const model: number[] = [];
        for (const op of seq) {
          if ('push' in op) {
            const evicted = ring.push(op.push);
            model.push(op.push);
            if (model.length > capacity) expect(Object.is(evicted, model.shift())).toBe(true);
            else expect(evicted).toBeNaN();
          } else {
            const got = ring.shift();
            const want = model.shift();
            if (want === undefined) expect(got).toBeNaN();
            else expect(Object.is(got, want)).toBe(true);
          }
          expect(ring.length).toBe(model.length);
          expect(ring.full).toBe(model.length === capacity);
          expect(ring.toArray()).toEqual(model);
          expect(Object.is(ring.first(), model.length ? model[0] : NaN)).toBe(true);
          expect(Object.is(ring.last(), model.length ? model[model.length - 1] : NaN)).toBe(true);
        }
        expect(ring.get(-1)).toBeNaN();
        expect(ring.get(model.length)).toBeNaN();
      }),
    );
  });

  it('round-trips its values through a JSON snapshot', () => {
    const ring = new NumberRing(3);
    [1, NaN, 3, 4].forEach((x) => ring.push(x));
    const copy = new NumberRing(3);
    copy.restore(JSON.parse(JSON.stringify(ring.snapshot())));
    expect(copy.toArray()).toEqual([NaN, 3, 4]);
    ring.clear();
    expect(ring.length).toBe(0);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new NumberRing(0)).toThrow(InvalidOptionError);
  });
});

describe('RingBuffer', () => {
  it('behaves like a bounded array model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), ops, (capacity, seq: Op[]) => {
        const ring = new RingBuffer<number>(capacity);
        const model: number[] = [];
        for (const op of seq) {
          if ('push' in op) {
            const evicted = ring.push(op.push);
            model.push(op.push);
            if (model.length > capacity) expect(evicted).toBe(model.shift());
            else expect(evicted).toBeUndefined();
          } else {
            expect(ring.shift()).toBe(model.shift());
          }
          expect(ring.length).toBe(model.length);
          expect(ring.full).toBe(model.length === capacity);
          expect([...ring]).toEqual(model);
        }
        expect(ring.get(model.length)).toBeUndefined();
        ring.clear();
        expect(ring.toArray()).toEqual([]);
      }),
    );
  });
});
