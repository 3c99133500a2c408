#!/usr/bin/env node
// Runs the benchmark suites and writes bench/results.json and the tables (see bench/README.md).
//   npm run bench                          full run on the dev day (../shared/data), else synthetic data
//   npm run bench -- --quick               short samples on the first 50,000 rows (under two minutes on 2 cores)
//   npm run bench -- --input tiny|dev|synthetic  --suite book,trades,...  --out FILE
//   budget overrides: --max-time S (per case)  --min-samples N  --reps N (whole-run cases)
//                     --heap-updates N  --latency-passes N  --synthetic-events N (with --input synthetic)
//                     --rows N (keep the first N rows in memory; quick: 50,000; the parsers read whole files)
//   --in-process: run every selected suite in this one process (by default each group of suites runs
//                 in its own child process, see ISOLATION below)
// Progress goes to stderr, the tables to stdout.
import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inputFiles, loadInput } from './data.js';
import { heapTable, latencyTable, peerTable, runSuite, sinkValue, table, timingOptions } from './harness.js';
import * as book from './suites/book.js';
import * as stats from './suites/stats.js';
import * as trades from './suites/trades.js';
import * as l3 from './suites/l3.js';
import * as engine from './suites/engine.js';
import * as sim from './suites/sim.js';
import * as surveillance from './suites/surveillance.js';
import * as parse from './suites/parse.js';
import { measureLatency } from './suites/latency.js';
import { measureHeap } from './suites/heap.js';
import { measureRss } from './suites/rss.js';
import * as orderflow from './peers/orderflow-metrics.js';
import * as numpy from './peers/numpy.js';

const here = dirname(fileURLToPath(import.meta.url));
const ALL = ['book', 'stats', 'trades', 'l3', 'engine', 'detectors', 'alerts', 'metrics', 'surveillance', 'sim', 'latency', 'heap', 'replay', 'memory', 'orderflow-metrics', 'numpy'];
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    input: { type: 'string' },
    suite: { type: 'string', default: ALL.join(',') },
    out: { type: 'string', default: join(here, 'results.json') },
    'max-time': { type: 'string' },
    'min-samples': { type: 'string' },
    reps: { type: 'string' },
    'heap-updates': { type: 'string' },
    'latency-passes': { type: 'string' },
    'synthetic-events': { type: 'string' },
    rows: { type: 'string' },
    'in-process': { type: 'boolean', default: false },
  },
});
const num = (name) => {
  const v = values[name];
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!(x > 0)) throw new Error(`--${name} must be a positive number, got '${v}'`);
  return x;
};
const quick = values.quick;
const input = values.input ?? (inputFiles('dev') ? 'dev' : 'synthetic');
const selected = new Set(values.suite.split(',').map((s) => s.trim()).filter(Boolean));
for (const s of selected) if (!ALL.includes(s)) throw new Error(`unknown suite '${s}' (known: ${ALL.join(', ')})`);
const timing = timingOptions({ quick, maxTime: num('max-time'), minSamples: num('min-samples') });
const reps = num('reps') ?? (quick ? 1 : 7);
const heapUpdates = num('heap-updates') ?? (quick ? 300_000 : 10_000_000);
const latencyPasses = num('latency-passes') ?? (quick ? 1 : 5);
const started = performance.now();
const log = (s) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${s}\n`);

// ISOLATION. V8 optimizes a function for the object shapes and callees it has seen. Suites run one
// after another in one process share the library's functions (checkTrade, the quote history, the
// validator, ...) and feed them other shapes and other callers: a suite measured late in a long run
// measures code that earlier suites left megamorphic (the L3 book: 1.35 M messages/s late in a full
// run, 4.7 M alone). An application runs its own pipeline, so by default each group of suites runs in
// a fresh child process; the JSON and tables merge their results. The numpy peer (a Python process,
// nothing of ours to isolate) runs last in this process, next to the merged figures it compares with.
const GROUPS = [['book'], ['stats'], ['trades'], ['l3'], ['engine'], ['detectors'], ['alerts'], ['metrics'], ['surveillance'], ['sim'], ['latency'], ['heap'], ['replay'], ['memory'], ['orderflow-metrics']];
const groups = GROUPS.map((g) => g.filter((id) => selected.has(id))).filter((g) => g.length > 0);
if (!values['in-process'] && (groups.length > 1 || (groups.length === 1 && selected.has('numpy')))) {
  const passOn = [];
  for (const [name, v] of Object.entries(values)) {
    if (name === 'suite' || name === 'out' || name === 'in-process' || v === undefined || v === false) continue;
    passOn.push(v === true ? `--${name}` : `--${name}=${v}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'microstructure-bench-'));
  const reports = [];
  try {
    for (const g of groups) {
      const out = join(dir, `${g.join('-')}.json`);
      log(`process: ${g.join(', ')}`);
      execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...passOn, `--suite=${g.join(',')}`, `--out=${out}`, '--in-process'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      reports.push(JSON.parse(readFileSync(out, 'utf8')));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const first = reports[0] ?? { machine: { loadAverage: [] }, options: {}, versions: {} };
  const merged = {
    ...first,
    machine: { ...first.machine, loadAverage: loadavg() },
    date: new Date().toISOString(),
    options: { ...first.options, suites: [...selected], isolated: groups },
    versions: Object.assign({}, ...reports.map((r) => r.versions)),
    seconds: (performance.now() - started) / 1000,
    skipped: reports.flatMap((r) => r.skipped),
    results: reports.flatMap((r) => r.results),
  };
  if (selected.has('numpy')) {
    const lib = await import('../dist/index.js');
    const node = await import('../dist/node.js');
    const data = await loadInput(input, { lib, node }, { syntheticEvents: num('synthetic-events') ?? (quick ? 50_000 : 150_000), maxRows: num('rows') ?? (quick ? 50_000 : Infinity) });
    numpyPeer({ lib, data, results: merged.results, versions: merged.versions, skip: (why) => (log(`skip: ${why}`), merged.skipped.push(why)) });
  }
  merged.seconds = (performance.now() - started) / 1000;
  writeFileSync(values.out, `${JSON.stringify(merged, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  printReport(merged);
  log(`wrote ${values.out}`);
  process.exit(0);
}

function git(cmd) {
  try {
    return execSync(`git ${cmd}`, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(here, '..', 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

const lib = await import('../dist/index.js');
const node = await import('../dist/node.js');
const maxRows = num('rows') ?? (quick ? 50_000 : Infinity);
const data = await loadInput(input, { lib, node }, { syntheticEvents: num('synthetic-events') ?? (quick ? 50_000 : 150_000), maxRows });
log(`input: ${data.name}: ${data.rows.length.toLocaleString('en-US')} rows, ${data.trades.length.toLocaleString('en-US')} trades${quick ? ' (quick)' : ''}`);

const results = [];
const skipped = [];
const skip = (why) => {
  log(`skip: ${why}`);
  skipped.push(why);
};
const ctx = { lib, node, data, timing, quick, reps, log, skipped };

/** Run a benchmark.js suite unless the build lacks what it needs (a module not written yet). */
function syncSuite(mod) {
  if (!selected.has(mod.id)) return;
  const missing = mod.requires.filter((name) => !(name in lib));
  if (missing.length > 0) {
    skip(`suite '${mod.title}': the build has no ${missing.join(', ')} (module not there yet)`);
    return;
  }
  log(`suite: ${mod.title}`);
  const cases = mod.cases(ctx);
  if (cases.length === 0) {
    skip(`suite '${mod.title}': nothing to run`);
    return;
  }
  results.push(...runSuite(mod.title, cases, timing, { lib, log, skipped }));
}

syncSuite(book);
syncSuite(stats);
syncSuite(trades);
syncSuite(l3);
syncSuite(engine);
for (const s of surveillance.suites) syncSuite(s);
syncSuite(sim);

if (selected.has('latency')) {
  log('suite: latency');
  const whole = engine.makeEngine(lib, data);
  const step = engine.engineStep(whole);
  results.push(
    measureLatency('whole engine, per event (order + trade + book)', data.rows, step, () => whole.reset(), { passes: latencyPasses }),
  );
  if (surveillance.pipeline.requires.every((name) => name in lib)) {
    const s = surveillance.makeSurveillancePipeline(lib, data);
    results.push(
      measureLatency('surveillance pipeline, per event (engine + detectors + alerts + metrics)', data.rows, s, s.reset, {
        passes: latencyPasses,
        goal: { text: 'p99 < 2,000 ns', check: (r) => r.p99Ns < 2000 },
      }),
    );
  } else skip(`latency: surveillance pipeline: the build has no ${surveillance.pipeline.requires.filter((name) => !(name in lib)).join(', ')}`);
  const signals = book.makeSignals(lib);
  results.push(measureLatency('book signals, per snapshot', data.books, signals, signals.reset, { passes: latencyPasses }));
}

if (selected.has('heap')) {
  log(`suite: heap (${heapUpdates.toLocaleString('en-US')} updates a case)`);
  if (!globalThis.gc) skip('heap: run node with --expose-gc (npm run bench does) for heap figures');
  const pipeline = book.makeBookPipeline(lib);
  results.push(measureHeap('book pipeline (validate + signals + EWMA), per snapshot', data, data.books, pipeline, heapUpdates));
  const whole = engine.makeEngine(lib, data);
  results.push(measureHeap('whole engine, per event (order + trade + book)', data, data.rows, engine.engineStep(whole), heapUpdates));
  if (trades.requires.every((name) => name in lib) && data.trades.length > 0) {
    results.push(measureHeap('all trade operators together, per trade', data, data.trades, trades.makeAllTrades(lib, data), heapUpdates));
  }
  if (surveillance.pipeline.requires.every((name) => name in lib)) {
    const s = surveillance.makeSurveillancePipeline(lib, data);
    // warm until the alert manager's history and audit rings are full (bounded, but they fill slowly)
    const full = lib.DEFAULT_ALERT_MANAGER_OPTIONS ? Math.max(lib.DEFAULT_ALERT_MANAGER_OPTIONS.historyCapacity, lib.DEFAULT_ALERT_MANAGER_OPTIONS.auditCapacity) : 0;
    results.push(
      measureHeap('surveillance pipeline, per event (engine + detectors + alerts + metrics)', data, data.rows, s, heapUpdates, {
        warmUntil: () => s.alerts() >= full,
        maxWarmupCycles: quick ? 2 : 200,
      }),
    );
  }
}

if (selected.has('replay')) {
  const missing = parse.nodeRequires.filter((name) => !(name in node));
  if (missing.length > 0) skip(`suite 'parsers': the build has no ${missing.join(', ')}`);
  else {
    log('suite: parsers');
    results.push(...(await parse.run(ctx)));
  }
}

const versions = { 'orderflow-metrics': packageVersion('orderflow-metrics'), benchmark: packageVersion('benchmark') };
if (selected.has('memory')) results.push(...measureRss(data.files, log));

if (selected.has('orderflow-metrics')) {
  let om = null;
  try {
    om = await import('orderflow-metrics');
  } catch (e) {
    skip(`peer orderflow-metrics: not importable (${e.message}); install the dev dependencies`);
  }
  const missing = ['Ofi', 'MultiLevelOfi', 'obi', 'microprice', 'mid', 'spreadBps', 'spread', ...trades.requires].filter((name) => !(name in lib));
  if (om !== null && missing.length > 0) skip(`peer orderflow-metrics: the build has no ${missing.join(', ')}`);
  else if (om !== null) {
    log('peer: orderflow-metrics');
    results.push(...orderflow.run({ lib, om, data, timing, log, skipped }));
  }
}

if (selected.has('numpy')) numpyPeer({ lib, data, results, versions, skip });

const cpu = cpus();
const dirty = git('status --porcelain');
const report = {
  machine: {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    loadAverage: loadavg(),
  },
  node: process.version,
  v8: process.versions.v8,
  commit: git('rev-parse --short HEAD') ?? 'unknown',
  dirty: dirty === null ? null : dirty.length > 0,
  date: new Date().toISOString(),
  input: data.name,
  rows: data.rows.length,
  fileRows: data.fileRows,
  trades: data.trades.length,
  quick,
  options: { ...timing, reps, heapUpdates, latencyPasses, rows: Number.isFinite(maxRows) ? maxRows : null, suites: [...selected] },
  versions,
  seconds: (performance.now() - started) / 1000,
  skipped,
  results,
};
writeFileSync(values.out, `${JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);

printReport(report);
log(`wrote ${values.out} (sink ${sinkValue() === 0 ? 0 : 1})`);

/** The tables (markdown) of a report on stdout. */
function printReport(report) {
  const m = report.machine;
  console.log(`${m.cpu} x${m.cores}, ${m.os}, Node ${report.node}, commit ${report.commit}${report.dirty ? ' (dirty)' : ''}, input ${report.input}`);
  console.log(`load average at the end: ${m.loadAverage.map((x) => x.toFixed(2)).join(' ')}; ${report.seconds.toFixed(0)} s\n`);
  const results = report.results;
  const skipped = report.skipped;
  const memoryRows = results.filter((r) => r.suite === 'memory');
  const memoryTable =
    memoryRows.length === 0
      ? ''
      : ['| memory | peak RSS (MiB) | ratio to once | goal |', '|---|---:|---:|---|']
          .concat(memoryRows.map((r) => `| ${r.name} | ${(r.rssBytes / 2 ** 20).toFixed(1)} | ${r.ratioToOnce === undefined ? '' : r.ratioToOnce.toFixed(2)} | ${r.goal === undefined ? '' : `${r.goalMet ? 'met' : '**MISSED**'}: ${r.goal}`} |`))
          .join('\n');
  for (const t of [table(results), peerTable(results), latencyTable(results), heapTable(results), memoryTable]) if (t) console.log(`${t}\n`);
  if (skipped.length > 0) console.log(`skipped:\n${skipped.map((s) => `- ${s}`).join('\n')}`);
}

/**
 * The numpy (and pandas) peer: runs bench/peers/numpy_signals.py on the input's orderbook file and adds
 * its entries next to our figures in `results` (the book signals suite's, and the parser's if present).
 */
function numpyPeer({ lib, data, results, versions, skip }) {
  const file = data.files?.orderbook;
  if (!file) return skip('peer numpy: needs a LOBSTER input (dev or tiny), not synthetic');
  if (!results.some((r) => r.suite === 'book signals')) return skip('peer numpy: compares with the book signals suite; run it too (--suite book,numpy)');
  log('peer: numpy');
  const out = numpy.runScript(file, { reps: quick ? 3 : 7, rows: data.rows.length });
  if (out.skipped) return skip(`peer numpy: ${out.skipped}`);
  versions.numpy = out.numpy;
  versions.python = out.python;
  versions.pandas = out.pandas?.version ?? null;
  versions.blasThreads = out.blasThreads;
  if (out.pandas?.skipped) skip(`peer pandas: ${out.pandas.skipped}`);
  results.push(...numpy.entries(out, results, numpy.ourSums(lib, data.books)));
  const bad = results.filter((r) => r.sumsAgree === false);
  if (bad.length > 0) log(`WARNING: numpy and the library disagree on ${bad.map((r) => r.name).join('; ')}`);
}
