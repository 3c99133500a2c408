import { describe, expect, it } from 'vitest';
import {
  describeValue,
  InvalidInputError,
  InvalidOptionError,
  InvalidStateError,
  MicrostructureError,
  ParseError,
} from '../../src/core/errors.js';

describe('errors', () => {
  it('InvalidOptionError names the option, quotes the value and says what is expected', () => {
    const e = new InvalidOptionError('halfLifeMs', -5, 'a finite number > 0');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(MicrostructureError);
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.name).toBe('InvalidOptionError');
    expect(e.option).toBe('halfLifeMs');
    expect(e.value).toBe(-5);
    expect(e.message).toBe('option "halfLifeMs" must be a finite number > 0; got -5');
  });

  it('ParseError carries source, line, column, field and the offending text', () => {
    const e = new ParseError('not a number', { source: 'msg.csv', line: 12, column: 5, field: 'price', text: '57x4000' });
    expect(e.code).toBe('PARSE_ERROR');
    expect([e.source, e.line, e.column, e.field, e.text, e.reason]).toEqual(['msg.csv', 12, 5, 'price', '57x4000', 'not a number']);
    expect(e.message).toBe('msg.csv:12:5 (field "price"): not a number: "57x4000"');
  });

  it('ParseError truncates long text and leaves column and field out when unknown', () => {
    const e = new ParseError('too many columns', { source: 'x', line: 1, text: 'a'.repeat(500) });
    expect(e.text.length).toBe(200);
    expect(e.column).toBeUndefined();
    expect(e.message.startsWith('x:1: too many columns: "aaa')).toBe(true);
  });

  it('InvalidStateError and InvalidInputError have stable codes', () => {
    expect(new InvalidStateError('Ewma', 'bad').code).toBe('INVALID_STATE');
    expect(new InvalidStateError('Ewma', 'bad').message).toBe('Ewma.restore: bad');
    const input = new InvalidInputError('depth', 0, 'an integer >= 1');
    expect(input.code).toBe('INVALID_INPUT');
    expect(input.field).toBe('depth');
  });

  it('describeValue quotes strings and keeps NaN, -0 and Infinity visible', () => {
    expect(describeValue('a')).toBe('"a"');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(-Infinity)).toBe('-Infinity');
    expect(describeValue(3n)).toBe('3n');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
    expect(describeValue('x'.repeat(100)).length).toBeLessThan(110);
    expect(describeValue({ long: 'y'.repeat(100) }).endsWith('...')).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('[object Object]');
    expect(describeValue(() => 1)).toContain('=>');
  });
});
