/**
 * Splits a stream of byte chunks into lines without decoding them to strings.
 *
 * @module
 */
import { ParseError } from '../core/errors.js';

const EMPTY = Buffer.alloc(0);
const LF = 10;
const CR = 13;

/** Options of a {@link LineSplitter}. */
export interface LineSplitterOptions {
  /** Name of the source, for error messages. @defaultValue `"<bytes>"` */
  source?: string;
  /**
   * Longest line accepted, in bytes; a longer one throws a {@link ParseError} (so a file without line
   * breaks cannot grow memory without bound). @defaultValue `4 MiB`
   */
  maxLineBytes?: number;
}

/**
 * A line splitter over byte chunks: push a chunk, then call {@link next} until it returns `false`, then
 * push the next chunk; at the end of the input call {@link finish} once for a last line without a line
 * break.
 *
 * Each line is a view `buf[start, end)` **without** its `\n` or `\r\n`. The view points into the pushed
 * chunk when the line lies inside it (no copy), or into an internal carry buffer when the line spans
 * chunks (only that line is copied). The view is valid until the next call of `next`, `push` or
 * `finish`: parse it before moving on. A UTF-8 byte-order mark at the start of line 1 is dropped.
 *
 * @example
 * ```ts
 * const s = new LineSplitter();
 * s.push(Buffer.from('a,1\nb,'));
 * s.next(); // true: s.buf.toString('latin1', s.start, s.end) === 'a,1'
 * s.next(); // false: 'b,' is carried over
 * s.push(Buffer.from('2\r\n'));
 * s.next(); // true: 'b,2', s.line === 2
 * ```
 */
export class LineSplitter {
  /** Bytes of the current line: `buf[start, end)`. */
  buf: Buffer = EMPTY;
  /** Start of the current line in {@link buf}. */
  start = 0;
  /** End (exclusive) of the current line in {@link buf}, before any `\r\n` / `\n`. */
  end = 0;
  /** 1-based number of the current line (0 before the first). */
  line = 0;
  /** Bytes pushed so far. */
  bytes = 0;
  /** Name of the source, for error messages. */
  readonly source: string;
  /** Longest line accepted, in bytes. */
  readonly maxLineBytes: number;

  private chunk: Buffer = EMPTY;
  private pos = 0;
  private carry: Buffer = Buffer.allocUnsafe(256);
  private carryLen = 0;

  constructor(options: LineSplitterOptions = {}) {
    this.source = options.source ?? '<bytes>';
    this.maxLineBytes = options.maxLineBytes ?? 4 << 20;
  }

  /** Hand over the next chunk. Call it only after {@link next} returned `false`. */
  push(chunk: Buffer): void {
    this.chunk = chunk;
    this.pos = 0;
    this.bytes += chunk.length;
  }

  /** Advance to the next complete line of the pushed data; `false` when the chunk is used up. */
  next(): boolean {
    const chunk = this.chunk;
    const len = chunk.length;
    const from = this.pos;
    const i = from < len ? chunk.indexOf(LF, from) : -1;
    if (i < 0) {
      if (from < len) this.append(chunk, from, len);
      this.pos = len;
      return false;
    }
    this.pos = i + 1;
    if (this.carryLen > 0) {
      this.append(chunk, from, i);
      this.setLine(this.carry, 0, this.carryLen);
      this.carryLen = 0;
    } else {
      this.setLine(chunk, from, i);
    }
    return true;
  }

  /** At the end of the input: the last line if it had no line break (`true`), else `false`. */
  finish(): boolean {
    this.chunk = EMPTY;
    this.pos = 0;
    if (this.carryLen === 0) return false;
    this.setLine(this.carry, 0, this.carryLen);
    this.carryLen = 0;
    return true;
  }

  /** Back to the initial state (counters too). */
  reset(): void {
    this.buf = EMPTY;
    this.chunk = EMPTY;
    this.start = this.end = this.pos = this.carryLen = this.line = this.bytes = 0;
  }

  /** The current line as a string (allocates; for messages and tests). */
  text(): string {
    return this.buf.toString('utf8', this.start, this.end);
  }

  private setLine(buf: Buffer, start: number, end: number): void {
    this.line++;
    if (end > start && buf[end - 1] === CR) end--;
    if (this.line === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) {
      start += 3;
    }
    this.buf = buf;
    this.start = start;
    this.end = end;
  }

  private append(src: Buffer, from: number, to: number): void {
    const n = to - from;
    const need = this.carryLen + n;
    if (need > this.maxLineBytes) {
      const head = this.carry.toString('utf8', 0, Math.min(this.carryLen, 200));
      this.carryLen = 0;
      throw new ParseError(`line longer than ${this.maxLineBytes} bytes (no line break)`, {
        source: this.source,
        line: this.line + 1,
        text: head,
      });
    }
    if (need > this.carry.length) {
      let size = this.carry.length * 2;
      while (size < need) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.carry.copy(grown, 0, 0, this.carryLen);
      this.carry = grown;
    }
    src.copy(this.carry, this.carryLen, from, to);
    this.carryLen = need;
  }
}
