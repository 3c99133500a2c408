/**
 * Trades CSV: one trade per row (time, price, size, optional side). Node only.
 *
 * @module
 */
import { InvalidOptionError } from '../core/errors.js';
import type { Side, Trade } from '../core/events.js';
import type { CsvByteParser } from './csv-byte-parser.js';
import {
  type CsvColumn,
  type CsvHeader,
  type CsvLayout,
  CsvSource,
  type CsvSourceOptions,
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

/** Explicit column mapping of a trades CSV (indexes 0-based, or header names). */
export interface TradesCsvColumns {
  ts: CsvColumn;
  price: CsvColumn;
  size: CsvColumn;
  /** Aggressor side; without it every trade has side 0 (unknown). */
  side?: CsvColumn;
  /** Numeric trade id; only read when mapped here (ids in the wild are often not numbers). */
  id?: CsvColumn;
}

/** Options of {@link readTradesCsv}. */
export interface TradesCsvOptions extends CsvSourceOptions {
  /**
   * Which column holds what. Default: inferred from the header: time `ts`/`time`/`timestamp`/`datetime`
   * (optionally with a unit suffix), `price` (or `px`), `size` (or `sz`, `qty`, `quantity`, `amount`,
   * `volume`), optional side `side` (or `aggressor`, `aggressor_side`, `taker_side`). Others are ignored.
   */
  columns?: TradesCsvColumns;
}

const NAMES = {
  price: ['price', 'px', 'prc'],
  size: ['size', 'sz', 'qty', 'quantity', 'amount', 'volume', 'vol'],
  side: ['side', 'aggressor', 'aggressorside', 'takerside'],
} as const;

/**
 * A trades CSV as {@link Trade}s, one per row.
 *
 * Side (the aggressor, +1 buyer-initiated): `1`, `+1`, `b`, `buy`, `buyer` -> 1; `-1`, `s`, `sell`,
 * `seller` -> -1; `0`, empty, `unknown` -> 0 (any case). Anything else is a `badSide` error. Rows are not
 * checked for time order.
 *
 * The yielded trade is reused (borrowed): copy what you keep.
 *
 * @example
 * ```ts
 * // ts,price,size,side
 * // 1000,100.25,5,buy
 * for await (const t of readTradesCsv('trades.csv')) {
 *   // t.ts 1000, t.price 100.25, t.size 5, t.side 1
 * }
 * ```
 */
export class TradesCsvReader extends CsvSource<Trade> {
  readonly columns: TradesCsvColumns | undefined;

  constructor(file: string, options: TradesCsvOptions = {}) {
    super(file, csvConfig('readTradesCsv', options, []));
    const columns = options.columns;
    if (columns !== undefined) {
      if (columns === null || typeof columns !== 'object') throw new InvalidOptionError('columns', columns, 'an object { ts, price, size, side?, id? }');
      for (const f of ['ts', 'price', 'size'] as const) checkColumn(`columns.${f}`, columns[f]);
      for (const f of ['side', 'id'] as const) if (columns[f] !== undefined) checkColumn(`columns.${f}`, columns[f]);
    }
    this.columns = columns;
  }

  protected layout(): CsvLayout<Trade> {
    return new TradesLayout(this);
  }
}

const FIELDS = ['ts', 'price', 'size', 'side', 'id'] as const;

class TradesLayout implements CsvLayout<Trade> {
  fieldCount = 0;
  readonly tsIndex: number | undefined;
  private readonly reader: TradesCsvReader;
  private names: string[] = [];
  /** Per column: 0 skip, 1 ts, 2 price, 3 size, 4 side, 5 id. */
  private actions = new Uint8Array(0);
  private tsScale = 0;
  private trade: Trade = { ts: 0, price: 0, size: 0, side: 0 };

  constructor(reader: TradesCsvReader) {
    this.reader = reader;
    const ts = reader.columns?.ts;
    this.tsIndex = typeof ts === 'number' ? ts : undefined;
  }

  init(header: CsvHeader): void {
    const given = this.reader.columns;
    const cols = { ts: -1, price: -1, size: -1, side: -1, id: -1 };
    let unit: TsUnit | undefined;
    if (given !== undefined) {
      for (const f of FIELDS) {
        const c = given[f];
        if (c !== undefined) cols[f] = resolveColumn(header, `columns.${f}`, c);
      }
      if (header.names !== null) unit = findTsColumn(header)?.unit;
    } else {
      if (header.names === null) {
        throw headerError(header, 'no header row (the first line is data): pass `columns` to say which column holds what');
      }
      const ts = findTsColumn(header);
      if (ts === undefined) throw headerError(header, 'no time column (ts, time, timestamp, datetime) in the header; pass `columns`');
      cols.ts = ts.index;
      unit = ts.unit;
      for (const f of ['price', 'size'] as const) {
        cols[f] = findColumn(header, NAMES[f]);
        if (cols[f] < 0) throw headerError(header, `no ${f} column (${NAMES[f].join(', ')}) in the header; pass \`columns\``);
      }
      cols.side = findColumn(header, NAMES.side);
    }
    this.fieldCount = header.fields;
    this.names = header.names === null ? [] : [...header.names];
    this.actions = new Uint8Array(header.fields);
    FIELDS.forEach((f, i) => {
      if (cols[f] >= 0) this.actions[cols[f]] = i + 1;
    });
    this.tsScale = tsScaleOf(this.reader.config, unit);
    this.trade = cols.id >= 0 ? { ts: 0, price: 0, size: 0, side: 0, id: 0 } : { ts: 0, price: 0, size: 0, side: 0 };
  }

  fieldName(column: number): string | undefined {
    const named = this.names[column - 1];
    if (named !== undefined) return named;
    const a = this.actions[column - 1];
    return a === undefined || a === 0 ? undefined : FIELDS[a - 1];
  }

  row(p: CsvByteParser): Trade | null {
    const actions = this.actions;
    const t = this.trade;
    for (let c = 0; c < actions.length; c++) {
      switch (actions[c]) {
        case 1:
          t.ts = p.number(this.tsScale);
          break;
        case 2:
          t.price = p.number(0);
          break;
        case 3:
          t.size = p.number(0);
          break;
        case 4:
          t.side = readTradeSide(p);
          break;
        case 5:
          t.id = p.number(0);
          break;
        default:
          p.skip();
      }
    }
    return p.finish() ? t : null;
  }

  end(): Trade | null {
    return null;
  }
}

/** Parse a trade side token (see {@link TradesCsvReader}); records `badSide` and returns 0 otherwise. */
function readTradeSide(p: CsvByteParser): Side {
  if (!p.field()) return 0;
  const b = p.buf;
  const s = p.fieldStart;
  const e = p.fieldEnd;
  if (e === s) return 0;
  if (tokenIs(b, s, e, '1') || tokenIs(b, s, e, 'b') || tokenIs(b, s, e, 'buy') || tokenIs(b, s, e, '+1') || tokenIs(b, s, e, 'buyer')) return 1;
  if (tokenIs(b, s, e, '-1') || tokenIs(b, s, e, 's') || tokenIs(b, s, e, 'sell') || tokenIs(b, s, e, 'seller')) return -1;
  if (tokenIs(b, s, e, '0') || tokenIs(b, s, e, 'unknown')) return 0;
  p.failColumn('badSide', p.column);
  return 0;
}

/**
 * Read a trades CSV (plain or gzip) as {@link Trade}s. See {@link TradesCsvReader}.
 *
 * @example
 * ```ts
 * const trades = readTradesCsv('trades.csv.gz', { tsUnit: 'us' });
 * for await (const t of trades) { ... }
 * trades.stats(); // { rows, yielded, skipped, skippedByKind, blankLines, bytes }
 * ```
 */
export function readTradesCsv(file: string, options?: TradesCsvOptions): TradesCsvReader {
  return new TradesCsvReader(file, options);
}
