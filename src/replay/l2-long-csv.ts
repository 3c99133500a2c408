/**
 * Long ("interleaved") L2 snapshot CSV: one row per (ts, side, level), grouped into one snapshot per ts.
 * Node only.
 *
 * @module
 */
import { createBook } from '../core/book.js';
import { InvalidOptionError } from '../core/errors.js';
import type { BookSnapshot } from '../core/events.js';
import { integerOption } from '../core/options.js';
import type { CsvByteParser } from './csv-byte-parser.js';
import {
  type CsvColumn,
  type CsvContext,
  type CsvHeader,
  type CsvLayout,
  CsvSource,
  type CsvSourceOptions,
  type CsvStats,
  type TsUnit,
  checkColumn,
  csvConfig,
  findColumn,
  findTsColumn,
  headerError,
  resolveColumn,
  tokenIs,
  tsScaleOf,
} from './csv-source.js';
import { LineParseError } from './errors.js';

/** Explicit column mapping of a long L2 CSV (indexes 0-based, or header names). */
export interface L2LongCsvColumns {
  ts: CsvColumn;
  side: CsvColumn;
  level: CsvColumn;
  price: CsvColumn;
  size: CsvColumn;
}

/** Options of {@link readL2LongCsv}. */
export interface L2LongCsvOptions extends CsvSourceOptions {
  /**
   * Which column holds what. Default: inferred from the header: time `ts`/`time`/`timestamp`/`datetime`
   * (optionally with a unit suffix), `side`, `level` (or `lvl`, `depth`, `position`), `price` (or `px`),
   * `size` (or `sz`, `qty`, `quantity`, `amount`, `volume`). Other columns are ignored.
   */
  columns?: L2LongCsvColumns;
  /**
   * Levels a side kept per snapshot. A stream cannot know the deepest level ahead, so rows past it are
   * ignored and counted in `stats().beyondDepth`. @defaultValue `10`
   */
  depth?: number;
}

/** Defaults of {@link L2LongCsvOptions}' own options. */
export const DEFAULT_L2_LONG_CSV_OPTIONS: Readonly<{ depth: number }> = Object.freeze({
  /** @defaultValue `10` */
  depth: 10,
});

/** Counters of a {@link L2LongCsvReader}. */
export interface L2LongCsvStats extends CsvStats {
  /** Rows with a level past `depth`, ignored. */
  beyondDepth: number;
}

const FIELDS = ['ts', 'side', 'level', 'price', 'size'] as const;
type Field = (typeof FIELDS)[number];
const NAMES: Readonly<Record<Exclude<Field, 'ts'>, readonly string[]>> = {
  side: ['side'],
  level: ['level', 'lvl', 'depth', 'position', 'pos'],
  price: ['price', 'px', 'prc'],
  size: ['size', 'sz', 'qty', 'quantity', 'amount', 'volume', 'vol'],
};

/**
 * A long ("interleaved") L2 CSV as {@link BookSnapshot}s: rows `ts, side, level, price, size`, the rows
 * of one time stamp forming one snapshot (they must be consecutive). A snapshot is yielded when the time
 * changes and at the end of the file.
 *
 * Sides: `bid`/`b`/`buy`/`1` and `ask`/`a`/`sell`/`-1` (any case). Levels are 1-based; a snapshot holds the
 * levels its rows name, which must run 1, 2, ... without a gap per side (`levelGap`), each once
 * (`duplicateLevel`). Levels past `depth` are ignored and counted. Under `onError: 'skip'` a bad row is
 * skipped (the snapshot keeps the others), and a snapshot with a gap is skipped whole; each counts once.
 *
 * The yielded book is reused (borrowed): copy what you keep.
 *
 * @example
 * ```ts
 * // ts,side,level,price,size
 * // 1000,bid,1,99.5,10
 * // 1000,ask,1,100.5,12
 * // 1001,bid,1,99.6,3
 * for await (const book of readL2LongCsv('levels.csv', { depth: 5 })) {
 *   // 1st: ts 1000, 99.5 x 10 / 100.5 x 12; 2nd: ts 1001, bid 99.6 x 3, no ask levels
 * }
 * ```
 */
export class L2LongCsvReader extends CsvSource<BookSnapshot> {
  readonly columns: L2LongCsvColumns | undefined;
  /** Levels a side per snapshot. */
  readonly depth: number;
  /** Rows past `depth` in the latest pass (also in `stats()`). */
  beyondDepth = 0;

  constructor(file: string, options: L2LongCsvOptions = {}) {
    super(file, csvConfig('readL2LongCsv', options, ['depth']));
    this.depth = integerOption('depth', options.depth ?? DEFAULT_L2_LONG_CSV_OPTIONS.depth, 1);
    const columns = options.columns;
    if (columns !== undefined) {
      if (columns === null || typeof columns !== 'object') throw new InvalidOptionError('columns', columns, 'an object { ts, side, level, price, size }');
      for (const f of FIELDS) checkColumn(`columns.${f}`, columns[f]);
    }
    this.columns = columns;
  }

  protected layout(): CsvLayout<BookSnapshot> {
    this.beyondDepth = 0;
    return new LongLayout(this);
  }

  override stats(): L2LongCsvStats {
    return { ...super.stats(), beyondDepth: this.beyondDepth };
  }
}

const BID = 1;
const ASK = -1;

class LongLayout implements CsvLayout<BookSnapshot> {
  fieldCount = 0;
  readonly tsIndex: number | undefined;
  private readonly reader: L2LongCsvReader;
  private file = '';
  private names: string[] = [];
  /** Per column: 0 skip, 1 ts, 2 side, 3 level, 4 price, 5 size. */
  private actions = new Uint8Array(0);
  private cols: Record<Field, number> = { ts: 0, side: 0, level: 0, price: 0, size: 0 };
  private tsScale = 0;
  private readonly book: BookSnapshot;
  /** Line that set each level of the current snapshot (0: not set). */
  private readonly bidLine: Float64Array;
  private readonly askLine: Float64Array;
  /** Whether a snapshot is being filled, and its time. */
  private open = false;
  private groupTs = 0;
  /** The first row of the next snapshot, read while closing the current one. */
  private pending = false;
  private pTs = 0;
  private pSide = 0;
  private pLevel = 0;
  private pPrice = 0;
  private pSize = 0;
  private pLine = 0;

  constructor(reader: L2LongCsvReader) {
    this.reader = reader;
    const ts = reader.columns?.ts;
    this.tsIndex = typeof ts === 'number' ? ts : undefined;
    this.book = createBook(reader.depth);
    this.bidLine = new Float64Array(reader.depth);
    this.askLine = new Float64Array(reader.depth);
  }

  init(header: CsvHeader): void {
    this.file = header.file;
    const given = this.reader.columns;
    let unit: TsUnit | undefined;
    if (given !== undefined) {
      for (const f of FIELDS) this.cols[f] = resolveColumn(header, `columns.${f}`, given[f]);
      if (header.names !== null) unit = findTsColumn(header)?.unit;
    } else {
      if (header.names === null) {
        throw headerError(header, 'no header row (the first line is data): pass `columns` to say which column holds what');
      }
      const ts = findTsColumn(header);
      if (ts === undefined) throw headerError(header, 'no time column (ts, time, timestamp, datetime) in the header; pass `columns`');
      this.cols.ts = ts.index;
      unit = ts.unit;
      for (const f of ['side', 'level', 'price', 'size'] as const) {
        const at = findColumn(header, NAMES[f]);
        if (at < 0) throw headerError(header, `no ${f} column (${NAMES[f].join(', ')}) in the header; pass \`columns\``);
        this.cols[f] = at;
      }
    }
    this.fieldCount = header.fields;
    this.names = header.names === null ? [] : [...header.names];
    this.actions = new Uint8Array(header.fields);
    FIELDS.forEach((f, i) => {
      this.actions[this.cols[f]] = i + 1;
    });
    this.tsScale = tsScaleOf(this.reader.config, unit);
  }

  fieldName(column: number): string | undefined {
    const named = this.names[column - 1];
    if (named !== undefined) return named;
    const a = this.actions[column - 1];
    return a === undefined || a === 0 ? undefined : FIELDS[a - 1];
  }

  row(p: CsvByteParser, line: number, ctx: CsvContext): BookSnapshot | null {
    if (this.pending) this.startPending();
    const actions = this.actions;
    let ts = NaN;
    let side = 0;
    let level = 0;
    let price = NaN;
    let size = NaN;
    for (let c = 0; c < actions.length; c++) {
      switch (actions[c]) {
        case 1:
          ts = p.number(this.tsScale);
          break;
        case 2:
          side = readBookSide(p);
          break;
        case 3:
          level = p.int();
          if (!(level >= 1)) p.failColumn('badLevel', c + 1);
          break;
        case 4:
          price = p.number(0);
          break;
        case 5:
          size = p.number(0);
          break;
        default:
          p.skip();
      }
    }
    if (!p.finish()) return null;
    if (this.open && ts !== this.groupTs) {
      this.pending = true;
      this.pTs = ts;
      this.pSide = side;
      this.pLevel = level;
      this.pPrice = price;
      this.pSize = size;
      this.pLine = line;
      const done = this.close(ctx);
      if (done === null) this.startPending();
      return done;
    }
    if (!this.open) this.begin(ts);
    this.apply(side, level, price, size, line, ctx, p);
    return null;
  }

  end(ctx: CsvContext): BookSnapshot | null {
    if (this.pending) this.startPending();
    return this.open ? this.close(ctx) : null;
  }

  private begin(ts: number): void {
    this.open = true;
    this.groupTs = ts;
    this.bidLine.fill(0);
    this.askLine.fill(0);
  }

  private startPending(): void {
    this.pending = false;
    this.begin(this.pTs);
    this.apply(this.pSide, this.pLevel, this.pPrice, this.pSize, this.pLine, null, null);
  }

  /** Set one level of the open snapshot. */
  private apply(side: number, level: number, price: number, size: number, line: number, ctx: CsvContext | null, p: CsvByteParser | null): void {
    if (level > this.reader.depth) {
      this.reader.beyondDepth++;
      return;
    }
    const lines = side === BID ? this.bidLine : this.askLine;
    const i = level - 1;
    if ((lines[i] as number) !== 0) {
      if (ctx !== null && p !== null) {
        const col = this.cols.level + 1;
        ctx.reject(
          new LineParseError('duplicateLevel', this.file, line, col, this.fieldName(col), p.lineText(), `${side === BID ? 'bid' : 'ask'} level ${level} already set by line ${lines[i]}`),
        );
      }
      return;
    }
    lines[i] = line;
    const book = this.book;
    if (side === BID) {
      book.bidPx[i] = price;
      book.bidSz[i] = size;
    } else {
      book.askPx[i] = price;
      book.askSz[i] = size;
    }
  }

  /** Close the open snapshot: the book, or `null` if it has a level gap (rejected). */
  private close(ctx: CsvContext): BookSnapshot | null {
    this.open = false;
    const book = this.book;
    book.ts = this.groupTs;
    const bids = this.countSide(this.bidLine, book.bidPx, book.bidSz, 'bid', ctx);
    const asks = bids < 0 ? -1 : this.countSide(this.askLine, book.askPx, book.askSz, 'ask', ctx);
    if (bids < 0 || asks < 0) return null;
    book.bidLevels = bids;
    book.askLevels = asks;
    return book;
  }

  /** Levels of one side (empty ones cleared), or -1 after rejecting a gap. */
  private countSide(lines: Float64Array, px: Float64Array, sz: Float64Array, name: string, ctx: CsvContext): number {
    let n = 0;
    while (n < lines.length && (lines[n] as number) !== 0) n++;
    for (let j = n; j < lines.length; j++) {
      const at = lines[j] as number;
      if (at !== 0) {
        const col = this.cols.level + 1;
        ctx.reject(new LineParseError('levelGap', this.file, at, col, this.fieldName(col), String(j + 1), `${name} level ${j + 1} without level ${n + 1}`));
        return -1;
      }
      px[j] = NaN;
      sz[j] = 0;
    }
    return n;
  }
}

/** Parse a book side token: 1 bid, -1 ask; records `badSide` and returns 0 otherwise. */
function readBookSide(p: CsvByteParser): number {
  if (!p.field()) return 0;
  const b = p.buf;
  const s = p.fieldStart;
  const e = p.fieldEnd;
  if (tokenIs(b, s, e, 'bid') || tokenIs(b, s, e, 'b') || tokenIs(b, s, e, 'buy') || tokenIs(b, s, e, '1') || tokenIs(b, s, e, 'bids')) return BID;
  if (tokenIs(b, s, e, 'ask') || tokenIs(b, s, e, 'a') || tokenIs(b, s, e, 'sell') || tokenIs(b, s, e, '-1') || tokenIs(b, s, e, 'asks')) return ASK;
  p.failColumn('badSide', p.column);
  return 0;
}

/**
 * Read a long L2 CSV (plain or gzip) as {@link BookSnapshot}s, one per time stamp. See {@link L2LongCsvReader}.
 *
 * @example
 * ```ts
 * const books = readL2LongCsv('levels.csv.gz', { depth: 20, tsUnit: 'ns' });
 * for await (const book of books) { ... }
 * books.stats().beyondDepth; // rows past level 20
 * ```
 */
export function readL2LongCsv(file: string, options?: L2LongCsvOptions): L2LongCsvReader {
  return new L2LongCsvReader(file, options);
}
