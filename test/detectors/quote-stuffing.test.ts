import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_QUOTE_STUFFING_OPTIONS, QuoteStuffing } from '../../src/detectors/quote-stuffing.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, expectFound, order, scenarioRun, steadyBook, trade } from './helpers.js';

/** 20 s of adds every 200 ms: a baseline of 5 messages per 1 s bucket. */
function warmed(options = {}): QuoteStuffing {
  const d = new QuoteStuffing({ warmupMs: 10_000, minMessages: 50, ...options });
  for (let t = 0; t < 20_000; t += 200) d.onOrder(order(t, 'add', t, 100, 10, 1));
  return d;
}

describe('QuoteStuffing', () => {
  it('fires when the window holds threshold x the baseline, with cancels per trade past the minimum', () => {
    const d = warmed();
    let s = null;
    let i = 0;
    for (; i < 60 && s === null; i++) s = d.onOrder(order(20_000 + i * 5, 'delete', 1, 100, 10, 1));
    // at 20 230: the adds at 19 400, 19 600, 19 800 and 47 deletes = 50 messages = 10 x 5
    expect(s).toEqual({
      kind: 'quoteStuffing',
      severity: 'warning',
      ts: 20_230,
      side: 0,
      price: NaN,
      score: 10,
      evidence: { messages: 50, expected: 5, cancels: 47, trades: 0, cancelToTrade: 47, windowMs: 1000 },
    });
  });

  it('gives one signal per burst (re-armed when the ratio falls under half the threshold)', () => {
    const d = warmed();
    let n = 0;
    for (let i = 0; i < 400; i++) if (d.onOrder(order(20_000 + i * 5, 'delete', 1, 100, 10, 1)) !== null) n++;
    expect(n).toBe(1);
    for (let t = 25_000; t < 40_000; t += 200) d.onOrder(order(t, 'add', t, 100, 10, 1)); // quiet again
    let again = null;
    for (let i = 0; i < 100 && again === null; i++) again = d.onOrder(order(40_000 + i * 5, 'delete', 1, 100, 10, 1));
    expect(again).not.toBeNull();
  });

  it('benign: a burst of executions (many trades per cancel) raises nothing', () => {
    const d = warmed();
    for (let i = 0; i < 200; i++) {
      expect(d.onOrder(order(20_000 + i * 5, 'add', 1000 + i, 100, 10, 1))).toBeNull();
      expect(d.onTrade(trade(20_000 + i * 5, 10, 100, -1))).toBeNull();
    }
  });

  it('benign: a burst under minMessages, and a high rate that rises slowly, raise nothing', () => {
    const d = warmed({ minMessages: 200 });
    for (let i = 0; i < 150; i++) expect(d.onOrder(order(20_000 + i * 5, 'delete', 1, 100, 10, 1))).toBeNull();
    const e = warmed({ minMessages: 20 });
    // the rate doubles every minute: the baseline keeps up (ratio < 5)
    let t = 20_000;
    for (let rate = 10; rate <= 160; rate *= 2) {
      for (const end = t + 60_000; t < end; t += 1000 / rate) expect(e.onOrder(order(t, 'delete', 1, 100, 10, 1))).toBeNull();
    }
  });

  it('counts book updates as messages only until order events arrive (L2 data)', () => {
    const d = new QuoteStuffing({ warmupMs: 10_000, minMessages: 50, minCancelToTrade: 0 });
    for (let t = 0; t < 20_000; t += 200) d.onBook(steadyBook(t));
    let s = null;
    for (let i = 0; i < 100 && s === null; i++) s = d.onBook(steadyBook(20_000 + i * 5));
    expect(s?.price).toBe(100);
    const e = new QuoteStuffing({ warmupMs: 0, minMessages: 5, minCancelToTrade: 0 });
    e.onOrder(order(0, 'add', 1, 1, 10, 1));
    for (let i = 1; i < 100; i++) expect(e.onBook(book(i, [[9.99, 1]], [[10.01, 1]]))).toBeNull();
  });

  it('never throws on any valid book', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new QuoteStuffing({ warmupMs: 0, minMessages: 1, minCancelToTrade: 0 });
        for (const b of books) d.onBook(b);
      }),
    );
  });

  it('finds the quote-stuffing bursts (seed 5) and nothing on the normal flow', () => {
    const own = scenarioRun('quote-stuffing', 'quoteStuffing', 5, 600_000);
    expect(own.labels.length).toBeGreaterThan(0);
    expectFound(own);
    expect(scenarioRun('normal', 'quoteStuffing', 5, 600_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new QuoteStuffing({ threshold: 10, criticalThreshold: 5 })).toThrow(InvalidOptionError);
    expect(() => new QuoteStuffing({ minMessages: 0 })).toThrow(InvalidOptionError);
    expect(DEFAULT_QUOTE_STUFFING_OPTIONS).toMatchObject({ threshold: 5, minMessages: 200, minCancelToTrade: 20 });
    expect(() => new QuoteStuffing().restore({ ...new QuoteStuffing().snapshot(), values: [] })).toThrow(InvalidStateError);
  });

  testOperatorContract('QuoteStuffing', () => new QuoteStuffing({ warmupMs: 2000, minMessages: 3, threshold: 2, minCancelToTrade: 1 }), eventsArb());
});
