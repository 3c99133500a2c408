import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.js';
import type { MarketEvent } from '../../src/core/events.js';
import { LOBSTER_KINDS, lobsterEvents, lobsterOrderbookFile, lobsterSymbol, readLobster, type LobsterOptions, type LobsterRow } from '../../src/replay/lobster.js';
import { devDay, hasSharedData, loadReference, relClose, skipReason, tinyDay } from '../support/shared-data.js';
import { collect, gz, tempDir } from './fixtures.js';

/** A kept copy of a borrowed row. */
function keep(row: LobsterRow) {
  const b = row.book;
  return {
    index: row.index,
    line: row.line,
    type: row.type,
    order: { ...row.order },
    trade: row.trade === null ? null : { ...row.trade },
    raw: { ...row.raw },
    book: {
      ts: b.ts,
      bidLevels: b.bidLevels,
      askLevels: b.askLevels,
      bidPx: [...b.bidPx],
      bidSz: [...b.bidSz],
      askPx: [...b.askPx],
      askSz: [...b.askSz],
    },
  };
}

const rowsOf = (file: string, options?: LobsterOptions) => collect(readLobster(file, options), keep);

describe('lobster file names', () => {
  it('infers the order-book file and the ticker from LOBSTER naming', () => {
    expect(lobsterOrderbookFile('/d/GOOG_2012-06-21_34200000_57600000_message_10.csv.gz')).toBe('/d/GOOG_2012-06-21_34200000_57600000_orderbook_10.csv.gz');
    expect(lobsterOrderbookFile('AAPL_message_5.csv')).toBe('AAPL_orderbook_5.csv');
    expect(lobsterOrderbookFile('./AAPL_message_5.csv')).toBe('AAPL_orderbook_5.csv');
    expect(lobsterOrderbookFile('/d_message_x/book.csv')).toBeUndefined();
    expect(lobsterSymbol('/d/GOOG_2012-06-21_x.csv')).toBe('GOOG');
    expect(lobsterSymbol('/d/noticker.csv')).toBe('UNKNOWN');
    expect(lobsterSymbol('/d/_x.csv')).toBe('UNKNOWN');
  });

  it('maps message types 1..7 to order-event kinds', () => {
    expect(LOBSTER_KINDS.slice(1)).toEqual(['add', 'cancel', 'delete', 'execute', 'executeHidden', 'cross', 'halt']);
  });
});

describe('readLobster: options', () => {
  it('rejects bad options at construction with the option named', () => {
    expect(() => readLobster(tinyDay.message, { onError: 'ignore' as never })).toThrow(InvalidOptionError);
    expect(() => readLobster(tinyDay.message, { highWaterMark: 0 })).toThrow(/highWaterMark/);
    expect(() => readLobster(tinyDay.message, { fromMs: Number.NaN })).toThrow(/fromMs/);
    expect(() => readLobster(tinyDay.message, { fromMs: 5, toMs: 5 })).toThrow(/toMs/);
    expect(() => readLobster(tinyDay.message, { levels: 10 } as never)).toThrow(/levels/);
    expect(() => readLobster('')).toThrow(/messageFile/);
    expect(() => readLobster('/x/book.csv')).toThrow(/orderbookFile/);
    expect(() => readLobster('/x/book.csv', { orderbookFile: '' })).toThrow(/orderbookFile/);
    expect(() => readLobster(tinyDay.message, { symbol: '' })).toThrow(/symbol/);
  });

  it('takes the symbol and the order-book file from the name unless given', () => {
    const r = readLobster(tinyDay.message);
    expect([r.symbol, r.orderbookFile, r.levels]).toEqual(['GOOG', tinyDay.orderbook, 0]);
    const s = readLobster('/x/book.csv', { orderbookFile: '/x/ob.csv', symbol: 'XYZ' });
    expect([s.symbol, s.orderbookFile]).toEqual(['XYZ', '/x/ob.csv']);
  });
});

describe.skipIf(!hasSharedData)(`readLobster on the 200-row slice ${skipReason}`, () => {
  let rows: ReturnType<typeof keep>[] = [];
  const ref = hasSharedData ? loadReference(tinyDay.reference) : null;
  beforeAll(async () => {
    rows = await rowsOf(tinyDay.message);
  });

  it('row 0: 34200.015105074,4,15818974,4,5794000,1 is a seller-initiated execution of 4 at $579.40', () => {
    const r = rows[0]!;
    expect([r.index, r.line, r.type]).toEqual([0, 1, 4]);
    // 34200.015105074 s after midnight = 34200015.105074 ms
    expect(r.order).toEqual({ ts: 34200015.105074, kind: 'execute', orderId: 15818974, size: 4, price: 579.4, side: 1 });
    // direction +1: a buy limit order was hit, so the aggressor sold: side -1
    expect(r.trade).toEqual({ ts: 34200015.105074, price: 579.4, size: 4, side: -1, id: 15818974 });
    expect(r.raw).toEqual({ price: 5794000, direction: 1 });
    // book after it: 5802300,100,5794000,496,... -> best bid 579.40 x 496, best ask 580.23 x 100
    expect([r.book.bidPx[0], r.book.bidSz[0], r.book.askPx[0], r.book.askSz[0]]).toEqual([579.4, 496, 580.23, 100]);
    expect([r.book.bidLevels, r.book.askLevels, r.book.ts]).toEqual([10, 10, 34200015.105074]);
    // level 10: ask 5892600 x 100, bid 5700000 x 100
    expect([r.book.askPx[9], r.book.askSz[9], r.book.bidPx[9], r.book.bidSz[9]]).toEqual([589.26, 100, 570, 100]);
  });

  it('row 1 (8 decimals in the time) and row 2 (a hidden execution, order id 0)', () => {
    // 34200.05990197 s -> 34200059.90197 ms
    expect(rows[1]!.order.ts).toBe(34200059.90197);
    expect(rows[1]!.book.bidSz[0]).toBe(196);
    // 34200.113246707,5,0,1,5795100,1: hidden buy order at 579.51 hit, seller-initiated
    expect(rows[2]!.order).toEqual({ ts: 34200113.246707, kind: 'executeHidden', orderId: 0, size: 1, price: 579.51, side: 1 });
    expect(rows[2]!.trade).toEqual({ ts: 34200113.246707, price: 579.51, size: 1, side: -1, id: 0 });
  });

  it('non-executions carry no trade', () => {
    const add = rows.find((r) => r.type === 1)!;
    expect(add.trade).toBeNull();
    expect(add.order.kind).toBe('add');
  });

  it('matches the reference counts and spot rows of the slice', () => {
    expect(rows.length).toBe(ref.counts.rows);
    const byType: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0 };
    for (const r of rows) byType[r.type]!++;
    expect(byType).toEqual(ref.counts.messages_per_type);
    const trades = rows.filter((r) => r.trade !== null);
    expect(trades.length).toBe(ref.counts.trades);
    expect(trades.reduce((a, r) => a + r.trade!.size, 0)).toBe(ref.counts.volume);
    for (const spot of ref.spot_rows) {
      const r = rows[spot.row]!;
      expect([r.type, r.order.size, r.raw.price, r.raw.direction]).toEqual(spot.message);
      expect([r.book.askPx[0]! * 1e4, r.book.askSz[0]!, r.book.bidPx[0]! * 1e4, r.book.bidSz[0]!].map(Math.round)).toEqual(spot.level1);
      expect([r.book.bidPx[0], r.book.askPx[0]]).toEqual([spot.best_bid, spot.best_ask]);
      expect(relClose(r.order.ts, spot.time * 1000, 1e-15)).toBe(true);
    }
  });

  it('reports stats of the pass', async () => {
    const reader = readLobster(tinyDay.message);
    for await (const _ of reader) void _;
    expect(reader.stats()).toEqual({
      rows: 200,
      yielded: 200,
      filtered: 0,
      skipped: 0,
      skippedByKind: {},
      blankLines: 0,
      messageBytes: readFileSync(tinyDay.message).length,
      orderbookBytes: readFileSync(tinyDay.orderbook).length,
      byType: ref.counts.messages_per_type,
    });
    expect(reader.levels).toBe(10);
  });

  describe('chunk boundaries', () => {
    const fx = tempDir();
    afterAll(() => fx.cleanup());
    const head = (file: string, n: number) => readFileSync(file, 'utf8').split('\n').slice(0, n).join('\n') + '\n';

    it('gives the same rows for read chunks of 1..7 bytes as in one piece (first 12 rows)', async () => {
      const m = fx.file('GOOG_x_message_10.csv', head(tinyDay.message, 12));
      fx.file('GOOG_x_orderbook_10.csv', head(tinyDay.orderbook, 12));
      const whole = await rowsOf(m);
      expect(whole.length).toBe(12);
      expect(whole).toEqual(rows.slice(0, 12));
      for (let hwm = 1; hwm <= 7; hwm++) expect(await rowsOf(m, { highWaterMark: hwm })).toEqual(whole);
    });

    it('gives the same rows from gzip in 64-byte output chunks, with \\r\\n line ends and no final newline', async () => {
      const crlf = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n').join('\r\n');
      const m = fx.file('GOOG_y_message_10.csv.gz', gz(crlf(tinyDay.message)));
      fx.file('GOOG_y_orderbook_10.csv.gz', gz(crlf(tinyDay.orderbook)));
      expect(await rowsOf(m, { highWaterMark: 64 })).toEqual(rows);
    });
  });

  it('filters by message time: yields [fromMs, toMs), stops reading at toMs, counts the rest', async () => {
    const fromMs = 34205000;
    const toMs = 34208000;
    const reader = readLobster(tinyDay.message, { fromMs, toMs });
    const got = await collect(reader, keep);
    const want = rows.filter((r) => r.order.ts >= fromMs && r.order.ts < toMs);
    expect(want.length).toBeGreaterThan(10);
    expect(got).toEqual(want);
    const s = reader.stats();
    const firstAfter = rows.findIndex((r) => r.order.ts >= toMs);
    expect(s.rows).toBe(firstAfter + 1);
    expect(s.filtered).toBe(s.rows - want.length);
    expect(s.yielded).toBe(want.length);
  });

  it('a break closes the files; a second pass starts over', async () => {
    const reader = readLobster(tinyDay.message);
    let n = 0;
    for await (const _ of reader) if (++n === 3) break;
    expect(reader.stats().rows).toBe(3);
    expect((await collect(reader, keep)).length).toBe(200);
  });

  it('lobsterEvents yields order, trade (executions), book per row, with the symbol', async () => {
    const events = lobsterEvents(tinyDay.message);
    const got = await collect(events, (e: MarketEvent) => {
      if (e.type === 'order') return `order:${e.order.kind}:${e.symbol}`;
      if (e.type === 'trade') return `trade:${e.trade.side}:${e.trade.price}x${e.trade.size}`;
      return `book:${e.book.bidPx[0]}x${e.book.bidSz[0]}/${e.book.askPx[0]}x${e.book.askSz[0]}`;
    });
    expect(got.slice(0, 6)).toEqual([
      'order:execute:GOOG',
      'trade:-1:579.4x4',
      'book:579.4x496/580.23x100',
      'order:execute:GOOG',
      'trade:-1:579.4x300',
      'book:579.4x196/580.23x100',
    ]);
    expect(got.length).toBe(200 + 40 + 200);
    expect(events.reader.stats().rows).toBe(200);
  });

  it('lobsterEvents stops cleanly on break', async () => {
    let n = 0;
    for await (const _ of lobsterEvents(tinyDay.message)) if (++n === 2) break;
    expect(n).toBe(2);
  });
});

describe.skipIf(!hasSharedData)(`readLobster on the full dev day (gzip) ${skipReason}`, () => {
  const ref = hasSharedData ? loadReference(devDay.reference) : null;
  const acc = {
    rows: 0,
    byType: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0 } as Record<string, number>,
    trades: 0,
    volume: 0,
    volume4: 0,
    dir: { '-1': 0, '1': 0 } as Record<string, number>,
    sideNotMinusDirection: 0,
    firstTs: Number.NaN,
    lastTs: Number.NaN,
    backwards: 0,
    notFull: 0,
    bidMin: Infinity,
    bidMax: -Infinity,
    askMin: Infinity,
    askMax: -Infinity,
    bidSum: 0,
    spots: new Map<number, ReturnType<typeof keep>>(),
  };
  let stats: ReturnType<ReturnType<typeof readLobster>['stats']>;

  beforeAll(async () => {
    const spotRows = new Set<number>(ref.spot_rows.map((s: { row: number }) => s.row));
    const reader = readLobster(devDay.message);
    for await (const row of reader) {
      acc.rows++;
      acc.byType[row.type]!++;
      acc.dir[row.raw.direction]!++;
      const ts = row.order.ts;
      if (acc.rows === 1) acc.firstTs = ts;
      else if (ts < acc.lastTs) acc.backwards++;
      acc.lastTs = ts;
      if (row.trade !== null && (row.type === 4 || row.type === 5)) {
        acc.trades++;
        acc.volume += row.trade.size;
        if (row.type === 4) acc.volume4 += row.trade.size;
        if (row.trade.side !== -row.raw.direction) acc.sideNotMinusDirection++;
      }
      const b = row.book;
      if (b.bidLevels !== 10 || b.askLevels !== 10) acc.notFull++;
      const bid = b.bidPx[0]!;
      const ask = b.askPx[0]!;
      acc.bidMin = Math.min(acc.bidMin, bid);
      acc.bidMax = Math.max(acc.bidMax, bid);
      acc.askMin = Math.min(acc.askMin, ask);
      acc.askMax = Math.max(acc.askMax, ask);
      acc.bidSum += bid;
      if (spotRows.has(row.index)) acc.spots.set(row.index, keep(row));
    }
    stats = reader.stats();
  });

  it('reads every row, with the reference counts per type', () => {
    expect(acc.rows).toBe(ref.counts.rows);
    expect(acc.byType).toEqual(ref.counts.messages_per_type);
    expect(stats.byType).toEqual(ref.counts.messages_per_type);
    expect(stats.rows).toBe(ref.counts.rows);
    expect(acc.dir).toEqual(ref.counts.direction_counts);
  });

  it('yields the reference trades and volume, every trade side = -direction', () => {
    expect(acc.trades).toBe(ref.counts.trades);
    expect(acc.volume).toBe(ref.counts.volume);
    expect(acc.volume4).toBe(ref.counts.volume_type4);
    expect(acc.sideNotMinusDirection).toBe(0);
  });

  it('times: first and last as in the reference (ms, within float rounding), never decreasing', () => {
    expect(relClose(acc.firstTs, ref.counts.first_time * 1000, 1e-15)).toBe(true);
    expect(relClose(acc.lastTs, ref.counts.last_time * 1000, 1e-15)).toBe(true);
    expect(acc.backwards).toBe(0);
  });

  it('books: 10 levels a side on every row, best bid/ask ranges and checksum as in the reference', () => {
    expect(acc.notFull).toBe(ref.book.rows_invalid);
    expect([acc.bidMin, acc.bidMax]).toEqual([ref.book.best_bid.min, ref.book.best_bid.max]);
    expect([acc.askMin, acc.askMax]).toEqual([ref.book.best_ask.min, ref.book.best_ask.max]);
    expect(relClose(acc.bidSum, ref.book.best_bid.sum, 1e-9)).toBe(true);
  });

  it('spot rows match the reference', () => {
    for (const spot of ref.spot_rows) {
      const r = acc.spots.get(spot.row)!;
      expect([r.type, r.order.size, r.raw.price, r.raw.direction]).toEqual(spot.message);
      expect([r.book.bidPx[0], r.book.askPx[0]]).toEqual([spot.best_bid, spot.best_ask]);
      expect([r.book.askSz[0], r.book.bidSz[0]]).toEqual([spot.level1[1], spot.level1[3]]);
    }
  });

  it('counts the decompressed bytes of both files', () => {
    expect(stats.messageBytes).toBe(gunzipSync(readFileSync(devDay.message)).length);
    expect(stats.orderbookBytes).toBe(gunzipSync(readFileSync(devDay.orderbook)).length);
  });
});
