import fc from 'fast-check';
import { cloneBook } from '../core/book.js';
import { InvalidOptionError } from '../core/errors.js';
import type { MarketEvent } from '../core/events.js';
import { checkOptionKeys, integerOption } from '../core/options.js';
import { MarketSimulator, type MarketSimulatorOptions } from '../sim/market-simulator.js';
import { DEFAULT_SCENARIO_OPTIONS, SCENARIO_KINDS, type ScenarioKind, type ScenarioLabel, type ScenarioOptions } from '../sim/scenarios.js';

/** Options of {@link scenario}. */
export interface ScenarioArbitraryOptions {
  /** The scenario kinds of every session; default: a non-empty subset of all kinds but `normal`, shrinking to fewer. */
  kinds?: readonly ScenarioKind[];
  /** A fixed seed; default: any seed in [0, 2^31 - 1], shrinking towards 0. */
  seed?: number;
  /** Simulated time per session (ms). @defaultValue 60000 */
  durationMs?: number;
  /** Other simulator options (rates, tick size, depth, ...). */
  simulator?: Omit<MarketSimulatorOptions, 'seed' | 'scenarios'>;
}

/** A labelled simulator session: its events (copies, safe to keep) and its ground truth. */
export interface LabelledSession {
  seed: number;
  kinds: ScenarioKind[];
  /** The options the session ran with (rerun it: `new MarketSimulator(options).events(durationMs)`). */
  options: MarketSimulatorOptions;
  durationMs: number;
  events: MarketEvent[];
  labels: ScenarioLabel[];
}

const INJECTED: readonly ScenarioKind[] = SCENARIO_KINDS.filter((k) => k !== 'normal');

/**
 * Shrinkable labelled simulator sessions: a seed and a set of scenario kinds, run through a
 * {@link MarketSimulator} for `durationMs`. So that every kind shows up in a short session, each kind's
 * single episode is scheduled early (the i-th kind at 5 s + 3 s x i, episodes at most 10 s long).
 * The events are copied out of the simulator (books cloned), the labels are its ground truth. Shrinks
 * towards fewer kinds and seed 0.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(scenario({ kinds: ['spoofing'] }), (s) => s.labels.every((l) => l.kind === 'spoofing')), { numRuns: 5 });
 * ```
 */
export function scenario(options: ScenarioArbitraryOptions = {}): fc.Arbitrary<LabelledSession> {
  checkOptionKeys('scenario', options, ['kinds', 'seed', 'durationMs', 'simulator']);
  const durationMs = integerOption('durationMs', options.durationMs ?? 60_000, 1);
  if (options.kinds !== undefined && (!Array.isArray(options.kinds) || options.kinds.some((k) => !(SCENARIO_KINDS as readonly string[]).includes(k)))) {
    throw new InvalidOptionError('kinds', options.kinds, `a list of ${SCENARIO_KINDS.join(', ')}`);
  }
  const kinds: fc.Arbitrary<ScenarioKind[]> = options.kinds === undefined ? fc.subarray([...INJECTED], { minLength: 1 }) : fc.constant([...options.kinds]);
  const seed = options.seed === undefined ? fc.integer({ min: 0, max: 2 ** 31 - 1 }) : fc.constant(integerOption('seed', options.seed, 0));
  const extra = options.simulator ?? {};
  return fc.tuple(seed, kinds).map(([s, ks]) => {
    const scenarios: ScenarioOptions[] = ks.map((kind, i) => ({ kind, firstAfterMs: 5_000 + 3_000 * i, maxEpisodes: 1, durationMs: Math.min(10_000, DEFAULT_SCENARIO_OPTIONS[kind].durationMs) }));
    const simOptions: MarketSimulatorOptions = { ...extra, seed: s, scenarios };
    const sim = new MarketSimulator(simOptions);
    const events: MarketEvent[] = [];
    for (const e of sim.events(durationMs)) {
      if (e.type === 'book') events.push({ type: 'book', symbol: e.symbol, book: cloneBook(e.book) });
      else if (e.type === 'trade') events.push({ type: 'trade', symbol: e.symbol, trade: { ...e.trade } });
      else events.push({ type: 'order', symbol: e.symbol, order: { ...e.order } });
    }
    return { seed: s, kinds: ks, options: simOptions, durationMs, events, labels: sim.labels() };
  });
}
