/**
 * Wide L2 snapshot CSV: one row per snapshot, a time column and price / size columns per level and side.
 * Node only.
 *
 * @module
 */
import { createBook } from '../core/book.js';
import { InvalidOptionError } from '../core/errors.js';
import type { BookSnapshot } from '../core/events.js';
import type { CsvByteParser } from './csv-byte-parser.js';
import {
  type CsvColumn,
  type CsvHeader,
  type CsvLayout,
  CsvSource,
  type CsvSourceOptions,
  checkColumn,
  csvConfig,
  findTsColumn,
  headerError,
  normalizeName,
  resolveColumn,
  type TsUnit,
  tsScaleOf,
} from './csv-source.js';

/** Explicit column mapping of a wide L2 CSV (indexes 0-based, or header names). */
export interface L2CsvColumns {
  ts: CsvColumn;
  /** One column per level, best first; the four lists have the same length (the depth). */
  bidPx: readonly CsvColumn[];
  bidSz: readonly CsvColumn[];
  askPx: readonly CsvColumn[];
  askSz: readonly CsvColumn[];
}

/** Options of {@link readL2Csv}. */
export interface L2CsvOptions extends CsvSourceOptions {
  /**
   * Which column holds what. Default: inferred from the header. Time: `ts`, `time`, `timestamp`,
   * `datetime` (optionally with a unit suffix such as `ts_us`). Levels, any case and separators:
   * prices `bid_px_1`, `bidPx1`, `bid_price_1`, `bid1`, `bid_1_price`, `bids[0].price`; sizes
   * `bid_sz_1`, `bid_size_1`, `bidSz1`, `bid_qty_1`, `bids[0].amount`; the same with `ask`. Level numbers
   * start at 1, or at 0 when a level 0 is present. Other columns are ignored.
   */
  columns?: L2CsvColumns;
}

const PRICE_NAME = /^(bid|ask)s?(?:px|price|prc|p)?(\d+)(?:px|price|prc|p)?$/;
const SIZE_NAME = /^(bid|ask)s?(?:(?:sz|size|qty|quantity|amount|amt|vol|volume|q|v)(\d+)|(\d+)(?:sz|size|qty|quantity|amount|amt|vol|volume|q|v))$/;

/** The four roles of a level column. */
const ROLES = ['bidPx', 'bidSz', 'askPx', 'askSz'] as const;
type Role = (typeof ROLES)[number];

/**
 * Infer the level columns of a wide L2 header: for each role, the column index per level (best first).
 * Returns `undefined` for a header without level columns; throws a header error when levels are
 * incomplete or named twice.
 */
export function inferL2Columns(header: CsvHeader): Record<Role, number[]> | undefined {
  const names = header.names ?? [];
  const found: Array<{ role: Role; level: number; index: number }> = [];
  for (let i = 0; i < names.length; i++) {
    const n = normalizeName(names[i] as string);
    const price = PRICE_NAME.exec(n);
    if (price !== null) {
      found.push({ role: price[1] === 'bid' ? 'bidPx' : 'askPx', level: Number(price[2]), index: i });
      continue;
    }
    const size = SIZE_NAME.exec(n);
    if (size !== null) found.push({ role: size[1] === 'bid' ? 'bidSz' : 'askSz', level: Number(size[2] ?? size[3]), index: i });
  }
  if (found.length === 0) return undefined;
  const base = Math.min(...found.map((f) => f.level));
  if (base > 1) throw headerError(header, `level columns start at level ${base}, not at 1 (or 0)`);
  const depth = Math.max(...found.map((f) => f.level)) - base + 1;
  const out: Record<Role, number[]> = { bidPx: [], bidSz: [], askPx: [], askSz: [] };
  for (const role of ROLES) out[role] = new Array<number>(depth).fill(-1);
  for (const f of found) {
    const list = out[f.role];
    const at = f.level - base;
    if (list[at] !== -1) {
      throw headerError(header, `two columns for ${f.role} level ${f.level}: "${names[list[at] as number]}" and "${names[f.index]}"`);
    }
    list[at] = f.index;
  }
  for (const role of ROLES) {
    const at = out[role].indexOf(-1);
    if (at >= 0) throw headerError(header, `no column for ${role} level ${at + base} (levels ${base}..${depth - 1 + base} found)`);
  }
  return out;
}

/**
 * A wide L2 snapshot CSV as {@link BookSnapshot}s, one per row.
 *
 * Each row: the time (numeric, in `tsUnit`, out in ms) and, per level, bid and ask price and size. An
 * empty price cell is an empty level (price NaN, size 0; its size cell must be empty or 0); levels after
 * an empty one must be empty too (else `levelGap`). The depth is the number of level columns. Other
 * columns (exchange, symbol...) are ignored. Rows are not checked for order or crossed books (that is the
 * book validator's job).
 *
 * The yielded book is reused (borrowed): copy what you keep. Bad lines: see {@link CsvSourceOptions}.onError.
 *
 * @example
 * ```ts
 * // ts,bid_px_1,bid_sz_1,ask_px_1,ask_sz_1
 * // 1000,99.5,10,100.5,12
 * for await (const book of readL2Csv('book.csv')) {
 *   // book.ts 1000, book.bidPx[0] 99.5, book.askSz[0] 12, book.bidLevels 1
 * }
 * ```
 */
export class L2CsvReader extends CsvSource<BookSnapshot> {
  /** The explicit mapping, if given. */
  readonly columns: L2CsvColumns | undefined;
  /** Depth of the snapshots: known after the header is read (0 before), or from `columns`. */
  levels = 0;

  constructor(file: string, options: L2CsvOptions = {}) {
    super(file, csvConfig('readL2Csv', options, []));
    const columns = options.columns;
    if (columns !== undefined) {
      if (columns === null || typeof columns !== 'object') throw new InvalidOptionError('columns', columns, 'an object { ts, bidPx, bidSz, askPx, askSz }');
      checkColumn('columns.ts', columns.ts);
      const depth = Array.isArray(columns.bidPx) ? columns.bidPx.length : -1;
      for (const role of ROLES) {
        const list = columns[role];
        if (!Array.isArray(list) || list.length !== depth || depth < 1) {
          throw new InvalidOptionError(`columns.${role}`, list, `an array of ${depth >= 1 ? depth : '>= 1'} columns (one per level, the same for all four)`);
        }
        list.forEach((c, i) => checkColumn(`columns.${role}[${i}]`, c));
      }
      this.levels = depth;
    }
    this.columns = columns;
  }

  protected layout(): CsvLayout<BookSnapshot> {
    return new L2Layout(this);
  }
}

class L2Layout implements CsvLayout<BookSnapshot> {
  fieldCount = 0;
  readonly tsIndex: number | undefined;
  private readonly reader: L2CsvReader;
  private names: string[] = [];
  /** Per column: 0 skip, 1 time, 2 number. */
  private actions = new Uint8Array(0);
  private values = new Float64Array(0);
  private tsCol = 0;
  private tsScale = 0;
  private cols: Record<Role, Int32Array> = { bidPx: new Int32Array(0), bidSz: new Int32Array(0), askPx: new Int32Array(0), askSz: new Int32Array(0) };
  private book: BookSnapshot = createBook(1);

  constructor(reader: L2CsvReader) {
    this.reader = reader;
    const ts = reader.columns?.ts;
    this.tsIndex = typeof ts === 'number' ? ts : undefined;
  }

  init(header: CsvHeader): void {
    const given = this.reader.columns;
    let tsIndex: number;
    let unit: TsUnit | undefined;
    let levels: Record<Role, number[]>;
    if (given !== undefined) {
      tsIndex = resolveColumn(header, 'columns.ts', given.ts);
      levels = { bidPx: [], bidSz: [], askPx: [], askSz: [] };
      for (const role of ROLES) levels[role] = given[role].map((c, i) => resolveColumn(header, `columns.${role}[${i}]`, c));
      if (header.names !== null) unit = findTsColumn(header)?.unit;
    } else {
      if (header.names === null) {
        throw headerError(header, 'no header row (the first line is data): pass `columns` to say which column holds what');
      }
      const ts = findTsColumn(header);
      if (ts === undefined) throw headerError(header, 'no time column (ts, time, timestamp, datetime) in the header; pass `columns`');
      tsIndex = ts.index;
      unit = ts.unit;
      const inferred = inferL2Columns(header);
      if (inferred === undefined) throw headerError(header, 'no level columns (bid_px_1, bid_sz_1, ask_px_1, ask_sz_1...) in the header; pass `columns`');
      levels = inferred;
    }
    const n = header.fields;
    this.fieldCount = n;
    this.actions = new Uint8Array(n);
    this.values = new Float64Array(n);
    this.actions[tsIndex] = 1;
    this.tsCol = tsIndex;
    this.tsScale = tsScaleOf(this.reader.config, unit);
    this.names = header.names === null ? [] : [...header.names];
    for (const role of ROLES) {
      this.cols[role] = Int32Array.from(levels[role]);
      for (const c of levels[role]) this.actions[c] = 2;
    }
    const depth = levels.bidPx.length;
    this.reader.levels = depth;
    this.book = createBook(depth);
  }

  fieldName(column: number): string | undefined {
    return this.names[column - 1] ?? (column - 1 === this.tsCol ? 'ts' : undefined);
  }

  row(p: CsvByteParser, _line: number): BookSnapshot | null {
    const actions = this.actions;
    const values = this.values;
    const n = actions.length;
    const tsScale = this.tsScale;
    for (let c = 0; c < n; c++) {
      const a = actions[c];
      if (a === 0) p.skip();
      else if (a === 1) values[c] = p.number(tsScale);
      else values[c] = p.number(0, true);
    }
    if (!p.finish()) return null;
    const book = this.book;
    book.ts = values[this.tsCol] as number;
    book.bidLevels = fill(p, values, this.cols.bidPx, this.cols.bidSz, book.bidPx, book.bidSz);
    book.askLevels = fill(p, values, this.cols.askPx, this.cols.askSz, book.askPx, book.askSz);
    return p.errorKind === null ? book : null;
  }

  end(): BookSnapshot | null {
    return null;
  }
}

/** Copy one side's levels into the book; returns the level count. Records empty-cell and gap errors. */
function fill(p: CsvByteParser, values: Float64Array, pxCols: Int32Array, szCols: Int32Array, px: Float64Array, sz: Float64Array): number {
  let levels = 0;
  let empty = false;
  for (let i = 0; i < pxCols.length; i++) {
    const pc = pxCols[i] as number;
    const sc = szCols[i] as number;
    const price = values[pc] as number;
    const size = values[sc] as number;
    if (price !== price) {
      if (size === size && size !== 0) p.failColumn('emptyField', pc + 1);
      px[i] = NaN;
      sz[i] = 0;
      empty = true;
    } else {
      if (empty) p.failColumn('levelGap', pc + 1);
      if (size !== size) p.failColumn('emptyField', sc + 1);
      px[i] = price;
      sz[i] = size;
      levels++;
    }
  }
  return levels;
}

/**
 * Read a wide L2 snapshot CSV (plain or gzip) as {@link BookSnapshot}s. See {@link L2CsvReader}.
 *
 * @example
 * ```ts
 * const books = readL2Csv('snapshots.csv.gz', { tsUnit: 'us' });
 * for await (const book of books) { ... }
 * books.stats(); // { rows, yielded, skipped, skippedByKind, blankLines, bytes }
 * ```
 */
export function readL2Csv(file: string, options?: L2CsvOptions): L2CsvReader {
  return new L2CsvReader(file, options);
}
