#!/usr/bin/env node
// Bytes allocated per event on the hot paths, including the short-lived objects the young-generation GC
// reclaims (which heap-growth figures cannot see): V8's sampling allocation profiler (inspector
// HeapProfiler.startSampling with the objects collected by minor and major GCs kept), one pass over
// the dev day after three warm-up passes, sampling interval 256 bytes. The operators allocate nothing
// per event themselves; what shows here is mostly V8 boxing a double returned by a call it did not
// inline. Usage: npm run build && node bench/alloc.js
import { Session } from 'node:inspector/promises';
import { inputFiles, loadInput } from './data.js';
import { eachEvent } from './harness.js';
import { makeIssuePipeline } from './suites/book.js';
import { engineStep, makeEngine } from './suites/engine.js';
import { makeSurveillancePipeline } from './suites/surveillance.js';
import { makeAllTrades } from './suites/trades.js';

const lib = await import('../dist/index.js');
const node = await import('../dist/node.js');
const data = await loadInput(inputFiles('dev') ? 'dev' : 'synthetic', { lib, node });
const session = new Session();
session.connect();

/** Sampled bytes allocated per event over one pass of `step` over `events`. */
async function bytesPerEvent(events, step, reset) {
  const pass = eachEvent(events, step, reset); // resets, then one pass in a loop of its own
  for (let r = 0; r < 3; r++) pass();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  pass();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  let total = 0;
  const walk = (n) => {
    total += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  return total / events.length;
}

console.log(`input: ${data.name}; bytes allocated per event (sampled, young-generation garbage included)`);
const book = makeIssuePipeline(lib);
console.log(`book pipeline (validate + six signals + EWMA), per book: ${(await bytesPerEvent(data.books, book, book.reset)).toFixed(0)}`);
const engine = makeEngine(lib, data);
console.log(`whole engine, per row: ${(await bytesPerEvent(data.rows, engineStep(engine), () => engine.reset())).toFixed(0)}`);
const trades = makeAllTrades(lib, data);
console.log(`all trade operators, per trade: ${(await bytesPerEvent(data.trades, trades, trades.reset)).toFixed(0)}`);
const surveillance = makeSurveillancePipeline(lib, data);
console.log(`engine with surveillance + metrics, per row: ${(await bytesPerEvent(data.rows, surveillance, surveillance.reset)).toFixed(0)}`);
session.disconnect();
