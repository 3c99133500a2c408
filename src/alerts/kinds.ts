/**
 * The names of the signal kinds the library's detectors emit, and the order of severities.
 *
 * @module
 */
import type { SignalSeverity } from '../trades/signal.js';

/**
 * The `kind` of every signal the library's detectors emit, in camelCase (the spelling of
 * `Signal.kind` and of the keys of `AlertManagerOptions.escalateAfter`):
 *
 * | kind | raised when |
 * |---|---|
 * | `liquidityGap` | zero or tiny size at the top levels |
 * | `spoofing` | a large order near the touch vanishes without execution |
 * | `layering` | several stacked orders on one side are cancelled together |
 * | `quoteStuffing` | message rate or cancel-to-trade ratio far above its baseline |
 * | `depthShock` | total depth falls sharply within a window |
 * | `momentumIgnition` | aggressive one-sided trades move the price, then it reverts |
 * | `washTrading` | matching opposite prints of one size and price in a short window |
 * | `iceberg` | a level refilled repeatedly at one price after executions |
 * | `heavyImbalance` | depth-weighted order-book imbalance beyond a threshold, sustained |
 * | `flashCrash` | a price dislocation over a short window |
 * | `crossedMarket` | best bid at or above best ask (locked or crossed) |
 * | `badData` | the validator rejected or repaired an event |
 * | `unusualSize` | a trade far larger than the recent sizes |
 * | `rapidTrading` | a burst of trades against the baseline rate |
 *
 * The AlertManager accepts any other non-empty `kind` too (a user's own detector); these are the ones
 * it knows by name.
 */
export const SIGNAL_KINDS = Object.freeze([
  'liquidityGap',
  'spoofing',
  'layering',
  'quoteStuffing',
  'depthShock',
  'momentumIgnition',
  'washTrading',
  'iceberg',
  'heavyImbalance',
  'flashCrash',
  'crossedMarket',
  'badData',
  'unusualSize',
  'rapidTrading',
] as const);

/** One of {@link SIGNAL_KINDS}. */
export type KnownSignalKind = (typeof SIGNAL_KINDS)[number];

/** Severities in increasing order: the rank of a severity is its index here. */
export const SEVERITIES: readonly SignalSeverity[] = Object.freeze(['info', 'warning', 'critical'] as const);

/** The rank of a severity (0 info, 1 warning, 2 critical), or -1 for anything else. */
export function severityRank(severity: unknown): number {
  return severity === 'info' ? 0 : severity === 'warning' ? 1 : severity === 'critical' ? 2 : -1;
}
