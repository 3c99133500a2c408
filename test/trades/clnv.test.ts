import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Clnv } from '../../src/trades/clnv.js';
import { TickRule } from '../../src/trades/tick-rule.js';
import { testOperatorContract } from '../support/contract.js';
import { feed, streamArb } from './arbitraries.js';

describe('Clnv', () => {
  it('cuts the spread at 30% and 70%: outer thirds by the quote, the middle and outside by the tick rule', () => {
    const clnv = new Clnv();
    clnv.onQuote(0, 100, 101);
    expect(clnv.update({ ts: 1, price: 100.8, size: 1 })).toBe(1); // x = 0.8
    expect(clnv.update({ ts: 2, price: 100.5, size: 1 })).toBe(-1); // middle: downtick from 100.8
    expect(clnv.update({ ts: 3, price: 100.3, size: 1 })).toBe(-1); // x = 0.3 (boundary, inclusive)
    expect(clnv.update({ ts: 4, price: 100.7, size: 1 })).toBe(1); // x = 0.7 (boundary, inclusive)
    expect(clnv.update({ ts: 5, price: 100.6, size: 1 })).toBe(-1); // middle: downtick
    expect(clnv.update({ ts: 6, price: 101, size: 1 })).toBe(1); // at the ask
    expect(clnv.update({ ts: 7, price: 100, size: 1 })).toBe(-1); // at the bid
    expect(clnv.update({ ts: 8, price: 101.5, size: 1 })).toBe(1); // outside: uptick
    expect(clnv.update({ ts: 9, price: 99.5, size: 1 })).toBe(-1); // outside: downtick
    expect(clnv.byQuote).toBe(5);
    expect(clnv.byTick).toBe(4);
  });

  it('matches the decile definition on integer ticks; only -1, 0, 1', () => {
    fc.assert(
      fc.property(streamArb(), (events) => {
        const clnv = new Clnv();
        const tick = new TickRule();
        let bid = NaN;
        let ask = NaN;
        for (const e of events) {
          if (e.kind === 'quote') {
            clnv.onQuote(e.ts, e.bid, e.ask);
            bid = Math.round(e.bid * 100);
            ask = Math.round(e.ask * 100);
          } else if (e.kind === 'trade') {
            const s = clnv.update(e.trade);
            const t = tick.update(e.trade);
            const p = Math.round(e.trade.price * 100);
            const spread = ask - bid;
            const x = p - bid;
            // exact integer arithmetic: 10 x >= 7 s and x <= s -> buy; x >= 0 and 10 x <= 3 s -> sell
            const expected = spread > 0 && 10 * x >= 7 * spread && x <= spread ? 1 : spread > 0 && x >= 0 && 10 * x <= 3 * spread ? -1 : t;
            expect(s).toBe(expected);
          }
        }
      }),
    );
  });

  testOperatorContract('Clnv', () => new Clnv(), streamArb({ missingSides: true }), (op, e) => feed(op, e));
});
