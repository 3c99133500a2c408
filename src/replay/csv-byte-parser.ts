/**
 * A field parser that reads numbers straight from the bytes of one CSV line, without splitting the line
 * into strings. Shared by the LOBSTER and CSV sources.
 *
 * @module
 */
import type { ParseErrorKind } from './errors.js';

const EMPTY: Uint8Array = Buffer.alloc(0);
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** 10^0 .. 10^22: every one exact in float64. */
const POW10 = new Float64Array([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);
const NUMBER_SHAPE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads the fields of one line in order: {@link int}, {@link number}, {@link skip}, {@link field}.
 *
 * Errors do not throw (the hot path stays branch-light): the first problem of the line is recorded in
 * {@link errorKind}, {@link errorColumn} and {@link errorStart}/{@link errorEnd}, and the failed read
 * returns `NaN`; later reads go on so that the caller checks once per line. {@link finish} checks that no
 * field is left over.
 *
 * Numbers: the fast path accumulates the digits of `[-]digits[.digits]` into one integer `m` and returns
 * `m * 10^(scale - fractionDigits)` with one multiplication or division of exact operands, so the result
 * is the correctly rounded value of the decimal times `10^scale` whenever `m` has at most 15-16 digits
 * (`m <= 2^53 - 1`): the same double as `Number(text)` for `scale = 0`, and as exact as possible for
 * `scale = 3` (seconds to milliseconds), where `Number(text) * 1000` rounds twice. Anything else that is
 * still a decimal number (a `+` sign, an exponent, more digits, surrounding spaces or double quotes)
 * takes a slow path through `Number()`, scaled after parsing (one extra rounding).
 *
 * @example
 * ```ts
 * const p = new CsvByteParser();
 * const line = Buffer.from('34200.015105074,4,5794000');
 * p.reset(line, 0, line.length);
 * p.number(3); // 34200015.105074 (seconds to ms)
 * p.int();     // 4
 * p.int();     // 5794000
 * p.finish();  // true: no field left, no error
 * ```
 */
export class CsvByteParser {
  /** The bytes holding the line. */
  buf: Uint8Array = EMPTY;
  /** Read position: start of the next field, or `end + 1` once the last field is read. */
  pos = 0;
  /** Start of the line in {@link buf}. */
  lineStart = 0;
  /** End (exclusive) of the line in {@link buf}. */
  end = 0;
  /** Fields read so far on this line (1-based column of the last one). */
  column = 0;
  /** Field separator byte. @defaultValue `44` (`,`) */
  delimiter: number;
  /** Kind of the first error of this line, or `null`. */
  errorKind: ParseErrorKind | null = null;
  /** 1-based column of the first error. */
  errorColumn = 0;
  /** Bytes of the offending field (or of the whole line for missing / extra fields). */
  errorStart = 0;
  errorEnd = 0;
  /** Bounds of the last field read by {@link field} (trimmed, quotes removed). */
  fieldStart = 0;
  fieldEnd = 0;

  constructor(delimiter = COMMA) {
    this.delimiter = delimiter;
  }

  /** Start reading the line `buf[start, end)`. */
  reset(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.pos = start;
    this.lineStart = start;
    this.end = end;
    this.column = 0;
    this.errorKind = null;
  }

  /** Whether every field has been read (the line has no field left). */
  atEnd(): boolean {
    return this.pos > this.end;
  }

  /**
   * Read the next field as an integer (`[-]digits`, at most 15 digits on the fast path; the slow path
   * accepts any decimal that is an integer with magnitude <= 2^53 - 1). Empty is an error.
   */
  int(): number {
    const buf = this.buf;
    const end = this.end;
    let i = this.pos;
    if (i >= end) return this.slow(i, 0, false, true);
    let neg = false;
    if (buf[i] === MINUS) {
      neg = true;
      i++;
    }
    const from = i;
    let v = 0;
    while (i < end) {
      const d = (buf[i] as number) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      i++;
    }
    const n = i - from;
    if (n === 0 || n > 15 || (i < end && buf[i] !== this.delimiter)) return this.slow(this.pos, 0, false, true);
    this.pos = i + 1;
    this.column++;
    return neg ? -v : v;
  }

  /**
   * Read the next `count` fields as integers into `out[offset, offset + count)`, as {@link int} would,
   * with one tight loop over the bytes (no per-field call, no boxing of large values).
   */
  ints(out: Float64Array, offset: number, count: number): void {
    const buf = this.buf;
    const end = this.end;
    const delim = this.delimiter;
    let i = this.pos;
    let k = 0;
    for (; k < count; k++) {
      const start = i;
      if (i >= end) break;
      let neg = false;
      if (buf[i] === MINUS) {
        neg = true;
        i++;
      }
      const from = i;
      let v = 0;
      while (i < end) {
        const d = (buf[i] as number) - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
        i++;
      }
      const n = i - from;
      if (n === 0 || n > 15 || (i < end && buf[i] !== delim)) {
        i = start;
        break;
      }
      out[offset + k] = neg ? -v : v;
      i++;
    }
    this.pos = i;
    this.column += k;
    for (; k < count; k++) out[offset + k] = this.int();
  }

  /**
   * Read the next field as a decimal number times `10^scale` (`scale` an integer in [-22, 22]; e.g. 3 turns
   * seconds into milliseconds). An empty field returns `NaN`: an error unless `allowEmpty`.
   */
  number(scale: number, allowEmpty = false): number {
    const buf = this.buf;
    const end = this.end;
    let i = this.pos;
    if (i >= end) return this.slow(i, scale, allowEmpty, false);
    let neg = false;
    if (buf[i] === MINUS) {
      neg = true;
      i++;
    }
    const from = i;
    let m = 0;
    while (i < end) {
      const d = (buf[i] as number) - 48;
      if (d < 0 || d > 9) break;
      m = m * 10 + d;
      i++;
    }
    let digits = i - from;
    let frac = 0;
    if (i < end && buf[i] === DOT) {
      i++;
      const f = i;
      while (i < end) {
        const d = (buf[i] as number) - 48;
        if (d < 0 || d > 9) break;
        m = m * 10 + d;
        i++;
      }
      frac = i - f;
      digits += frac;
    }
    const e = scale - frac;
    if (digits === 0 || m > MAX_SAFE || e < -22 || e > 22 || (i < end && buf[i] !== this.delimiter)) {
      return this.slow(this.pos, scale, allowEmpty, false);
    }
    this.pos = i + 1;
    this.column++;
    const v = e >= 0 ? m * (POW10[e] as number) : m / (POW10[-e] as number);
    return neg ? -v : v;
  }

  /** Skip the next field. Returns `false` (and records `missingField`) if there is none. */
  skip(): boolean {
    const end = this.end;
    let i = this.pos;
    if (i > end) {
      this.missing();
      return false;
    }
    const buf = this.buf;
    const delim = this.delimiter;
    while (i < end && buf[i] !== delim) i++;
    this.pos = i + 1;
    this.column++;
    return true;
  }

  /**
   * Read the next field's bounds into {@link fieldStart}/{@link fieldEnd}, with surrounding spaces, tabs
   * and one pair of double quotes removed. Returns `false` (and records `missingField`) if there is none.
   */
  field(): boolean {
    const end = this.end;
    const start = this.pos;
    if (start > end) {
      this.missing();
      return false;
    }
    const buf = this.buf;
    const delim = this.delimiter;
    let i = start;
    while (i < end && buf[i] !== delim) i++;
    this.pos = i + 1;
    this.column++;
    let s = start;
    let e = i;
    while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++;
    while (e > s && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--;
    if (e - s >= 2 && buf[s] === QUOTE && buf[e - 1] === QUOTE) {
      s++;
      e--;
    }
    this.fieldStart = s;
    this.fieldEnd = e;
    return true;
  }

  /** The next field as a string (trimmed, quotes removed; allocates). `undefined` if there is none. */
  text(): string | undefined {
    if (!this.field()) return undefined;
    return latin1(this.buf, this.fieldStart, this.fieldEnd);
  }

  /**
   * After the last expected field: `true` if the line had no more fields and no error. Otherwise records
   * `extraField` (when no earlier error) and returns `false`.
   */
  finish(): boolean {
    if (this.pos <= this.end && this.errorKind === null) {
      this.fail('extraField', this.column + 1, this.lineStart, this.end);
    }
    return this.errorKind === null;
  }

  /** Record an error found by the caller (e.g. a value out of its domain) for the field just read. */
  fail(kind: ParseErrorKind, column: number, start: number, end: number): void {
    if (this.errorKind !== null) return;
    this.errorKind = kind;
    this.errorColumn = column;
    this.errorStart = start;
    this.errorEnd = end;
  }

  /** Record `kind` for field `column` (1-based) of the line, e.g. a value outside its domain. */
  failColumn(kind: ParseErrorKind, column: number): void {
    if (this.errorKind !== null) return;
    const buf = this.buf;
    const delim = this.delimiter;
    let s = this.lineStart;
    for (let c = 1; c < column && s < this.end; s++) if (buf[s] === delim) c++;
    let e = s;
    while (e < this.end && buf[e] !== delim) e++;
    this.fail(kind, column, s, e);
  }

  /** Number of fields of the line (delimiters + 1). */
  countFields(): number {
    const buf = this.buf;
    const delim = this.delimiter;
    let n = 1;
    for (let i = this.lineStart; i < this.end; i++) if (buf[i] === delim) n++;
    return n;
  }

  /** The whole line as a string (allocates). */
  lineText(): string {
    return utf8(this.buf, this.lineStart, this.end);
  }

  /** The offending text of the first error as a string (allocates). */
  errorText(): string {
    return utf8(this.buf, this.errorStart, this.errorEnd);
  }

  private missing(): void {
    this.fail('missingField', this.column + 1, this.lineStart, this.end);
  }

  /** Everything off the fast path: missing, empty, padded, quoted, signed, exponent, long, or bad. */
  private slow(start: number, scale: number, allowEmpty: boolean, integer: boolean): number {
    const end = this.end;
    if (start > end) {
      this.missing();
      return NaN;
    }
    const buf = this.buf;
    const delim = this.delimiter;
    let i = start;
    while (i < end && buf[i] !== delim) i++;
    this.pos = i + 1;
    const column = ++this.column;
    let s = start;
    let e = i;
    while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++;
    while (e > s && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--;
    if (e - s >= 2 && buf[s] === QUOTE && buf[e - 1] === QUOTE) {
      s++;
      e--;
    }
    if (s === e) {
      if (!allowEmpty) this.fail('emptyField', column, start, i);
      return NaN;
    }
    const text = latin1(buf, s, e);
    if (!NUMBER_SHAPE.test(text)) {
      this.fail('badNumber', column, start, i);
      return NaN;
    }
    let v = Number(text);
    if (integer) {
      if (!Number.isInteger(v) && Number.isFinite(v)) {
        this.fail('notInteger', column, start, i);
        return NaN;
      }
      if (!(Math.abs(v) <= MAX_SAFE)) {
        this.fail('outOfRange', column, start, i);
        return NaN;
      }
      return v;
    }
    if (scale !== 0) v = scale > 0 ? v * 10 ** scale : v / 10 ** -scale;
    if (!Number.isFinite(v)) {
      this.fail('outOfRange', column, start, i);
      return NaN;
    }
    return v;
  }
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
}

function utf8(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
}
