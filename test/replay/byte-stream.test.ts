import { afterAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, ParseError } from '../../src/core/errors.js';
import { LineReader, isGzipFile, isGzipHeader, openByteStream, openLines } from '../../src/replay/byte-stream.js';
import { collect, gz, rejection, tempDir } from './fixtures.js';

const fx = tempDir();
afterAll(() => fx.cleanup());

const text = 'a,1\nb,2\r\n\nc,3';

async function bytesOf(file: string, highWaterMark?: number): Promise<string> {
  const chunks = await collect(openByteStream(file, highWaterMark === undefined ? {} : { highWaterMark }), (c) => Buffer.from(c));
  return Buffer.concat(chunks).toString();
}

describe('openByteStream', () => {
  it('reads a plain file as it is', async () => {
    expect(await bytesOf(fx.file('plain.csv', text))).toBe(text);
  });

  it('gunzips by the magic bytes 1f 8b, whatever the name says', async () => {
    expect(await bytesOf(fx.file('zipped-but-named.csv', gz(text)))).toBe(text);
    expect(await bytesOf(fx.file('plain-but-named.csv.gz', text))).toBe(text);
    expect(await isGzipFile(fx.file('z.bin', gz('x')))).toBe(true);
    expect(isGzipHeader(new Uint8Array([0x1f]))).toBe(false);
  });

  it('honours highWaterMark (chunks of at most that many bytes; at least 64 for gunzip output)', async () => {
    const sizes = await collect(openByteStream(fx.file('hwm.csv', text), { highWaterMark: 3 }), (c) => c.length);
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(text.length);
    const big = 'x'.repeat(1000);
    const gzSizes = await collect(openByteStream(fx.file('hwm.gz', gz(big)), { highWaterMark: 3 }), (c) => c.length);
    expect(Math.max(...gzSizes)).toBe(64);
  });

  it('throws a ParseError naming the file for a truncated gzip', async () => {
    const whole = gz('x,1\n'.repeat(5000));
    const file = fx.file('cut.csv.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await rejection(bytesOf(file));
    expect(error).toBeInstanceOf(ParseError);
    expect(error.source).toBe(file);
    expect(error.message).toMatch(/corrupt or truncated gzip/);
  });

  it('throws a ParseError for gzip magic followed by garbage', async () => {
    const file = fx.file('garbage.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(await rejection(bytesOf(file))).toBeInstanceOf(ParseError);
  });

  it('passes file-system errors through (a missing file names its path)', async () => {
    const error = await rejection(bytesOf(`${fx.dir}/nope.csv`));
    expect(error.code).toBe('ENOENT');
    expect(error.message).toContain('nope.csv');
  });

  it('rejects a bad highWaterMark', async () => {
    expect(await rejection(bytesOf(fx.file('o.csv', 'x'), 0))).toBeInstanceOf(InvalidOptionError);
  });
});

describe('openLines', () => {
  it('yields every line as a string, blank ones too, plain or gzip', async () => {
    const expected = ['a,1', 'b,2', '', 'c,3'];
    expect(await collect(openLines(fx.file('l.csv', text)), (l) => l)).toEqual(expected);
    expect(await collect(openLines(fx.file('l.csv.gz', gz(text)), { highWaterMark: 2 }), (l) => l)).toEqual(expected);
  });
});

describe('LineReader', () => {
  it('returns non-blank lines with their line numbers and counts blank ones', async () => {
    const r = new LineReader(fx.file('r.csv', text), { highWaterMark: 2 });
    const got: Array<[number, string]> = [];
    while (r.nextSync() || (await r.nextAsync())) got.push([r.splitter.line, r.splitter.text()]);
    expect(got).toEqual([
      [1, 'a,1'],
      [2, 'b,2'],
      [4, 'c,3'],
    ]);
    expect(r.blankLines).toBe(1);
    expect(r.bytes).toBe(text.length);
    expect(r.done).toBe(true);
    await r.close();
  });

  it('locates a truncated gzip at the line after the last complete one', async () => {
    const whole = gz('x,1\n'.repeat(5000));
    const r = new LineReader(fx.file('cut2.csv.gz', whole.subarray(0, whole.length - 12)));
    let lines = 0;
    const error = await rejection(
      (async () => {
        while (r.nextSync() || (await r.nextAsync())) lines++;
      })(),
    );
    expect(error).toBeInstanceOf(ParseError);
    expect(error.line).toBe(lines + 1);
    expect(lines).toBeLessThanOrEqual(5000);
  });

  it('counts a last line without a line break that is blank (a lone \\r)', async () => {
    const r = new LineReader(fx.file('cr.csv', 'a\n\r'));
    expect(await r.nextAsync()).toBe(true);
    expect(await r.nextAsync()).toBe(false);
    expect(r.blankLines).toBe(1);
  });

  it('ends at once on an empty file; close() is idempotent', async () => {
    const r = new LineReader(fx.file('empty.csv', ''));
    expect(await r.nextAsync()).toBe(false);
    await r.close();
    await r.close();
  });
});
