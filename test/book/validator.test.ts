import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BOOK_ISSUE_NAMES,
  BOOK_SNAPSHOT_ISSUES,
  BOOK_STREAM_ISSUES,
  BookIssue,
  BookValidator,
  DEFAULT_BOOK_VALIDATOR_OPTIONS,
  describeIssues,
} from '../../src/book/validator.js';
import type { BookValidatorOptions, BookValidatorState } from '../../src/book/validator.js';
import { bookFromLevels, bookLevels, cloneBook, createBook } from '../../src/core/book.js';
import type { Level } from '../../src/core/book.js';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import type { BookSnapshot } from '../../src/core/events.js';
import { testOperatorContract } from '../support/contract.js';
import { devDay, hasSharedData, skipReason, tinyDay } from '../support/shared-data.js';

const I = BookIssue;

/** A validator's per-snapshot check with the given options. */
function check(book: BookSnapshot, options: BookValidatorOptions = {}): number {
  return new BookValidator(options).check(book);
}

function book(bids: Level[], asks: Level[], ts = 0, depth?: number): BookSnapshot {
  return bookFromLevels(bids, asks, depth === undefined ? { ts } : { ts, depth });
}

/** Whether two books are identical in every slot (NaN equal to NaN, -0 distinct from 0). */
function identical(a: BookSnapshot, b: BookSnapshot): boolean {
  if (!Object.is(a.ts, b.ts) || !Object.is(a.bidLevels, b.bidLevels) || !Object.is(a.askLevels, b.askLevels)) return false;
  for (const key of ['bidPx', 'bidSz', 'askPx', 'askSz'] as const) {
    const x = a[key];
    const y = b[key];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}

// The first row of the tiny LOBSTER orderbook file, typed by hand (raw price / 10000):
// 5802300,100,5794000,496,5804300,100,5787000,400,... = ask1 580.23 x 100, bid1 579.40 x 496, ...
// ts = message time 34200.015105074 s = 34200015.105074 ms.
const FIRST_ROW_BIDS: Level[] = [
  [579.4, 496], [578.7, 400], [578.5, 500], [578.0, 500], [577.18, 100],
  [576.94, 100], [576.6, 100], [576.26, 100], [573.2, 20], [570.0, 100],
];
const FIRST_ROW_ASKS: Level[] = [
  [580.23, 100], [580.43, 100], [580.5, 100], [580.63, 100], [580.67, 100],
  [580.96, 50], [580.97, 100], [583.5, 100], [588.0, 100], [589.26, 100],
];

describe('BookIssue', () => {
  it('gives each issue its own bit, in the order of BOOK_ISSUE_NAMES', () => {
    expect(BOOK_ISSUE_NAMES.length).toBe(12);
    BOOK_ISSUE_NAMES.forEach((name, i) => expect(BookIssue[name]).toBe(1 << i));
    expect(Object.keys(BookIssue)).toEqual([...BOOK_ISSUE_NAMES]);
    expect(Object.isFrozen(BookIssue)).toBe(true);
    expect(Object.isFrozen(BOOK_ISSUE_NAMES)).toBe(true);
  });

  it('splits the bits into per-snapshot and stream issues', () => {
    expect(BOOK_STREAM_ISSUES).toBe(I.TimeBackwards | I.Stale);
    expect(BOOK_SNAPSHOT_ISSUES | BOOK_STREAM_ISSUES).toBe(4095);
    expect(BOOK_SNAPSHOT_ISSUES & BOOK_STREAM_ISSUES).toBe(0);
  });

  it('describeIssues names the set bits in bit order and ignores unknown bits', () => {
    expect(describeIssues(0)).toEqual([]);
    expect(describeIssues(I.ZeroSizeLevel | I.Crossed)).toEqual(['Crossed', 'ZeroSizeLevel']);
    expect(describeIssues(4095)).toEqual([...BOOK_ISSUE_NAMES]);
    expect(describeIssues(1 << 20)).toEqual([]);
  });
});

describe('BookValidator options', () => {
  it('has frozen, documented defaults', () => {
    expect(DEFAULT_BOOK_VALIDATOR_OPTIONS).toEqual({ maxSpreadFraction: 0.1, staleAfterMs: 60_000, allowLocked: false, checkTime: true });
    expect(Object.isFrozen(DEFAULT_BOOK_VALIDATOR_OPTIONS)).toBe(true);
    expect(new BookValidator().options).toEqual(DEFAULT_BOOK_VALIDATOR_OPTIONS);
    expect(new BookValidator({ staleAfterMs: 5 }).options.staleAfterMs).toBe(5);
  });

  it('accepts Infinity to disable the spread and stale checks', () => {
    expect(new BookValidator({ maxSpreadFraction: Infinity, staleAfterMs: Infinity }).options.maxSpreadFraction).toBe(Infinity);
  });

  it.each([
    [{ maxSpreadFraction: 0 }, 'maxSpreadFraction'],
    [{ maxSpreadFraction: -0.1 }, 'maxSpreadFraction'],
    [{ maxSpreadFraction: NaN }, 'maxSpreadFraction'],
    [{ maxSpreadFraction: '0.1' }, 'maxSpreadFraction'],
    [{ staleAfterMs: -1 }, 'staleAfterMs'],
    [{ staleAfterMs: NaN }, 'staleAfterMs'],
    [{ allowLocked: 1 }, 'allowLocked'],
    [{ checkTime: 'yes' }, 'checkTime'],
    [{ maxSpread: 0.1 }, 'BookValidator.maxSpread'],
  ])('throws InvalidOptionError naming the option for %o', (options, name) => {
    let error: unknown;
    try {
      new BookValidator(options as BookValidatorOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe(name);
  });
});

describe('BookValidator.check: one exact bit per issue', () => {
  const bids: Level[] = [[100, 5], [99, 7]];
  const asks: Level[] = [[101, 3], [102, 4]];

  it('finds nothing on a clean book, a one-sided book and an empty book', () => {
    expect(check(book(bids, asks))).toBe(0);
    expect(check(book(bids, []))).toBe(0);
    expect(check(book([], asks))).toBe(0);
    expect(check(createBook(5))).toBe(0);
  });

  it('flags NonFinite for a NaN or infinite price or size inside the book', () => {
    expect(check(book([[100, 5], [NaN, 7]], asks))).toBe(I.NonFinite);
    expect(check(book(bids, [[101, 3], [102, Infinity]]))).toBe(I.NonFinite);
    expect(check(book(bids, [[-Infinity, 3], [102, 4]]))).toBe(I.NonFinite);
    expect(check(book([[NaN, 5], [99, 7]], asks))).toBe(I.NonFinite); // no best bid: no cross / spread check
  });

  it('flags NonFinite for a non-finite ts unless checkTime is false', () => {
    expect(check(book(bids, asks, NaN))).toBe(I.NonFinite);
    expect(check(book(bids, asks, Infinity))).toBe(I.NonFinite);
    expect(check(book(bids, asks, NaN), { checkTime: false })).toBe(0);
  });

  it('ignores levels past the level counts (they are empty by definition)', () => {
    const b = book(bids, asks, 0, 4);
    b.bidPx[2] = NaN;
    b.bidSz[2] = -5;
    b.askPx[3] = -1;
    b.askSz[3] = 0;
    expect(check(b)).toBe(0);
  });

  it('flags NegativePrice for a price below zero, and for 0 and -0', () => {
    expect(check(book([[100, 5], [-1, 7]], asks))).toBe(I.NegativePrice);
    expect(check(book([[100, 5], [0, 7]], asks))).toBe(I.NegativePrice);
    expect(check(book([[100, 5], [-0, 7]], asks))).toBe(I.NegativePrice);
  });

  it('flags NegativeSize for a size below zero', () => {
    expect(check(book([[100, -5], [99, 7]], asks))).toBe(I.NegativeSize);
  });

  it('flags ZeroSizeLevel for a size of 0 or -0 inside the book', () => {
    expect(check(book(bids, [[101, 3], [102, 0]]))).toBe(I.ZeroSizeLevel);
    expect(check(book(bids, [[101, -0], [102, 4]]))).toBe(I.ZeroSizeLevel);
  });

  it('flags Crossed when best bid > best ask, and not Locked', () => {
    expect(check(book([[101.5, 5]], [[101, 3]]))).toBe(I.Crossed);
  });

  it('flags Locked when best bid == best ask, and not Crossed; allowLocked accepts it', () => {
    expect(check(book([[101, 5]], [[101, 3]]))).toBe(I.Locked);
    expect(check(book([[101, 5]], [[101, 3]]), { allowLocked: true })).toBe(0);
  });

  it('flags WideSpread when ask - bid > maxSpreadFraction x mid (strictly)', () => {
    // 101 - 90 = 11 > 0.1 x 95.5 = 9.55
    expect(check(book([[90, 5]], [[101, 3]]))).toBe(I.WideSpread);
    // 105 - 95 = 10, 0.1 x 100 = 10: not wider
    expect(check(book([[95, 5]], [[105, 3]]))).toBe(0);
    // 0.05 x 100 = 5 < 10
    expect(check(book([[95, 5]], [[105, 3]]), { maxSpreadFraction: 0.05 })).toBe(I.WideSpread);
    expect(check(book([[1, 5]], [[1e6, 3]]), { maxSpreadFraction: Infinity })).toBe(0);
  });

  it('does not compute a relative spread when mid <= 0', () => {
    // bid -2, ask 1: mid -0.5; the negative price is flagged, the spread is not
    expect(check(book([[-2, 5]], [[1, 3]]))).toBe(I.NegativePrice);
  });

  it('flags OutOfOrder for bids not descending or asks not ascending', () => {
    expect(check(book([[99, 5], [100, 7]], [[101.5, 3]]))).toBe(I.OutOfOrder);
    expect(check(book(bids, [[101, 3], [100.5, 4]]))).toBe(I.OutOfOrder);
    // a NaN level is skipped: 100 then 101 is compared
    expect(check(book([[100, 5], [NaN, 1], [101, 7]], [[102, 3]]))).toBe(I.NonFinite | I.OutOfOrder);
  });

  it('flags DuplicateLevel for two levels of a side at one price, adjacent or not', () => {
    expect(check(book([[100, 5], [100, 7]], asks))).toBe(I.DuplicateLevel);
    expect(check(book(bids, [[101, 3], [102, 4], [102, 1]]))).toBe(I.DuplicateLevel);
    expect(check(book([[100, 5], [99, 7], [100, 1]], asks))).toBe(I.OutOfOrder | I.DuplicateLevel);
  });

  it('flags BadLevelCount for a count that is not an integer in [0, depth]', () => {
    for (const count of [3, -1, 2.5, NaN, Infinity]) {
      const b = book(bids, asks);
      b.bidLevels = count;
      expect(check(b), `bidLevels ${count}`).toBe(I.BadLevelCount);
    }
    const b = book(bids, asks);
    b.askLevels = -0; // -0 is the integer 0
    expect(check(b)).toBe(0);
  });

  it('reports several issues at once', () => {
    const b = book([[100, 5], [101, 0]], [[99, 3]]);
    expect(check(b)).toBe(I.Crossed | I.OutOfOrder | I.ZeroSizeLevel);
  });

  it('check is pure: it counts and remembers nothing', () => {
    const v = new BookValidator();
    v.check(book([[100, 5]], [[99, 3]], 10));
    v.check(book(bids, asks, 5));
    expect(v.lastIssues).toBe(0);
    expect(v.stats().checked).toBe(0);
    expect(v.validate(book(bids, asks, 1))).toBe(0); // ts 1 < 10 is no TimeBackwards: check stored nothing
  });
});

describe('BookValidator.validate: stream checks', () => {
  const bids: Level[] = [[100, 5]];
  const asks: Level[] = [[101, 3]];

  it('flags TimeBackwards when ts is below the previous snapshot, comparing with the previous one only', () => {
    const v = new BookValidator();
    expect(v.validate(book(bids, asks, 10))).toBe(0);
    expect(v.validate(book(bids, asks, 10))).toBe(0); // equal ts is not backwards
    expect(v.validate(book(bids, asks, 5))).toBe(I.TimeBackwards);
    expect(v.validate(book(bids, asks, 7))).toBe(0); // 7 > 5, the previous snapshot
  });

  it('leaves the time state alone on a non-finite ts', () => {
    const v = new BookValidator();
    v.validate(book(bids, asks, 10));
    expect(v.validate(book(bids, asks, NaN))).toBe(I.NonFinite);
    expect(v.validate(book(bids, asks, 9))).toBe(I.TimeBackwards);
  });

  it('flags Stale when the levels are unchanged for longer than staleAfterMs (timed from the first repeat), until they change', () => {
    const v = new BookValidator({ staleAfterMs: 1000 });
    expect(v.validate(book(bids, asks, 0))).toBe(0);
    // the first repeat after a change: no copy of the previous levels yet, so the clock starts here
    expect(v.validate(book(bids, asks, 500))).toBe(0);
    expect(v.validate(book(bids, asks, 1000.5))).toBe(0); // 500.5 ms since the first repeat
    expect(v.validate(book(bids, asks, 1500))).toBe(0); // exactly 1000 ms: not longer
    expect(v.validate(book(bids, asks, 1500.5))).toBe(I.Stale);
    expect(v.validate(book(bids, asks, 1800))).toBe(I.Stale);
    expect(v.validate(book([[100, 6]], asks, 2000))).toBe(0); // a size changed: clock restarts
    expect(v.validate(book([[100, 6]], asks, 2100))).toBe(0); // first repeat: clock restarts at 2100
    expect(v.validate(book([[100, 6]], asks, 3000))).toBe(0);
    expect(v.validate(book([[100, 6]], asks, 3101))).toBe(I.Stale);
    expect(v.validate(book([[100, 6]], [], 3102))).toBe(0); // a level count changed
  });

  it('tells a change the certificate misses: same sums, different levels', () => {
    // [100 x 5, 99 x 1] and [100 x 1, 99 x 5]: equal sums of prices and of sizes on the bid side
    const v = new BookValidator({ staleAfterMs: 10 });
    const a = [[100, 5], [99, 1]] as Array<[number, number]>;
    const b = [[100, 1], [99, 5]] as Array<[number, number]>;
    v.validate(book(a, asks, 0));
    expect(v.validate(book(b, asks, 100))).toBe(0); // same certificate, no copy yet: changed
    expect(v.validate(book(a, asks, 200))).toBe(0); // same certificate, compared exactly: changed
    expect(v.validate(book(a, asks, 205))).toBe(0); // unchanged since 200: 5 ms
    expect(v.validate(book(a, asks, 211))).toBe(I.Stale); // 11 ms
    expect(v.validate(book(b, asks, 212))).toBe(0);
  });

  it('raises Stale exactly by the documented clock and never before the exact definition (property)', () => {
    // A pool of books with colliding certificates (same sums) so that every path is taken: a change the
    // certificate sees, one only the exact comparison sees, repeats, zero-size and NaN levels.
    const pool: Array<[Level[], Level[]]> = [
      [[[100, 5], [99, 1]], [[101, 3]]],
      [[[100, 1], [99, 5]], [[101, 3]]], // same sums as the first
      [[[100, 5], [99, 1]], [[101, 2], [102, 1]]],
      [[[100, 5], [99, 0]], [[101, 3]]], // zero-size level
      [[[100, 5], [NaN, 1]], [[101, 3]]], // NaN level
      [[], [[101, 3]]],
    ];
    // the certificate classes of the pool (0 and 1 collide; 4 has none: NaN)
    const cert = ['A', 'A', 'B', 'C', 'NaN', 'E'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ k: fc.integer({ min: 0, max: pool.length - 1 }), dt: fc.integer({ min: 0, max: 30 }), repeat: fc.integer({ min: 1, max: 4 }) }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 50 }),
        (steps, staleAfterMs) => {
          const v = new BookValidator({ staleAfterMs, maxSpreadFraction: Infinity });
          let ts = 0;
          let prevK = -1;
          let lastChange = NaN; // the exact definition: ts of the last snapshot that differed from its predecessor
          let clock = NaN; // the documented clock
          let copyValid = false;
          for (const { k, dt, repeat } of steps) {
            for (let r = 0; r < repeat; r++) {
              ts += dt;
              const [bids, asks] = pool[k]!;
              const reallyChanged = k !== prevK || k === 4; // NaN levels never equal
              const certSame = prevK >= 0 && cert[k] === cert[prevK] && cert[k] !== 'NaN';
              // documented: a different certificate is a change; a same one is compared exactly when the
              // copy holds the previous snapshot, else counted as a change (the first repeat)
              const counted = !certSame || !copyValid || reallyChanged;
              copyValid = certSame;
              if (reallyChanged) lastChange = ts;
              if (counted) clock = ts;
              prevK = k;
              const stale = (v.validate(book(bids, asks, ts)) & I.Stale) !== 0;
              expect(stale).toBe(ts - clock > staleAfterMs);
              if (stale) expect(ts - lastChange).toBeGreaterThan(staleAfterMs);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('compares only present levels for staleness', () => {
    const v = new BookValidator({ staleAfterMs: 10 });
    const a = book([[100, 5], [99, 1]], asks, 0, 3);
    const b = cloneBook(a);
    b.bidPx[2] = 42; // past the count: ignored
    b.ts = 5;
    expect(v.validate(a)).toBe(0);
    expect(v.validate(b)).toBe(0); // first repeat
    b.ts = 16;
    expect(v.validate(b)).toBe(I.Stale);
  });

  it('never times a book with a NaN level as stale (it is NonFinite every time)', () => {
    const v = new BookValidator({ staleAfterMs: 10 });
    const a = book([[100, 5], [NaN, 1]], asks, 0, 3);
    for (const ts of [0, 20, 40, 60]) {
      a.ts = ts;
      expect(v.validate(a)).toBe(I.NonFinite);
    }
  });

  it('copies the levels it keeps: a reused (borrowed) snapshot is compared by content', () => {
    const v = new BookValidator({ staleAfterMs: 10 });
    const b = book(bids, asks, 0);
    v.validate(b);
    b.ts = 20; // first repeat: copied
    v.validate(b);
    b.bidSz[0] = 9; // the same object, changed in place
    b.ts = 50;
    expect(v.validate(b)).toBe(0);
    b.ts = 55;
    expect(v.validate(b)).toBe(0);
    b.ts = 66;
    expect(v.validate(b)).toBe(I.Stale);
    b.bidSz[0] = 5;
    b.bidSz[1] = 9; // same sums, other levels: the exact comparison sees it
    b.ts = 100;
    expect(v.validate(b)).toBe(0);
  });

  it('tracks staleness across books of different depth', () => {
    const v = new BookValidator({ staleAfterMs: 10 });
    v.validate(book(bids, asks, 0, 1));
    v.validate(book(bids, asks, 1, 1)); // first repeat
    expect(v.validate(book(bids, asks, 20, 8))).toBe(I.Stale); // same present levels, deeper capacity
    const deep = book([[100, 5], [99, 1], [98, 1], [97, 1]], asks, 30, 8);
    expect(v.validate(deep)).toBe(0);
    expect(v.validate(book([[100, 5], [99, 1], [98, 1], [97, 1]], asks, 31, 4))).toBe(0);
    expect(v.validate(book([[100, 5], [99, 1], [98, 1], [97, 1]], asks, 42, 4))).toBe(I.Stale);
  });

  it('never flags Stale with staleAfterMs Infinity, and ignores ts with checkTime false', () => {
    const v = new BookValidator({ staleAfterMs: Infinity });
    v.validate(book(bids, asks, 0));
    expect(v.validate(book(bids, asks, 1e15))).toBe(0);
    const w = new BookValidator({ checkTime: false, staleAfterMs: 0 });
    expect(w.validate(book(bids, asks, 10))).toBe(0);
    expect(w.validate(book(bids, asks, 5))).toBe(0);
    expect(w.validate(book(bids, asks, NaN))).toBe(0);
    expect(w.validate(book(bids, asks, 500))).toBe(0);
  });

  it('update is validate (the operator contract), and lastIssues holds the last result', () => {
    const v = new BookValidator();
    expect(v.update(book([[101, 5]], [[101, 3]], 0))).toBe(I.Locked);
    expect(v.lastIssues).toBe(I.Locked);
    expect(v.update(book(bids, asks, 1))).toBe(0);
    expect(v.lastIssues).toBe(0);
  });

  it('returns 0 on every call of a long loop over a clean book and counts every call', () => {
    const v = new BookValidator({ staleAfterMs: Infinity });
    const b = book(FIRST_ROW_BIDS, FIRST_ROW_ASKS);
    let nonzero = 0;
    for (let i = 0; i < 100_000; i++) {
      b.ts = i;
      nonzero += v.validate(b) === 0 ? 0 : 1;
    }
    expect(nonzero).toBe(0);
    const s = v.stats();
    expect(s.checked).toBe(100_000);
    expect(s.clean).toBe(100_000);
  });

  it('counts issues per snapshot in stats()', () => {
    const v = new BookValidator({ staleAfterMs: 10 });
    v.validate(book(bids, asks, 0)); // clean
    v.validate(book([[101, 5]], [[101, 3]], 1)); // Locked
    v.validate(book([[102, 1]], [[101, 3]], 0)); // Crossed | TimeBackwards
    v.validate(book([[102, 1]], [[101, 3]], 1)); // Crossed (first repeat)
    v.validate(book([[102, 0]], [[101, 3]], 2)); // Crossed | ZeroSizeLevel
    v.validate(book([[102, 0]], [[101, 3]], 3)); // Crossed | ZeroSizeLevel (first repeat)
    v.validate(book([[102, 0]], [[101, 3]], 20)); // Crossed | ZeroSizeLevel | Stale
    const s = v.stats();
    expect(s.checked).toBe(7);
    expect(s.clean).toBe(1);
    expect(s.sanitized).toBe(0);
    expect(s.issues).toEqual({
      NonFinite: 0, NegativePrice: 0, NegativeSize: 0, Crossed: 5, Locked: 1, WideSpread: 0, OutOfOrder: 0,
      DuplicateLevel: 0, ZeroSizeLevel: 3, TimeBackwards: 1, Stale: 1, BadLevelCount: 0,
    });
  });
});

describe('BookValidator.sanitize', () => {
  it('drops bad levels, compacts the rest in order, empties the freed slots and counts each drop by kind', () => {
    const v = new BookValidator();
    const b = book(
      [[100, 5], [NaN, 2], [101, 1], [99, 0], [99, 7], [99, 3], [98, -1], [-97, 1], [96, 4]],
      [[102, 3], [103, Infinity], [101.5, 2], [104, 4]],
      0,
      10,
    );
    expect(v.sanitize(b)).toBe(true);
    expect(bookLevels(b, 'bid')).toEqual([[100, 5], [99, 7], [96, 4]]);
    expect(bookLevels(b, 'ask')).toEqual([[102, 3], [104, 4]]);
    expect(b.bidLevels).toBe(3);
    expect(b.askLevels).toBe(2);
    for (let i = 3; i < 9; i++) {
      expect(b.bidPx[i]).toBeNaN();
      expect(b.bidSz[i]).toBe(0);
    }
    expect(b.askPx[2]).toBeNaN();
    expect(b.askPx[3]).toBeNaN();
    expect(v.lastIssues).toBe(I.NonFinite | I.NegativePrice | I.NegativeSize | I.OutOfOrder | I.DuplicateLevel | I.ZeroSizeLevel);
    const s = v.stats();
    // bids: NaN -> nonFinite; 101 > 100 -> outOfOrder; 99 x 0 -> zeroSize; second 99 -> duplicate;
    //       98 x -1 -> negativeSize; -97 -> negativePrice. asks: size Infinity -> nonFinite; 101.5 < 102 -> outOfOrder.
    expect(s.droppedLevels).toEqual({ nonFinite: 2, negativePrice: 1, negativeSize: 1, zeroSize: 1, duplicate: 1, outOfOrder: 2 });
    expect(s).toMatchObject({ checked: 1, clean: 0, sanitized: 1, accepted: 1, repaired: 1, rejected: 0 });
    expect(new BookValidator().check(b)).toBe(0);
  });

  it('accepts a clean book unchanged and counts it clean, not repaired', () => {
    const v = new BookValidator();
    const b = book(FIRST_ROW_BIDS, FIRST_ROW_ASKS, 34200015.105074);
    const before = cloneBook(b);
    expect(v.sanitize(b)).toBe(true);
    expect(identical(b, before)).toBe(true);
    expect(v.stats()).toMatchObject({ checked: 1, clean: 1, accepted: 1, repaired: 0 });
  });

  it('rejects a book crossed after repair and leaves it unchanged', () => {
    const v = new BookValidator();
    // the first valid bid is 102 (the NaN level would be dropped): 102 > 101
    const b = book([[NaN, 5], [102, 1]], [[101, 3]]);
    const before = cloneBook(b);
    expect(v.sanitize(b)).toBe(false);
    expect(identical(b, before)).toBe(true);
    expect(v.lastIssues).toBe(I.NonFinite);
    expect(v.stats()).toMatchObject({ sanitized: 1, accepted: 0, rejected: 1, rejections: { crossed: 1 } });
    expect(v.stats().droppedLevels.nonFinite).toBe(0);
  });

  it('accepts a crossed book when dropping a bad best level uncrosses it', () => {
    const v = new BookValidator();
    const b = book([[102, -1], [100, 1]], [[101, 3]]); // the crossing bid has a negative size
    expect(v.sanitize(b)).toBe(true);
    expect(v.lastIssues).toBe(I.Crossed | I.NegativeSize);
    expect(bookLevels(b, 'bid')).toEqual([[100, 1]]);
  });

  it('rejects a locked book unless allowLocked', () => {
    const locked = (): BookSnapshot => book([[101, 5]], [[101, 3]]);
    const v = new BookValidator();
    expect(v.sanitize(locked())).toBe(false);
    expect(v.stats().rejections.locked).toBe(1);
    const w = new BookValidator({ allowLocked: true });
    expect(w.sanitize(locked())).toBe(true);
    expect(w.lastIssues).toBe(0);
  });

  it('rejects a bad level count and a non-finite ts', () => {
    const v = new BookValidator();
    const b = book([[100, 5]], [[101, 3]]);
    b.askLevels = 2.5;
    expect(v.sanitize(b)).toBe(false);
    expect(b.askLevels).toBe(2.5);
    expect(v.sanitize(book([[100, 5]], [[101, 3]], NaN))).toBe(false);
    expect(v.stats().rejections).toEqual({ badLevelCount: 1, nonFiniteTs: 1, timeBackwards: 0, crossed: 0, locked: 0 });
    expect(new BookValidator({ checkTime: false }).sanitize(book([[100, 5]], [[101, 3]], NaN))).toBe(true);
  });

  it('rejects a snapshot older than the last accepted one', () => {
    const v = new BookValidator();
    expect(v.sanitize(book([[100, 5]], [[101, 3]], 10))).toBe(true);
    expect(v.sanitize(book([[100, 5]], [[101, 3]], 5))).toBe(false);
    expect(v.lastIssues).toBe(I.TimeBackwards);
    // 7 is after the rejected 5 but before the accepted 10: rejected too
    expect(v.sanitize(book([[100, 5]], [[101, 3]], 7))).toBe(false);
    expect(v.sanitize(book([[100, 5]], [[101, 3]], 10))).toBe(true);
    expect(v.stats().rejections.timeBackwards).toBe(2);
  });

  it('counts only the first rejection reason of a snapshot', () => {
    const v = new BookValidator();
    v.sanitize(book([[100, 5]], [[101, 3]], 10));
    const b = book([[102, 5]], [[101, 3]], 5); // time backwards and crossed
    expect(v.sanitize(b)).toBe(false);
    expect(v.lastIssues).toBe(I.TimeBackwards | I.Crossed);
    expect(v.stats().rejections).toEqual({ badLevelCount: 0, nonFiniteTs: 0, timeBackwards: 1, crossed: 0, locked: 0 });
  });

  it('accepts and flags a wide spread and a stale book: it never invents prices', () => {
    const v = new BookValidator({ staleAfterMs: 100 });
    const wide = book([[50, 5]], [[101, 3]], 0);
    expect(v.sanitize(wide)).toBe(true);
    expect(v.lastIssues).toBe(I.WideSpread);
    expect(bookLevels(wide, 'bid')).toEqual([[50, 5]]);
    expect(v.sanitize(book([[50, 5]], [[101, 3]], 1))).toBe(true); // first repeat
    expect(v.sanitize(book([[50, 5]], [[101, 3]], 102))).toBe(true);
    expect(v.lastIssues).toBe(I.WideSpread | I.Stale);
  });

  it('measures staleness on the repaired levels', () => {
    const v = new BookValidator({ staleAfterMs: 100 });
    v.sanitize(book([[100, 5]], [[101, 3]], 0));
    v.sanitize(book([[100, 5]], [[101, 3]], 1)); // first repeat
    // same book after dropping the zero-size level
    expect(v.sanitize(book([[100, 5], [99, 0]], [[101, 3]], 200))).toBe(true);
    expect(v.lastIssues).toBe(I.ZeroSizeLevel | I.Stale);
  });

  it('runs the class documentation example with the documented results', () => {
    const v = new BookValidator();
    expect(v.validate(bookFromLevels([[579.40, 496]], [[580.23, 100]]))).toBe(0);
    const bad = bookFromLevels([[100, 5], [101, 0]], [[99, 3]]);
    expect(describeIssues(v.check(bad))).toEqual(['Crossed', 'OutOfOrder', 'ZeroSizeLevel']);
    const fixable = bookFromLevels([[100, 5], [NaN, 2], [99, 7]], [[101, 3]]);
    expect(v.sanitize(fixable)).toBe(true);
    expect(bookLevels(fixable, 'bid')).toEqual([[100, 5], [99, 7]]);
    expect(v.stats().droppedLevels.nonFinite).toBe(1);
  });
});

describe('BookValidator snapshot / restore / reset', () => {
  it('reset clears the stream state and the counts', () => {
    const v = new BookValidator();
    v.validate(book([[100, 5]], [[101, 3]], 10));
    v.sanitize(book([[102, 5]], [[101, 3]], 11));
    v.reset();
    expect(v.lastIssues).toBe(0);
    expect(v.stats()).toEqual(new BookValidator().stats());
    expect(v.validate(book([[100, 5]], [[101, 3]], 1))).toBe(0);
  });

  it('round-trips the tracked levels and certificate through JSON (NaN, infinities, -0 included)', () => {
    const v = new BookValidator({ staleAfterMs: 5 });
    const b = book([[100, -0], [Infinity, 1]], [[101, 3]], 0);
    v.validate(b);
    b.ts = 1;
    v.validate(b); // NaN-free certificate? Infinity sums: non-finite, counts as changed
    const state = JSON.parse(JSON.stringify(v.snapshot())) as BookValidatorState;
    const w = new BookValidator({ staleAfterMs: 5 });
    w.restore(state);
    expect(w.snapshot()).toEqual(state);
    b.ts = 7;
    expect(w.validate(b)).toBe(v.validate(b));
    const clean = book([[100, 5]], [[101, 3]], 10);
    v.validate(clean);
    clean.ts = 11;
    v.validate(clean); // first repeat: the copy now holds it
    const s2 = JSON.parse(JSON.stringify(v.snapshot())) as BookValidatorState;
    expect(s2.copyValid).toBe(true);
    const x = new BookValidator({ staleAfterMs: 5 });
    x.restore(s2);
    clean.ts = 17;
    expect(x.validate(clean)).toBe(I.Stale);
    expect(v.validate(clean)).toBe(I.Stale);
  });

  it('restores a state written before the certificate existed (copy of the previous levels only)', () => {
    const v = new BookValidator({ staleAfterMs: 5 });
    const b = book([[100, 5], [99, 2]], [[101, 3]], 0);
    v.validate(b);
    const { prevLevels: _l, prevCertificate: _s, copyValid: _c, ...old } = JSON.parse(JSON.stringify(v.snapshot())) as BookValidatorState;
    // an old state held the copy of the previous snapshot's levels
    const legacy = { ...old, prevBidPx: [100, 99], prevBidSz: [5, 2], prevAskPx: [101], prevAskSz: [3] };
    const w = new BookValidator({ staleAfterMs: 5 });
    w.restore(legacy as BookValidatorState);
    b.ts = 6;
    expect(w.validate(b)).toBe(I.Stale); // compared exactly with the restored copy
    b.bidSz[0] = 6;
    b.ts = 20;
    expect(w.validate(b)).toBe(0);
  });

  it('restore rejects a state of another type, version or shape with InvalidStateError', () => {
    const v = new BookValidator();
    const good = JSON.parse(JSON.stringify(v.snapshot()));
    expect(() => v.restore({ ...good, type: 'Other' })).toThrow(InvalidStateError);
    expect(() => v.restore({ ...good, version: 2 })).toThrow(InvalidStateError);
    expect(() => v.restore({ ...good, lastTs: 'soon' })).toThrow(InvalidStateError);
    expect(() => v.restore({ ...good, hasPrev: 1 })).toThrow(InvalidStateError);
    expect(() => v.restore({ ...good, prevBidPx: [1] })).toThrow(InvalidStateError);
    expect(() => v.restore({ ...good, prevAskSz: 'x' })).toThrow(InvalidStateError);
    expect(() => v.restore({ ...good, counts: [1, 2] })).toThrow(InvalidStateError);
    expect(() => v.restore({ ...good, lastIssues: 0.5 })).toThrow(InvalidStateError);
    expect(() => v.restore(null as unknown as BookValidatorState)).toThrow(InvalidStateError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const specialNumber = fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, -1, 1);
const anyNumber = fc.oneof(specialNumber, fc.double(), fc.integer({ min: -3, max: 30 }));

function levelCount(depth: number, validWeight = 1): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: validWeight, arbitrary: fc.integer({ min: 0, max: depth }) },
    { weight: 1, arbitrary: fc.constantFrom(-1, depth + 3, 2.5, NaN, Infinity, -0) },
  );
}

function makeBook(ts: number, bidPx: number[], bidSz: number[], askPx: number[], askSz: number[], bidLevels: number, askLevels: number): BookSnapshot {
  return {
    ts,
    bidPx: Float64Array.from(bidPx),
    bidSz: Float64Array.from(bidSz),
    askPx: Float64Array.from(askPx),
    askSz: Float64Array.from(askSz),
    bidLevels,
    askLevels,
  };
}

/** Books of depth 1..12 made of arbitrary numbers (NaN, infinities, -0, huge, negative) and counts. */
function arbitraryBook(
  price: fc.Arbitrary<number> = anyNumber,
  askPrice: fc.Arbitrary<number> = price,
  size: fc.Arbitrary<number> = anyNumber,
  validCountWeight = 1,
): fc.Arbitrary<BookSnapshot> {
  return fc.integer({ min: 1, max: 12 }).chain((depth) => {
    const side = (x: fc.Arbitrary<number>): fc.Arbitrary<number[]> => fc.array(x, { minLength: depth, maxLength: depth });
    return fc
      .tuple(fc.oneof(fc.integer({ min: 0, max: 100 }), anyNumber), side(price), side(size), side(askPrice), side(size), levelCount(depth, validCountWeight), levelCount(depth, validCountWeight))
      .map(([ts, bp, bs, ap, as, nb, na]) => makeBook(ts, bp, bs, ap, as, nb, na));
  });
}

/** Mostly plausible books (small integer prices, bids low and asks high) so sanitize often accepts. */
const plausibleBook = arbitraryBook(
  fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 5, max: 12 }) }, { weight: 1, arbitrary: anyNumber }),
  fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 10, max: 17 }) }, { weight: 1, arbitrary: anyNumber }),
  fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 9 }) }, { weight: 1, arbitrary: anyNumber }),
  8,
);

/** Books whose arrays may have any lengths (0..12), unrelated to each other. */
const raggedBook = fc
  .tuple(
    anyNumber,
    fc.array(anyNumber, { maxLength: 12 }),
    fc.array(anyNumber, { maxLength: 12 }),
    fc.array(anyNumber, { maxLength: 12 }),
    fc.array(anyNumber, { maxLength: 12 }),
    fc.oneof(fc.integer({ min: -2, max: 14 }), anyNumber),
    fc.oneof(fc.integer({ min: -2, max: 14 }), anyNumber),
  )
  .map(([ts, bp, bs, ap, as, nb, na]) => makeBook(ts, bp, bs, ap, as, nb, na));

const validatorOptions: fc.Arbitrary<BookValidatorOptions> = fc.record(
  {
    maxSpreadFraction: fc.constantFrom(0.1, 0.01, 1, Infinity),
    staleAfterMs: fc.constantFrom(0, 10, 60_000, Infinity),
    allowLocked: fc.boolean(),
    checkTime: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** A valid book: distinct prices around 10,000 (so spread < 10% of mid), positive sizes, bid < ask. */
const validBook = fc.integer({ min: 1, max: 12 }).chain((depth) =>
  fc
    .tuple(fc.integer({ min: 0, max: depth }), fc.integer({ min: 0, max: depth }))
    .chain(([nb, na]) =>
      fc.tuple(
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: nb + na, maxLength: nb + na }),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 1e-6, max: 1e9, noNaN: true })), { minLength: nb + na, maxLength: nb + na }),
        fc.integer({ min: 0, max: 1e9 }),
      ).map(([ticks, sizes, ts]) => {
        const prices = ticks.sort((a, b) => a - b).map((k) => (1_000_000 + k) / 100);
        const bids: Level[] = prices.slice(0, nb).reverse().map((p, i) => [p, sizes[i] as number]);
        const asks: Level[] = prices.slice(nb).map((p, i) => [p, sizes[nb + i] as number]);
        return book(bids, asks, ts, depth);
      }),
    ),
);

/** Present levels of a side as [price, size] pairs. */
function present(b: BookSnapshot, side: 'bid' | 'ask'): Array<[number, number]> {
  return bookLevels(b, side);
}

/** Whether `sub` is a subsequence of `seq` (same pairs, same order). */
function isSubsequence(sub: Array<[number, number]>, seq: Array<[number, number]>): boolean {
  let j = 0;
  for (const [p, s] of sub) {
    while (j < seq.length && !(Object.is(seq[j]?.[0], p) && Object.is(seq[j]?.[1], s))) j++;
    if (j === seq.length) return false;
    j++;
  }
  return true;
}

describe('BookValidator properties', () => {
  it('validate and check never throw on arbitrary arrays and return an integer bit set', () => {
    fc.assert(
      fc.property(validatorOptions, fc.array(fc.oneof(arbitraryBook(), raggedBook), { minLength: 1, maxLength: 6 }), (options, books) => {
        const v = new BookValidator(options);
        for (const b of books) {
          const c = v.check(b);
          const bits = v.validate(b);
          expect(Number.isInteger(bits) && bits >= 0 && bits <= 4095).toBe(true);
          expect(c & ~BOOK_SNAPSHOT_ISSUES).toBe(0);
          expect(bits & BOOK_SNAPSHOT_ISSUES).toBe(c);
        }
      }),
    );
  });

  it('sanitize never throws; accepted output passes check (but WideSpread) and only keeps given levels; rejected input is unchanged', () => {
    let accepted = 0;
    let repaired = 0;
    fc.assert(
      fc.property(validatorOptions, fc.array(fc.oneof(plausibleBook, arbitraryBook(), raggedBook), { minLength: 1, maxLength: 6 }), (options, books) => {
        const v = new BookValidator(options);
        for (const b of books) {
          const before = cloneBookExact(b);
          const ok = v.sanitize(b);
          if (ok) {
            accepted++;
            if (!identical(b, before)) repaired++;
            expect(new BookValidator(options).check(b) & ~I.WideSpread).toBe(0);
            expect(isSubsequence(present(b, 'bid'), present(before, 'bid'))).toBe(true);
            expect(isSubsequence(present(b, 'ask'), present(before, 'ask'))).toBe(true);
          } else {
            expect(identical(b, before)).toBe(true);
          }
        }
        const s = v.stats();
        expect(s.sanitized).toBe(books.length);
        expect(s.accepted + s.rejected).toBe(books.length);
        const rejections = Object.values(s.rejections).reduce((x, y) => x + y, 0);
        expect(rejections).toBe(s.rejected);
      }),
    );
    expect(accepted).toBeGreaterThan(0);
    expect(repaired).toBeGreaterThan(0);
  });

  it('sanitize is idempotent: a sanitized book is accepted again with no repair', () => {
    fc.assert(
      fc.property(validatorOptions, plausibleBook, (options, b) => {
        const v = new BookValidator(options);
        if (!v.sanitize(b)) return;
        const once = cloneBookExact(b);
        const repairedBefore = v.stats().repaired;
        expect(v.sanitize(b)).toBe(true);
        expect(identical(b, once)).toBe(true);
        expect(v.stats().repaired).toBe(repairedBefore);
      }),
    );
  });

  it('counts every dropped level: input levels - output levels = dropped levels', () => {
    fc.assert(
      fc.property(plausibleBook, (b) => {
        const v = new BookValidator({ checkTime: false });
        const nb = b.bidLevels;
        const na = b.askLevels;
        if (!v.sanitize(b)) return;
        const dropped = Object.values(v.stats().droppedLevels).reduce((x, y) => x + y, 0);
        expect(nb + na - b.bidLevels - b.askLevels).toBe(dropped);
      }),
    );
  });

  it('a valid book (sorted distinct prices, positive sizes, bid < ask, spread < 10% of mid) validates as 0', () => {
    fc.assert(
      fc.property(validBook, (b) => {
        const v = new BookValidator();
        expect(v.validate(b)).toBe(0);
        const before = cloneBookExact(b);
        expect(v.sanitize(b)).toBe(true);
        expect(identical(b, before)).toBe(true);
        expect(v.stats().repaired).toBe(0);
      }),
    );
  });

  it('swapping the bid and ask sides of a valid book flags Crossed, and OutOfOrder when a side has 2+ levels', () => {
    fc.assert(
      fc.property(validBook, (b) => {
        const swapped = bookFromLevels(bookLevels(b, 'ask'), bookLevels(b, 'bid'), { depth: b.bidPx.length });
        let expected = 0;
        if (b.bidLevels > 0 && b.askLevels > 0) expected |= I.Crossed;
        if (b.bidLevels > 1 || b.askLevels > 1) expected |= I.OutOfOrder;
        expect(check(swapped)).toBe(expected);
      }),
    );
  });

  it('one injected fault in a valid book gives exactly its bit', () => {
    const faults = ['nanPrice', 'infSize', 'negativeSize', 'zeroSize', 'duplicate', 'swapNeighbours'] as const;
    fc.assert(
      fc.property(validBook, fc.constantFrom(...faults), fc.boolean(), fc.nat(), (b, fault, bidSide, at) => {
        const n = bidSide ? b.bidLevels : b.askLevels;
        const px = bidSide ? b.bidPx : b.askPx;
        const sz = bidSide ? b.bidSz : b.askSz;
        if (n === 0) return;
        const i = at % n;
        let expected: number;
        switch (fault) {
          case 'nanPrice': px[i] = NaN; expected = I.NonFinite; break;
          case 'infSize': sz[i] = Infinity; expected = I.NonFinite; break;
          case 'negativeSize': sz[i] = -(sz[i] as number); expected = I.NegativeSize; break;
          case 'zeroSize': sz[i] = 0; expected = I.ZeroSizeLevel; break;
          case 'duplicate':
            if (n < 2) return;
            px[(i % (n - 1)) + 1] = px[i % (n - 1)] as number;
            expected = I.DuplicateLevel;
            break;
          case 'swapNeighbours': {
            if (n < 2) return;
            const j = i % (n - 1);
            const t = px[j] as number;
            px[j] = px[j + 1] as number;
            px[j + 1] = t;
            expected = I.OutOfOrder;
            // a new best level could cross or lock the book, or change the spread
            if (j === 0 && b.bidLevels > 0 && b.askLevels > 0) return;
            break;
          }
        }
        expect(describeIssues(check(b))).toEqual(describeIssues(expected));
      }),
    );
  });

  it('never flags TimeBackwards on non-decreasing ts, and flags exactly it on a step back', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { minLength: 2, maxLength: 30 }), (raw) => {
        const times = [...raw].sort((a, b) => a - b);
        const v = new BookValidator({ staleAfterMs: Infinity });
        const b = book([[100, 5]], [[101, 3]]);
        for (const t of times) {
          b.ts = t;
          expect(v.validate(b)).toBe(0);
        }
        const last = times[times.length - 1] as number;
        b.ts = last - 1 === last ? -Infinity : last - 1;
        if (!Number.isFinite(b.ts)) return;
        expect(v.validate(b)).toBe(I.TimeBackwards);
      }),
    );
  });
});

/** Exact copy of a possibly malformed book (any array lengths, any counts). */
function cloneBookExact(b: BookSnapshot): BookSnapshot {
  return { ts: b.ts, bidPx: b.bidPx.slice(), bidSz: b.bidSz.slice(), askPx: b.askPx.slice(), askSz: b.askSz.slice(), bidLevels: b.bidLevels, askLevels: b.askLevels };
}

// A small pool of books (clean, faulty, crossed, wide, deeper) fed in arbitrary order and times.
const POOL: BookSnapshot[] = [
  book([[100, 5], [99, 7]], [[101, 3], [102, 4]], 0, 3),
  book([[100, 5], [NaN, 7]], [[101, 3]], 0, 3),
  book([[102, 5]], [[101, 3]], 0, 2),
  book([[50, 5], [49, 0]], [[101, 3]], 0, 5),
  book([[100, 5], [100, 2], [101, 1]], [[101, 3], [100.5, -1]], 0, 6),
  book([[101, 5]], [[101, 3]], 0, 1),
];
const streamOfBooks = fc
  .array(fc.tuple(fc.integer({ min: 0, max: POOL.length - 1 }), fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(NaN))), { maxLength: 20 })
  .map((xs) => xs.map(([k, ts]) => {
    const b = cloneBook(POOL[k] as BookSnapshot);
    b.ts = ts;
    return b;
  }));

describe('BookValidator operator contract', () => {
  testOperatorContract('BookValidator.validate', () => new BookValidator({ staleAfterMs: 5 }), streamOfBooks);
  testOperatorContract(
    'BookValidator.sanitize',
    () => new BookValidator({ staleAfterMs: 5 }),
    streamOfBooks,
    (v, b) => {
      const copy = cloneBook(b);
      const ok = v.sanitize(copy);
      return { ok, issues: v.lastIssues, bids: bookLevels(copy, 'bid'), asks: bookLevels(copy, 'ask'), stats: v.stats() };
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Real data: LOBSTER GOOG 2012-06-21 (never crossed or locked, no empty level, per data/README.md)
// ---------------------------------------------------------------------------------------------

/** LOBSTER orderbook rows (ask px, ask sz, bid px, bid sz per level; px x 10000) as books, ts in ms. */
function lobsterBooks(orderbook: string, message: string): { books: BookSnapshot[]; lines: string[] } {
  const lines = orderbook.split('\n').filter((l) => l.length > 0);
  const times = message.split('\n').filter((l) => l.length > 0).map((l) => Number(l.slice(0, l.indexOf(','))) * 1000);
  const books = lines.map((line, r) => {
    const cols = line.split(',').map(Number);
    const depth = cols.length / 4;
    const b = createBook(depth, times[r] as number);
    for (let i = 0; i < depth; i++) {
      b.askPx[i] = (cols[4 * i] as number) / 10000;
      b.askSz[i] = cols[4 * i + 1] as number;
      b.bidPx[i] = (cols[4 * i + 2] as number) / 10000;
      b.bidSz[i] = cols[4 * i + 3] as number;
    }
    b.bidLevels = depth;
    b.askLevels = depth;
    return b;
  });
  return { books, lines };
}

describe.skipIf(!hasSharedData)(`BookValidator on LOBSTER GOOG 2012-06-21 ${skipReason}`, () => {
  const tiny = lobsterBooks(readFileSync(tinyDay.orderbook, 'utf8'), readFileSync(tinyDay.message, 'utf8'));

  it('parses the first row into the hand-typed book, which validates clean', () => {
    const first = tiny.books[0] as BookSnapshot;
    const typed = book(FIRST_ROW_BIDS, FIRST_ROW_ASKS, 34200015.105074);
    expect(bookLevels(first, 'bid')).toEqual(bookLevels(typed, 'bid'));
    expect(bookLevels(first, 'ask')).toEqual(bookLevels(typed, 'ask'));
    expect(new BookValidator().validate(typed)).toBe(0);
  });

  it('validates all 200 tiny rows clean with the defaults, and sanitize accepts them unchanged', () => {
    const v = new BookValidator();
    const s = new BookValidator();
    for (const b of tiny.books) {
      expect(v.validate(b)).toBe(0);
      const copy = cloneBook(b);
      expect(s.sanitize(copy)).toBe(true);
      expect(identical(copy, b)).toBe(true);
    }
    expect(v.stats()).toMatchObject({ checked: 200, clean: 200 });
    expect(s.stats()).toMatchObject({ sanitized: 200, accepted: 200, repaired: 0, rejected: 0 });
  });

  it('with staleAfterMs 0 flags Stale exactly on repeated rows later than the first repeat of their run', () => {
    // Independent oracle on the raw CSV text: a row is stale when its text equals the previous row's
    // and its time is later than that of the first repeat of the run (the documented clock start).
    let refTs = NaN;
    const expected: number[] = [];
    tiny.lines.forEach((line, r) => {
      const ts = (tiny.books[r] as BookSnapshot).ts;
      const repeat = r > 0 && line === tiny.lines[r - 1];
      const firstRepeat = repeat && (r < 2 || tiny.lines[r - 1] !== tiny.lines[r - 2]);
      if (!repeat || firstRepeat) refTs = ts;
      else if (ts > refTs) expected.push(r);
    });
    const v = new BookValidator({ staleAfterMs: 0 });
    const flagged: number[] = [];
    tiny.books.forEach((b, r) => {
      const bits = v.validate(b);
      expect(bits & ~I.Stale).toBe(0);
      if (bits !== 0) flagged.push(r);
    });
    expect(flagged).toEqual(expected);
    expect(flagged.length).toBeGreaterThan(0);
    expect(v.stats().issues.Stale).toBe(expected.length);
  });

  it('validates every row of the full day clean (no stale check), time never going backwards', () => {
    const orderbook = gunzipSync(readFileSync(devDay.orderbook)).toString('utf8');
    const message = gunzipSync(readFileSync(devDay.message)).toString('utf8');
    const lines = orderbook.split('\n').filter((l) => l.length > 0);
    const times = message.split('\n').filter((l) => l.length > 0).map((l) => Number(l.slice(0, l.indexOf(','))) * 1000);
    expect(lines.length).toBe(147_916);
    expect(times.length).toBe(147_916);
    // one borrowed book, refilled per row, as a source would
    const b = createBook(10);
    b.bidLevels = 10;
    b.askLevels = 10;
    const v = new BookValidator({ staleAfterMs: Infinity });
    let flagged = 0;
    lines.forEach((line, r) => {
      const cols = line.split(',');
      for (let i = 0; i < 10; i++) {
        b.askPx[i] = Number(cols[4 * i]) / 10000;
        b.askSz[i] = Number(cols[4 * i + 1]);
        b.bidPx[i] = Number(cols[4 * i + 2]) / 10000;
        b.bidSz[i] = Number(cols[4 * i + 3]);
      }
      b.ts = times[r] as number;
      if (v.validate(b) !== 0) flagged++;
    });
    expect(flagged).toBe(0);
    expect(v.stats()).toMatchObject({ checked: 147_916, clean: 147_916 });
  });
});
