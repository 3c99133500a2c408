import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookFromLevels } from '../../src/core/book.js';
import type { BookSnapshot, Trade } from '../../src/core/events.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import { Engine } from '../../src/engine/engine.js';
import { TradeAnalytics } from '../../src/engine/trade-analytics.js';
import { syntheticSession } from '../../src/sim/synthetic-books.js';
import { testOperatorContract } from '../support/contract.js';

type Step = { book: BookSnapshot; trade: Trade | null };

function session(seed: number, events: number): Step[] {
  const out: Step[] = [];
  for (const row of syntheticSession({ seed, events, depth: 3 })) {
    out.push({ book: structuredClone(row.book), trade: row.trade === null ? null : { ...row.trade } });
  }
  return out;
}

describe('TradeAnalytics', () => {
  it('classifies against the quotes before the trade and signs spreads by the true side', () => {
    const ta = new TradeAnalytics();
    ta.onBook(bookFromLevels([[100, 5]], [[100.1, 5]], { ts: 0 }));
    // a buy at the ask: Lee-Ready +1 (above the mid 100.05), true side +1
    ta.onTrade({ ts: 1, price: 100.1, size: 10, side: 1 });
    ta.onBook(bookFromLevels([[100, 5]], [[100.2, 5]], { ts: 2 }));
    // a hidden sell inside the spread, below the mid 100.1: Lee-Ready -1, true -1
    ta.onTrade({ ts: 3, price: 100.05, size: 30, side: -1 }, true);
    ta.onBook(bookFromLevels([[100, 5]], [[100.2, 5]], { ts: 10_000 }));
    ta.finish();
    const r = ta.report();
    expect(r.trades).toMatchObject({ count: 2, volume: 40, signSource: 'source' });
    expect(r.trades.leeReady).toMatchObject({ accuracy: 1, accuracyHidden: 1, accuracyVisible: 1, withTrueSide: 2, zero: 0 });
    // effective spreads: 2 * (100.1 - 100.05) / 100.05 * 1e4 = 9.995 bps; 2 * -(100.05 - 100.1) / 100.1 * 1e4 = 9.990 bps
    const e1 = (2 * (100.1 - 100.05)) / 100.05 * 1e4;
    const e2 = (2 * -(100.05 - 100.1)) / 100.1 * 1e4;
    expect(r.trades.effectiveSpreadBps.mean).toBeCloseTo((e1 + e2) / 2, 9);
    expect(r.trades.effectiveSpreadBps.vwMean).toBeCloseTo((10 * e1 + 30 * e2) / 40, 9);
    expect(r.vpin).toBeNull(); // no bucket volume given
    expect(r.kyleLambda.bucketMs).toBe(300_000);
  });

  it('signs by Lee-Ready where the source has no side, and says so', () => {
    const ta = new TradeAnalytics();
    ta.onBook(bookFromLevels([[100, 5]], [[101, 5]], { ts: 0 }));
    ta.onTrade({ ts: 1, price: 101, size: 1 });
    ta.finish();
    const r = ta.report();
    expect(r.trades.signSource).toBe('leeReady');
    expect(r.trades.leeReady.accuracy).toBeNaN(); // nothing to compare with
    expect(r.trades.effectiveSpreadBps.mean).toBeCloseTo(((2 * 0.5) / 100.5) * 1e4, 9);
  });

  it('runs VPIN over buckets of the given volume, with values in [0, 1]', () => {
    const ta = new TradeAnalytics({ vpinBucketVolume: 2000, vpinWindow: 5 });
    for (const { book, trade } of session(5, 3000)) {
      if (trade !== null) ta.onTrade(trade);
      ta.onBook(book);
    }
    ta.finish();
    const v = ta.report().vpin!;
    expect(v.buckets).toBeGreaterThan(5);
    expect(v.sigmaSource).toBe('running');
    for (const x of [v.last, v.mean, v.max]) expect(x >= 0 && x <= 1).toBe(true);
    expect(v.max).toBeGreaterThanOrEqual(v.mean);
  });

  it('rejects unknown options', () => {
    expect(() => new TradeAnalytics({ vpinBuckets: 3 } as never)).toThrow(InvalidOptionError);
  });

  testOperatorContract(
    'TradeAnalytics',
    () => new TradeAnalytics({ vpinBucketVolume: 500, vpinWindow: 3, kyleBucketMs: 1000 }) as never,
    fc.integer({ min: 1, max: 1000 }).map((seed) => session(seed, 40)),
    (ta: TradeAnalytics, step: Step) => {
      if (step.trade !== null) ta.onTrade(step.trade);
      ta.onBook(step.book);
      const { trades, vpin, kyleLambda } = ta.report();
      return { trades, vpin, kyleLambda };
    },
    25,
  );
});

describe('Engine with trade analytics', () => {
  it('routes trades to the analytics and books to their quotes', () => {
    const engine = new Engine({ trades: { vpinBucketVolume: 10_000 } });
    for (const { book, trade } of session(2, 2000)) {
      if (trade !== null) engine.onTrade(trade);
      engine.onBook(book);
    }
    engine.finish();
    const r = engine.tradeReport()!;
    expect(r.trades.count).toBe(engine.stats().trades);
    expect(r.trades.leeReady.accuracy).toBeGreaterThan(0.9);
    expect(r.vpin!.buckets).toBeGreaterThan(0);
  });

  it('has no trade report when trade analytics are off', () => {
    const engine = new Engine({ trades: false });
    engine.onTrade({ ts: 1, price: 1, size: 1 });
    expect(engine.tradeReport()).toBeNull();
    expect(engine.stats().trades).toBe(1);
  });
});
