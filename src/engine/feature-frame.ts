/**
 * The per-book output of an {@link Engine}: every book signal of one snapshot, as plain numbers.
 *
 * @module
 */

/**
 * One row of features, computed from one book snapshot. Engines reuse one frame object per engine
 * ("borrowed"): copy it (`{ ...frame }`) to keep it past the callback.
 */
export interface FeatureFrame {
  /** The engine's symbol. */
  symbol: string;
  /** Count of books this engine has accepted, 1-based. */
  seq: number;
  /** Time of the book, ms. */
  ts: number;
  /** Validator issue bits of this book (`BookIssue`), 0 when clean or validation is off. */
  issues: number;
  /** Best ask - best bid (price units); NaN if a side is empty. */
  spread: number;
  /** Spread in basis points of the mid. */
  spreadBps: number;
  /** (best bid + best ask) / 2. */
  mid: number;
  /** Size-weighted mid of level 1. */
  microprice: number;
  /** Order-book imbalance at level 1, in [-1, 1]. */
  obi: number;
  /** Depth-weighted order-book imbalance, in [-1, 1]. */
  weightedObi: number;
  /** Best-level order-flow imbalance e_n of this book against the previous one (shares). */
  ofi: number;
  /** Sum of `ofi` since the engine started (shares). */
  ofiSum: number;
  /** Bid size summed over the first `depthLevels` levels. */
  bidDepth: number;
  /** Ask size summed over the first `depthLevels` levels. */
  askDepth: number;
  /** EWMA of the spread (the spread's baseline). */
  spreadMean: number;
  /** Z-score of the spread against its EWMA baseline before this book; NaN while warming up. */
  spreadZ: number;
  /** Market regime index (names from the classifier), -1 while warming up or when the classifier is off. */
  regime: number;
}

/** A frame with every number NaN (or 0 for counters). */
export function createFeatureFrame(symbol: string): FeatureFrame {
  return {
    symbol,
    seq: 0,
    ts: NaN,
    issues: 0,
    spread: NaN,
    spreadBps: NaN,
    mid: NaN,
    microprice: NaN,
    obi: NaN,
    weightedObi: NaN,
    ofi: NaN,
    ofiSum: 0,
    bidDepth: NaN,
    askDepth: NaN,
    spreadMean: NaN,
    spreadZ: NaN,
    regime: -1,
  };
}

/** Column order of {@link FeatureFrame} for CSV output. */
export const FEATURE_COLUMNS: ReadonlyArray<keyof FeatureFrame> = Object.freeze([
  'symbol',
  'seq',
  'ts',
  'issues',
  'spread',
  'spreadBps',
  'mid',
  'microprice',
  'obi',
  'weightedObi',
  'ofi',
  'ofiSum',
  'bidDepth',
  'askDepth',
  'spreadMean',
  'spreadZ',
  'regime',
]);
