/**
 * Drives the trade operators over a LOBSTER day the way the reference README defines its figures, and
 * collects what the reference JSON reports. Shared by the tiny (200-row) and the full dev-day tests.
 *
 * For each row: a trade (types 4, 5) meets the operators first, so it is classified against the book
 * state before it (row n-1, quote lag 0); then the row's book (the state after the message) is fed.
 */
import { expect, it } from 'vitest';
import type { Trade } from '../../src/core/events.js';
import { readLobster } from '../../src/replay/lobster.js';
import { Amihud } from '../../src/trades/amihud.js';
import { Clnv } from '../../src/trades/clnv.js';
import { EffectiveSpread } from '../../src/trades/effective-spread.js';
import { Emo } from '../../src/trades/emo.js';
import { KyleLambda } from '../../src/trades/kyle-lambda.js';
import { LeeReady } from '../../src/trades/lee-ready.js';
import { QuoteRule } from '../../src/trades/quote-rule.js';
import { RealizedSpread } from '../../src/trades/realized-spread.js';
import { RollSpread } from '../../src/trades/roll-spread.js';
import { TickRule } from '../../src/trades/tick-rule.js';
import { Vpin, type VpinOptions } from '../../src/trades/vpin.js';
import { relClose } from '../support/shared-data.js';

/** Per-trade intermediates, as in the reference's `first_trades`. */
export interface TradeRecord {
  row: number;
  type: number;
  price: number;
  size: number;
  trueSide: number;
  midBefore: number;
  quoteSide: number;
  tickSide: number;
  leeReady: number;
  effectiveTrue: number;
  /** Realized spread (true side), filled in when the trade resolves. */
  realizedTrue: number;
}

/** Accuracy counters of one classifier over one trade group. */
export interface Accuracy {
  n: number;
  leeReady: number;
  tick: number;
  emo: number;
  clnv: number;
  byQuote: number;
}

/** A VPIN run's per-bucket output. */
export interface VpinRun {
  op: Vpin;
  ois: number[];
  vpins: number[];
}

export interface ReferenceRun {
  rows: number;
  trades: TradeRecord[];
  accuracy: { all: Accuracy; type4: Accuracy; type5: Accuracy };
  volume: number;
  realizedTrue: RealizedSpread;
  realizedLeeReady: RealizedSpread;
  effectiveType4: EffectiveSpread;
  effectiveType5: EffectiveSpread;
  vpin: Record<'bvc' | 'trueSign' | 'bvcFine' | 'trueSignFine' | 'bvcStreaming', VpinRun>;
  kyle: KyleLambda;
  roll: RollSpread;
  amihud: Amihud;
}

function emptyAccuracy(): Accuracy {
  return { n: 0, leeReady: 0, tick: 0, emo: 0, clnv: 0, byQuote: 0 };
}

function vpinRun(options: VpinOptions): VpinRun {
  const run: VpinRun = { op: undefined as unknown as Vpin, ois: [], vpins: [] };
  run.op = new Vpin({
    ...options,
    onBucket: (_k, oi, v) => {
      run.ois.push(oi);
      run.vpins.push(v);
    },
  });
  return run;
}

/**
 * Run every operator over a LOBSTER message file.
 * @param dailyVolume the day's traded volume (types 4 + 5), as the reference's V = total / B needs it
 * @param sigma the day's sigma of 1-minute bar changes for the fixed-sigma BVC runs (undefined: streaming)
 */
export async function runReference(messageFile: string, dailyVolume: number, sigma: number | undefined): Promise<ReferenceRun> {
  const leeReady = new LeeReady();
  const quoteRule = new QuoteRule();
  const tick = new TickRule();
  const emo = new Emo();
  const clnv = new Clnv();
  const trades: TradeRecord[] = [];
  const realizedTrue = new RealizedSpread({
    horizonMs: 5000,
    onResolved: (_ts, realized) => {
      pendingRecords[resolvedCursor++]!.realizedTrue = realized;
    },
  });
  const pendingRecords: TradeRecord[] = [];
  let resolvedCursor = 0;
  const realizedLeeReady = new RealizedSpread({ horizonMs: 5000 });
  const effectiveType4 = new EffectiveSpread();
  const effectiveType5 = new EffectiveSpread();
  const fixed = sigma === undefined ? {} : { sigma };
  const vpin = {
    bvc: vpinRun({ dailyVolume, bucketsPerDay: 50, window: 50, ...fixed }),
    trueSign: vpinRun({ dailyVolume, bucketsPerDay: 50, window: 50, classification: 'given' }),
    bvcFine: vpinRun({ dailyVolume, bucketsPerDay: 500, window: 50, ...fixed }),
    trueSignFine: vpinRun({ dailyVolume, bucketsPerDay: 500, window: 50, classification: 'given' }),
    bvcStreaming: vpinRun({ dailyVolume, bucketsPerDay: 50, window: 50 }),
  };
  const vpins = Object.values(vpin).map((r) => r.op);
  const kyle = new KyleLambda({ bucketMs: 300_000, originMs: 34_200_000 });
  const roll = new RollSpread();
  const amihud = new Amihud({ bucketMs: 300_000, originMs: 34_200_000 });
  const accuracy = { all: emptyAccuracy(), type4: emptyAccuracy(), type5: emptyAccuracy() };
  let volume = 0;
  let rows = 0;
  let prevBid = NaN;
  let prevAsk = NaN;

  for await (const row of readLobster(messageFile)) {
    rows++;
    const trade: Trade | null = row.type === 4 || row.type === 5 ? row.trade : null;
    if (trade !== null) {
      const trueSide = trade.side!;
      volume += trade.size;
      const lr = leeReady.update(trade);
      const qs = quoteRule.update(trade);
      const ts = tick.update(trade);
      const e = emo.update(trade);
      const c = clnv.update(trade);
      const effTrue = realizedTrue.update(trade, trueSide);
      realizedLeeReady.update(trade, lr);
      (row.type === 4 ? effectiveType4 : effectiveType5).update(trade, trueSide);
      for (const v of vpins) v.update(trade);
      kyle.update(trade, trueSide);
      roll.update(trade);
      amihud.update(trade);
      const record: TradeRecord = {
        row: row.index,
        type: row.type,
        price: trade.price,
        size: trade.size,
        trueSide,
        midBefore: (prevBid + prevAsk) / 2,
        quoteSide: qs,
        tickSide: ts,
        leeReady: lr,
        effectiveTrue: effTrue,
        realizedTrue: NaN,
      };
      trades.push(record);
      if (!Number.isNaN(effTrue)) pendingRecords.push(record);
      for (const group of [accuracy.all, row.type === 4 ? accuracy.type4 : accuracy.type5]) {
        group.n++;
        if (lr === trueSide) group.leeReady++;
        if (ts === trueSide) group.tick++;
        if (e === trueSide) group.emo++;
        if (c === trueSide) group.clnv++;
        if (qs !== 0) group.byQuote++;
      }
    }
    const book = row.book;
    leeReady.onBook(book);
    quoteRule.onBook(book);
    emo.onBook(book);
    clnv.onBook(book);
    realizedTrue.onBook(book);
    realizedLeeReady.onBook(book);
    effectiveType4.onBook(book);
    effectiveType5.onBook(book);
    for (const v of vpins) v.onBook(book);
    kyle.onBook(book);
    prevBid = book.bidPx[0]!;
    prevAsk = book.askPx[0]!;
  }
  realizedTrue.flush();
  realizedLeeReady.flush();
  for (const v of vpins) v.flush();
  kyle.flush();
  amihud.flush();
  return {
    rows,
    trades,
    accuracy,
    volume,
    realizedTrue,
    realizedLeeReady,
    effectiveType4,
    effectiveType5,
    vpin,
    kyle,
    roll,
    amihud,
  };
}

/** The reference's rolling statistics of a VPIN series: over k = n..K when K >= n, else all. */
export function rollingStats(vpins: readonly number[], window: number): { mean: number; max: number; min: number; points: number } {
  const from = vpins.length >= window ? window - 1 : 0;
  const xs = vpins.slice(from);
  return {
    mean: xs.reduce((a, b) => a + b, 0) / xs.length,
    max: Math.max(...xs),
    min: Math.min(...xs),
    points: xs.length,
  };
}

/** `actual` close to `expected` (relative `tol`); a reference null (NaN, infinities) expects NaN. */
export function expectClose(actual: number, expected: number | null, tol: number, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNaN();
    return;
  }
  if (!relClose(actual, expected, tol)) {
    expect.fail(`${what}: ${actual} is not within ${tol} (relative) of the reference ${expected}`);
  }
}

/**
 * Register the comparisons of a run with a reference JSON (GOOG_10.json or GOOG_10_tiny200.json).
 * `getRun` returns the run (computed once, in a `beforeAll`).
 */
export function referenceTests(getRun: () => ReferenceRun, ref: any): void {
  const SUMS = 1e-9; // sums and means of book quantities (README: 1e-9)
  const REG = 1e-6; // regressions and VPIN (README: 1e-6)

  it('sees the reference counts: rows, trades, traded volume', () => {
    const run = getRun();
    expect(run.rows).toBe(ref.counts.rows);
    expect(run.trades.length).toBe(ref.counts.trades);
    expect(run.volume).toBe(ref.counts.volume);
  });

  it('reproduces the first trades event by event (mid before, quote/tick/Lee-Ready sides, effective and realized spread)', () => {
    const run = getRun();
    for (const t of ref.trades.first_trades) {
      const mine = run.trades.find((r) => r.row === t.row)!;
      const at = `row ${t.row}`;
      expect(mine, at).toBeDefined();
      expect(mine.trueSide, at).toBe(t.true_side);
      expect(mine.quoteSide, `${at} quote side`).toBe(t.quote_side);
      expect(mine.tickSide, `${at} tick side`).toBe(t.tick_side);
      expect(mine.leeReady, `${at} Lee-Ready`).toBe(t.lee_ready);
      expectClose(mine.midBefore, t.mid_before, 1e-15, `${at} mid before`);
      expectClose(mine.effectiveTrue, t.effective_bps_true, SUMS, `${at} effective spread`);
      // The reference's realized spread of this trade, from its own intermediates.
      const realized = t.mid_before === null ? null : ((2 * t.true_side * (t.price / 1e4 - t.mid_5s)) / t.mid_before) * 1e4;
      expectClose(mine.realizedTrue, realized, SUMS, `${at} realized spread`);
    }
  });

  for (const group of ['all', 'type4', 'type5'] as const) {
    it(`classifies like the reference (${group}): Lee-Ready and tick-rule accuracy, quote-rule share`, () => {
      const acc = getRun().accuracy[group];
      const r = ref.trades.classification[group];
      expect(acc.n).toBe(r.n);
      expect(acc.leeReady / acc.n).toBe(r.lee_ready_accuracy);
      expect(acc.tick / acc.n).toBe(r.tick_rule_accuracy);
      expect(acc.byQuote / acc.n).toBe(r.quote_rule_share);
    });
  }

  for (const [name, key] of [['true side', 'true_side'], ['Lee-Ready side', 'lee_ready_side']] as const) {
    it(`matches the reference effective and 5 s realized spreads with the ${name}`, () => {
      const run = getRun();
      const rs = key === 'true_side' ? run.realizedTrue : run.realizedLeeReady;
      const r = ref.trades.spreads[key];
      expect(rs.effectiveCount).toBe(r.effective_bps.n);
      expect(rs.noQuote).toBe(ref.counts.trades - r.effective_bps.n);
      expectClose(rs.effectiveMean, r.effective_bps.mean, SUMS, 'effective mean');
      expectClose(rs.effectiveVwMean, r.effective_bps.vw_mean, SUMS, 'effective vw mean');
      expectClose(rs.effectiveSum, r.effective_bps.sum, SUMS, 'effective sum');
      expect(rs.resolved).toBe(r.realized_5s_bps.n);
      expect(rs.pending).toBe(0);
      expectClose(rs.realizedMean, r.realized_5s_bps.mean, SUMS, 'realized mean');
      expectClose(rs.realizedVwMean, r.realized_5s_bps.vw_mean, SUMS, 'realized vw mean');
      expectClose(rs.realizedSum, r.realized_5s_bps.sum, SUMS, 'realized sum');
      expectClose(rs.impactMean, r.price_impact_5s_bps.mean, SUMS, 'price impact mean');
    });
  }

  it('matches the reference effective spread of visible (type 4) and hidden (type 5) executions', () => {
    const run = getRun();
    for (const [es, r] of [
      [run.effectiveType4, ref.trades.spreads.true_side_type4],
      [run.effectiveType5, ref.trades.spreads.true_side_type5],
    ] as const) {
      expect(es.count).toBe(r.n);
      expectClose(es.mean, r.effective_bps_mean, SUMS, 'mean');
      expectClose(es.vwMean, r.effective_bps_vw_mean, SUMS, 'vw mean');
    }
  });

  const variants = [
    ['vpin', 'bvc', 'bvc'],
    ['vpin', 'true_sign', 'trueSign'],
    ['vpin_fine', 'bvc', 'bvcFine'],
    ['vpin_fine', 'true_sign', 'trueSignFine'],
  ] as const;
  for (const [block, kind, runKey] of variants) {
    it(`matches the reference VPIN (${block}, ${kind === 'bvc' ? 'BVC with the fixed day sigma' : 'true signs'})`, () => {
      const run = getRun().vpin[runKey];
      const r = ref[block][kind];
      const window = ref[block].params.window;
      expect(run.op.buckets).toBe(r.buckets);
      expect(run.ois.length).toBe(r.buckets);
      expect(run.op.partialVolume).toBe(r.leftover_volume);
      r.oi_first5.forEach((oi: number, i: number) => expectClose(run.ois[i]!, oi, REG, `OI of bucket ${i + 1}`));
      expectClose(run.op.value, r.final, REG, 'final VPIN');
      expectClose(run.ois.reduce((a, b) => a + b, 0) / run.ois.length, r.oi_mean, REG, 'mean OI');
      const rolling = rollingStats(run.vpins, window);
      expect(rolling.points).toBe(r.rolling_points);
      expectClose(rolling.mean, r.rolling_mean, REG, 'rolling mean');
      expectClose(rolling.max, r.rolling_max, REG, 'rolling max');
      expectClose(rolling.min, r.rolling_min, REG, 'rolling min');
      if (kind === 'bvc') expect(run.op.bars).toBe(r.bars_used);
    });
  }

  it("matches the reference Kyle's lambda (5-minute buckets, true signs)", () => {
    const kyle = getRun().kyle;
    const r = ref.kyle_lambda;
    expect(kyle.n).toBe(r.n);
    expectClose(kyle.lambda, r.lambda, REG, 'lambda');
    expectClose(kyle.tStat, r.t_slope, REG, 't');
    expectClose(kyle.r2, r.r2, REG, 'R^2');
    expectClose(kyle.intercept, r.intercept, REG, 'intercept');
    expectClose(kyle.stdErr, r.se_slope, REG, 'standard error');
  });

  it("matches the reference Roll spread", () => {
    const roll = getRun().roll;
    const r = ref.roll;
    expect(roll.priceChanges).toBe(r.n_price_changes);
    expectClose(roll.cov, r.cov_dp, SUMS, 'cov');
    expectClose(roll.value, r.roll_spread_dollars, SUMS, 'roll ($)');
    expectClose(roll.bps, r.roll_spread_bps, SUMS, 'roll (bps)');
  });

  it('matches the reference Amihud illiquidity (5-minute buckets)', () => {
    const amihud = getRun().amihud;
    const r = ref.amihud;
    expect(amihud.buckets).toBe(r.buckets);
    expectClose(amihud.value, r.amihud_mean, SUMS, 'amihud');
    expectClose(amihud.dollarVolumeTotal, r.dollar_volume, SUMS, 'dollar volume');
  });
}
