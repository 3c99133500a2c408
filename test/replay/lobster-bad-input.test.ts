import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { MicrostructureError, ParseError } from '../../src/core/errors.js';
import type { MarketEvent } from '../../src/core/events.js';
import { LineParseError, SourceMismatchError } from '../../src/replay/errors.js';
import { LOBSTER_HALT, lobsterEvents, readLobster, type LobsterOptions, type LobsterRow } from '../../src/replay/lobster.js';
import { collect, gz, obLine, rejection, tempDir, ulp, writeLobster } from './fixtures.js';

const fx = tempDir();
afterAll(() => fx.cleanup());

const E_ASK = 9999999999;
const E_BID = -9999999999;
const ONE_LEVEL = obLine([
  [5800100, 100, 5799900, 20],
  [E_ASK, 0, E_BID, 0],
]);

/** Seven rows: a 12-decimal time, an execution, a cross, the three halt codes, a book with no asks. */
const MESSAGES = [
  '34200.123456789012,1,11,100,5800100,-1',
  '34200.2,4,11,40,5800100,-1',
  '34200.3,6,-1,5000,5800000,-1',
  '34200.4,7,0,0,-1,-1',
  '34200.5,7,0,0,0,-1',
  '34200.6,7,0,0,1,-1',
  '34200.7,3,11,60,5800100,-1',
];
const BOOKS = [
  ONE_LEVEL,
  obLine([
    [5800100, 60, 5799900, 20],
    [E_ASK, 0, E_BID, 0],
  ]),
  ONE_LEVEL,
  ONE_LEVEL,
  ONE_LEVEL,
  ONE_LEVEL,
  obLine([
    [E_ASK, 0, 5799900, 20],
    [E_ASK, 0, E_BID, 0],
  ]),
];

const keep = (r: LobsterRow) => ({
  index: r.index,
  line: r.line,
  type: r.type,
  order: { ...r.order },
  trade: r.trade === null ? null : { ...r.trade },
  raw: { ...r.raw },
  bid: [r.book.bidLevels, ...r.book.bidPx, ...r.book.bidSz],
  ask: [r.book.askLevels, ...r.book.askPx, ...r.book.askSz],
});

const read = (file: string, options?: LobsterOptions) => collect(readLobster(file, options), keep);

/** Replace line `i` (0-based) of one file's lines. */
const withLine = (lines: readonly string[], i: number, text: string) => lines.map((l, j) => (j === i ? text : l));

async function errorOf(messages: readonly string[], books: readonly string[], options: LobsterOptions = {}): Promise<any> {
  const f = writeLobster(fx, messages, books, { ticker: `T${Math.random().toString(36).slice(2, 8)}` });
  const error = await rejection(read(f.message, options));
  return Object.assign(error, { files: f });
}

describe('readLobster: types 6 and 7, sentinels, odd times', () => {
  it('passes crosses (6) and halts (7) through without breaking the stream', async () => {
    const f = writeLobster(fx, MESSAGES, BOOKS);
    const rows = await read(f.message);
    expect(rows.map((r) => r.type)).toEqual([1, 4, 6, 7, 7, 7, 3]);
    expect(rows.map((r) => r.order.kind)).toEqual(['add', 'execute', 'cross', 'halt', 'halt', 'halt', 'delete']);
    // execution of a sell limit order (direction -1): buyer-initiated, side +1
    expect(rows[1]!.trade).toEqual({ ts: 34200200, price: 580.01, size: 40, side: 1, id: 11 });
    // cross: an auction print with no aggressor, side 0
    expect(rows[2]!.trade).toEqual({ ts: 34200300, price: 580, size: 5000, side: 0, id: -1 });
    // halts carry no trade; the halt code stays unscaled in order.price and raw.price
    expect(rows.slice(3, 6).map((r) => [r.trade, r.order.price, r.raw.price])).toEqual([
      [null, LOBSTER_HALT.halted, -1],
      [null, LOBSTER_HALT.quotingResumes, 0],
      [null, LOBSTER_HALT.tradingResumes, 1],
    ]);
  });

  it('maps the empty-level sentinels to NaN / 0 and counts the levels present', async () => {
    const f = writeLobster(fx, MESSAGES, BOOKS, { ticker: 'SENT' });
    const rows = await read(f.message);
    // row 0: one level each side, level 2 empty
    expect(rows[0]!.bid).toEqual([1, 579.99, Number.NaN, 20, 0]);
    expect(rows[0]!.ask).toEqual([1, 580.01, Number.NaN, 100, 0]);
    // row 6: no ask at all
    expect(rows[6]!.ask).toEqual([0, Number.NaN, Number.NaN, 0, 0]);
    expect(rows[6]!.bid[0]).toBe(1);
  });

  it('parses a 12-decimal time (34200.123456789012) to within 1 ulp of parseFloat * 1000', async () => {
    const f = writeLobster(fx, MESSAGES, BOOKS, { ticker: 'TIME' });
    const ts = (await read(f.message))[0]!.order.ts;
    expect(Math.abs(ts - Number.parseFloat('34200.123456789012') * 1000)).toBeLessThanOrEqual(ulp(ts));
  });

  it('lobsterEvents emits a trade event for a cross (side 0) and none for a halt', async () => {
    const f = writeLobster(fx, MESSAGES, BOOKS, { ticker: 'EVT' });
    const types = await collect(lobsterEvents(f.message), (e: MarketEvent) => (e.type === 'trade' ? `trade${e.trade.side}` : e.type));
    expect(types).toEqual([
      'order', 'book',
      'order', 'trade1', 'book',
      'order', 'trade0', 'book',
      'order', 'book', 'order', 'book', 'order', 'book',
      'order', 'book',
    ]);
  });

  it('next() after the end keeps returning done', async () => {
    const f = writeLobster(fx, MESSAGES, BOOKS, { ticker: 'END' });
    const it = readLobster(f.message)[Symbol.asyncIterator]();
    for (let i = 0; i < 7; i++) expect((await it.next()).done).toBe(false);
    expect((await it.next()).done).toBe(true);
    expect((await it.next()).done).toBe(true);
  });

  it('reads \\r\\n files without a final newline, and gzip, the same', async () => {
    const plain = await read(writeLobster(fx, MESSAGES, BOOKS, { ticker: 'P' }).message);
    const crlf = await read(writeLobster(fx, MESSAGES, BOOKS, { ticker: 'C', eol: '\r\n', finalEol: false }).message);
    const zipped = await read(writeLobster(fx, MESSAGES, BOOKS, { ticker: 'Z', gzip: true }).message, { highWaterMark: 64 });
    expect(crlf).toEqual(plain);
    expect(zipped).toEqual(plain);
  });

  it('ignores blank lines (counted), so a trailing blank line is no row-count mismatch', async () => {
    const f = writeLobster(fx, [...MESSAGES, ''], BOOKS, { ticker: 'BLANK' });
    const reader = readLobster(f.message);
    expect((await collect(reader, keep)).length).toBe(7);
    expect(reader.stats().blankLines).toBe(1);
  });
});

describe('readLobster: malformed lines throw a ParseError naming file, line, column, field and text', () => {
  const cases: Array<[string, 'm' | 'b', number, string, string, number, string, string]> = [
    // [what, file, row, line text, kind, column, field, text]
    ['a non-numeric size', 'm', 1, '34200.2,4,11,4x0,5800100,-1', 'badNumber', 4, 'size', '4x0'],
    ['an unknown type', 'm', 1, '34200.2,8,11,40,5800100,-1', 'badType', 2, 'type', '8'],
    ['a direction of 0', 'm', 1, '34200.2,4,11,40,5800100,0', 'badDirection', 6, 'direction', '0'],
    ['a fractional price', 'm', 1, '34200.2,4,11,40,5800100.5,-1', 'notInteger', 5, 'price', '5800100.5'],
    ['an empty time', 'm', 2, ',6,-1,5000,5800000,-1', 'emptyField', 1, 'time', ''],
    ['a missing field', 'm', 1, '34200.2,4,11,40,5800100', 'missingField', 6, 'direction', '34200.2,4,11,40,5800100'],
    ['an extra field', 'm', 1, '34200.2,4,11,40,5800100,-1,9', 'extraField', 7, '', '34200.2,4,11,40,5800100,-1,9'],
    ['a bad book price', 'b', 2, '5800100,100,abc,20,9999999999,0,-9999999999,0', 'badNumber', 3, 'bidPx1', 'abc'],
    ['a short book row', 'b', 3, '5800100,100,5799900,20,9999999999,0,-9999999999', 'missingField', 8, 'bidSz2', '5800100,100,5799900,20,9999999999,0,-9999999999'],
    ['an ask level after an empty one', 'b', 4, '9999999999,0,5799900,20,5800200,5,-9999999999,0', 'levelGap', 5, 'askPx2', '5800200'],
    ['a bid level after an empty one', 'b', 4, '5800100,100,-9999999999,0,5800200,5,5799800,7', 'levelGap', 7, 'bidPx2', '5799800'],
  ];

  for (const [what, which, row, line, kind, column, field, text] of cases) {
    it(`${what}: kind ${kind}, column ${column}`, async () => {
      const messages = which === 'm' ? withLine(MESSAGES, row, line) : MESSAGES;
      const books = which === 'b' ? withLine(BOOKS, row, line) : BOOKS;
      const error = await errorOf(messages, books);
      const file = which === 'm' ? error.files.message : error.files.orderbook;
      expect(error).toBeInstanceOf(ParseError);
      expect(error).toBeInstanceOf(LineParseError);
      expect(error.code).toBe('PARSE_ERROR');
      expect([error.kind, error.source, error.line, error.column, error.field ?? '', error.text]).toEqual([kind, file, row + 1, column, field, text]);
      expect(error.message).toContain(`${file}:${row + 1}:${column}`);
      expect(error.message).toContain(JSON.stringify(text));
      if (kind === 'missingField' || kind === 'extraField') expect(error.message).toMatch(/expected \d+, got \d+/);
    });
  }

  it('with onError skip, skips each bad row pair, counts it by kind, and yields the rest', async () => {
    let messages = withLine(MESSAGES, 1, '34200.2,4,11,4x0,5800100,-1');
    messages = withLine(messages, 4, '34200.5,9,0,0,0,-1');
    const books = withLine(BOOKS, 5, '1,2,3');
    const f = writeLobster(fx, messages, books, { ticker: 'SKIP' });
    const reader = readLobster(f.message, { onError: 'skip' });
    const rows = await collect(reader, keep);
    expect(rows.map((r) => r.index)).toEqual([0, 2, 3, 6]);
    const s = reader.stats();
    expect([s.rows, s.yielded, s.skipped, s.filtered]).toEqual([7, 4, 3, 0]);
    expect(s.skippedByKind).toEqual({ badNumber: 1, badType: 1, missingField: 1 });
  });
});

describe('readLobster: structural problems always throw', () => {
  it('message file longer than the order-book file: SourceMismatchError naming both and the first row without a partner', async () => {
    const f = writeLobster(fx, MESSAGES, BOOKS.slice(0, 5), { ticker: 'MISM' });
    const seen: number[] = [];
    const error = await rejection(
      (async () => {
        for await (const row of readLobster(f.message, { onError: 'skip' })) seen.push(row.index);
      })(),
    );
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(error).toBeInstanceOf(SourceMismatchError);
    expect(error).toBeInstanceOf(MicrostructureError);
    expect(error.code).toBe('SOURCE_MISMATCH');
    expect([error.file, error.endedFile, error.row, error.line]).toEqual([f.message, f.orderbook, 5, 6]);
    expect(error.files).toEqual([f.message, f.orderbook]);
    expect(error.message).toContain(f.message);
    expect(error.message).toContain(f.orderbook);
    expect(error.message).toContain('row 5 (line 6)');
  });

  it('order-book file longer: the error names the order-book row', async () => {
    const error = await errorOf(MESSAGES.slice(0, 3), BOOKS);
    expect(error).toBeInstanceOf(SourceMismatchError);
    expect([error.file, error.row, error.line]).toEqual([error.files.orderbook, 3, 4]);
  });

  it('empty files: a ParseError naming the empty one', async () => {
    const bothEmpty = await errorOf([], []);
    expect(bothEmpty).toBeInstanceOf(ParseError);
    expect(bothEmpty.source).toBe(bothEmpty.files.message);
    expect(bothEmpty.message).toMatch(/empty file/);
    const bookEmpty = await errorOf(MESSAGES, [], { onError: 'skip' });
    expect(bookEmpty.source).toBe(bookEmpty.files.orderbook);
    expect(bookEmpty.message).toMatch(/empty file/);
    const messageEmpty = await errorOf([], BOOKS);
    expect(messageEmpty.source).toBe(messageEmpty.files.message);
  });

  it('a truncated gzip: a ParseError naming the file, after the rows read before the cut', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => `34200.${i},1,${i},100,5800100,-1`);
    const f = writeLobster(fx, many, Array.from({ length: 3000 }, () => ONE_LEVEL), { ticker: 'CUT', gzip: true });
    const whole = readFileSync(f.orderbook);
    writeFileSync(f.orderbook, whole.subarray(0, Math.floor(whole.length * 0.6)));
    let rows = 0;
    const error = await rejection(
      (async () => {
        for await (const _ of readLobster(f.message, { onError: 'skip', highWaterMark: 4096 })) rows++;
      })(),
    );
    expect(error).toBeInstanceOf(ParseError);
    expect(error.source).toBe(f.orderbook);
    expect(error.message).toMatch(/truncated gzip/);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(3000);
  });

  it('a first order-book row whose column count is not a multiple of 4', async () => {
    const error = await errorOf(MESSAGES, withLine(BOOKS, 0, '5800100,100,5799900,20,9999999999,0,-9999999999'), { onError: 'skip' });
    expect(error).toBeInstanceOf(ParseError);
    expect([error.source, error.line]).toEqual([error.files.orderbook, 1]);
    expect(error.message).toMatch(/7 fields, not a multiple of 4/);
  });

  it('a missing order-book file: the file-system error names it', async () => {
    const f = writeLobster(fx, MESSAGES, BOOKS, { ticker: 'GONE' });
    const error = await rejection(read(f.message, { orderbookFile: `${f.orderbook}.missing` }));
    expect(error.code).toBe('ENOENT');
    expect(error.message).toContain('.missing');
  });

  it('gzip magic with garbage after it', async () => {
    const f = writeLobster(fx, MESSAGES, BOOKS, { ticker: 'GARB' });
    writeFileSync(f.message, Buffer.concat([gz('x').subarray(0, 10), Buffer.from('not deflate at all')]));
    const error = await rejection(read(f.message));
    expect(error).toBeInstanceOf(ParseError);
    expect(error.source).toBe(f.message);
  });
});

describe('readLobster: corrupted lines (property)', () => {
  type Corruption = { file: 'm' | 'b'; how: 'random' | 'missing' | 'extra' | 'nonNumeric' | 'domain'; bytes: number[]; at: number; field: number; text: string };

  const goodRow = fc.record({
    type: fc.integer({ min: 1, max: 5 }),
    id: fc.integer({ min: 0, max: 1e8 }),
    size: fc.integer({ min: 1, max: 5000 }),
    price: fc.integer({ min: 5700000, max: 5900000 }),
    direction: fc.constantFrom(1, -1),
    frac: fc.integer({ min: 0, max: 999999999 }),
    level2: fc.boolean(),
  });
  const corruption: fc.Arbitrary<Corruption> = fc.record({
    file: fc.constantFrom('m' as const, 'b' as const),
    how: fc.constantFrom('random' as const, 'missing' as const, 'extra' as const, 'nonNumeric' as const, 'domain' as const),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }),
    at: fc.nat(),
    field: fc.nat(),
    text: fc.constantFrom('abc', '1.2.3', '', '--1', '1e', 'NaN', 'Infinity', '0x10'),
  });

  function corrupt(line: string, c: Corruption): string {
    const fields = line.split(',');
    switch (c.how) {
      case 'random': {
        // random bytes without line breaks, and one byte ('x') no number can contain
        const bytes = c.bytes.filter((b) => b !== 10 && b !== 13);
        bytes.splice(c.at % (bytes.length + 1), 0, 0x78);
        return Buffer.from(bytes).toString('latin1');
      }
      case 'missing':
        return fields.slice(0, -1).join(',');
      case 'extra':
        return `${line},7`;
      case 'nonNumeric':
        fields[c.field % fields.length] = c.text;
        return fields.join(',');
      case 'domain':
        if (c.file === 'm') {
          fields[1] = '9';
        } else {
          // ask level 1 empty but level 2 present: a gap
          fields[0] = String(E_ASK);
          fields[4] = '5800000';
          fields[5] = '1';
        }
        return fields.join(',');
    }
  }

  it('never crashes: throw mode reports the first bad line; skip mode counts every bad line and yields every good one', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(goodRow, { minLength: 2, maxLength: 12 }),
        fc.array(fc.option(corruption, { freq: 2 }), { minLength: 12, maxLength: 12 }),
        async (good, corruptions) => {
          const messages = good.map((g, i) => `${34200 + i}.${String(g.frac).padStart(9, '0')},${g.type},${g.id},${g.size},${g.price},${g.direction}`);
          const books = good.map((g) =>
            obLine([
              [g.price + 100, g.size, g.price - 100, g.size + 1],
              g.level2 ? [g.price + 200, 7, g.price - 200, 8] : [E_ASK, 0, E_BID, 0],
            ]),
          );
          const bad: Array<{ row: number; file: 'm' | 'b' }> = [];
          for (let i = 1; i < good.length; i++) {
            const c = corruptions[i];
            if (c === null || c === undefined) continue;
            if (c.file === 'm') messages[i] = corrupt(messages[i]!, c);
            else books[i] = corrupt(books[i]!, c);
            bad.push({ row: i, file: c.file });
          }
          const f = writeLobster(fx, messages, books, { ticker: `FC${run++}` });
          const goodRows = good.map((_, i) => i).filter((i) => !bad.some((b) => b.row === i));

          // skip mode: every good row, in order, with its values; every bad row counted
          const reader = readLobster(f.message, { onError: 'skip' });
          const rows = await collect(reader, (r) => [r.index, r.raw.price, r.order.size, r.book.bidLevels]);
          expect(rows).toEqual(goodRows.map((i) => [i, good[i]!.price, good[i]!.size, good[i]!.level2 ? 2 : 1]));
          const s = reader.stats();
          expect(s.skipped).toBe(bad.length);
          expect(Object.values(s.skippedByKind).reduce((a, b) => a + b, 0)).toBe(bad.length);
          expect(s.rows).toBe(good.length);

          // throw mode: the rows before the first bad one, then a ParseError pointing at it
          const seen: number[] = [];
          let error: unknown = null;
          try {
            for await (const r of readLobster(f.message)) seen.push(r.index);
          } catch (e) {
            error = e;
          }
          if (bad.length === 0) {
            expect(error).toBeNull();
            expect(seen).toEqual(goodRows);
          } else {
            const first = bad[0]!;
            expect(error).toBeInstanceOf(LineParseError);
            const pe = error as LineParseError;
            expect([pe.source, pe.line]).toEqual([first.file === 'm' ? f.message : f.orderbook, first.row + 1]);
            expect(seen).toEqual(goodRows.filter((i) => i < first.row));
          }
        },
      ),
    );
  });
});
