import { describe, expect, it } from 'vitest';
import { bookFromLevels } from '../../src/core/book.js';
import { InvalidInputError } from '../../src/core/errors.js';
import { LOBSTER_TYPES, lobsterMessageLine, lobsterOrderbookLine, lobsterPrice, lobsterTime } from '../../src/sim/lobster-format.js';

describe('LOBSTER formatting', () => {
  it('writes times as seconds after midnight, nanoseconds at most, trailing zeros dropped', () => {
    // 34200015.105074 ms = 34200.015105074 s (the GOOG sample's first message)
    expect(lobsterTime(34_200_015.105074)).toBe('34200.015105074');
    expect(lobsterTime(34_200_059.90197)).toBe('34200.05990197');
    expect(lobsterTime(34_200_000)).toBe('34200');
    expect(lobsterTime(34_200_000.5)).toBe('34200.0005');
    // 0.0000004 ms = 0.4 ns rounds to 0 ns
    expect(lobsterTime(1000.0000004)).toBe('1');
    expect(lobsterTime(0)).toBe('0');
    expect(() => lobsterTime(-1)).toThrow(InvalidInputError);
    expect(() => lobsterTime(Number.NaN)).toThrow(/ts/);
  });

  it('writes prices x 10000 as integers', () => {
    expect(lobsterPrice(579.4)).toBe(5_794_000);
    expect(lobsterPrice(99.99)).toBe(999_900);
    expect(lobsterPrice(0.0001)).toBe(1);
  });

  it('writes message lines as LOBSTER does (the GOOG sample rows 0 and 1)', () => {
    expect(lobsterMessageLine({ ts: 34_200_015.105074, kind: 'execute', orderId: 15818974, size: 4, price: 579.4, side: 1 })).toBe('34200.015105074,4,15818974,4,5794000,1');
    expect(lobsterMessageLine({ ts: 34_200_059.90197, kind: 'execute', orderId: 15818974, size: 300, price: 579.4, side: 1 })).toBe('34200.05990197,4,15818974,300,5794000,1');
    expect(lobsterMessageLine({ ts: 34_200_100, kind: 'halt', orderId: 0, size: 0, price: -1, side: -1 })).toBe('34200.1,7,0,0,-1,-1');
    expect(LOBSTER_TYPES).toEqual({ add: 1, cancel: 2, delete: 3, execute: 4, executeHidden: 5, cross: 6, halt: 7 });
  });

  it('writes order-book lines ask, ask size, bid, bid size per level, with the empty-level sentinels', () => {
    const book = bookFromLevels([[579.4, 496], [579.3, 10]], [[580.23, 100]], { depth: 3 });
    expect(lobsterOrderbookLine(book, 3)).toBe('5802300,100,5794000,496,9999999999,0,5793000,10,9999999999,0,-9999999999,0');
    expect(lobsterOrderbookLine(book, 1)).toBe('5802300,100,5794000,496');
  });
});
