import { describe, expect, it } from 'vitest';
import * as signals from '../../src/signals/index.js';

describe('signals family index', () => {
  it('re-exports every signal', () => {
    expect(Object.keys(signals).sort()).toEqual([
      'DEFAULT_MULTI_LEVEL_OFI_OPTIONS',
      'DEFAULT_WEIGHTED_OBI_OPTIONS',
      'MultiLevelOfi',
      'Ofi',
      'WeightedObi',
      'cumulativeDepth',
      'depthWithinBps',
      'microprice',
      'mid',
      'obi',
      'ofiBetween',
      'spread',
      'spreadBps',
    ]);
  });
});
