import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOOK_ISSUE_NAMES, BookIssue, BookValidator } from '../../src/book/validator.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import { invalidBook, SNAPSHOT_ISSUE_NAMES, validBook } from '../../src/testing/index.js';

describe('validBook', () => {
  it('gives books a default BookValidator finds no issue in', () => {
    fc.assert(fc.property(validBook(), (book) => new BookValidator().check(book) === 0));
  });

  it('respects depth, minLevels, tickSize and empty sides', () => {
    fc.assert(
      fc.property(validBook({ depth: 3, tickSize: 0.5, allowEmptySides: true }), (book) => {
        expect(book.bidPx.length).toBe(3);
        expect(book.bidLevels).toBeGreaterThanOrEqual(0);
        for (let i = 0; i < book.bidLevels; i++) expect(Number.isInteger(book.bidPx[i]! / 0.5)).toBe(true);
        for (let i = book.askLevels; i < 3; i++) expect([book.askPx[i], book.askSz[i]]).toEqual([NaN, 0]);
        return new BookValidator().check(book) === 0;
      }),
    );
    fc.assert(fc.property(validBook({ depth: 4, minLevels: 4 }), (b) => b.bidLevels === 4 && b.askLevels === 4));
  });

  it('reaches empty sides when allowed, and never otherwise', () => {
    const samples = fc.sample(validBook({ depth: 2, allowEmptySides: true }), { numRuns: 300, seed: 7 });
    expect(samples.some((b) => b.bidLevels === 0 || b.askLevels === 0)).toBe(true);
    expect(fc.sample(validBook({ depth: 2 }), { numRuns: 300, seed: 7 }).every((b) => b.bidLevels > 0 && b.askLevels > 0)).toBe(true);
  });

  it('shrinks a failing property to the simplest book', () => {
    const out = fc.check(fc.property(validBook({ depth: 5 }), (b) => b.bidLevels + b.askLevels < 4), { seed: 3 });
    expect(out.failed).toBe(true);
    const [book] = out.counterexample!;
    // the minimal counterexample: 4 levels in all, the smallest prices and sizes
    expect(book.bidLevels + book.askLevels).toBe(4);
    expect(book.bidPx[0]).toBeCloseTo(10, 10); // 1000 ticks of 0.01
    expect(book.bidSz[0]).toBe(1);
  });

  it('rejects bad options with a typed error', () => {
    expect(() => validBook({ depth: 0 })).toThrow(InvalidOptionError);
    expect(() => validBook({ minLevels: 11 })).toThrow(/minLevels/);
    expect(() => validBook({ tickSize: -1 })).toThrow(/tickSize/);
    expect(() => validBook({ allowEmptySides: 'yes' as never })).toThrow(/allowEmptySides/);
    expect(() => validBook({ bogus: 1 } as never)).toThrow(/bogus/);
  });
});

describe('invalidBook', () => {
  for (const kind of SNAPSHOT_ISSUE_NAMES) {
    it(`${kind}: check() flags exactly that issue`, () => {
      fc.assert(fc.property(invalidBook(kind), (book) => new BookValidator().check(book) === BookIssue[kind]));
    });
  }

  it('covers every validator issue kind', () => {
    expect([...SNAPSHOT_ISSUE_NAMES, 'TimeBackwards', 'Stale'].sort()).toEqual([...BOOK_ISSUE_NAMES].sort());
  });

  it('TimeBackwards: a stream whose last book a fresh validator flags as going back in time', () => {
    fc.assert(
      fc.property(invalidBook('TimeBackwards'), (books) => {
        const v = new BookValidator();
        const bits = books.map((b) => v.validate(b));
        return books.length === 2 && bits[0] === 0 && bits[1] === BookIssue.TimeBackwards;
      }),
    );
  });

  it('Stale: the same levels, repeated, longer than staleAfterMs later, also for a custom threshold', () => {
    fc.assert(
      fc.property(invalidBook('Stale'), (books) => {
        const v = new BookValidator();
        const bits = books.map((b) => v.validate(b));
        return books.length === 3 && bits[0] === 0 && bits[1] === 0 && bits[2] === BookIssue.Stale;
      }),
    );
    fc.assert(
      fc.property(invalidBook('Stale', { staleAfterMs: 500 }), (books) => {
        const v = new BookValidator({ staleAfterMs: 500 });
        const bits = books.map((b) => v.validate(b));
        return bits[bits.length - 1] === BookIssue.Stale;
      }),
    );
  });

  it('a BookValidator sanitize() repairs or rejects every invalid book, and a repaired book checks clean but for WideSpread', () => {
    for (const kind of SNAPSHOT_ISSUE_NAMES) {
      fc.assert(
        fc.property(invalidBook(kind), (book) => {
          const v = new BookValidator();
          if (v.sanitize(book)) expect(v.check(book) & ~BookIssue.WideSpread).toBe(0);
          else expect(v.stats().rejected).toBe(1);
        }),
        { numRuns: 30 },
      );
    }
  });

  it('rejects an unknown kind, and kinds needing two levels at depth 1', () => {
    expect(() => invalidBook('Bogus' as never)).toThrow(InvalidOptionError);
    expect(() => invalidBook('OutOfOrder', { depth: 1 })).toThrow(/depth/);
    expect(() => invalidBook('Crossed', { staleAfterMs: -1 })).toThrow(/staleAfterMs/);
  });
});
