import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels } from '../../src/core/book.js';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { LeeReady } from '../../src/trades/lee-ready.js';
import { QuoteRule } from '../../src/trades/quote-rule.js';
import { TickRule } from '../../src/trades/tick-rule.js';
import { testOperatorContract } from '../support/contract.js';
import { feed, streamArb, type StreamEvent } from './arbitraries.js';

describe('LeeReady', () => {
  it('uses the quote rule off the mid and the tick rule at the mid (reference first trades)', () => {
    // Reference rows 1-2: book row 0 is 579.40 / 580.23 (mid 579.815); trade 579.40 < mid -> -1;
    // trade 579.51 < mid -> -1 although the tick rule says +1 (uptick).
    const lr = new LeeReady();
    lr.onBook(bookFromLevels([[579.4, 496]], [[580.23, 100]], { ts: 34200015.105074 }));
    expect(lr.update({ ts: 34200059.90197, price: 579.4, size: 300 })).toBe(-1);
    expect(lr.update({ ts: 34200113.246707, price: 579.51, size: 1 })).toBe(-1);
    // At the mid: the tick rule (579.815 > 579.51: uptick).
    expect(lr.update({ ts: 34200113.246707, price: 579.815, size: 1 })).toBe(1);
    expect(lr.byQuote).toBe(2);
    expect(lr.byTick).toBe(1);
  });

  it('falls back to the tick rule without a quote or with a side missing', () => {
    const lr = new LeeReady();
    expect(lr.update({ ts: 0, price: 10, size: 1 })).toBe(0); // no quote, no earlier price
    expect(lr.update({ ts: 1, price: 10.01, size: 1 })).toBe(1); // no quote: uptick
    lr.onQuote(2, NaN, 10.05);
    expect(lr.update({ ts: 3, price: 10.0, size: 1 })).toBe(-1); // bid missing: downtick
    expect(lr.byTick).toBe(3);
  });

  it('recognises a trade at the mid although 2 * price != bid + ask in float64', () => {
    // 579.42 is the mid of 579.40 / 579.44, but 579.42 - (579.40 + 579.44) / 2 = -1.1e-13 in doubles.
    const tape = (options: { priceTolerance?: number }): number => {
      const lr = new LeeReady(options);
      lr.update({ ts: 0, price: 579.41, size: 1 }); // tape: a lower earlier price
      lr.onQuote(1, 579.4, 579.44);
      return lr.update({ ts: 2, price: 579.42, size: 1 });
    };
    expect(tape({})).toBe(1); // at the mid -> tick rule: uptick from 579.41
    expect(tape({ priceTolerance: 0 })).toBe(-1); // exact comparison: "below" the float mid
  });

  it('with the classic 5-second quote lag uses the quote in effect 5 s before the trade', () => {
    const events = (lr: LeeReady): number => {
      lr.onQuote(0, 100, 101); // mid 100.5
      lr.onQuote(3000, 101, 102); // mid 101.5
      return lr.update({ ts: 6000, price: 101.2, size: 100 });
    };
    expect(events(new LeeReady())).toBe(-1); // against 101.5
    expect(events(new LeeReady({ quoteLagMs: 5000 }))).toBe(1); // against 100.5 (quote at 0 <= 1000)
  });

  it('processes late events at the latest time and counts them', () => {
    const lr = new LeeReady();
    lr.onQuote(1000, 100, 101);
    lr.onQuote(500, 99, 100); // late: taken at 1000, replaces the quote
    expect(lr.update({ ts: 900, price: 99.9, size: 1 })).toBe(1); // late too; mid 99.5
    expect(lr.lateEvents).toBe(2);
  });

  it('is the quote rule where that decides, else the tick rule on the same tape; only -1, 0, 1', () => {
    fc.assert(
      fc.property(streamArb({ missingSides: true }), (events) => {
        const lr = new LeeReady();
        const quote = new QuoteRule();
        const tick = new TickRule();
        for (const e of events) {
          if (e.kind === 'quote') {
            lr.onQuote(e.ts, e.bid, e.ask);
            quote.onQuote(e.ts, e.bid, e.ask);
          } else if (e.kind === 'trade') {
            const s = lr.update(e.trade);
            const q = quote.update(e.trade);
            const t = tick.update(e.trade);
            expect([-1, 0, 1]).toContain(s);
            expect(s).toBe(q !== 0 ? q : t);
          }
        }
      }),
    );
  });

  it('throws typed errors for bad options, trades and states', () => {
    expect(() => new LeeReady({ quoteLagMs: -1 })).toThrow(InvalidOptionError);
    expect(() => new LeeReady({ priceTolerance: 0.5 })).toThrow(InvalidOptionError);
    expect(() => new LeeReady({ lag: 5 } as never)).toThrow(InvalidOptionError);
    expect(() => new LeeReady().update({ ts: 0, price: NaN, size: 1 })).toThrow(InvalidInputError);
    expect(() => new LeeReady().update({ ts: NaN, price: 1, size: 1 })).toThrow(InvalidInputError);
    expect(() => new LeeReady().onQuote(Infinity, 1, 2)).toThrow(InvalidInputError);
    expect(() => new LeeReady().restore({ type: 'LeeReady', version: 2 } as never)).toThrow(InvalidStateError);
  });

  const call = (op: LeeReady, e: StreamEvent): unknown => feed(op, e);
  testOperatorContract('LeeReady', () => new LeeReady(), streamArb({ missingSides: true }), call);
  testOperatorContract('LeeReady (5 s lag)', () => new LeeReady({ quoteLagMs: 5000 }), streamArb(), call);
});
