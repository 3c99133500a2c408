/**
 * LOBSTER reader: a message file and its order-book file (plain or gzip), read in lockstep, streaming,
 * in constant memory. Node only.
 *
 * @module
 */
import { basename, dirname, join } from 'node:path';
import { createBook } from '../core/book.js';
import { InvalidOptionError, ParseError } from '../core/errors.js';
import type { BookSnapshot, MarketEvent, OrderEvent, OrderEventKind, Trade } from '../core/events.js';
import { checkOptionKeys, finiteOption, integerOption, oneOfOption } from '../core/options.js';
import { DEFAULT_HIGH_WATER_MARK, LineReader } from './byte-stream.js';
import { CsvByteParser } from './csv-byte-parser.js';
import { type ErrorPolicy, LineParseError, type ParseErrorKind, SkipCounter, SourceMismatchError } from './errors.js';

/** Options of {@link readLobster} / {@link LobsterReader}. */
export interface LobsterOptions {
  /**
   * The order-book file. Default: the message file's name with `_message_` replaced by `_orderbook_`
   * (LOBSTER's naming), in the same directory.
   */
  orderbookFile?: string;
  /** Symbol of the events. Default: the text before the first `_` of the message file's name, else `'UNKNOWN'`. */
  symbol?: string;
  /** What a malformed row does: throw a `ParseError`, or skip the row pair and count it. @defaultValue `'throw'` */
  onError?: ErrorPolicy;
  /** Read chunk size in bytes. @defaultValue `1 << 20` */
  highWaterMark?: number;
  /**
   * Yield only rows with message time `>= fromMs` (ms after midnight). Earlier rows are read but their
   * order-book line is not parsed; they are counted in `stats().filtered`. @defaultValue `-Infinity`
   */
  fromMs?: number;
  /**
   * Stop at the first row with message time `>= toMs` (LOBSTER files are in time order); that row is
   * counted in `stats().filtered` and nothing after it is read. @defaultValue `Infinity`
   */
  toMs?: number;
}

/** Defaults of {@link LobsterOptions} (the file and symbol defaults derive from the file name). */
export const DEFAULT_LOBSTER_OPTIONS: Readonly<Required<Pick<LobsterOptions, 'onError' | 'highWaterMark' | 'fromMs' | 'toMs'>>> =
  Object.freeze({
    /** @defaultValue `'throw'` */
    onError: 'throw',
    /** @defaultValue `1 << 20` */
    highWaterMark: DEFAULT_HIGH_WATER_MARK,
    /** @defaultValue `-Infinity` */
    fromMs: -Infinity,
    /** @defaultValue `Infinity` */
    toMs: Infinity,
  });

const OPTION_KEYS = ['orderbookFile', 'symbol', 'onError', 'highWaterMark', 'fromMs', 'toMs'] as const;

/** LOBSTER's empty-level price sentinels (x 10000 units). */
export const LOBSTER_EMPTY_ASK = 9999999999;
export const LOBSTER_EMPTY_BID = -9999999999;
/** LOBSTER prices are dollars x 10000. */
export const LOBSTER_PRICE_SCALE = 10000;

/**
 * The halt codes a type-7 message carries in its price field (unscaled, also in `order.price`):
 * -1 trading halted, 0 quoting resumes, 1 trading resumes.
 */
export const LOBSTER_HALT = Object.freeze({ halted: -1, quotingResumes: 0, tradingResumes: 1 });

/** Order-event kind of LOBSTER message types 1..7 (index = type). */
export const LOBSTER_KINDS: readonly OrderEventKind[] = Object.freeze([
  'add', // 0: unused
  'add',
  'cancel',
  'delete',
  'execute',
  'executeHidden',
  'cross',
  'halt',
] as OrderEventKind[]);

/**
 * The parser's own, unfrozen copy: V8's optimized code reads a frozen array's elements through a
 * generic inline cache, about 3x slower than a plain array's (measured on Node 20), once per row here.
 */
const KIND_OF_TYPE: OrderEventKind[] = [...LOBSTER_KINDS];

const MESSAGE_FIELDS = ['time', 'type', 'orderId', 'size', 'price', 'direction'];

/**
 * One row of a LOBSTER pair: a message and the book state after it. **Borrowed**: the reader reuses one
 * object (and its `order`, `book`, `trade`) for every row; copy what you keep (`copyBook`, spread).
 */
export interface LobsterRow {
  /** 0-based row index in the files. */
  index: number;
  /** 1-based line number in the message file. */
  line: number;
  /** Raw LOBSTER message type, 1..7. */
  type: number;
  /**
   * The message as an L3 event: `ts` in ms after midnight, `price` in dollars (raw / 10000), `side` =
   * LOBSTER's direction (side of the resting order). For type 7 (halt) `price` is the unscaled halt code
   * ({@link LOBSTER_HALT}).
   */
  order: OrderEvent;
  /** The book after this message; LOBSTER's empty-level sentinels become empty levels (NaN, 0). */
  book: BookSnapshot;
  /**
   * For executions (types 4 and 5): the trade, its `side` the true aggressor side `-direction` (a sell
   * limit order hit is a buyer-initiated trade) and `id` the resting order's id (0 for hidden ones). For
   * type 6 (cross, an auction print): a trade with `side` 0, since a cross has no aggressor. Else `null`.
   */
  trade: Trade | null;
  /** Raw integer fields, for exact comparisons: price x 10000 (halt code for type 7) and direction. */
  raw: { price: number; direction: number };
}

/** Counters of one pass, shared by a reader and its iterator. */
interface LobsterCounters {
  rows: number;
  yielded: number;
  filtered: number;
  readonly byType: Float64Array;
  readonly skips: SkipCounter;
  msg: LineReader | null;
  ob: LineReader | null;
}

/** Counters of a {@link LobsterReader}, for its latest iteration. */
export interface LobsterStats {
  /** Row pairs read: `yielded + filtered + skipped`. */
  rows: number;
  /** Rows yielded. */
  yielded: number;
  /** Rows read but outside `[fromMs, toMs)`. */
  filtered: number;
  /** Malformed row pairs skipped under `onError: 'skip'`. */
  skipped: number;
  /** Skipped rows by {@link ParseErrorKind}. */
  skippedByKind: Record<string, number>;
  /** Blank lines ignored, both files together. */
  blankLines: number;
  /** Decompressed bytes of the message file read so far. */
  messageBytes: number;
  /** Decompressed bytes of the order-book file read so far. */
  orderbookBytes: number;
  /** Yielded rows by message type, keys `'1'`..`'7'`. */
  byType: Record<string, number>;
}

/** The order-book file LOBSTER names after a message file: `_message_` becomes `_orderbook_`. */
export function lobsterOrderbookFile(messageFile: string): string | undefined {
  const name = basename(messageFile);
  const at = name.lastIndexOf('_message_');
  if (at < 0) return undefined;
  const dir = dirname(messageFile);
  const ob = `${name.slice(0, at)}_orderbook_${name.slice(at + '_message_'.length)}`;
  return dir === '.' && !messageFile.startsWith('.') ? ob : join(dir, ob);
}

/** The ticker in a LOBSTER file name (text before the first `_`), or `'UNKNOWN'`. */
export function lobsterSymbol(file: string): string {
  const name = basename(file);
  const at = name.indexOf('_');
  return at > 0 ? name.slice(0, at) : 'UNKNOWN';
}

/**
 * Reads a LOBSTER message file and its order-book file in lockstep, one row of each per step.
 *
 * Units: `ts` = seconds after midnight x 1000 (ms, the fraction keeps the nanoseconds); prices = raw /
 * 10000 (dollars); sizes in shares. The level count is the order-book file's column count / 4 (read from
 * its first row). Both files may be plain or gzip (detected by the magic bytes `1f 8b`).
 *
 * Message types: 1 add, 2 cancel (partial), 3 delete, 4 execute (visible), 5 executeHidden, 6 cross, 7
 * halt. Executions (4, 5) also carry a {@link Trade} with the true aggressor side `-direction`; a cross
 * (6) carries a trade with side 0; a halt (7) keeps its code in the price (see {@link LobsterRow}).
 * Types 6 and 7 are passed through like the others and never stop the stream.
 *
 * Bad input: a malformed row throws a {@link ParseError} naming file, line, column, field and text
 * (`onError: 'throw'`), or is skipped with its partner row and counted by kind (`'skip'`). Files of
 * different row counts throw {@link SourceMismatchError}; an empty file, a truncated gzip, an
 * order-book row whose column count is not a multiple of 4 throw a {@link ParseError} under any policy.
 *
 * The iterator reuses one {@link LobsterRow}; call `next()` again only after the previous call settled
 * (as `for await` does). Each `for await` over the reader reads the files anew; {@link stats} describes
 * the latest pass.
 *
 * @example
 * ```ts
 * const reader = readLobster('GOOG_2012-06-21_34200000_57600000_message_10.csv');
 * for await (const row of reader) {
 *   // row 0: row.order.ts 34200015.105074, kind 'execute', row.trade.side -1, price 579.4, size 4;
 *   //        row.book.bidPx[0] 579.4 x 496, row.book.askPx[0] 580.23 x 100
 *   break;
 * }
 * ```
 */
export class LobsterReader implements AsyncIterable<LobsterRow> {
  readonly messageFile: string;
  readonly orderbookFile: string;
  readonly symbol: string;
  /** Book depth (levels a side); known after the first order-book row is read, 0 before. */
  levels = 0;
  /** The validated options. */
  readonly onError: ErrorPolicy;
  readonly highWaterMark: number;
  readonly fromMs: number;
  readonly toMs: number;

  private readonly counters: LobsterCounters = {
    rows: 0,
    yielded: 0,
    filtered: 0,
    byType: new Float64Array(8),
    skips: new SkipCounter(),
    msg: null,
    ob: null,
  };

  constructor(messageFile: string, options: LobsterOptions = {}) {
    checkOptionKeys('readLobster', options, OPTION_KEYS);
    if (typeof messageFile !== 'string' || messageFile === '') {
      throw new InvalidOptionError('messageFile', messageFile, 'a file path');
    }
    this.messageFile = messageFile;
    const orderbookFile = options.orderbookFile ?? lobsterOrderbookFile(messageFile);
    if (orderbookFile === undefined) {
      throw new InvalidOptionError('orderbookFile', undefined, `given, since "${basename(messageFile)}" has no "_message_" to infer it from`);
    }
    if (typeof orderbookFile !== 'string' || orderbookFile === '') {
      throw new InvalidOptionError('orderbookFile', orderbookFile, 'a file path');
    }
    this.orderbookFile = orderbookFile;
    const symbol = options.symbol ?? lobsterSymbol(messageFile);
    if (typeof symbol !== 'string' || symbol === '') throw new InvalidOptionError('symbol', symbol, 'a non-empty string');
    this.symbol = symbol;
    this.onError = oneOfOption('onError', options.onError ?? DEFAULT_LOBSTER_OPTIONS.onError, ['throw', 'skip']);
    this.highWaterMark = integerOption('highWaterMark', options.highWaterMark ?? DEFAULT_LOBSTER_OPTIONS.highWaterMark, 1);
    this.fromMs = options.fromMs === undefined ? -Infinity : finiteOption('fromMs', options.fromMs);
    this.toMs = options.toMs === undefined ? Infinity : finiteOption('toMs', options.toMs);
    if (this.toMs <= this.fromMs) throw new InvalidOptionError('toMs', this.toMs, `> fromMs (${this.fromMs})`);
  }

  [Symbol.asyncIterator](): AsyncIterator<LobsterRow> {
    return new LobsterIterator(this, this.counters);
  }

  /** Counters of the latest pass (all zero before the first). */
  stats(): LobsterStats {
    const c = this.counters;
    const byType: Record<string, number> = {};
    for (let t = 1; t <= 7; t++) byType[String(t)] = c.byType[t] as number;
    return {
      rows: c.rows,
      yielded: c.yielded,
      filtered: c.filtered,
      skipped: c.skips.total,
      skippedByKind: c.skips.byKind(),
      blankLines: (c.msg?.blankLines ?? 0) + (c.ob?.blankLines ?? 0),
      messageBytes: c.msg?.bytes ?? 0,
      orderbookBytes: c.ob?.bytes ?? 0,
      byType,
    };
  }
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** Iterator state of one pass over a {@link LobsterReader}. */
class LobsterIterator implements AsyncIterator<LobsterRow> {
  private readonly reader: LobsterReader;
  private readonly msg: LineReader;
  private readonly ob: LineReader;
  private readonly mp = new CsvByteParser();
  private readonly bp = new CsvByteParser();
  private row: LobsterRow | null = null;
  private readonly result: { done: false; value: LobsterRow } = { done: false, value: null as unknown as LobsterRow };
  private bookFields: string[] = [];
  /** Scratch: the 5 integer fields of a message line, the 4L integers of an order-book line. */
  private readonly fields = new Float64Array(5);
  private bookRaw = new Float64Array(0);
  private finished = false;
  /** Line state of each file: 0 none taken, 1 a line taken (not parsed yet), 2 end of file. */
  private msgState = 0;
  private obState = 0;

  private readonly counters: LobsterCounters;

  constructor(reader: LobsterReader, c: LobsterCounters) {
    this.reader = reader;
    this.counters = c;
    c.rows = c.yielded = c.filtered = 0;
    c.byType.fill(0);
    c.skips.reset();
    this.msg = new LineReader(reader.messageFile, { highWaterMark: reader.highWaterMark });
    this.ob = new LineReader(reader.orderbookFile, { highWaterMark: reader.highWaterMark });
    c.msg = this.msg;
    c.ob = this.ob;
  }

  next(): Promise<IteratorResult<LobsterRow>> {
    if (this.finished) return Promise.resolve(DONE);
    let r: IteratorResult<LobsterRow> | null;
    try {
      r = this.step();
    } catch (error) {
      return this.fail(error);
    }
    if (r === null) return this.nextAsync();
    if (r === DONE) return this.close().then(() => DONE);
    return Promise.resolve(r);
  }

  async return(): Promise<IteratorResult<LobsterRow>> {
    await this.close();
    return DONE;
  }

  /** Read on until both files have a line (or ended), then step. */
  private async nextAsync(): Promise<IteratorResult<LobsterRow>> {
    try {
      for (;;) {
        if (this.msgState === 0) this.msgState = (await this.msg.nextAsync()) ? 1 : 2;
        if (this.obState === 0) this.obState = (await this.ob.nextAsync()) ? 1 : 2;
        const r = this.step();
        if (r === DONE) {
          await this.close();
          return DONE;
        }
        if (r !== null) return r;
      }
    } catch (error) {
      return this.fail(error);
    }
  }

  private async fail(error: unknown): Promise<never> {
    await this.close();
    throw error;
  }

  private async close(): Promise<void> {
    this.finished = true;
    await Promise.all([this.msg.close(), this.ob.close()]);
  }

  /**
   * Parse rows while both lines are in memory: the next row to yield, `DONE` at the end (or past
   * `toMs`), or `null` when a file must be read on first. Synchronous, so a row costs no promise but
   * the one `next()` returns.
   */
  private step(): IteratorResult<LobsterRow> | null {
    const reader = this.reader;
    const c = this.counters;
    const msg = this.msg;
    const ob = this.ob;
    const mp = this.mp;
    const bp = this.bp;
    for (;;) {
      if (this.msgState === 0) {
        if (msg.nextSync()) this.msgState = 1;
        else if (msg.done) this.msgState = 2;
        else return null;
      }
      if (this.obState === 0) {
        if (ob.nextSync()) this.obState = 1;
        else if (ob.done) this.obState = 2;
        else return null;
      }
      const hasMsg = this.msgState === 1;
      const hasBook = this.obState === 1;
      if (!hasMsg || !hasBook) {
        if (c.rows === 0) {
          const empty = hasMsg ? reader.orderbookFile : reader.messageFile;
          throw new ParseError('empty file (no data rows)', { source: empty, line: 1, text: '' });
        }
        const files = [reader.messageFile, reader.orderbookFile] as const;
        if (hasMsg) throw new SourceMismatchError(files, reader.messageFile, c.rows, msg.splitter.line);
        if (hasBook) throw new SourceMismatchError(files, reader.orderbookFile, c.rows, ob.splitter.line);
        return DONE;
      }
      this.msgState = 0;
      this.obState = 0;
      const index = c.rows++;
      const ms = msg.splitter;
      mp.reset(ms.buf, ms.start, ms.end);
      const ts = mp.number(3);
      const m = this.fields;
      mp.ints(m, 0, 5);
      const type = m[0] as number;
      const orderId = m[1] as number;
      const size = m[2] as number;
      const price = m[3] as number;
      const direction = m[4] as number;
      if (mp.finish()) {
        if (!(type >= 1 && type <= 7)) mp.failColumn('badType', 2);
        else if (direction !== 1 && direction !== -1) mp.failColumn('badDirection', 6);
      }
      if (mp.errorKind !== null) {
        this.reject(mp, reader.messageFile, ms.line, MESSAGE_FIELDS, 6);
        continue;
      }
      if (ts >= reader.toMs) {
        c.filtered++;
        return DONE;
      }
      const before = ts < reader.fromMs;
      if (before && this.row !== null) {
        c.filtered++;
        continue;
      }
      const os = ob.splitter;
      bp.reset(os.buf, os.start, os.end);
      if (this.row === null) this.init();
      const row = this.row as unknown as LobsterRow;
      const book = row.book;
      const levels = reader.levels;
      const askPx = book.askPx;
      const askSz = book.askSz;
      const bidPx = book.bidPx;
      const bidSz = book.bidSz;
      let askLevels = 0;
      let bidLevels = 0;
      let askGap = false;
      let bidGap = false;
      const raw = this.bookRaw;
      bp.ints(raw, 0, 4 * levels);
      for (let i = 0, j = 0; i < levels; i++, j += 4) {
        const ap = raw[j] as number;
        const as = raw[j + 1] as number;
        const bpx = raw[j + 2] as number;
        const bs = raw[j + 3] as number;
        if (ap === LOBSTER_EMPTY_ASK) {
          askPx[i] = NaN;
          askSz[i] = 0;
          askGap = true;
        } else {
          if (askGap) bp.failColumn('levelGap', 4 * i + 1);
          askPx[i] = ap / LOBSTER_PRICE_SCALE;
          askSz[i] = as;
          askLevels++;
        }
        if (bpx === LOBSTER_EMPTY_BID) {
          bidPx[i] = NaN;
          bidSz[i] = 0;
          bidGap = true;
        } else {
          if (bidGap) bp.failColumn('levelGap', 4 * i + 3);
          bidPx[i] = bpx / LOBSTER_PRICE_SCALE;
          bidSz[i] = bs;
          bidLevels++;
        }
      }
      if (!bp.finish()) {
        this.reject(bp, reader.orderbookFile, os.line, this.bookFields, 4 * levels);
        continue;
      }
      if (before) {
        c.filtered++;
        continue;
      }
      book.ts = ts;
      book.askLevels = askLevels;
      book.bidLevels = bidLevels;
      const order = row.order;
      order.ts = ts;
      order.kind = KIND_OF_TYPE[type] as OrderEventKind;
      order.orderId = orderId;
      order.size = size;
      order.price = type === 7 ? price : price / LOBSTER_PRICE_SCALE;
      order.side = direction as 1 | -1;
      row.index = index;
      row.line = ms.line;
      row.type = type;
      row.raw.price = price;
      row.raw.direction = direction;
      if (type >= 4 && type <= 6) {
        const trade = this.trade;
        trade.ts = ts;
        trade.price = order.price;
        trade.size = size;
        trade.side = type === 6 ? 0 : direction === 1 ? -1 : 1;
        trade.id = orderId;
        row.trade = trade;
      } else {
        row.trade = null;
      }
      c.byType[type] = (c.byType[type] as number) + 1;
      c.yielded++;
      this.result.value = row;
      return this.result;
    }
  }

  private readonly trade: Trade & { side: -1 | 0 | 1; id: number } = { ts: 0, price: 0, size: 0, side: 0, id: 0 };

  /** First order-book row: the level count from its column count, and the reused row object. */
  private init(): void {
    const reader = this.reader;
    const fields = this.bp.countFields();
    if (fields % 4 !== 0) {
      throw new ParseError(`order-book row has ${fields} fields, not a multiple of 4 (ask price, ask size, bid price, bid size per level)`, {
        source: reader.orderbookFile,
        line: this.ob.splitter.line,
        text: this.bp.lineText(),
      });
    }
    const levels = fields / 4;
    reader.levels = levels;
    this.bookRaw = new Float64Array(4 * levels);
    this.bookFields = [];
    for (let l = 1; l <= levels; l++) this.bookFields.push(`askPx${l}`, `askSz${l}`, `bidPx${l}`, `bidSz${l}`);
    this.row = {
      index: 0,
      line: 0,
      type: 0,
      order: { ts: 0, kind: 'add', orderId: 0, size: 0, price: 0, side: 1 },
      book: createBook(levels),
      trade: null,
      raw: { price: 0, direction: 0 },
    };
  }

  /** A malformed row: throw, or count it under its kind. */
  private reject(p: CsvByteParser, file: string, line: number, names: readonly string[], expected: number): void {
    const kind = p.errorKind as ParseErrorKind;
    if (this.reader.onError === 'skip') {
      this.counters.skips.add(kind);
      return;
    }
    const detail = kind === 'missingField' || kind === 'extraField' ? `expected ${expected}, got ${p.countFields()}` : '';
    const field = names[p.errorColumn - 1];
    throw new LineParseError(kind, file, line, p.errorColumn, field, p.errorText(), detail);
  }
}

/**
 * Read a LOBSTER message file (and its order-book file) as {@link LobsterRow}s.
 *
 * @example
 * ```ts
 * const reader = readLobster('data/GOOG_2012-06-21_34200000_57600000_message_10.csv.gz');
 * let trades = 0;
 * for await (const row of reader) if (row.trade !== null) trades++;
 * trades; // 11678
 * reader.stats().rows; // 147916
 * ```
 */
export function readLobster(messageFile: string, options?: LobsterOptions): LobsterReader {
  return new LobsterReader(messageFile, options);
}

/**
 * A LOBSTER pair as {@link MarketEvent}s: per row `{ type: 'order' }`, then `{ type: 'trade' }` for types
 * 4, 5 and 6 (see {@link LobsterRow.trade}), then `{ type: 'book' }` (the book after the message). The
 * three event objects (and the order, trade and book in them) are reused: borrowed, copy what you keep.
 *
 * @example
 * ```ts
 * for await (const e of lobsterEvents('GOOG_2012-06-21_34200000_57600000_message_10.csv')) {
 *   // 'order' (execute), 'trade' (side -1, 579.4 x 4), 'book' (579.4 x 496 / 580.23 x 100), 'order', ...
 * }
 * ```
 */
export function lobsterEvents(messageFile: string, options?: LobsterOptions): AsyncIterable<MarketEvent> & { readonly reader: LobsterReader } {
  const reader = new LobsterReader(messageFile, options);
  return {
    reader,
    [Symbol.asyncIterator]: () => new LobsterEventIterator(reader),
  };
}

class LobsterEventIterator implements AsyncIterator<MarketEvent> {
  private readonly rows: AsyncIterator<LobsterRow>;
  private readonly orderEvent: { type: 'order'; symbol: string; order: OrderEvent };
  private readonly tradeEvent: { type: 'trade'; symbol: string; trade: Trade };
  private readonly bookEvent: { type: 'book'; symbol: string; book: BookSnapshot };
  private readonly result: { done: false; value: MarketEvent };
  private row: LobsterRow | null = null;
  /** 0: read a row next; 1: the trade (if any) next; 2: the book next. */
  private phase = 0;

  constructor(reader: LobsterReader) {
    this.rows = reader[Symbol.asyncIterator]();
    const symbol = reader.symbol;
    const order: OrderEvent = { ts: 0, kind: 'add', orderId: 0, size: 0, price: 0, side: 1 };
    this.orderEvent = { type: 'order', symbol, order };
    this.tradeEvent = { type: 'trade', symbol, trade: { ts: 0, price: 0, size: 0, side: 0, id: 0 } };
    this.bookEvent = { type: 'book', symbol, book: createBook(1) };
    this.result = { done: false, value: this.orderEvent };
  }

  next(): Promise<IteratorResult<MarketEvent>> {
    const row = this.row;
    if (this.phase === 1 && row !== null && row.trade !== null) {
      this.phase = 2;
      this.tradeEvent.trade = row.trade;
      this.result.value = this.tradeEvent;
      return Promise.resolve(this.result);
    }
    if (this.phase !== 0 && row !== null) {
      this.phase = 0;
      this.bookEvent.book = row.book;
      this.result.value = this.bookEvent;
      return Promise.resolve(this.result);
    }
    return this.rows.next().then((r) => {
      if (r.done === true) return r;
      this.row = r.value;
      this.phase = 1;
      this.orderEvent.order = r.value.order;
      this.result.value = this.orderEvent;
      return this.result;
    });
  }

  async return(): Promise<IteratorResult<MarketEvent>> {
    this.phase = 0;
    this.row = null;
    await this.rows.return?.();
    return { done: true, value: undefined };
  }
}
