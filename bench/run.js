#!/usr/bin/env node
// Runs the benchmark suites and writes bench/results.json and a table.
//   npm run bench                       full run on the dev day (../shared/data), or synthetic data
//   npm run bench -- --quick            shorter samples (under two minutes on 2 cores)
//   npm run bench -- --input tiny|dev|synthetic   --suite book,engine,replay,heap   --out FILE
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inputFiles, loadRows } from './data.js';
import { runSuite, table, sinkValue } from './harness.js';
import * as book from './suites/book.js';
import * as engine from './suites/engine.js';
import * as parse from './suites/parse.js';
import { heapGrowth } from './suites/heap.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    input: { type: 'string' },
    suite: { type: 'string', default: 'book,engine,replay,heap' },
    out: { type: 'string', default: join(here, 'results.json') },
  },
});
const input = values.input ?? (inputFiles('dev') ? 'dev' : 'synthetic');
const suites = new Set(values.suite.split(','));
const quick = values.quick;

let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {}

const data = await loadRows(input);
console.error(`input: ${data.name}, ${data.rows.length.toLocaleString('en-US')} rows${quick ? ' (quick)' : ''}`);
const results = [];
if (suites.has('book')) results.push(...runSuite('book signals', book.cases(data), { quick }));
if (suites.has('engine')) results.push(...runSuite('engine', engine.cases(data), { quick }));
if (suites.has('replay')) results.push(...(await parse.run(data, { quick })));
const heap = suites.has('heap') ? heapGrowth(data, { updates: quick ? 2_000_000 : 10_000_000 }) : [];
results.push(...heap);

const report = {
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
  node: process.version,
  commit,
  date: new Date().toISOString(),
  input: data.name,
  quick,
  results,
};
writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`${report.machine.cpu} x${report.machine.cores}, Node ${report.node}, commit ${commit}, input ${data.name}\n`);
console.log(table(results.filter((r) => r.suite !== 'heap')));
for (const h of heap) console.log(`\nheap: ${h.name}: ${h.heapGrowthBytes.toLocaleString('en-US')} bytes over ${h.updates.toLocaleString('en-US')} updates (${h.bytesPerMillion.toFixed(1)} bytes per million)`);
console.error(`(sink ${sinkValue() === 0 ? 0 : 1})`);
