import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, ParseError } from '../../src/core/errors.js';
import type { Trade } from '../../src/core/events.js';
import { LineParseError } from '../../src/replay/errors.js';
import { type TradesCsvOptions, readTradesCsv } from '../../src/replay/trades-csv.js';
import { collect, gz, rejection, tempDir } from './fixtures.js';

const fx = tempDir();
afterAll(() => fx.cleanup());

let n = 0;
const write = (text: string | Uint8Array, ext = '.csv') => fx.file(`trades-${n++}${ext}`, text);
const trades = (file: string, options?: TradesCsvOptions) => collect(readTradesCsv(file, options), (t: Trade) => ({ ...t }));

describe('readTradesCsv: worked examples', () => {
  it('reads ts, price, size and the aggressor side in its spellings', async () => {
    const text = ['ts,price,size,side', '1000,100.25,5,buy', '1001,100.2,1,S', '1002,100.2,2,', '1003,100.3,3,1', '1004,100.1,4,-1', '1005,100,1,0', '1006,100,1,Unknown', '1007,100,1,+1', '1008,100,1,seller'].join('\n');
    expect(await trades(write(text))).toEqual([
      { ts: 1000, price: 100.25, size: 5, side: 1 },
      { ts: 1001, price: 100.2, size: 1, side: -1 },
      { ts: 1002, price: 100.2, size: 2, side: 0 },
      { ts: 1003, price: 100.3, size: 3, side: 1 },
      { ts: 1004, price: 100.1, size: 4, side: -1 },
      { ts: 1005, price: 100, size: 1, side: 0 },
      { ts: 1006, price: 100, size: 1, side: 0 },
      { ts: 1007, price: 100, size: 1, side: 1 },
      { ts: 1008, price: 100, size: 1, side: -1 },
    ]);
  });

  it('without a side column every side is 0; other columns are ignored; tsUnit converts', async () => {
    const text = ['exchange,timestamp_us,px,amount,id', 'x,1500,10,2,abc'].join('\n');
    expect(await trades(write(text))).toEqual([{ ts: 1.5, price: 10, size: 2, side: 0 }]);
    expect(await trades(write('time,price,qty\n2,10,2'), { tsUnit: 's' })).toEqual([{ ts: 2000, price: 10, size: 2, side: 0 }]);
  });

  it('maps columns explicitly, with a numeric id; no header needed', async () => {
    const columns = { ts: 0, price: 1, size: 2, side: 3, id: 4 };
    expect(await trades(write('1,10,2,b,77\n2,11,3,s,78\n'), { columns })).toEqual([
      { ts: 1, price: 10, size: 2, side: 1, id: 77 },
      { ts: 2, price: 11, size: 3, side: -1, id: 78 },
    ]);
    expect(await trades(write('t,p,q\n1,10,2'), { columns: { ts: 't', price: 'p', size: 'q' } })).toEqual([{ ts: 1, price: 10, size: 2, side: 0 }]);
  });

  it('the same trades from gzip and from 1..7-byte chunks', async () => {
    const text = 'ts,price,size,side\r\n1,10,2,b\r\n2,11,3,s';
    const want = await trades(write(text));
    expect(await trades(write(gz(text), '.gz'))).toEqual(want);
    for (let hwm = 1; hwm <= 7; hwm++) expect(await trades(write(text), { highWaterMark: hwm })).toEqual(want);
  });

  it('a break closes the file; the next pass starts over', async () => {
    const r = readTradesCsv(write('ts,price,size\n1,2,3\n4,5,6\n7,8,9'));
    for await (const t of r) if (t.ts === 4) break;
    expect(r.stats().yielded).toBe(2);
    expect(await collect(r, (t) => t.ts)).toEqual([1, 4, 7]);
    const it = r[Symbol.asyncIterator]();
    while (!(await it.next()).done);
    expect((await it.next()).done).toBe(true);
  });

  it('stats', async () => {
    const r = readTradesCsv(write('ts,price,size\n1,2,3\n\n4,5,x\n'), { onError: 'skip' });
    expect(await collect(r, (t) => t.ts)).toEqual([1]);
    expect(r.stats()).toEqual({ rows: 2, yielded: 1, skipped: 1, skippedByKind: { badNumber: 1 }, blankLines: 1, bytes: 27 });
  });
});

describe('readTradesCsv: bad input', () => {
  it('options and headers', async () => {
    expect(() => readTradesCsv('x.csv', { columns: { ts: 0, price: 1 } as never })).toThrow(/columns.size/);
    expect(() => readTradesCsv('x.csv', { columns: { ts: 0, price: 1, size: 2, id: 1.5 } })).toThrow(/columns.id/);
    expect(() => readTradesCsv('x.csv', { columns: 5 as never })).toThrow(InvalidOptionError);
    expect(() => readTradesCsv('x.csv', { onError: 'warn' as never })).toThrow(/onError/);
    expect((await rejection(trades(write('1,2,3\n4,5,6')))).message).toMatch(/no header row/);
    expect((await rejection(trades(write('ts,price,volume_usd\n1,2,3')))).message).toMatch(/no size column/);
    expect((await rejection(trades(write('ts,size\n1,2')))).message).toMatch(/no price column/);
    expect((await rejection(trades(write('')))).message).toMatch(/empty file/);
  });

  const cases: Array<[string, string, string, number, string, string]> = [
    ['an unknown side', '1,2,3,bid', 'badSide', 4, 'side', 'bid'],
    ['a bad price', '1,two,3,b', 'badNumber', 2, 'price', 'two'],
    ['an empty size', '1,2,,b', 'emptyField', 3, 'size', ''],
    ['a missing side field', '1,2,3', 'missingField', 4, 'side', '1,2,3'],
    ['an extra field', '1,2,3,b,9', 'extraField', 5, '', '1,2,3,b,9'],
  ];
  for (const [what, line, kind, column, field, text] of cases) {
    it(`${what}: ParseError ${kind} naming file, line 3, column ${column}`, async () => {
      const file = write(`ts,price,size,side\n1,2,3,b\n${line}\n`);
      const error = await rejection(trades(file));
      expect(error).toBeInstanceOf(LineParseError);
      expect([error.kind, error.source, error.line, error.column, error.field ?? '', error.text]).toEqual([kind, file, 3, column, field, text]);
      expect(error.message).toContain(`${file}:3:${column}`);
    });
  }

  it('never crashes on random corrupted lines: skip mode yields every good trade, counts every bad line (property)', async () => {
    const good = fc.record({ price: fc.integer({ min: 1, max: 1e6 }), size: fc.integer({ min: 1, max: 1e4 }), side: fc.constantFrom('b', 's', '') });
    const junk = fc.oneof(
      fc.constantFrom('x', '1,2', '1,2,3,b,5', 'a,b,c,d', '1,2,3,q', '1,,3,b', ',,,'),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 20 }).map((b) => Buffer.from([...b.filter((x) => x !== 10 && x !== 13), 0x78]).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(good, junk), { maxLength: 12 }), async (rows) => {
        const lines = rows.map((r, i) => (typeof r === 'string' ? r : `${i},${r.price / 100},${r.size},${r.side}`));
        const file = write(['ts,price,size,side', ...lines].join('\n'));
        const r = readTradesCsv(file, { onError: 'skip' });
        const got = await collect(r, (t) => [t.ts, t.price, t.size, t.side]);
        const want = rows.flatMap((row, i) => (typeof row === 'string' ? [] : [[i, row.price / 100, row.size, row.side === 'b' ? 1 : row.side === 's' ? -1 : 0]]));
        expect(got).toEqual(want);
        const bad = rows.filter((row) => typeof row === 'string').length;
        expect(r.stats().skipped).toBe(bad);
        if (bad > 0) {
          const error = await rejection(trades(file));
          expect(error).toBeInstanceOf(ParseError);
          expect(error.line).toBe(rows.findIndex((row) => typeof row === 'string') + 2);
        }
      }),
      { numRuns: 50 },
    );
  });
});
