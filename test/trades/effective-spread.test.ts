import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels } from '../../src/core/book.js';
import { InvalidInputError, InvalidStateError } from '../../src/core/errors.js';
import { EffectiveSpread } from '../../src/trades/effective-spread.js';
import { testOperatorContract } from '../support/contract.js';
import { feed, flipSides, streamArb } from './arbitraries.js';

describe('EffectiveSpread', () => {
  it('is 2 * side * (price - mid) / mid in bps (reference row 1)', () => {
    // mid 579.815; seller-initiated at 579.40: 2 * -1 * (579.40 - 579.815) / 579.815 * 1e4
    // = 0.83 / 579.815 * 1e4 = 14.3149... bps (reference effective_bps_true 14.314910790513432)
    const es = new EffectiveSpread();
    es.onBook(bookFromLevels([[579.4, 496]], [[580.23, 100]]));
    expect(es.update({ ts: 1, price: 579.4, size: 300, side: -1 })).toBeCloseTo(14.314910790513432, 12);
  });

  it('keeps running mean, volume-weighted mean and sum; side 0 counts as 0', () => {
    const es = new EffectiveSpread();
    es.onQuote(0, 99, 101); // mid 100
    expect(es.update({ ts: 1, price: 101, size: 100 }, 1)).toBe(200); // 2 * 1 / 100 * 1e4
    expect(es.update({ ts: 2, price: 99.5, size: 300 }, -1)).toBe(100); // 2 * 0.5 / 100 * 1e4
    expect(es.update({ ts: 3, price: 100.5, size: 100 })).toBe(0); // no side
    expect(es.count).toBe(3);
    expect(es.sum).toBe(300);
    expect(es.mean).toBe(100);
    expect(es.vwMean).toBe((200 * 100 + 100 * 300) / 500); // 100
    expect(es.volume).toBe(500);
  });

  it('is NaN without a quote and leaves such trades out of the statistics', () => {
    const es = new EffectiveSpread();
    expect(es.update({ ts: 0, price: 10, size: 1, side: 1 })).toBeNaN();
    es.onQuote(1, NaN, 10.1);
    expect(es.update({ ts: 2, price: 10, size: 1, side: 1 })).toBeNaN();
    expect(es.noQuote).toBe(2);
    expect(es.count).toBe(0);
    expect(es.mean).toBeNaN();
    expect(es.vwMean).toBeNaN();
  });

  it('flipping every side negates every value and the sums exactly', () => {
    fc.assert(
      fc.property(streamArb(), (events) => {
        const a = new EffectiveSpread();
        const b = new EffectiveSpread();
        const flipped = flipSides(events);
        events.forEach((e, i) => {
          const x = feed(a, e);
          const y = feed(b, flipped[i]!);
          if (typeof x === 'number' && !Number.isNaN(x)) expect(y === -x).toBe(true); // -0 and 0 alike
        });
        expect(b.sum === -a.sum).toBe(true); // -0 and 0 alike
        if (a.volume > 0) expect(b.vwMean === -a.vwMean).toBe(true); // -0 and 0 alike
      }),
    );
  });

  it('throws typed errors for a bad trade and a bad state', () => {
    expect(() => new EffectiveSpread().update({ ts: 0, price: 1, size: -1 })).toThrow(InvalidInputError);
    expect(() => new EffectiveSpread().restore({ type: 'EffectiveSpread', version: 1, bid: 'x' } as never)).toThrow(InvalidStateError);
  });

  testOperatorContract('EffectiveSpread', () => new EffectiveSpread(), streamArb({ missingSides: true }), (op, e) => [feed(op, e), op.sum, op.vwMean]);
});
