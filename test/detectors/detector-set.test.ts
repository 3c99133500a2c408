import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L3OrderBook } from '../../src/book/l3-order-book.js';
import { BookValidator } from '../../src/book/validator.js';
import { createBook } from '../../src/core/book.js';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { Random } from '../../src/core/random.js';
import type { MarketEvent, OrderEventKind } from '../../src/core/events.js';
import { DETECTOR_KINDS, DetectorSet, type DetectorSetOptions } from '../../src/detectors/detector-set.js';
import { BaseDetector, type BaseDetectorState, DetectorInput } from '../../src/detectors/detector.js';
import type { Signal } from '../../src/trades/signal.js';
import { invalidBook, SNAPSHOT_ISSUE_NAMES, validBook } from '../../src/testing/books.js';
import { MarketSimulator } from '../../src/sim/market-simulator.js';
import { SIGNAL_KINDS } from '../../src/alerts/kinds.js';
import { book, bookEvent, eventsArb, order, orderEvent, steadyBook, trade, tradeEvent } from './helpers.js';

/**
 * A small consistent L3 market: order events applied to an `L3OrderBook`, each followed (for an
 * execution) by its trade and by the book after it, as a source emits them.
 */
class Market {
  readonly events: MarketEvent[] = [];
  private readonly l3 = new L3OrderBook();
  private nextId = 1;
  private readonly rng = new Random(7);
  /** Background orders resting: id -> [side, price, size]. */
  private readonly live = new Map<number, [1 | -1, number, number]>();
  ts = 34_200_000;

  private emit(kind: OrderEventKind, id: number, size: number, price: number, side: 1 | -1, aggressor: -1 | 0 | 1 = 0): void {
    const o = order(this.ts, kind, id, size, price, side);
    this.l3.apply(o);
    this.events.push(orderEvent(o));
    if (kind === 'execute') this.events.push(tradeEvent(trade(this.ts, price, size, aggressor)));
    this.events.push(bookEvent(this.l3.writeSnapshot(createBook(10))));
  }

  add(side: 1 | -1, price: number, size: number): number {
    const id = this.nextId++;
    this.emit('add', id, size, price, side);
    this.live.set(id, [side, price, size]);
    return id;
  }

  remove(id: number): void {
    const o = this.live.get(id)!;
    this.emit('delete', id, this.l3.orderSize(id), o[1], o[0]);
    this.live.delete(id);
  }

  /** Execute `size` of resting order `id` (a trade of the other side's aggressor). */
  fill(id: number, size: number): void {
    const o = this.live.get(id)!;
    this.emit('execute', id, size, o[1], o[0], o[0] === 1 ? -1 : 1);
    if (this.l3.orderSize(id) <= 0 || !this.l3.hasOrder(id)) this.live.delete(id);
  }

  /** Background: a quiet two-sided book around 100.00 (5 levels of ~4 orders a side) and slow churn. */
  background(seconds: number): void {
    if (this.live.size === 0) {
      for (let lvl = 1; lvl <= 5; lvl++) {
        for (let k = 0; k < 4; k++) {
          this.add(1, round(100 - lvl / 100), 80 + this.rng.int(0, 40));
          this.add(-1, round(100 + lvl / 100), 80 + this.rng.int(0, 40));
        }
      }
    }
    const end = this.ts + seconds * 1000;
    while (this.ts < end) {
      this.ts += 100 + this.rng.int(0, 100);
      // replace a random resting order of level 2..5 with a new one at the same price (depth stays)
      const ids = [...this.live.keys()];
      const id = ids[this.rng.int(0, ids.length - 1)]!;
      const [side, price] = this.live.get(id)!;
      if (Math.abs(price - 100) < 0.015) continue; // leave the touch alone
      this.remove(id);
      this.add(side, price, 80 + this.rng.int(0, 40));
    }
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

function run(set: DetectorSet, events: readonly MarketEvent[], from = 0): Signal[] {
  const out: Signal[] = [];
  for (let i = from; i < events.length; i++) out.push(...set.update(events[i]!));
  return out;
}

/** A set past its warm-ups on the quiet market (every detector on unless `options` says otherwise). */
function warmMarket(options: DetectorSetOptions = {}): { m: Market; set: DetectorSet; warmEvents: number } {
  const m = new Market();
  m.background(150);
  const set = new DetectorSet(options);
  const warm = run(set, m.events);
  expect(warm).toEqual([]);
  return { m, set, warmEvents: m.events.length };
}

describe('DetectorSet', () => {
  it('holds one detector per signal kind the alert manager knows, in its order', () => {
    const set = new DetectorSet();
    expect(set.detectors.map((d) => d.kind)).toEqual([...DETECTOR_KINDS]);
    expect([...DETECTOR_KINDS]).toEqual([...SIGNAL_KINDS]);
    expect(set.get('iceberg')?.kind).toBe('iceberg');
    expect(set.get('nope')).toBeUndefined();
  });

  it('returns one reused, empty array while nothing fires', () => {
    const set = new DetectorSet();
    const a = set.update(bookEvent(steadyBook(0)));
    const b = set.update(tradeEvent(trade(1, 100.01, 10, 1)));
    const c = set.update(orderEvent(order(2, 'add', 1, 10, 99.99, 1)));
    expect(a).toEqual([]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(set.stats().events).toEqual({ book: 1, trade: 1, order: 1 });
  });

  it('quarantines bad data: badData sees it, the market detectors do not', () => {
    const set = new DetectorSet();
    for (let t = 0; t < 10; t++) set.update(bookEvent(steadyBook(t * 100)));
    const nan = set.update(bookEvent(book(1000, [[NaN, 5]], [[100.01, 5]])));
    expect(nan.map((s) => s.kind)).toEqual(['badData']);
    const crossed = set.update(bookEvent(book(1100, [[100.02, 5]], [[100.01, 5]])));
    expect(crossed.map((s) => s.kind)).toEqual(['crossedMarket']);
    const back = set.update(bookEvent(steadyBook(500))); // time going backwards
    expect(back.map((s) => s.kind)).toEqual(['badData']);
    set.update(tradeEvent(trade(1200, NaN, 5, 1)));
    set.update(orderEvent(order(1300, 'add', 1, -5, 99.99, 1)));
    expect(set.stats().quarantined).toEqual({ book: 3, trade: 1, order: 1 });
    // the market detectors never saw the bad books: their clocks stayed in order
    for (const d of set.detectors) if (d.kind !== 'badData' && d.kind !== 'crossedMarket') expect(d.lateEvents).toBe(0);
  });

  it('takes options per detector, false leaves one out, extra adds a user detector', () => {
    class Always extends BaseDetector<BaseDetectorState & { type: 'Always'; version: 1 }> {
      readonly kind = 'always';
      readonly inputs = DetectorInput.Trade;
      override onTrade(t: { ts: number; price: number }): Signal {
        return this.signal(t.ts, 'info', 0, t.price, 1, {});
      }
      reset(): void {
        this.resetBase();
      }
      snapshot() {
        return { type: 'Always' as const, version: 1 as const, clock: this.baseState() };
      }
      restore(s: BaseDetectorState): void {
        this.restoreBase('Always', s.clock);
      }
    }
    const set = new DetectorSet({ iceberg: false, rapidTrading: false, heavyImbalance: { minDurationMs: 10 }, extra: [new Always()] });
    expect(set.get('iceberg')).toBeUndefined();
    expect(set.detectors.at(-1)?.kind).toBe('always');
    expect(set.update(tradeEvent(trade(0, 10, 1, 1))).map((s) => s.kind)).toEqual(['always']);
    expect(set.stats().signals.always).toBe(1);
    expect(() => new DetectorSet({ nope: {} } as never)).toThrow(InvalidOptionError);
    expect(() => new DetectorSet({ spoofing: 3 } as never)).toThrow(InvalidOptionError);
    expect(() => new DetectorSet({ spoofing: { largeRatio: -1 } })).toThrow(InvalidOptionError);
    expect(() => new DetectorSet({ extra: [new Always(), new Always()] })).toThrow(InvalidOptionError);
  });

  it('restores through JSON mid-session and continues with identical signals (every detector, real flow)', () => {
    const sim = new MarketSimulator({ seed: 12, scenarios: ['spoofing', 'layering', 'quote-stuffing', 'iceberg', 'flash-crash', 'corrupt-data', 'imbalance'] });
    const events: MarketEvent[] = [];
    const copy = (e: MarketEvent): MarketEvent =>
      e.type === 'book' ? bookEvent({ ...e.book, bidPx: e.book.bidPx.slice(), bidSz: e.book.bidSz.slice(), askPx: e.book.askPx.slice(), askSz: e.book.askSz.slice() }) : e.type === 'trade' ? tradeEvent({ ...e.trade }) : orderEvent({ ...e.order });
    for (const e of sim.events(400_000)) events.push(copy(e));
    const half = Math.floor(events.length * 0.6);
    const original = new DetectorSet();
    run(original, events.slice(0, half));
    const state = JSON.parse(JSON.stringify(original.snapshot()));
    const resumed = new DetectorSet();
    resumed.restore(state);
    const a = run(original, events, half);
    const b = run(resumed, events, half);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    expect(resumed.stats()).toEqual(original.stats());
    // reset equals fresh
    original.reset();
    expect(run(original, events.slice(0, 20_000))).toEqual(run(new DetectorSet(), events.slice(0, 20_000)));
  });

  it('rejects a state without a detector it holds', () => {
    const s = new DetectorSet().snapshot();
    const { spoofing: _, ...rest } = s.detectors;
    expect(() => new DetectorSet().restore({ ...s, detectors: rest })).toThrow(InvalidStateError);
  });

  it('never throws on any valid event sequence, and never allocates a new output array', () => {
    fc.assert(
      fc.property(eventsArb(60), (events) => {
        const set = new DetectorSet({
          spoofing: { minSamples: 1, minCancels: 1 },
          layering: { minSamples: 1, minOrders: 2 },
          liquidityGap: { warmupMs: 0, minSpreadRatio: 0 },
          depthShock: { warmupMs: 0, minDurationMs: 0 },
          quoteStuffing: { warmupMs: 0, minMessages: 2 },
          momentumIgnition: { warmupMs: 0, minShots: 1 },
        });
        const first = set.update(events[0] ?? bookEvent(steadyBook(0)));
        for (const e of events) expect(set.update(e)).toBe(first);
      }),
      { numRuns: 50 },
    );
  });
});

describe('DetectorSet: benign look-alikes raise nothing', () => {
  it('a market maker re-quoting large quotes on both sides', () => {
    const { m, set, warmEvents } = warmMarket();
    let bid = m.add(1, 99.99, 600);
    let ask = m.add(-1, 100.01, 600);
    for (let k = 0; k < 40; k++) {
      m.ts += 300;
      if (k % 2 === 0) {
        m.remove(bid);
        bid = m.add(1, 99.99, 600);
      } else {
        m.remove(ask);
        ask = m.add(-1, 100.01, 600);
      }
      m.background(0.2);
    }
    m.remove(bid);
    m.remove(ask);
    m.background(20);
    expect(run(set, m.events, warmEvents)).toEqual([]);
  });

  it('(control: the same market with a one-sided trader pulling large bids does raise spoofing)', () => {
    const { m, set, warmEvents } = warmMarket();
    for (let k = 0; k < 3; k++) {
      const id = m.add(1, 99.99, 800);
      m.background(1.5);
      m.remove(id);
      m.background(0.3);
    }
    expect(run(set, m.events, warmEvents).map((s) => s.kind)).toEqual(['spoofing']);
  });

  it('partial fills of large resting orders, then their cancellation', () => {
    const { m, set, warmEvents } = warmMarket();
    for (let k = 0; k < 6; k++) {
      const id = m.add(k % 2 === 0 ? 1 : -1, k % 2 === 0 ? 99.99 : 100.01, 700);
      m.ts += 200;
      m.fill(id, 150);
      m.ts += 300;
      m.remove(id);
      m.background(2);
    }
    m.background(20);
    expect(run(set, m.events, warmEvents)).toEqual([]);
  });

  it('slow cancels of large orders, and quick cancels of small ones', () => {
    const { m, set, warmEvents } = warmMarket();
    for (let k = 0; k < 5; k++) {
      const id = m.add(1, 99.99, 700);
      m.background(6); // rests 6 s
      m.remove(id);
    }
    for (let k = 0; k < 30; k++) {
      const id = m.add(-1, 100.02, 30);
      m.ts += 50;
      m.remove(id);
      m.background(0.5);
    }
    m.background(20);
    expect(run(set, m.events, warmEvents)).toEqual([]);
  });

  it('an honest iceberg refilling its clip (nothing but the iceberg detector, which is off)', () => {
    const { m, set, warmEvents } = warmMarket({ iceberg: false });
    let clip = m.add(-1, 100.01, 100);
    for (let k = 0; k < 8; k++) {
      m.background(1);
      m.fill(clip, 100);
      clip = m.add(-1, 100.01, 100); // at the same time stamp
    }
    m.background(1);
    m.remove(clip);
    m.background(20);
    expect(run(set, m.events, warmEvents)).toEqual([]);
  });

  it('a large order that trades (a large resting bid filled by several sells)', () => {
    const { m, set, warmEvents } = warmMarket();
    const id = m.add(1, 99.99, 800);
    for (let k = 0; k < 8; k++) {
      m.background(0.5);
      m.fill(id, 100);
    }
    m.background(20);
    expect(run(set, m.events, warmEvents)).toEqual([]);
  });
});

describe('DetectorSet.onBook with the caller\'s validation bits', () => {
  it('gives the same signals and counts as its own check, for valid and invalid books in any mix (property)', () => {
    const anyBook = fc.oneof(validBook({ depth: 5 }), ...SNAPSHOT_ISSUE_NAMES.map((k) => invalidBook(k, { depth: 5 })));
    fc.assert(
      fc.property(fc.array(fc.tuple(anyBook, fc.integer({ min: 0, max: 2000 })), { maxLength: 40 }), (steps) => {
        const own = new DetectorSet();
        const shared = new DetectorSet();
        const engineValidator = new BookValidator(); // default options, as the engine's
        let ts = 0;
        for (const [book, dt] of steps) {
          ts += dt;
          book.ts = ts;
          const a = own.onBook(book).map((s) => `${s.kind}:${s.severity}:${s.ts}`);
          const b = shared.onBook(book, engineValidator.validate(book)).map((s) => `${s.kind}:${s.severity}:${s.ts}`);
          expect(b).toEqual(a);
        }
        expect(shared.stats()).toEqual(own.stats());
      }),
      { numRuns: 60 },
    );
  });
});
