import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { RealizedSpread } from '../../src/trades/realized-spread.js';
import { testOperatorContract } from '../support/contract.js';
import { feed, flipSides, streamArb, type StreamEvent } from './arbitraries.js';

/** Batch definition: mid_0 = last quote before the trade; mid_tau = last quote with ts <= t + tau (else the last). */
function naive(events: readonly StreamEvent[], tau: number): { realized: number[]; impact: number[]; sizes: number[] } {
  const realized: number[] = [];
  const impact: number[] = [];
  const sizes: number[] = [];
  let mid0 = NaN;
  events.forEach((e, i) => {
    if (e.kind === 'quote') mid0 = (e.bid + e.ask) / 2;
    if (e.kind !== 'trade' || Number.isNaN(mid0)) return;
    const t = e.trade.ts;
    let midTau = mid0;
    for (let j = i + 1; j < events.length; j++) {
      const f = events[j]!;
      if (f.kind === 'quote') {
        if (f.ts > t + tau) break;
        midTau = (f.bid + f.ask) / 2;
      }
    }
    if (Number.isNaN(midTau)) return;
    const s = e.trade.side ?? 0;
    realized.push(((2 * s * (e.trade.price - midTau)) / mid0) * 1e4);
    impact.push(((2 * s * (midTau - mid0)) / mid0) * 1e4);
    sizes.push(e.trade.size);
  });
  return { realized, impact, sizes };
}

describe('RealizedSpread', () => {
  it('uses the mid tau ms after the trade, scaled by the mid before it', () => {
    // mid_0 = 100.5; quotes at 3000 (mid 101.5) and 6000 (mid 102.5); tau = 5000, trade at 10:
    // mid_tau = mid of the last quote with ts <= 5010 = 101.5.
    // effective = 2 * (101 - 100.5) / 100.5 * 1e4 = 99.50248756218905
    // realized  = 2 * (101 - 101.5) / 100.5 * 1e4 = -99.50248756218905
    // impact    = 2 * (101.5 - 100.5) / 100.5 * 1e4 = 199.0049751243781
    const got: number[][] = [];
    const rs = new RealizedSpread({ onResolved: (ts, r, i, size, side) => got.push([ts, r, i, size, side]) });
    rs.onQuote(0, 100, 101);
    expect(rs.update({ ts: 10, price: 101, size: 100 }, 1)).toBeCloseTo(99.50248756218905, 12);
    rs.onQuote(3000, 101, 102);
    expect(rs.pending).toBe(1);
    rs.onQuote(5010, 101, 102); // exactly t + tau: still in effect at the horizon, so not resolved yet
    expect(rs.pending).toBe(1);
    rs.onQuote(6000, 102, 103);
    expect(rs.pending).toBe(0);
    expect(got).toHaveLength(1);
    expect(got[0]![0]).toBe(10);
    expect(got[0]![1]).toBeCloseTo(-99.50248756218905, 12);
    expect(got[0]![2]).toBeCloseTo(199.0049751243781, 12);
    expect(got[0]!.slice(3)).toEqual([100, 1]);
    expect(rs.realizedMean).toBeCloseTo(-99.50248756218905, 12);
    expect(rs.impactMean).toBeCloseTo(199.0049751243781, 12);
    expect(rs.effectiveMean - rs.realizedMean).toBeCloseTo(rs.impactMean, 10);
  });

  it('a quote exactly at t + tau is the one used', () => {
    const rs = new RealizedSpread({ horizonMs: 1000 });
    rs.onQuote(0, 99, 101);
    rs.update({ ts: 0, price: 101, size: 1 }, 1);
    rs.onQuote(1000, 100, 102); // at t + tau: mid 101
    rs.onQuote(1001, 200, 202);
    expect(rs.realizedSum).toBe(0); // 2 * (101 - 101) / 100
  });

  it('resolves on a later trade, on advanceTo, and on flush with the last mid', () => {
    const rs = new RealizedSpread({ horizonMs: 100 });
    rs.onQuote(0, 99, 101);
    rs.update({ ts: 0, price: 101, size: 1 }, 1);
    rs.update({ ts: 200, price: 101, size: 1 }, 1); // resolves the first
    expect(rs.resolved).toBe(1);
    rs.advanceTo(301); // resolves the second
    expect(rs.resolved).toBe(2);
    rs.update({ ts: 400, price: 99, size: 1 }, -1);
    rs.flush(); // end of stream: the last mid (100)
    expect(rs.resolved).toBe(3);
    expect(rs.realizedSum).toBe(600); // three trades each 2 * 1 / 100 * 1e4 = 200
  });

  it('grows its pending ring by doubling and never loses a trade', () => {
    const rs = new RealizedSpread({ horizonMs: 1e6, initialCapacity: 2 });
    rs.onQuote(0, 99, 101);
    for (let i = 0; i < 9; i++) rs.update({ ts: i, price: 101, size: 1 }, 1);
    expect(rs.pending).toBe(9);
    expect(rs.capacity).toBe(16);
    rs.flush();
    expect(rs.resolved).toBe(9);
    rs.reset();
    expect(rs.capacity).toBe(2);
  });

  it('counts trades without a quote and trades resolving on a missing side', () => {
    const rs = new RealizedSpread({ horizonMs: 10 });
    expect(rs.update({ ts: 0, price: 1, size: 1 }, 1)).toBeNaN();
    rs.onQuote(1, 1, 1.02);
    rs.update({ ts: 2, price: 1.02, size: 1 }, 1);
    rs.onQuote(5, NaN, 1.02);
    rs.flush();
    expect(rs.noQuote).toBe(1);
    expect(rs.unresolved).toBe(1);
    expect(rs.resolved).toBe(0);
    expect(rs.realizedMean).toBeNaN();
  });

  it('equals the batch definition on random streams (grow, resolve, flush)', () => {
    fc.assert(
      fc.property(streamArb({ missingSides: true }), fc.integer({ min: 0, max: 5000 }), (events, tau) => {
        const rs = new RealizedSpread({ horizonMs: tau, initialCapacity: 1 });
        for (const e of events) if (e.kind !== 'flush' && e.kind !== 'advance') feed(rs, e);
        rs.flush();
        const want = naive(events, tau);
        expect(rs.resolved).toBe(want.realized.length);
        const sum = want.realized.reduce((a, b) => a + b, 0);
        expect(rs.realizedSum).toBeCloseTo(sum, 9);
        expect(rs.impactSum).toBeCloseTo(want.impact.reduce((a, b) => a + b, 0), 9);
      }),
    );
  });

  it('flipping every side negates the realized and impact sums', () => {
    fc.assert(
      fc.property(streamArb({ control: true }), (events) => {
        const a = new RealizedSpread({ horizonMs: 1000 });
        const b = new RealizedSpread({ horizonMs: 1000 });
        const flipped = flipSides(events);
        events.forEach((e, i) => {
          feed(a, e);
          feed(b, flipped[i]!);
        });
        a.flush();
        b.flush();
        expect(b.realizedSum === -a.realizedSum).toBe(true); // -0 and 0 alike
        expect(b.impactSum === -a.impactSum).toBe(true); // -0 and 0 alike
        expect(b.effectiveSum === -a.effectiveSum).toBe(true); // -0 and 0 alike
      }),
    );
  });

  it('rejects bad options and states', () => {
    expect(() => new RealizedSpread({ horizonMs: -1 })).toThrow(InvalidOptionError);
    expect(() => new RealizedSpread({ initialCapacity: 0 })).toThrow(InvalidOptionError);
    expect(() => new RealizedSpread({ onResolved: 5 as never })).toThrow(InvalidOptionError);
    const rs = new RealizedSpread();
    expect(() => rs.restore({ ...rs.snapshot(), effective: [1, 2] } as never)).toThrow(InvalidStateError);
  });

  testOperatorContract(
    'RealizedSpread',
    () => new RealizedSpread({ horizonMs: 1500, initialCapacity: 2 }),
    streamArb({ control: true, missingSides: true }),
    (op, e) => [feed(op, e), op.pending, op.resolved, op.realizedSum, op.impactVwMean],
  );
});
