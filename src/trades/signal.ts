/**
 * The `Signal` a detector returns when it fires (`null` otherwise). A minimal type for the trade
 * detectors; it may move to `src/core` when the other detector families use it.
 *
 * @module
 */

/** How serious a signal is, in increasing order. */
export type SignalSeverity = 'info' | 'warning' | 'critical';

/** What a detector returns when it fires. Detectors allocate one only when they fire. */
export interface Signal {
  /** The detector's name, e.g. `"unusualSize"`. */
  kind: string;
  severity: SignalSeverity;
  /** Time of the event that fired it, in milliseconds. */
  ts: number;
  /** Aggressor side of the trade that fired it (+1 buy, -1 sell, 0 unknown or not applicable). */
  side: -1 | 0 | 1;
  /** Price of the trade that fired it. */
  price: number;
  /** The detector's statistic (e.g. a z-score or a rate ratio); larger is more unusual. */
  score: number;
  /** The numbers behind the score, named (e.g. `{ size: 5000, baselineMean: 5.2, z: 4.1 }`). */
  evidence: Record<string, number>;
}
