import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { normalCdf } from '../../src/stats/normal-cdf.js';
import { Vpin, type VpinClassification, type VpinOptions } from '../../src/trades/vpin.js';
import { testOperatorContract } from '../support/contract.js';
import { feed, streamArb, type StreamEvent } from './arbitraries.js';

/** Per-bucket OIs of the given-sign variant by a naive batch split (volume stream cut every V). */
function naiveGivenOis(trades: ReadonlyArray<{ size: number; side: number }>, V: number): number[] {
  const ois: number[] = [];
  let fill = 0;
  let buy = 0;
  let sell = 0;
  for (const t of trades) {
    let left = t.size;
    const f = t.side > 0 ? 1 : t.side < 0 ? 0 : 0.5;
    while (left > 0) {
      const piece = Math.min(left, V - fill);
      buy += f * piece;
      sell += (1 - f) * piece;
      fill += piece;
      left -= piece;
      if (fill === V) {
        ois.push(Math.abs(buy - sell) / V);
        fill = buy = sell = 0;
      }
    }
  }
  return ois;
}

function collect(options: VpinOptions): { vpin: Vpin; ois: number[]; vpins: number[]; ks: number[] } {
  const out = { vpin: undefined as unknown as Vpin, ois: [] as number[], vpins: [] as number[], ks: [] as number[] };
  out.vpin = new Vpin({
    ...options,
    onBucket: (k, oi, v) => {
      out.ks.push(k);
      out.ois.push(oi);
      out.vpins.push(v);
    },
  });
  return out;
}

describe('Vpin', () => {
  it('pours given-sign volume trade by trade and averages the last n OIs', () => {
    const vpin = new Vpin({ bucketVolume: 100, window: 2, classification: 'given' });
    expect(vpin.update({ ts: 0, price: 10, size: 100, side: 1 })).toBe(1); // bucket 1: OI 1
    expect(vpin.update({ ts: 1, price: 10, size: 60, side: -1 })).toBe(1); // bucket 2 at 60
    expect(vpin.update({ ts: 2, price: 10, size: 40, side: 1 })).toBe(0.6); // OI |40 - 60| / 100 = 0.2; (1 + 0.2) / 2
    // 250 unsigned shares (half buy, half sell) fill buckets 3 and 4 (OI 0 each) and 50 of bucket 5;
    // the window of 2 then holds buckets 3 and 4: VPIN 0.
    expect(vpin.update({ ts: 3, price: 10, size: 250, side: 0 })).toBe(0);
    expect(vpin.buckets).toBe(4);
    expect(vpin.lastOi).toBe(0);
    expect(vpin.partialVolume).toBe(50);
  });

  it('BVC: splits each closed bar by Phi(dP / sigma), keeps a bar\'s fraction across buckets, waits for the bar to close', () => {
    // sigma = 1 (fixed), 1-minute bars, V = 100.
    // Bar 0: 30 @ 10 then 50 @ 11: dP = 11 - 10 (first trade price) = 1, f0 = Phi(1); volume 80.
    // Bar 1: 70 @ 10: dP = 10 - 11 = -1, f1 = Phi(-1).
    // Bucket 1 = 80 of bar 0 + 20 of bar 1: buy = 80 f0 + 20 f1, sell = 80 (1 - f0) + 20 (1 - f1);
    // OI = |buy - sell| / 100 = |80 (2 f0 - 1) + 20 (2 f1 - 1)| / 100 = 0.4096136952822515.
    const { vpin, ois } = collect({ bucketVolume: 100, sigma: 1 });
    expect(vpin.update({ ts: 0, price: 10, size: 30 })).toBeNaN();
    expect(vpin.update({ ts: 30_000, price: 11, size: 50 })).toBeNaN();
    expect(vpin.partialVolume).toBe(0); // bar 0 still open: nothing poured
    expect(vpin.update({ ts: 60_000, price: 10, size: 70 })).toBeNaN(); // bar 0 poured: 80 in bucket 1
    expect(vpin.partialVolume).toBe(80);
    vpin.flush(); // bar 1 poured: bucket 1 completes, 50 left
    const f0 = normalCdf(1);
    const f1 = normalCdf(-1);
    const oi = Math.abs(80 * f0 + 20 * f1 - (80 * (1 - f0) + 20 * (1 - f1))) / 100;
    expect(oi).toBeCloseTo(0.4096136952822515, 14);
    expect(ois).toEqual([oi]);
    expect(vpin.value).toBe(oi);
    expect(vpin.partialVolume).toBe(50);
    expect(vpin.bars).toBe(2);
  });

  it('BVC closes a bar when time passes its end (a quote or advanceTo), not only on the next trade', () => {
    const a = new Vpin({ bucketVolume: 10, sigma: 1 });
    a.update({ ts: 0, price: 10, size: 10 });
    a.advanceTo(59_999);
    expect(a.buckets).toBe(0);
    a.onQuote(60_000, 9.99, 10.01);
    expect(a.buckets).toBe(1);
    expect(a.value).toBe(0); // first bar: dP = 10 - 10 = 0, f = 0.5
  });

  it('BVC with the running sigma: f = 0.5 until two bars, then the sample std of all changes so far', () => {
    // Bars: dP = +1 (sigma undefined: f = 0.5), then -1: changes [1, -1], sample std sqrt(2), f = Phi(-1 / sqrt 2).
    const { vpin, ois } = collect({ bucketVolume: 10 });
    vpin.update({ ts: 0, price: 10, size: 5 });
    vpin.update({ ts: 1, price: 11, size: 5 });
    vpin.update({ ts: 60_000, price: 10, size: 10 });
    vpin.flush();
    expect(vpin.sigma).toBe(Math.SQRT2);
    expect(ois).toEqual([0, Math.abs(2 * normalCdf(-1 / Math.SQRT2) - 1)]);
  });

  it('with dailyVolume cuts exact buckets in scaled integer units (V = 32.52 is no double)', () => {
    // 1626 shares over 50 buckets: V = 32.52; trades of 1..60 shares summing to 1626 fill exactly 50.
    const sizes: number[] = [];
    let left = 1626;
    for (let i = 0; left > 0; i++) {
      const s = Math.min(left, (i * 7) % 60 + 1);
      sizes.push(s);
      left -= s;
    }
    const run = collect({ dailyVolume: 1626, classification: 'given' });
    sizes.forEach((size, i) => run.vpin.update({ ts: i, price: 10, size, side: i % 3 === 0 ? -1 : 1 }));
    expect(run.vpin.buckets).toBe(50);
    expect(run.vpin.partialVolume).toBe(0);
    expect(run.ks).toEqual(Array.from({ length: 50 }, (_, k) => k + 1));
  });

  it('reports the empirical CDF of VPIN over its history', () => {
    // window 1 (VPIN = OI), cdfWindow 3. OIs: 1, 0, 0.6, 0.2.
    // CDF: [1] -> 1; [1, 0] -> 1/2; [1, 0, 0.6] -> 2/3; [0, 0.6, 0.2] (1 left the history) -> 2/3.
    const vpin = new Vpin({ bucketVolume: 10, window: 1, classification: 'given', cdfWindow: 3, output: 'cdf' });
    const cdfs: number[] = [];
    for (const [buy, sell] of [[10, 0], [5, 5], [8, 2], [6, 4]] as const) {
      vpin.update({ ts: 0, price: 1, size: buy, side: 1 });
      cdfs.push(vpin.update({ ts: 0, price: 1, size: sell, side: -1 }));
    }
    expect(cdfs).toEqual([1, 0.5, 2 / 3, 2 / 3]);
    expect(vpin.value).toBeCloseTo(0.2, 15);
  });

  it('given-sign buckets equal a naive batch split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ size: fc.integer({ min: 0, max: 300 }), side: fc.constantFrom(-1, 0, 1) }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 200 }),
        (trades, V) => {
          const run = collect({ bucketVolume: V, classification: 'given', window: 5 });
          trades.forEach((t, i) => run.vpin.update({ ts: i, price: 10, size: t.size, side: t.side as -1 | 0 | 1 }));
          const want = naiveGivenOis(trades, V);
          expect(run.ois.length).toBe(want.length);
          run.ois.forEach((oi, i) => expect(oi).toBeCloseTo(want[i]!, 12));
        },
      ),
    );
  });

  for (const classification of ['bvc', 'tick', 'leeReady', 'given'] as const) {
    it(`VPIN and its CDF stay in [0, 1] (${classification})`, () => {
      fc.assert(
        fc.property(streamArb({ control: true, maxDtMs: 40_000 }), fc.integer({ min: 1, max: 400 }), (events, V) => {
          const run = collect({ bucketVolume: V, classification, window: 3, cdfWindow: 4 });
          for (const e of events) feed(run.vpin, e);
          run.vpin.flush();
          for (const v of run.vpins) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1 + 1e-15);
          }
          for (const oi of run.ois) expect(oi).toBeLessThanOrEqual(1 + 1e-15);
          if (run.vpin.buckets > 0) {
            expect(run.vpin.cdf).toBeGreaterThan(0);
            expect(run.vpin.cdf).toBeLessThanOrEqual(1);
          }
        }),
      );
    });
  }

  it('rejects bad options and states', () => {
    expect(() => new Vpin({})).toThrow(InvalidOptionError);
    expect(() => new Vpin({ bucketVolume: 1, dailyVolume: 50 })).toThrow(InvalidOptionError);
    expect(() => new Vpin({ bucketVolume: 0 })).toThrow(InvalidOptionError);
    expect(() => new Vpin({ dailyVolume: 100, bucketsPerDay: 2.5 })).toThrow(InvalidOptionError);
    expect(() => new Vpin({ bucketVolume: 1, classification: 'bulk' as never })).toThrow(InvalidOptionError);
    expect(() => new Vpin({ bucketVolume: 1, sigma: -1 })).toThrow(InvalidOptionError);
    expect(() => new Vpin({ bucketVolume: 1, window: 0 })).toThrow(InvalidOptionError);
    expect(() => new Vpin(undefined as never)).toThrow(InvalidOptionError);
    const given = new Vpin({ bucketVolume: 1, classification: 'given' });
    const tick = new Vpin({ bucketVolume: 1, classification: 'tick' });
    expect(() => given.restore(tick.snapshot())).toThrow(InvalidStateError);
    expect(() => tick.restore({ ...tick.snapshot(), ois: [0.5] })).toThrow(InvalidStateError);
  });

  const call = (op: Vpin, e: StreamEvent): unknown => [feed(op, e), op.buckets, op.partialVolume, op.cdf];
  const stream = streamArb({ control: true, maxDtMs: 40_000 });
  for (const classification of ['bvc', 'tick', 'leeReady', 'given'] as VpinClassification[]) {
    testOperatorContract(`Vpin (${classification})`, () => new Vpin({ bucketVolume: 150, window: 3, cdfWindow: 4, classification }), stream, call);
  }
  testOperatorContract('Vpin (bvc, fixed sigma, dailyVolume)', () => new Vpin({ dailyVolume: 1000, bucketsPerDay: 7, sigma: 0.05 }), stream, call);
});
