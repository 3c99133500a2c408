import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookMismatchReason, DEFAULT_L2_BOOK_OPTIONS, L2Book } from '../../src/book/l2-book.js';
import { bookFromLevels, bookLevels, copyBook, createBook } from '../../src/core/book.js';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import type { OrderEvent, OrderEventKind } from '../../src/core/events.js';
import { readLobster } from '../../src/replay/lobster.js';
import { testOperatorContract } from '../support/contract.js';
import { devDay, hasSharedData, loadReference, skipReason } from '../support/shared-data.js';

const levels = (book: L2Book, side: 1 | -1): Array<[number, number]> => {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < book.heldLevels(side); i++) out.push([book.priceAt(side, i), book.sizeAt(side, i)]);
  return out;
};

const ev = (kind: OrderEventKind, side: 1 | -1, price: number, size: number, orderId = 1, ts = 0): OrderEvent => ({ ts, kind, orderId, size, price, side });

describe('L2Book: worked examples', () => {
  it('runs the docstring example: deltas, a new best bid and a caller-owned snapshot', () => {
    const book = new L2Book({ depth: 2 });
    expect(book.set(1, 579.4, 496)).toBe(496);
    expect(book.set(-1, 580.23, 100)).toBe(100);
    expect(book.applyDelta(1, 579.4, -300)).toBe(196); // 496 - 300
    expect(book.applyDelta(1, 579.5, 10)).toBe(10);
    expect(book.bestBid()).toBe(579.5);
    expect(book.bestAsk()).toBe(580.23);
    const out = createBook(2);
    expect(book.writeSnapshot(out)).toBe(out);
    expect(bookLevels(out, 'bid')).toEqual([[579.5, 10], [579.4, 196]]);
    expect(bookLevels(out, 'ask')).toEqual([[580.23, 100]]);
    expect(out.askPx[1]).toBeNaN();
    expect(out.askSz[1]).toBe(0);
  });

  it('keeps bids descending and asks ascending whatever the insertion order', () => {
    const book = new L2Book({ depth: 5 });
    for (const p of [10, 12, 11, 9]) book.set(1, p, p);
    for (const p of [21, 20, 23, 22]) book.set(-1, p, p);
    expect(levels(book, 1)).toEqual([[12, 12], [11, 11], [10, 10], [9, 9]]);
    expect(levels(book, -1)).toEqual([[20, 20], [21, 21], [22, 22], [23, 23]]);
    expect([book.bidLevels, book.askLevels]).toEqual([4, 4]);
    expect(book.levelSize(1, 11)).toBe(11);
    expect(book.levelSize(1, 11.5)).toBe(0);
  });

  it('removes a level set to 0 or brought to 0, and counts overdrawn and missing-level deltas', () => {
    const book = new L2Book({ depth: 3 });
    book.set(1, 10, 5);
    book.set(1, 9, 4);
    expect(book.set(1, 10, 0)).toBe(0);
    expect(levels(book, 1)).toEqual([[9, 4]]);
    expect(book.applyDelta(1, 9, -4)).toBe(0); // exactly emptied: removed, not overdrawn
    expect(book.heldLevels(1)).toBe(0);
    book.set(1, 9, 4);
    expect(book.applyDelta(1, 9, -6)).toBe(0); // 4 - 6 < 0: removed, overdrawn
    expect(book.applyDelta(1, 8, -1)).toBe(0); // no level at 8: ignored
    expect(book.set(1, 8, 0)).toBe(0); // removing a missing level is a no-op
    const s = book.stats();
    expect(s.overdrawn).toBe(1);
    expect(s.missingLevelDeltas).toBe(1);
    expect(book.heldLevels(1)).toBe(0);
    expect(book.bestBid()).toBeNaN();
  });

  it('drops levels beyond its capacity and counts them', () => {
    const book = new L2Book({ depth: 2 });
    book.set(-1, 10, 1);
    book.set(-1, 11, 1);
    expect(book.set(-1, 12, 1)).toBe(0); // beyond capacity 2: dropped
    book.set(-1, 9, 1); // a better level pushes 11 out
    expect(levels(book, -1)).toEqual([[9, 1], [10, 1]]);
    expect(book.stats().droppedLevels).toBe(2);
  });

  it('retains levels past depth up to capacity but reports only depth levels', () => {
    const book = new L2Book({ depth: 2, capacity: 4 });
    for (const p of [1, 2, 3, 4]) book.set(1, p, 10 * p);
    expect(book.bidLevels).toBe(2);
    expect(book.heldLevels(1)).toBe(4);
    const out = createBook(3);
    book.writeSnapshot(out);
    expect(bookLevels(out, 'bid')).toEqual([[4, 40], [3, 30]]);
    book.applyDelta(1, 4, -40);
    book.writeSnapshot(out);
    expect(bookLevels(out, 'bid')).toEqual([[3, 30], [2, 20]]); // level 2 known although it was past depth
  });

  it('applies L3 events as L2 deltas: add +size, cancel/delete/execute -size, hidden/cross/halt nothing', () => {
    const book = new L2Book({ depth: 3 });
    expect(book.update(ev('add', 1, 10, 7, 1, 5))).toBe(7);
    expect(book.update(ev('add', 1, 10, 3))).toBe(10);
    expect(book.update(ev('cancel', 1, 10, 2))).toBe(8);
    expect(book.update(ev('execute', 1, 10, 3))).toBe(5);
    expect(book.update(ev('executeHidden', 1, 10, 100))).toBe(0);
    expect(book.update(ev('cross', -1, 10, 100))).toBe(0);
    expect(book.update(ev('halt', -1, -1, 0))).toBe(0);
    expect(book.update(ev('delete', 1, 10, 5))).toBe(0);
    expect(book.heldLevels(1)).toBe(0);
    expect(book.stats().passiveEvents).toBe(3);
    const out = createBook(3);
    book.writeSnapshot(out);
    expect(out.ts).toBe(0); // ts of the last event (the delete, ts 0)
  });
});

describe('L2Book: bad input and options', () => {
  it('rejects bad options with InvalidOptionError', () => {
    expect(() => new L2Book({ depth: 0 })).toThrow(InvalidOptionError);
    expect(() => new L2Book({ depth: 2.5 })).toThrow(InvalidOptionError);
    expect(() => new L2Book({ depth: 5, capacity: 4 })).toThrow(/capacity/);
    expect(() => new L2Book({ deep: 3 } as never)).toThrow(InvalidOptionError);
    expect(DEFAULT_L2_BOOK_OPTIONS.depth).toBe(10);
    expect(new L2Book().capacity).toBe(10);
  });

  it('throws InvalidInputError for non-finite prices and sizes, negative sizes, bad sides and kinds', () => {
    const book = new L2Book();
    expect(() => book.set(1, NaN, 1)).toThrow(InvalidInputError);
    expect(() => book.set(1, 10, -1)).toThrow(/size/);
    expect(() => book.set(1, 10, Infinity)).toThrow(InvalidInputError);
    expect(() => book.set(0 as never, 10, 1)).toThrow(/side/);
    expect(() => book.applyDelta(1, 10, NaN)).toThrow(/delta/);
    expect(() => book.applyDelta(1, Infinity, 1)).toThrow(/price/);
    expect(() => book.update(ev('add', 1, NaN, 1, 42))).toThrow(/order 42/);
    expect(() => book.update(ev('add', 1, 10, -1, 42))).toThrow(/size/);
    expect(() => book.update(ev('replace' as never, 1, 10, 1, 42))).toThrow(/kind/);
    expect(book.heldLevels(1)).toBe(0);
  });
});

describe('L2Book: seeding and resync', () => {
  it('a one-step book (capacity = depth) misses a level entering from beyond depth', () => {
    const book = new L2Book({ depth: 3 });
    book.seedFromBook(bookFromLevels([[10, 5], [9, 4], [8, 3]], [[11, 1]], { depth: 3 }));
    book.applyDelta(1, 9, -4);
    const row = bookFromLevels([[10, 5], [8, 3], [7, 2]], [[11, 1]], { depth: 3 });
    expect(book.resyncFrom(row)).toBe(1); // 7 x 2 inserted
    expect(book.stats().resyncsByReason.entersFromBeyondDepth).toBe(1);
    expect(levels(book, 1)).toEqual([[10, 5], [8, 3], [7, 2]]);
  });

  it('a book retaining deep levels reproduces that row, and resyncs keep levels past the row depth', () => {
    const book = new L2Book({ depth: 3, capacity: 10 });
    book.seedFromBook(bookFromLevels([[10, 5], [9, 4], [8, 3], [7, 2], [6, 1]], [[11, 1], [12, 2], [13, 3]]));
    const out = createBook(3);
    expect(bookLevels(book.writeSnapshot(out), 'bid')).toEqual([[10, 5], [9, 4], [8, 3]]);
    expect(book.resyncFrom(bookFromLevels([[10, 5], [9, 4], [8, 3]], [[11, 1], [12, 2], [13, 3]]))).toBe(0);
    book.applyDelta(1, 9, -4);
    const asks = [[11, 1], [12, 2], [13, 3]] as const;
    expect(book.resyncFrom(bookFromLevels([[10, 5], [8, 3], [7, 2]], asks))).toBe(0); // 7 was retained

    // a level 7.5 appears between the visible ones and the retained 7: 'other' (not a prefix)
    expect(book.resyncFrom(bookFromLevels([[10, 5], [8, 3], [7.5, 9]], asks))).toBe(1);
    expect(levels(book, 1)).toEqual([[10, 5], [8, 3], [7.5, 9], [7, 2], [6, 1]]); // 7 and 6 kept (beyond 7.5)

    // same prices, one size differs
    expect(book.resyncFrom(bookFromLevels([[10, 6], [8, 3], [7.5, 9]], asks))).toBe(1);

    // a delta at a price the book lacks flags the next mismatch
    book.applyDelta(1, 9.5, -1);
    expect(book.resyncFrom(bookFromLevels([[10, 6], [8, 3], [7, 2]], asks))).toBe(1); // 7.5 removed
    expect(levels(book, 1)).toEqual([[10, 6], [8, 3], [7, 2], [6, 1]]);

    // a row showing fewer levels than its depth replaces the whole side
    expect(book.resyncFrom(bookFromLevels([[10, 6]], asks, { depth: 3 }))).toBe(3); // 8, 7, 6 removed
    expect(levels(book, 1)).toEqual([[10, 6]]);

    const s = book.stats();
    expect(s.resyncs).toBe(4);
    expect(s.resyncsByReason).toEqual({ entersFromBeyondDepth: 0, priceMissing: 1, sizeMismatch: 1, other: 2 });
    expect(s.levelsCorrected).toBe(1 + 1 + 1 + 3);
  });

  it('bookMismatchReason classifies a difference in the documented order', () => {
    const a = bookFromLevels([[10, 5]], [[11, 2]], { depth: 2 });
    expect(bookMismatchReason(a, bookFromLevels([[10, 5]], [[11, 2]], { depth: 2 }), true)).toBeNull();
    expect(bookMismatchReason(a, bookFromLevels([[10, 5], [9, 7]], [[11, 2]]), true)).toBe('entersFromBeyondDepth');
    expect(bookMismatchReason(a, bookFromLevels([[10, 4]], [[11, 2]]), true)).toBe('priceMissing');
    expect(bookMismatchReason(a, bookFromLevels([[10, 4]], [[11, 2]]), false)).toBe('sizeMismatch');
    expect(bookMismatchReason(a, bookFromLevels([[10, 5]], [[11.5, 2]]), false)).toBe('other');
    expect(bookMismatchReason(bookFromLevels([[10, 5], [9, 1]], [[11, 2]]), a, false)).toBe('other'); // predicted has more levels
  });
});

type Op = { t: 'set'; side: 1 | -1; price: number; size: number } | { t: 'delta'; side: 1 | -1; price: number; delta: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('set' as const), side: fc.constantFrom(1 as const, -1 as const), price: fc.integer({ min: 1, max: 12 }), size: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ t: fc.constant('delta' as const), side: fc.constantFrom(1 as const, -1 as const), price: fc.integer({ min: 1, max: 12 }), delta: fc.integer({ min: -6, max: 6 }) }),
);

/** The naive model: a Map per side, sorted on demand, truncated to the best `capacity` levels. */
class L2Model {
  readonly sides = new Map<number, Map<number, number>>([[1, new Map()], [-1, new Map()]]);
  dropped = 0;
  overdrawn = 0;
  missing = 0;
  constructor(readonly capacity: number) {}
  apply(op: Op): void {
    const m = this.sides.get(op.side)!;
    if (op.t === 'set') {
      if (op.size === 0) m.delete(op.price);
      else m.set(op.price, op.size);
    } else if (m.has(op.price)) {
      const s = m.get(op.price)! + op.delta;
      if (s > 0) m.set(op.price, s);
      else {
        if (s < 0) this.overdrawn++;
        m.delete(op.price);
      }
    } else if (op.delta > 0) m.set(op.price, op.delta);
    else if (op.delta < 0) this.missing++;
    const sorted = this.levels(op.side);
    for (const [p] of sorted.slice(this.capacity)) {
      m.delete(p);
      this.dropped++;
    }
  }
  levels(side: 1 | -1): Array<[number, number]> {
    return [...this.sides.get(side)!.entries()].sort((a, b) => side * (b[0] - a[0]));
  }
}

describe('L2Book: properties against a sorted-map model', () => {
  it('holds the same levels and counts as the model after every step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 4 }), fc.array(opArb, { maxLength: 80 }), (depth, extra, ops) => {
        const book = new L2Book({ depth, capacity: depth + extra });
        const model = new L2Model(depth + extra);
        const out = createBook(depth);
        for (const op of ops) {
          const ret = op.t === 'set' ? book.set(op.side, op.price, op.size) : book.applyDelta(op.side, op.price, op.delta);
          model.apply(op);
          expect(ret).toBe(model.sides.get(op.side)!.get(op.price) ?? 0);
          expect(levels(book, 1)).toEqual(model.levels(1));
          expect(levels(book, -1)).toEqual(model.levels(-1));
          book.writeSnapshot(out);
          expect(bookLevels(out, 'bid')).toEqual(model.levels(1).slice(0, depth));
          expect(bookLevels(out, 'ask')).toEqual(model.levels(-1).slice(0, depth));
        }
        const s = book.stats();
        expect([s.droppedLevels, s.overdrawn, s.missingLevelDeltas]).toEqual([model.dropped, model.overdrawn, model.missing]);
      }),
    );
  });

  it('resyncFrom makes the best L levels equal the row and keeps the held levels worse than its last price', () => {
    const side = fc.uniqueArray(fc.integer({ min: 1, max: 20 }), { maxLength: 6 });
    fc.assert(
      fc.property(side, side, side, side, fc.integer({ min: 1, max: 4 }), (heldBids, heldAsks, rowBids, rowAsks, depth) => {
        const mk = (ps: number[], s: 1 | -1, n: number): Array<[number, number]> =>
          [...ps].sort((a, b) => s * (b - a)).slice(0, n).map((p) => [p, (p % 3) + 1] as [number, number]);
        const book = new L2Book({ depth, capacity: 20 });
        book.seedFromBook(bookFromLevels(mk(heldBids, 1, 20), mk(heldAsks, -1, 20)));
        const row = bookFromLevels(mk(rowBids, 1, depth), mk(rowAsks, -1, depth), { depth });
        const before = [levels(book, 1), levels(book, -1)];
        book.resyncFrom(row);
        const out = createBook(depth);
        book.writeSnapshot(out);
        expect(bookLevels(out, 'bid')).toEqual(bookLevels(row, 'bid'));
        expect(bookLevels(out, 'ask')).toEqual(bookLevels(row, 'ask'));
        for (const [s, i] of [[1, 0], [-1, 1]] as const) {
          const rowLevels = bookLevels(row, s === 1 ? 'bid' : 'ask');
          const last = rowLevels.length === depth ? rowLevels[depth - 1]![0] : undefined;
          const keptDeep = before[i]!.filter(([p]) => last !== undefined && s * p < s * last);
          expect(levels(book, s)).toEqual([...rowLevels, ...keptDeep]);
        }
        expect(book.resyncFrom(row)).toBe(0); // a second resync finds nothing to do
      }),
    );
  });
});

const eventArb: fc.Arbitrary<OrderEvent> = fc.record({
  ts: fc.integer({ min: 0, max: 1000 }),
  kind: fc.constantFrom<OrderEventKind>('add', 'add', 'cancel', 'delete', 'execute', 'executeHidden', 'cross', 'halt'),
  orderId: fc.integer({ min: 1, max: 9 }),
  size: fc.integer({ min: 1, max: 6 }),
  price: fc.integer({ min: 1, max: 8 }),
  side: fc.constantFrom(1 as const, -1 as const),
});

describe('L2Book: operator contract', () => {
  const out = createBook(3);
  testOperatorContract(
    'L2Book',
    () => new L2Book({ depth: 3, capacity: 5 }),
    fc.array(eventArb, { maxLength: 40 }),
    (book, e) => [book.update(e), book.stats(), ...bookLevels(book.writeSnapshot(out), 'bid'), ...bookLevels(out, 'ask'), out.ts],
  );

  it('restore rejects another operator state or more levels than the capacity', () => {
    const book = new L2Book({ depth: 2 });
    expect(() => book.restore({ type: 'Ewma', version: 1 } as never)).toThrow(InvalidStateError);
    const big = new L2Book({ depth: 3 });
    for (const p of [1, 2, 3]) big.set(1, p, 1);
    expect(() => book.restore(big.snapshot())).toThrow(/capacity/);
    expect(() => book.restore({ ...book.snapshot(), stats: null } as never)).toThrow(/stats/);
  });
});

describe.skipIf(!hasSharedData)(`L2Book on the dev day ${skipReason}`, () => {
  it('reproduces the reference book_consistency counts: one-step and sequential with deep levels retained', async () => {
    const ref = loadReference(devDay.reference).book_consistency;
    const oneStep = new L2Book({ depth: 10 });
    const sequential = new L2Book({ depth: 10, capacity: 100_000 });
    const prev = createBook(10);
    const out = createBook(10);
    let compared = 0;
    let oneStepMatched = 0;
    let oneStepLevel1 = 0;
    let sequentialMatched = 0;
    for await (const row of readLobster(devDay.message)) {
      if (row.index === 0) {
        sequential.seedFromBook(row.book);
      } else {
        compared++;
        // one step: row n-1's visible levels, message n as an L2 delta, compare with row n
        oneStep.seedFromBook(prev);
        oneStep.update(row.order);
        oneStep.writeSnapshot(out);
        const reason = bookMismatchReason(out, row.book, false);
        if (reason === null) oneStepMatched++;
        if (out.bidPx[0] === row.book.bidPx[0] && out.bidSz[0] === row.book.bidSz[0] && out.askPx[0] === row.book.askPx[0] && out.askSz[0] === row.book.askSz[0]) oneStepLevel1++;
        sequential.update(row.order);
        if (sequential.resyncFrom(row.book) === 0) sequentialMatched++;
      }
      copyBook(row.book, prev);
    }
    expect(compared).toBe(ref.one_step.compared);
    expect(oneStepMatched).toBe(ref.one_step.matched);
    expect(oneStepLevel1).toBe(ref.one_step.matched_level1);
    expect(sequentialMatched).toBe(ref.sequential_retain_deep_levels.matched);
    const reasons = sequential.stats().resyncsByReason;
    const refReasons = ref.sequential_retain_deep_levels.reasons;
    expect(reasons).toEqual({
      entersFromBeyondDepth: refReasons.enters_from_beyond_depth ?? 0,
      priceMissing: refReasons.delta_at_price_not_in_book ?? 0,
      sizeMismatch: refReasons.size_mismatch ?? 0,
      other: refReasons.other ?? 0,
    });
  });
});
