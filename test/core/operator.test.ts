import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../src/core/errors.js';
import { checkState, decodeNumber, decodeNumbersInto, encodeNumber, encodeNumbers, runBatch } from '../../src/core/operator.js';

describe('operator helpers', () => {
  it('encodeNumber round-trips NaN, infinities and -0 through JSON', () => {
    const xs = [NaN, Infinity, -Infinity, -0, 0, 1.5, -2];
    const back = JSON.parse(JSON.stringify(encodeNumbers(xs))) as Array<number | string>;
    const decoded = decodeNumbersInto(back, new Float64Array(xs.length));
    xs.forEach((x, i) => expect(Object.is(decoded[i], x)).toBe(true));
    expect(encodeNumber(3)).toBe(3);
    expect(decodeNumber('NaN')).toBeNaN();
  });

  it('checkState accepts the right type and version and names what is wrong otherwise', () => {
    expect(() => checkState({ type: 'Ewma', version: 1 }, 'Ewma', 1)).not.toThrow();
    expect(() => checkState(null, 'Ewma', 1)).toThrow('Ewma.restore: expected a state object, got null');
    expect(() => checkState(3, 'Ewma', 1)).toThrow(/got number/);
    expect(() => checkState({ type: 'Ofi', version: 1 }, 'Ewma', 1)).toThrow('state is of type "Ofi", not "Ewma"');
    expect(() => checkState({ type: 'Ewma', version: 2 }, 'Ewma', 1)).toThrow(InvalidStateError);
  });

  it('runBatch loops update and collects outputs', () => {
    let total = 0;
    expect(runBatch({ update: (x: number) => (total += x) }, [1, 2, 3])).toEqual([1, 3, 6]);
  });
});
