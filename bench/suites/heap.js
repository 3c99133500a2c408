// Heap growth on the hot path: heap used after a full GC, before, half-way through and after N updates
// cycling the input. `bytesPer10MEvents` is the growth over the second half, scaled to 10 million
// events: the steady state, free of one-off costs (optimized code, inline caches) that land early;
// `heapGrowthBytes` is the whole growth. Each cycle shifts every time stamp by a whole day (in place, no
// allocation), so the time-based operators see time move forward as in a long stream, and windows and
// rings that grow with time would show. Needs node --expose-gc (the bench script passes it); without it
// the figure is marked unavailable.
import { applyGoal } from '../harness.js';
import { cycleLengthMs, saveTimes, shiftTimes } from '../data.js';

// Zero growth, within the measurement's noise: heapUsed after GC moves by a few KiB between two
// measurements with no work in between (code, inline caches), while a leak of a single 8-byte number per
// event would be 80 MB per 10M events. 64 KiB per 10M events separates the two.
const ZERO = {
  text: 'no heap growth (< 64 KiB per 10M events in the steady state; noise is a few KiB)',
  check: (r) => r.gcAvailable && r.bytesPer10MEvents < 65_536,
};

/**
 * @param {string} name
 * @param {object} data the input (its times are shifted and restored)
 * @param {object[]} events what `step` takes, in order
 * @param {(e: object) => number} step
 * @param {number} updates how many events in all (whole cycles, at least one after the warm-up)
 * @param {{ warmUntil?: () => boolean, maxWarmupCycles?: number }} [options] `warmUntil`: more warm-up
 *   cycles until it returns true (at most `maxWarmupCycles`, default 200): for state that is bounded but
 *   fills slowly, e.g. an alert manager's history and audit rings (1,000 alerts each by default), which
 *   would otherwise be measured filling up as if it were growth
 */
export function measureHeap(name, data, events, step, updates, options = {}) {
  const gc = globalThis.gc;
  const n = events.length;
  const saved = saveTimes(data);
  const cycle = cycleLengthMs(data);
  let acc = 0;
  let offset = 0;
  try {
    // warm-up cycles: every lazy allocation (rings growing to the day's needs, optimized code) happens here
    const maxWarmup = options.maxWarmupCycles ?? 200;
    let warmupCycles = 0;
    do {
      for (let i = 0; i < n; i++) acc += step(events[i]);
      offset += cycle;
      shiftTimes(data, saved, offset);
      warmupCycles++;
    } while (options.warmUntil !== undefined && !options.warmUntil() && warmupCycles < maxWarmup);
    const heap = () => {
      if (gc) {
        gc();
        gc();
      }
      return process.memoryUsage().heapUsed;
    };
    const cycles = Math.max(2, Math.ceil(updates / n));
    const half = cycles >> 1;
    const before = heap();
    let middle = before;
    for (let c = 0; c < cycles; c++) {
      if (c === half) middle = heap();
      for (let i = 0; i < n; i++) acc += step(events[i]);
      offset += cycle;
      shiftTimes(data, saved, offset);
    }
    const after = heap();
    const done = cycles * n;
    const secondHalf = (cycles - half) * n;
    const r = {
      suite: 'heap',
      name,
      updates: done,
      heapGrowthBytes: gc ? after - before : null,
      secondHalfGrowthBytes: gc ? after - middle : null,
      bytesPer10MEvents: gc ? ((after - middle) * 1e7) / secondHalf : NaN,
      gcAvailable: Boolean(gc),
      warmupCycles,
      warm: options.warmUntil === undefined ? true : options.warmUntil(),
      checksum: acc === acc ? 1 : 0,
    };
    return applyGoal(r, ZERO);
  } finally {
    shiftTimes(data, saved, 0);
  }
}
