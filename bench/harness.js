// Benchmark harness: runs benchmark.js cases, each processing a whole batch of events per call, and
// reports events/s, ns/event and the ratio to the suite's baseline case measured in the same run.
//
// Figures are the MEDIAN of benchmark.js's samples (each sample = the mean time per call over many
// calls), not their mean: on a shared machine a few descheduled samples would drag the mean down.
// `rme` (benchmark.js's relative margin of error, %) is kept beside it as the noise indicator, and
// `bestEventsPerSec` (the fastest sample) as the figure least disturbed by other processes.
import Benchmark from 'benchmark';

/**
 * @typedef {{ name: string, events: number, fn: () => unknown, baseline?: boolean, goal?: Goal, requires?: string[], note?: string }} Case
 * @typedef {{ text: string, check: (r: Result) => boolean }} Goal
 * @typedef {{ suite: string, name: string, eventsPerSec: number, nsPerEvent: number, baseline: string | null,
 *   ratioToBaseline: number | null, rme: number | null, samples: number, bestEventsPerSec?: number, goal?: string,
 *   goalMet?: boolean, note?: string }} Result
 * @typedef {{ quick: boolean, maxTime: number, minSamples: number, minTime: number }} TimingOptions
 */

let sink = 0;
/** Keep a value alive so the optimizer cannot drop the work. */
export function consume(x) {
  if (typeof x === 'number') sink += x === x ? x : 0;
  else if (x) sink += 1;
}
export function sinkValue() {
  return sink;
}

/**
 * A pass over `events` calling `step(event)` for each, `reset()` first (when given), the sum kept.
 *
 * Every call compiles a NEW loop function. One shared loop would see a different `step` in every case,
 * its call site would go megamorphic and V8 would stop inlining `step` into it, in every case after
 * the first few: each case would then pay a real call per event, and what is inlined in an
 * application's own loop would be measured as if it were not. (benchmark.js compiles each case's
 * function for the same reason.)
 * @param {ArrayLike<unknown>} events
 * @param {(event: any) => number} step
 * @param {(() => void) | undefined} [reset]
 * @returns {() => void}
 */
export function eachEvent(events, step, reset) {
  // eslint-disable-next-line no-new-func
  const make = new Function(
    'events',
    'step',
    'reset',
    'consume',
    `return function pass() {
      if (reset) reset();
      const n = events.length;
      let acc = 0;
      for (let i = 0; i < n; i++) acc += step(events[i]);
      consume(acc);
    };`,
  );
  return make(events, step, reset, consume);
}

/** Timing options by mode; `--max-time`, `--min-samples` override. */
export function timingOptions({ quick, maxTime, minSamples }) {
  const t = {
    quick,
    maxTime: maxTime ?? (quick ? 0.08 : 2),
    minSamples: minSamples ?? (quick ? 2 : 10),
    minTime: 0,
  };
  // benchmark.js runs each sample for at least minTime (its default is 0.05 s): keep it below maxTime
  t.minTime = Math.min(0.05, t.maxTime / 4);
  return t;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Run the cases of one suite with benchmark.js. The case marked `baseline: true` is the denominator of
 * every ratio. Cases whose `requires` names an export missing from `lib` are skipped (listed in `skipped`).
 * @param {string} suite
 * @param {Case[]} cases
 * @param {TimingOptions} timing
 * @param {{ lib?: object, log?: (s: string) => void, skipped?: string[] }} [ctx]
 * @returns {Result[]}
 */
export function runSuite(suite, cases, timing, ctx = {}) {
  const log = ctx.log ?? (() => {});
  const runnable = cases.filter((c) => {
    const missing = (c.requires ?? []).filter((name) => !(ctx.lib && name in ctx.lib));
    if (missing.length > 0) {
      const why = `${suite} / ${c.name}: skipped (not in the build: ${missing.join(', ')})`;
      log(why);
      ctx.skipped?.push(why);
      return false;
    }
    return true;
  });
  const results = [];
  const bench = new Benchmark.Suite(suite);
  for (const c of runnable) {
    bench.add(c.name, c.fn, {
      minSamples: timing.minSamples,
      maxTime: timing.maxTime,
      minTime: timing.minTime,
      initCount: 1,
      delay: 0,
    });
  }
  let failure = null;
  bench.on('error', (e) => {
    failure ??= e.target.error;
  });
  bench.on('cycle', (e) => log(`  ${suite} / ${e.target.name}: ${e.target.error ? 'ERROR' : `${e.target.stats.sample.length} samples`}`));
  bench.run({ async: false });
  if (failure) throw failure;
  const base = runnable.find((c) => c.baseline);
  let baseRate = NaN;
  bench.forEach((b, i) => {
    const c = runnable[i];
    const perCall = median(b.stats.sample);
    const rate = c.events / perCall;
    const best = c.events / Math.min(...b.stats.sample);
    if (c === base) baseRate = rate;
    const r = {
      suite,
      name: c.name,
      eventsPerSec: rate,
      nsPerEvent: 1e9 / rate,
      baseline: base ? base.name : null,
      ratioToBaseline: null,
      rme: b.stats.rme,
      samples: b.stats.sample.length,
      bestEventsPerSec: best,
    };
    if (c.note) r.note = c.note;
    results.push(r);
  });
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    r.ratioToBaseline = base ? r.eventsPerSec / baseRate : null;
    applyGoal(r, runnable[i].goal);
  }
  return results;
}

/** Record a goal and whether this run met it. */
export function applyGoal(result, goal) {
  if (!goal) return result;
  result.goal = goal.text;
  result.goalMet = Boolean(goal.check(result));
  return result;
}

/**
 * Time an async or long function by whole runs: `reps` runs (after one warm-up run unless
 * `warmup: false`), the median kept.
 * @returns {Promise<{ ms: number, all: number[], result: unknown }>}
 */
export async function medianRuns(reps, fn, { warmup = true } = {}) {
  if (warmup) await fn();
  const times = [];
  let result;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    result = await fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), all: times, result };
}

const fmt = (x, d = 0) => (x == null || Number.isNaN(x) ? '' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));

function goalCell(r) {
  if (r.goal === undefined) return '';
  return `${r.goalMet ? 'met' : '**MISSED**'}: ${r.goal}`;
}

/** Format throughput results (not peers, latency or heap) as a markdown table. */
export function table(results) {
  const lines = ['| suite | case | events/s | ns/event | ratio to baseline | ±% | goal |', '|---|---|---:|---:|---:|---:|---|'];
  for (const r of results) {
    if (r.eventsPerSec === undefined || r.suite === 'peers') continue;
    lines.push(
      `| ${r.suite} | ${r.name}${r.mbPerSec === undefined ? '' : ` (${fmt(r.mbPerSec)} MB/s)`} | ${fmt(r.eventsPerSec)} | ${fmt(r.nsPerEvent, 1)} | ${r.ratioToBaseline == null ? '' : fmt(r.ratioToBaseline, 2)} | ${fmt(r.rme, 1)} | ${goalCell(r)} |`,
    );
  }
  return lines.join('\n');
}

/** Format the peer comparisons as a markdown table. */
export function peerTable(results) {
  const rows = results.filter((r) => r.suite === 'peers');
  if (rows.length === 0) return '';
  const lines = ['| peer:metric | ours events/s | peer events/s | ours / peer | goal |', '|---|---:|---:|---:|---|'];
  for (const r of rows) {
    lines.push(`| ${r.name} | ${fmt(r.eventsPerSec)} | ${fmt(r.peerEventsPerSec)} | ${fmt(r.ratioOursToPeer, 2)} | ${goalCell(r)} |`);
  }
  return lines.join('\n');
}

/** Format latency entries as a markdown table. */
export function latencyTable(results) {
  const rows = results.filter((r) => r.suite === 'latency');
  if (rows.length === 0) return '';
  const lines = [
    '| latency case | events | timer overhead ns | p50 ns | p99 ns | p99.9 ns | max ns | raw p50 / p99 / p99.9 ns | batch-of-64 mean ns | goal |',
    '|---|---:|---:|---:|---:|---:|---:|---|---:|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${fmt(r.events)} | ${fmt(r.timerOverheadNs, 0)} | ${fmt(r.p50Ns, 0)} | ${fmt(r.p99Ns, 0)} | ${fmt(r.p99_9Ns, 0)} | ${fmt(r.maxNs, 0)} | ${fmt(r.raw.p50Ns, 0)} / ${fmt(r.raw.p99Ns, 0)} / ${fmt(r.raw.p99_9Ns, 0)} | ${fmt(r.batchMeanNs, 1)} | ${goalCell(r)} |`,
    );
  }
  return lines.join('\n');
}

/** Format heap entries as a markdown table. */
export function heapTable(results) {
  const rows = results.filter((r) => r.suite === 'heap');
  if (rows.length === 0) return '';
  const lines = ['| heap case | updates | growth bytes | bytes per 10M events | goal |', '|---|---:|---:|---:|---|'];
  for (const r of rows) {
    lines.push(`| ${r.name}${r.warmupCycles > 1 ? ` (after ${r.warmupCycles} warm-up cycles${r.warm ? '' : ', not yet warm'})` : ''} | ${fmt(r.updates)} | ${r.gcAvailable ? fmt(r.heapGrowthBytes) : 'n/a (no --expose-gc)'} | ${fmt(r.bytesPer10MEvents, 0)} | ${goalCell(r)} |`);
  }
  return lines.join('\n');
}
