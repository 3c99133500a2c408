/**
 * Operational metrics: the MetricsCollector (uptime, throughput, latency percentiles, error rates,
 * health, Prometheus and JSON exports) and the log-bucketed histogram behind its percentiles.
 *
 * @module
 */
export * from './log-histogram.js';
export * from './metrics-collector.js';
