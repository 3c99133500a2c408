/**
 * Anomaly detectors for market surveillance: one file per detector, each with its baseline, options
 * and a signal per update; the {@link DetectorSet} that fans a stream out to all of them; and the
 * scoring harness that measures them on labelled simulator scenarios.
 *
 * @module
 */
export * from './bad-data.js';
export * from './crossed-market.js';
export * from './depth-shock.js';
export * from './detector-set.js';
export * from './detector.js';
export * from './evaluate.js';
export * from './flash-crash.js';
export * from './heavy-imbalance.js';
export * from './iceberg.js';
export * from './layering.js';
export * from './liquidity-gap.js';
export * from './momentum-ignition.js';
export * from './quote-stuffing.js';
export * from './spoofing.js';
export * from './trade-detector.js';
export * from './wash-trading.js';
export { DEFAULT_RAPID_TRADING_OPTIONS, RapidTrading, type RapidTradingOptions, type RapidTradingState } from '../trades/rapid-trading.js';
export type { Signal, SignalSeverity } from '../trades/signal.js';
export { DEFAULT_UNUSUAL_SIZE_OPTIONS, UnusualSize, type UnusualSizeOptions, type UnusualSizeState } from '../trades/unusual-size.js';
