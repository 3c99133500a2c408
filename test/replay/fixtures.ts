/**
 * Temp-file fixtures for the replay tests: every bad-input file is written by the test that uses it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A fresh temp directory and a function removing it. */
export function tempDir(): { dir: string; file: (name: string, content: string | Uint8Array) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ms-replay-'));
  return {
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Gzip text (or bytes). */
export function gz(content: string | Uint8Array): Buffer {
  return gzipSync(typeof content === 'string' ? Buffer.from(content) : content);
}

/** One order-book line from levels `[askPx, askSz, bidPx, bidSz]` (raw LOBSTER integers). */
export function obLine(levels: ReadonlyArray<readonly [number, number, number, number]>): string {
  return levels.map((l) => l.join(',')).join(',');
}

/** Write a LOBSTER pair named like LOBSTER does; returns the message file path. */
export function writeLobster(
  fx: ReturnType<typeof tempDir>,
  messages: readonly string[],
  books: readonly string[],
  options: { ticker?: string; gzip?: boolean; levels?: number; eol?: string; finalEol?: boolean } = {},
): { message: string; orderbook: string } {
  const eol = options.eol ?? '\n';
  const tail = options.finalEol === false ? '' : eol;
  const name = `${options.ticker ?? 'TEST'}_2020-01-02_34200000_57600000`;
  const suffix = `${options.levels ?? 2}.csv${options.gzip === true ? '.gz' : ''}`;
  const body = (lines: readonly string[]) => (lines.length === 0 ? '' : lines.join(eol) + tail);
  const enc = (s: string) => (options.gzip === true ? gz(s) : s);
  return {
    message: fx.file(`${name}_message_${suffix}`, enc(body(messages))),
    orderbook: fx.file(`${name}_orderbook_${suffix}`, enc(body(books))),
  };
}

/** Catch the rejection of a promise (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Collect an async iterable, mapping each (borrowed) item to a kept value. */
export async function collect<T, U>(it: AsyncIterable<T>, map: (x: T) => U): Promise<U[]> {
  const out: U[] = [];
  for await (const x of it) out.push(map(x));
  return out;
}

/** One unit in the last place of `x` (a float64). */
export function ulp(x: number): number {
  return 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);
}
