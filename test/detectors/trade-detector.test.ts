import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { TradeDetector } from '../../src/detectors/trade-detector.js';
import { RapidTrading } from '../../src/trades/rapid-trading.js';
import { UnusualSize } from '../../src/trades/unusual-size.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, order, trade } from './helpers.js';

describe('TradeDetector', () => {
  it('passes trades to the wrapped operator and returns its signals', () => {
    const d = new TradeDetector('unusualSize', new UnusualSize({ minTrades: 3, threshold: 3 }));
    [100, 120, 80, 110].forEach((size, i) => expect(d.onTrade(trade(i, 10, size))).toBeNull());
    const s = d.onTrade(trade(5, 10, 5000));
    expect(s?.kind).toBe('unusualSize');
    expect(d.fired).toBe(1);
    expect(d.inputs).toBe(2);
  });

  it('skips and counts trades the operator would throw on', () => {
    const d = new TradeDetector('unusualSize', new UnusualSize());
    expect(d.onTrade(trade(0, NaN, 5))).toBeNull();
    expect(d.onTrade(trade(1, 10, -5))).toBeNull();
    expect(d.onTrade({ ts: Infinity, price: 10, size: 5 })).toBeNull();
    expect(d.skipped).toBe(3);
  });

  it('with aggregatePrints, merges the prints of one order (same ts and side) into one trade', () => {
    const seen: number[][] = [];
    const spy = { update: (t: { ts: number; price: number; size: number; side?: number }) => (seen.push([t.ts, t.price, t.size, t.side ?? 0]), null), reset() {}, snapshot: () => ({ type: 'Spy', version: 1 }), restore() {} };
    const d = new TradeDetector('spy', spy, { aggregatePrints: true });
    d.onTrade(trade(10, 100, 100, 1));
    d.onTrade(trade(10, 101, 300, 1)); // same order
    d.onTrade(trade(10, 99, 50, -1)); // another side: the first is passed on
    d.onBook(book(10, [[99, 1]], [[101, 1]])); // same time: nothing
    d.onOrder(order(11, 'add', 1, 5, 99, 1)); // later: the second is passed on
    // VWAP of the first: (100 x 100 + 101 x 300) / 400 = 100.75
    expect(seen).toEqual([
      [10, 100.75, 400, 1],
      [10, 99, 50, -1],
    ]);
  });

  it('with mergeWithinMs, merges a same-side run of prints within the tolerance of its first print', () => {
    const seen: number[][] = [];
    const spy = { update: (t: { ts: number; price: number; size: number; side?: number }) => (seen.push([t.ts, t.price, t.size, t.side ?? 0]), null), reset() {}, snapshot: () => ({ type: 'Spy', version: 1 }), restore() {} };
    const d = new TradeDetector('spy', spy, { aggregatePrints: true, mergeWithinMs: 1 });
    d.onTrade(trade(10, 100, 100, 1));
    d.onTrade(trade(10.4, 100, 100, 1)); // 0.4 ms later: the same run (hidden executions microseconds apart)
    d.onBook(book(10.5, [[99, 1]], [[101, 1]])); // within the tolerance: nothing passed on yet
    d.onTrade(trade(11, 100, 200, 1)); // exactly 1 ms after the first: still the run
    d.onTrade(trade(11.25, 100, 50, 1)); // 1.25 ms: a new run
    d.onTrade(trade(11.5, 100, 70, -1)); // the other side: a new run
    d.onOrder(order(13, 'add', 1, 5, 99, 1)); // more than 1 ms later: the last is passed on
    expect(seen).toEqual([
      [10, 100, 400, 1],
      [11.25, 100, 50, 1],
      [11.5, 100, 70, -1],
    ]);
    expect(() => new TradeDetector('spy', spy, { mergeWithinMs: -1 })).toThrow(InvalidOptionError);
  });

  it('turns a sweep of twenty prints into one trade for RapidTrading', () => {
    const opts = { warmupMs: 10_000, baselineHalfLifeMs: 10_000, minCount: 10 };
    const raw = new TradeDetector('rapidTrading', new RapidTrading(opts));
    const merged = new TradeDetector('rapidTrading', new RapidTrading(opts), { aggregatePrints: true });
    for (let t = 0; t <= 20_000; t += 1000) {
      raw.onTrade(trade(t, 10, 1, 1));
      merged.onTrade(trade(t, 10, 1, 1));
    }
    let rawFired = 0;
    let mergedFired = 0;
    for (let k = 0; k < 20; k++) {
      if (raw.onTrade(trade(20_500, 10 + k / 100, 100, 1)) !== null) rawFired++;
      if (merged.onTrade(trade(20_500, 10 + k / 100, 100, 1)) !== null) mergedFired++;
    }
    if (merged.onBook(book(20_600, [[9, 1]], [[11, 1]])) !== null) mergedFired++;
    expect(rawFired).toBe(1);
    expect(mergedFired).toBe(0);
  });

  it('never throws on any valid book', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new TradeDetector('rapidTrading', new RapidTrading(), { aggregatePrints: true });
        for (const b of books) d.onBook(b);
      }),
    );
  });

  it('validates its kind, options and state', () => {
    expect(() => new TradeDetector('', new UnusualSize())).toThrow(InvalidOptionError);
    expect(() => new TradeDetector('x', new UnusualSize(), { nope: 1 } as never)).toThrow(InvalidOptionError);
    const a = new TradeDetector('a', new UnusualSize());
    expect(() => new TradeDetector('b', new UnusualSize()).restore(a.snapshot())).toThrow(InvalidStateError);
  });

  testOperatorContract(
    'TradeDetector(UnusualSize, aggregatePrints)',
    () => new TradeDetector('unusualSize', new UnusualSize({ minTrades: 2, threshold: 1 }), { aggregatePrints: true }),
    eventsArb(),
  );
  testOperatorContract('TradeDetector(RapidTrading)', () => new TradeDetector('rapidTrading', new RapidTrading({ warmupMs: 1000, minCount: 2, threshold: 1.5 })), eventsArb());
});
