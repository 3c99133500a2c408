import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2Book } from '../../src/book/l2-book.js';
import { DEFAULT_L3_ORDER_BOOK_OPTIONS, L3OrderBook, type L3SizePolicy } from '../../src/book/l3-order-book.js';
import { bookFromLevels, bookLevels, createBook } from '../../src/core/book.js';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import type { BookSnapshot, OrderEvent, OrderEventKind } from '../../src/core/events.js';
import { Random } from '../../src/core/random.js';
import { testOperatorContract } from '../support/contract.js';

const ev = (kind: OrderEventKind, orderId: number, side: 1 | -1, price: number, size: number, ts = 0): OrderEvent => ({ ts, kind, orderId, size, price, side });

const sideLevels = (book: L3OrderBook, side: 1 | -1): Array<[number, number]> => {
  const out: Array<[number, number]> = [];
  const n = side === 1 ? book.bidLevels : book.askLevels;
  for (let i = 0; i < n; i++) out.push([book.priceAt(side, i), book.sizeAt(side, i)]);
  return out;
};

describe('L3OrderBook: worked examples', () => {
  it('runs the docstring example: FIFO queue positions under executions and deletes', () => {
    const book = new L3OrderBook();
    book.add(1, 1, 579.4, 100);
    book.add(2, 1, 579.4, 50);
    book.add(3, -1, 580.23, 200);
    expect(book.queuePosition(2)).toBe(100); // order 1 (100) is ahead
    expect(book.execute(1, 60)).toBe(60);
    expect(book.queuePosition(2)).toBe(40); // 100 - 60
    expect(book.levelSize(1, 579.4)).toBe(90); // 40 + 50
    expect(book.delete(1)).toBe(40);
    expect(book.ordersAhead(2)).toBe(0);
    expect(book.liveOrders).toBe(2);
  });

  it('keeps an order queue place through partial cancels; new orders join the tail', () => {
    const book = new L3OrderBook();
    book.add(1, 1, 10, 100, 1);
    book.add(2, 1, 10, 50, 2);
    book.add(3, 1, 10, 30, 3);
    expect([book.queuePosition(3), book.ordersAhead(3)]).toEqual([150, 2]);
    expect(book.cancel(1, 40)).toBe(40); // 1 keeps its place with 60 left
    expect([book.queuePosition(2), book.queuePosition(3)]).toEqual([60, 110]);
    expect(book.delete(2)).toBe(50);
    expect([book.queuePosition(3), book.ordersAhead(3)]).toEqual([60, 1]);
    expect(book.execute(1, 60)).toBe(60); // 1 fully executed: it leaves
    expect(book.hasOrder(1)).toBe(false);
    expect(book.queuePosition(3)).toBe(0);
    book.add(4, 1, 10, 5, 4);
    expect([book.queuePosition(4), book.ordersAhead(4)]).toEqual([30, 1]);
    expect(book.levelSize(1, 10)).toBe(35);
    expect(book.levelOrderCount(1, 10)).toBe(2);
    expect(book.stats().executedShares).toBe(60);
  });

  it('reports levels best first, order attributes, and NaN / -1 / 0 for what it does not hold', () => {
    const book = new L3OrderBook();
    expect([book.bestBid(), book.bestAsk(), book.queuePosition(7), book.ordersAhead(7)]).toEqual([NaN, NaN, -1, -1]);
    book.add(1, 1, 9.5, 3);
    book.add(2, 1, 9.75, 4);
    book.add(3, -1, 10.5, 5);
    book.add(4, -1, 10.25, 6);
    book.add(5, 1, 9, 7);
    expect(sideLevels(book, 1)).toEqual([[9.75, 4], [9.5, 3], [9, 7]]);
    expect(sideLevels(book, -1)).toEqual([[10.25, 6], [10.5, 5]]);
    expect([book.bestBid(), book.bestAsk()]).toEqual([9.75, 10.25]);
    expect([book.orderPrice(4), book.orderSide(4), book.orderSize(4)]).toEqual([10.25, -1, 6]);
    expect([book.orderPrice(99), book.orderSide(99), book.orderSize(99)]).toEqual([NaN, 0, NaN]);
    expect([book.priceAt(1, 3), book.sizeAt(1, 3), book.priceAt(1, -1)]).toEqual([NaN, 0, NaN]);
    expect([book.levelSize(-1, 11), book.levelOrderCount(-1, 11), book.levelSyntheticSize(-1, 10.5)]).toEqual([0, 0, 0]);
    const out = createBook(2);
    book.writeSnapshot(out);
    expect(bookLevels(out, 'bid')).toEqual([[9.75, 4], [9.5, 3]]);
    expect(bookLevels(out, 'ask')).toEqual([[10.25, 6], [10.5, 5]]);
  });

  it('apply dispatches on kind, returns the signed volume change and leaves the book alone for hidden executions, crosses and halts', () => {
    const book = new L3OrderBook();
    expect(book.apply(ev('add', 1, -1, 580, 200, 5))).toBe(200);
    expect(book.apply(ev('cancel', 1, -1, 580, 20, 6))).toBe(-20);
    expect(book.apply(ev('execute', 1, -1, 580, 30, 7))).toBe(-30);
    expect(book.apply(ev('executeHidden', 0, -1, 579.9, 100, 8))).toBe(0);
    expect(book.apply(ev('cross', -1, 1, 580, 1000, 9))).toBe(0);
    expect(book.apply(ev('halt', 0, -1, -1, 0, 10))).toBe(0);
    expect(book.update(ev('delete', 1, -1, 580, 150, 11))).toBe(-150);
    expect(book.askLevels).toBe(0);
    expect(book.lastTs).toBe(11);
    const s = book.stats();
    expect([s.adds, s.cancels, s.executes, s.deletes, s.passiveEvents, s.sizeDisagreements]).toEqual([1, 1, 1, 1, 3, 0]);
  });

  it('snapshot lists each level best first with its orders in FIFO order (synthetic volume as id null)', () => {
    const book = new L3OrderBook();
    book.seedFromBook(bookFromLevels([[10, 7]], [[11, 4]]));
    book.add(5, 1, 10, 2, 100);
    book.add(3, 1, 10, 1, 101);
    book.add(4, 1, 10.5, 9, 102);
    book.cancel(5, 1);
    const state = book.snapshot();
    expect(state.bids).toEqual([
      [10.5, [[4, 9, 102]]],
      [10, [[null, 7, 'NaN'], [5, 1, 100], [3, 1, 101]]],
    ]);
    expect(state.asks).toEqual([[11, [[null, 4, 'NaN']]]]);
  });

  it('replaces a duplicate add (the old order leaves, the new one queues at the tail) and counts it', () => {
    const book = new L3OrderBook();
    book.add(1, 1, 10, 5);
    book.add(2, 1, 10, 6);
    book.add(1, 1, 10, 7);
    expect(book.liveOrders).toBe(2);
    expect([book.queuePosition(1), book.levelSize(1, 10)]).toEqual([6, 13]);
    book.add(2, -1, 12, 1); // a duplicate moving to another level and side
    expect([book.levelSize(1, 10), book.levelSize(-1, 12), book.orderSide(2)]).toEqual([7, 1, -1]);
    expect(book.stats().duplicateAdds).toBe(2);
  });

  it('shrinks its pools back on reset and reuses freed slots', () => {
    const book = new L3OrderBook({ initialOrders: 16, initialLevels: 2 });
    for (let i = 0; i < 5000; i++) book.add(i, i % 2 === 0 ? 1 : -1, 100 + (i % 40), 1);
    expect(book.stats().orderCapacity).toBe(8192);
    expect(book.stats().levelCapacity).toBe(64); // bids at the 20 even offsets, asks at the 20 odd ones: 40 levels
    for (let i = 0; i < 5000; i++) book.delete(i);
    expect([book.liveOrders, book.bidLevels, book.askLevels]).toEqual([0, 0, 0]);
    for (let i = 0; i < 5000; i++) book.add(i, 1, 100, 1);
    expect(book.stats().orderCapacity).toBe(8192); // slots reused, no growth
    book.reset();
    expect([book.stats().orderCapacity, book.stats().levelCapacity, book.liveOrders]).toEqual([16, 2, 0]);
  });
});

describe('L3OrderBook: orders it never saw', () => {
  const seeded = (sizePolicy: L3SizePolicy): L3OrderBook => {
    const book = new L3OrderBook({ sizePolicy });
    book.seedFromBook(bookFromLevels([[10, 100]], [[11, 50]], { ts: 3 }));
    return book;
  };

  it('seeds a book snapshot as one synthetic order per level', () => {
    const book = seeded('orders');
    expect([book.liveOrders, book.syntheticOrders, book.levelSize(1, 10), book.levelSyntheticSize(1, 10), book.lastTs]).toEqual([0, 2, 100, 100, 3]);
    expect(book.stats().seeds).toBe(1);
  });

  it("'orders': an unknown id takes its size from synthetic volume only; otherwise it is ignored and counted", () => {
    const book = seeded('orders');
    expect(book.apply(ev('delete', 99, 1, 10, 30))).toBe(-30); // synthetic 100 -> 70
    book.add(1, 1, 10, 20);
    expect(book.queuePosition(1)).toBe(70); // the synthetic volume is ahead
    expect(book.apply(ev('execute', 98, 1, 10, 80))).toBe(-70); // all 70 synthetic, 10 short
    expect([book.levelSize(1, 10), book.queuePosition(1), book.syntheticOrders]).toEqual([20, 0, 1]);
    expect(book.apply(ev('cancel', 97, 1, 10, 5))).toBe(0); // no synthetic volume left at 10
    expect(book.cancel(96, 5, 1, 9.5)).toBe(0); // no level at 9.5
    expect(book.delete(95)).toBe(0); // no price or size given
    const s = book.stats();
    expect(s.unknownOrders).toEqual({ cancel: 2, delete: 2, execute: 1 });
    expect([s.unknownMatchedSynthetic, s.unknownMatchedKnown, s.unknownIgnored, s.sizeDisagreements]).toEqual([2, 0, 3, 1]);
    expect(book.levelSize(1, 10)).toBe(20);
    // an unknown id at a price the book lacks, just before a mismatch (not a prefix): 'priceMissing'
    book.cancel(96, 5, 1, 9.5);
    expect(book.resyncFrom(bookFromLevels([[10, 25]], [[11, 50]]))).toBe(1);
    expect(book.stats().resyncsByReason.priceMissing).toBe(1);
    expect([book.levelSyntheticSize(1, 10), book.queuePosition(1)]).toEqual([5, 0]); // +5 queued behind order 1
  });

  it("'levels': what synthetic volume cannot cover comes from known orders, front of the queue first", () => {
    const book = seeded('levels');
    book.apply(ev('delete', 99, 1, 10, 30));
    book.add(1, 1, 10, 20);
    book.add(2, 1, 10, 20);
    expect(book.apply(ev('execute', 98, 1, 10, 80))).toBe(-80); // 70 synthetic + 10 of order 1
    expect([book.orderSize(1), book.orderSize(2), book.levelSize(1, 10)]).toEqual([10, 20, 30]);
    expect(book.apply(ev('cancel', 97, 1, 10, 15))).toBe(-15); // 10 (order 1 leaves) + 5 of order 2
    expect([book.hasOrder(1), book.orderSize(2)]).toEqual([false, 15]);
    const s = book.stats();
    expect([s.unknownMatchedSynthetic, s.unknownMatchedKnown, s.unknownIgnored, s.knownOrdersTaken]).toEqual([1, 2, 0, 3]);
  });

  it("'levels': a known order's event larger than the order takes the excess from the level", () => {
    const book = new L3OrderBook({ sizePolicy: 'levels' });
    book.add(1, -1, 20, 5);
    book.add(2, -1, 20, 8);
    expect(book.execute(1, 7)).toBe(7); // order 1 (5) + 2 of order 2
    expect([book.hasOrder(1), book.orderSize(2), book.stats().sizeDisagreements]).toEqual([false, 6, 1]);
    expect(book.cancel(2, 10)).toBe(6); // the last order: nothing else to take
    expect(book.askLevels).toBe(0);
  });

  it('a delete smaller than the order: removed whole under "orders", remainder kept in place as synthetic under "levels"', () => {
    for (const policy of ['orders', 'levels'] as const) {
      const book = new L3OrderBook({ sizePolicy: policy });
      book.add(1, 1, 10, 50);
      book.add(2, 1, 10, 20);
      const removed = book.delete(1, 30);
      expect(book.stats().sizeDisagreements).toBe(1);
      if (policy === 'orders') {
        expect([removed, book.levelSize(1, 10), book.queuePosition(2), book.syntheticOrders]).toEqual([50, 20, 0, 0]);
      } else {
        expect([removed, book.levelSize(1, 10), book.queuePosition(2), book.syntheticOrders]).toEqual([30, 40, 20, 1]);
      }
      expect(book.liveOrders).toBe(1);
    }
  });
});

describe('L3OrderBook: resync to an observed book', () => {
  it('inserts entering levels as synthetic volume, fixes sizes, removes stale levels and keeps deeper ones', () => {
    const book = new L3OrderBook();
    book.seedFromBook(bookFromLevels([[10, 5], [9, 4], [8, 3], [7, 2]], [[11, 1]]));
    const asks = [[11, 1]] as const;
    book.add(1, 1, 9, 6); // level 9: synthetic 4 + order 1 (6)
    book.add(2, 1, 8, 1); // level 8: synthetic 3 + order 2 (1)
    expect(book.resyncFrom(bookFromLevels([[10, 5], [9, 10], [8, 4]], asks, { depth: 3 }))).toBe(0);

    // a level entering from beyond the row depth: the predicted side is a prefix of the row's
    book.delete(1);
    book.apply(ev('delete', 77, 1, 9, 4)); // the synthetic 4 at 9: level 9 gone
    expect(sideLevels(book, 1)).toEqual([[10, 5], [8, 4], [7, 2]]); // 7 was kept past the depth
    expect(book.resyncFrom(bookFromLevels([[10, 5], [8, 4], [7, 2]], asks, { depth: 3 }))).toBe(0);
    book.delete(2);
    book.apply(ev('cancel', 76, 1, 8, 3));
    expect(book.resyncFrom(bookFromLevels([[10, 5], [7, 2], [6.5, 8]], asks, { depth: 3 }))).toBe(1);
    expect(book.levelSyntheticSize(1, 6.5)).toBe(8);

    // a size mismatch at a level holding known orders: missing volume is added at the tail...
    book.add(3, 1, 10, 2);
    expect(book.resyncFrom(bookFromLevels([[10, 9], [7, 2], [6.5, 8]], asks, { depth: 3 }))).toBe(1);
    expect([book.levelSize(1, 10), book.levelOrderCount(1, 10), book.queuePosition(3)]).toEqual([9, 3, 5]);
    // ... excess volume leaves synthetic orders first, then known orders from the tail
    book.add(4, 1, 10, 3);
    expect(book.resyncFrom(bookFromLevels([[10, 1], [7, 2], [6.5, 8]], asks, { depth: 3 }))).toBe(1);
    expect([book.levelSize(1, 10), book.hasOrder(4), book.orderSize(3), book.levelSyntheticSize(1, 10)]).toEqual([1, false, 1, 0]);
    let s = book.stats();
    expect([s.ordersDroppedByResync, s.ordersTrimmedByResync]).toEqual([1, 1]);

    // a stale level holding a known order, absent from the row: removed with its orders
    book.add(5, 1, 9.5, 4);
    expect(book.resyncFrom(bookFromLevels([[10, 1], [7, 2], [6.5, 8]], asks, { depth: 3 }))).toBe(1);
    expect([book.hasOrder(5), book.levelSize(1, 9.5)]).toEqual([false, 0]);

    // a row showing fewer levels than its depth replaces the whole side, also past it
    book.add(6, 1, 6, 1);
    expect(book.resyncFrom(bookFromLevels([[10, 1]], asks, { depth: 3 }))).toBe(3); // 7, 6.5, 6 removed
    expect(sideLevels(book, 1)).toEqual([[10, 1]]);

    s = book.stats();
    expect(s.resyncs).toBe(5);
    expect(s.resyncsByReason).toEqual({ entersFromBeyondDepth: 1, priceMissing: 0, sizeMismatch: 2, other: 2 });
    expect(s.levelsCorrected).toBe(1 + 1 + 1 + 1 + 3);
    expect(s.ordersDroppedByResync).toBe(3); // orders 4, 5 and 6
  });

  it('rejects a row with a non-finite price or a size <= 0, before changing anything', () => {
    const book = new L3OrderBook();
    book.add(1, 1, 10, 5);
    const bad = bookFromLevels([[10, 5], [9, 0]], [], { depth: 2 });
    expect(() => book.resyncFrom(bad)).toThrow(/bidSz\[1\]/);
    expect(() => book.seedFromBook(bookFromLevels([[NaN, 1]], []))).toThrow(InvalidInputError);
    expect(book.liveOrders).toBe(1);
  });
});

describe('L3OrderBook: bad input and options', () => {
  it('rejects bad options with InvalidOptionError', () => {
    expect(() => new L3OrderBook({ initialOrders: 0 })).toThrow(InvalidOptionError);
    expect(() => new L3OrderBook({ initialLevels: 1.5 })).toThrow(/initialLevels/);
    expect(() => new L3OrderBook({ sizePolicy: 'fifo' as never })).toThrow(/sizePolicy/);
    expect(() => new L3OrderBook({ depth: 10 } as never)).toThrow(InvalidOptionError);
    expect(DEFAULT_L3_ORDER_BOOK_OPTIONS).toEqual({ initialOrders: 1024, initialLevels: 64, sizePolicy: 'orders' });
  });

  it('throws InvalidInputError naming the order for bad ids, sides, prices, sizes and kinds', () => {
    const book = new L3OrderBook();
    expect(() => book.add(NaN, 1, 10, 1)).toThrow(/orderId/);
    expect(() => book.add(7, 0 as never, 10, 1)).toThrow(/order 7\) side/);
    expect(() => book.add(7, 1, Infinity, 1)).toThrow(/order 7\) price/);
    expect(() => book.add(7, 1, 10, 0)).toThrow(/order 7\) size/);
    expect(() => book.cancel(7, -1)).toThrow(/order 7\) size/);
    expect(() => book.execute(7, NaN)).toThrow(InvalidInputError);
    expect(() => book.delete(7, -3)).toThrow(/order 7\) size/);
    expect(() => book.apply(ev('modify' as never, 7, 1, 10, 1))).toThrow(/kind/);
    expect(book.liveOrders).toBe(0);
    expect(book.stats().adds).toBe(0);
  });

  it('restore rejects a malformed or foreign state', () => {
    const book = new L3OrderBook();
    expect(() => book.restore({ type: 'L2Book', version: 1 } as never)).toThrow(InvalidStateError);
    expect(() => book.restore({ type: 'L3OrderBook', version: 1, bids: [], asks: [], counters: [1] } as never)).toThrow(/counters/);
    expect(() => book.restore({ ...book.snapshot(), bids: [[10, []]] })).toThrow(/malformed level/);
  });
});

// ---------------------------------------------------------------- model-based properties

type Op = { t: OrderEventKind; id: number; side: 1 | -1; price: number; size: number };

const opArb = (maxId: number): fc.Arbitrary<Op> =>
  fc.record({
    t: fc.constantFrom<OrderEventKind>('add', 'add', 'add', 'cancel', 'delete', 'execute'),
    id: fc.integer({ min: 1, max: maxId }),
    side: fc.constantFrom(1 as const, -1 as const),
    price: fc.integer({ min: 1, max: 6 }),
    size: fc.integer({ min: 1, max: 5 }),
  });

interface ModelOrder {
  id: number;
  side: 1 | -1;
  price: number;
  size: number;
}

/** The naive model of the 'orders' policy on an unseeded book: a Map of orders and FIFO arrays per level. */
class L3Model {
  readonly orders = new Map<number, ModelOrder>();
  readonly queues = new Map<string, ModelOrder[]>();
  private queue(side: number, price: number): ModelOrder[] {
    const key = `${side}:${price}`;
    let q = this.queues.get(key);
    if (q === undefined) this.queues.set(key, (q = []));
    return q;
  }
  private remove(o: ModelOrder): void {
    const q = this.queue(o.side, o.price);
    q.splice(q.indexOf(o), 1);
    if (q.length === 0) this.queues.delete(`${o.side}:${o.price}`);
    this.orders.delete(o.id);
  }
  apply(op: Op): void {
    const o = this.orders.get(op.id);
    if (op.t === 'add') {
      if (o !== undefined) this.remove(o);
      const n: ModelOrder = { id: op.id, side: op.side, price: op.price, size: op.size };
      this.orders.set(op.id, n);
      this.queue(op.side, op.price).push(n);
    } else if (o !== undefined) {
      if (op.t === 'delete' || op.size >= o.size) this.remove(o);
      else o.size -= op.size;
    }
  }
  levels(side: 1 | -1): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const q of this.queues.values()) if (q[0]!.side === side) out.push([q[0]!.price, q.reduce((s, o) => s + o.size, 0)]);
    return out.sort((a, b) => side * (b[0] - a[0]));
  }
  ahead(id: number): [number, number] {
    const o = this.orders.get(id)!;
    const q = this.queue(o.side, o.price);
    const i = q.indexOf(o);
    return [q.slice(0, i).reduce((s, x) => s + x.size, 0), i];
  }
}

const applyOp = (book: L3OrderBook, op: Op): void => {
  if (op.t === 'add') book.add(op.id, op.side, op.price, op.size);
  else if (op.t === 'cancel') book.cancel(op.id, op.size, op.side, op.price);
  else if (op.t === 'execute') book.execute(op.id, op.size, op.side, op.price);
  else book.delete(op.id, NaN, op.side, op.price);
};

describe('L3OrderBook: properties against a naive model', () => {
  it('holds the model levels, FIFO queue positions and live orders after every step, and nothing once all orders leave', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(opArb(12), { maxLength: 120 }), (depth, ops) => {
        const book = new L3OrderBook({ initialOrders: 2, initialLevels: 1 });
        const model = new L3Model();
        const out = createBook(depth);
        for (const op of ops) {
          applyOp(book, op);
          model.apply(op);
          book.writeSnapshot(out);
          expect(bookLevels(out, 'bid')).toEqual(model.levels(1).slice(0, depth));
          expect(bookLevels(out, 'ask')).toEqual(model.levels(-1).slice(0, depth));
          expect(sideLevels(book, 1)).toEqual(model.levels(1));
          expect(sideLevels(book, -1)).toEqual(model.levels(-1));
          expect(book.liveOrders).toBe(model.orders.size);
          for (const id of model.orders.keys()) {
            expect([book.queuePosition(id), book.ordersAhead(id)]).toEqual(model.ahead(id));
            expect(book.orderSize(id)).toBe(model.orders.get(id)!.size);
          }
        }
        for (const id of [...model.orders.keys()]) book.delete(id);
        expect([book.liveOrders, book.bidLevels, book.askLevels, book.syntheticOrders]).toEqual([0, 0, 0, 0]);
        const s = book.stats();
        expect(s.unknownMatchedSynthetic + s.unknownMatchedKnown + s.unknownIgnored).toBe(s.unknownOrders.cancel + s.unknownOrders.delete + s.unknownOrders.execute);
      }),
    );
  });

  it('keeps memory bounded by the live orders, not by the history', () => {
    const rng = new Random(7);
    const book = new L3OrderBook({ initialOrders: 1, initialLevels: 1 });
    const live: number[] = [];
    let next = 0;
    let peak = 0;
    for (let step = 0; step < 200_000; step++) {
      if (live.length < 50 && (live.length === 0 || rng.next() < 0.5)) {
        const id = next++;
        book.add(id, rng.next() < 0.5 ? 1 : -1, 100 + rng.int(-20, 20) * 0.01, rng.int(1, 9));
        live.push(id);
      } else {
        const i = rng.int(0, live.length - 1);
        book.delete(live[i]!);
        live[i] = live[live.length - 1]!;
        live.pop();
      }
      peak = Math.max(peak, book.liveOrders);
    }
    const s = book.stats();
    expect(next).toBeGreaterThan(90_000); // a long history of orders...
    expect(peak).toBe(50);
    expect(s.orderCapacity).toBe(64); // ...in a pool sized by the peak of live orders (next power of 2)
    expect(s.levelCapacity).toBeLessThanOrEqual(128); // at most 82 price levels exist at once
    for (const id of live) book.delete(id);
    expect([book.liveOrders, book.bidLevels, book.askLevels]).toEqual([0, 0, 0]);
  });

  it("with sizePolicy 'levels', seeded and resynced, its levels equal an L2Book fed the same events as deltas", () => {
    const rowArb = fc
      .tuple(fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }), fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }), fc.integer({ min: 1, max: 9 }))
      .map(([b, a, k]) =>
        bookFromLevels(
          [...b].sort((x, y) => y - x).map((p) => [p, ((p * k) % 7) + 1] as [number, number]),
          [...a].sort((x, y) => x - y).map((p) => [p, ((p * k) % 5) + 1] as [number, number]),
          { depth: 3 },
        ),
      );
    const stepArb = fc.oneof(
      { arbitrary: opArb(10).map((op) => ({ op, row: null as BookSnapshot | null })), weight: 4 },
      { arbitrary: rowArb.map((row) => ({ op: null as Op | null, row })), weight: 1 },
    );
    fc.assert(
      fc.property(rowArb, fc.array(stepArb, { maxLength: 80 }), fc.boolean(), (seed, steps, sizedDeletes) => {
        const l3 = new L3OrderBook({ sizePolicy: 'levels' });
        const l2 = new L2Book({ depth: 3, capacity: 1000 });
        l3.seedFromBook(seed);
        l2.seedFromBook(seed);
        const where = new Map<number, { side: 1 | -1; price: number }>(); // where each id was last added
        for (const { op, row } of steps) {
          if (row !== null) {
            expect(l3.resyncFrom(row)).toBe(l2.resyncFrom(row));
          } else if (op !== null) {
            if (op.t === 'add' && l3.hasOrder(op.id)) continue; // a duplicate add moves an order: no L2 delta says that
            if (op.t === 'add') where.set(op.id, { side: op.side, price: op.price });
            const at = op.t === 'add' ? op : (where.get(op.id) ?? op);
            const e = ev(op.t, op.id, at.side, at.price, op.t === 'delete' && !sizedDeletes ? l3.orderSize(op.id) || op.size : op.size);
            l3.apply(e);
            l2.update(e);
          }
          for (const side of [1, -1] as const) {
            const l2Levels: Array<[number, number]> = [];
            for (let i = 0; i < l2.heldLevels(side); i++) l2Levels.push([l2.priceAt(side, i), l2.sizeAt(side, i)]);
            expect(sideLevels(l3, side)).toEqual(l2Levels);
          }
        }
        expect(l3.stats().resyncsByReason).toEqual(l2.stats().resyncsByReason);
      }),
    );
  });
});

// ---------------------------------------------------------------- operator contract

type Step = { event: OrderEvent } | { row: BookSnapshot };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc
      .record({
        ts: fc.integer({ min: 0, max: 1000 }),
        kind: fc.constantFrom<OrderEventKind>('add', 'add', 'add', 'cancel', 'delete', 'execute', 'executeHidden', 'halt'),
        orderId: fc.integer({ min: 1, max: 9 }),
        size: fc.integer({ min: 1, max: 6 }),
        price: fc.integer({ min: 1, max: 5 }),
        side: fc.constantFrom(1 as const, -1 as const),
      })
      .map((event) => ({ event })),
    weight: 5,
  },
  {
    arbitrary: fc
      .tuple(fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }), fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }))
      .map(([b, a]) => ({
        row: bookFromLevels(
          [...b].sort((x, y) => y - x).map((p) => [p, p + 1] as [number, number]),
          [...a].sort((x, y) => x - y).map((p) => [p, p + 2] as [number, number]),
          { depth: 2 },
        ),
      })),
    weight: 1,
  },
);

for (const sizePolicy of ['orders', 'levels'] as const) {
  describe(`L3OrderBook (${sizePolicy}): operator contract`, () => {
    const out = createBook(3);
    testOperatorContract(
      `L3OrderBook ${sizePolicy}`,
      () => new L3OrderBook({ sizePolicy }),
      fc.array(stepArb, { maxLength: 40 }),
      (book, step) => {
        const ret = 'event' in step ? book.apply(step.event) : book.resyncFrom(step.row);
        const { orderCapacity: _o, levelCapacity: _l, ...counters } = book.stats();
        const queue: number[] = [];
        for (let id = 1; id <= 9; id++) queue.push(book.queuePosition(id), book.ordersAhead(id));
        return [ret, counters, queue, bookLevels(book.writeSnapshot(out), 'bid'), bookLevels(out, 'ask'), out.ts, book.syntheticOrders];
      },
    );
  });
}
