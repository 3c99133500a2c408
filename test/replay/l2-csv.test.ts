import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { BookSnapshot } from '../../src/core/events.js';
import { InvalidOptionError, ParseError } from '../../src/core/errors.js';
import { LineParseError } from '../../src/replay/errors.js';
import { type L2CsvOptions, inferL2Columns, readL2Csv } from '../../src/replay/l2-csv.js';
import { collect, gz, rejection, tempDir } from './fixtures.js';

const fx = tempDir();
afterAll(() => fx.cleanup());

let n = 0;
const write = (text: string | Uint8Array, ext = '.csv') => fx.file(`l2-${n++}${ext}`, text);

const keep = (b: BookSnapshot) => ({
  ts: b.ts,
  bids: Array.from({ length: b.bidLevels }, (_, i) => [b.bidPx[i], b.bidSz[i]]),
  asks: Array.from({ length: b.askLevels }, (_, i) => [b.askPx[i], b.askSz[i]]),
  emptyTail: [...b.bidPx.subarray(b.bidLevels), ...b.askPx.subarray(b.askLevels)].every(Number.isNaN) &&
    [...b.bidSz.subarray(b.bidLevels), ...b.askSz.subarray(b.askLevels)].every((s) => s === 0),
});

const books = (file: string, options?: L2CsvOptions) => collect(readL2Csv(file, options), keep);

const CSV = ['ts,bid_px_1,bid_sz_1,ask_px_1,ask_sz_1,bid_px_2,bid_sz_2,ask_px_2,ask_sz_2', '1000,99.5,10,100.5,12,99.4,3,100.6,4', '1001.5,99.6,1,,,99.5,2,,'].join('\n');

describe('readL2Csv: worked examples', () => {
  it('reads levels by header names, empty cells as empty levels', async () => {
    expect(await books(write(CSV))).toEqual([
      { ts: 1000, bids: [[99.5, 10], [99.4, 3]], asks: [[100.5, 12], [100.6, 4]], emptyTail: true },
      { ts: 1001.5, bids: [[99.6, 1], [99.5, 2]], asks: [], emptyTail: true },
    ]);
  });

  it('recognises other spellings, 0-based levels, extra columns, any column order', async () => {
    const text = ['exchange,symbol,timestamp,asks[0].price,asks[0].amount,bids[0].price,bids[0].amount', 'x,BTC,5,101,2,100,3'].join('\n');
    expect(await books(write(text))).toEqual([{ ts: 5, bids: [[100, 3]], asks: [[101, 2]], emptyTail: true }]);
    const camel = ['time,bidPx1,bidSz1,askPx1,askSz1', '7,1,2,3,4'].join('\n');
    expect(await books(write(camel))).toEqual([{ ts: 7, bids: [[1, 2]], asks: [[3, 4]], emptyTail: true }]);
    const words = ['Timestamp,Bid1,Bid_Size_1,Ask1,Ask_Size_1', '7,1,2,3,4'].join('\n');
    expect(await books(write(words))).toEqual([{ ts: 7, bids: [[1, 2]], asks: [[3, 4]], emptyTail: true }]);
  });

  it('converts the time unit: option, or a unit suffix in the header name', async () => {
    const rows = ['1.5,1,2,3,4'];
    expect((await books(write(['ts,bid1,bid_sz_1,ask1,ask_sz_1', ...rows].join('\n')), { tsUnit: 's' }))[0]!.ts).toBe(1500);
    expect((await books(write(['ts_us,bid1,bid_sz_1,ask1,ask_sz_1', '1500,1,2,3,4'].join('\n'))))[0]!.ts).toBe(1.5);
    expect((await books(write(['timestamp_ns,bid1,bid_sz_1,ask1,ask_sz_1', '1500000,1,2,3,4'].join('\n'))))[0]!.ts).toBe(1.5);
    // the option wins over the suffix
    expect((await books(write(['time_s,bid1,bid_sz_1,ask1,ask_sz_1', '2,1,2,3,4'].join('\n')), { tsUnit: 'ms' }))[0]!.ts).toBe(2);
  });

  it('maps columns explicitly, by index (no header needed) or by name', async () => {
    const columns = { ts: 0, bidPx: [1], bidSz: [2], askPx: [3], askSz: [4] };
    const r = readL2Csv(write('10,1,2,3,4\n11,1.5,2,3,4\n'), { columns });
    expect(await collect(r, keep)).toEqual([
      { ts: 10, bids: [[1, 2]], asks: [[3, 4]], emptyTail: true },
      { ts: 11, bids: [[1.5, 2]], asks: [[3, 4]], emptyTail: true },
    ]);
    expect(r.levels).toBe(1);
    const byName = { ts: 'when', bidPx: ['b'], bidSz: ['bs'], askPx: ['a'], askSz: ['as'] };
    expect(await books(write('when,a,as,b,bs\n3,9,1,8,2\n'), { columns: byName })).toEqual([{ ts: 3, bids: [[8, 2]], asks: [[9, 1]], emptyTail: true }]);
  });

  it('reads gzip, ; and tab delimiters, \\r\\n and quoted headers', async () => {
    const want = [{ ts: 1000, bids: [[99.5, 10], [99.4, 3]], asks: [[100.5, 12], [100.6, 4]], emptyTail: true }];
    expect((await books(write(gz(CSV), '.csv.gz')))[0]).toEqual(want[0]);
    expect((await books(write(CSV.replaceAll(',', ';')), { delimiter: ';' }))[0]).toEqual(want[0]);
    expect((await books(write(CSV.replaceAll(',', '\t')), { delimiter: '\t' }))[0]).toEqual(want[0]);
    const quoted = CSV.split('\n')
      .map((l, i) => (i === 0 ? l.split(',').map((x) => `"${x}"`).join(',') : l))
      .join('\r\n');
    expect((await books(write(quoted)))[0]).toEqual(want[0]);
  });

  it('gives the same books for 1..7-byte read chunks', async () => {
    const file = write(CSV);
    const whole = await books(file);
    for (let hwm = 1; hwm <= 7; hwm++) expect(await books(file, { highWaterMark: hwm })).toEqual(whole);
  });

  it('reports stats', async () => {
    const r = readL2Csv(write(`${CSV}\n\n`));
    await collect(r, keep);
    expect(r.stats()).toEqual({ rows: 2, yielded: 2, skipped: 0, skippedByKind: {}, blankLines: 1, bytes: CSV.length + 2 });
  });
});

describe('readL2Csv: header problems', () => {
  it('a file without a header and without columns', async () => {
    const error = await rejection(books(write('1000,99.5,10,100.5,12\n')));
    expect(error).toBeInstanceOf(ParseError);
    expect(error.line).toBe(1);
    expect(error.message).toMatch(/no header row.*columns/);
  });

  it('no time column, no level columns, incomplete or duplicated levels, levels from 2', async () => {
    expect((await rejection(books(write('when,bid1,bid_sz_1,ask1,ask_sz_1\n1,1,1,1,1')))).message).toMatch(/no time column/);
    expect((await rejection(books(write('ts,a,b\n1,1,1')))).message).toMatch(/no level columns/);
    expect((await rejection(books(write('ts,bid1,bid_sz_1,ask1\n1,1,1,1')))).message).toMatch(/no column for askSz level 1/);
    expect((await rejection(books(write('ts,bid1,bid_px_1,bid_sz_1,ask1,ask_sz_1\n1,1,1,1,1,1')))).message).toMatch(/two columns for bidPx level 1/);
    expect((await rejection(books(write('ts,bid2,bid_sz_2,ask2,ask_sz_2\n1,1,1,1,1')))).message).toMatch(/start at level 2/);
  });

  it('an empty file', async () => {
    const error = await rejection(books(write('')));
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toMatch(/empty file/);
  });

  it('bad options throw at construction; bad column references when the header is read', async () => {
    expect(() => readL2Csv('x.csv', { tsUnit: 'min' as never })).toThrow(InvalidOptionError);
    expect(() => readL2Csv('x.csv', { delimiter: '.' })).toThrow(/delimiter/);
    expect(() => readL2Csv('x.csv', { delimiter: ',,' })).toThrow(/delimiter/);
    expect(() => readL2Csv('x.csv', { header: 'yes' as never })).toThrow(/header/);
    expect(() => readL2Csv('x.csv', { columns: { ts: 0, bidPx: [1], bidSz: [2, 3], askPx: [3], askSz: [4] } })).toThrow(/columns.bidSz/);
    expect(() => readL2Csv('x.csv', { columns: { ts: -1, bidPx: [1], bidSz: [2], askPx: [3], askSz: [4] } })).toThrow(/columns.ts/);
    expect(() => readL2Csv('x.csv', { columns: null as never })).toThrow(/columns/);
    expect(() => readL2Csv('x.csv', { depth: 3 } as never)).toThrow(/depth/);
    expect(() => readL2Csv('')).toThrow(/file/);
    const columns = { ts: 9, bidPx: [1], bidSz: [2], askPx: [3], askSz: [4] };
    expect(await rejection(books(write('1,2,3,4,5'), { columns }))).toBeInstanceOf(InvalidOptionError);
    const named = { ts: 'nope', bidPx: [1], bidSz: [2], askPx: [3], askSz: [4] };
    expect((await rejection(books(write('ts,a,b,c,d\n1,2,3,4,5'), { columns: named }))).message).toMatch(/columns.ts/);
    expect((await rejection(books(write('1,2,3,4,5'), { columns: named }))).message).toMatch(/no header row/);
  });

  it('header: false reads the first line as data, header: true as names', async () => {
    const columns = { ts: 0, bidPx: [1], bidSz: [2], askPx: [3], askSz: [4] };
    expect(await books(write('1,2,3,4,5'), { columns, header: false })).toHaveLength(1);
    expect(await books(write('1,2,3,4,5\n6,7,8,9,10'), { columns, header: true })).toHaveLength(1);
  });
});

describe('readL2Csv: bad lines', () => {
  const head = 'ts,bid_px_1,bid_sz_1,ask_px_1,ask_sz_1,bid_px_2,bid_sz_2,ask_px_2,ask_sz_2';
  const cases: Array<[string, string, string, number, string, string]> = [
    ['a non-numeric price', '1,9x,1,2,1,,,,', 'badNumber', 2, 'bid_px_1', '9x'],
    ['a size without a price', '1,1,1,2,1,,5,,', 'emptyField', 6, 'bid_px_2', ''],
    ['a price without a size', '1,1,1,2,1,0.5,,,', 'emptyField', 7, 'bid_sz_2', ''],
    ['a bid level after an empty one', '1,,,2,1,0.5,1,,', 'levelGap', 6, 'bid_px_2', '0.5'],
    ['an ask level after an empty one', '1,1,1,,,,,3,1', 'levelGap', 8, 'ask_px_2', '3'],
    ['too few fields', '1,1,1,2,1', 'missingField', 6, 'bid_px_2', '1,1,1,2,1'],
    ['too many fields', '1,1,1,2,1,,,,,', 'extraField', 10, '', '1,1,1,2,1,,,,,'],
    ['an empty time', ',1,1,2,1,,,,', 'emptyField', 1, 'ts', ''],
  ];
  for (const [what, line, kind, column, field, text] of cases) {
    it(`${what}: ParseError ${kind} at column ${column}`, async () => {
      const file = write(`${head}\n1,1,1,2,1,,,,\n${line}\n`);
      const error = await rejection(books(file));
      expect(error).toBeInstanceOf(LineParseError);
      expect([error.kind, error.source, error.line, error.column, error.field ?? '', error.text]).toEqual([kind, file, 3, column, field, text]);
    });
  }

  it('skip mode: skips and counts each bad line, yields the others', async () => {
    const lines = cases.map((c) => c[1]);
    const file = write([head, '1,1,1,2,1,,,,', ...lines, '2,1,1,2,1,,,,'].join('\n'));
    const r = readL2Csv(file, { onError: 'skip' });
    expect((await collect(r, keep)).map((b) => b.ts)).toEqual([1, 2]);
    expect(r.stats().skipped).toBe(lines.length);
    expect(r.stats().skippedByKind).toEqual({ badNumber: 1, emptyField: 3, levelGap: 2, missingField: 1, extraField: 1 });
  });

  it('never crashes on corrupted lines: every bad line counted, every good one yielded (property)', async () => {
    const good = fc.record({ bid: fc.integer({ min: 1, max: 999 }), size: fc.integer({ min: 1, max: 99 }) });
    const junk = fc.oneof(
      fc.constantFrom('x', '1,2', '1,1,1,1,1,1,1,1,1,1', '', ',,,,,,,,', 'a,b,c,d,e,f,g,h,i'),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 30 }).map((b) => Buffer.from([...b.filter((x) => x !== 10 && x !== 13), 0x78]).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(good, junk), { maxLength: 10 }), async (rows) => {
        const lines = rows.map((r, i) => (typeof r === 'string' ? r : `${i},${r.bid},${r.size},${r.bid + 1},${r.size},,,,`));
        const file = write([head, ...lines].join('\n'));
        const r = readL2Csv(file, { onError: 'skip' });
        const got = (await collect(r, keep)).map((b) => b.ts);
        const goodIdx = rows.flatMap((row, i) => (typeof row === 'string' ? [] : [i]));
        // blank junk ('') is a blank line, not an error
        const bad = rows.filter((row) => typeof row === 'string' && row !== '').length;
        expect(got).toEqual(goodIdx);
        expect(r.stats().skipped).toBe(bad);
        // throw mode: the first bad line is reported
        if (bad > 0) {
          const firstBad = rows.findIndex((row) => typeof row === 'string' && row !== '');
          const error = await rejection(books(file));
          expect(error).toBeInstanceOf(ParseError);
          expect(error.line).toBe(firstBad + 2);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('inferL2Columns', () => {
  it('returns the column of each level, best first', () => {
    const names = ['ts', 'ask_px_2', 'ask_sz_2', 'ask_px_1', 'ask_sz_1', 'bid_px_1', 'bid_sz_1', 'bid_px_2', 'bid_sz_2'];
    const header = { file: 'f', names, fields: names.length, line: 1, text: '' };
    expect(inferL2Columns(header)).toEqual({ bidPx: [5, 7], bidSz: [6, 8], askPx: [3, 1], askSz: [4, 2] });
    expect(inferL2Columns({ ...header, names: ['ts', 'x'] })).toBeUndefined();
  });
});
