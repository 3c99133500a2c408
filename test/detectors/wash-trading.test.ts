import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_WASH_TRADING_OPTIONS, WashTrading, type WashTradingOptions } from '../../src/detectors/wash-trading.js';
import { testOperatorContract } from '../support/contract.js';
import { booksArb, eventsArb, expectFound, order, scenarioRun, trade } from './helpers.js';

/** 300 trades at 10.00 of sizes 100, 200, 300 (each 1/3 of the flow). */
function warmed(options: WashTradingOptions = {}): WashTrading {
  const d = new WashTrading({ minTrades: 3, freshMs: Infinity, ...options });
  for (let i = 0; i < 300; i++) d.onTrade(trade(i * 1000, 10, 100 * (1 + (i % 3)), i % 2 === 0 ? 1 : -1));
  return d;
}

describe('WashTrading', () => {
  it('fires on two mirror prints (same size and price, opposite sides) of a size nobody else trades', () => {
    const d = warmed();
    expect(d.onTrade(trade(400_000, 10.01, 137, 1))).toBeNull();
    // E = 1 opposite print at 10.01 x share of 137 among the earlier trades (the mirror left out) = 0
    expect(d.onTrade(trade(400_000, 10.01, 137, -1))).toEqual({
      kind: 'washTrading',
      severity: 'critical',
      ts: 400_000,
      side: 0,
      price: 10.01,
      score: 1 / 1e-9, // E floored at 1e-9
      evidence: { size: 137, chance: 0, gapMs: 0, sizeShare: 0, fresh: 0 },
    });
    expect(d.onTrade(trade(400_001, 10.01, 137, 1))).toBeNull(); // each print matches once
  });

  it('benign: a coincidence of a common round lot is likely by chance and raises nothing', () => {
    const d = warmed();
    // E = 1 x 1/3 > maxChance 0.02
    d.onTrade(trade(400_000, 10, 100, 1));
    expect(d.onTrade(trade(400_050, 10, 100, -1))).toBeNull();
  });

  it('benign: prints that differ in side, price, size or time raise nothing', () => {
    const d = warmed();
    d.onTrade(trade(400_000, 10.01, 137, 1));
    expect(d.onTrade(trade(400_010, 10.01, 137, 1))).toBeNull(); // same side
    expect(d.onTrade(trade(400_020, 10.02, 137, -1))).toBeNull(); // another price
    expect(d.onTrade(trade(400_030, 10.01, 138, -1))).toBeNull(); // another size
    expect(d.onTrade(trade(400_200, 10.01, 137, -1))).toBeNull(); // 200 ms later (window 100 ms)
    expect(d.onTrade(trade(400_300, 10.01, 137, 0))).toBeNull(); // side unknown
  });

  it('with L3 data, needs both resting orders to be fresh (added moments before the fill)', () => {
    const fresh = new WashTrading({ minTrades: 3 });
    for (let i = 0; i < 300; i++) fresh.onTrade(trade(i * 1000, 10, 100 * (1 + (i % 3)), 1));
    // a sell rests at 10.01 and is bought at once, then a buy rests and is sold into
    fresh.onOrder(order(400_000, 'add', 1, 137, 10.01, -1));
    fresh.onOrder(order(400_000, 'execute', 1, 137, 10.01, -1));
    expect(fresh.onTrade(trade(400_000, 10.01, 137, 1))).toBeNull();
    fresh.onOrder(order(400_000, 'add', 2, 137, 10.01, 1));
    fresh.onOrder(order(400_000, 'execute', 2, 137, 10.01, 1));
    expect(fresh.onTrade(trade(400_000, 10.01, 137, -1))?.evidence.fresh).toBe(1);

    const stale = new WashTrading({ minTrades: 3 });
    for (let i = 0; i < 300; i++) stale.onTrade(trade(i * 1000, 10, 100 * (1 + (i % 3)), 1));
    stale.onOrder(order(390_000, 'add', 1, 137, 10.01, -1)); // rested 10 s: an honest quote
    stale.onOrder(order(390_000, 'add', 2, 137, 10.01, 1));
    stale.onOrder(order(400_000, 'execute', 1, 137, 10.01, -1));
    stale.onTrade(trade(400_000, 10.01, 137, 1));
    stale.onOrder(order(400_000, 'execute', 2, 137, 10.01, 1));
    expect(stale.onTrade(trade(400_000, 10.01, 137, -1))).toBeNull();
  });

  it('stays silent during its warm-up (minTrades)', () => {
    const d = new WashTrading({ minTrades: 10, freshMs: Infinity });
    expect(d.onTrade(trade(0, 10, 137, 1))).toBeNull();
    expect(d.onTrade(trade(1, 10, 137, -1))).toBeNull();
  });

  it('never throws on any valid book (books are not its input)', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new WashTrading();
        for (const b of books) expect(d.onBook(b)).toBeNull();
      }),
    );
  });

  it('finds the wash trades (seed 6) and nothing on the normal flow', () => {
    const own = scenarioRun('wash-trading', 'washTrading', 6, 900_000);
    expect(own.labels.length).toBeGreaterThan(0);
    expectFound(own);
    expect(scenarioRun('normal', 'washTrading', 6, 600_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new WashTrading({ sizeBuckets: 1000 })).toThrow(InvalidOptionError);
    expect(() => new WashTrading({ maxChance: 0 })).toThrow(InvalidOptionError);
    expect(DEFAULT_WASH_TRADING_OPTIONS).toMatchObject({ windowMs: 100, maxChance: 0.02, freshMs: 50 });
    expect(() => new WashTrading().restore({ ...new WashTrading().snapshot(), values: [] })).toThrow(InvalidStateError);
  });

  testOperatorContract('WashTrading', () => new WashTrading({ minTrades: 2, maxChance: 1, windowMs: 3000 }), eventsArb());
});
