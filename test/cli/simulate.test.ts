import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LobsterL3Replay } from '../../src/book/lobster-l3-replay.js';
import { BookIssue, BookValidator } from '../../src/book/validator.js';
import { booksEqual, createBook } from '../../src/core/book.js';
import { InvalidInputError, InvalidOptionError } from '../../src/core/errors.js';
import type { BookSnapshot } from '../../src/core/events.js';
import { decodeNumber } from '../../src/core/operator.js';
import { parseDuration, parseScenarios, simulate } from '../../src/cli/simulate.js';
import { readLobster } from '../../src/replay/lobster.js';
import { CORRUPT_ISSUES } from '../../src/sim/scenarios.js';

const tmp = mkdtempSync(join(tmpdir(), 'microstructure-simulate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Readback {
  rows: number;
  replay: ReturnType<LobsterL3Replay['stats']>;
  books: BookSnapshot[];
  priceVisible: boolean;
}

/** Read a written pair with readLobster (errors throw) and rebuild the book with LobsterL3Replay. */
async function readBack(messageFile: string, depth: number): Promise<Readback> {
  const replay = new LobsterL3Replay();
  const reader = readLobster(messageFile, { onError: 'throw' });
  const out = createBook(depth);
  let rows = 0;
  let priceVisible = true;
  let prev: BookSnapshot | null = null;
  const books: BookSnapshot[] = [];
  for await (const row of reader) {
    rows++;
    // LOBSTER semantics: an add's price is visible in the row after it, a removal's in the row before
    const o = row.order;
    const inBook = (b: BookSnapshot) => {
      const px = o.side === 1 ? b.bidPx : b.askPx;
      const n = o.side === 1 ? b.bidLevels : b.askLevels;
      for (let i = 0; i < n; i++) if (px[i] === o.price) return true;
      return false;
    };
    if (!(o.kind === 'add' ? inBook(row.book) : prev === null || inBook(prev))) priceVisible = false;
    replay.update(row);
    expect(booksEqual(replay.book.writeSnapshot(out), row.book)).toBe(true);
    if (books.length < 3) books.push(structuredClone(row.book));
    prev = structuredClone(row.book);
  }
  expect(reader.stats().skipped).toBe(0);
  return { rows, replay: replay.stats(), books, priceVisible };
}

describe('simulate', () => {
  it('writes a LOBSTER pair that reads back without an error, whose rebuilt L3 book matches every order-book row, and labels.json', async () => {
    const out = join(tmp, 'a');
    const r = await simulate({ out, seed: 7, durationMs: 300_000, scenarios: 'spoofing,flash-crash,iceberg' });
    expect(r.messageFile).toBe(join(out, 'SIM_2024-01-02_34200000_34500000_message_10.csv'));
    expect(r.orderbookFile).toBe(join(out, 'SIM_2024-01-02_34200000_34500000_orderbook_10.csv'));
    expect(r.corruptFile).toBeNull();
    expect(r.messagesSkipped).toBe(0);
    const back = await readBack(r.messageFile, 10);
    expect(back.rows).toBe(r.rows);
    expect(r.rows).toBeGreaterThan(5000);
    expect(back.replay.rowsCompared).toBe(r.rows - 1);
    expect(back.replay.rowsMatched).toBe(back.replay.rowsCompared);
    // row 0 seeds the replay with message 0's order as synthetic volume: events of that order are the
    // only unknown ids, and each is taken from that synthetic volume
    const b = back.replay.book;
    expect(b.unknownOrders.cancel + b.unknownOrders.delete + b.unknownOrders.execute).toBeLessThanOrEqual(2);
    expect(b.unknownMatchedSynthetic).toBe(b.unknownOrders.cancel + b.unknownOrders.delete + b.unknownOrders.execute);
    expect([b.unknownIgnored, b.unknownMatchedKnown, b.sizeDisagreements]).toEqual([0, 0, 0]);
    const doc = JSON.parse(readFileSync(r.labelsFile, 'utf8'));
    expect(doc).toMatchObject({ generator: 'microstructure simulate', seed: 7, ticker: 'SIM', startMs: 34_200_000, endMs: 34_500_000, depth: 10, rows: r.rows, messages: 'all' });
    expect(doc.files).toEqual({ message: 'SIM_2024-01-02_34200000_34500000_message_10.csv', orderbook: 'SIM_2024-01-02_34200000_34500000_orderbook_10.csv', corrupt: null });
    expect(doc.labels.map((l: { kind: string }) => l.kind).sort()).toEqual(Object.entries(r.labelsByKind).flatMap(([k, n]) => Array(n).fill(k)).sort());
    expect(new Set(doc.labels.map((l: { kind: string }) => l.kind))).toEqual(new Set(['spoofing', 'flash-crash', 'iceberg']));
    expect(doc.scenarios[0]).toMatchObject({ kind: 'spoofing', maxEpisodes: 'Infinity' });
  });

  it('is deterministic: the same options give byte-identical files, another seed differs', async () => {
    const opts = { seed: 11, durationMs: 120_000, scenarios: ['corrupt-data', 'wash-trading'] as const };
    const a = await simulate({ ...opts, scenarios: [...opts.scenarios], out: join(tmp, 'd1') });
    const b = await simulate({ ...opts, scenarios: [...opts.scenarios], out: join(tmp, 'd2') });
    const c = await simulate({ ...opts, scenarios: [...opts.scenarios], seed: 12, out: join(tmp, 'd3') });
    for (const key of ['messageFile', 'orderbookFile', 'corruptFile'] as const) {
      expect(readFileSync(b[key]!, 'utf8')).toBe(readFileSync(a[key]!, 'utf8'));
      expect(readFileSync(c[key]!, 'utf8')).not.toBe(readFileSync(a[key]!, 'utf8'));
    }
    expect(readFileSync(b.labelsFile, 'utf8')).toBe(readFileSync(a.labelsFile, 'utf8'));
    expect(readdirSync(join(tmp, 'd1')).sort()).toEqual([
      'SIM_2024-01-02_34200000_34320000_corrupt_10.jsonl',
      'SIM_2024-01-02_34200000_34320000_message_10.csv',
      'SIM_2024-01-02_34200000_34320000_orderbook_10.csv',
      'labels.json',
    ]);
  });

  it('keeps corrupt data out of the LOBSTER files and writes each corrupted book, labelled, to the jsonl file', async () => {
    // corruptions at 30 s, then every 45 to 75 s: the 4th by 255 s
    const r = await simulate({ out: join(tmp, 'c'), seed: 3, durationMs: 260_000, depth: 5, ticker: 'XYZ', date: '2012-06-21', scenarios: ['corrupt-data'] });
    expect(r.messageFile).toBe(join(tmp, 'c', 'XYZ_2012-06-21_34200000_34460000_message_5.csv'));
    const back = await readBack(r.messageFile, 5);
    expect(back.replay.rowsMatched).toBe(back.replay.rowsCompared);
    const lines = readFileSync(r.corruptFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const labels = JSON.parse(readFileSync(r.labelsFile, 'utf8')).labels;
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.map((l) => l.issue)).toEqual(lines.map((_, i) => CORRUPT_ISSUES[i % 4]));
    expect(labels.map((l: { issue: string; row: number }) => [l.issue, l.row])).toEqual(lines.map((l) => [l.issue, l.row]));
    const validator = new BookValidator({ checkTime: false });
    const bits = { nan: BookIssue.NonFinite, 'negative-size': BookIssue.NegativeSize, crossed: BookIssue.Crossed, 'time-backwards': 0 };
    for (const l of lines) {
      const book = createBook(5, decodeNumber(l.ts));
      book.bidLevels = l.bidLevels;
      book.askLevels = l.askLevels;
      l.bidPx.forEach((x: number | string, i: number) => (book.bidPx[i] = decodeNumber(x)));
      l.bidSz.forEach((x: number | string, i: number) => (book.bidSz[i] = decodeNumber(x)));
      l.askPx.forEach((x: number | string, i: number) => (book.askPx[i] = decodeNumber(x)));
      l.askSz.forEach((x: number | string, i: number) => (book.askSz[i] = decodeNumber(x)));
      expect(validator.check(book)).toBe(bits[l.issue as keyof typeof bits]);
      expect(l.row).toBe(l.messageIndex);
    }
    // the time going backwards: earlier than the clean book of the row before it
    const tb = lines.find((l) => l.issue === 'time-backwards');
    const label = labels.find((l: { issue?: string }) => l.issue === 'time-backwards');
    expect(decodeNumber(tb.ts)).toBeLessThan(label.startMs);
  });

  it("messages: 'visible' writes LOBSTER's own semantics: only messages inside the visible levels; the rebuild resyncs and then equals every row", async () => {
    const r = await simulate({ out: join(tmp, 'v'), seed: 5, durationMs: 300_000, depth: 3, messages: 'visible' });
    expect(r.messagesSkipped).toBeGreaterThan(100);
    const back = await readBack(r.messageFile, 3);
    expect(back.priceVisible).toBe(true);
    expect(back.rows).toBe(r.rows);
    // levels enter the visible window unannounced (stale deep levels): resyncs, and after each the book equals the row
    expect(back.replay.resyncs).toBeGreaterThan(0);
    expect(back.replay.rowsUnequalAfterResync).toBe(0);
    const all = await simulate({ out: join(tmp, 'v-all'), seed: 5, durationMs: 300_000, depth: 3 });
    expect(all.rows).toBe(r.rows + r.messagesSkipped);
  });

  it('passes model parameters through, and rejects bad options with typed errors', async () => {
    const r = await simulate({ out: join(tmp, 'm'), durationMs: 5_000, simulator: { tickSize: 0.05, startPrice: 50 } });
    const back = await readBack(r.messageFile, 10);
    expect(back.books[0]!.bidPx[0]! * 100 % 5).toBeCloseTo(0, 6);
    const bad: Array<[object, RegExp]> = [
      [{}, /out/],
      [{ out: tmp, seed: 1.5 }, /seed/],
      [{ out: tmp, durationMs: 0 }, /durationMs/],
      [{ out: tmp, depth: 0 }, /depth/],
      [{ out: tmp, ticker: 'A_B' }, /ticker/],
      [{ out: tmp, date: '21/06/2012' }, /date/],
      [{ out: tmp, messages: 'some' }, /messages/],
      [{ out: tmp, scenarios: 'spoofing,teleport' }, /teleport/],
      [{ out: tmp, simulator: { seed: 3 } }, /simulator\.seed/],
      [{ out: tmp, simulator: { tickSize: 0.00005 } }, /tickSize/],
      [{ out: tmp, bogus: 1 }, /bogus/],
    ];
    for (const [options, message] of bad) {
      await expect(simulate(options as never)).rejects.toThrow(InvalidOptionError);
      await expect(simulate(options as never)).rejects.toThrow(message);
    }
  });

  it('reports progress on long runs', async () => {
    const seen: Array<[number, number]> = [];
    const r = await simulate({ out: join(tmp, 'p'), durationMs: 2_400_000, onProgress: (ms, rows) => seen.push([ms, rows]) });
    expect(r.rows).toBeGreaterThan(65_536);
    expect(seen.length).toBe(Math.floor(r.rows / 65_536));
    expect(seen[0]![1]).toBe(65_536);
  });
});

describe('parseDuration and parseScenarios', () => {
  it('parse durations with units, and scenario lists', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('1000')).toBe(1000);
    for (const bad of ['', 'm', '30x', '30m10', '-5m', 'h1']) expect(() => parseDuration(bad)).toThrow(InvalidInputError);
    expect(parseScenarios('spoofing, flash-crash,')).toEqual(['spoofing', 'flash-crash']);
    expect(() => parseScenarios('spoofing,teleport')).toThrow(/teleport/);
  });
});
