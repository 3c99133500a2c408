import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L3OrderBook } from '../../src/book/l3-order-book.js';
import { createBook } from '../../src/core/book.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import { orderSequence, trade } from '../../src/testing/index.js';

describe('trade', () => {
  it('gives trades with a positive price on the tick grid, an integer size >= 1 and a side in {-1, 0, 1}', () => {
    fc.assert(
      fc.property(trade({ tickSize: 0.05, maxSize: 10 }), (t) => {
        expect(Number.isInteger(Math.round(t.price / 0.05))).toBe(true);
        expect(Math.abs(t.price / 0.05 - Math.round(t.price / 0.05))).toBeLessThan(1e-6);
        expect(t.price).toBeGreaterThan(0);
        expect(Number.isInteger(t.size) && t.size >= 1 && t.size <= 10).toBe(true);
        expect([-1, 0, 1]).toContain(t.side);
        expect(Number.isInteger(t.ts) && t.ts >= 0).toBe(true);
      }),
    );
  });

  it('rejects bad options', () => {
    expect(() => trade({ maxTicks: 0 })).toThrow(InvalidOptionError);
    expect(() => trade({ side: 1 } as never)).toThrow(/side/);
  });
});

describe('orderSequence', () => {
  it('keeps an L3OrderBook consistent: no unknown ids, no size disagreements, never crossed or locked', () => {
    fc.assert(
      fc.property(orderSequence(), (events) => {
        const book = new L3OrderBook();
        const snap = createBook(5);
        let lastTs = -Infinity;
        for (const e of events) {
          expect(e.ts).toBeGreaterThanOrEqual(lastTs);
          lastTs = e.ts;
          expect(book.apply(e)).toBe(e.kind === 'add' ? e.size : -e.size);
          book.writeSnapshot(snap);
          if (snap.bidLevels > 0 && snap.askLevels > 0) expect(snap.bidPx[0]!).toBeLessThan(snap.askPx[0]!);
        }
        const s = book.stats();
        expect(s.unknownOrders).toEqual({ cancel: 0, delete: 0, execute: 0 });
        expect(s.sizeDisagreements).toBe(0);
        expect(s.duplicateAdds).toBe(0);
      }),
    );
  });

  it('executes the front of the best queue (price-time priority): the executed order has nothing queued ahead of it', () => {
    fc.assert(
      fc.property(orderSequence({ maxDistanceTicks: 2 }), (events) => {
        const book = new L3OrderBook();
        for (const e of events) {
          if (e.kind === 'execute') {
            expect(book.queuePosition(e.orderId)).toBe(0);
            expect(e.price).toBe(e.side === 1 ? book.bestBid() : book.bestAsk());
          }
          book.apply(e);
        }
      }),
    );
  });

  it('the live orders it leaves are the adds minus the orders fully removed', () => {
    fc.assert(
      fc.property(orderSequence({ maxLength: 50 }), (events) => {
        const left = new Map<number, number>();
        for (const e of events) {
          if (e.kind === 'add') left.set(e.orderId, e.size);
          else left.set(e.orderId, (left.get(e.orderId) ?? NaN) - e.size);
        }
        const live = [...left.values()].filter((v) => v > 0).length;
        expect([...left.values()].every((v) => v >= 0)).toBe(true);
        const book = new L3OrderBook();
        for (const e of events) book.apply(e);
        expect(book.liveOrders).toBe(live);
      }),
    );
  });

  it('shrinks a failing property to a short sequence', () => {
    const out = fc.check(
      fc.property(orderSequence(), (events) => !events.some((e) => e.kind === 'execute')),
      { seed: 11 },
    );
    expect(out.failed).toBe(true);
    // the minimal counterexample: one add and its execution
    expect(out.counterexample![0].map((e) => e.kind)).toEqual(['add', 'execute']);
  });

  it('rejects bad options', () => {
    expect(() => orderSequence({ maxSize: 0 })).toThrow(InvalidOptionError);
    expect(() => orderSequence({ centerTicks: 3, maxDistanceTicks: 10 })).toThrow(/centerTicks/);
  });
});
