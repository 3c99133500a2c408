import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Emo } from '../../src/trades/emo.js';
import { TickRule } from '../../src/trades/tick-rule.js';
import { testOperatorContract } from '../support/contract.js';
import { feed, streamArb } from './arbitraries.js';

describe('Emo', () => {
  it('signs trades at the ask as buys, at the bid as sells, others by the tick rule', () => {
    const emo = new Emo();
    emo.onQuote(0, 579.4, 580.23);
    expect(emo.update({ ts: 1, price: 580.23, size: 1 })).toBe(1); // at the ask
    expect(emo.update({ ts: 2, price: 580.0, size: 1 })).toBe(-1); // inside: downtick from 580.23
    expect(emo.update({ ts: 3, price: 579.4, size: 1 })).toBe(-1); // at the bid
    expect(emo.update({ ts: 4, price: 579.5, size: 1 })).toBe(1); // inside, above the mid's other side: uptick
    expect(emo.update({ ts: 5, price: 581, size: 1 })).toBe(1); // outside the quotes: uptick
    expect(emo.byQuote).toBe(2);
    expect(emo.byTick).toBe(3);
  });

  it('sends a locked quote (bid == ask) to the tick rule', () => {
    const emo = new Emo();
    emo.update({ ts: 0, price: 100.01, size: 1 });
    emo.onQuote(1, 100, 100);
    expect(emo.update({ ts: 2, price: 100, size: 1 })).toBe(-1); // downtick
  });

  it('is +1 at the ask, -1 at the bid, the tick rule elsewhere; only -1, 0, 1', () => {
    fc.assert(
      fc.property(streamArb(), (events) => {
        const emo = new Emo();
        const tick = new TickRule();
        let bid = NaN;
        let ask = NaN;
        for (const e of events) {
          if (e.kind === 'quote') {
            emo.onQuote(e.ts, e.bid, e.ask);
            bid = e.bid;
            ask = e.ask;
          } else if (e.kind === 'trade') {
            const s = emo.update(e.trade);
            const t = tick.update(e.trade);
            const p = e.trade.price;
            expect(s).toBe(bid !== ask && p === ask ? 1 : bid !== ask && p === bid ? -1 : t);
          }
        }
      }),
    );
  });

  testOperatorContract('Emo', () => new Emo(), streamArb({ missingSides: true }), (op, e) => feed(op, e));
});
