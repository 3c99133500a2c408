import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvByteParser } from '../../src/replay/csv-byte-parser.js';
import { ulp } from './fixtures.js';

/** A parser reset to `text`. */
function on(text: string, delimiter = 44): CsvByteParser {
  const p = new CsvByteParser(delimiter);
  const buf = Buffer.from(text);
  p.reset(buf, 0, buf.length);
  return p;
}

/** The correctly rounded double of the decimal `text` times 10^scale (Number() of a decimal string is correctly rounded). */
function exactScaled(text: string, scale: number): number {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null) throw new Error(text);
  const frac = m[3] ?? '';
  return Number(`${m[1]}${m[2]}${frac}e${scale - frac.length}`);
}

describe('CsvByteParser: worked examples', () => {
  it('reads a LOBSTER message line: time in ms, then integers', () => {
    const p = on('34200.015105074,4,15818974,4,5794000,1');
    // 34200.015105074 s = 34200015.105074 ms (the literal is the correctly rounded double)
    expect(p.number(3)).toBe(34200015.105074);
    expect([p.int(), p.int(), p.int(), p.int(), p.int()]).toEqual([4, 15818974, 4, 5794000, 1]);
    expect(p.finish()).toBe(true);
    expect(p.column).toBe(6);
  });

  it('reads integers in batch with ints(), the same as int() one by one', () => {
    const p = on('9999999999,0,-9999999999,0,5802300,100');
    const out = new Float64Array(6);
    p.ints(out, 0, 6);
    expect([...out]).toEqual([9999999999, 0, -9999999999, 0, 5802300, 100]);
    expect(p.finish()).toBe(true);
  });

  it('ints() falls back per field on anything unusual and records the first error', () => {
    const p = on('1, 2,"3",x,5');
    const out = new Float64Array(5);
    p.ints(out, 0, 5);
    expect([...out.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(out[3]).toBeNaN();
    expect(out[4]).toBe(5);
    expect(p.errorKind).toBe('badNumber');
    expect(p.errorColumn).toBe(4);
    expect(p.errorText()).toBe('x');
  });

  it('scales decimals: seconds to ms (3), us to ms (-3), ns to ms (-6)', () => {
    expect(on('1.5').number(3)).toBe(1500);
    expect(on('1500').number(-3)).toBe(1.5);
    expect(on('1500000').number(-6)).toBe(1.5);
    expect(on('-2.25').number(0)).toBe(-2.25);
    expect(on('.5').number(0)).toBe(0.5);
    expect(on('7.').number(0)).toBe(7);
  });

  it('takes the slow path for signs, exponents, padding, quotes and long digit strings', () => {
    expect(on('+12.5').number(0)).toBe(12.5);
    expect(on('1e3').number(0)).toBe(1000);
    expect(on('1.5E-3').number(3)).toBe(1.5);
    expect(on('  42 ').number(0)).toBe(42);
    expect(on('"42"').number(0)).toBe(42);
    expect(on('1234567890.123456789').number(0)).toBe(1234567890.123456789);
    expect(on('1e3').int()).toBe(1000);
  });

  it('a 12-decimal LOBSTER time (34200.123456789012) is within 1 ulp of parseFloat(field) * 1000', () => {
    const text = '34200.123456789012';
    const ms = on(text).number(3);
    expect(Math.abs(ms - Number.parseFloat(text) * 1000)).toBeLessThanOrEqual(ulp(ms));
    // 17 significant digits: more than the fast path holds, so it goes through Number() and * 1000
    expect(ms).toBe(Number.parseFloat(text) * 1000);
  });

  it('records each kind of bad field with its column and text, and goes on reading', () => {
    const cases: Array<[string, string, number, string]> = [
      ['1,abc,3', 'badNumber', 2, 'abc'],
      ['1,1.2.3,3', 'badNumber', 2, '1.2.3'],
      ['1,,3', 'emptyField', 2, ''],
      ['1,2.5,3', 'notInteger', 2, '2.5'],
      ['1,12345678901234567890,3', 'outOfRange', 2, '12345678901234567890'],
      ['1,-,3', 'badNumber', 2, '-'],
    ];
    for (const [text, kind, column, bad] of cases) {
      const p = on(text);
      expect(p.int()).toBe(1);
      expect(p.int()).toBeNaN();
      expect(p.int()).toBe(3);
      expect(p.finish()).toBe(false);
      expect([p.errorKind, p.errorColumn, p.errorText()]).toEqual([kind, column, bad]);
    }
  });

  it('numbers out of the float range are outOfRange; empty is allowed on request', () => {
    const p = on('1e999');
    expect(p.number(0)).toBeNaN();
    expect(p.errorKind).toBe('outOfRange');
    const q = on(',5');
    expect(q.number(0, true)).toBeNaN();
    expect(q.number(0)).toBe(5);
    expect(q.finish()).toBe(true);
  });

  it('reports missingField for a read past the last field and extraField for fields left over, with the whole line', () => {
    const p = on('1,2');
    p.int();
    p.int();
    expect(p.int()).toBeNaN();
    expect([p.errorKind, p.errorColumn, p.errorText()]).toEqual(['missingField', 3, '1,2']);
    const q = on('1,2,3');
    q.int();
    q.int();
    expect(q.finish()).toBe(false);
    expect([q.errorKind, q.errorColumn, q.errorText()]).toEqual(['extraField', 3, '1,2,3']);
    expect(q.countFields()).toBe(3);
  });

  it('a trailing delimiter is one more (empty) field', () => {
    const p = on('1,2,');
    p.int();
    p.int();
    expect(p.finish()).toBe(false);
    expect(p.errorKind).toBe('extraField');
  });

  it('skip(), field() and text() read fields without numbers', () => {
    const p = on('ts; "bid" ;x', 59);
    expect(p.skip()).toBe(true);
    expect(p.text()).toBe('bid');
    expect(p.field()).toBe(true);
    expect(p.buf[p.fieldStart]).toBe(120);
    expect(p.atEnd()).toBe(true);
    expect(p.skip()).toBe(false);
    expect(p.errorKind).toBe('missingField');
    expect(p.text()).toBeUndefined();
  });

  it('failColumn records a domain error for any column, once per line', () => {
    const p = on('1,9,3');
    p.failColumn('badType', 2);
    p.failColumn('badDirection', 3);
    expect([p.errorKind, p.errorColumn, p.errorText()]).toEqual(['badType', 2, '9']);
    expect(p.lineText()).toBe('1,9,3');
  });
});

describe('CsvByteParser: properties', () => {
  const decimal = fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 }))
    .map(([neg, m, frac, lead]) => {
      const digits = m.toString().padStart(frac + 1, '0');
      const int = digits.slice(0, digits.length - frac);
      const f = digits.slice(digits.length - frac);
      return `${neg ? '-' : ''}${'0'.repeat(lead)}${int}${frac > 0 ? `.${f}` : ''}`;
    });

  it('number(0) is exactly Number(text) for plain decimals', () => {
    fc.assert(
      fc.property(decimal, (text) => {
        expect(Object.is(on(text).number(0), Number(text))).toBe(true);
      }),
    );
  });

  it('number(3) is the correctly rounded decimal x 1000 and within 1 ulp of parseFloat(text) * 1000', () => {
    fc.assert(
      fc.property(decimal, (text) => {
        const ms = on(text).number(3);
        expect(ms).toBe(exactScaled(text, 3));
        const pf = Number.parseFloat(text) * 1000;
        expect(Math.abs(ms - pf)).toBeLessThanOrEqual(ms === 0 ? 0 : ulp(ms));
      }),
    );
  });

  it('LOBSTER-like times (seconds after midnight, 0-12 decimals) are within 1 ulp of parseFloat * 1000', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86399 }), fc.integer({ min: 0, max: 12 }), fc.bigInt({ min: 0n, max: 10n ** 12n - 1n }), (sec, d, f) => {
        const frac = f.toString().padStart(12, '0').slice(0, d);
        const text = d === 0 ? String(sec) : `${sec}.${frac}`;
        const ms = on(text).number(3);
        expect(Math.abs(ms - Number.parseFloat(text) * 1000)).toBeLessThanOrEqual(ms === 0 ? 0 : ulp(ms));
      }),
    );
  });

  it('ints() equals int() field by field on any line of integers and junk', () => {
    const field = fc.oneof(fc.integer({ min: -1e10, max: 1e10 }).map(String), fc.constantFrom('', 'x', ' 7', '1.5', '-', '99999999999999999'));
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 9 }), (fields, count) => {
        const text = fields.join(',');
        const a = on(text);
        const b = on(text);
        const out = new Float64Array(count);
        a.ints(out, 0, count);
        const one = Array.from({ length: count }, () => b.int());
        expect([...out]).toEqual(one);
        expect([a.errorKind, a.errorColumn, a.pos, a.column]).toEqual([b.errorKind, b.errorColumn, b.pos, b.column]);
      }),
    );
  });
});
