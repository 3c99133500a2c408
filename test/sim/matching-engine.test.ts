import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L3OrderBook } from '../../src/book/l3-order-book.js';
import { InvalidInputError } from '../../src/core/errors.js';
import type { OrderEvent } from '../../src/core/events.js';
import { MatchingEngine, MSG_ADD, MSG_CANCEL, MSG_DELETE, MSG_EXECUTE, Outbox, OWNER_AGENT0, OWNER_BACKGROUND, OWNER_USER } from '../../src/sim/matching-engine.js';

const KIND: readonly OrderEvent['kind'][] = ['add', 'add', 'cancel', 'delete', 'execute'];

/** Drain the engine's outbox into order events. */
function drain(eng: MatchingEngine): Array<OrderEvent & { agg: number }> {
  const box = eng.outbox;
  const out: Array<OrderEvent & { agg: number }> = [];
  while (box.count > 0) {
    const i = box.shift();
    out.push({ ts: box.ts[i]!, kind: KIND[box.type[i]!]!, orderId: box.id[i]!, size: box.size[i]!, price: box.price[i]!, side: box.side[i]! as 1 | -1, agg: box.agg[i]! });
  }
  return out;
}

describe('MatchingEngine', () => {
  it('rests, cancels and matches with price-time priority, writing LOBSTER-style messages (a worked example)', () => {
    const eng = new MatchingEngine(0.01, 10_000);
    eng.ts = 5;
    eng.rest(1, 1, 9999, 100, OWNER_BACKGROUND, true); // bid 99.99 x 100
    eng.rest(2, 1, 9999, 50, OWNER_USER, false); // bid 99.99 x 50, behind order 1
    eng.rest(3, -1, 10_001, 200, OWNER_BACKGROUND, true); // ask 100.01 x 200
    eng.rest(4, 1, 9998, 70, OWNER_BACKGROUND, true); // bid 99.98 x 70
    expect([eng.bestBid, eng.bestAsk, eng.levelSize(1, 9999), eng.sharesAhead(2), eng.clCount]).toEqual([9999, 10_001, 150, 100, 3]);
    expect(eng.cancel(1, 30)).toBe(30); // partial cancel keeps the queue place
    expect(eng.sharesAhead(2)).toBe(70);
    // a sell of 150: 70 from order 1 (front), 50 from order 2, then 30 of order 4 one level down
    const fills: Array<[number, number, number]> = [];
    expect(eng.match(-1, 150, 9, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, (p, q, id) => fills.push([p, q, id]))).toBe(150);
    expect(fills).toEqual([
      [99.99, 70, 1],
      [99.99, 50, 2],
      [99.98, 30, 4],
    ]);
    expect([eng.bestBid, eng.bestSize(1), eng.orderSize(4), eng.has(1), eng.liveOrders]).toEqual([9998, 40, 40, false, 2]);
    expect(eng.cancel(3)).toBe(200); // delete
    expect(eng.cancel(3)).toBe(0); // unknown id
    expect([eng.bestAsk, eng.askOrders]).toEqual([-1, 0]);
    expect(drain(eng).map((m) => [m.kind, m.orderId, m.size, m.price, m.side, Number.isNaN(m.agg) ? null : m.agg])).toEqual([
      ['add', 1, 100, 99.99, 1, null],
      ['add', 2, 50, 99.99, 1, null],
      ['add', 3, 200, 100.01, -1, null],
      ['add', 4, 70, 99.98, 1, null],
      ['cancel', 1, 30, 99.99, 1, null],
      ['execute', 1, 70, 99.99, 1, 9],
      ['execute', 2, 50, 99.99, 1, 9],
      ['execute', 4, 30, 99.98, 1, 9],
      ['delete', 3, 200, 100.01, -1, null],
    ]);
    expect([MSG_ADD, MSG_CANCEL, MSG_DELETE, MSG_EXECUTE]).toEqual([1, 2, 3, 4]);
  });

  it('stops a match at the limit price and at maxLevels, and tells agents about fills of their orders', () => {
    const eng = new MatchingEngine(0.01, 10_000);
    const heard: number[][] = [];
    eng.onFill = (owner, id, size, remaining) => heard.push([owner, id, size, remaining]);
    eng.rest(1, -1, 10_001, 10, OWNER_AGENT0 + 1, false);
    eng.rest(2, -1, 10_002, 10, OWNER_BACKGROUND, true);
    eng.rest(3, -1, 10_003, 10, OWNER_BACKGROUND, true);
    expect(eng.match(1, 100, 7, 10_002, Number.POSITIVE_INFINITY, null)).toBe(20);
    expect(heard).toEqual([[OWNER_AGENT0 + 1, 1, 10, 0]]);
    expect(eng.match(1, 100, 8, Number.POSITIVE_INFINITY, 0, null)).toBe(0);
    expect(eng.levelTick(-1, 0)).toBe(10_003);
    expect(eng.levelTick(-1, 1)).toBe(-1);
    expect(eng.levelTick(1, 0)).toBe(-1);
    expect(eng.match(-1, 5, 9, Number.NEGATIVE_INFINITY, 1, null)).toBe(0); // no bids
  });

  it('lists orders in a tick band by owner, front of each queue first, best tick first', () => {
    const eng = new MatchingEngine(0.01, 10_000);
    eng.rest(1, 1, 9998, 1, OWNER_BACKGROUND, true);
    eng.rest(2, 1, 9999, 1, OWNER_USER, false);
    eng.rest(3, 1, 9999, 1, OWNER_BACKGROUND, true);
    eng.rest(4, 1, 9990, 1, OWNER_BACKGROUND, true);
    eng.rest(5, -1, 10_004, 1, OWNER_BACKGROUND, true);
    expect(eng.ordersIn(1, 9995, 9999, 1)).toEqual([3, 1]);
    expect(eng.ordersIn(1, 9995, 9999, 1 | (1 << OWNER_USER))).toEqual([2, 3, 1]);
    expect(eng.ordersIn(-1, 10_000, 10_010, 1)).toEqual([5]);
    expect(eng.ordersIn(-1, 0, 2_000_000, 1)).toEqual([5]); // a band wider than the window
    expect([eng.orderOwner(2), eng.orderOwner(99), eng.orderSide(5), eng.orderSide(99), eng.orderTick(99), eng.orderSize(99), eng.sharesAhead(99)]).toEqual([OWNER_USER, -1, -1, 0, NaN, NaN, -1]);
  });

  it('prices ticks exactly on the LOBSTER grid, and by multiplication off it', () => {
    const grid = new MatchingEngine(0.01, 10_000);
    expect([grid.onLobsterGrid, grid.priceOf(9999), grid.priceOf(10_001), grid.tickOf(99.99)]).toEqual([true, 99.99, 100.01, 9999]);
    const fine = new MatchingEngine(0.00003, 1_000_000);
    expect(fine.onLobsterGrid).toBe(false);
    expect(fine.priceOf(1_000_000)).toBe(1_000_000 * 0.00003);
    expect(() => grid.rest(1, 1, -5, 1, OWNER_BACKGROUND, true)).toThrow(InvalidInputError);
  });

  it('keeps the same book as an L3OrderBook fed its messages, through window re-centring and pool growth (model-based)', () => {
    const op = fc.record({
      kind: fc.nat({ max: 9 }),
      side: fc.boolean(),
      far: fc.boolean(),
      dist: fc.integer({ min: 1, max: 40 }),
      size: fc.integer({ min: 1, max: 500 }),
      pick: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 400 }), (ops) => {
        const eng = new MatchingEngine(0.01, 10_000);
        const book = new L3OrderBook();
        let id = 1;
        const ids: number[] = [];
        for (const o of ops) {
          const side = o.side ? 1 : -1;
          if (o.kind < 5) {
            // rest behind the opposite touch (never crossing); sometimes far away, outside the window
            const opp = side === 1 ? eng.bestAsk : eng.bestBid;
            const ref = opp >= 0 ? opp : 10_000;
            const tick = ref - side * (o.far ? 1000 + o.dist * 100 : o.dist);
            eng.rest(id, side, tick, o.size, OWNER_BACKGROUND, o.pick % 2 === 0);
            ids.push(id++);
          } else if (o.kind < 8 && ids.length > 0) {
            eng.cancel(ids[o.pick % ids.length]!, o.kind === 5 ? Math.ceil(o.size / 10) : Number.NaN);
          } else {
            eng.match(side, o.size, id++, side === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY, 1 + (o.pick % 3), null);
          }
        }
        // many messages pile up in the outbox before we drain it: it grows and keeps them in order
        for (const m of drain(eng)) book.apply(m);
        expect(book.bestBid()).toBe(eng.bestBid < 0 ? NaN : eng.priceOf(eng.bestBid));
        expect(book.bestAsk()).toBe(eng.bestAsk < 0 ? NaN : eng.priceOf(eng.bestAsk));
        expect(book.liveOrders).toBe(eng.liveOrders);
        for (const side of [1, -1] as const) {
          for (let k = 0; k < 5; k++) {
            const t = eng.levelTick(side, k);
            expect(book.priceAt(side, k)).toBe(t < 0 ? NaN : eng.priceOf(t));
            expect(book.sizeAt(side, k)).toBe(t < 0 ? 0 : eng.levelSize(side, t));
          }
        }
        for (const i of ids) {
          expect(eng.has(i)).toBe(book.hasOrder(i));
          if (eng.has(i)) expect(eng.sharesAhead(i)).toBe(book.queuePosition(i));
        }
        let cancellable = 0;
        for (let k = 0; k < eng.clCount; k++) if (book.hasOrder(eng.cancellableId(k))) cancellable++;
        expect(cancellable).toBe(eng.clCount);
      }),
      { numRuns: 60 },
    );
  });

  it('grows past its initial order pool and keeps every order', () => {
    const eng = new MatchingEngine(0.01, 10_000);
    for (let i = 1; i <= 3000; i++) eng.rest(i, i % 2 === 0 ? 1 : -1, i % 2 === 0 ? 9990 - (i % 7) : 10_010 + (i % 7), i, OWNER_BACKGROUND, true);
    expect([eng.liveOrders, eng.clCount, eng.bidOrders + eng.askOrders]).toEqual([3000, 3000, 3000]);
    expect(eng.orderSize(2999)).toBe(2999);
    expect(eng.outbox.count).toBe(3000);
  });
});

describe('Outbox', () => {
  it('is a FIFO ring that grows across its wrap-around', () => {
    const box = new Outbox();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 5; round++) {
      for (let k = 0; k < 50 + 40 * round; k++) box.push(next, 1, next++, 1, 1, 1, Number.NaN);
      for (let k = 0; k < 30; k++) expect(box.id[box.shift()]).toBe(expected++);
    }
    while (box.count > 0) expect(box.id[box.shift()]).toBe(expected++);
    expect(expected).toBe(next);
    box.push(1, 1, 1, 1, 1, 1, 1);
    box.clear();
    expect(box.count).toBe(0);
  });
});
