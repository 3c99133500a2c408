import { InvalidInputError } from '../core/errors.js';
import { adjustedRandIndex, contingencyTable, type ContingencyTable } from './adjusted-rand-index.js';

/** A ground-truth interval, as the scenario generator labels it: `kind` holds on [startMs, endMs). */
export interface RegimeTruthLabel {
  readonly kind: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** Options of {@link scoreRegimes}. */
export interface ScoreRegimesOptions {
  /**
   * Maps a label's kind to a truth class (e.g. 'flash-crash' and 'liquidity-crisis' to 'stressed'), or
   * to null to ignore that label (its time then counts as background). Default: the kind itself.
   */
  classOf?: (kind: string) => string | null;
  /** Truth class of time no label covers. Default 'normal'. */
  background?: string;
}

/** What {@link scoreRegimes} returns. */
export interface RegimeScore {
  /** Adjusted Rand index of regimes against truth classes over the scored points (NaN if fewer than 2). */
  ari: number;
  /** Points scored (regime known). */
  scored: number;
  /** Points left out because their regime was unknown (-1, warm-up). */
  unknown: number;
  /** Rows: truth classes; columns: regimes. */
  table: ContingencyTable;
}

/**
 * Score a regime sequence against labelled ground truth (e.g. the simulator's scenario labels): each
 * point's truth class is the class of the first label whose [startMs, endMs) holds its `ts` (labels
 * mapped by `classOf` to null are skipped), else `background`; points whose regime is -1 (unknown) are
 * left out and counted; the agreement is the {@link adjustedRandIndex}, which ignores how regimes are
 * named (cluster 2 may be 'manipulation'), and the contingency table shows the mapping.
 *
 * @param ts time of each point, ms
 * @param regimes regime index of each point (-1 unknown), as {@link RegimeClassifier.update} returns
 * @example
 * ```ts
 * scoreRegimes([0, 1, 2, 3], [0, 0, 1, 1], [{ kind: 'flash-crash', startMs: 2, endMs: 4 }]).ari; // 1
 * ```
 */
export function scoreRegimes(
  ts: ArrayLike<number>,
  regimes: ArrayLike<number>,
  labels: readonly RegimeTruthLabel[],
  options: ScoreRegimesOptions = {},
): RegimeScore {
  if (ts.length !== regimes.length) throw new InvalidInputError('scoreRegimes regimes.length', regimes.length, `the length of ts (${ts.length})`);
  const classOf = options.classOf ?? ((kind: string) => kind);
  const background = options.background ?? 'normal';
  const mapped: Array<{ cls: string; startMs: number; endMs: number }> = [];
  labels.forEach((label, i) => {
    if (!Number.isFinite(label.startMs) || !Number.isFinite(label.endMs) || label.endMs < label.startMs) {
      throw new InvalidInputError(`scoreRegimes labels[${i}]`, label, 'finite startMs <= endMs');
    }
    const cls = classOf(label.kind);
    if (cls !== null) mapped.push({ cls, startMs: label.startMs, endMs: label.endMs });
  });
  const truth: string[] = [];
  const predicted: number[] = [];
  let unknown = 0;
  for (let i = 0; i < ts.length; i++) {
    const r = regimes[i]!;
    if (r < 0) {
      unknown++;
      continue;
    }
    const t = ts[i]!;
    let cls = background;
    for (const m of mapped) {
      if (t >= m.startMs && t < m.endMs) {
        cls = m.cls;
        break;
      }
    }
    truth.push(cls);
    predicted.push(r);
  }
  return { ari: adjustedRandIndex(truth, predicted), scored: truth.length, unknown, table: contingencyTable(truth, predicted) };
}
