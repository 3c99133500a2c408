import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookIssue } from '../../src/book/validator.js';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { BadData, DEFAULT_BAD_BOOK_ISSUES, DEFAULT_BAD_DATA_OPTIONS, EventIssue } from '../../src/detectors/bad-data.js';
import { testOperatorContract } from '../support/contract.js';
import { book, booksArb, eventsArb, expectFound, order, scenarioRun, steadyBook, trade } from './helpers.js';

describe('BadData', () => {
  it('fires on a book with a negative size, naming the issue bit', () => {
    const d = new BadData();
    expect(d.onBook(book(0, [[100, 5]], [[100.01, 5]]))).toBeNull();
    expect(d.onBook(book(1, [[100, -5]], [[100.01, 5]]))).toEqual({
      kind: 'badData',
      severity: 'warning',
      ts: 1,
      side: 0,
      price: NaN,
      score: 1,
      evidence: { issues: BookIssue.NegativeSize, source: 1 },
    });
    expect(d.badEvents).toBe(1);
    expect(d.lastIssues).toBe(BookIssue.NegativeSize);
  });

  it('fires critical on a NaN price and on time going backwards', () => {
    const d = new BadData();
    d.onBook(book(1000, [[100, 5]], [[100.01, 5]]));
    expect(d.onBook(book(1001, [[NaN, 5]], [[100.01, 5]]))?.severity).toBe('critical');
    const e = new BadData();
    e.onBook(book(1000, [[100, 5]], [[100.01, 5]]));
    const back = e.onBook(book(500, [[100, 5]], [[100.01, 5]]));
    expect(back?.evidence.issues).toBe(BookIssue.TimeBackwards);
    expect(back?.severity).toBe('critical');
    expect(back?.ts).toBe(1000); // processed at the latest time seen
    expect(e.lateEvents).toBe(1);
  });

  it('leaves crossed, locked, wide and stale books to other detectors by default', () => {
    const d = new BadData();
    expect(d.onBook(book(0, [[100.02, 5]], [[100.01, 5]]))).toBeNull();
    expect(d.onBook(book(1, [[100.01, 5]], [[100.01, 5]]))).toBeNull();
    expect(d.onBook(book(2, [[50, 5]], [[150, 5]]))).toBeNull();
    expect(d.badEvents).toBe(0);
    const strict = new BadData({ bookIssues: DEFAULT_BAD_BOOK_ISSUES | BookIssue.Crossed });
    expect(strict.onBook(book(0, [[100.02, 5]], [[100.01, 5]]))?.evidence.issues).toBe(BookIssue.Crossed);
  });

  it('checks trades: non-finite fields, sizes <= 0, prices <= 0, time going backwards', () => {
    const d = new BadData({ cooldownMs: 0 });
    expect(d.onTrade(trade(10, 100, 5))).toBeNull();
    expect(d.onTrade(trade(11, NaN, 5))?.evidence).toEqual({ issues: EventIssue.NonFiniteField, source: 2 });
    expect(d.onTrade(trade(12, 100, 0))?.evidence.issues).toBe(EventIssue.BadSize);
    expect(d.onTrade(trade(13, -1, 5))?.evidence.issues).toBe(EventIssue.BadPrice);
    expect(d.onTrade(trade(5, 100, 5))?.evidence.issues).toBe(EventIssue.TimeBackwards);
    expect(d.badEvents).toBe(4);
  });

  it('checks order events, and accepts the price codes of a halt', () => {
    const d = new BadData({ cooldownMs: 0 });
    expect(d.onOrder(order(10, 'add', 1, 100, 100, 1))).toBeNull();
    expect(d.onOrder(order(11, 'halt', 0, 0, -1, -1))).toBeNull();
    expect(d.onOrder(order(12, 'add', 2, -3, 100, 1))?.evidence).toEqual({ issues: EventIssue.BadSize, source: 3 });
    expect(d.onOrder(order(13, 'add', 3, 100, 0, 1))?.evidence.issues).toBe(EventIssue.BadPrice);
    expect(d.onOrder(order(1, 'add', 4, 100, 100, 1))?.evidence.issues).toBe(EventIssue.TimeBackwards);
  });

  it('rate-limits signals: within cooldownMs only a new issue bit fires, every bad event is counted', () => {
    const d = new BadData({ cooldownMs: 1000 });
    expect(d.onBook(book(0, [[100, -5]], [[100.01, 5]]))).not.toBeNull();
    expect(d.onBook(book(10, [[100, -5]], [[100.01, 5]]))).toBeNull(); // same bit, 10 ms later
    expect(d.onBook(book(20, [[NaN, 5]], [[100.01, 5]]))?.evidence.issues).toBe(BookIssue.NonFinite); // new bit
    expect(d.onBook(book(1019, [[100, -5]], [[100.01, 5]]))).toBeNull(); // 999 ms after the last signal
    expect(d.onBook(book(1020, [[100, -5]], [[100.01, 5]]))).not.toBeNull(); // cooldown over
    expect(d.badEvents).toBe(5);
    expect(d.fired).toBe(3);
  });

  it('raises nothing on clean streams', () => {
    const d = new BadData();
    for (let t = 0; t < 50; t++) {
      expect(d.onBook(steadyBook(t))).toBeNull();
      expect(d.onTrade(trade(t, 100.01, 100, 1))).toBeNull();
      expect(d.onOrder(order(t, 'add', t + 1, 100, 99.99, 1))).toBeNull();
    }
  });

  it('never throws on any valid book, and never fires on valid books in time order', () => {
    fc.assert(
      fc.property(booksArb(), (books) => {
        const d = new BadData();
        for (const b of books) expect(d.onBook(b)).toBeNull();
      }),
    );
  });

  it('finds every NaN, negative-size and time-backwards corruption of the corrupt-data scenario', () => {
    const own = scenarioRun('corrupt-data', 'badData', 4, 300_000);
    expect(own.labels.length).toBeGreaterThanOrEqual(3);
    expectFound(own);
    expect(scenarioRun('normal', 'badData', 4, 300_000).alerts).toEqual([]);
  });

  it('validates options and state', () => {
    expect(() => new BadData({ bookIssues: 0x1000 })).toThrow(InvalidOptionError);
    expect(() => new BadData({ cooldownMs: NaN })).toThrow(InvalidOptionError);
    expect(DEFAULT_BAD_DATA_OPTIONS).toEqual({ bookIssues: DEFAULT_BAD_BOOK_ISSUES, cooldownMs: 1000 });
    expect(() => new BadData().restore({ ...new BadData().snapshot(), values: [] })).toThrow(InvalidStateError);
  });

  testOperatorContract('BadData', () => new BadData(), eventsArb());
});
