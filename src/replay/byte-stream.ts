/**
 * Reading files as byte chunks (gunzipped when they are gzip) and as lines. Node only (`node:fs`,
 * `node:zlib`).
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip, constants as zlibConstants } from 'node:zlib';
import { ParseError } from '../core/errors.js';
import { integerOption } from '../core/options.js';
import { LineSplitter } from './line-splitter.js';

/** Options for {@link openByteStream}, {@link openLines} and {@link LineReader}. */
export interface ByteStreamOptions {
  /**
   * Read chunk size in bytes (also the gunzip output chunk size, at least 64 there).
   * @defaultValue `1 << 20` (1 MiB)
   */
  highWaterMark?: number;
}

/** Default read chunk size: 1 MiB. */
export const DEFAULT_HIGH_WATER_MARK = 1 << 20;

/** Whether the first bytes are a gzip header (magic bytes `1f 8b`). */
export function isGzipHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Whether the file starts with the gzip magic bytes `1f 8b` (whatever its name). */
export async function isGzipFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return isGzipHeader(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * The bytes of `file` as chunks of up to `highWaterMark` bytes, gunzipped on the fly when the file starts
 * with the gzip magic bytes (the name does not matter). Decompression runs on libuv's thread pool, so it
 * overlaps with parsing on the main thread. A corrupt or truncated gzip stream throws a
 * {@link ParseError} naming the file (line 0: the byte stream knows no lines); file-system errors
 * (`ENOENT`, `EISDIR`...) are rethrown as they are. Breaking out of the loop closes the file.
 *
 * @example
 * ```ts
 * let bytes = 0;
 * for await (const chunk of openByteStream('GOOG_..._message_10.csv.gz')) bytes += chunk.length;
 * // bytes === 6094817 (the decompressed size)
 * ```
 */
export async function* openByteStream(file: string, options: ByteStreamOptions = {}): AsyncGenerator<Buffer, void, undefined> {
  const highWaterMark = integerOption('highWaterMark', options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK, 1);
  const gzip = await isGzipFile(file);
  const raw = createReadStream(file, { highWaterMark });
  if (!gzip) {
    try {
      for await (const chunk of raw) yield chunk as Buffer;
    } finally {
      raw.destroy();
    }
    return;
  }
  const gunzip = createGunzip({ chunkSize: Math.max(zlibConstants.Z_MIN_CHUNK, highWaterMark) });
  pipeline(raw, gunzip, () => {
    // Errors surface through the iteration below.
  });
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    throw wrapZlibError(error, file);
  } finally {
    gunzip.destroy();
    raw.destroy();
  }
}

function wrapZlibError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    const detail = (error as Error).message;
    const wrapped = new ParseError(`corrupt or truncated gzip data (${detail})`, { source: file, line: 0, text: '' });
    wrapped.cause = error;
    return wrapped;
  }
  return error;
}

/**
 * Lines of a file pulled on demand, for sources that read several files in lockstep. Blank lines (empty
 * after removing `\r`) are not returned; they are counted in {@link blankLines}.
 *
 * The hot path is synchronous: {@link nextSync} returns the next buffered line without awaiting, and
 * only when the current chunk is used up does the caller await {@link nextAsync}:
 *
 * ```ts
 * if (!(reader.nextSync() || (await reader.nextAsync()))) { ...end of file... }
 * const s = reader.splitter; // the line is s.buf[s.start, s.end), line number s.line
 * ```
 */
export class LineReader {
  readonly file: string;
  readonly splitter: LineSplitter;
  /** Blank lines skipped so far. */
  blankLines = 0;
  /** Whether the end of the file was reached. */
  done = false;
  private readonly highWaterMark: number;
  private chunks: AsyncGenerator<Buffer, void, undefined> | null = null;

  constructor(file: string, options: ByteStreamOptions & { maxLineBytes?: number } = {}) {
    this.file = file;
    this.highWaterMark = integerOption('highWaterMark', options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK, 1);
    this.splitter = new LineSplitter(options.maxLineBytes === undefined ? { source: file } : { source: file, maxLineBytes: options.maxLineBytes });
  }

  /** Decompressed bytes read so far. */
  get bytes(): number {
    return this.splitter.bytes;
  }

  /** The next non-blank line already in memory: `true`, or `false` if more bytes must be read first. */
  nextSync(): boolean {
    const s = this.splitter;
    while (s.next()) {
      if (s.end > s.start) return true;
      this.blankLines++;
    }
    return false;
  }

  /** Read on until the next non-blank line (`true`) or the end of the file (`false`). */
  async nextAsync(): Promise<boolean> {
    const s = this.splitter;
    for (;;) {
      if (this.nextSync()) return true;
      if (this.done) return false;
      if (this.chunks === null) this.chunks = openByteStream(this.file, { highWaterMark: this.highWaterMark });
      let r: IteratorResult<Buffer, void>;
      try {
        r = await this.chunks.next();
      } catch (error) {
        this.done = true;
        if (error instanceof ParseError && error.line === 0) {
          const located = new ParseError(error.reason, { source: error.source, line: s.line + 1, text: error.text });
          located.cause = error.cause;
          throw located;
        }
        throw error;
      }
      if (r.done === true) {
        this.done = true;
        while (s.finish()) {
          if (s.end > s.start) return true;
          this.blankLines++;
        }
        return false;
      }
      s.push(r.value);
    }
  }

  /** Close the file (idempotent). */
  async close(): Promise<void> {
    this.done = true;
    const chunks = this.chunks;
    this.chunks = null;
    if (chunks !== null) await chunks.return(undefined);
  }
}

/**
 * The lines of a (possibly gzipped) file as strings, without line terminators; blank lines included.
 * Convenient, not fast: the sources parse bytes with {@link LineSplitter} and `CsvByteParser` instead.
 *
 * @example
 * ```ts
 * for await (const line of openLines('GOOG_..._message_10.csv')) {
 *   // '34200.015105074,4,15818974,4,5794000,1', ...
 * }
 * ```
 */
export async function* openLines(file: string, options: ByteStreamOptions = {}): AsyncGenerator<string, void, undefined> {
  const splitter = new LineSplitter({ source: file });
  for await (const chunk of openByteStream(file, options)) {
    splitter.push(chunk);
    while (splitter.next()) yield splitter.text();
  }
  if (splitter.finish()) yield splitter.text();
}
