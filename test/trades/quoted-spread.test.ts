import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels } from '../../src/core/book.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import { QuotedSpread } from '../../src/trades/quoted-spread.js';
import { testOperatorContract } from '../support/contract.js';
import { streamArb } from './arbitraries.js';

describe('QuotedSpread', () => {
  it('weighs each spread by how long it stood', () => {
    const qs = new QuotedSpread({ unit: 'price' });
    expect(qs.onQuote(0, 100, 101)).toBeNaN(); // no interval yet
    expect(qs.onQuote(3000, 100, 100.5)).toBe(1); // 1.0 for 3 s
    expect(qs.onQuote(4000, 100, 101)).toBe(0.875); // (1 * 3000 + 0.5 * 1000) / 4000
    expect(qs.valueAt(8000)).toBe(0.9375); // + 1.0 for 4 s: (3000 + 500 + 4000) / 8000
    expect(qs.value).toBe(0.875); // valueAt changes nothing
  });

  it('in bps divides by the mid', () => {
    const qs = new QuotedSpread();
    qs.update(bookFromLevels([[99, 1]], [[101, 1]], { ts: 0 }));
    expect(qs.update(bookFromLevels([[99, 1]], [[101, 1]], { ts: 10 }))).toBe(200); // 2 / 100 * 1e4
  });

  it('leaves out intervals with a side missing', () => {
    const qs = new QuotedSpread({ unit: 'price' });
    qs.onQuote(0, 100, 101);
    qs.onQuote(1000, NaN, 101); // interval [0, 1000): 1
    qs.onQuote(5000, 100, 102); // interval [1000, 5000): no spread
    expect(qs.onQuote(6000, 100, 101)).toBe(1.5); // (1 * 1000 + 2 * 1000) / 2000
  });

  it('with a half-life weighs recent time more: equal intervals one half-life apart', () => {
    // Spread 1 over [0, H), spread 3 over [H, 2H), H = ln2 * tau. Weights tau (1 - 1/2) * 1/2 and
    // tau (1 - 1/2): value = (1 * 0.25 + 3 * 0.5) / 0.75 = 2.333...
    const H = 1000;
    const qs = new QuotedSpread({ unit: 'price', halfLifeMs: H });
    qs.onQuote(0, 100, 101);
    qs.onQuote(H, 100, 103);
    expect(qs.valueAt(2 * H)).toBeCloseTo(7 / 3, 12);
    expect(qs.onQuote(2 * H, 100, 101)).toBeCloseTo(7 / 3, 12);
  });

  it('takes a late quote at the latest time and counts it', () => {
    const qs = new QuotedSpread({ unit: 'price' });
    qs.onQuote(1000, 100, 101);
    qs.onQuote(500, 100, 102); // late: at 1000, replaces the spread with 2 (interval 0)
    expect(qs.lateEvents).toBe(1);
    expect(qs.onQuote(2000, 100, 101)).toBe(2);
  });

  it('a constant spread averages to itself, whatever the timing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 2, maxLength: 30 }), fc.boolean(), (dts, decay) => {
        const qs = new QuotedSpread({ unit: 'price', halfLifeMs: decay ? 777 : Infinity });
        let ts = 0;
        let out = NaN;
        for (const dt of dts) {
          ts += dt;
          out = qs.onQuote(ts, 50, 50.25);
        }
        // NaN while no time has passed since the first quote (no interval yet).
        if (ts > dts[0]!) expect(out).toBeCloseTo(0.25, 12);
        else expect(out).toBeNaN();
      }),
    );
  });

  it('rejects bad options', () => {
    expect(() => new QuotedSpread({ unit: 'ticks' as never })).toThrow(InvalidOptionError);
    expect(() => new QuotedSpread({ halfLifeMs: 0 })).toThrow(InvalidOptionError);
  });

  const quotes = streamArb({ missingSides: true }).map((events) => events.flatMap((e) => (e.kind === 'quote' ? [e] : [])));
  testOperatorContract('QuotedSpread', () => new QuotedSpread(), quotes, (op, e) => op.onQuote(e.ts, e.bid, e.ask));
  testOperatorContract('QuotedSpread (half-life)', () => new QuotedSpread({ halfLifeMs: 500 }), quotes, (op, e) => op.onQuote(e.ts, e.bid, e.ask));
});
