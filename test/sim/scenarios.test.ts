/**
 * Each scenario's pattern is there in the raw events, checked without any detector: from the order,
 * trade and book events of a session and its labels alone.
 */
import { describe, expect, it } from 'vitest';
import { BookIssue, BookValidator } from '../../src/book/validator.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import type { BookSnapshot, MarketEvent } from '../../src/core/events.js';
import { MarketSimulator, type MarketSimulatorOptions } from '../../src/sim/market-simulator.js';
import { CORRUPT_ISSUES, DEFAULT_SCENARIO_OPTIONS, resolveScenario, SCENARIO_KINDS, type ScenarioLabel, type ScenarioOptions } from '../../src/sim/scenarios.js';
import { checkSession, collect, fingerprint, midOf, steps, type Step } from './helpers.js';

const TICK = 0.01;
const MEDIAN = 100;

interface Session {
  sim: MarketSimulator;
  events: MarketEvent[];
  steps: Step[];
  labels: ScenarioLabel[];
  adds: Map<number, { step: Step; before: BookSnapshot | null }>;
  executed: Map<number, Step[]>;
  deleted: Map<number, Step>;
}

function session(options: MarketSimulatorOptions, durationMs: number): Session {
  const sim = new MarketSimulator(options);
  const events = collect(sim, durationMs);
  const all = steps(events);
  const adds = new Map<number, { step: Step; before: BookSnapshot | null }>();
  const executed = new Map<number, Step[]>();
  const deleted = new Map<number, Step>();
  all.forEach((s, i) => {
    const o = s.order;
    if (o.kind === 'add') adds.set(o.orderId, { step: s, before: i > 0 ? all[i - 1]!.book : null });
    else if (o.kind === 'execute') executed.set(o.orderId, [...(executed.get(o.orderId) ?? []), s]);
    else if (o.kind === 'delete') deleted.set(o.orderId, s);
  });
  return { sim, events, steps: all, labels: sim.labels(), adds, executed, deleted };
}

/** Ticks between a price and the same side's best price of a book (>= 0 behind the touch). */
function ticksBehind(price: number, side: number, book: BookSnapshot): number {
  const best = side === 1 ? book.bidPx[0]! : book.askPx[0]!;
  return Math.round(((best - price) * side) / TICK);
}

function booksIn(s: Session, from: number, to: number): BookSnapshot[] {
  return s.steps.filter((x) => x.book !== null && x.book.ts >= from && x.book.ts <= to).map((x) => x.book!);
}

function bookBefore(s: Session, ts: number): BookSnapshot {
  const prior = s.steps.filter((x) => x.order.ts < ts);
  return prior[prior.length - 1]!.book!;
}

/** Aggressive trades of a label's orders. */
function labelTrades(s: Session, label: ScenarioLabel): Step[] {
  const ids = new Set(label.orderIds);
  return s.steps.filter((x) => x.trade !== null && ids.has(x.trade.id!));
}

function expectWellFormed(labels: ScenarioLabel[], sim: MarketSimulator, durationMs: number): void {
  for (const l of labels) {
    expect(l.startMs).toBeGreaterThanOrEqual(sim.startMs);
    expect(l.endMs).toBeGreaterThanOrEqual(l.startMs);
    expect(l.startMs).toBeLessThanOrEqual(sim.startMs + durationMs);
    expect([-1, 0, 1]).toContain(l.side);
  }
}

describe('scenarios: options', () => {
  it('resolves a kind to its defaults, and validates options with typed errors', () => {
    expect(resolveScenario('spoofing')).toMatchObject({ kind: 'spoofing', ...DEFAULT_SCENARIO_OPTIONS.spoofing, issues: CORRUPT_ISSUES });
    expect(resolveScenario({ kind: 'iceberg', strength: 2, side: -1 })).toMatchObject({ strength: 2, side: -1, durationMs: 60_000 });
    const bad: Array<[unknown, RegExp]> = [
      ['teleport', /kind/],
      [{ kind: 'spoofing', side: 0 }, /side/],
      [{ kind: 'spoofing', side: 2 }, /side/],
      [{ kind: 'spoofing', strength: 0 }, /strength/],
      [{ kind: 'spoofing', everyMs: 0 }, /everyMs/],
      [{ kind: 'spoofing', durationMs: -1 }, /durationMs/],
      [{ kind: 'spoofing', maxEpisodes: 1.5 }, /maxEpisodes/],
      [{ kind: 'corrupt-data', issues: ['gremlins'] }, /issues/],
      [{ kind: 'corrupt-data', issues: [] }, /issues/],
      [{ kind: 'spoofing', speed: 3 }, /speed/],
      [null, /scenarios/],
    ];
    for (const [spec, message] of bad) {
      expect(() => resolveScenario(spec as never)).toThrow(InvalidOptionError);
      expect(() => resolveScenario(spec as never)).toThrow(message);
    }
    expect(SCENARIO_KINDS).toHaveLength(12);
  });

  it('schedules episodes: the first at firstAfterMs, then everyMs x [0.75, 1.25] apart, at most maxEpisodes', () => {
    const spec: ScenarioOptions = { kind: 'quote-stuffing', firstAfterMs: 10_000, everyMs: 20_000, durationMs: 500, side: 1 };
    const s = session({ seed: 1, scenarios: [spec] }, 120_000);
    const starts = s.labels.map((l) => l.startMs - s.sim.startMs);
    expect(starts[0]).toBe(10_000);
    for (let i = 1; i < starts.length; i++) {
      expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(15_000);
      expect(starts[i]! - starts[i - 1]!).toBeLessThanOrEqual(25_000);
    }
    expect(starts.length).toBeGreaterThanOrEqual(5);
    expect(s.labels.every((l) => l.side === 1)).toBe(true);
    const capped = session({ seed: 1, scenarios: [{ ...spec, maxEpisodes: 2 }] }, 120_000);
    expect(capped.labels).toHaveLength(2);
    expect(session({ seed: 1, scenarios: [{ ...spec, maxEpisodes: 0 }] }, 60_000).labels).toHaveLength(0);
  });

  it('is deterministic with scenarios, and labels come back as copies', () => {
    const opts = { seed: 3, scenarios: ['spoofing', 'iceberg', 'corrupt-data'] as const };
    const a = new MarketSimulator({ ...opts, scenarios: [...opts.scenarios] });
    const b = new MarketSimulator({ ...opts, scenarios: [...opts.scenarios] });
    expect(fingerprint(a.events(240_000))).toBe(fingerprint(b.events(240_000)));
    expect(a.labels()).toEqual(b.labels());
    const l = a.labels();
    l[0]!.orderIds.push(-1);
    expect(a.labels()[0]!.orderIds).not.toContain(-1);
  });
});

describe('scenarios: the injected patterns, in the raw events', () => {
  it('normal: no labels; benign look-alikes occur, sparingly: large near-touch orders cancelled unexecuted, partial fills, partial cancels', () => {
    const s = session({ seed: 2, scenarios: ['normal'] }, 1_800_000);
    expect(s.labels).toEqual([]);
    let largeNearUnexecuted = 0;
    let spoofSized = 0;
    for (const [id, { step, before }] of s.adds) {
      const o = step.order;
      if (o.size >= 10 * MEDIAN) spoofSized++;
      if (before === null || o.size < 3 * MEDIAN) continue;
      if (ticksBehind(o.price, o.side, before) <= 1 && s.deleted.has(id) && !s.executed.has(id)) largeNearUnexecuted++;
    }
    const partialFills = [...s.executed.values()].filter((ex) => ex[0]!.order.size < s.adds.get(ex[0]!.order.orderId)!.step.order.size).length;
    const partialCancels = s.steps.filter((x) => x.order.kind === 'cancel').length;
    expect(largeNearUnexecuted).toBeGreaterThan(0);
    expect(largeNearUnexecuted / s.adds.size).toBeLessThan(0.02);
    // no background order is as large as a spoofed one (background sizes stop at 8 x the median)
    expect(spoofSized).toBe(0);
    expect(partialFills).toBeGreaterThan(10);
    expect(partialCancels).toBeGreaterThan(10);
  });

  it('spoofing: the spoofed orders are large, near the touch, cancelled without execution, while a small order trades on the other side', () => {
    for (const seed of [1, 2]) {
      const s = session({ seed, scenarios: ['spoofing'] }, 700_000);
      expectWellFormed(s.labels, s.sim, 700_000);
      expect(s.labels.length).toBeGreaterThanOrEqual(2);
      for (const l of s.labels) {
        const spoofs = l.orderIds.filter((id) => s.adds.has(id));
        expect(spoofs.length).toBeGreaterThanOrEqual(1);
        for (const id of spoofs) {
          const { step, before } = s.adds.get(id)!;
          expect(step.order.side).toBe(l.side);
          expect(step.order.size).toBeGreaterThanOrEqual(10 * MEDIAN);
          expect(ticksBehind(step.order.price, step.order.side, before!)).toBeGreaterThanOrEqual(0);
          expect(ticksBehind(step.order.price, step.order.side, before!)).toBeLessThanOrEqual(1);
          expect(s.executed.has(id)).toBe(false);
          const del = s.deleted.get(id)!;
          expect(del.order.size).toBe(step.order.size);
          expect(del.order.ts - step.order.ts).toBeLessThanOrEqual(2000);
          expect(del.order.ts).toBeLessThanOrEqual(l.endMs);
        }
        expect(s.adds.get(spoofs[0]!)!.step.order.ts).toBe(l.startMs);
        // the genuine orders: aggressive, on the other side, small
        for (const t of labelTrades(s, l)) {
          expect(t.trade!.side).toBe(-l.side);
          expect(t.trade!.ts).toBeGreaterThanOrEqual(l.startMs);
          expect(t.trade!.ts).toBeLessThanOrEqual(l.endMs);
        }
      }
      expect(s.labels.some((l) => labelTrades(s, l).length > 0)).toBe(true);
    }
  });

  it('layering: several large orders stacked on consecutive ticks behind the touch at once, all cancelled together, none executed', () => {
    for (const seed of [1, 2, 3]) {
      const s = session({ seed, scenarios: ['layering'] }, 400_000);
      expect(s.labels.length).toBeGreaterThanOrEqual(1);
      for (const l of s.labels) {
        const layers = l.orderIds.filter((id) => s.adds.has(id)).map((id) => s.adds.get(id)!);
        expect(layers.length).toBe(5); // 3 + 2 x strength 1
        const ts = layers[0]!.step.order.ts;
        const before = layers[0]!.before!;
        layers.forEach(({ step }, k) => {
          expect(step.order).toMatchObject({ ts, side: l.side, size: 5 * MEDIAN });
          expect(ticksBehind(step.order.price, l.side, before)).toBe(k + 1);
          expect(s.executed.has(step.order.orderId)).toBe(false);
        });
        const dels = layers.map(({ step }) => s.deleted.get(step.order.orderId)!.order.ts);
        expect(Math.max(...dels) - Math.min(...dels)).toBeLessThanOrEqual(25);
        expect(Math.max(...dels)).toBe(l.endMs);
      }
    }
  });

  it('quote stuffing: hundreds of small orders a second at one price, each cancelled within 3 ms, far above the background message rate', () => {
    const s = session({ seed: 4, scenarios: ['quote-stuffing'] }, 400_000);
    expect(s.labels.length).toBe(2);
    let inWindows = 0;
    let windowMs = 0;
    for (const l of s.labels) {
      const prices = new Set<number>();
      for (const id of l.orderIds) {
        const add = s.adds.get(id)!.step.order;
        prices.add(add.price);
        expect(add.size).toBeLessThanOrEqual(100);
        expect(add.side).toBe(l.side);
        expect(s.executed.has(id)).toBe(false);
        const life = s.deleted.get(id)!.order.ts - add.ts;
        expect(life).toBeGreaterThanOrEqual(1);
        expect(life).toBeLessThanOrEqual(3);
      }
      expect(prices.size).toBe(1);
      const rate = (2 * l.orderIds.length) / ((l.endMs - l.startMs) / 1000);
      expect(rate).toBeGreaterThan(250);
      inWindows += s.steps.filter((x) => x.order.ts >= l.startMs && x.order.ts <= l.endMs).length;
      windowMs += l.endMs - l.startMs;
    }
    const background = (s.steps.length - inWindows) / ((400_000 - windowMs) / 1000);
    const stuffed = inWindows / (windowMs / 1000);
    expect(stuffed / background).toBeGreaterThan(5);
  });

  it('momentum ignition: a burst of aggressive orders one way moves the price, followers extend it, the unwind reverses it', () => {
    for (const seed of [1, 2, 3, 4]) {
      const s = session({ seed, scenarios: ['momentum-ignition'] }, 200_000);
      const [l] = s.labels;
      expect(l).toBeDefined();
      const trades = labelTrades(s, l!);
      const burst = new Set(trades.filter((t) => t.trade!.side === l!.side).map((t) => t.trade!.id));
      const unwind = new Set(trades.filter((t) => t.trade!.side === -l!.side).map((t) => t.trade!.id));
      expect(burst.size).toBe(6); // 4 + 2 x strength 1
      expect(unwind.size).toBe(2);
      // the burst comes first, within about a second; the unwind last
      const burstEnd = Math.max(...trades.filter((t) => burst.has(t.trade!.id)).map((t) => t.order.ts));
      expect(burstEnd - l!.startMs).toBeLessThanOrEqual(1200);
      expect(Math.min(...trades.filter((t) => unwind.has(t.trade!.id)).map((t) => t.order.ts))).toBeGreaterThan(burstEnd);
      const m0 = midOf(bookBefore(s, l!.startMs));
      const mids = booksIn(s, l!.startMs, l!.endMs).map(midOf).filter((m) => m === m);
      const excursion = Math.max(...mids.map((m) => (m - m0) * l!.side));
      expect(excursion).toBeGreaterThanOrEqual(4 * TICK);
      // reversal: the price ends the episode short of its furthest point
      const end = midOf(booksIn(s, l!.endMs, l!.endMs).pop()!);
      expect((m0 + excursion * l!.side - end) * l!.side).toBeGreaterThan(0);
    }
  });

  it('wash trading: round trips of two prints, same size and price, opposite aggressor sides, both sides of each the same trader, inside the spread', () => {
    const s = session({ seed: 5, scenarios: ['wash-trading'] }, 500_000);
    expect(s.labels.length).toBeGreaterThanOrEqual(1);
    let trips = 0;
    for (const l of s.labels) {
      expect(l.side).toBe(0);
      expect(l.orderIds.length % 4).toBe(0);
      for (let k = 0; k < l.orderIds.length; k += 4) {
        const [a, b, c, d] = l.orderIds.slice(k, k + 4) as [number, number, number, number];
        const sell = s.adds.get(a)!;
        const buy = s.adds.get(c)!;
        const first = s.executed.get(a)!;
        const second = s.executed.get(c)!;
        expect([first.length, second.length]).toEqual([1, 1]);
        expect(first[0]!.trade).toMatchObject({ id: b, side: 1, size: sell.step.order.size, price: sell.step.order.price });
        expect(second[0]!.trade).toMatchObject({ id: d, side: -1, size: buy.step.order.size, price: buy.step.order.price });
        expect(buy.step.order.price).toBe(sell.step.order.price);
        expect(buy.step.order.size).toBe(sell.step.order.size);
        expect(new Set([sell.step.order.ts, buy.step.order.ts, first[0]!.order.ts, second[0]!.order.ts]).size).toBe(1);
        const spread = sell.before!;
        expect(sell.step.order.price).toBeGreaterThan(spread.bidPx[0]!);
        expect(sell.step.order.price).toBeLessThan(spread.askPx[0]!);
        trips++;
      }
    }
    expect(trips).toBeGreaterThanOrEqual(3);
  });

  it('iceberg: clips of one size at one price, each added the moment the previous one is fully executed', () => {
    let longest = 0;
    for (const seed of [1, 2, 3]) {
      const s = session({ seed, scenarios: ['iceberg'] }, 300_000);
      for (const l of s.labels) {
        const clips = l.orderIds.map((id) => s.adds.get(id)!.step);
        const price = clips[0]!.order.price;
        for (const c of clips) expect([c.order.price, c.order.side]).toEqual([price, l.side]);
        clips.slice(0, -1).forEach((c) => expect(c.order.size).toBe(MEDIAN));
        for (let k = 1; k < clips.length; k++) {
          const prev = s.executed.get(clips[k - 1]!.order.orderId)!;
          const last = prev[prev.length - 1]!;
          // the previous clip was executed in full, and the refill follows at the same time stamp
          expect(prev.reduce((a, x) => a + x.order.size, 0)).toBe(clips[k - 1]!.order.size);
          expect(clips[k]!.order.ts).toBe(last.order.ts);
          expect(clips[k]!.index).toBeGreaterThan(last.index);
        }
        longest = Math.max(longest, clips.length);
      }
    }
    expect(longest).toBeGreaterThanOrEqual(3);
  });

  it('flash crash: the mid falls far more within seconds than the normal flow ever does, on sell-initiated prints, then rebounds', () => {
    for (const seed of [1, 2]) {
      const crash = session({ seed, scenarios: ['flash-crash'] }, 240_000);
      const normal = session({ seed, scenarios: [] }, 240_000);
      const [l] = crash.labels;
      expect(l!.side).toBe(-1);
      // the worst 3 s fall of the mid in the normal session
      const ms = normal.steps.filter((x) => x.book !== null).map((x) => [x.order.ts, midOf(x.book!)] as const).filter(([, m]) => m === m);
      let worst = 0;
      for (let i = 0, j = 0; i < ms.length; i++) {
        while (ms[j]![0] < ms[i]![0] - 3000) j++;
        for (let k = j; k < i; k++) worst = Math.max(worst, ms[k]![1] - ms[i]![1]);
      }
      const m0 = midOf(bookBefore(crash, l!.startMs));
      const inCrash = booksIn(crash, l!.startMs, l!.startMs + DEFAULT_SCENARIO_OPTIONS['flash-crash'].durationMs * 1.3).map(midOf).filter((m) => m === m);
      const low = Math.min(...inCrash);
      expect(m0 - low).toBeGreaterThanOrEqual(15 * TICK);
      expect(m0 - low).toBeGreaterThan(3 * worst);
      const aggressive = labelTrades(crash, l!);
      expect(aggressive.length).toBeGreaterThan(10);
      expect(aggressive.every((t) => t.trade!.side === -1)).toBe(true);
      const end = midOf(booksIn(crash, l!.endMs - 1000, l!.endMs).filter((b) => midOf(b) === midOf(b)).pop()!);
      expect(end).toBeGreaterThan(low);
    }
  });

  it('liquidity crisis: background orders near the touch are cancelled within a second, and the depth stays under 60% of what it was', () => {
    for (const seed of [1, 2, 3]) {
      const s = session({ seed, scenarios: ['liquidity-crisis'] }, 240_000);
      const [l] = s.labels;
      expect(l!.side).toBe(0);
      expect(l!.orderIds.length).toBeGreaterThan(5);
      for (const id of l!.orderIds) {
        const del = s.deleted.get(id)!;
        expect(del.order.ts - l!.startMs).toBeLessThanOrEqual(1000);
      }
      const depth = (b: BookSnapshot) => {
        let d = 0;
        for (let i = 0; i < 10; i++) d += b.bidSz[i]! + b.askSz[i]!;
        return d;
      };
      const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
      const before = mean(booksIn(s, l!.startMs - 60_000, l!.startMs - 1).map(depth));
      const late = mean(booksIn(s, (l!.startMs + l!.endMs) / 2, l!.endMs).map(depth));
      expect(late / before).toBeLessThan(0.6);
    }
  });

  it('liquidity gap: the top three ticks of one side empty at once and no order is added there during the episode', () => {
    for (const seed of [1, 2, 3]) {
      const s = session({ seed, scenarios: ['liquidity-gap'] }, 220_000);
      const [l] = s.labels;
      const side = l!.side;
      const before = bookBefore(s, l!.startMs);
      const touch = side === 1 ? before.bidPx[0]! : before.askPx[0]!;
      const after = booksIn(s, l!.startMs, l!.startMs).pop()!;
      const best = side === 1 ? after.bidPx[0]! : after.askPx[0]!;
      expect(Math.round(((touch - best) * side) / TICK)).toBeGreaterThanOrEqual(3);
      const band = (p: number) => {
        const k = Math.round(((touch - p) * side) / TICK);
        return k >= 0 && k <= 2;
      };
      const intoBand = s.steps.filter((x) => x.order.kind === 'add' && x.order.side === side && x.order.ts > l!.startMs && x.order.ts < l!.endMs && band(x.order.price));
      expect(intoBand).toEqual([]);
      expect(l!.orderIds.every((id) => s.deleted.get(id)?.order.ts === l!.startMs)).toBe(true);
    }
  });

  it('imbalance: the depth of one side dominates the top five levels during the episode, not before', () => {
    for (const seed of [1, 2, 3, 4]) {
      const s = session({ seed, scenarios: ['imbalance'] }, 260_000);
      const [l] = s.labels;
      const obi = (b: BookSnapshot) => {
        let bid = 0;
        let ask = 0;
        for (let i = 0; i < 5; i++) {
          bid += b.bidSz[i]!;
          ask += b.askSz[i]!;
        }
        return (bid - ask) / (bid + ask);
      };
      const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
      const inside = mean(booksIn(s, l!.startMs, l!.endMs).map(obi));
      const before = mean(booksIn(s, s.sim.startMs + 10_000, l!.startMs - 1).map(obi));
      expect(inside * l!.side).toBeGreaterThan(0.3);
      expect(Math.abs(before)).toBeLessThan(0.15);
      expect(l!.orderIds.every((id) => s.adds.get(id)!.step.order.side === l!.side)).toBe(true);
    }
  });

  it('corrupt data: each corrupted book is flagged by the BookValidator with its issue; every other book is clean', () => {
    const s = session({ seed: 6, scenarios: ['corrupt-data'] }, 300_000);
    expect(s.labels.map((l) => l.issue)).toEqual(['nan', 'negative-size', 'crossed', 'time-backwards', 'nan']);
    const bit = { nan: BookIssue.NonFinite, 'negative-size': BookIssue.NegativeSize, crossed: BookIssue.Crossed, 'time-backwards': BookIssue.TimeBackwards };
    const byIndex = new Map(s.labels.map((l) => [l.messageIndex!, l]));
    const v = new BookValidator();
    for (const x of s.steps) {
      const flags = v.validate(x.book!);
      const l = byIndex.get(x.index);
      if (l === undefined) expect(flags).toBe(0);
      else {
        expect(flags).toBe(bit[l.issue!]);
        expect([l.startMs, l.endMs, l.side, l.orderIds]).toEqual([x.order.ts, x.order.ts, 0, []]);
      }
    }
    // the simulator's own book stays clean: the stream without the corrupted books is consistent
    checkSession(s.events, 10, TICK, new Set(byIndex.keys()));
  });

  it('corrupt data: one-sided books at the start of an empty session are corrupted and flagged too', () => {
    const bit = { nan: BookIssue.NonFinite, 'negative-size': BookIssue.NegativeSize, crossed: BookIssue.Crossed, 'time-backwards': BookIssue.TimeBackwards };
    let oneSided = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const s = session({ seed, initialOrdersPerLevel: 0, scenarios: [{ kind: 'corrupt-data', firstAfterMs: 0, strength: 4, maxEpisodes: 1 }] }, 3_000);
      expect(s.labels.map((l) => [l.issue, l.messageIndex])).toEqual([
        ['nan', 0],
        ['negative-size', 1],
        ['crossed', 2],
        ['time-backwards', 3],
      ]);
      const v = new BookValidator();
      s.steps.slice(0, 4).forEach((x, i) => {
        if (x.book!.bidLevels === 0 || x.book!.askLevels === 0) oneSided++;
        expect(v.validate(x.book!) & bit[s.labels[i]!.issue!]).not.toBe(0);
      });
    }
    expect(oneSided).toBeGreaterThan(0);
  });

  it('all scenarios compose in one session: every kind is labelled and the event stream stays consistent', () => {
    const kinds = SCENARIO_KINDS.filter((k) => k !== 'normal');
    const s = session({ seed: 7, scenarios: kinds }, 600_000);
    expect(new Set(s.labels.map((l) => l.kind))).toEqual(new Set(kinds));
    expectWellFormed(s.labels, s.sim, 600_000);
    const corrupted = new Set(s.labels.filter((l) => l.kind === 'corrupt-data').map((l) => l.messageIndex!));
    checkSession(s.events, 10, TICK, corrupted);
  });

  it('strength scales an episode: spoofed orders twice as large at strength 2', () => {
    const s = session({ seed: 1, scenarios: [{ kind: 'spoofing', strength: 2, maxEpisodes: 1, side: -1 }] }, 70_000);
    const [l] = s.labels;
    expect(l!.side).toBe(-1);
    const spoofs = l!.orderIds.filter((id) => s.adds.has(id));
    expect(spoofs.map((id) => s.adds.get(id)!.step.order.size).every((size) => size === 2000)).toBe(true);
  });
});
