import type { MarketEvent } from '../core/events.js';
import { Engine, type EngineOptions } from './engine.js';
import type { FeatureFrame } from './feature-frame.js';

/** Options of {@link EngineRouter}: the options every engine gets (its `symbol` is set per engine). */
export type EngineRouterOptions = Omit<EngineOptions, 'symbol'>;

/**
 * Runs one {@link Engine} per symbol: engines share no mutable state, so each can be checkpointed,
 * moved or partitioned (e.g. by symbol hash over workers) on its own.
 *
 * @example
 * ```ts
 * const router = new EngineRouter({ onFrame: (f) => console.log(f.symbol, f.mid) });
 * router.process({ type: 'book', symbol: 'GOOG', book });
 * ```
 */
export class EngineRouter {
  private readonly engines = new Map<string, Engine>();
  private readonly options: EngineRouterOptions;

  constructor(options: EngineRouterOptions = {}) {
    this.options = options;
    // Validate the shared options once, up front, rather than at the first event of the first symbol.
    new Engine({ ...options, symbol: 'UNKNOWN' });
  }

  /** The engine of `symbol`, created on first use. */
  engine(symbol: string): Engine {
    let engine = this.engines.get(symbol);
    if (engine === undefined) {
      engine = new Engine({ ...this.options, symbol });
      this.engines.set(symbol, engine);
    }
    return engine;
  }

  /** Route one event to its symbol's engine. */
  process(event: MarketEvent): FeatureFrame | null {
    return this.engine(event.symbol).process(event);
  }

  /** Symbols seen so far. */
  get symbols(): string[] {
    return [...this.engines.keys()];
  }

  /** Per-symbol state, for a checkpoint of the whole router. */
  snapshot(): Record<string, ReturnType<Engine['snapshot']>> {
    const out: Record<string, ReturnType<Engine['snapshot']>> = {};
    for (const [symbol, engine] of this.engines) out[symbol] = engine.snapshot();
    return out;
  }

  /** Restore every engine of a {@link snapshot}. */
  restore(state: Record<string, ReturnType<Engine['snapshot']>>): void {
    this.engines.clear();
    for (const [symbol, s] of Object.entries(state)) this.engine(symbol).restore(s);
  }
}
