import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookValidator } from '../../src/book/validator.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import { MarketSimulator } from '../../src/sim/market-simulator.js';
import { scenario } from '../../src/testing/index.js';

describe('scenario', () => {
  it('gives labelled sessions whose labels are of the requested kinds and lie inside the session', () => {
    fc.assert(
      fc.property(scenario({ durationMs: 60_000 }), (s) => {
        expect(s.kinds.length).toBeGreaterThan(0);
        expect(s.kinds).not.toContain('normal');
        const start = 34_200_000;
        for (const l of s.labels) {
          expect(s.kinds).toContain(l.kind);
          expect(l.startMs).toBeGreaterThanOrEqual(start);
          expect(l.startMs).toBeLessThanOrEqual(start + s.durationMs);
        }
        // every kind but wash trading (which waits for a two-tick spread) shows up
        for (const k of s.kinds) if (k !== 'wash-trading') expect(s.labels.some((l) => l.kind === k)).toBe(true);
        expect(s.events.some((e) => e.type === 'order')).toBe(true);
      }),
      { numRuns: 6 },
    );
  });

  it('the BookValidator flags exactly the corrupted books of a session', () => {
    fc.assert(
      fc.property(scenario({ durationMs: 40_000 }), (s) => {
        const v = new BookValidator();
        let flagged = 0;
        for (const e of s.events) if (e.type === 'book' && v.validate(e.book) !== 0) flagged++;
        return flagged === s.labels.filter((l) => l.kind === 'corrupt-data').length;
      }),
      { numRuns: 6 },
    );
  });

  it('events are copies, and the session reruns from its options', () => {
    fc.assert(
      fc.property(scenario({ kinds: ['layering'], durationMs: 30_000 }), (s) => {
        const books = s.events.filter((e) => e.type === 'book');
        expect(new Set(books.map((e) => (e as { book: object }).book)).size).toBe(books.length);
        const again = new MarketSimulator(s.options);
        let n = 0;
        for (const _ of again.events(s.durationMs)) n++;
        expect(n).toBe(s.events.length);
        expect(again.labels()).toEqual(s.labels);
      }),
      { numRuns: 3 },
    );
  });

  it('shrinks to the one kind that breaks a property, and to seed 0', () => {
    const out = fc.check(
      fc.property(scenario({ durationMs: 30_000 }), (s) => !s.labels.some((l) => l.kind === 'liquidity-gap')),
      { seed: 5, numRuns: 30 },
    );
    expect(out.failed).toBe(true);
    expect(out.counterexample![0].kinds).toEqual(['liquidity-gap']);
    expect(out.counterexample![0].seed).toBe(0);
  });

  it('takes a fixed seed and kinds, and rejects bad options', () => {
    const [a] = fc.sample(scenario({ seed: 9, kinds: ['iceberg'], durationMs: 20_000 }), { numRuns: 1 });
    expect([a!.seed, a!.kinds]).toEqual([9, ['iceberg']]);
    expect(() => scenario({ kinds: ['teleport' as never] })).toThrow(InvalidOptionError);
    expect(() => scenario({ durationMs: 0 })).toThrow(/durationMs/);
    expect(() => scenario({ seed: -1 })).toThrow(/seed/);
  });
});
