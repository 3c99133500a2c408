import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { QuoteRule } from '../../src/trades/quote-rule.js';
import { testOperatorContract } from '../support/contract.js';
import { feed, streamArb } from './arbitraries.js';

describe('QuoteRule', () => {
  it('signs against the mid: above buy, below sell, at the mid or without a quote 0', () => {
    const q = new QuoteRule();
    expect(q.update({ ts: 0, price: 579.4, size: 4 })).toBe(0); // no quote (reference row 0)
    q.onQuote(1, 579.4, 580.23); // mid 579.815
    expect(q.update({ ts: 2, price: 579.51, size: 1 })).toBe(-1);
    expect(q.update({ ts: 3, price: 580.0, size: 1 })).toBe(1);
    expect(q.update({ ts: 4, price: 579.815, size: 1 })).toBe(0);
    expect(q.byQuote).toBe(2);
    expect(q.byTick).toBe(0);
  });

  it('a trade above the mid is a buy, below a sell, for any quote', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: -600, max: 600 }), (bid, width, offset) => {
        const q = new QuoteRule();
        const b = bid / 100;
        const a = (bid + width) / 100;
        q.onQuote(0, b, a);
        const price = (2 * bid + width + offset) / 200; // offset in half ticks around the mid
        const s = q.update({ ts: 1, price, size: 1 });
        expect(s).toBe(offset > 0 ? 1 : offset < 0 ? -1 : 0);
      }),
    );
  });

  it('returns only -1, 0, 1', () => {
    fc.assert(
      fc.property(streamArb({ missingSides: true }), (events) => {
        const q = new QuoteRule();
        for (const e of events) {
          const out = feed(q, e);
          if (e.kind === 'trade') expect([-1, 0, 1]).toContain(out);
        }
      }),
    );
  });

  it('throws InvalidInputError for a non-finite price', () => {
    expect(() => new QuoteRule().update({ ts: 0, price: Infinity, size: 1 })).toThrow(InvalidInputError);
  });

  testOperatorContract('QuoteRule', () => new QuoteRule({ quoteLagMs: 1000 }), streamArb({ missingSides: true }), (op, e) => feed(op, e));
});
