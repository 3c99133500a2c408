import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { RegimeTally } from '../../src/regime/regime-tally.js';
import { testOperatorContract } from '../support/contract.js';

const steps = fc.array(fc.tuple(fc.double({ min: 0, max: 1000, noNaN: true }), fc.integer({ min: -1, max: 2 })), { maxLength: 40 });

function feed(t: RegimeTally, [dt, r]: [number, number]): number {
  return t.update((t.updates === 0 ? 0 : t.lastTs) + dt, r);
}

describe('RegimeTally', () => {
  it('credits the time until the next update to the earlier regime and counts switches between known regimes', () => {
    // 0..1000 unknown, 1000..3000 regime 0, 3000..4000 regime 1, then regime 0 at 4000 (no time yet)
    const t = new RegimeTally({ k: 2 });
    expect(t.update(0, -1)).toBe(0);
    t.update(1000, 0);
    t.update(3000, 1);
    expect(t.update(4000, 0)).toBe(2);
    expect(t.result(['Calm', 'Stressed'])).toEqual({ share: { Calm: 0.5, Stressed: 0.25 }, unknownShare: 0.25, switches: 2, durationMs: 4000, updates: 4 });
    expect(t.result().share).toEqual({ 0: 0.5, 1: 0.25 });
  });

  it('bridges unknown stretches: A, unknown, A is no switch; A, unknown, B is one', () => {
    const t = new RegimeTally({ k: 3 });
    for (const [ts, r] of [[0, 0], [1, -1], [2, 0], [3, -1], [4, 2]] as const) t.update({ ts, regime: r });
    expect(t.switches).toBe(1);
  });

  it('is empty with NaN shares', () => {
    const r = new RegimeTally({ k: 2 }).result();
    expect(r.share['0']).toBeNaN();
    expect(r.unknownShare).toBeNaN();
    expect(r.switches).toBe(0);
  });

  it('has shares summing to 1 and counts switches as a naive pass does (property)', () => {
    fc.assert(
      fc.property(steps, (xs) => {
        const t = new RegimeTally({ k: 3 });
        for (const x of xs) feed(t, x);
        let last = -1;
        let switches = 0;
        for (const [, r] of xs) {
          if (r >= 0) {
            if (last >= 0 && r !== last) switches++;
            last = r;
          }
        }
        const res = t.result();
        expect(res.switches).toBe(switches);
        if (res.durationMs > 0) {
          const sum = Object.values(res.share).reduce((a, b) => a + b, 0) + res.unknownShare;
          expect(sum).toBeCloseTo(1, 12);
        }
      }),
    );
  });

  it('rejects bad options, time going backwards and unknown regimes', () => {
    expect(() => new RegimeTally({ k: 0 })).toThrow(InvalidOptionError);
    expect(() => new RegimeTally(undefined as never)).toThrow(InvalidOptionError);
    const t = new RegimeTally({ k: 2 });
    t.update(5, 0);
    expect(() => t.update(4, 0)).toThrow(InvalidInputError);
    expect(() => t.update(6, 2)).toThrow(InvalidInputError);
    expect(() => t.update(NaN, 0)).toThrow(InvalidInputError);
    expect(() => t.result(['a'])).toThrow(InvalidInputError);
    expect(() => new RegimeTally({ k: 3 }).restore(t.snapshot())).toThrow(InvalidStateError);
  });

  testOperatorContract('RegimeTally', () => new RegimeTally({ k: 3 }), steps.map((xs) => xs), (t, x) => [feed(t, x), t.result()]);
});
