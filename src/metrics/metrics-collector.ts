import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumbers, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, fractionOption, integerOption, positiveOption } from '../core/options.js';
import { stateInteger, stateNumbers } from '../core/state.js';
import { LogHistogram, type LogHistogramState } from './log-histogram.js';
import { setOwn } from '../core/own.js';

/** Options of {@link MetricsCollector}. */
export interface MetricsCollectorOptions {
  /**
   * The clock, in ms. Read once per recorded event and per query; never a timer. Inject a fake
   * clock in tests. The default is `Date.now` (not `performance.now`) because a snapshot stores clock
   * readings, and only the epoch clock means the same thing in another process.
   * @defaultValue `Date.now`
   */
  clock?: () => number;
  /**
   * Width of the throughput buckets, ms: an integer dividing 60 000. The 1, 5 and 15 minute windows
   * use a ring of `900000 / bucketMs` counters.
   * @defaultValue 1000
   */
  bucketMs?: number;
  /**
   * Window of the error rate (and of its health check), ms: a multiple of `bucketMs`, at most 900 000.
   * @defaultValue 60000
   */
  errorRateWindowMs?: number;
  /**
   * Window of the latency percentiles, ms, kept as `latencySlices` rotating histograms: the
   * percentiles cover the current slice and the `latencySlices - 1` before it.
   * @defaultValue 300000
   */
  latencyWindowMs?: number;
  /**
   * Histograms the latency window is split into (integer in [1, 60]).
   * @defaultValue 5
   */
  latencySlices?: number;
  /**
   * Relative accuracy of the latency percentiles (see {@link LogHistogram}).
   * @defaultValue 0.01
   */
  relativeAccuracy?: number;
  /**
   * Smallest latency tracked with relative accuracy, ms; smaller ones are reported as 0.
   * @defaultValue 1e-6 (1 ns)
   */
  minLatencyMs?: number;
  /**
   * Largest latency tracked with relative accuracy, ms; larger ones count in the top bucket.
   * @defaultValue 3600000 (1 hour)
   */
  maxLatencyMs?: number;
  /**
   * Health: data is fresh while the last event is less than this old, ms.
   * @defaultValue 10000
   */
  freshnessMs?: number;
  /**
   * Health: the error rate over `errorRateWindowMs` must stay below this (in (0, 1]).
   * @defaultValue 0.05
   */
  maxErrorRate?: number;
  /**
   * Health: the windowed p99 latency must stay below this, ms.
   * @defaultValue 1000
   */
  maxP99LatencyMs?: number;
  /**
   * Distinct error kinds tracked (integer >= 2); past `maxErrorKinds - 1`, new kinds are counted as
   * `'other'` (and in `overflowKinds`), so a stream of unique kind strings cannot grow memory.
   * @defaultValue 64
   */
  maxErrorKinds?: number;
  /**
   * Prefix of the Prometheus metric names (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
   * @defaultValue 'microstructure'
   */
  namespace?: string;
  /**
   * Labels added to every Prometheus sample, e.g. `{ symbol: 'GOOG' }` (names
   * `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`, not one of `kind`, `window`, `quantile`,
   * `status`, `check`).
   * @defaultValue `{}`
   */
  constLabels?: Readonly<Record<string, string>>;
}

/** Defaults of {@link MetricsCollectorOptions}. */
export const DEFAULT_METRICS_COLLECTOR_OPTIONS: Readonly<Required<MetricsCollectorOptions>> = Object.freeze({
  clock: Date.now,
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
  constLabels: Object.freeze({}),
});

/** Events per second over the last 1, 5 and 15 minutes. */
export interface Throughput {
  readonly m1: number;
  readonly m5: number;
  readonly m15: number;
}

/** Latency figures, ms: percentiles over the latency window, the rest over the collector's life. */
export interface LatencyFigures {
  /** Latencies recorded, ever. */
  readonly count: number;
  readonly sum: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Latencies in the current window. */
  readonly windowCount: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly p99_9: number;
}

/** One check of {@link MetricsCollector.health}. */
export interface HealthCheck {
  readonly name: 'freshness' | 'errorRate' | 'latencyP99';
  readonly ok: boolean;
  /** The measured value (NaN when there is nothing to measure, which passes). */
  readonly value: number;
  /** The check passes when `value < threshold`. */
  readonly threshold: number;
  readonly unit: 'ms' | 'ratio';
  /** One line for a human. */
  readonly detail: string;
}

/** What {@link MetricsCollector.health} returns. */
export interface Health {
  /** `'down'` when data is stale; else `'degraded'` when another check fails; else `'ok'`. */
  readonly status: 'ok' | 'degraded' | 'down';
  /** `status === 'ok'`. */
  readonly healthy: boolean;
  readonly checks: readonly HealthCheck[];
}

/** The JSON form of the metrics ({@link MetricsCollector.toJSON}). NaN becomes `null` in `JSON.stringify`. */
export interface MetricsReport {
  readonly uptimeMs: number;
  /** Events recorded (errors included). */
  readonly events: number;
  readonly errors: number;
  /** Errors per kind, sorted by kind. */
  readonly errorsByKind: Readonly<Record<string, number>>;
  /** Events per second. */
  readonly throughput: Throughput;
  /** Errors per event over `errorRateWindowMs` (NaN without events). */
  readonly errorRate: number;
  readonly errorRateByKind: Readonly<Record<string, number>>;
  readonly latencyMs: LatencyFigures;
  /** Latencies rejected (negative, NaN or infinite): counted here, not recorded. */
  readonly invalidLatencies: number;
  /** Clock readings below an earlier one (used as the earlier one). */
  readonly clockRegressions: number;
  /** Error kinds counted as `'other'` because `maxErrorKinds` was reached. */
  readonly overflowKinds: number;
  readonly health: Health;
}

/** State of a {@link MetricsCollector}. */
export interface MetricsCollectorState extends OperatorState {
  readonly type: 'MetricsCollector';
  readonly version: 1;
  /** `[bucketMs, latencyWindowMs, latencySlices]`: must match the restoring collector's options. */
  readonly options: readonly number[];
  /** `[startTs, lastClock, lastEventTs]`, encoded. */
  readonly times: ReadonlyArray<number | string>;
  /** `[events, errors, invalidLatencies, clockRegressions, overflowKinds]`. */
  readonly counts: readonly number[];
  /** Lifetime latency `[count, sum, min, max]`, encoded. */
  readonly latency: ReadonlyArray<number | string>;
  /** Throughput buckets in the last 15 minutes: `[bucketId, events, errors]`, ascending id. */
  readonly buckets: ReadonlyArray<readonly number[]>;
  /** Error kinds in first-seen order: `[kind, total, [[bucketId, errors], ...]]`. */
  readonly kinds: ReadonlyArray<readonly [string, number, ReadonlyArray<readonly number[]>]>;
  /** Latency histograms of the window: `[sliceId, state]`, ascending id. */
  readonly slices: ReadonlyArray<readonly [number, LogHistogramState]>;
}

const THROUGHPUT_WINDOWS_MS = [60_000, 300_000, 900_000] as const;
const RING_SPAN_MS = 900_000;
const RESERVED_LABELS = ['kind', 'window', 'quantile', 'status', 'check'];
const T = 'MetricsCollector';

/**
 * Operational metrics of a running pipeline: uptime, throughput, latency percentiles, error rates
 * by kind, a health verdict, and Prometheus and JSON exports.
 *
 * - **Throughput**: events per second over the last 1, 5 and 15 minutes, from a ring of per-bucket
 *   counters (`bucketMs`, default 1 s; 900 buckets). The W-window rate is
 *   `events in the buckets of (now - W, now] / (now - max(start of the oldest bucket, startTs))`,
 *   so a collector younger than W divides by its age. NaN while no time has passed.
 * - **Latency**: `recordEvent(latencyMs)` feeds a {@link LogHistogram} (relative error at most
 *   `relativeAccuracy`, default 1%). Percentiles `p50, p95, p99, p99_9` cover the latency window
 *   (`latencySlices` rotating histograms: between `(K - 1) / K` and all of `latencyWindowMs`, as in
 *   Prometheus client summaries); count, sum, min and max cover the collector's life.
 * - **Errors**: `recordError(kind)` records an event that failed; error rate = errors / events over
 *   `errorRateWindowMs`, overall and per kind. Call exactly one of `recordEvent` and `recordError`
 *   per event.
 * - **Health** (`health()`): fresh data (last event less than `freshnessMs` ago; before the first
 *   event, the collector's age), error rate below `maxErrorRate`, windowed p99 below
 *   `maxP99LatencyMs`. Stale data is `'down'`, any other failure `'degraded'`. A check with nothing
 *   to measure (no events, no latencies) passes.
 * - **Export**: `prometheus()` (text exposition format 0.0.4: counters `_total`, gauges, a summary
 *   `..._event_latency_seconds` with quantile labels, in seconds as Prometheus prefers) and
 *   `toJSON()` (ms).
 *
 * Time comes only from `clock` (no timers, no `Date` objects); a reading below an earlier one is
 * replaced by the earlier one and counted (`clockRegressions`). Recording allocates nothing (a new
 * error kind allocates its ring once). Bad latencies (negative, NaN, infinite) are counted in
 * `invalidLatencies`, not recorded; the event still counts. A non-finite clock reading or an empty
 * error kind throws `InvalidInputError`.
 *
 * Reference: Prometheus exposition formats (prometheus.io/docs/instrumenting/exposition_formats);
 * the 1/5/15-minute windows of Unix load averages, here exact windowed rates rather than decaying
 * averages; the latency sketch of Masson, Rim and Lee (2019).
 *
 * @example
 * ```ts
 * let now = 0;
 * const m = new MetricsCollector({ clock: () => now });
 * for (let i = 0; i < 100; i++) { now += 10; m.recordEvent(i % 10 === 0 ? 5 : 0.5); }
 * m.recordError('parse');
 * m.throughput().m1;      // 101 (events in 1 s of uptime)
 * m.latency().p50;        // 0.5015394534033262 (within 1% of 0.5)
 * m.errorRate();          // 0.009900990099009901 (1 / 101)
 * m.health().status;      // 'ok'
 * now += 20_000;
 * m.health().status;      // 'down' (no event for 20 s)
 * ```
 */
export class MetricsCollector {
  private readonly clock: () => number;
  private readonly bucketMs: number;
  private readonly errorWindowMs: number;
  private readonly sliceMs: number;
  private readonly freshnessMs: number;
  private readonly maxErrorRate: number;
  private readonly maxP99: number;
  private readonly maxKinds: number;
  private readonly namespace: string;
  private readonly constLabels: string;
  private readonly latencyWindowMs: number;
  private readonly ringSize: number;
  /** Bucket id held by each ring slot (NaN: never used). */
  private readonly ids: Float64Array;
  private readonly eventCounts: Float64Array;
  private readonly errorCounts: Float64Array;
  private curBucket = Number.NaN;
  private curSlot = 0;
  private readonly kindIndex = new Map<string, number>();
  private readonly kindNames: string[] = [];
  private readonly kindTotals: number[] = [];
  private readonly kindRings: Float64Array[] = [];
  private readonly slices: LogHistogram[];
  private readonly sliceIds: Float64Array;
  private curSlice = Number.NaN;
  private curSliceSlot = 0;
  /** Scratch for window queries. */
  private readonly merged: LogHistogram;
  private startTs: number;
  private lastClock: number;
  private lastEventTs = Number.NaN;
  private events = 0;
  private errors = 0;
  private invalid = 0;
  private regressions = 0;
  private overflow = 0;
  private latCount = 0;
  private latSum = 0;
  private latMin = Number.POSITIVE_INFINITY;
  private latMax = Number.NEGATIVE_INFINITY;

  constructor(options: MetricsCollectorOptions = {}) {
    checkOptionKeys(T, options, Object.keys(DEFAULT_METRICS_COLLECTOR_OPTIONS));
    const o = { ...DEFAULT_METRICS_COLLECTOR_OPTIONS, ...options };
    if (typeof o.clock !== 'function') throw new InvalidOptionError('clock', o.clock, 'a function returning milliseconds');
    this.clock = o.clock;
    this.bucketMs = integerOption('bucketMs', o.bucketMs, 1, 60_000);
    if (60_000 % this.bucketMs !== 0) throw new InvalidOptionError('bucketMs', o.bucketMs, 'an integer dividing 60000');
    this.errorWindowMs = integerOption('errorRateWindowMs', o.errorRateWindowMs, this.bucketMs, RING_SPAN_MS);
    if (this.errorWindowMs % this.bucketMs !== 0) {
      throw new InvalidOptionError('errorRateWindowMs', o.errorRateWindowMs, `a multiple of bucketMs (${this.bucketMs}) up to ${RING_SPAN_MS}`);
    }
    this.latencyWindowMs = positiveOption('latencyWindowMs', o.latencyWindowMs);
    const k = integerOption('latencySlices', o.latencySlices, 1, 60);
    this.sliceMs = this.latencyWindowMs / k;
    this.freshnessMs = positiveOption('freshnessMs', o.freshnessMs);
    this.maxErrorRate = fractionOption('maxErrorRate', o.maxErrorRate);
    this.maxP99 = positiveOption('maxP99LatencyMs', o.maxP99LatencyMs);
    this.maxKinds = integerOption('maxErrorKinds', o.maxErrorKinds, 2, 10_000);
    if (typeof o.namespace !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(o.namespace)) {
      throw new InvalidOptionError('namespace', o.namespace, 'a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
    }
    this.namespace = o.namespace;
    this.constLabels = constLabelText(o.constLabels);
    const histogramOptions = { relativeAccuracy: o.relativeAccuracy, minValue: o.minLatencyMs, maxValue: o.maxLatencyMs };
    try {
      this.merged = new LogHistogram(histogramOptions);
    } catch (e) {
      // Name the collector's options, not the histogram's.
      if (e instanceof InvalidOptionError) {
        const name = { relativeAccuracy: 'relativeAccuracy', minValue: 'minLatencyMs', maxValue: 'maxLatencyMs' }[e.option] ?? e.option;
        throw new InvalidOptionError(name, e.value, e.expected);
      }
      throw e;
    }
    this.slices = [];
    for (let i = 0; i < k; i++) this.slices.push(new LogHistogram(histogramOptions));
    this.sliceIds = new Float64Array(k).fill(Number.NaN);
    this.ringSize = RING_SPAN_MS / this.bucketMs;
    this.ids = new Float64Array(this.ringSize).fill(Number.NaN);
    this.eventCounts = new Float64Array(this.ringSize);
    this.errorCounts = new Float64Array(this.ringSize);
    this.startTs = this.readClock();
    this.lastClock = this.startTs;
  }

  /** Record one event, with its processing latency in ms when measured. Allocates nothing. */
  recordEvent(latencyMs?: number): void {
    const now = this.now();
    this.advance(now);
    this.events++;
    this.eventCounts[this.curSlot]!++;
    this.lastEventTs = now;
    if (latencyMs !== undefined) this.recordLatency(latencyMs, now);
  }

  /**
   * Record one event that ended in an error of `kind` (e.g. `'parse'`, `'crossedBook'`), with its
   * latency in ms when measured. It counts as an event too.
   */
  recordError(kind: string, latencyMs?: number): void {
    if (typeof kind !== 'string' || kind === '') throw new InvalidInputError('MetricsCollector.recordError: kind', kind, 'a non-empty string');
    const now = this.now();
    this.advance(now);
    this.events++;
    this.errors++;
    const slot = this.curSlot;
    this.eventCounts[slot]!++;
    this.errorCounts[slot]!++;
    const k = this.kindSlot(kind);
    this.kindTotals[k]!++;
    this.kindRings[k]![slot]!++;
    this.lastEventTs = now;
    if (latencyMs !== undefined) this.recordLatency(latencyMs, now);
  }

  /** Time since the collector started (or was reset), ms. */
  uptimeMs(): number {
    return this.now() - this.startTs;
  }

  /** Events per second over the last 1, 5 and 15 minutes (NaN while no time has passed). */
  throughput(): Throughput {
    return this.throughputAt(this.now());
  }

  private throughputAt(now: number): Throughput {
    return { m1: this.rate(now, THROUGHPUT_WINDOWS_MS[0]), m5: this.rate(now, THROUGHPUT_WINDOWS_MS[1]), m15: this.rate(now, THROUGHPUT_WINDOWS_MS[2]) };
  }

  /**
   * Errors per event over `errorRateWindowMs`: all errors, or those of `kind`. NaN without events in
   * the window.
   */
  errorRate(kind?: string): number {
    return this.errorRateAt(this.now(), kind);
  }

  private errorRateAt(now: number, kind?: string): number {
    const events = this.windowSum(this.eventCounts, now, this.errorWindowMs);
    if (events === 0) return Number.NaN;
    if (kind === undefined) return this.windowSum(this.errorCounts, now, this.errorWindowMs) / events;
    const k = this.kindIndex.get(kind);
    return k === undefined ? 0 : this.windowSum(this.kindRings[k]!, now, this.errorWindowMs) / events;
  }

  /** Latency figures, ms: windowed percentiles, lifetime count, sum, mean, min and max. */
  latency(): LatencyFigures {
    return this.latencyAt(this.now());
  }

  private latencyAt(now: number): LatencyFigures {
    const h = this.windowHistogram(now);
    return {
      count: this.latCount,
      sum: this.latSum,
      mean: this.latCount === 0 ? Number.NaN : this.latSum / this.latCount,
      min: this.latCount === 0 ? Number.NaN : this.latMin,
      max: this.latCount === 0 ? Number.NaN : this.latMax,
      windowCount: h.count,
      p50: h.quantile(0.5),
      p95: h.quantile(0.95),
      p99: h.quantile(0.99),
      p99_9: h.quantile(0.999),
    };
  }

  /** The `q`-quantile (q in [0, 1]) of the latencies in the window, ms; NaN when none. */
  latencyQuantile(q: number): number {
    return this.windowHistogram(this.now()).quantile(q);
  }

  /** The health verdict and its checks. */
  health(): Health {
    const now = this.now();
    return this.healthAt(now, this.errorRateAt(now), this.windowHistogram(now).quantile(0.99));
  }

  /**
   * The metrics as plain data (ms), from one clock reading; `JSON.stringify(collector)` writes it,
   * NaN as `null`.
   */
  toJSON(): MetricsReport {
    const now = this.now();
    const latency = this.latencyAt(now);
    const errorRate = this.errorRateAt(now);
    const errorsByKind: Record<string, number> = {};
    const errorRateByKind: Record<string, number> = {};
    for (const kind of [...this.kindNames].sort()) {
      setOwn(errorsByKind, kind, this.kindTotals[this.kindIndex.get(kind)!]!);
      setOwn(errorRateByKind, kind, this.errorRateAt(now, kind));
    }
    return {
      uptimeMs: now - this.startTs,
      events: this.events,
      errors: this.errors,
      errorsByKind,
      throughput: this.throughputAt(now),
      errorRate,
      errorRateByKind,
      latencyMs: latency,
      invalidLatencies: this.invalid,
      clockRegressions: this.regressions,
      overflowKinds: this.overflow,
      health: this.healthAt(now, errorRate, latency.p99),
    };
  }

  /**
   * The metrics in the Prometheus text exposition format, version 0.0.4 (serve it as
   * `text/plain; version=0.0.4`). Times in seconds. Families, with the `namespace` prefix:
   * `uptime_seconds`, `events_total`, `errors_total{kind}`, `events_per_second{window}`,
   * `error_ratio`, `error_ratio_by_kind{kind}`, `event_latency_seconds` (summary: quantile 0.5,
   * 0.95, 0.99, 0.999 over the window; `_sum` and `_count` over the collector's life),
   * `invalid_latencies_total`, `clock_regressions_total`, `last_event_age_seconds`,
   * `health_status{status}` (1 for the current status, 0 for the others) and `health_check{check}`
   * (1 passing, 0 failing).
   */
  prometheus(): string {
    const r = this.toJSON();
    const ns = this.namespace;
    const out: string[] = [];
    const family = (name: string, type: string, help: string): void => {
      out.push(`# HELP ${ns}_${name} ${escapeHelp(help)}`, `# TYPE ${ns}_${name} ${type}`);
    };
    const sample = (name: string, labels: string, value: number): void => {
      const all = this.constLabels === '' ? labels : labels === '' ? this.constLabels : `${this.constLabels},${labels}`;
      out.push(`${ns}_${name}${all === '' ? '' : `{${all}}`} ${formatValue(value)}`);
    };
    const kinds = Object.keys(r.errorsByKind);
    family('uptime_seconds', 'gauge', 'Time since the collector started.');
    sample('uptime_seconds', '', r.uptimeMs / 1000);
    family('events_total', 'counter', 'Events recorded, errors included.');
    sample('events_total', '', r.events);
    family('errors_total', 'counter', 'Events that ended in an error, by kind.');
    for (const kind of kinds) sample('errors_total', `kind="${escapeLabelValue(kind)}"`, r.errorsByKind[kind]!);
    family('events_per_second', 'gauge', 'Events per second over the last 1, 5 and 15 minutes.');
    sample('events_per_second', 'window="1m"', r.throughput.m1);
    sample('events_per_second', 'window="5m"', r.throughput.m5);
    sample('events_per_second', 'window="15m"', r.throughput.m15);
    family('error_ratio', 'gauge', `Errors per event over the last ${this.errorWindowMs / 1000} s (NaN without events).`);
    sample('error_ratio', '', r.errorRate);
    family('error_ratio_by_kind', 'gauge', `Errors of a kind per event over the last ${this.errorWindowMs / 1000} s.`);
    for (const kind of kinds) sample('error_ratio_by_kind', `kind="${escapeLabelValue(kind)}"`, r.errorRateByKind[kind]!);
    family('event_latency_seconds', 'summary', `Per-event latency: quantiles over the last ${this.latencyWindowMs / 1000} s, sum and count since start.`);
    const l = r.latencyMs;
    sample('event_latency_seconds', 'quantile="0.5"', l.p50 / 1000);
    sample('event_latency_seconds', 'quantile="0.95"', l.p95 / 1000);
    sample('event_latency_seconds', 'quantile="0.99"', l.p99 / 1000);
    sample('event_latency_seconds', 'quantile="0.999"', l.p99_9 / 1000);
    sample('event_latency_seconds_sum', '', l.sum / 1000);
    sample('event_latency_seconds_count', '', l.count);
    family('invalid_latencies_total', 'counter', 'Latencies rejected (negative, NaN or infinite) and not recorded.');
    sample('invalid_latencies_total', '', r.invalidLatencies);
    family('clock_regressions_total', 'counter', 'Clock readings below an earlier reading.');
    sample('clock_regressions_total', '', r.clockRegressions);
    family('last_event_age_seconds', 'gauge', 'Time since the last event (since start before any).');
    sample('last_event_age_seconds', '', r.health.checks[0]!.value / 1000);
    family('health_status', 'gauge', 'Health verdict: 1 for the current status, 0 for the others.');
    for (const status of ['ok', 'degraded', 'down'] as const) sample('health_status', `status="${status}"`, r.health.status === status ? 1 : 0);
    family('health_check', 'gauge', 'Health checks: 1 passing, 0 failing.');
    for (const c of r.health.checks) sample('health_check', `check="${c.name}"`, c.ok ? 1 : 0);
    return `${out.join('\n')}\n`;
  }

  /** Back to a fresh collector (the start time is read from the clock again). */
  reset(): void {
    this.ids.fill(Number.NaN);
    this.eventCounts.fill(0);
    this.errorCounts.fill(0);
    this.curBucket = Number.NaN;
    this.curSlot = 0;
    this.kindIndex.clear();
    this.kindNames.length = 0;
    this.kindTotals.length = 0;
    this.kindRings.length = 0;
    for (const s of this.slices) s.reset();
    this.sliceIds.fill(Number.NaN);
    this.curSlice = Number.NaN;
    this.curSliceSlot = 0;
    this.lastEventTs = Number.NaN;
    this.events = 0;
    this.errors = 0;
    this.invalid = 0;
    this.regressions = 0;
    this.overflow = 0;
    this.latCount = 0;
    this.latSum = 0;
    this.latMin = Number.POSITIVE_INFINITY;
    this.latMax = Number.NEGATIVE_INFINITY;
    this.startTs = this.readClock();
    this.lastClock = this.startTs;
  }

  snapshot(): MetricsCollectorState {
    const bLast = Math.floor(this.lastClock / this.bucketMs);
    const live: number[] = [];
    for (let slot = 0; slot < this.ringSize; slot++) {
      const id = this.ids[slot]!;
      if (id > bLast - this.ringSize && id <= bLast) live.push(slot);
    }
    live.sort((a, b) => this.ids[a]! - this.ids[b]!);
    const buckets = live.map((slot) => [this.ids[slot]!, this.eventCounts[slot]!, this.errorCounts[slot]!]);
    const kinds = this.kindNames.map((name, k): [string, number, number[][]] => {
      const ring = this.kindRings[k]!;
      return [name, this.kindTotals[k]!, live.filter((slot) => ring[slot] !== 0).map((slot) => [this.ids[slot]!, ring[slot]!])];
    });
    const sLast = Math.floor(this.lastClock / this.sliceMs);
    const K = this.slices.length;
    const slices: Array<[number, LogHistogramState]> = [];
    for (let slot = 0; slot < K; slot++) {
      const id = this.sliceIds[slot]!;
      if (id > sLast - K && id <= sLast && this.slices[slot]!.count > 0) slices.push([id, this.slices[slot]!.snapshot()]);
    }
    slices.sort((a, b) => a[0] - b[0]);
    return {
      type: 'MetricsCollector',
      version: 1,
      options: [this.bucketMs, this.latencyWindowMs, K],
      times: encodeNumbers([this.startTs, this.lastClock, this.lastEventTs]),
      counts: [this.events, this.errors, this.invalid, this.regressions, this.overflow],
      latency: encodeNumbers([this.latCount, this.latSum, this.latMin, this.latMax]),
      buckets,
      kinds,
      slices,
    };
  }

  /**
   * Continue from a state of a collector with the same `bucketMs`, `latencyWindowMs` and
   * `latencySlices` (else `InvalidStateError`) and a clock with the same origin (the default
   * `Date.now` has one across processes; `performance.now` does not).
   */
  restore(state: MetricsCollectorState): void {
    checkState(state, T, 1);
    const K = this.slices.length;
    const opts = state.options;
    if (!Array.isArray(opts) || opts[0] !== this.bucketMs || opts[1] !== this.latencyWindowMs || opts[2] !== K) {
      throw new InvalidStateError(T, `state options ${JSON.stringify(opts)} differ from this collector's [${this.bucketMs}, ${this.latencyWindowMs}, ${K}] (bucketMs, latencyWindowMs, latencySlices)`);
    }
    const times = stateNumbers(T, 'times', state.times, 3, 3);
    const counts = stateNumbers(T, 'counts', state.counts, 5, 5).map((x, i) => stateInteger(T, `counts[${i}]`, x));
    const latency = stateNumbers(T, 'latency', state.latency, 4, 4);
    if (!Number.isFinite(times[0]) || !Number.isFinite(times[1])) throw new InvalidStateError(T, `times[0..1] must be finite, got ${JSON.stringify(state.times)}`);
    const rows = (name: string, v: unknown, width: number): number[][] => {
      if (!Array.isArray(v)) throw new InvalidStateError(T, `${name} must be an array, got ${JSON.stringify(v)}`);
      return v.map((row, i) => {
        if (!Array.isArray(row) || row.length !== width) throw new InvalidStateError(T, `${name}[${i}] must be an array of ${width} numbers, got ${JSON.stringify(row)}`);
        return row.map((x, j) => (j === 0 ? stateInteger(T, `${name}[${i}][0]`, x, Number.MIN_SAFE_INTEGER) : stateInteger(T, `${name}[${i}][${j}]`, x)));
      });
    };
    const buckets = rows('buckets', state.buckets, 3);
    if (!Array.isArray(state.kinds)) throw new InvalidStateError(T, `kinds must be an array, got ${JSON.stringify(state.kinds)}`);
    const kinds = state.kinds.map((row, i) => {
      if (!Array.isArray(row) || row.length !== 3 || typeof row[0] !== 'string' || row[0] === '') {
        throw new InvalidStateError(T, `kinds[${i}] must be [kind, total, buckets], got ${JSON.stringify(row)}`);
      }
      return { name: row[0], total: stateInteger(T, `kinds[${i}][1]`, row[1]), buckets: rows(`kinds[${i}][2]`, row[2], 2) };
    });
    if (kinds.length > this.maxKinds) throw new InvalidStateError(T, `the state holds ${kinds.length} error kinds, more than maxErrorKinds (${this.maxKinds})`);
    if (!Array.isArray(state.slices)) throw new InvalidStateError(T, `slices must be an array, got ${JSON.stringify(state.slices)}`);
    const slices = state.slices.map((entry, i): [number, LogHistogramState] => {
      if (!Array.isArray(entry) || entry.length !== 2) throw new InvalidStateError(T, `slices[${i}] must be [sliceId, state], got ${JSON.stringify(entry)}`);
      this.merged.restore(entry[1]); // validates it (the scratch histogram has the same options)
      return [stateInteger(T, `slices[${i}][0]`, entry[0], Number.MIN_SAFE_INTEGER), entry[1]];
    });
    const bucketIds = new Set(buckets.map((row) => row[0]!));
    for (const { name, buckets: kb } of kinds) {
      for (const [id] of kb) {
        if (!bucketIds.has(id!)) throw new InvalidStateError(T, `kind ${JSON.stringify(name)} counts errors in bucket ${id}, which the state does not hold`);
      }
    }

    this.ids.fill(Number.NaN);
    this.eventCounts.fill(0);
    this.errorCounts.fill(0);
    this.curBucket = Number.NaN;
    this.kindIndex.clear();
    this.kindNames.length = 0;
    this.kindTotals.length = 0;
    this.kindRings.length = 0;
    for (const s of this.slices) s.reset();
    this.sliceIds.fill(Number.NaN);
    this.curSlice = Number.NaN;
    for (const [id, events, errors] of buckets as Array<[number, number, number]>) {
      const slot = mod(id, this.ringSize);
      this.ids[slot] = id;
      this.eventCounts[slot] = events;
      this.errorCounts[slot] = errors;
    }
    for (const { name, total, buckets: kb } of kinds) {
      const k = this.addKind(name);
      this.kindTotals[k] = total;
      for (const [id, n] of kb as Array<[number, number]>) this.kindRings[k]![mod(id, this.ringSize)] = n;
    }
    for (const [id, slice] of slices) {
      const slot = mod(id, K);
      this.slices[slot]!.restore(slice);
      this.sliceIds[slot] = id;
    }
    [this.startTs, this.lastClock, this.lastEventTs] = times as [number, number, number];
    [this.events, this.errors, this.invalid, this.regressions, this.overflow] = counts as [number, number, number, number, number];
    [this.latCount, this.latSum, this.latMin, this.latMax] = latency as [number, number, number, number];
  }

  // ---------------------------------------------------------------------------------------------

  private readClock(): number {
    const t = this.clock();
    if (typeof t !== 'number' || t - t !== 0) throw new InvalidInputError('MetricsCollector: clock()', t, 'a finite number of milliseconds');
    return t;
  }

  /** The clock, never below an earlier reading. */
  private now(): number {
    const t = this.readClock();
    if (t < this.lastClock) {
      this.regressions++;
      return this.lastClock;
    }
    this.lastClock = t;
    return t;
  }

  /** Point `curSlot` at the bucket of `now`, clearing a slot that held an older bucket. */
  private advance(now: number): void {
    const b = Math.floor(now / this.bucketMs);
    if (b === this.curBucket) return;
    const slot = mod(b, this.ringSize);
    if (this.ids[slot] !== b) {
      this.ids[slot] = b;
      this.eventCounts[slot] = 0;
      this.errorCounts[slot] = 0;
      const rings = this.kindRings;
      for (let k = 0; k < rings.length; k++) rings[k]![slot] = 0;
    }
    this.curBucket = b;
    this.curSlot = slot;
  }

  private recordLatency(x: number, now: number): void {
    if (!(x >= 0 && x < Number.POSITIVE_INFINITY)) {
      this.invalid++;
      return;
    }
    const s = Math.floor(now / this.sliceMs);
    if (s !== this.curSlice) {
      const slot = mod(s, this.slices.length);
      if (this.sliceIds[slot] !== s) {
        this.slices[slot]!.reset();
        this.sliceIds[slot] = s;
      }
      this.curSlice = s;
      this.curSliceSlot = slot;
    }
    this.slices[this.curSliceSlot]!.record(x);
    this.latCount++;
    this.latSum += x;
    if (x < this.latMin) this.latMin = x;
    if (x > this.latMax) this.latMax = x;
  }

  private kindSlot(kind: string): number {
    const k = this.kindIndex.get(kind);
    if (k !== undefined) return k;
    if (this.kindNames.length < this.maxKinds - 1) return this.addKind(kind);
    this.overflow++;
    return this.kindIndex.get('other') ?? this.addKind('other');
  }

  private addKind(kind: string): number {
    const k = this.kindNames.length;
    this.kindIndex.set(kind, k);
    this.kindNames.push(kind);
    this.kindTotals.push(0);
    this.kindRings.push(new Float64Array(this.ringSize));
    return k;
  }

  /** Sum of `counts` over the buckets of the `windowMs` ending at `now`. */
  private windowSum(counts: Float64Array, now: number, windowMs: number): number {
    const b = Math.floor(now / this.bucketMs);
    const oldest = b - windowMs / this.bucketMs;
    let sum = 0;
    for (let slot = 0; slot < this.ringSize; slot++) {
      const id = this.ids[slot]!;
      if (id > oldest && id <= b) sum += counts[slot]!;
    }
    return sum;
  }

  /** Events per second over the `windowMs` ending at `now`. */
  private rate(now: number, windowMs: number): number {
    const b = Math.floor(now / this.bucketMs);
    const bucketsStart = (b - windowMs / this.bucketMs + 1) * this.bucketMs;
    const spanMs = now - (bucketsStart > this.startTs ? bucketsStart : this.startTs);
    if (!(spanMs > 0)) return Number.NaN;
    return this.windowSum(this.eventCounts, now, windowMs) / (spanMs / 1000);
  }

  /** The window's latency histograms merged (into a scratch histogram). */
  private windowHistogram(now: number): LogHistogram {
    const s = Math.floor(now / this.sliceMs);
    const K = this.slices.length;
    const h = this.merged;
    h.reset();
    for (let slot = 0; slot < K; slot++) {
      const id = this.sliceIds[slot]!;
      if (id > s - K && id <= s) h.merge(this.slices[slot]!);
    }
    return h;
  }

  private healthAt(now: number, errorRate: number, p99: number): Health {
    const age = now - (this.lastEventTs === this.lastEventTs ? this.lastEventTs : this.startTs);
    const fresh = age < this.freshnessMs;
    const errorsOk = !(errorRate >= this.maxErrorRate);
    const latencyOk = !(p99 >= this.maxP99);
    const checks: HealthCheck[] = [
      {
        name: 'freshness',
        ok: fresh,
        value: age,
        threshold: this.freshnessMs,
        unit: 'ms',
        detail: `${this.lastEventTs === this.lastEventTs ? 'last event' : 'no event yet; started'} ${age} ms ago (limit ${this.freshnessMs} ms)`,
      },
      {
        name: 'errorRate',
        ok: errorsOk,
        value: errorRate,
        threshold: this.maxErrorRate,
        unit: 'ratio',
        detail: errorRate === errorRate ? `error rate ${errorRate} over ${this.errorWindowMs} ms (limit ${this.maxErrorRate})` : `no events in the last ${this.errorWindowMs} ms`,
      },
      {
        name: 'latencyP99',
        ok: latencyOk,
        value: p99,
        threshold: this.maxP99,
        unit: 'ms',
        detail: p99 === p99 ? `p99 latency ${p99} ms (limit ${this.maxP99} ms)` : 'no latencies in the window',
      },
    ];
    const status = !fresh ? 'down' : errorsOk && latencyOk ? 'ok' : 'degraded';
    return { status, healthy: status === 'ok', checks };
  }
}

function mod(a: number, n: number): number {
  const r = a % n;
  return r < 0 ? r + n : r === 0 ? 0 : r;
}

/** Escape a label value for the text format: backslash, double quote and line feed. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escape a HELP docstring for the text format: backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as the text format writes it: `NaN`, `+Inf`, `-Inf`, or the shortest decimal. */
function formatValue(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(x);
}

function constLabelText(labels: unknown): string {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw new InvalidOptionError('constLabels', labels, 'an object of label names to string values');
  }
  const parts: string[] = [];
  for (const [name, value] of Object.entries(labels)) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith('__') || RESERVED_LABELS.includes(name)) {
      throw new InvalidOptionError('constLabels', name, `keyed by Prometheus label names ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __, not one of ${RESERVED_LABELS.join(', ')})`);
    }
    if (typeof value !== 'string') throw new InvalidOptionError(`constLabels.${name}`, value, 'a string');
    parts.push(`${name}="${escapeLabelValue(value)}"`);
  }
  return parts.join(',');
}

