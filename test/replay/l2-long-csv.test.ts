import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, ParseError } from '../../src/core/errors.js';
import type { BookSnapshot } from '../../src/core/events.js';
import { LineParseError } from '../../src/replay/errors.js';
import { type L2LongCsvOptions, readL2LongCsv } from '../../src/replay/l2-long-csv.js';
import { collect, gz, rejection, tempDir } from './fixtures.js';

const fx = tempDir();
afterAll(() => fx.cleanup());

let n = 0;
const write = (text: string | Uint8Array, ext = '.csv') => fx.file(`long-${n++}${ext}`, text);

const keep = (b: BookSnapshot) => ({
  ts: b.ts,
  bids: Array.from({ length: b.bidLevels }, (_, i) => [b.bidPx[i], b.bidSz[i]]),
  asks: Array.from({ length: b.askLevels }, (_, i) => [b.askPx[i], b.askSz[i]]),
  emptyTail: [...b.bidPx.subarray(b.bidLevels), ...b.askPx.subarray(b.askLevels)].every(Number.isNaN),
});
const books = (file: string, options?: L2LongCsvOptions) => collect(readL2LongCsv(file, options), keep);

const CSV = [
  'ts,side,level,price,size',
  '1000,bid,1,99.5,10',
  '1000,ask,1,100.5,12',
  '1000,bid,2,99.4,3',
  '1001,BID,1,99.6,1',
  '1001,a,2,100.7,5',
  '1001,a,1,100.6,4',
  '1002,sell,1,101,1',
].join('\n');

const WANT = [
  { ts: 1000, bids: [[99.5, 10], [99.4, 3]], asks: [[100.5, 12]], emptyTail: true },
  { ts: 1001, bids: [[99.6, 1]], asks: [[100.6, 4], [100.7, 5]], emptyTail: true },
  { ts: 1002, bids: [], asks: [[101, 1]], emptyTail: true },
];

describe('readL2LongCsv: worked examples', () => {
  it('groups consecutive rows of one ts into a snapshot, yielded when the ts changes and at the end', async () => {
    expect(await books(write(CSV))).toEqual(WANT);
  });

  it('accepts the side spellings bid/b/buy/1 and ask/a/sell/-1 in any case', async () => {
    const text = ['time,side,lvl,px,qty', '1,B,1,1,1', '1,-1,1,2,1', '2,buy,1,1,1', '2,ASK,1,2,1', '3,1,1,1,1', '3,Sell,1,2,1', '4,bids,1,1,1', '4,asks,1,2,1'].join('\n');
    const got = await books(write(text));
    expect(got.map((b) => [b.bids.length, b.asks.length])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it('ignores levels beyond depth and counts them', async () => {
    const r = readL2LongCsv(write(CSV), { depth: 1 });
    const got = await collect(r, keep);
    expect(got.map((b) => [b.bids.length, b.asks.length])).toEqual([
      [1, 1],
      [1, 1],
      [0, 1],
    ]);
    expect(r.stats()).toEqual({ rows: 7, yielded: 3, skipped: 0, skippedByKind: {}, blankLines: 0, bytes: CSV.length, beyondDepth: 2 });
  });

  it('maps columns by index without a header, reads gzip and tiny chunks, converts tsUnit', async () => {
    const body = CSV.split('\n').slice(1).map((l) => l.split(',').reverse().join(',')).join('\n');
    const columns = { ts: 4, side: 3, level: 2, price: 1, size: 0 };
    expect(await books(write(body), { columns })).toEqual(WANT);
    expect(await books(write(gz(CSV), '.gz'))).toEqual(WANT);
    const file = write(CSV);
    for (let hwm = 1; hwm <= 7; hwm += 3) expect(await books(file, { highWaterMark: hwm })).toEqual(WANT);
    expect((await books(write(CSV), { tsUnit: 's' })).map((b) => b.ts)).toEqual([1e6, 1001e3, 1002e3]);
  });

  it('a single-row file gives one snapshot', async () => {
    expect(await books(write('ts,side,level,price,size\n5,ask,1,2,3'))).toEqual([{ ts: 5, bids: [], asks: [[2, 3]], emptyTail: true }]);
  });
});

describe('readL2LongCsv: bad input', () => {
  const head = 'ts,side,level,price,size';

  it('rejects bad options and headers clearly', async () => {
    expect(() => readL2LongCsv('x.csv', { depth: 0 })).toThrow(InvalidOptionError);
    expect(() => readL2LongCsv('x.csv', { columns: { ts: 0, side: 1, level: 2, price: 3 } as never })).toThrow(/columns.size/);
    expect(() => readL2LongCsv('x.csv', { columns: 'x' as never })).toThrow(/columns/);
    // a data line with a text field reads as a header without a time column
    expect((await rejection(books(write('1000,bid,1,99.5,10')))).message).toMatch(/no time column.*pass `columns`/);
    expect((await rejection(books(write('1000,1,1,99.5,10')))).message).toMatch(/no header row/);
    expect((await rejection(books(write('ts,side,level,price\n1,bid,1,2')))).message).toMatch(/no size column/);
    expect((await rejection(books(write('when,side,level,price,size\n1,bid,1,2,3')))).message).toMatch(/no time column/);
    expect((await rejection(books(write('')))).message).toMatch(/empty file/);
  });

  const cases: Array<[string, string[], string, number, number, string]> = [
    // [what, data lines, kind, line, column, text]
    ['an unknown side', ['1,bud,1,1,1'], 'badSide', 2, 2, 'bud'],
    ['a level 0', ['1,bid,0,1,1'], 'badLevel', 2, 3, '0'],
    ['a fractional level', ['1,bid,1.5,1,1'], 'notInteger', 2, 3, '1.5'],
    ['a bad price', ['1,bid,1,p,1'], 'badNumber', 2, 4, 'p'],
    ['an empty price', ['1,bid,1,,1'], 'emptyField', 2, 4, ''],
    ['a level twice', ['1,bid,1,1,1', '1,bid,1,2,2'], 'duplicateLevel', 3, 3, '1,bid,1,2,2'],
    ['a gap (level 2 without level 1)', ['1,ask,1,1,1', '1,bid,2,1,1'], 'levelGap', 3, 3, '2'],
    ['too few fields', ['1,bid,1,1'], 'missingField', 2, 5, '1,bid,1,1'],
  ];
  for (const [what, lines, kind, line, column, text] of cases) {
    it(`${what}: ParseError ${kind} at line ${line}, column ${column}`, async () => {
      const file = write([head, ...lines].join('\n'));
      const error = await rejection(books(file));
      expect(error).toBeInstanceOf(LineParseError);
      expect([error.kind, error.source, error.line, error.column, error.text]).toEqual([kind, file, line, column, text]);
    });
  }

  it('skip mode: a bad row is dropped from its snapshot, a snapshot with a gap is dropped whole; each counted once', async () => {
    const text = [head, '1,bid,1,1,1', '1,bud,2,1,1', '1,ask,1,2,1', '2,bid,2,1,1', '2,ask,1,2,1', '3,bid,1,1,1', '3,bid,1,1,9', '4,ask,1,3,1'].join('\n');
    const r = readL2LongCsv(write(text), { onError: 'skip' });
    expect(await collect(r, keep)).toEqual([
      { ts: 1, bids: [[1, 1]], asks: [[2, 1]], emptyTail: true },
      { ts: 3, bids: [[1, 1]], asks: [], emptyTail: true },
      { ts: 4, bids: [], asks: [[3, 1]], emptyTail: true },
    ]);
    expect(r.stats().skippedByKind).toEqual({ badSide: 1, levelGap: 1, duplicateLevel: 1 });
    expect(r.stats().skipped).toBe(3);
  });

  it('a gap in the last snapshot is reported at the end of the file', async () => {
    const error = await rejection(books(write([head, '1,bid,1,1,1', '2,ask,3,1,1'].join('\n'))));
    expect([error.kind, error.line]).toEqual(['levelGap', 3]);
  });

  it('never crashes on corrupted rows: skip mode yields the good snapshots (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant('good'), fc.constantFrom('x', '1,bid', 'a,b,c,d,e', '1,bid,1,1,1,1', ',,,,')), { maxLength: 10 }),
        async (kinds) => {
          // every good row is its own snapshot (its own ts), level 1 bid
          const lines = kinds.map((k, i) => (k === 'good' ? `${i},bid,1,${i + 1},1` : k));
          const r = readL2LongCsv(write([head, ...lines].join('\n')), { onError: 'skip' });
          const got = (await collect(r, keep)).map((b) => b.ts);
          expect(got).toEqual(kinds.flatMap((k, i) => (k === 'good' ? [i] : [])));
          expect(r.stats().skipped).toBe(kinds.filter((k) => k !== 'good').length);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('throws ParseError in throw mode for the same corruptions', async () => {
    expect(await rejection(books(write([head, '1,bid,1,1,1', 'a,b,c,d,e'].join('\n'))))).toBeInstanceOf(ParseError);
  });
});
