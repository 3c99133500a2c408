import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.js';
import {
  checkOptionKeys,
  finiteOption,
  fractionOption,
  integerOption,
  nonNegativeOption,
  oneOfOption,
  positiveOption,
} from '../../src/core/options.js';

describe('option validators', () => {
  it('accept values in their domain and return them', () => {
    expect(finiteOption('a', -1.5)).toBe(-1.5);
    expect(positiveOption('a', 2)).toBe(2);
    expect(nonNegativeOption('a', 0)).toBe(0);
    expect(integerOption('a', 3, 1, 10)).toBe(3);
    expect(fractionOption('a', 1)).toBe(1);
    expect(oneOfOption('a', 'skip', ['throw', 'skip'] as const)).toBe('skip');
  });

  it.each([
    ['finiteOption', () => finiteOption('x', NaN), 'a finite number'],
    ['positiveOption', () => positiveOption('x', 0), 'a finite number > 0'],
    ['nonNegativeOption', () => nonNegativeOption('x', -1), 'a finite number >= 0'],
    ['integerOption', () => integerOption('x', 1.5, 1), 'an integer >= 1'],
    ['integerOption range', () => integerOption('x', 11, 1, 10), 'an integer in [1, 10]'],
    ['fractionOption', () => fractionOption('x', 0), 'a number in (0, 1]'],
    ['oneOfOption', () => oneOfOption('x', 'drop', ['throw', 'skip']), 'one of "throw", "skip"'],
  ])('%s throws InvalidOptionError naming the option', (_name, call, expected) => {
    try {
      call();
      expect.fail('did not throw');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe('x');
      expect((e as InvalidOptionError).expected).toBe(expected);
    }
  });

  it('checkOptionKeys rejects unknown keys (typos) and non-objects', () => {
    expect(() => checkOptionKeys('Ewma', { alpha: 0.1 }, ['alpha'])).not.toThrow();
    expect(() => checkOptionKeys('Ewma', undefined, ['alpha'])).not.toThrow();
    expect(() => checkOptionKeys('Ewma', { alpah: 0.1 }, ['alpha'])).toThrow('option "Ewma.alpah" must be a known option (one of alpha); got 0.1');
    expect(() => checkOptionKeys('Ewma', [] as unknown as object, ['alpha'])).toThrow(/plain object/);
  });
});
