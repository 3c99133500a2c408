/**
 * Labelled scenarios for the {@link MarketSimulator}: manipulations, liquidity events and bad data,
 * injected into the background order flow as extra agents, each episode recorded as a
 * {@link ScenarioLabel} (the ground truth that detectors are scored against).
 *
 * @module
 */
import { InvalidOptionError } from '../core/errors.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';

/** The scenario kinds. `normal` injects nothing (the background flow with its benign look-alikes). */
export type ScenarioKind =
  | 'normal'
  | 'spoofing'
  | 'layering'
  | 'quote-stuffing'
  | 'momentum-ignition'
  | 'wash-trading'
  | 'iceberg'
  | 'flash-crash'
  | 'liquidity-crisis'
  | 'liquidity-gap'
  | 'imbalance'
  | 'corrupt-data';

/** Every scenario kind, in a fixed order. */
export const SCENARIO_KINDS: readonly ScenarioKind[] = Object.freeze([
  'normal',
  'spoofing',
  'layering',
  'quote-stuffing',
  'momentum-ignition',
  'wash-trading',
  'iceberg',
  'flash-crash',
  'liquidity-crisis',
  'liquidity-gap',
  'imbalance',
  'corrupt-data',
] as const);

/**
 * What a `corrupt-data` episode does to one emitted book snapshot (the simulator's own book stays
 * clean), and the {@link BookValidator} issue that flags it:
 * - `nan`: the best bid price (or, with no bid, the best ask price) becomes NaN: `NonFinite`;
 * - `negative-size`: the best ask size (or bid size) becomes its negative: `NegativeSize`;
 * - `crossed`: the best bid moves to one tick above the best ask: `Crossed`;
 * - `time-backwards`: `ts` becomes 1 to 1000 ms earlier than the previous book event's: `TimeBackwards`.
 */
export type CorruptIssue = 'nan' | 'negative-size' | 'crossed' | 'time-backwards';

/** Every corruption, in the order a `corrupt-data` scenario cycles through them by default. */
export const CORRUPT_ISSUES: readonly CorruptIssue[] = Object.freeze(['nan', 'negative-size', 'crossed', 'time-backwards'] as const);

/**
 * One injected episode: the ground truth.
 *
 * - `startMs` / `endMs`: time of the episode's first and last action (ms, the simulator's clock); an
 *   episode still running has its planned end as `endMs`.
 * - `side`: the side the episode works on: +1 buy / bid, -1 sell / ask, 0 both or none. Per kind:
 *   spoofing and layering: the side of the fake orders (spoofed bids: +1); quote stuffing, iceberg,
 *   liquidity gap, imbalance: the book side affected; momentum ignition and flash crash: the direction
 *   of the aggressive flow (a crash down: -1); wash trading, corrupt data: 0; liquidity crisis: 0 for
 *   both sides.
 * - `orderIds`: the ids of the orders the episode placed (resting and aggressive; an aggressive
 *   order's id is the `id` of its trades), and for a liquidity crisis or gap the background orders it
 *   removed.
 * - `issue` and `messageIndex` (corrupt data only): the corruption, and the index of the order message
 *   after which the corrupted book was emitted (its row in the LOBSTER files; -1 for an interval
 *   snapshot).
 */
export interface ScenarioLabel {
  kind: ScenarioKind;
  startMs: number;
  endMs: number;
  side: -1 | 0 | 1;
  orderIds: number[];
  issue?: CorruptIssue;
  messageIndex?: number;
}

/** Options of one scenario in `MarketSimulatorOptions.scenarios`. */
export interface ScenarioOptions {
  kind: ScenarioKind;
  /** Offset of the first episode from the session start (ms). Default: per kind, see {@link DEFAULT_SCENARIO_OPTIONS}. */
  firstAfterMs?: number;
  /** Mean gap between episode starts (ms); each gap is uniform in [0.75, 1.25] x `everyMs`. Default: per kind. */
  everyMs?: number;
  /** Length of an episode (ms). Default: per kind. */
  durationMs?: number;
  /** Scales sizes, counts and rates of the episode (> 0). @defaultValue 1 */
  strength?: number;
  /** The side (see {@link ScenarioLabel.side}), or `'random'` for a fair coin per episode. Default: per kind. */
  side?: 1 | -1 | 0 | 'random';
  /** At most this many episodes. @defaultValue Infinity */
  maxEpisodes?: number;
  /** `corrupt-data` only: the corruptions to cycle through. @defaultValue all of {@link CORRUPT_ISSUES} */
  issues?: readonly CorruptIssue[];
}

/** Per-kind defaults of {@link ScenarioOptions}. */
export interface ScenarioDefaults {
  readonly firstAfterMs: number;
  readonly everyMs: number;
  readonly durationMs: number;
  readonly strength: number;
  readonly side: 1 | -1 | 0 | 'random';
  readonly maxEpisodes: number;
}

const d = (firstAfterMs: number, everyMs: number, durationMs: number, side: 1 | -1 | 0 | 'random'): ScenarioDefaults =>
  Object.freeze({ firstAfterMs, everyMs, durationMs, strength: 1, side, maxEpisodes: Number.POSITIVE_INFINITY });

/**
 * Defaults per kind: the first episodes are staggered (from 60 s on, after the book has warmed up) so
 * that composed scenarios start apart; `corrupt-data` corrupts one book a minute.
 */
export const DEFAULT_SCENARIO_OPTIONS: Readonly<Record<ScenarioKind, ScenarioDefaults>> = Object.freeze({
  normal: d(0, Number.POSITIVE_INFINITY, 0, 0),
  spoofing: d(60_000, 300_000, 6_000, 'random'),
  layering: d(75_000, 300_000, 5_000, 'random'),
  'quote-stuffing': d(90_000, 300_000, 2_000, 'random'),
  'momentum-ignition': d(105_000, 600_000, 10_000, 'random'),
  'wash-trading': d(120_000, 300_000, 20_000, 0),
  iceberg: d(135_000, 300_000, 60_000, 'random'),
  'flash-crash': d(150_000, 1_800_000, 3_000, -1),
  'liquidity-crisis': d(165_000, 900_000, 60_000, 0),
  'liquidity-gap': d(180_000, 600_000, 20_000, 'random'),
  imbalance: d(195_000, 600_000, 60_000, 'random'),
  'corrupt-data': d(30_000, 60_000, 0, 0),
});

/** Validated options of one scenario. */
export interface ResolvedScenario extends ScenarioDefaults {
  readonly kind: ScenarioKind;
  readonly issues: readonly CorruptIssue[];
}

/** Validate one scenario given by kind or options (throws {@link InvalidOptionError} naming the field). */
export function resolveScenario(spec: ScenarioKind | ScenarioOptions, where = 'scenarios'): ResolvedScenario {
  const o: ScenarioOptions = typeof spec === 'string' ? { kind: spec } : spec;
  if (o === null || typeof o !== 'object') throw new InvalidOptionError(where, spec, 'a scenario kind or a ScenarioOptions object');
  checkOptionKeys(where, o, ['kind', 'firstAfterMs', 'everyMs', 'durationMs', 'strength', 'side', 'maxEpisodes', 'issues']);
  if (!(SCENARIO_KINDS as readonly string[]).includes(o.kind)) {
    throw new InvalidOptionError(`${where}.kind`, o.kind, `one of ${SCENARIO_KINDS.map((k) => JSON.stringify(k)).join(', ')}`);
  }
  const def = DEFAULT_SCENARIO_OPTIONS[o.kind];
  const side = o.side ?? def.side;
  if (side !== 1 && side !== -1 && side !== 0 && side !== 'random') throw new InvalidOptionError(`${where}.side`, side, "1, -1, 0 or 'random'");
  if (side === 0 && !['normal', 'wash-trading', 'liquidity-crisis', 'corrupt-data'].includes(o.kind)) {
    throw new InvalidOptionError(`${where}.side`, side, `1, -1 or 'random' for ${o.kind}`);
  }
  const maxEpisodes = o.maxEpisodes ?? def.maxEpisodes;
  if (maxEpisodes !== Number.POSITIVE_INFINITY) integerOption(`${where}.maxEpisodes`, maxEpisodes, 0);
  const issues = o.issues ?? CORRUPT_ISSUES;
  if (!Array.isArray(issues) || issues.length === 0 || !issues.every((i) => (CORRUPT_ISSUES as readonly string[]).includes(i))) {
    throw new InvalidOptionError(`${where}.issues`, issues, `a non-empty list of ${CORRUPT_ISSUES.map((k) => JSON.stringify(k)).join(', ')}`);
  }
  const everyMs = o.everyMs ?? def.everyMs;
  if (!(everyMs > 0)) throw new InvalidOptionError(`${where}.everyMs`, everyMs, 'a number > 0 (Infinity: one episode)');
  return Object.freeze({
    kind: o.kind,
    firstAfterMs: nonNegativeOption(`${where}.firstAfterMs`, o.firstAfterMs ?? def.firstAfterMs),
    everyMs,
    durationMs: nonNegativeOption(`${where}.durationMs`, o.durationMs ?? def.durationMs),
    strength: positiveOption(`${where}.strength`, o.strength ?? def.strength),
    side,
    maxEpisodes,
    issues: Object.freeze([...issues]),
  });
}
