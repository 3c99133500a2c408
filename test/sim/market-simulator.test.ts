import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L3OrderBook } from '../../src/book/l3-order-book.js';
import { BookValidator } from '../../src/book/validator.js';
import { booksEqual, createBook } from '../../src/core/book.js';
import { InvalidInputError, InvalidOptionError } from '../../src/core/errors.js';
import type { MarketEvent } from '../../src/core/events.js';
import { DEFAULT_MARKET_SIMULATOR_OPTIONS, DEFAULT_REDUCED_FORM_OPTIONS, MarketSimulator } from '../../src/sim/market-simulator.js';
import { checkSession, collect, fingerprint, midOf, steps } from './helpers.js';

describe('MarketSimulator: options', () => {
  it('has frozen defaults', () => {
    expect(Object.isFrozen(DEFAULT_MARKET_SIMULATOR_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_REDUCED_FORM_OPTIONS)).toBe(true);
    const sim = new MarketSimulator();
    expect([sim.seed, sim.symbol, sim.model, sim.tickSize, sim.startMs, sim.depth, sim.snapshotEvery]).toEqual([
      1,
      'SIM',
      'zero-intelligence',
      0.01,
      34_200_000,
      10,
      'event',
    ]);
    // the largest background market order: 8 x the median of 100 shares
    expect(sim.maxMarketSize).toBe(800);
  });

  it('rejects bad options with a typed error naming the option', () => {
    const bad: Array<[object, RegExp]> = [
      [{ seed: 1.5 }, /seed/],
      [{ tickSize: 0 }, /tickSize/],
      [{ startPrice: 0.1 }, /startPrice/],
      [{ depth: 0 }, /depth/],
      [{ snapshotEvery: 'sometimes' }, /snapshotEvery/],
      [{ snapshotEvery: -5 }, /snapshotEvery/],
      [{ limitRate: -1 }, /limitRate/],
      [{ partialCancelShare: 2 }, /partialCancelShare/],
      [{ maxSizeMultiple: 0.5 }, /maxSizeMultiple/],
      [{ lookAlikes: 1 }, /lookAlikes/],
      [{ model: 'agent-based' }, /model/],
      [{ symbol: '' }, /symbol/],
      [{ reducedForm: { lambda: -1 } }, /lambda/],
      [{ reducedForm: { speed: 1 } }, /speed/],
      [{ scenarios: 'spoofing' }, /scenarios/],
      [{ scenarios: ['teleport'] }, /scenarios\[0\]\.kind/],
      [{ model: 'reduced-form', scenarios: ['spoofing'] }, /reduced-form/],
      [{ snapshotEvery: 'none', scenarios: ['corrupt-data'] }, /snapshotEvery/],
      [{ bogus: true }, /bogus/],
    ];
    for (const [options, message] of bad) {
      expect(() => new MarketSimulator(options as never), JSON.stringify(options)).toThrow(InvalidOptionError);
      expect(() => new MarketSimulator(options as never)).toThrow(message);
    }
    expect(() => new MarketSimulator().events(-1)).toThrow(InvalidInputError);
    expect(() => new MarketSimulator().stream({ eventsPerSecond: 0 })).toThrow(InvalidOptionError);
  });
});

describe('MarketSimulator: zero-intelligence sessions', () => {
  it('starts with the initial book as add messages at startMs, two orders on each of the 10 ticks a side', () => {
    const sim = new MarketSimulator({ seed: 3 });
    const first = steps(collect(sim, 0));
    // ts 0 ms into the session: only the initial book (2 orders x 10 ticks x 2 sides)
    expect(first.length).toBe(40);
    expect(first.every((s) => s.order.kind === 'add' && s.order.ts === 34_200_000)).toBe(true);
    const book = first[first.length - 1]!.book!;
    // bids at 99.99 .. 99.90, asks at 100.01 .. 100.10: mid = the start price
    expect([book.bidPx[0], book.askPx[0], book.bidPx[9], book.askPx[9]]).toEqual([99.99, 100.01, 99.9, 100.1]);
    expect(midOf(book)).toBe(100);
  });

  it('keeps its invariants against an independently rebuilt L3 book, and every book passes the validator', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const sim = new MarketSimulator({ seed });
        const events = collect(sim, 60_000);
        checkSession(events, 10, 0.01);
        const v = new BookValidator();
        for (const e of events) if (e.type === 'book') expect(v.validate(e.book)).toBe(0);
        // the simulator's own book is the rebuilt one
        const last = [...events].reverse().find((e) => e.type === 'book')!;
        expect(booksEqual(sim.book.writeSnapshot(createBook(10)), (last as { book: import('../../src/core/events.js').BookSnapshot }).book)).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('is deterministic: the same seed and options give the same events, other seeds differ', () => {
    const a = fingerprint(new MarketSimulator({ seed: 42 }).events(30_000));
    const b = fingerprint(new MarketSimulator({ seed: 42 }).events(30_000));
    const c = fingerprint(new MarketSimulator({ seed: 43 }).events(30_000));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a.length).toBeGreaterThan(10_000);
  });

  it('continues where it stopped: events(a) then events(b) give the events of events(a + b)', () => {
    const whole = new MarketSimulator({ seed: 5, scenarios: ['spoofing'] });
    const parts = new MarketSimulator({ seed: 5, scenarios: ['spoofing'] });
    const one = fingerprint(whole.events(70_000));
    const split: MarketEvent[] = [];
    for (const ms of [10_000, 0, 35_000, 25_000]) split.push(...collect(parts, ms));
    expect(fingerprint(split)).toBe(one);
    expect(parts.now).toBe(whole.now);
    expect(parts.now).toBe(34_270_000);
  });

  it('breaking out of a loop keeps the rest for the next call', () => {
    const a = new MarketSimulator({ seed: 9 });
    const b = new MarketSimulator({ seed: 9 });
    const head: MarketEvent[] = [];
    let n = 0;
    for (const e of a.events(20_000)) {
      head.push(...collect({ events: () => [e][Symbol.iterator]() } as never, 0));
      if (++n === 101) break;
    }
    const rest = collect(a, 20_000 - (a.now - a.startMs));
    expect(fingerprint([...head, ...rest])).toBe(fingerprint(b.events(20_000)));
  });

  it('emits trades with the true aggressor side and the aggressor order id', () => {
    const sim = new MarketSimulator({ seed: 2 });
    const s = steps(collect(sim, 60_000));
    const execs = s.filter((x) => x.order.kind === 'execute');
    expect(execs.length).toBeGreaterThan(50);
    // a bid (side +1) executed is a seller-initiated trade
    expect(execs.every((x) => x.trade!.side === -x.order.side)).toBe(true);
    // aggressor ids are fresh ids, never the resting order's
    expect(execs.every((x) => x.trade!.id !== x.order.orderId && Number.isInteger(x.trade!.id))).toBe(true);
    const kinds = new Set(s.map((x) => x.order.kind));
    expect([...kinds].sort()).toEqual(['add', 'cancel', 'delete', 'execute']);
  });

  it('counts what it emitted', () => {
    const sim = new MarketSimulator({ seed: 4 });
    const events = collect(sim, 30_000);
    const st = sim.stats();
    const by = (t: string) => events.filter((e) => e.type === t).length;
    expect(st.events).toEqual({ order: by('order'), trade: by('trade'), book: by('book') });
    expect(st.messages.add + st.messages.cancel + st.messages.delete + st.messages.execute).toBe(st.events.order);
    expect(st.messages.execute).toBe(st.events.trade);
    expect(sim.messages).toBe(st.events.order);
    expect(st.volume).toBe(events.reduce((a, e) => a + (e.type === 'trade' ? e.trade.size : 0), 0));
    expect(st.now).toBe(34_230_000);
    expect(st.liveOrders).toBe(sim.book.liveOrders);
  });
});

describe('MarketSimulator: snapshots', () => {
  it("snapshotEvery: a number emits the book on a fixed grid from startMs, as of all events up to each grid time", () => {
    const sim = new MarketSimulator({ seed: 6, snapshotEvery: 1000 });
    const events = collect(sim, 10_000);
    const books = events.filter((e) => e.type === 'book');
    expect(books.map((e) => (e as { book: { ts: number } }).book.ts)).toEqual(Array.from({ length: 11 }, (_, k) => 34_200_000 + 1000 * k));
    const rebuilt = new L3OrderBook();
    const scratch = createBook(10);
    for (const e of events) {
      if (e.type === 'order') {
        expect(e.order.ts).toBeLessThanOrEqual(34_210_000);
        rebuilt.apply(e.order);
      } else if (e.type === 'book') {
        expect(booksEqual(rebuilt.writeSnapshot(scratch), e.book)).toBe(true);
      }
    }
  });

  it("snapshotEvery: 'none' emits orders and trades only, the same ones", () => {
    const plain = collect(new MarketSimulator({ seed: 6 }), 20_000).filter((e) => e.type !== 'book');
    const none = collect(new MarketSimulator({ seed: 6, snapshotEvery: 'none' }), 20_000);
    expect(fingerprint(none)).toBe(fingerprint(plain));
  });

  it('writes snapshots of the configured depth', () => {
    const sim = new MarketSimulator({ seed: 1, depth: 3 });
    const books = collect(sim, 5_000).filter((e) => e.type === 'book');
    expect(books.every((e) => (e as { book: { bidPx: Float64Array } }).book.bidPx.length === 3)).toBe(true);
  });
});

describe('MarketSimulator: iteration', () => {
  it('the async stream gives the same events as the sync iterator, paced or not', async () => {
    const sync = fingerprint(new MarketSimulator({ seed: 8 }).events(3_000));
    const out: MarketEvent[] = [];
    for await (const e of new MarketSimulator({ seed: 8 }).stream({ durationMs: 3_000 })) out.push(...collect({ events: () => [e][Symbol.iterator]() } as never, 0));
    expect(fingerprint(out)).toBe(sync);
    const paced: MarketEvent[] = [];
    for await (const e of new MarketSimulator({ seed: 8 }).stream({ durationMs: 300, eventsPerSecond: 20_000 })) paced.push(...collect({ events: () => [e][Symbol.iterator]() } as never, 0));
    expect(fingerprint(paced)).toBe(fingerprint(new MarketSimulator({ seed: 8 }).events(300)));
  });

  it('is iterable (endless) sync and async: break out of it', async () => {
    const sim = new MarketSimulator({ seed: 8 });
    let n = 0;
    for (const _ of sim) if (++n === 50) break;
    expect(n).toBe(50);
    let m = 0;
    for await (const _ of sim) if (++m === 50) break;
    expect(m).toBe(50);
  });

  it('run(ms) advances the simulator and returns the number of events', () => {
    const a = new MarketSimulator({ seed: 10 });
    const b = new MarketSimulator({ seed: 10 });
    expect(a.run(15_000)).toBe(collect(b, 15_000).length);
    expect(fingerprint(a.events(5_000))).toBe(fingerprint(b.events(5_000)));
  });
});

describe('MarketSimulator: interactive trading', () => {
  function warm(seed: number): MarketSimulator {
    const sim = new MarketSimulator({ seed, lookAlikes: false });
    sim.run(60_000);
    return sim;
  }

  it('a market buy walks the asks from the touch; its fills come back and appear as execute messages with its id', () => {
    const sim = warm(11);
    const before = sim.book.writeSnapshot(createBook(10));
    const askDepth3 = before.askSz[0]! + before.askSz[1]! + before.askSz[2]!;
    const size = Math.min(askDepth3, before.askSz[0]! + before.askSz[1]! + 1);
    const r = sim.submit({ type: 'market', side: 'buy', size });
    expect(r.filled).toBe(size);
    expect(r.fills.reduce((a, f) => a + f.size, 0)).toBe(size);
    expect(r.resting).toBe(0);
    // prices from the best ask up, never down
    expect(r.fills[0]!.price).toBe(before.askPx[0]);
    for (let i = 1; i < r.fills.length; i++) expect(r.fills[i]!.price).toBeGreaterThanOrEqual(r.fills[i - 1]!.price);
    expect(r.fills[r.fills.length - 1]!.price).toBe(before.askPx[2]);
    // the messages come next, before any simulated event, at the clock
    const next = steps(collect(sim, 0));
    expect(next.length).toBe(r.fills.length);
    next.forEach((s, i) => {
      expect(s.order).toMatchObject({ kind: 'execute', ts: sim.now, side: -1, size: r.fills[i]!.size, price: r.fills[i]!.price, orderId: r.fills[i]!.restingId });
      expect(s.trade).toMatchObject({ side: 1, id: r.id });
    });
    // the impact: two levels consumed, the best ask is now the third level
    const after = next[next.length - 1]!.book!;
    expect(after.askPx[0]).toBe(before.askPx[2]);
    expect(midOf(after)).toBeGreaterThan(midOf(before));
  });

  it('price impact arises from the book: a larger market order moves the mid at least as much', () => {
    for (const seed of [12, 13, 14]) {
      const moves = [100, 600, 2000].map((size) => {
        const sim = warm(seed);
        const m0 = midOf(sim.book.writeSnapshot(createBook(10)));
        sim.submit({ type: 'market', side: 1, size });
        sim.run(0);
        return midOf(sim.book.writeSnapshot(createBook(10))) - m0;
      });
      expect(moves[0]!).toBeGreaterThanOrEqual(0);
      expect(moves[1]!).toBeGreaterThanOrEqual(moves[0]!);
      expect(moves[2]!).toBeGreaterThan(moves[1]!);
    }
  });

  it('a limit order rests and can be cancelled; a marketable one trades up to its price and rests the rest', () => {
    const sim = warm(15);
    const book = sim.book.writeSnapshot(createBook(10));
    const bid = book.bidPx[0]!;
    const r = sim.submit({ type: 'limit', side: 1, size: 250, price: Math.round((bid - 0.05) * 100) / 100 });
    expect([r.filled, r.resting, r.fills]).toEqual([0, 250, []]);
    expect(sim.order(r.id)).toEqual({ side: 1, price: Math.round((bid - 0.05) * 100) / 100, size: 250, owner: 'user' });
    const added = steps(collect(sim, 0));
    expect(added.map((s) => s.order)).toEqual([{ ts: sim.now, kind: 'add', orderId: r.id, size: 250, price: Math.round((bid - 0.05) * 100) / 100, side: 1 }]);
    expect(sim.cancel(r.id)).toBe(true);
    expect(sim.cancel(r.id)).toBe(false);
    expect(sim.order(r.id)).toBeNull();
    expect(steps(collect(sim, 0)).map((s) => [s.order.kind, s.order.orderId, s.order.size])).toEqual([['delete', r.id, 250]]);
    // someone else's order cannot be cancelled
    const other = sim.book.writeSnapshot(createBook(10));
    expect(other.bidLevels).toBeGreaterThan(0);
    expect(sim.cancel(1)).toBe(false);

    const now = sim.book.writeSnapshot(createBook(10));
    const limit = Math.round((now.askPx[0]! + 0.01) * 100) / 100;
    const available = now.askSz[0]! + (now.askPx[1] === limit ? now.askSz[1]! : 0);
    const m = sim.submit({ type: 'limit', side: 'buy', size: available + 77, price: limit });
    expect(m.filled).toBe(available);
    expect(m.resting).toBe(77);
    expect(m.fills.every((f) => f.price <= limit)).toBe(true);
    collect(sim, 0);
    const after = sim.book.writeSnapshot(createBook(10));
    expect([after.bidPx[0], after.bidSz[0]]).toEqual([limit, 77]);
    expect(after.askPx[0]!).toBeGreaterThan(limit);
  });

  it('rejects malformed orders with a typed error', () => {
    const sim = warm(16);
    const bad: Array<[unknown, RegExp]> = [
      [null, /order/],
      [{ type: 'market', side: 2, size: 1 }, /side/],
      [{ type: 'market', side: 1, size: 0 }, /size/],
      [{ type: 'market', side: 1, size: 1.5 }, /size/],
      [{ type: 'stop', side: 1, size: 1 }, /type/],
      [{ type: 'limit', side: 1, size: 1 }, /price/],
      [{ type: 'limit', side: 1, size: 1, price: 100.005 }, /tick/],
      [{ type: 'market', side: 1, size: 1, price: 100 }, /price/],
    ];
    for (const [order, message] of bad) {
      expect(() => sim.submit(order as never)).toThrow(InvalidInputError);
      expect(() => sim.submit(order as never)).toThrow(message);
    }
  });
});
