// Per-event latency of the whole engine: a separate pass (not the throughput one) timing every event
// alone with process.hrtime.bigint().
//
// Honesty about the timer: two back-to-back hrtime.bigint() calls take tens of ns, the same order as an
// event. We measure that overhead on the same machine in the same run (the median of an empty timed
// interval, `timerOverheadNs`), report the raw percentiles, and the percentiles with the overhead
// subtracted (each sample minus the median overhead, floored at 0). As a cross-check without per-event
// timer cost, `batchMeanNs` times blocks of 64 events and divides (a mean, no tail), and `batchP99Ns`
// is the 99th percentile of those block means. The BigInts the timer makes are garbage of the
// measurement itself (about one young-generation GC per 200,000 events), which can show in p99.9 and max.
import { applyGoal } from '../harness.js';

/** Nearest-rank percentile of a sorted array. */
function pct(sorted, q) {
  if (sorted.length === 0) return NaN;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[k];
}

/**
 * @param {string} name
 * @param {object[]} events
 * @param {(e: object) => number} step
 * @param {() => void} reset called before every pass
 * @param {{ passes: number, goal?: import('../harness.js').Goal }} opts
 */
export function measureLatency(name, events, step, reset, { passes, goal }) {
  const n = events.length;
  const hr = process.hrtime.bigint;
  // warm up: one untimed pass, so the timed ones see optimized code
  reset();
  let acc = 0;
  for (let i = 0; i < n; i++) acc += step(events[i]);
  // timer overhead: an empty timed interval, as many times as there are events
  const over = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = hr();
    over[i] = Number(hr() - t0);
  }
  over.sort();
  const overhead = pct(over, 0.5);
  const d = new Float64Array(n * passes);
  for (let p = 0; p < passes; p++) {
    reset();
    const o = p * n;
    for (let i = 0; i < n; i++) {
      const t0 = hr();
      acc += step(events[i]);
      d[o + i] = Number(hr() - t0);
    }
  }
  // batch-of-64 timing, one pass
  const k = 64;
  const blocks = Math.floor(n / k);
  const blockMeans = new Float64Array(blocks);
  reset();
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    const t0 = hr();
    for (let j = b * k, e = j + k; j < e; j++) acc += step(events[j]);
    const dt = Number(hr() - t0);
    total += dt;
    blockMeans[b] = dt / k;
  }
  blockMeans.sort();
  const raw = new Float64Array(d);
  raw.sort();
  const adj = d.map((x) => (x > overhead ? x - overhead : 0));
  adj.sort();
  let sum = 0;
  for (let i = 0; i < adj.length; i++) sum += adj[i];
  const r = {
    suite: 'latency',
    name,
    events: n * passes,
    passes,
    timerOverheadNs: overhead,
    p50Ns: pct(adj, 0.5),
    p99Ns: pct(adj, 0.99),
    p99_9Ns: pct(adj, 0.999),
    maxNs: adj.length ? adj[adj.length - 1] : NaN,
    meanNs: adj.length ? sum / adj.length : NaN,
    raw: { p50Ns: pct(raw, 0.5), p99Ns: pct(raw, 0.99), p99_9Ns: pct(raw, 0.999), maxNs: raw.length ? raw[raw.length - 1] : NaN },
    batchMeanNs: blocks > 0 ? total / (blocks * k) : NaN,
    batchP99Ns: pct(blockMeans, 0.99),
    checksum: acc === acc ? 1 : 0,
  };
  return applyGoal(r, goal);
}
