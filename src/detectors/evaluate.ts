/**
 * The scoring harness behind `microstructure evaluate`: runs labelled simulator scenarios through the
 * detectors and scores every detector against the ground truth.
 *
 * @module
 */
import type { MarketEvent } from '../core/events.js';
import { InvalidOptionError } from '../core/errors.js';
import { checkOptionKeys, integerOption, nonNegativeOption, positiveOption } from '../core/options.js';
import { MarketSimulator, type MarketSimulatorOptions } from '../sim/market-simulator.js';
import { SCENARIO_KINDS, type ScenarioKind, type ScenarioLabel } from '../sim/scenarios.js';
import { DETECTOR_KINDS, DetectorSet, type DetectorSetOptions } from './detector-set.js';

/**
 * The detector kind that answers a label: its scenario's detector (`corrupt-data` labels split by
 * issue: a crossed book is `crossedMarket`'s, the other corruptions are `badData`'s).
 */
export function labelDetector(label: Pick<ScenarioLabel, 'kind' | 'issue'>): string | null {
  switch (label.kind) {
    case 'spoofing':
      return 'spoofing';
    case 'layering':
      return 'layering';
    case 'quote-stuffing':
      return 'quoteStuffing';
    case 'momentum-ignition':
      return 'momentumIgnition';
    case 'wash-trading':
      return 'washTrading';
    case 'iceberg':
      return 'iceberg';
    case 'flash-crash':
      return 'flashCrash';
    case 'liquidity-crisis':
      return 'depthShock';
    case 'liquidity-gap':
      return 'liquidityGap';
    case 'imbalance':
      return 'heavyImbalance';
    case 'corrupt-data':
      return label.issue === 'crossed' ? 'crossedMarket' : 'badData';
    default:
      return null;
  }
}

/** Each detector's own scenario (`null`: the simulator has none for it). */
export const DETECTOR_SCENARIOS: Readonly<Record<string, ScenarioKind | null>> = Object.freeze({
  liquidityGap: 'liquidity-gap',
  spoofing: 'spoofing',
  layering: 'layering',
  quoteStuffing: 'quote-stuffing',
  depthShock: 'liquidity-crisis',
  momentumIgnition: 'momentum-ignition',
  washTrading: 'wash-trading',
  iceberg: 'iceberg',
  heavyImbalance: 'imbalance',
  flashCrash: 'flash-crash',
  crossedMarket: 'corrupt-data',
  badData: 'corrupt-data',
  unusualSize: null,
  rapidTrading: null,
});

/** An alert as the harness keeps it. */
export interface ScoredAlert {
  kind: string;
  ts: number;
}

/** Options of {@link evaluateDetectors}. */
export interface EvaluateOptions {
  /**
   * Simulator seeds; every scenario runs once per seed.
   * @defaultValue 1..20
   */
  seeds?: readonly number[];
  /**
   * Scenarios to run (`'normal'` gives the false-alarm rates).
   * @defaultValue every scenario kind
   */
  scenarios?: readonly ScenarioKind[];
  /**
   * Simulated time of each scenario session, ms.
   * @defaultValue 1200000 (20 minutes)
   */
  durationMs?: number;
  /**
   * Simulated time of each normal session, ms.
   * @defaultValue 1800000 (30 minutes)
   */
  normalDurationMs?: number;
  /**
   * An alert matches a label when its time is in `[startMs, endMs + graceMs]`.
   * @defaultValue 5000
   */
  graceMs?: number;
  /** Options of the {@link DetectorSet} (the detectors' own defaults otherwise). */
  detectors?: DetectorSetOptions;
  /** Simulator options besides `seed` and `scenarios`. */
  simulator?: Omit<MarketSimulatorOptions, 'seed' | 'scenarios'>;
  /** Called after each session (for a progress display). */
  onProgress?: (done: number, total: number, scenario: ScenarioKind, seed: number) => void;
}

/** Defaults of {@link EvaluateOptions}. */
export const DEFAULT_EVALUATE_OPTIONS = Object.freeze({
  /** @defaultValue 1..20 */
  seeds: Object.freeze(Array.from({ length: 20 }, (_, i) => i + 1)) as readonly number[],
  /** @defaultValue every scenario kind */
  scenarios: SCENARIO_KINDS,
  /** @defaultValue 1200000 */
  durationMs: 1_200_000,
  /** @defaultValue 1800000 */
  normalDurationMs: 1_800_000,
  /** @defaultValue 5000 */
  graceMs: 5000,
});

/** The score of one detector. Rates are NaN when undefined (no alert, no label, no session). */
export interface DetectorScore {
  kind: string;
  /** Its own scenario, or null when the simulator has none for it. */
  scenario: ScenarioKind | null;
  /** Labels of its own scenario that it answers (over all seeds). */
  labels: number;
  /** Of them, labels with at least one matching alert. */
  detected: number;
  /** Its alerts in its own scenario's sessions. */
  alerts: number;
  /** Of them, alerts matching one of its labels. */
  matched: number;
  /** matched / alerts. */
  precision: number;
  /** detected / labels. */
  recall: number;
  /** 2 precision recall / (precision + recall). */
  f1: number;
  /** Share of its scenario's session time inside its labels' match windows `[startMs, endMs + graceMs]`. */
  baseRate: number;
  /** Its labels per hour of its scenario's sessions. */
  labelsPerHour: number;
  /** Median of (first matching alert ts - label startMs) over the detected labels, ms. */
  delayP50Ms: number;
  /** 99th percentile (nearest rank) of the same delays, ms. */
  delayP99Ms: number;
  /**
   * Median of (first matching alert ts - the label's evidence time, see {@link evidenceMs}) over the
   * detected labels, ms: the delay after the pattern became recognisable (equal to the delay for
   * kinds whose evidence time is the label's start).
   */
  evidenceDelayP50Ms: number;
  /** 99th percentile (nearest rank) of the same, ms. */
  evidenceDelayP99Ms: number;
  /** Its alerts in the normal sessions. */
  normalAlerts: number;
  /** Its alerts per hour of normal sessions (all false alarms: the normal flow has no labels). */
  falseAlarmsPerHour: number;
  /** Whether it raised no alert matching a label of its own scenario although there were labels. */
  silent: boolean;
}

/** What {@link evaluateDetectors} returns. */
export interface EvaluationReport {
  seeds: number[];
  scenarios: ScenarioKind[];
  durationMs: number;
  normalDurationMs: number;
  graceMs: number;
  /** Hours simulated, per scenario. */
  hours: Partial<Record<ScenarioKind, number>>;
  /** One row per detector. */
  detectors: DetectorScore[];
  /** All detectors' alerts per hour of normal sessions, together. */
  falseAlarmsPerHour: number;
  /** Alerts per hour of each detector (columns) in each scenario's sessions (rows). */
  alertsPerHour: Partial<Record<ScenarioKind, Record<string, number>>>;
  /** Detectors that raised nothing (matching) on their own scenario. */
  silent: string[];
}

/** Parse a seed list: `"1-20"`, `"3"`, `"1,4,7-9"` (throws {@link InvalidOptionError}). */
export function parseSeeds(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(-?\d+)\s*(?:-\s*(-?\d+)\s*)?$/.exec(part);
    if (m === null) throw new InvalidOptionError('seeds', text, 'integers and ranges like "1-20" or "1,4,7-9"');
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || b - a > 100_000) throw new InvalidOptionError('seeds', text, 'ranges from low to high');
    for (let s = a; s <= b; s++) out.push(s);
  }
  return out;
}

/**
 * What the session's own events show of the labelled orders, for {@link evidenceMs}: per order id, the
 * time it was added and the time it was first cancelled or deleted; per aggressive order id, the time
 * and aggressor side of its first print.
 */
export interface OrderTrail {
  added: Map<number, number>;
  pulled: Map<number, number>;
  traded: Map<number, { ts: number; side: number }>;
}

/**
 * The time from which a label's pattern can be recognised in the data ("evidence time"), against
 * which the second detection delay is measured. A label starts at the episode's first action, but
 * several patterns are defined by a later step:
 * - `spoofing`, `layering`: the first cancellation of one of the episode's orders (an order that
 *   rests is not spoofing until it "vanishes without execution");
 * - `momentum-ignition`: the first print of the reversal (an aggressive order of the episode against
 *   its direction: "followed by a reversal");
 * - `iceberg`: the addition of the third clip, the second refill ("a level refilled repeatedly at
 *   the same price after executions": one refill is an ordinary re-quote);
 * - every other kind: `startMs` (the pattern is visible from its first action).
 * Falls back to `startMs` when the step never happened in the data.
 */
export function evidenceMs(label: ScenarioLabel, trail: OrderTrail): number {
  let t = Number.POSITIVE_INFINITY;
  switch (label.kind) {
    case 'spoofing':
    case 'layering':
      for (const id of label.orderIds) {
        const p = trail.pulled.get(id);
        if (p !== undefined && p < t) t = p;
      }
      break;
    case 'momentum-ignition':
      for (const id of label.orderIds) {
        const x = trail.traded.get(id);
        if (x !== undefined && x.side === -label.side && x.ts < t) t = x.ts;
      }
      break;
    case 'iceberg': {
      const id = label.orderIds[2];
      const a = id === undefined ? undefined : trail.added.get(id);
      if (a !== undefined) t = a;
      break;
    }
    default:
      break;
  }
  return t === Number.POSITIVE_INFINITY ? label.startMs : Math.max(label.startMs, t);
}

/** One simulated session through a fresh {@link DetectorSet}: its alerts and labels (and each label's {@link evidenceMs}). */
export function runSession(
  scenario: ScenarioKind,
  seed: number,
  durationMs: number,
  detectors: DetectorSetOptions = {},
  simulator: Omit<MarketSimulatorOptions, 'seed' | 'scenarios'> = {},
): { alerts: ScoredAlert[]; labels: ScenarioLabel[]; evidence: number[]; startMs: number; endMs: number } {
  const sim = new MarketSimulator({ ...simulator, seed, scenarios: scenario === 'normal' ? [] : [scenario] });
  const set = new DetectorSet(detectors);
  const alerts: ScoredAlert[] = [];
  const trail: OrderTrail = { added: new Map(), pulled: new Map(), traded: new Map() };
  const it: Iterator<MarketEvent> = sim.events(durationMs);
  for (let r = it.next(); r.done !== true; r = it.next()) {
    const e = r.value;
    if (e.type === 'order') {
      const o = e.order;
      if (o.kind === 'add') trail.added.set(o.orderId, o.ts);
      else if ((o.kind === 'cancel' || o.kind === 'delete') && !trail.pulled.has(o.orderId)) trail.pulled.set(o.orderId, o.ts);
    } else if (e.type === 'trade' && e.trade.id !== undefined && !trail.traded.has(e.trade.id)) {
      trail.traded.set(e.trade.id, { ts: e.trade.ts, side: e.trade.side ?? 0 });
    }
    const out = set.update(e);
    for (let i = 0; i < out.length; i++) alerts.push({ kind: out[i]!.kind, ts: out[i]!.ts });
  }
  const labels = sim.labels();
  return { alerts, labels, evidence: labels.map((l) => evidenceMs(l, trail)), startMs: sim.startMs, endMs: sim.startMs + durationMs };
}

/** What {@link matchAlerts} returns for one detector's alerts against its labels. */
export interface MatchResult {
  labels: number;
  /** Labels with at least one matching alert. */
  detected: number;
  alerts: number;
  /** Alerts matching at least one label. */
  matched: number;
  /** Per detected label (in label order), its first matching alert's ts minus its startMs. */
  delays: number[];
  /**
   * Per detected label that has an evidence time (`evidence` given), its first matching alert's ts
   * minus that time (negative when the alert came before it).
   */
  evidenceDelays: number[];
}

/**
 * The matching rule: an alert matches a label when `label.startMs <= alert.ts <= label.endMs +
 * graceMs`. Give one detector's alerts and the labels it answers.
 *
 * @example
 * ```ts
 * matchAlerts([{ kind: 'spoofing', ts: 1500 }, { kind: 'spoofing', ts: 9000 }], [{ startMs: 1000, endMs: 2000 }], 5000);
 * // { labels: 1, detected: 1, alerts: 2, matched: 1, delays: [500], evidenceDelays: [] }
 * ```
 */
export function matchAlerts(
  alerts: readonly ScoredAlert[],
  labels: ReadonlyArray<Pick<ScenarioLabel, 'startMs' | 'endMs'>>,
  graceMs: number,
  evidence?: readonly number[],
): MatchResult {
  const hit = (a: ScoredAlert, l: Pick<ScenarioLabel, 'startMs' | 'endMs'>) => a.ts >= l.startMs && a.ts <= l.endMs + graceMs;
  let matched = 0;
  for (const a of alerts) if (labels.some((l) => hit(a, l))) matched++;
  const delays: number[] = [];
  const evidenceDelays: number[] = [];
  labels.forEach((l, i) => {
    let first = Number.POSITIVE_INFINITY;
    for (const a of alerts) if (hit(a, l) && a.ts < first) first = a.ts;
    if (first === Number.POSITIVE_INFINITY) return;
    delays.push(first - l.startMs);
    const ev = evidence?.[i];
    if (ev !== undefined) evidenceDelays.push(first - ev);
  });
  return { labels: labels.length, detected: delays.length, alerts: alerts.length, matched, delays, evidenceDelays };
}

/** Nearest-rank percentile of sorted values (NaN when empty). */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * Score the detectors on labelled scenarios.
 *
 * Protocol: every scenario of `scenarios` runs once per seed in its own simulated session (the
 * scenario alone, injected into the normal background flow, which includes a benign market maker),
 * through a fresh {@link DetectorSet}; `'normal'` sessions carry no scenario.
 *
 * **Matching rule.** An alert of kind k matches a label whose detector (see {@link labelDetector}) is
 * k when `startMs <= alert.ts <= endMs + graceMs`. Per detector, over its own scenario's sessions:
 * - recall = labels with at least one matching alert / labels;
 * - precision = alerts matching some label / alerts;
 * - F1 = their harmonic mean; accuracy is not reported (events are rare: it would be near 1 for a
 *   detector that never fires);
 * - detection delay of a detected label = its first matching alert's ts - startMs (median, p99), and
 *   the same from the label's evidence time ({@link evidenceMs}: when the pattern became
 *   recognisable, e.g. the first cancellation of a spoofed order);
 * - base rate = the share of session time inside the labels' match windows;
 * - false alarms per hour = its alerts per hour of `'normal'` sessions.
 * A detector is *silent* when its scenario produced labels and none was matched by its alerts.
 * `unusualSize` and `rapidTrading` have no scenario of their own: only their alert rates are reported.
 *
 * @example
 * ```ts
 * const report = evaluateDetectors({ seeds: [11, 12], scenarios: ['normal', 'flash-crash'] });
 * const flash = report.detectors.find((d) => d.kind === 'flashCrash');
 * [flash?.recall, flash?.precision, flash?.falseAlarmsPerHour]; // [1, 1, 0]
 * flash?.delayP50Ms; // 618.8... (ms from the crash's start to its first matching alert)
 * ```
 */
export function evaluateDetectors(options: EvaluateOptions = {}): EvaluationReport {
  checkOptionKeys('evaluateDetectors', options, ['seeds', 'scenarios', 'durationMs', 'normalDurationMs', 'graceMs', 'detectors', 'simulator', 'onProgress']);
  const D = DEFAULT_EVALUATE_OPTIONS;
  const seeds = [...(options.seeds ?? D.seeds)];
  if (seeds.length === 0) throw new InvalidOptionError('seeds', seeds, 'at least one seed');
  seeds.forEach((s, i) => integerOption(`seeds[${i}]`, s, Number.MIN_SAFE_INTEGER));
  const scenarios = [...(options.scenarios ?? D.scenarios)];
  for (const s of scenarios) {
    if (!(SCENARIO_KINDS as readonly string[]).includes(s)) throw new InvalidOptionError('scenarios', s, `one of ${SCENARIO_KINDS.join(', ')}`);
  }
  const durationMs = positiveOption('durationMs', options.durationMs ?? D.durationMs);
  const normalDurationMs = positiveOption('normalDurationMs', options.normalDurationMs ?? D.normalDurationMs);
  const graceMs = nonNegativeOption('graceMs', options.graceMs ?? D.graceMs);
  const detectorOptions = options.detectors ?? {};
  const kinds: string[] = DETECTOR_KINDS.filter((k) => (detectorOptions as Record<string, unknown>)[k] !== false);
  for (const d of detectorOptions.extra ?? []) kinds.push(d.kind);

  // per scenario: hours, alerts per kind; per detector (own scenario): labels, matches, delays
  const hours: Partial<Record<ScenarioKind, number>> = {};
  const counts: Partial<Record<ScenarioKind, Record<string, number>>> = {};
  const own = new Map<string, { labels: number; detected: number; alerts: number; matched: number; covered: number; delays: number[]; evidenceDelays: number[] }>();
  for (const k of kinds) own.set(k, { labels: 0, detected: 0, alerts: 0, matched: 0, covered: 0, delays: [], evidenceDelays: [] });
  const total = scenarios.length * seeds.length;
  let done = 0;
  for (const scenario of scenarios) {
    const duration = scenario === 'normal' ? normalDurationMs : durationMs;
    const perKind: Record<string, number> = {};
    for (const k of kinds) perKind[k] = 0;
    for (const seed of seeds) {
      const { alerts, labels, evidence, endMs } = runSession(scenario, seed, duration, detectorOptions, options.simulator);
      for (const a of alerts) perKind[a.kind] = (perKind[a.kind] ?? 0) + 1;
      hours[scenario] = (hours[scenario] ?? 0) + duration / 3_600_000;
      for (const k of kinds) {
        if (DETECTOR_SCENARIOS[k] !== scenario) continue;
        const idx = labels.map((_, i) => i).filter((i) => labelDetector(labels[i]!) === k);
        const mine = idx.map((i) => labels[i]!);
        const m = matchAlerts(
          alerts.filter((a) => a.kind === k),
          mine,
          graceMs,
          idx.map((i) => evidence[i]!),
        );
        const acc = own.get(k)!;
        acc.labels += m.labels;
        acc.alerts += m.alerts;
        acc.matched += m.matched;
        acc.detected += m.detected;
        acc.delays.push(...m.delays);
        acc.evidenceDelays.push(...m.evidenceDelays);
        for (const l of mine) acc.covered += Math.max(0, Math.min(l.endMs + graceMs, endMs) - l.startMs);
      }
      done++;
      options.onProgress?.(done, total, scenario, seed);
    }
    counts[scenario] = perKind;
  }
  const alertsPerHour: Partial<Record<ScenarioKind, Record<string, number>>> = {};
  for (const s of scenarios) {
    const row: Record<string, number> = {};
    for (const k of kinds) row[k] = counts[s]![k]! / hours[s]!;
    alertsPerHour[s] = row;
  }
  const normalHours = hours.normal ?? 0;
  const rows: DetectorScore[] = kinds.map((kind) => {
    const scenario = DETECTOR_SCENARIOS[kind] ?? null;
    const acc = own.get(kind)!;
    const ran = scenario !== null && hours[scenario] !== undefined;
    const precision = acc.alerts > 0 ? acc.matched / acc.alerts : NaN;
    const recall = acc.labels > 0 ? acc.detected / acc.labels : NaN;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : precision === 0 && recall === 0 ? 0 : NaN;
    const delays = [...acc.delays].sort((a, b) => a - b);
    const evidenceDelays = [...acc.evidenceDelays].sort((a, b) => a - b);
    const scenarioMs = ran ? hours[scenario]! * 3_600_000 : NaN;
    const normalAlerts = normalHours > 0 ? counts.normal![kind] ?? 0 : 0;
    return {
      kind,
      scenario,
      labels: acc.labels,
      detected: acc.detected,
      alerts: acc.alerts,
      matched: acc.matched,
      precision,
      recall,
      f1,
      baseRate: ran ? acc.covered / scenarioMs : NaN,
      labelsPerHour: ran ? acc.labels / hours[scenario]! : NaN,
      delayP50Ms: percentile(delays, 0.5),
      delayP99Ms: percentile(delays, 0.99),
      evidenceDelayP50Ms: percentile(evidenceDelays, 0.5),
      evidenceDelayP99Ms: percentile(evidenceDelays, 0.99),
      normalAlerts,
      falseAlarmsPerHour: normalHours > 0 ? normalAlerts / normalHours : NaN,
      silent: ran && acc.labels > 0 && acc.matched === 0,
    };
  });
  const allNormal = rows.reduce((s, r) => s + r.normalAlerts, 0);
  return {
    seeds,
    scenarios,
    durationMs,
    normalDurationMs,
    graceMs,
    hours,
    detectors: rows,
    falseAlarmsPerHour: normalHours > 0 ? allNormal / normalHours : NaN,
    alertsPerHour,
    silent: rows.filter((r) => r.silent).map((r) => r.kind),
  };
}
