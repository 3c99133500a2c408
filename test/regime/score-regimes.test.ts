import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { scoreRegimes } from '../../src/regime/score-regimes.js';

describe('scoreRegimes', () => {
  it('gives each point the class of the label holding its ts, else the background, and leaves unknown points out', () => {
    // ts 0..5; a crash label on [2, 4); regimes: unknown, 0, 1, 1, 0, 0
    // scored: ts 1 normal/0, 2 crash/1, 3 crash/1, 4 normal/0 (end excluded), 5 normal/0: a perfect match
    const s = scoreRegimes([0, 1, 2, 3, 4, 5], [-1, 0, 1, 1, 0, 0], [{ kind: 'flash-crash', startMs: 2, endMs: 4 }]);
    expect(s.ari).toBe(1);
    expect(s.scored).toBe(5);
    expect(s.unknown).toBe(1);
    expect(s.table.rows).toEqual(['normal', 'flash-crash']);
    expect(s.table.counts).toEqual([[3, 0], [0, 2]]);
  });

  it('maps kinds to classes, drops labels mapped to null and names the background', () => {
    const labels = [
      { kind: 'spoofing', startMs: 0, endMs: 2 },
      { kind: 'layering', startMs: 2, endMs: 4 },
      { kind: 'iceberg', startMs: 4, endMs: 6 },
    ];
    const classOf = (kind: string): string | null => (kind === 'iceberg' ? null : 'manipulation');
    const s = scoreRegimes([0, 1, 2, 3, 4, 5], [1, 1, 1, 1, 0, 0], labels, { classOf, background: 'calm' });
    expect(s.table.rows).toEqual(['manipulation', 'calm']);
    expect(s.ari).toBe(1);
  });

  it('rejects mismatched lengths and bad labels', () => {
    expect(() => scoreRegimes([0, 1], [0], [])).toThrow(InvalidInputError);
    expect(() => scoreRegimes([0], [0], [{ kind: 'x', startMs: 2, endMs: 1 }])).toThrow(InvalidInputError);
  });
});
