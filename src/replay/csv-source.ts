/**
 * The machinery the CSV sources share: options, header detection, column resolution, the streaming
 * iterator and its error policy. Node only.
 *
 * @module
 */
import { InvalidOptionError, ParseError } from '../core/errors.js';
import { checkOptionKeys, integerOption, oneOfOption } from '../core/options.js';
import { DEFAULT_HIGH_WATER_MARK, LineReader } from './byte-stream.js';
import { CsvByteParser } from './csv-byte-parser.js';
import { type ErrorPolicy, LineParseError, type ParseErrorKind, SkipCounter } from './errors.js';

/** Unit of a numeric time column; `ts` comes out in milliseconds. */
export type TsUnit = 'ms' | 's' | 'us' | 'ns';

/** Power of ten that turns a value in `unit` into milliseconds. */
export const TS_UNIT_SCALE: Readonly<Record<TsUnit, number>> = Object.freeze({ s: 3, ms: 0, us: -3, ns: -6 });

/** A column: its 0-based index, or its name in the header row. */
export type CsvColumn = number | string;

/** Options every CSV source takes. */
export interface CsvSourceOptions {
  /**
   * Whether the first line is a header. Default: detected (a header has a non-empty field that is not a
   * number). A file without a header needs `columns`.
   */
  header?: boolean;
  /** Field separator, one character. @defaultValue `','` */
  delimiter?: string;
  /**
   * Unit of the time column (numeric; `ts` comes out in ms). Default: from a suffix of the header name
   * (`ts_us`, `timestamp_ns`, `time_s`...), else `'ms'`.
   */
  tsUnit?: TsUnit;
  /** What a malformed line does: throw a `ParseError`, or skip and count it. @defaultValue `'throw'` */
  onError?: ErrorPolicy;
  /** Read chunk size in bytes. @defaultValue `1 << 20` */
  highWaterMark?: number;
}

/** Defaults of {@link CsvSourceOptions}. */
export const DEFAULT_CSV_SOURCE_OPTIONS: Readonly<Required<Pick<CsvSourceOptions, 'delimiter' | 'onError' | 'highWaterMark'>>> =
  Object.freeze({
    /** @defaultValue `','` */
    delimiter: ',',
    /** @defaultValue `'throw'` */
    onError: 'throw',
    /** @defaultValue `1 << 20` */
    highWaterMark: DEFAULT_HIGH_WATER_MARK,
  });

/** Counters of a CSV source, for its latest pass. */
export interface CsvStats {
  /** Data lines read (the header not included). */
  rows: number;
  /** Values yielded (snapshots or trades). */
  yielded: number;
  /** Lines (or, for the long L2 layout, snapshots) skipped under `onError: 'skip'`. */
  skipped: number;
  /** Skipped by {@link ParseErrorKind}. */
  skippedByKind: Record<string, number>;
  /** Blank lines ignored. */
  blankLines: number;
  /** Decompressed bytes read so far. */
  bytes: number;
}

const BASE_KEYS = ['header', 'delimiter', 'tsUnit', 'onError', 'highWaterMark', 'columns'];
const TS_NAME = /^(?:ts|time|timestamp|date_?time|t)(?:[_ ]?(ms|us|ns|s|sec|secs|seconds|millis|micros|nanos))?$/;
const UNIT_SUFFIX: Readonly<Record<string, TsUnit>> = {
  ms: 'ms',
  millis: 'ms',
  us: 'us',
  micros: 'us',
  ns: 'ns',
  nanos: 'ns',
  s: 's',
  sec: 's',
  secs: 's',
  seconds: 's',
};
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The validated common options. */
export interface CsvConfig {
  readonly header: boolean | undefined;
  readonly delimiter: number;
  readonly tsUnit: TsUnit | undefined;
  readonly onError: ErrorPolicy;
  readonly highWaterMark: number;
}

/** Validate the common options (`extraKeys`: the source's own option names). */
export function csvConfig(name: string, options: CsvSourceOptions | undefined, extraKeys: readonly string[]): CsvConfig {
  checkOptionKeys(name, options, [...BASE_KEYS, ...extraKeys]);
  const o = options ?? {};
  if (o.header !== undefined && typeof o.header !== 'boolean') throw new InvalidOptionError('header', o.header, 'a boolean');
  const delimiter = o.delimiter ?? DEFAULT_CSV_SOURCE_OPTIONS.delimiter;
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || /[0-9.+\-"\r\n eE]/.test(delimiter)) {
    throw new InvalidOptionError('delimiter', delimiter, 'one ASCII character that cannot be part of a number (",", ";", "\\t", "|")');
  }
  return {
    header: o.header,
    delimiter: delimiter.charCodeAt(0),
    tsUnit: o.tsUnit === undefined ? undefined : oneOfOption<TsUnit>('tsUnit', o.tsUnit, ['ms', 's', 'us', 'ns']),
    onError: oneOfOption<ErrorPolicy>('onError', o.onError ?? DEFAULT_CSV_SOURCE_OPTIONS.onError, ['throw', 'skip']),
    highWaterMark: integerOption('highWaterMark', o.highWaterMark ?? DEFAULT_CSV_SOURCE_OPTIONS.highWaterMark, 1),
  };
}

/** Check a `columns` entry at construction: an integer index >= 0 or a non-empty name. */
export function checkColumn(option: string, value: unknown): CsvColumn {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && value !== '') return value;
  throw new InvalidOptionError(option, value, 'a 0-based column index or a header name');
}

/** Lower-case a header name and drop everything but letters and digits (`Bid_Px_1` -> `bidpx1`). */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The header row, as the layouts see it. */
export interface CsvHeader {
  /** The file. */
  readonly file: string;
  /** Names as written (trimmed, quotes removed), or `null` when the file has no header row. */
  readonly names: readonly string[] | null;
  /** Fields of the first line (header or data). */
  readonly fields: number;
  /** 1-based line of the header (or of the first data line). */
  readonly line: number;
  /** Text of that line, for error messages. */
  readonly text: string;
}

/** A header problem: always fatal. */
export function headerError(header: CsvHeader, reason: string): ParseError {
  return new ParseError(reason, { source: header.file, line: header.line, text: header.text });
}

/** Resolve a column given by index or name against the header. */
export function resolveColumn(header: CsvHeader, option: string, column: CsvColumn): number {
  if (typeof column === 'number') {
    if (column >= header.fields) {
      throw new InvalidOptionError(option, column, `a column index < ${header.fields} (the file has ${header.fields} columns)`);
    }
    return column;
  }
  if (header.names === null) throw new InvalidOptionError(option, column, 'a column index (the file has no header row)');
  let at = header.names.indexOf(column);
  if (at < 0) {
    const wanted = normalizeName(column);
    at = header.names.findIndex((n) => normalizeName(n) === wanted);
  }
  if (at < 0) throw new InvalidOptionError(option, column, `a column of the header (${header.names.join(', ')})`);
  return at;
}

/** The time column found in a header by name (ts, time, timestamp, datetime, with an optional unit suffix). */
export function findTsColumn(header: CsvHeader): { index: number; unit: TsUnit | undefined } | undefined {
  const names = header.names ?? [];
  for (let i = 0; i < names.length; i++) {
    const m = TS_NAME.exec((names[i] as string).trim().toLowerCase());
    if (m !== null) return { index: i, unit: m[1] === undefined ? undefined : UNIT_SUFFIX[m[1]] };
  }
  return undefined;
}

/** The first column whose normalized name is in `names`, or -1. */
export function findColumn(header: CsvHeader, names: readonly string[]): number {
  const all = header.names ?? [];
  for (let i = 0; i < all.length; i++) if (names.includes(normalizeName(all[i] as string))) return i;
  return -1;
}

/**
 * What one CSV layout does with the lines: resolve its columns from the header, parse a data line,
 * flush at the end. One instance per pass.
 */
export interface CsvLayout<T> {
  /**
   * The time column's index when `columns` gives it as a number: then (unless the `header` option says)
   * the first line is a header iff that field is not a number. Otherwise `undefined`: the first line is a
   * header iff any field is not a number.
   */
  readonly tsIndex: number | undefined;
  /** Resolve the columns (throw a header error or an `InvalidOptionError` if impossible). */
  init(header: CsvHeader): void;
  /** Number of fields every data line must have. */
  readonly fieldCount: number;
  /** Name of a 1-based column, for error messages. */
  fieldName(column: number): string | undefined;
  /**
   * Parse one data line from `p` (already reset to it). Return a value to yield, or `null` for none. Line
   * errors are recorded in `p` (the source throws or counts them); errors found later (about lines
   * already read) go through `ctx.reject`.
   */
  row(p: CsvByteParser, line: number, ctx: CsvContext): T | null;
  /** At the end of the file: a last value to yield, or `null`. */
  end(ctx: CsvContext): T | null;
}

/** What a layout may call back into. */
export interface CsvContext {
  /** Throw `error` (policy `'throw'`) or count it under its kind (policy `'skip'`). */
  reject(error: LineParseError): void;
}

/** Counters shared by a source and its passes. */
export interface CsvCounters {
  rows: number;
  yielded: number;
  readonly skips: SkipCounter;
  reader: LineReader | null;
}

/** Base of the CSV sources: options, stats, and a fresh streaming pass per `for await`. */
export abstract class CsvSource<T> implements AsyncIterable<T> {
  /** The file (plain or gzip). */
  readonly file: string;
  /** The validated common options. */
  readonly config: CsvConfig;
  /** Counters of the latest pass (see {@link stats}). */
  protected readonly counters: CsvCounters = { rows: 0, yielded: 0, skips: new SkipCounter(), reader: null };

  constructor(file: string, config: CsvConfig) {
    if (typeof file !== 'string' || file === '') throw new InvalidOptionError('file', file, 'a file path');
    this.file = file;
    this.config = config;
  }

  /** A new layout for one pass. */
  protected abstract layout(): CsvLayout<T>;

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return new CsvIterator<T>(this.file, this.config, this.counters, this.layout());
  }

  /** Counters of the latest pass. */
  stats(): CsvStats {
    const c = this.counters;
    return {
      rows: c.rows,
      yielded: c.yielded,
      skipped: c.skips.total,
      skippedByKind: c.skips.byKind(),
      blankLines: c.reader?.blankLines ?? 0,
      bytes: c.reader?.bytes ?? 0,
    };
  }
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** One pass over a CSV file. */
class CsvIterator<T> implements AsyncIterator<T>, CsvContext {
  private readonly file: string;
  private readonly config: CsvConfig;
  private readonly counters: CsvCounters;
  private readonly layoutImpl: CsvLayout<T>;
  private readonly reader: LineReader;
  private readonly p: CsvByteParser;
  private readonly result: { done: false; value: T } = { done: false, value: undefined as unknown as T };
  /** 0: no line taken; 1: a line taken, not parsed; 2: end of file. */
  private lineState = 0;
  /** Whether the header (first line) was handled. */
  private started = false;
  private finished = false;

  constructor(file: string, config: CsvConfig, counters: CsvCounters, layout: CsvLayout<T>) {
    this.file = file;
    this.config = config;
    this.counters = counters;
    this.layoutImpl = layout;
    counters.rows = counters.yielded = 0;
    counters.skips.reset();
    this.reader = new LineReader(file, { highWaterMark: config.highWaterMark });
    counters.reader = this.reader;
    this.p = new CsvByteParser(config.delimiter);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.finished) return Promise.resolve(DONE);
    let r: IteratorResult<T> | null;
    try {
      r = this.step();
    } catch (error) {
      return this.fail(error);
    }
    if (r === null) return this.nextAsync();
    if (r === DONE) return this.close().then(() => DONE);
    return Promise.resolve(r);
  }

  async return(): Promise<IteratorResult<T>> {
    await this.close();
    return DONE;
  }

  reject(error: LineParseError): void {
    if (this.config.onError === 'throw') throw error;
    this.counters.skips.add(error.kind);
  }

  private async nextAsync(): Promise<IteratorResult<T>> {
    try {
      for (;;) {
        if (this.lineState === 0) this.lineState = (await this.reader.nextAsync()) ? 1 : 2;
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
    await this.reader.close();
  }

  private step(): IteratorResult<T> | null {
    const reader = this.reader;
    const s = reader.splitter;
    const p = this.p;
    const layout = this.layoutImpl;
    const c = this.counters;
    for (;;) {
      if (this.lineState === 0) {
        if (reader.nextSync()) this.lineState = 1;
        else if (reader.done) this.lineState = 2;
        else return null;
      }
      if (this.lineState === 2) {
        if (!this.started) throw new ParseError('empty file (no header, no data)', { source: this.file, line: 1, text: '' });
        this.finished = true;
        const last = layout.end(this);
        if (last === null) return DONE;
        c.yielded++;
        this.result.value = last;
        return this.result;
      }
      this.lineState = 0;
      p.reset(s.buf, s.start, s.end);
      if (!this.started) {
        this.started = true;
        if (this.start(s.line)) continue;
        p.reset(s.buf, s.start, s.end);
      }
      c.rows++;
      const value = layout.row(p, s.line, this);
      if (p.errorKind !== null) {
        this.rejectLine(s.line);
        continue;
      }
      if (value === null) continue;
      c.yielded++;
      this.result.value = value;
      return this.result;
    }
  }

  /** Handle the first line: `true` if it was a header (consumed), `false` if it is data. */
  private start(line: number): boolean {
    const p = this.p;
    const text = p.lineText();
    const names: string[] = [];
    for (let t = p.text(); t !== undefined; t = p.text()) names.push(t);
    const at = this.layoutImpl.tsIndex;
    const isHeader = this.config.header ?? (at === undefined ? names.some(isText) : isText(names[at] ?? ''));
    const header: CsvHeader = { file: this.file, names: isHeader ? names : null, fields: names.length, line, text };
    this.layoutImpl.init(header);
    return isHeader;
  }

  private rejectLine(line: number): void {
    const p = this.p;
    const kind = p.errorKind as ParseErrorKind;
    const expected = this.layoutImpl.fieldCount;
    const detail = kind === 'missingField' || kind === 'extraField' ? `expected ${expected}, got ${p.countFields()}` : '';
    this.reject(new LineParseError(kind, this.file, line, p.errorColumn, this.layoutImpl.fieldName(p.errorColumn), p.errorText(), detail));
  }
}

function isText(field: string): boolean {
  return field !== '' && !NUMERIC.test(field);
}

/** Read the time unit to use: the option, else the header suffix, else ms. */
export function tsScaleOf(config: CsvConfig, fromHeader: TsUnit | undefined): number {
  return TS_UNIT_SCALE[config.tsUnit ?? fromHeader ?? 'ms'];
}

/** Whether `buf[s, e)` equals the lower-case ASCII `token`, ignoring case. */
export function tokenIs(buf: Uint8Array, s: number, e: number, token: string): boolean {
  if (e - s !== token.length) return false;
  for (let i = 0; i < token.length; i++) {
    let c = buf[s + i] as number;
    if (c >= 65 && c <= 90) c += 32;
    if (c !== token.charCodeAt(i)) return false;
  }
  return true;
}
