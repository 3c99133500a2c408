import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { DEFAULT_METRICS_COLLECTOR_OPTIONS, MetricsCollector, type MetricsCollectorOptions } from '../../src/metrics/metrics-collector.js';
import { ExpositionError, parseExposition, type Family } from './prometheus-parser.js';

/** A fake clock the test moves by hand. */
function fakeClock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

function collector(options: MetricsCollectorOptions = {}, start = 0) {
  const clock = fakeClock(start);
  return { clock, m: new MetricsCollector({ clock: clock.now, ...options }) };
}

const exactQuantile = (sorted: number[], q: number): number => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
const family = (fams: Family[], name: string): Family => {
  const f = fams.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no family ${name}`);
  return f;
};

describe('MetricsCollector', () => {
  it('runs the documented example', () => {
    let now = 0;
    const m = new MetricsCollector({ clock: () => now });
    for (let i = 0; i < 100; i++) {
      now += 10;
      m.recordEvent(i % 10 === 0 ? 5 : 0.5);
    }
    m.recordError('parse');
    expect(m.throughput().m1).toBe(101); // 101 events / 1 s of uptime
    expect(Math.abs(m.latency().p50 - 0.5) / 0.5).toBeLessThanOrEqual(0.01);
    expect(m.errorRate()).toBe(1 / 101);
    expect(m.health().status).toBe('ok');
    now += 20_000;
    expect(m.health().status).toBe('down');
  });

  it('has the documented defaults', () => {
    const { clock, ...rest } = DEFAULT_METRICS_COLLECTOR_OPTIONS;
    expect(clock).toBe(Date.now);
    expect(rest).toEqual({
      bucketMs: 1000,
      errorRateWindowMs: 60_000,
      latencyWindowMs: 300_000,
      latencySlices: 5,
      relativeAccuracy: 0.01,
      minLatencyMs: 1e-6,
      maxLatencyMs: 3_600_000,
      freshnessMs: 10_000,
      maxErrorRate: 0.05,
      maxP99LatencyMs: 1000,
      maxErrorKinds: 64,
      namespace: 'microstructure',
      constLabels: {},
    });
  });

  describe('uptime and throughput', () => {
    it('measures events per second over 1, 5 and 15 minutes', () => {
      const { clock, m } = collector();
      // 10 events/s for 2 minutes: t = 0, 100, ..., 119 900 (1200 events).
      for (let t = 0; t < 120_000; t += 100) {
        clock.t = t;
        m.recordEvent();
      }
      clock.t = 120_000;
      expect(m.uptimeMs()).toBe(120_000);
      // 1 min: buckets 61..120, i.e. events in [61 000, 120 000): 590 over 59 s = 10/s.
      // 5 and 15 min: longer than the uptime, so all 1200 events over 120 s = 10/s.
      expect(m.throughput()).toEqual({ m1: 10, m5: 10, m15: 10 });
      clock.t = 180_000; // a minute of silence
      // 1 min: nothing in buckets 121..180. 5 min: 1200 over 180 s.
      expect(m.throughput()).toEqual({ m1: 0, m5: 1200 / 180, m15: 1200 / 180 });
    });

    it('reuses ring slots: events older than 15 minutes no longer count', () => {
      const { clock, m } = collector();
      for (let i = 0; i < 50; i++) m.recordEvent(); // 50 events at t = 0
      clock.t = 900_000; // bucket 900 maps to slot 0, which holds bucket 0
      m.recordEvent();
      // 15 min: buckets 1..900 hold 1 event; the span is 899 s + 0 ms of the current bucket.
      expect(m.throughput().m15).toBe(1 / 899);
      clock.t = 900_500;
      expect(m.throughput().m15).toBe(1 / 899.5);
    });

    it('is NaN while no time has passed', () => {
      const { m } = collector({}, 5000);
      m.recordEvent();
      expect(m.throughput().m1).toBeNaN();
      expect(m.uptimeMs()).toBe(0);
    });
  });

  describe('errors', () => {
    it('reports error rates overall and by kind over the error window', () => {
      const { clock, m } = collector();
      for (let i = 0; i < 93; i++) m.recordEvent(1);
      for (let i = 0; i < 5; i++) m.recordError('parse');
      for (let i = 0; i < 2; i++) m.recordError('crossedBook');
      clock.t = 1000;
      expect(m.errorRate()).toBe(0.07); // 7 errors / 100 events
      expect(m.errorRate('parse')).toBe(0.05);
      expect(m.errorRate('crossedBook')).toBe(0.02);
      expect(m.errorRate('never')).toBe(0);
      expect(m.toJSON().errorsByKind).toEqual({ crossedBook: 2, parse: 5 });
      // Out of the 60 s window from t = 60 000 (bucket 0 leaves when the window is buckets 1..60).
      clock.t = 60_000;
      m.recordEvent(1);
      expect(m.errorRate()).toBe(0);
      expect(m.toJSON().errors).toBe(7); // the lifetime counter stays
    });

    it('is NaN without events in the window', () => {
      const { m } = collector();
      expect(m.errorRate()).toBeNaN();
    });

    it('counts kinds past maxErrorKinds - 1 as "other"', () => {
      const { m } = collector({ maxErrorKinds: 3 });
      for (const k of ['a', 'b', 'c', 'd', 'a']) m.recordError(k);
      expect(m.toJSON()).toMatchObject({ errorsByKind: { a: 2, b: 1, other: 2 }, overflowKinds: 2 });
    });

    it('rejects an empty kind', () => {
      const { m } = collector();
      expect(() => m.recordError('')).toThrow(InvalidInputError);
      expect(m.toJSON().events).toBe(0);
    });
  });

  describe('latency', () => {
    it('gives p50, p95, p99 and p99.9 within the relative accuracy of the exact percentiles (property)', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -3, max: 5, noNaN: true }).map((e) => 10 ** e), { minLength: 1, maxLength: 400 }), (xs) => {
          const { clock, m } = collector();
          xs.forEach((x, i) => {
            clock.t = i;
            m.recordEvent(x);
          });
          const l = m.latency();
          const sorted = [...xs].sort((a, b) => a - b);
          const pairs: Array<[number, number]> = [
            [l.p50, exactQuantile(sorted, 0.5)],
            [l.p95, exactQuantile(sorted, 0.95)],
            [l.p99, exactQuantile(sorted, 0.99)],
            [l.p99_9, exactQuantile(sorted, 0.999)],
          ];
          for (const [est, exact] of pairs) if (!(Math.abs(est - exact) <= 0.01 * exact * (1 + 1e-9))) expect.fail(`${est} vs ${exact}`);
          expect(l.count).toBe(xs.length);
          expect(l.max).toBe(sorted.at(-1));
          expect(l.min).toBe(sorted[0]);
        }),
      );
    });

    it('forgets latencies older than the window (rotating slices)', () => {
      const { clock, m } = collector({ latencyWindowMs: 60_000, latencySlices: 3 }); // 20 s slices
      for (let t = 0; t < 20_000; t += 100) {
        clock.t = t;
        m.recordEvent(100);
      }
      for (let t = 20_000; t < 60_000; t += 100) {
        clock.t = t;
        m.recordEvent(1);
      }
      clock.t = 59_999; // slices 0, 1, 2: the 200 slow ones are 1/3 of the window
      expect(m.latency().p99).toBeGreaterThan(99);
      expect(m.latency().windowCount).toBe(600);
      clock.t = 60_000; // slice 3 starts; slice 0 leaves
      expect(m.latency().p99).toBeLessThan(1.02);
      expect(m.latency().windowCount).toBe(400);
      expect(m.latency().count).toBe(600); // lifetime
      expect(m.latency().max).toBe(100);
    });

    it('counts bad latencies instead of recording them, and still counts the event', () => {
      const { m } = collector();
      m.recordEvent(-1);
      m.recordEvent(Number.NaN);
      m.recordError('x', Number.POSITIVE_INFINITY);
      m.recordEvent();
      expect(m.toJSON()).toMatchObject({ events: 4, invalidLatencies: 3 });
      expect(m.latency().count).toBe(0);
      expect(m.latency().p50).toBeNaN();
    });
  });

  describe('health', () => {
    it('is ok, then degraded by errors or latency, then down when stale', () => {
      const { clock, m } = collector({ maxErrorRate: 0.1, maxP99LatencyMs: 50 });
      for (let i = 0; i < 20; i++) m.recordEvent(1);
      clock.t = 1000;
      expect(m.health()).toMatchObject({ status: 'ok', healthy: true });
      m.recordError('parse'); // 1 / 21 < 0.1
      m.recordError('parse'); // 2 / 22 < 0.1
      m.recordError('parse'); // 3 / 23 = 0.13 >= 0.1
      const h = m.health();
      expect(h.status).toBe('degraded');
      expect(h.checks.map((c) => [c.name, c.ok])).toEqual([
        ['freshness', true],
        ['errorRate', false],
        ['latencyP99', true],
      ]);
      expect(h.checks[1]!.value).toBe(3 / 23);
      const slow = collector({ maxP99LatencyMs: 50 });
      for (let i = 0; i < 100; i++) slow.m.recordEvent(i < 98 ? 1 : 80); // p99 = rank 99 = 80 ms
      expect(slow.m.health().status).toBe('degraded');
      expect(slow.m.health().checks[2]).toMatchObject({ name: 'latencyP99', ok: false, threshold: 50, unit: 'ms' });
    });

    it('uses strict thresholds: fresh below freshnessMs, errors below maxErrorRate', () => {
      const { clock, m } = collector({ maxErrorRate: 0.5 });
      m.recordEvent();
      m.recordError('x'); // error rate exactly 0.5: not below
      clock.t = 9999;
      expect(m.health().checks.map((c) => c.ok)).toEqual([true, false, true]);
      clock.t = 10_000; // exactly 10 s since the last event: stale
      expect(m.health().status).toBe('down');
    });

    it('before the first event, judges freshness by the collector age; empty checks pass', () => {
      const { clock, m } = collector();
      expect(m.health()).toMatchObject({ status: 'ok' });
      expect(m.health().checks[1]!.value).toBeNaN();
      clock.t = 10_000;
      expect(m.health().status).toBe('down');
      expect(m.health().checks[0]!.detail).toMatch(/no event yet/);
    });
  });

  describe('Prometheus text format', () => {
    it('parses with a strict parser, with counters, gauges and a latency summary', () => {
      const { clock, m } = collector({ constLabels: { symbol: 'GOOG' } });
      for (let i = 0; i < 1000; i++) {
        clock.t = i * 10;
        if (i % 100 === 0) m.recordError(i % 200 === 0 ? 'parse' : 'crossedBook', 2);
        else m.recordEvent(1 + (i % 7));
      }
      const text = m.prometheus();
      const fams = parseExposition(text);
      const json = m.toJSON();
      expect(fams.map((f) => [f.name, f.type])).toEqual([
        ['microstructure_uptime_seconds', 'gauge'],
        ['microstructure_events_total', 'counter'],
        ['microstructure_errors_total', 'counter'],
        ['microstructure_events_per_second', 'gauge'],
        ['microstructure_error_ratio', 'gauge'],
        ['microstructure_error_ratio_by_kind', 'gauge'],
        ['microstructure_event_latency_seconds', 'summary'],
        ['microstructure_invalid_latencies_total', 'counter'],
        ['microstructure_clock_regressions_total', 'counter'],
        ['microstructure_last_event_age_seconds', 'gauge'],
        ['microstructure_health_status', 'gauge'],
        ['microstructure_health_check', 'gauge'],
      ]);
      for (const f of fams) {
        expect(f.help, f.name).toBeTruthy();
        if (f.type === 'counter') expect(f.name).toMatch(/_total$/);
        for (const s of f.samples) expect(s.labels.symbol).toBe('GOOG');
      }
      expect(family(fams, 'microstructure_events_total').samples[0]!.value).toBe(1000);
      expect(family(fams, 'microstructure_errors_total').samples.map((s) => [s.labels.kind, s.value])).toEqual([
        ['crossedBook', 5],
        ['parse', 5],
      ]);
      const summary = family(fams, 'microstructure_event_latency_seconds').samples;
      expect(summary.map((s) => s.labels.quantile ?? s.name)).toEqual(['0.5', '0.95', '0.99', '0.999', 'microstructure_event_latency_seconds_sum', 'microstructure_event_latency_seconds_count']);
      expect(summary[2]!.value).toBe(json.latencyMs.p99 / 1000); // seconds
      expect(summary[4]!.value).toBe(json.latencyMs.sum / 1000);
      expect(summary[5]!.value).toBe(1000);
      expect(family(fams, 'microstructure_events_per_second').samples.map((s) => s.labels.window)).toEqual(['1m', '5m', '15m']);
      expect(family(fams, 'microstructure_health_status').samples.filter((s) => s.value === 1).map((s) => s.labels.status)).toEqual([json.health.status]);
    });

    it('escapes any kind and constant label value so that it parses back unchanged (property)', () => {
      const text = fc.string({ unit: 'binary', maxLength: 12 });
      fc.assert(
        fc.property(fc.uniqueArray(text.filter((s) => s !== ''), { minLength: 1, maxLength: 5 }), text, (kinds, label) => {
          const { m } = collector({ constLabels: { desk: label }, namespace: 'ns:x' });
          for (const k of kinds) m.recordError(k);
          const fams = parseExposition(m.prometheus());
          const errors = family(fams, 'ns:x_errors_total').samples;
          expect(errors.map((s) => s.labels.kind).sort()).toEqual([...kinds].sort());
          for (const s of errors) expect(s.labels.desk).toBe(label);
        }),
      );
    });

    it('writes NaN and empty families in a form the parser accepts', () => {
      const { m } = collector();
      const fams = parseExposition(m.prometheus());
      expect(family(fams, 'microstructure_error_ratio').samples[0]!.value).toBeNaN();
      expect(family(fams, 'microstructure_errors_total').samples).toEqual([]);
      expect(family(fams, 'microstructure_event_latency_seconds').samples[0]!.value).toBeNaN();
    });
  });

  describe('the strict parser itself', () => {
    const ok = '# HELP a_total Things.\n# TYPE a_total counter\na_total{k="v\\\\ \\" \\n"} 1\n';
    it('accepts a valid exposition and unescapes label values', () => {
      expect(parseExposition(ok)[0]!.samples[0]!.labels.k).toBe('v\\ " \n');
    });
    it.each([
      ['no final line feed', ok.slice(0, -1)],
      ['a bad escape in a label value', 'a{k="\\t"} 1\n'],
      ['an unterminated label value', 'a{k="v} 1\n'],
      ['a repeated label', 'a{k="1",k="2"} 1\n'],
      ['a reserved label name', 'a{__k="1"} 1\n'],
      ['a bad metric name', '1a 1\n'],
      ['a bad value', 'a 1,5\n'],
      ['a bad timestamp', 'a 1 1.5\n'],
      ['a second TYPE', '# TYPE a gauge\n# TYPE a gauge\na 1\n'],
      ['an unknown type', '# TYPE a meter\na 1\n'],
      ['TYPE after samples', 'a 1\n# TYPE a gauge\n'],
      ['a family split in two groups', 'a{x="1"} 1\nb 1\na{x="2"} 1\n'],
      ['a repeated series', 'a 1\na 2\n'],
      ['a negative counter', '# TYPE a_total counter\na_total -1\n'],
      ['a summary quantile without its label', '# TYPE s summary\ns 1\n'],
      ['a quantile outside [0, 1]', '# TYPE s summary\ns{quantile="2"} 1\n'],
      ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n'],
    ])('rejects %s', (_, text) => {
      expect(() => parseExposition(text)).toThrow(ExpositionError);
    });
  });

  it('gives a JSON form that survives JSON.stringify (NaN as null)', () => {
    const { m } = collector();
    m.recordEvent();
    const parsed = JSON.parse(JSON.stringify(m));
    expect(parsed.events).toBe(1);
    expect(parsed.latencyMs.p50).toBeNull();
    expect(parsed.health.status).toBe('ok');
  });

  it('uses the clock only: a reading below an earlier one counts and is replaced', () => {
    const { clock, m } = collector({}, 1000);
    m.recordEvent();
    clock.t = 500;
    m.recordEvent();
    expect(m.toJSON()).toMatchObject({ clockRegressions: 2, uptimeMs: 0 }); // recordEvent and toJSON both read 500
    clock.t = Number.NaN;
    expect(() => m.recordEvent()).toThrow(/clock\(\)/);
  });

  it('validates its options', () => {
    const bad: Array<[MetricsCollectorOptions, RegExp]> = [
      [{ bucketMs: 7 }, /bucketMs/],
      [{ bucketMs: 0 }, /bucketMs/],
      [{ errorRateWindowMs: 1500 }, /errorRateWindowMs/],
      [{ errorRateWindowMs: 1_000_000 }, /errorRateWindowMs/],
      [{ latencySlices: 0 }, /latencySlices/],
      [{ relativeAccuracy: 1 }, /relativeAccuracy/],
      [{ minLatencyMs: 10, maxLatencyMs: 1 }, /maxLatencyMs/],
      [{ maxErrorRate: 0 }, /maxErrorRate/],
      [{ maxErrorKinds: 1 }, /maxErrorKinds/],
      [{ namespace: 'a-b' }, /namespace/],
      [{ constLabels: { kind: 'x' } }, /constLabels/],
      [{ constLabels: { 'a b': 'x' } }, /constLabels/],
      [{ constLabels: { ok: 1 as never } }, /constLabels\.ok/],
      [{ clock: 5 as never }, /clock/],
      [{ freshMs: 5 } as never, /MetricsCollector\.freshMs/],
    ];
    for (const [o, re] of bad) expect(() => new MetricsCollector(o), JSON.stringify(o)).toThrow(re);
    expect(() => new MetricsCollector({ bucketMs: 7 })).toThrow(InvalidOptionError);
  });

  describe('reset, snapshot and restore', () => {
    type Op = { dt: number; action: 'event' | 'error' | 'query'; latency: number | undefined; kind: string };
    const opArb: fc.Arbitrary<Op> = fc.record({
      dt: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 400_000 })),
      action: fc.constantFrom<Op['action']>('event', 'event', 'error', 'query'),
      latency: fc.option(fc.oneof(fc.double({ min: 0, max: 5000, noNaN: true }), fc.constant(-1)), { nil: undefined }),
      kind: fc.constantFrom('parse', 'gap', 'crossed'),
    });
    const opsArb = fc.array(opArb, { maxLength: 40 });
    const options: MetricsCollectorOptions = { latencyWindowMs: 30_000, latencySlices: 3, maxErrorKinds: 3 };
    const run = (c: { t: number }, m: MetricsCollector, ops: Op[]): unknown[] =>
      ops.map((op) => {
        c.t += op.dt;
        if (op.action === 'event') m.recordEvent(op.latency);
        else if (op.action === 'error') m.recordError(op.kind, op.latency);
        else return [m.toJSON(), m.prometheus()];
        return null;
      });

    it('reset() gives the same outputs as a fresh collector started at the same time', () => {
      fc.assert(
        fc.property(opsArb, opsArb, (warm, xs) => {
          const used = collector(options);
          run(used.clock, used.m, warm);
          used.m.reset();
          const fresh = collector(options, used.clock.t);
          expect(run(used.clock, used.m, xs)).toEqual(run(fresh.clock, fresh.m, xs));
        }),
      );
    });

    it('restore(snapshot()) through JSON continues identically', () => {
      fc.assert(
        fc.property(opsArb, opsArb, (head, tail) => {
          const original = collector(options);
          run(original.clock, original.m, head);
          const state = JSON.parse(JSON.stringify(original.m.snapshot()));
          const resumed = collector(options, original.clock.t); // a clock with the same origin
          resumed.m.restore(state);
          expect(run(resumed.clock, resumed.m, tail)).toEqual(run(original.clock, original.m, tail));
          expect(JSON.parse(JSON.stringify(resumed.m.snapshot()))).toEqual(JSON.parse(JSON.stringify(original.m.snapshot())));
        }),
      );
    });

    it('refuses a state of other window options or a malformed one', () => {
      const { m } = collector();
      m.recordError('x', 1);
      const s = m.snapshot();
      expect(() => collector({ bucketMs: 500 }).m.restore(s)).toThrow(/differ/);
      expect(() => collector().m.restore({ ...s, type: 'Other' } as never)).toThrow(InvalidStateError);
      expect(() => collector().m.restore({ ...s, kinds: [['x', 1, [[123, 1]]]] })).toThrow(/bucket 123/);
      expect(() => collector().m.restore({ ...s, counts: [1, 2] })).toThrow(/counts/);
      expect(() => collector({ maxErrorKinds: 2 }).m.restore({ ...s, kinds: [...s.kinds, ['y', 0, []], ['z', 0, []]] })).toThrow(/maxErrorKinds/);
      const before = JSON.stringify(m.snapshot());
      const [id, slice] = s.slices[0]!;
      expect(() => m.restore({ ...s, slices: [[id, { ...slice, counts: [5, 0, 0] }]] })).toThrow(/LogHistogram/);
      expect(JSON.stringify(m.snapshot())).toBe(before); // a failed restore changes nothing
    });
  });
});
