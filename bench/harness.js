// Benchmark harness: runs benchmark.js cases, each processing a whole batch of events per call, and
// reports events/s, ns/event and the ratio to the suite's baseline case measured in the same run.
import Benchmark from 'benchmark';

/**
 * @typedef {{ name: string, events: number, fn: () => unknown, baseline?: boolean, unit?: string }} Case
 * @typedef {{ suite: string, name: string, eventsPerSec: number, nsPerEvent: number, baseline: string | null, ratioToBaseline: number | null, rme: number, samples: number }} Result
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
 * Run the cases of one suite. The case marked `baseline: true` is the denominator of every ratio.
 * @param {string} suite
 * @param {Case[]} cases
 * @param {{ quick: boolean }} opts
 * @returns {Result[]}
 */
export function runSuite(suite, cases, opts) {
  const results = [];
  const bench = new Benchmark.Suite(suite);
  for (const c of cases) {
    bench.add(c.name, c.fn, {
      minSamples: opts.quick ? 5 : 20,
      maxTime: opts.quick ? 0.5 : 3,
      initCount: 1,
    });
  }
  bench.on('error', (e) => {
    throw e.target.error;
  });
  bench.run({ async: false });
  const base = cases.find((c) => c.baseline);
  let baseRate = NaN;
  bench.forEach((b, i) => {
    const c = cases[i];
    const rate = b.hz * c.events;
    if (c === base) baseRate = rate;
    results.push({
      suite,
      name: c.name,
      eventsPerSec: rate,
      nsPerEvent: 1e9 / rate,
      baseline: base ? base.name : null,
      ratioToBaseline: null,
      rme: b.stats.rme,
      samples: b.stats.sample.length,
    });
  });
  for (const r of results) r.ratioToBaseline = base ? r.eventsPerSec / baseRate : null;
  return results;
}

/** Format results as a markdown table. */
export function table(results) {
  const fmt = (x, d = 0) => (x == null || Number.isNaN(x) ? '' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const lines = ['| suite | case | events/s | ns/event | ratio to baseline | ±% |', '|---|---|---:|---:|---:|---:|'];
  for (const r of results) {
    if (r.suite === 'peers') {
      lines.push(`| peers | ${r.name} | ${fmt(r.eventsPerSec)} | ${fmt(1e9 / r.eventsPerSec, 1)} | ours/peer ${fmt(r.ratioOursToPeer, 2)} | |`);
    } else {
      lines.push(`| ${r.suite} | ${r.name} | ${fmt(r.eventsPerSec)} | ${fmt(r.nsPerEvent, 1)} | ${r.ratioToBaseline == null ? '' : fmt(r.ratioToBaseline, 2)} | ${fmt(r.rme, 1)} |`);
    }
  }
  return lines.join('\n');
}
