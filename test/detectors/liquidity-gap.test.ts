import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Level } from '../../src/core/book.js';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_LIQUIDITY_GAP_OPTIONS, LiquidityGap } from '../../src/detectors/liquidity-gap.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, expectFound, scenarioRun, trade } from './helpers.js';

const ASKS: Level[] = [[100.01, 500], [100.02, 500]];
const full = (ts: number) => book(ts, [[99.99, 500], [99.98, 500], [99.97, 500], [99.96, 500]], ASKS);
const gap = (ts: number) => book(ts, [[99.95, 500]], ASKS);

function warmed(options = {}): LiquidityGap {
  const d = new LiquidityGap({ warmupMs: 1000, levels: 2, ...options });
  for (let t = 0; t <= 2000; t += 10) d.onBook(full(t));
  return d;
}

describe('LiquidityGap', () => {
  it('fires when the top levels of a side vanish at once and stay empty for minDurationMs', () => {
    const d = warmed();
    expect(d.onBook(gap(2005))).toBeNull(); // opens (reference: 99.99 + 99.98 = 1000 shares)
    expect(d.onBook(gap(2204))).toBeNull(); // 199 ms
    expect(d.onBook(gap(2205))).toEqual({
      kind: 'liquidityGap',
      severity: 'warning',
      ts: 2205,
      side: 1,
      price: 99.98, // the reference's deepest watched price
      score: 1,
      evidence: { left: 0, referenceSize: 1000, baseline: 1000, traded: 0, durationMs: 200, bestPrice: 99.95 },
    });
    expect(d.onBook(gap(2300))).toBeNull(); // one signal per gap
  });

  it('is critical when the side is empty', () => {
    const d = warmed();
    d.onBook(book(2005, [], ASKS));
    expect(d.onBook(book(2205, [], ASKS))?.severity).toBe('critical');
  });

  it('ends a gap without a signal when the side refills within minDurationMs', () => {
    const d = warmed();
    d.onBook(gap(2005));
    expect(d.onBook(full(2100))).toBeNull();
    expect(d.onBook(full(2400))).toBeNull();
  });

  it('takes its reference before an instant: a withdrawal reported as several updates at one time stamp is one gap', () => {
    // 99.99 and 99.98 pulled at once, each cancellation its own book update at ts 2120; a reference
    // taken after the first update (99.98 + 99.97) would hide the gap
    const d = warmed({ minSpreadRatio: 1.5 });
    d.onBook(full(2050));
    expect(d.onBook(book(2120, [[99.98, 500], [99.97, 500], [99.96, 500]], ASKS))).toBeNull();
    expect(d.onBook(book(2120, [[99.97, 500], [99.96, 500]], ASKS))).toBeNull(); // opens: 99.99 + 99.98 empty
    const signal = d.onBook(book(2320, [[99.97, 500], [99.96, 500]], ASKS));
    expect(signal).toMatchObject({ side: 1, price: 99.98, evidence: { left: 0, referenceSize: 1000 } });
  });

  it('keeps an unsignalled gap when the other side moves into the hole, and fires at minDurationMs', () => {
    const d = warmed();
    d.onBook(gap(2005)); // bids at 99.99 and 99.98 gone (reference boundary 99.98)
    expect(d.onBook(book(2100, [[99.95, 500]], [[99.98, 300], [100.01, 500]]))).toBeNull();
    expect(d.onBook(book(2205, [[99.95, 500]], [[99.98, 300], [100.01, 500]]))?.side).toBe(1);
  });

  it('ends a signalled gap when the market moves through the emptied prices, so a later gap fires again', () => {
    const d = warmed();
    d.onBook(gap(2005));
    expect(d.onBook(gap(2205))?.side).toBe(1);
    // the asks come down to 99.97 (below the gap's boundary 99.98): bids can no longer rest there
    const lower = (ts: number) => book(ts, [[99.95, 500], [99.94, 500], [99.93, 500], [99.92, 500]], [[99.97, 500], [99.98, 500]]);
    for (let t = 2300; t <= 4000; t += 10) expect(d.onBook(lower(t))).toBeNull();
    // a new gap on the lower book: 99.95 to 99.92 pulled at once
    const again = (ts: number) => book(ts, [[99.9, 500]], [[99.97, 500], [99.98, 500]]);
    expect(d.onBook(again(4005))).toBeNull();
    expect(d.onBook(again(4205))).toMatchObject({ side: 1, price: 99.94, evidence: { left: 0, referenceSize: 1000 } });
  });

  it('benign: a large order that trades through the top levels (traded, not withdrawn) raises nothing', () => {
    const d = warmed();
    d.onTrade(trade(2003, 99.99, 500, -1));
    d.onTrade(trade(2003, 99.98, 500, -1));
    for (let t = 2005; t < 3000; t += 10) expect(d.onBook(gap(t))).toBeNull();
  });

  it('benign: a market maker re-quoting, partial fills and slow cancels raise nothing', () => {
    const d = warmed();
    // the touch order is pulled and put back (the level never empties)
    for (let t = 2010; t < 3000; t += 20) {
      expect(d.onBook(book(t, [[99.99, 100], [99.98, 500], [99.97, 500], [99.96, 500]], ASKS))).toBeNull();
      expect(d.onBook(book(t + 10, [[99.99, 500], [99.98, 500], [99.97, 500], [99.96, 500]], ASKS))).toBeNull();
    }
    // the top two levels erode by 10 shares every 10 ms: slower than the 50 ms reference
    for (let k = 1; k <= 100; k++) {
      expect(d.onBook(book(3000 + 10 * k, [[99.99, 500 - 5 * k], [99.98, 500 - 5 * k], [99.97, 500], [99.96, 500]], ASKS))).toBeNull();
    }
  });

  it('needs the spread to jump (minSpreadRatio): a sparse book re-pricing its top levels raises nothing', () => {
    const d = warmed();
    // the two top bids move one tick down at once: the spread goes from 0.02 to 0.04 (2x < 2.5x)
    for (let t = 2005; t < 3000; t += 10) expect(d.onBook(book(t, [[99.97, 500], [99.96, 500]], ASKS))).toBeNull();
    const loose = warmed({ minSpreadRatio: 0 });
    loose.onBook(book(2005, [[99.97, 500], [99.96, 500]], ASKS));
    expect(loose.onBook(book(2205, [[99.97, 500], [99.96, 500]], ASKS))?.side).toBe(1);
  });

  it('never throws on any valid book', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new LiquidityGap({ warmupMs: 0, minDurationMs: 0, minSpreadRatio: 0 });
        for (const b of books) d.onBook(b);
      }),
    );
  });

  it('finds the liquidity gaps (seed 1) and nothing on the normal flow', () => {
    const own = scenarioRun('liquidity-gap', 'liquidityGap', 1, 900_000);
    expect(own.labels.length).toBeGreaterThan(0);
    expectFound(own);
    expect(scenarioRun('normal', 'liquidityGap', 1, 600_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new LiquidityGap({ maxFraction: 0 })).toThrow(InvalidOptionError);
    expect(() => new LiquidityGap({ levels: 0 })).toThrow(InvalidOptionError);
    expect(DEFAULT_LIQUIDITY_GAP_OPTIONS).toMatchObject({ levels: 3, maxFraction: 0.1, lookbackMs: 50, minSpreadRatio: 2.5 });
    expect(() => new LiquidityGap().restore({ ...new LiquidityGap().snapshot(), values: [1] })).toThrow(InvalidStateError);
  });

  testOperatorContract('LiquidityGap', () => new LiquidityGap({ warmupMs: 1000, minDurationMs: 100, minSpreadRatio: 1 }), eventsArb());
});
