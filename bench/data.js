// Bench inputs: the dev day from ../shared/data (read through the built LOBSTER reader), its first 200
// rows ("tiny"), or a seeded synthetic session when no data is at hand. Everything is loaded, copied and
// laid out before any timing starts.
//
// Layout: the books' four level arrays are views into ONE contiguous Float64Array (book i's 4 x depth
// numbers follow book i-1's), as a column store or a replay buffer would hold them. Books cloned one by
// one (four separate small buffers each) scatter over the heap and every case then measures cache misses
// more than code: on the dev day a bare read costs several times more that way. Every case, baseline and
// peer reads the same books, so ratios compare like with like.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const stem = 'GOOG_2012-06-21_34200000_57600000';
export const dataDir = process.env.MICROSTRUCTURE_DATA ?? resolve(here, '..', '..', 'shared', 'data');

/** The input files of a named input (`dev` or `tiny`), or null when absent or `synthetic`. */
export function inputFiles(input) {
  if (input !== 'dev' && input !== 'tiny') return null;
  const dir = input === 'tiny' ? join(dataDir, 'lobster', 'tiny') : join(dataDir, 'lobster');
  const ext = input === 'tiny' ? '.csv' : '.csv.gz';
  const message = join(dir, `${stem}_message_10${ext}`);
  const orderbook = join(dir, `${stem}_orderbook_10${ext}`);
  if (!existsSync(message) || !existsSync(orderbook)) return null;
  return { message, orderbook, name: input === 'tiny' ? `${stem} (first 200 rows)` : stem };
}

/** Copy a (borrowed) book into views of `store` at book index `i`. */
export function packBook(src, store, i, depth) {
  const o = i * 4 * depth;
  const book = {
    ts: src.ts,
    bidPx: store.subarray(o, o + depth),
    bidSz: store.subarray(o + depth, o + 2 * depth),
    askPx: store.subarray(o + 2 * depth, o + 3 * depth),
    askSz: store.subarray(o + 3 * depth, o + 4 * depth),
    bidLevels: src.bidLevels,
    askLevels: src.askLevels,
  };
  book.bidPx.set(src.bidPx);
  book.bidSz.set(src.bidSz);
  book.askPx.set(src.askPx);
  book.askSz.set(src.askSz);
  return book;
}

function copyTrade(t) {
  return { ts: t.ts, price: t.price, size: t.size, side: t.side ?? 0, id: t.id ?? 0 };
}

/**
 * Load an input.
 * @param {'dev' | 'tiny' | 'synthetic'} input
 * @param {{ lib: any, node: any }} mods the built package (`dist/index.js`, `dist/node.js`)
 * @param {{ syntheticEvents?: number, maxRows?: number }} [opts] `maxRows`: keep only the first rows (the
 *   files' row count is still reported as `fileRows`)
 * @returns {Promise<Input>}
 *
 * @typedef {{ index: number, type: number, hidden: boolean, order: object, trade: object | null, book: object }} Row
 * @typedef {{ trade: object, quoteTs: number, bid: number, ask: number, hidden: boolean, row: number }} TradeRow
 * @typedef {{ name: string, input: string, files: { message: string, orderbook: string } | null, depth: number,
 *   fileRows: number | null, rows: Row[], books: object[], trades: TradeRow[], tradeVolume: number, store: Float64Array }} Input
 */
export async function loadInput(input, { lib, node }, opts = {}) {
  const depth = 10;
  const raw = [];
  let files = null;
  let name;
  let fileRows = null;
  if (input === 'synthetic') {
    const events = opts.syntheticEvents ?? 150_000;
    name = `synthetic session (seed 1, ${events.toLocaleString('en-US')} events)`;
    for (const r of lib.syntheticSession({ seed: 1, events, depth })) {
      const type = r.order.kind === 'add' ? 1 : r.order.kind === 'cancel' ? 2 : r.order.kind === 'delete' ? 3 : r.order.kind === 'execute' ? 4 : 5;
      raw.push({ type, order: { ...r.order }, trade: r.trade && copyTrade(r.trade), book: lib.cloneBook(r.book) });
    }
  } else {
    files = inputFiles(input);
    fileRows = 0;
    if (files === null) throw new Error(`input '${input}': LOBSTER files not found under ${dataDir} (set MICROSTRUCTURE_DATA)`);
    name = files.name;
    const maxRows = opts.maxRows ?? Infinity;
    for await (const r of node.readLobster(files.message, { orderbookFile: files.orderbook })) {
      fileRows++;
      if (raw.length < maxRows) raw.push({ type: r.type, order: { ...r.order }, trade: r.trade && copyTrade(r.trade), book: lib.cloneBook(r.book) });
    }
    if (raw.length < fileRows) name = `${name} (first ${raw.length.toLocaleString('en-US')} of ${fileRows.toLocaleString('en-US')} rows)`;
  }
  const n = raw.length;
  const store = new Float64Array(n * 4 * depth);
  const rows = new Array(n);
  const books = new Array(n);
  const trades = [];
  let tradeVolume = 0;
  for (let i = 0; i < n; i++) {
    const r = raw[i];
    const book = packBook(r.book, store, i, depth);
    books[i] = book;
    rows[i] = { index: i, type: r.type, hidden: r.type === 5, order: r.order, trade: r.trade, book };
    if (r.trade !== null && r.type !== 6) {
      // the quote a trade meets is the book before it (row i-1); row 0 has none
      const prev = i > 0 ? books[i - 1] : null;
      trades.push({
        trade: r.trade,
        quoteTs: prev === null ? r.trade.ts : prev.ts,
        bid: prev !== null && prev.bidLevels > 0 ? prev.bidPx[0] : NaN,
        ask: prev !== null && prev.askLevels > 0 ? prev.askPx[0] : NaN,
        hidden: r.type === 5,
        row: i,
      });
      tradeVolume += r.trade.size;
    }
  }
  return { name, input, files, fileRows, depth, rows, books, trades, tradeVolume, store };
}

/**
 * Shift every time stamp of the input by `offsetMs` (books, orders, trades, trade quotes): cycling a day
 * many times (heap growth) keeps time moving forward. `restoreTimes(input, saved)` puts them back exactly.
 */
export function saveTimes(data) {
  const { rows, trades } = data;
  const saved = new Float64Array(rows.length * 3 + trades.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    saved[3 * i] = r.book.ts;
    saved[3 * i + 1] = r.order.ts;
    saved[3 * i + 2] = r.trade === null ? NaN : r.trade.ts;
  }
  for (let j = 0; j < trades.length; j++) saved[rows.length * 3 + j] = trades[j].quoteTs;
  return saved;
}

/** Set every time stamp to its saved value plus `offsetMs` (no allocation). */
export function shiftTimes(data, saved, offsetMs) {
  const { rows, trades } = data;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    r.book.ts = saved[3 * i] + offsetMs;
    r.order.ts = saved[3 * i + 1] + offsetMs;
    if (r.trade !== null) r.trade.ts = saved[3 * i + 2] + offsetMs;
  }
  for (let j = 0; j < trades.length; j++) trades[j].quoteTs = saved[rows.length * 3 + j] + offsetMs;
}

/** The span of the input's times in ms, rounded up to a whole 5 minutes (so buckets stay aligned when shifted). */
export function cycleLengthMs(data) {
  const first = data.rows[0]?.book.ts ?? 0;
  const last = data.rows[data.rows.length - 1]?.book.ts ?? 0;
  const step = 300_000;
  return Math.ceil((last - first + 1) / step) * step + step;
}
