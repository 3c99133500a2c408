import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/core/errors.js';
import { LineSplitter } from '../../src/replay/line-splitter.js';

/** Feed `chunks` and collect every line (with `finish`). */
function split(chunks: readonly Buffer[], splitter = new LineSplitter()): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (const chunk of chunks) {
    splitter.push(chunk);
    while (splitter.next()) out.push([splitter.line, splitter.text()]);
  }
  if (splitter.finish()) out.push([splitter.line, splitter.text()]);
  return out;
}

/** Cut `bytes` into pieces of the given sizes (cycled). */
function cut(bytes: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length] as number;
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

describe('LineSplitter', () => {
  it('splits on \\n and \\r\\n, numbers lines from 1, and returns a last line without a line break', () => {
    const lines = split([Buffer.from('a,1\r\nb,2\nc,3')]);
    expect(lines).toEqual([
      [1, 'a,1'],
      [2, 'b,2'],
      [3, 'c,3'],
    ]);
  });

  it('returns nothing more at the end when the input ends with a line break', () => {
    expect(split([Buffer.from('x\n')])).toEqual([[1, 'x']]);
    expect(split([Buffer.from('')])).toEqual([]);
  });

  it('keeps empty lines as empty views (the readers skip and count them)', () => {
    expect(split([Buffer.from('a\n\r\n\nb\n')])).toEqual([
      [1, 'a'],
      [2, ''],
      [3, ''],
      [4, 'b'],
    ]);
  });

  it('joins a line split across chunks, also a \\r\\n split between chunks', () => {
    expect(split([Buffer.from('ab'), Buffer.from('c,'), Buffer.from('1\r'), Buffer.from('\nd')])).toEqual([
      [1, 'abc,1'],
      [2, 'd'],
    ]);
  });

  it('grows its carry for long lines spread over many chunks', () => {
    const long = 'x'.repeat(5000);
    const chunks = cut(Buffer.from(`${long}\n${long}`), [333]);
    expect(split(chunks)).toEqual([
      [1, long],
      [2, long],
    ]);
  });

  it('views a line inside a chunk without copying (buf is the pushed chunk)', () => {
    const s = new LineSplitter();
    const chunk = Buffer.from('hello\nworld\n');
    s.push(chunk);
    expect(s.next()).toBe(true);
    expect(s.buf).toBe(chunk);
    expect([s.start, s.end]).toEqual([0, 5]);
  });

  it('drops a UTF-8 byte-order mark at the start of line 1 only', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(split([Buffer.concat([bom, Buffer.from('ts,x\n'), bom, Buffer.from('y')])])).toEqual([
      [1, 'ts,x'],
      [2, '\ufeffy'],
    ]);
  });

  it('throws a ParseError naming source and line for a line longer than maxLineBytes', () => {
    const s = new LineSplitter({ source: 'big.csv', maxLineBytes: 8 });
    s.push(Buffer.from('ok\n12345'));
    expect(s.next()).toBe(true);
    expect(s.next()).toBe(false);
    let error: unknown;
    try {
      s.push(Buffer.from('6789'));
      s.next();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).source).toBe('big.csv');
    expect((error as ParseError).line).toBe(2);
    expect((error as ParseError).message).toContain('longer than 8 bytes');
  });

  it('counts bytes pushed', () => {
    const s = new LineSplitter();
    split([Buffer.from('ab\n'), Buffer.from('cd')], s);
    expect(s.bytes).toBe(5);
  });

  it('reset starts over', () => {
    const s = new LineSplitter();
    s.push(Buffer.from('a\nb'));
    s.next();
    s.next();
    s.reset();
    expect(split([Buffer.from('c\n')], s)).toEqual([[1, 'c']]);
  });

  it('gives the same lines for every way of cutting the input into chunks (property)', () => {
    const line = fc.string({ unit: fc.constantFrom('a', '1', ',', '.', '-', ' ', 'é'), maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        (lines, eol, finalEol, sizes) => {
          const text = lines.join(eol) + (finalEol ? eol : '');
          // Reference: lines end with eol; a last line without one counts when non-empty.
          const parts = text.split(eol);
          if (parts[parts.length - 1] === '') parts.pop();
          expect(split(cut(Buffer.from(text), sizes))).toEqual(parts.map((l, i) => [i + 1, l]));
        },
      ),
    );
  });
});
