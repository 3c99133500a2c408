import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels } from '../../src/core/book.js';
import type { BookSnapshot, MarketEvent } from '../../src/core/events.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import { BookIssue } from '../../src/book/validator.js';
import { Engine } from '../../src/engine/engine.js';
import { EngineRouter } from '../../src/engine/router.js';
import { syntheticSession } from '../../src/sim/synthetic-books.js';
import { testOperatorContract } from '../support/contract.js';

// Dev day rows 0 and 1 (tiny/): bid 579.40 x 496 then x 196, ask 580.23 x 100.
const row0 = () => bookFromLevels([[579.4, 496]], [[580.23, 100]], { ts: 34200015.105074 });
const row1 = () => bookFromLevels([[579.4, 196]], [[580.23, 100]], { ts: 34200015.205 });

describe('Engine', () => {
  it('computes the features of the dev day first two rows as worked out by hand', () => {
    const engine = new Engine({ symbol: 'GOOG' });
    const f0 = { ...engine.onBook(row0())! };
    expect(f0).toMatchObject({ symbol: 'GOOG', seq: 1, ts: 34200015.105074, issues: 0 });
    expect(f0.spread).toBeCloseTo(0.83, 12); // 580.23 - 579.40
    expect(f0.mid).toBe(579.815); // (579.40 + 580.23) / 2
    expect(f0.microprice).toBeCloseTo(580.0907382550336, 10); // (579.40*100 + 580.23*496) / 596
    expect(f0.obi).toBeCloseTo(0.6644295302013423, 15); // (496 - 100) / 596
    expect(f0.ofi).toBe(0); // first book: e_0 = 0
    expect(f0.bidDepth).toBe(496);
    expect(f0.askDepth).toBe(100);
    expect(f0.spreadZ).toBeNaN(); // no baseline yet
    const f1 = engine.onBook(row1())!;
    expect(f1.ofi).toBe(-300); // bid queue shrank by 300 at an unchanged price
    expect(f1.ofiSum).toBe(-300);
    expect(f1.obi).toBeCloseTo(0.3243243243243243, 15); // 96 / 296
    expect(engine.stats()).toMatchObject({ books: 2, flaggedBooks: 0, rejectedBooks: 0 });
  });

  it('flags a crossed book in validate mode and drops it in sanitize mode', () => {
    const crossed = () => bookFromLevels([[101, 1]], [[100, 1]], { ts: 1 });
    const validating = new Engine();
    expect(validating.onBook(crossed())!.issues & BookIssue.Crossed).toBe(BookIssue.Crossed);
    expect(validating.stats().flaggedBooks).toBe(1);
    const sanitizing = new Engine({ validation: 'sanitize' });
    expect(sanitizing.onBook(crossed())).toBeNull();
    expect(sanitizing.stats()).toMatchObject({ books: 0, rejectedBooks: 1 });
    const off = new Engine({ validation: 'off' });
    expect(off.onBook(crossed())!.issues).toBe(0);
  });

  it('keeps a bad-data book away from its stateful models: OFI continues from the last clean book', () => {
    const engine = new Engine({ regime: {} });
    engine.onBook(bookFromLevels([[100, 5]], [[101, 5]], { ts: 1 }));
    const bad = engine.onBook(bookFromLevels([[100, -7]], [[101, 5]], { ts: 2 }))!;
    expect(bad.issues & BookIssue.NegativeSize).toBe(BookIssue.NegativeSize);
    expect(bad.ofi).toBeNaN();
    expect(bad.spreadZ).toBeNaN();
    expect(bad.regime).toBe(-1);
    const next = engine.onBook(bookFromLevels([[100, 8]], [[101, 5]], { ts: 3 }))!;
    expect(next.ofi).toBe(3); // 8 - 5 against the clean book at ts 1, not against the corrupt one
    expect(next.ofiSum).toBe(3);
    expect(engine.stats()).toMatchObject({ books: 3, flaggedBooks: 1, badDataBooks: 1 });
    // a book going back in time is bad data too, but a wide spread is a market state
    expect(engine.onBook(bookFromLevels([[100, 8]], [[101, 5]], { ts: 0 }))!.ofi).toBeNaN();
    expect(engine.onBook(bookFromLevels([[50, 8]], [[101, 5]], { ts: 4 }))!.ofi).toBe(-8);
  });

  it('repairs a bad level in sanitize mode and reports it in the frame', () => {
    const engine = new Engine({ validation: 'sanitize' });
    const book = bookFromLevels([[100, 5], [99, -1]], [[101, 5]], { ts: 1 });
    const frame = engine.onBook(book)!;
    expect(frame.issues & BookIssue.NegativeSize).toBe(BookIssue.NegativeSize);
    expect(book.bidLevels).toBe(1);
    expect(frame.bidDepth).toBe(5);
  });

  it('routes events by type, counts trades and orders, calls onFrame', () => {
    const seen: number[] = [];
    const engine = new Engine({ onFrame: (f) => seen.push(f.mid) });
    const events: MarketEvent[] = [
      { type: 'order', symbol: 'X', order: { ts: 1, kind: 'add', orderId: 1, size: 5, price: 100, side: 1 } },
      { type: 'trade', symbol: 'X', trade: { ts: 1, price: 100, size: 5, side: -1 } },
      { type: 'book', symbol: 'X', book: bookFromLevels([[100, 5]], [[101, 5]], { ts: 1 }) },
    ];
    expect(events.map((e) => engine.process(e) === null)).toEqual([true, true, false]);
    expect(seen).toEqual([100.5]);
    expect(engine.stats()).toMatchObject({ trades: 1, orders: 1, books: 1 });
  });

  it('yields frames from an async source', async () => {
    const engine = new Engine();
    async function* source(): AsyncGenerator<MarketEvent> {
      for (const row of syntheticSession({ events: 50 })) yield { type: 'book', symbol: 'S', book: row.book };
    }
    const mids: number[] = [];
    for await (const f of engine.run(source())) mids.push(f.mid);
    expect(mids.length).toBe(50);
    expect(mids.every(Number.isFinite)).toBe(true);
  });

  it('rejects unknown and invalid options', () => {
    expect(() => new Engine({ validation: 'strict' as never })).toThrow(InvalidOptionError);
    expect(() => new Engine({ depthLevels: 0 })).toThrow(/depthLevels/);
    expect(() => new Engine({ halfLife: 3 } as never)).toThrow(/Engine.halfLife/);
  });

  const books = fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((seed) => {
    const out: BookSnapshot[] = [];
    for (const row of syntheticSession({ seed, events: 20, depth: 4 })) out.push(structuredClone(row.book));
    return out;
  });
  testOperatorContract(
    'Engine',
    () => new Engine({ baselineHalfLife: 5 }) as never,
    books,
    (engine: Engine, book: BookSnapshot) => {
      const f = engine.onBook(structuredClone(book));
      return f === null ? null : { ...f };
    },
    30,
  );
});

describe('Engine with surveillance', () => {
  it('raises an alert for a crossed book and reports alerts per hour', () => {
    const alerts: string[] = [];
    const engine = new Engine({ symbol: 'X', surveillance: {}, onAlert: (a) => alerts.push(a.kind) });
    engine.onBook(bookFromLevels([[100, 5]], [[101, 5]], { ts: 0 }));
    engine.onBook(bookFromLevels([[101.5, 5]], [[101, 5]], { ts: 1_800_000 }));
    engine.onBook(bookFromLevels([[100, 5]], [[101, 5]], { ts: 3_600_000 }));
    expect(alerts).toContain('crossedMarket');
    const r = engine.alertReport()!;
    expect(r.hours).toBe(1);
    expect(r.alerts).toBe(alerts.length);
    expect(r.perHour).toBe(alerts.length);
    expect(r.byKind['crossedMarket']).toBe(1);
    expect(engine.alertManager!.verify()).toMatchObject({ ok: true });
    expect(new Engine().alertReport()).toBeNull();
  });

  it('checkpoints the detectors and the alert manager with the engine', () => {
    const make = () => new Engine({ surveillance: {}, trades: false });
    const a = make();
    const events = syntheticSession({ seed: 4, events: 400, depth: 4 });
    const rows = [...events].map((r) => structuredClone(r.book));
    rows.slice(0, 200).forEach((b) => a.onBook(b));
    const b = make();
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    for (const book of rows.slice(200)) expect({ ...b.onBook(structuredClone(book)) }).toEqual({ ...a.onBook(structuredClone(book)) });
    expect(b.alertReport()).toEqual(a.alertReport());
  });
});

describe('EngineRouter', () => {
  it('runs one engine per symbol and checkpoints them all', () => {
    const router = new EngineRouter({ baselineHalfLife: 10 });
    const a = bookFromLevels([[10, 1]], [[11, 3]], { ts: 1 });
    const b = bookFromLevels([[20, 2]], [[21, 2]], { ts: 1 });
    expect(router.process({ type: 'book', symbol: 'A', book: a })!.symbol).toBe('A');
    expect(router.process({ type: 'book', symbol: 'B', book: b })!.mid).toBe(20.5);
    expect(router.symbols.sort()).toEqual(['A', 'B']);
    const state = JSON.parse(JSON.stringify(router.snapshot()));
    const copy = new EngineRouter({ baselineHalfLife: 10 });
    copy.restore(state);
    const next = bookFromLevels([[10, 2]], [[11, 3]], { ts: 2 });
    expect(copy.process({ type: 'book', symbol: 'A', book: next })!.ofi).toBe(router.process({ type: 'book', symbol: 'A', book: next })!.ofi);
    expect(copy.engine('A').stats().books).toBe(2);
  });

  it('validates shared options at construction', () => {
    expect(() => new EngineRouter({ depthLevels: -1 })).toThrow(InvalidOptionError);
  });
});
