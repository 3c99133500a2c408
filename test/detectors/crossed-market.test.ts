import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookIssue } from '../../src/book/validator.js';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { CrossedMarket, DEFAULT_CROSSED_MARKET_OPTIONS } from '../../src/detectors/crossed-market.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, expectFound, scenarioRun, steadyBook } from './helpers.js';

describe('CrossedMarket', () => {
  it('fires critical on the first crossed book of an episode, with the cross in bps as score', () => {
    const d = new CrossedMarket();
    expect(d.onBook(book(0, [[100, 5]], [[100.01, 5]]))).toBeNull();
    const s = d.onBook(book(1, [[100.02, 5]], [[100.01, 5]]));
    // score = (bid - ask) / mid * 1e4 = 0.01 / 100.015 * 1e4
    expect(s).toEqual({
      kind: 'crossedMarket',
      severity: 'critical',
      ts: 1,
      side: 0,
      price: 100.02,
      score: ((100.02 - 100.01) / ((100.02 + 100.01) / 2)) * 1e4,
      evidence: { bestBid: 100.02, bestAsk: 100.01, crossed: 1, durationMs: 0 },
    });
    expect(d.onBook(book(2, [[100.02, 5]], [[100.01, 5]]))).toBeNull(); // same episode
    expect(d.onBook(book(3, [[100, 5]], [[100.01, 5]]))).toBeNull(); // episode over
    expect(d.onBook(book(4, [[100.03, 5]], [[100.01, 5]]))?.ts).toBe(4); // a new one
    expect(d.fired).toBe(2);
  });

  it('fires a warning on a locked book, and again when the episode becomes crossed', () => {
    const d = new CrossedMarket();
    const locked = d.onBook(book(0, [[100.01, 5]], [[100.01, 5]]));
    expect(locked?.severity).toBe('warning');
    expect(locked?.evidence.crossed).toBe(0);
    expect(locked?.score).toBe(0);
    expect(d.onBook(book(1, [[100.02, 5]], [[100.01, 5]]))?.severity).toBe('critical');
    expect(d.onBook(book(2, [[100.01, 5]], [[100.01, 5]]))).toBeNull(); // back to locked: no news
  });

  it('ignores locked books with allowLocked', () => {
    const d = new CrossedMarket({ allowLocked: true });
    expect(d.onBook(book(0, [[100.01, 5]], [[100.01, 5]]))).toBeNull();
    expect(d.onBook(book(1, [[100.02, 5]], [[100.01, 5]]))?.severity).toBe('critical');
  });

  it('waits minDurationMs of a continuous episode', () => {
    const d = new CrossedMarket({ minDurationMs: 100 });
    expect(d.onBook(book(0, [[100.02, 5]], [[100.01, 5]]))).toBeNull();
    expect(d.onBook(book(99, [[100.02, 5]], [[100.01, 5]]))).toBeNull();
    expect(d.onBook(book(100, [[100.02, 5]], [[100.01, 5]]))?.evidence.durationMs).toBe(100);
  });

  it("uses the caller's validator bits when given", () => {
    const d = new CrossedMarket();
    // a clean book reported crossed by the caller: the bits decide
    expect(d.onBook(book(0, [[100, 5]], [[100.01, 5]]), BookIssue.Crossed)?.severity).toBe('critical');
    const e = new CrossedMarket();
    expect(e.onBook(book(0, [[100.02, 5]], [[100.01, 5]]), 0)).toBeNull();
  });

  it('raises nothing on a normal book stream, a one-sided book or an empty one', () => {
    const d = new CrossedMarket();
    for (let t = 0; t < 100; t++) expect(d.onBook(steadyBook(t))).toBeNull();
    expect(d.onBook(book(100, [[100, 5]], []))).toBeNull();
    expect(d.onBook(book(101, [], []))).toBeNull();
  });

  it('never throws on any valid book, and never fires on one', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new CrossedMarket();
        for (const b of books) expect(d.onBook(b)).toBeNull();
      }),
    );
  });

  it('finds every crossed corruption of the corrupt-data scenario and nothing on the normal flow', () => {
    const own = scenarioRun('corrupt-data', 'crossedMarket', 3, 300_000);
    expect(own.labels.length).toBeGreaterThan(0);
    expectFound(own);
    expect(scenarioRun('normal', 'crossedMarket', 3, 300_000).alerts).toEqual([]);
  });

  it('validates options', () => {
    expect(() => new CrossedMarket({ minDurationMs: -1 })).toThrow(InvalidOptionError);
    expect(() => new CrossedMarket({ nope: 1 } as never)).toThrow(InvalidOptionError);
    expect(DEFAULT_CROSSED_MARKET_OPTIONS).toEqual({ allowLocked: false, minDurationMs: 0 });
    expect(Object.isFrozen(DEFAULT_CROSSED_MARKET_OPTIONS)).toBe(true);
  });

  it('rejects a foreign state', () => {
    expect(() => new CrossedMarket().restore({ type: 'Nope', version: 1 } as never)).toThrow(InvalidStateError);
    expect(() => new CrossedMarket().restore({ ...new CrossedMarket().snapshot(), values: [1] })).toThrow(InvalidStateError);
  });

  testOperatorContract('CrossedMarket', () => new CrossedMarket(), eventsArb());
});
