/**
 * The agents behind the labelled scenarios (internal to `src/sim`; see `scenarios.ts` for the public
 * kinds, options and labels, and `MarketSimulator` for how agents are scheduled).
 *
 * @module
 */
import type { Random } from '../core/random.js';
import type { CorruptIssue, ResolvedScenario, ScenarioKind, ScenarioLabel } from './scenarios.js';

/** The result of an agent's aggressive order. */
export interface AgentMarketResult {
  readonly id: number;
  readonly filled: number;
}

/**
 * What the simulator offers its agents (internal): the exchange's state in integer ticks, order
 * entry, rate multipliers of the background flow, and labels.
 */
export interface SimulatorContext {
  readonly tickSize: number;
  readonly medianOrderSize: number;
  /** The largest background market order (a spoofer keeps more than this ahead of its order). */
  readonly maxMarketSize: number;
  /** Background limit orders per second per side. */
  readonly limitRate: number;
  bestTick(side: number): number;
  bestSize(side: number): number;
  levelSize(side: number, tick: number): number;
  levelTick(side: number, index: number): number;
  sharesAhead(id: number): number;
  isLive(id: number): boolean;
  orderTick(id: number): number;
  /** A limit order (matched first if marketable); returns its id. */
  limit(owner: number, side: number, tick: number, size: number, cancellable: boolean): number;
  /** A market order of `size` on `side` over at most `maxLevels` price levels. */
  market(owner: number, side: number, size: number, maxLevels?: number): AgentMarketResult;
  /** Cancel (delete) an order; returns the shares removed. */
  cancel(id: number): number;
  /** Ids of background (and benign look-alike) orders resting on `side` at ticks in [lo, hi]. */
  backgroundOrdersIn(side: number, lo: number, hi: number): number[];
  /** Multiply the background `limit` or `market` order rate of `side` (0: both) by `factor`. */
  scaleRates(what: 'limit' | 'market', side: number, factor: number): void;
  /** Suppress (or allow again) background limit orders on `side` at ticks in [lo, hi]. */
  suppressBand(side: number, lo: number, hi: number, on: boolean): void;
  isSuppressed(side: number, tick: number): boolean;
  /** Record a new label from `ts` to the planned `endMs` (the simulator keeps it; the agent adds ids and sets the actual end). */
  openLabel(kind: ScenarioKind, side: -1 | 0 | 1, ts: number, endMs: number): ScenarioLabel;
  /** Forget a label opened by `openLabel` (an episode that placed no order). */
  discardLabel(label: ScenarioLabel): void;
  /** Corrupt the next emitted book snapshot (the simulator records the label when it does). */
  corrupt(issue: CorruptIssue): void;
}

/** A participant acting on a schedule (internal). */
export interface ScenarioAgent {
  readonly kind: ScenarioKind | 'market-maker';
  /** Owner tag of its orders (set by the simulator). */
  owner: number;
  /** Time of its next action; `Infinity` when done. */
  nextTs: number;
  /** Whether `afterStep` wants to run after every step of the simulation. */
  watching: boolean;
  act(ctx: SimulatorContext, ts: number): void;
  afterStep(ctx: SimulatorContext, ts: number): void;
  /** A resting order of this agent was executed (`remaining` = what is left of it). Must not trade. */
  onFill(orderId: number, size: number, remaining: number, ts: number): void;
}

/** Build the agent of one scenario (`null` for `normal`). */
export function createScenarioAgent(spec: ResolvedScenario, rng: Random, sessionStartMs: number): ScenarioAgent | null {
  switch (spec.kind) {
    case 'normal':
      return null;
    case 'spoofing':
      return new SpoofingAgent(spec, rng, sessionStartMs);
    case 'layering':
      return new LayeringAgent(spec, rng, sessionStartMs);
    case 'quote-stuffing':
      return new QuoteStuffingAgent(spec, rng, sessionStartMs);
    case 'momentum-ignition':
      return new MomentumIgnitionAgent(spec, rng, sessionStartMs);
    case 'wash-trading':
      return new WashTradingAgent(spec, rng, sessionStartMs);
    case 'iceberg':
      return new IcebergAgent(spec, rng, sessionStartMs);
    case 'flash-crash':
      return new FlashCrashAgent(spec, rng, sessionStartMs);
    case 'liquidity-crisis':
      return new LiquidityCrisisAgent(spec, rng, sessionStartMs);
    case 'liquidity-gap':
      return new LiquidityGapAgent(spec, rng, sessionStartMs);
    case 'imbalance':
      return new ImbalanceAgent(spec, rng, sessionStartMs);
    case 'corrupt-data':
      return new CorruptDataAgent(spec, rng, sessionStartMs);
  }
}

/** Kinds whose episodes consist of their own orders. */
const ORDER_KINDS: ReadonlySet<string> = new Set(['spoofing', 'layering', 'quote-stuffing', 'momentum-ignition', 'wash-trading', 'iceberg', 'flash-crash']);

/**
 * Episodes on a schedule: the first at `firstAfterMs`, the next `everyMs x U(0.75, 1.25)` after the
 * previous start (and after the previous episode has finished). `begin` opens the label; `step` runs
 * the episode's state machine; `finish` closes the label.
 */
abstract class EpisodicAgent implements ScenarioAgent {
  owner = 0;
  nextTs: number;
  watching = false;
  protected label: ScenarioLabel | null = null;
  protected start = 0;
  protected end = 0;
  protected side: 1 | -1 = 1;
  private episodes = 0;

  constructor(
    readonly kind: ScenarioKind,
    protected readonly o: ResolvedScenario,
    protected readonly rng: Random,
    sessionStartMs: number,
  ) {
    this.nextTs = o.maxEpisodes > 0 ? sessionStartMs + o.firstAfterMs : Number.POSITIVE_INFINITY;
  }

  /** The label side: the episode's side, or 0 for kinds that have none. */
  protected labelSide(): -1 | 0 | 1 {
    return this.side;
  }

  act(ctx: SimulatorContext, ts: number): void {
    if (this.label === null) {
      this.episodes++;
      this.start = ts;
      this.end = ts + this.o.durationMs;
      const s = this.o.side;
      this.side = s === 'random' ? (this.rng.bernoulli(0.5) ? 1 : -1) : s === 0 ? 1 : s;
      this.label = ctx.openLabel(this.kind, this.labelSide(), ts, this.end);
      this.begin(ctx, ts);
    } else {
      this.step(ctx, ts);
    }
  }

  protected abstract begin(ctx: SimulatorContext, ts: number): void;
  protected abstract step(ctx: SimulatorContext, ts: number): void;

  afterStep(_ctx: SimulatorContext, _ts: number): void {}

  onFill(_orderId: number, _size: number, _remaining: number, _ts: number): void {}

  protected track(id: number): number {
    this.label?.orderIds.push(id);
    return id;
  }

  /**
   * Close the episode at `ts`. An episode of a kind made of its own orders that placed none (e.g. wash
   * trading that never saw a two-tick spread) leaves no label.
   */
  protected finish(ctx: SimulatorContext, ts: number): void {
    if (this.label !== null) {
      this.label.endMs = ts;
      if (this.label.orderIds.length === 0 && ORDER_KINDS.has(this.kind)) ctx.discardLabel(this.label);
    }
    this.label = null;
    this.watching = false;
    if (this.episodes >= this.o.maxEpisodes || this.o.everyMs === Number.POSITIVE_INFINITY) {
      this.nextTs = Number.POSITIVE_INFINITY;
      return;
    }
    const next = this.start + this.o.everyMs * this.rng.uniform(0.75, 1.25);
    this.nextTs = Math.max(next, ts + 1);
  }

  protected size(multiple: number, ctx: SimulatorContext): number {
    return Math.max(1, Math.round(multiple * ctx.medianOrderSize));
  }
}

/**
 * Spoofing: a large order (10 x the median order size x strength: larger than any background order,
 * which are truncated at `maxSizeMultiple` = 8 x the median by default) on one side, at the touch when at
 * least `maxMarketSize` shares queue ahead of it (so no single background market order can reach it),
 * else one tick behind the touch; while it stands, a small genuine market order trades on the other
 * side; after a hold of about 1.5 s it is cancelled, and the cycle repeats until the episode ends. The
 * spoofer pulls the order at once when the queue ahead of it gets shorter than `maxMarketSize`, so the
 * spoofed orders are never executed by the background flow.
 */
class SpoofingAgent extends EpisodicAgent {
  private spoof = NaN;
  private phase = 0; // 0 place, 1 genuine trade, 2 cancel
  private cycleEnd = 0;

  constructor(o: ResolvedScenario, rng: Random, start: number) {
    super('spoofing', o, rng, start);
  }

  protected begin(ctx: SimulatorContext, ts: number): void {
    this.place(ctx, ts);
  }

  private place(ctx: SimulatorContext, ts: number): void {
    const s = this.side;
    const touch = ctx.bestTick(s);
    if (touch < 0 || ctx.bestTick(-s) < 0) {
      this.phase = 0;
      this.nextTs = ts + 100;
      if (ts + 100 > this.end) this.finish(ctx, ts);
      return;
    }
    const guard = ctx.maxMarketSize;
    const tick = ctx.levelSize(s, touch) >= guard ? touch : touch - s;
    this.spoof = this.track(ctx.limit(this.owner, s, tick, this.size(10 * this.o.strength, ctx), false));
    this.watching = true;
    const hold = 1500 * this.rng.uniform(0.7, 1.3);
    this.cycleEnd = Math.min(ts + hold, this.end);
    this.phase = 1;
    this.nextTs = ts + hold * this.rng.uniform(0.3, 0.6);
  }

  protected step(ctx: SimulatorContext, ts: number): void {
    if (this.phase === 0) {
      this.place(ctx, ts);
    } else if (this.phase === 1) {
      if (ctx.isLive(this.spoof)) this.track(ctx.market(this.owner, -this.side, Math.max(1, Math.round(ctx.medianOrderSize * this.rng.uniform(0.3, 1))), 1).id);
      this.phase = 2;
      this.nextTs = Math.max(ts, this.cycleEnd);
    } else {
      this.pull(ctx);
      const wait = this.rng.uniform(100, 400);
      if (ts + wait + 500 < this.end) {
        this.phase = 0;
        this.nextTs = ts + wait;
      } else {
        this.finish(ctx, ts);
      }
    }
  }

  private pull(ctx: SimulatorContext): void {
    if (this.spoof === this.spoof && ctx.isLive(this.spoof)) ctx.cancel(this.spoof);
    this.spoof = NaN;
    this.watching = false;
  }

  override afterStep(ctx: SimulatorContext): void {
    const id = this.spoof;
    if (!(id === id) || !ctx.isLive(id)) return;
    if (ctx.orderTick(id) === ctx.bestTick(this.side) && ctx.sharesAhead(id) < ctx.maxMarketSize) this.pull(ctx);
  }
}

/**
 * Layering: 3 + 2 x strength orders (at most 8) of 5 x the median size x strength stacked on the
 * consecutive ticks behind the touch of one side, placed at one time stamp; a genuine market order on
 * the other side while they stand; after about 2 s all are cancelled together (5 ms apart), or at once
 * if the touch comes within `maxMarketSize` shares of any of them.
 */
class LayeringAgent extends EpisodicAgent {
  private layers: number[] = [];
  private phase = 0; // 1 genuine trade, 2 cancelling
  private holdEnd = 0;

  constructor(o: ResolvedScenario, rng: Random, start: number) {
    super('layering', o, rng, start);
  }

  protected begin(ctx: SimulatorContext, ts: number): void {
    const s = this.side;
    this.layers = [];
    const touch = ctx.bestTick(s);
    if (touch < 0) {
      this.finish(ctx, ts);
      return;
    }
    const n = Math.min(8, 3 + Math.round(2 * this.o.strength));
    for (let k = 1; k <= n && touch - s * k >= 1; k++) {
      this.layers.push(this.track(ctx.limit(this.owner, s, touch - s * k, this.size(5 * this.o.strength, ctx), false)));
    }
    this.watching = true;
    const hold = 2000 * this.rng.uniform(0.7, 1.3);
    this.holdEnd = Math.min(ts + hold, this.end);
    this.phase = 1;
    this.nextTs = ts + hold / 2;
  }

  protected step(ctx: SimulatorContext, ts: number): void {
    if (this.phase === 1) {
      if (this.layers.some((id) => ctx.isLive(id))) {
        this.track(ctx.market(this.owner, -this.side, Math.max(1, Math.round(ctx.medianOrderSize * this.rng.uniform(0.3, 1))), 1).id);
      }
      this.phase = 2;
      this.nextTs = Math.max(ts, this.holdEnd);
      return;
    }
    const live = this.layers.find((id) => ctx.isLive(id));
    if (live !== undefined) ctx.cancel(live);
    if (this.layers.some((id) => ctx.isLive(id))) this.nextTs = ts + 5;
    else this.finish(ctx, ts);
  }

  override afterStep(ctx: SimulatorContext, ts: number): void {
    if (this.phase === 2) return;
    const s = this.side;
    for (const id of this.layers) {
      if (ctx.isLive(id) && ctx.orderTick(id) === ctx.bestTick(s) && ctx.sharesAhead(id) < ctx.maxMarketSize) {
        for (const other of this.layers) if (ctx.isLive(other)) ctx.cancel(other);
        this.phase = 2;
        this.watching = false;
        this.nextTs = ts;
        return;
      }
    }
  }
}

/**
 * Quote stuffing: for the episode (2 s by default), a burst of small orders (1 to 100 shares) at one
 * price 2 to 5 ticks behind the touch of one side, each cancelled 1 to 3 ms after it was added, at
 * about 400 x strength messages a second in all.
 */
class QuoteStuffingAgent extends EpisodicAgent {
  private tick = 0;
  private live = NaN;

  constructor(o: ResolvedScenario, rng: Random, start: number) {
    super('quote-stuffing', o, rng, start);
  }

  protected begin(ctx: SimulatorContext, ts: number): void {
    const touch = ctx.bestTick(this.side);
    if (touch < 0) {
      this.finish(ctx, ts);
      return;
    }
    this.tick = touch - this.side * this.rng.int(2, 5);
    this.step(ctx, ts);
  }

  protected step(ctx: SimulatorContext, ts: number): void {
    if (this.live === this.live) {
      if (ctx.isLive(this.live)) ctx.cancel(this.live);
      this.live = NaN;
      if (ts >= this.end) {
        this.finish(ctx, ts);
        return;
      }
      this.nextTs = ts + this.rng.exponential(this.o.strength / 3); // cycles of ~5 ms, 2 messages each: ~400 x strength msgs/s
      return;
    }
    const s = this.side;
    const other = ctx.bestTick(-s);
    if (this.tick >= 1 && (other < 0 || (s === 1 ? this.tick < other : this.tick > other))) {
      this.live = this.track(ctx.limit(this.owner, s, this.tick, this.rng.int(1, 100), false));
      this.nextTs = ts + this.rng.uniform(1, 3);
    } else if (ts >= this.end) {
      this.finish(ctx, ts);
    } else {
      this.nextTs = ts + 5;
    }
  }
}

/**
 * Momentum ignition: a burst of 4 + 2 x strength market orders on one side, 50 to 200 ms apart, each
 * taking the best two levels of the opposite side whole (so each moves the price by two ticks or
 * more; at most 20 x the median size), then followers: the background
 * market order rate on that side x (1 + 3 x strength) for the rest of the episode but the last
 * 500 ms; then the igniter unwinds half of what it bought (sold) with two market orders on the other
 * side, 200 ms apart (the reversal).
 */
class MomentumIgnitionAgent extends EpisodicAgent {
  private phase = 0;
  private shots = 0;
  private position = 0;
  private factor = 1;

  constructor(o: ResolvedScenario, rng: Random, start: number) {
    super('momentum-ignition', o, rng, start);
  }

  protected begin(ctx: SimulatorContext, ts: number): void {
    this.phase = 0;
    this.shots = 0;
    this.position = 0;
    this.step(ctx, ts);
  }

  protected step(ctx: SimulatorContext, ts: number): void {
    const s = this.side;
    const n = 4 + Math.round(2 * this.o.strength);
    if (this.phase === 0) {
      const first = ctx.levelTick(-s, 0);
      const second = ctx.levelTick(-s, 1);
      const depth = (first < 0 ? 0 : ctx.levelSize(-s, first)) + (second < 0 ? 0 : ctx.levelSize(-s, second));
      const size = Math.min(depth, 20 * ctx.medianOrderSize);
      if (size > 0) {
        const r = ctx.market(this.owner, s, size, 2);
        this.track(r.id);
        this.position += r.filled;
      }
      this.shots++;
      if (this.shots < n) {
        this.nextTs = ts + this.rng.uniform(50, 200);
      } else {
        this.phase = 1;
        this.factor = 1 + 3 * this.o.strength;
        ctx.scaleRates('market', s, this.factor);
        this.nextTs = Math.max(ts + 1, this.end - 500);
      }
    } else if (this.phase === 1) {
      ctx.scaleRates('market', s, 1 / this.factor);
      this.phase = 2;
      this.unwind(ctx);
      this.nextTs = ts + 200;
    } else {
      this.unwind(ctx);
      this.finish(ctx, ts);
    }
  }

  private unwind(ctx: SimulatorContext): void {
    const size = Math.max(1, Math.round(this.position / 4));
    this.track(ctx.market(this.owner, -this.side, size, 3).id);
  }
}

/**
 * Wash trading: 3 x strength round trips spread over the episode. Each needs a spread of at least two
 * ticks (else it retries every 50 ms): at price p one tick above the best bid the trader rests a sell
 * of size q and buys it with its own market order, then rests a buy of q at p and sells into it: two
 * prints of the same size and price, opposite aggressor sides, both sides of each the same trader,
 * all at one time stamp.
 */
class WashTradingAgent extends EpisodicAgent {
  private done = 0;
  private n = 0;
  private lastTrip = 0;

  constructor(o: ResolvedScenario, rng: Random, start: number) {
    super('wash-trading', o, rng, start);
  }

  protected override labelSide(): -1 | 0 | 1 {
    return 0;
  }

  protected begin(ctx: SimulatorContext, ts: number): void {
    this.done = 0;
    this.n = Math.max(1, Math.round(3 * this.o.strength));
    this.step(ctx, ts);
  }

  protected step(ctx: SimulatorContext, ts: number): void {
    if (ts > this.end) {
      this.finish(ctx, this.done > 0 ? this.lastTrip : ts);
      return;
    }
    const bid = ctx.bestTick(1);
    const ask = ctx.bestTick(-1);
    if (bid < 0 || ask < 0 || ask - bid < 2) {
      this.nextTs = ts + 50;
      return;
    }
    const p = bid + 1;
    const q = Math.max(1, Math.round(ctx.medianOrderSize * this.rng.uniform(0.5, 2)));
    if (this.done === 0 && this.label !== null) this.label.startMs = ts;
    this.track(ctx.limit(this.owner, -1, p, q, false));
    this.track(ctx.market(this.owner, 1, q, 1).id);
    this.track(ctx.limit(this.owner, 1, p, q, false));
    this.track(ctx.market(this.owner, -1, q, 1).id);
    this.lastTrip = ts;
    this.done++;
    if (this.done >= this.n) {
      this.finish(ctx, ts);
      return;
    }
    this.nextTs = Math.max(ts + 50, this.start + (this.done * this.o.durationMs) / this.n);
  }
}

/**
 * Iceberg order: a hidden total of 20 x the median size x strength on one side at the touch price of
 * the episode start, shown one clip (the median order size) at a time; when a clip is fully
 * executed, the next clip is added at the same price and size at the same time stamp (new id, at the
 * back of the queue); the clip left at the end of the episode is cancelled.
 */
class IcebergAgent extends EpisodicAgent {
  private tick = 0;
  private left = 0;
  private clip = 0;
  private live = NaN;

  constructor(o: ResolvedScenario, rng: Random, start: number) {
    super('iceberg', o, rng, start);
  }

  protected begin(ctx: SimulatorContext, ts: number): void {
    this.tick = ctx.bestTick(this.side);
    if (this.tick < 0) {
      this.finish(ctx, ts);
      return;
    }
    this.clip = this.size(1, ctx);
    this.left = this.size(20 * this.o.strength, ctx);
    this.refill(ctx, ts);
  }

  private refill(ctx: SimulatorContext, ts: number): void {
    const size = Math.min(this.clip, this.left);
    this.left -= size;
    this.live = this.track(ctx.limit(this.owner, this.side, this.tick, size, false));
    if (!ctx.isLive(this.live)) this.live = NaN; // executed on entry (the market came to it)
    this.nextTs = this.live === this.live ? this.end : ts; // wait for the clip's execution, or go on at once
  }

  protected step(ctx: SimulatorContext, ts: number): void {
    if (this.live !== this.live && this.left > 0 && ts < this.end) {
      this.refill(ctx, ts);
      return;
    }
    if (this.live === this.live && ctx.isLive(this.live)) ctx.cancel(this.live);
    this.live = NaN;
    this.finish(ctx, ts);
  }

  override onFill(orderId: number, _size: number, remaining: number, ts: number): void {
    if (orderId === this.live && remaining === 0) {
      this.live = NaN;
      this.nextTs = ts;
    }
  }
}

/**
 * Flash crash, V-shaped: for the crash (the episode's `durationMs`, 3 s by default) background limit
 * orders on the side being hit (the bids, for a crash down) arrive at a tenth of their rate, and
 * 6 + 6 x strength times, evenly spread, a market order takes that side's best three levels whole while
 * the crash sellers (buyers) lower their asks (raise their bids) to one tick from the new opposite
 * touch with a limit order of the median size, or by two ticks when the side being hit is empty, so
 * the whole book moves; then, for the rebound (5 x `durationMs`), the rates recover and background
 * market orders against the crash run at (1 + 2 x strength) times their rate. The label spans both.
 */
class FlashCrashAgent extends EpisodicAgent {
  private shots = 0;
  private n = 0;
  private rebound = 1;

  constructor(o: ResolvedScenario, rng: Random, start: number) {
    super('flash-crash', o, rng, start);
  }

  protected begin(ctx: SimulatorContext, ts: number): void {
    this.shots = 0;
    this.rebound = 1;
    this.n = 6 + Math.round(6 * this.o.strength);
    ctx.scaleRates('limit', -this.side, 0.1);
    this.step(ctx, ts);
  }

  protected step(ctx: SimulatorContext, ts: number): void {
    const s = this.side;
    if (this.rebound !== 1) {
      ctx.scaleRates('market', -s, 1 / this.rebound);
      this.finish(ctx, ts);
      return;
    }
    let size = 0;
    for (let k = 0; k < 3; k++) {
      const t = ctx.levelTick(-s, k);
      if (t >= 0) size += ctx.levelSize(-s, t);
    }
    if (size > 0) this.track(ctx.market(this.owner, s, size, 3).id);
    const touch = ctx.bestTick(-s);
    const own = ctx.bestTick(s);
    const tick = touch >= 0 ? touch - s : own >= 0 ? own + 2 * s : -1;
    if (tick >= 1 && (own < 0 || (s === -1 ? tick < own : tick > own))) this.track(ctx.limit(this.owner, s, tick, this.size(1, ctx), false));
    this.shots++;
    if (this.shots < this.n) {
      this.nextTs = ts + Math.max(1, this.o.durationMs / this.n) * this.rng.uniform(0.7, 1.3);
      return;
    }
    ctx.scaleRates('limit', -s, 10);
    this.rebound = 1 + 2 * this.o.strength;
    ctx.scaleRates('market', -s, this.rebound);
    this.nextTs = ts + 5 * Math.max(1, this.o.durationMs);
  }
}

/**
 * Liquidity crisis (depth shock): in five steps 200 ms apart, background orders within 10 ticks of the
 * touch are cancelled (each with the probability that leaves a share 1 - f of them, f = min(0.9,
 * 0.6 x strength)), and for the episode background limit orders arrive at (1 - f) of their rate, on
 * both sides (side 0) or one.
 */
class LiquidityCrisisAgent extends EpisodicAgent {
  private steps = 0;
  private f = 0;

  constructor(o: ResolvedScenario, rng: Random, start: number) {
    super('liquidity-crisis', o, rng, start);
  }

  protected override labelSide(): -1 | 0 | 1 {
    return this.o.side === 0 ? 0 : this.side;
  }

  protected begin(ctx: SimulatorContext, ts: number): void {
    this.steps = 0;
    this.f = Math.min(0.9, 0.6 * this.o.strength);
    ctx.scaleRates('limit', this.labelSide(), 1 - this.f);
    this.step(ctx, ts);
  }

  protected step(ctx: SimulatorContext, ts: number): void {
    if (this.steps < 5) {
      const p = 1 - Math.pow(1 - this.f, 1 / 5);
      const side = this.labelSide();
      for (const s of side === 0 ? [1, -1] : [side]) {
        const touch = ctx.bestTick(s);
        if (touch < 0) continue;
        const lo = s === 1 ? touch - 9 : touch;
        const hi = s === 1 ? touch : touch + 9;
        for (const id of ctx.backgroundOrdersIn(s, lo, hi)) {
          if (this.rng.bernoulli(p)) {
            ctx.cancel(id);
            this.track(id);
          }
        }
      }
      this.steps++;
      this.nextTs = this.steps < 5 ? ts + 200 : Math.max(ts + 1, this.end);
      return;
    }
    ctx.scaleRates('limit', this.labelSide(), 1 / (1 - this.f));
    this.finish(ctx, ts);
  }
}

/**
 * Liquidity gap: the top g = max(2, round(3 x strength)) ticks of one side, from its touch outwards,
 * are emptied of background orders at once and kept empty of background limit orders for the episode
 * (the side's best price jumps g or more ticks away; the other side may move into the hole).
 */
class LiquidityGapAgent extends EpisodicAgent {
  private lo = 0;
  private hi = 0;
  private on = false;

  constructor(o: ResolvedScenario, rng: Random, start: number) {
    super('liquidity-gap', o, rng, start);
  }

  protected begin(ctx: SimulatorContext, ts: number): void {
    const s = this.side;
    const touch = ctx.bestTick(s);
    if (touch < 0) {
      this.finish(ctx, ts);
      return;
    }
    const g = Math.max(2, Math.round(3 * this.o.strength));
    this.lo = s === 1 ? touch - g + 1 : touch;
    this.hi = s === 1 ? touch : touch + g - 1;
    for (const id of ctx.backgroundOrdersIn(s, this.lo, this.hi)) {
      ctx.cancel(id);
      this.track(id);
    }
    ctx.suppressBand(s, this.lo, this.hi, true);
    this.on = true;
    this.nextTs = Math.max(ts + 1, this.end);
  }

  protected step(ctx: SimulatorContext, ts: number): void {
    if (this.on) ctx.suppressBand(this.side, this.lo, this.hi, false);
    this.on = false;
    this.finish(ctx, ts);
  }
}

/**
 * Heavy one-sided imbalance: for the episode, extra limit orders on one side at 1.5 x strength x the
 * background limit rate, 1 to 5 ticks from the opposite touch, of 1.5 x the median size (they are
 * cancelled like background orders afterwards), while the other side's background limit rate drops to
 * 0.7 of itself.
 */
class ImbalanceAgent extends EpisodicAgent {
  private active = false;

  constructor(o: ResolvedScenario, rng: Random, start: number) {
    super('imbalance', o, rng, start);
  }

  protected begin(ctx: SimulatorContext, ts: number): void {
    ctx.scaleRates('limit', -this.side, 0.7);
    this.active = true;
    this.step(ctx, ts);
  }

  protected step(ctx: SimulatorContext, ts: number): void {
    if (ts >= this.end) {
      if (this.active) ctx.scaleRates('limit', -this.side, 1 / 0.7);
      this.active = false;
      this.finish(ctx, ts);
      return;
    }
    const s = this.side;
    const ref = ctx.bestTick(-s);
    if (ref >= 0) {
      const tick = ref - s * this.rng.int(1, 5);
      if (tick >= 1 && !ctx.isSuppressed(s, tick)) {
        this.track(ctx.limit(this.owner, s, tick, Math.max(1, Math.round(1.5 * ctx.medianOrderSize * this.rng.uniform(0.5, 1.5))), true));
      }
    }
    const rate = (1.5 * this.o.strength * ctx.limitRate) / 1000;
    this.nextTs = Math.min(ts + this.rng.exponential(rate), this.end);
  }
}

/** Corrupt data: per episode, `round(strength)` (at least 1) book snapshots corrupted, 1 ms apart, cycling through `issues`. */
class CorruptDataAgent implements ScenarioAgent {
  readonly kind = 'corrupt-data' as const;
  owner = 0;
  nextTs: number;
  watching = false;
  private next = 0;
  private inEpisode = 0;
  private episodes = 0;
  private start = 0;

  constructor(
    private readonly o: ResolvedScenario,
    private readonly rng: Random,
    sessionStartMs: number,
  ) {
    this.nextTs = o.maxEpisodes > 0 ? sessionStartMs + o.firstAfterMs : Number.POSITIVE_INFINITY;
  }

  act(ctx: SimulatorContext, ts: number): void {
    if (this.inEpisode === 0) {
      this.start = ts;
      this.episodes++;
    }
    ctx.corrupt(this.o.issues[this.next++ % this.o.issues.length]!);
    this.inEpisode++;
    if (this.inEpisode < Math.max(1, Math.round(this.o.strength))) {
      this.nextTs = ts + 1;
      return;
    }
    this.inEpisode = 0;
    this.nextTs =
      this.episodes >= this.o.maxEpisodes || this.o.everyMs === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : Math.max(ts + 1, this.start + this.o.everyMs * this.rng.uniform(0.75, 1.25));
  }

  afterStep(): void {}
  onFill(): void {}
}

/**
 * A benign look-alike in the normal flow (not labelled): a market maker that, about every 2 minutes,
 * quotes both touches with 3 x the median size for 5 to 15 s, re-quoting (cancel and re-add at the new
 * touch) when the touch has moved from its quote, at most once a second, and re-quoting a filled side.
 * Its large near-touch orders are often cancelled without execution, like a spoofer's, but it
 * quotes both sides and does not trade against its own quotes.
 */
export class MarketMakerAgent implements ScenarioAgent {
  readonly kind = 'market-maker' as const;
  owner = 0;
  nextTs: number;
  watching = false;
  private bid = NaN;
  private ask = NaN;
  private until = 0;
  private lastQuote = 0;

  constructor(
    private readonly rng: Random,
    sessionStartMs: number,
  ) {
    this.nextTs = sessionStartMs + rng.exponential(1 / 120_000);
  }

  act(ctx: SimulatorContext, ts: number): void {
    if (!this.watching) {
      this.watching = true;
      this.until = ts + this.rng.uniform(5000, 15_000);
      this.quote(ctx, ts, 1);
      this.quote(ctx, ts, -1);
      this.nextTs = this.until;
      return;
    }
    this.pull(ctx, 1);
    this.pull(ctx, -1);
    this.watching = false;
    this.nextTs = ts + this.rng.exponential(1 / 120_000);
  }

  private quote(ctx: SimulatorContext, ts: number, side: number): void {
    this.pull(ctx, side);
    const touch = ctx.bestTick(side);
    if (touch < 0 || ctx.isSuppressed(side, touch)) return;
    const id = ctx.limit(this.owner, side, touch, Math.max(1, Math.round(3 * ctx.medianOrderSize)), false);
    if (side === 1) this.bid = id;
    else this.ask = id;
    this.lastQuote = ts;
  }

  private pull(ctx: SimulatorContext, side: number): void {
    const id = side === 1 ? this.bid : this.ask;
    if (id === id && ctx.isLive(id)) ctx.cancel(id);
    if (side === 1) this.bid = NaN;
    else this.ask = NaN;
  }

  afterStep(ctx: SimulatorContext, ts: number): void {
    if (ts - this.lastQuote < 1000) return;
    this.check(ctx, ts, 1);
    this.check(ctx, ts, -1);
  }

  private check(ctx: SimulatorContext, ts: number, side: number): void {
    const id = side === 1 ? this.bid : this.ask;
    if (!(id === id) || !ctx.isLive(id) || ctx.orderTick(id) !== ctx.bestTick(side)) this.quote(ctx, ts, side);
  }

  onFill(): void {}
}
