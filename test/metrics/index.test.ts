import { describe, expect, it } from 'vitest';
import * as metrics from '../../src/metrics/index.js';

describe('metrics family index', () => {
  it('re-exports the MetricsCollector and the LogHistogram', () => {
    expect(Object.keys(metrics).sort()).toEqual(['DEFAULT_LOG_HISTOGRAM_OPTIONS', 'DEFAULT_METRICS_COLLECTOR_OPTIONS', 'LogHistogram', 'MetricsCollector']);
  });
});
