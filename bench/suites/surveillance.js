// Surveillance: the anomaly detectors (src/detectors), the AlertManager (src/alerts) and the
// MetricsCollector (src/metrics), each suite skipped while the build does not export its module yet.
//
// - detectors: every class of the build that extends BaseDetector, constructed with its defaults (one
//   that cannot be is skipped and listed), each alone and all together, per row (order, trade, book:
//   each detector is called only for the event types its `inputs` bits name), plus the trade detectors
//   of src/trades (UnusualSize, RapidTrading). Against the bare read of the same rows.
// - alerts: AlertManager.update on a prebuilt stream of signals (14 kinds, 40 price buckets, both
//   sides, 10 ms apart, so de-duplication, escalation and the audit chain all work). Against a bare
//   read of the same signal objects.
// - metrics: MetricsCollector.recordEvent with a latency per event (its default clock, Date.now, is read
//   on every call, as in use). Against a bare read of the same latencies.
// - surveillance pipeline: the engine with surveillance on (validator, signals, trade analytics, all
//   detectors on its validation, AlertManager) + a MetricsCollector, per row: the whole-engine
//   case. (A build without the engine's surveillance option gets the same parts wired by hand.)
import { consume, eachEvent } from '../harness.js';
import { bareRow, engineStep, makeEngine } from './engine.js';

/** Adapters, not detectors: they need constructor arguments. */
const NOT_DETECTORS = new Set(['TradeDetector']);

/** The detector classes of the build: subclasses of BaseDetector, by export name. */
export function detectorClasses(lib) {
  const base = lib.BaseDetector;
  if (typeof base !== 'function') return [];
  return Object.keys(lib)
    .filter((k) => !NOT_DETECTORS.has(k) && typeof lib[k] === 'function' && lib[k].prototype instanceof base)
    .sort()
    .map((name) => ({ name, Class: lib[name] }));
}

/** Construct every detector with its defaults; returns those that could be, and why others could not. */
export function makeDetectors(lib) {
  const made = [];
  const failed = [];
  for (const { name, Class } of detectorClasses(lib)) {
    try {
      const d = new Class();
      made.push({ name, d, book: (d.inputs & 1) !== 0, trade: (d.inputs & 2) !== 0, order: (d.inputs & 4) !== 0 });
    } catch (e) {
      failed.push(`${name}: ${e.message}`);
    }
  }
  return { made, failed };
}

/**
 * All detectors on one row; returns the number of signals. `onSignal`, when given, receives every
 * signal (e.g. an AlertManager's update). With the build's DetectorSet (every detector with its
 * defaults, plus UnusualSize and RapidTrading, and its quarantine of bad events) when it has one, else
 * a hand-made fan-out over the detector classes found.
 */
export function makeAllDetectors(lib, onSignal = null) {
  if (typeof lib.DetectorSet === 'function') {
    const set = new lib.DetectorSet();
    const emit = (signals) => {
      const k = signals.length;
      if (onSignal !== null) for (let i = 0; i < k; i++) onSignal(signals[i]);
      return k;
    };
    const step = (r) => {
      let fired = emit(set.onOrder(r.order));
      if (r.trade !== null) fired += emit(set.onTrade(r.trade));
      return fired + emit(set.onBook(r.book));
    };
    step.reset = () => set.reset();
    step.count = lib.DETECTOR_KINDS ? lib.DETECTOR_KINDS.length : NaN;
    step.failed = [];
    step.label = 'DetectorSet';
    return step;
  }
  return makeFanOut(lib, onSignal);
}

/** A hand-made fan-out over the detector classes found (when the build has no DetectorSet). */
function makeFanOut(lib, onSignal) {
  const { made, failed } = makeDetectors(lib);
  const books = made.filter((x) => x.book).map((x) => x.d);
  const tradesIn = made.filter((x) => x.trade).map((x) => x.d);
  const orders = made.filter((x) => x.order).map((x) => x.d);
  const tradeOps = [];
  if (lib.UnusualSize) tradeOps.push(new lib.UnusualSize());
  if (lib.RapidTrading) tradeOps.push(new lib.RapidTrading());
  const nb = books.length;
  const nt = tradesIn.length;
  const no = orders.length;
  const nx = tradeOps.length;
  const emit = (s) => {
    if (s === null) return 0;
    if (onSignal !== null) onSignal(s);
    return 1;
  };
  const step = (r) => {
    let fired = 0;
    for (let k = 0; k < no; k++) fired += emit(orders[k].onOrder(r.order));
    const t = r.trade;
    if (t !== null) {
      for (let k = 0; k < nt; k++) fired += emit(tradesIn[k].onTrade(t));
      for (let k = 0; k < nx; k++) fired += emit(tradeOps[k].update(t));
    }
    for (let k = 0; k < nb; k++) fired += emit(books[k].onBook(r.book));
    return fired;
  };
  step.reset = () => {
    for (const x of made) x.d.reset();
    for (const x of tradeOps) x.reset();
  };
  step.count = made.length + tradeOps.length;
  step.failed = failed;
  step.label = 'hand-made fan-out';
  return step;
}

function perRow(name, rows, step, extra = {}) {
  const n = rows.length;
  return {
    name,
    events: n,
    ...extra,
    fn: eachEvent(rows, step, step.reset),
  };
}

export const detectors = {
  id: 'detectors',
  title: 'detectors',
  requires: ['BaseDetector'],
  cases({ lib, data, skipped }) {
    const { rows } = data;
    const { made, failed } = makeDetectors(lib);
    for (const f of failed) skipped.push(`detectors / ${f}`);
    const out = [{ ...perRow('bare loop (read every field of order, trade, book)', rows, bareRow), baseline: true }];
    for (const x of made) {
      const d = x.d;
      const step = (r) => {
        let fired = 0;
        if (x.order && d.onOrder(r.order) !== null) fired++;
        if (x.trade && r.trade !== null && d.onTrade(r.trade) !== null) fired++;
        if (x.book && d.onBook(r.book) !== null) fired++;
        return fired;
      };
      step.reset = () => d.reset();
      out.push(perRow(x.name, rows, step));
    }
    const all = makeAllDetectors(lib);
    out.push(perRow(`all detectors together (${all.label}, ${all.count} kinds)`, rows, all));
    return out;
  },
};

/** A prebuilt signal stream for the AlertManager. */
export function makeSignals(lib, count, startTs) {
  const kinds = lib.SIGNAL_KINDS ?? ['spoofing', 'depthShock', 'heavyImbalance', 'flashCrash'];
  const severities = ['info', 'warning', 'critical'];
  const out = new Array(count);
  let x = 12345;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = {
      kind: kinds[x % kinds.length],
      severity: severities[(x >> 8) % 3],
      ts: startTs + i * 10,
      side: (x >> 4) & 1 ? 1 : -1,
      price: 100 + ((x >> 12) % 40) * 0.01,
      score: (x % 1000) / 100,
      evidence: { z: (x % 1000) / 100 },
    };
  }
  return out;
}

export const alerts = {
  id: 'alerts',
  title: 'alerts',
  requires: ['AlertManager'],
  cases({ lib, data }) {
    const n = Math.max(1, Math.min(data.rows.length, 5_000));
    const signals = makeSignals(lib, n, data.rows[0]?.book.ts ?? 0);
    const am = new lib.AlertManager();
    return [
      {
        name: 'bare loop (read every field of the signals)',
        baseline: true,
        events: n,
        fn: () => {
          let acc = 0;
          for (let i = 0; i < n; i++) {
            const s = signals[i];
            acc += s.ts + s.side + s.price + s.score + s.kind.length + s.severity.length + s.evidence.z;
          }
          consume(acc);
        },
      },
      {
        name: 'AlertManager.update (dedup 5 s, escalation, audit chain)',
        events: n,
        fn: () => {
          am.reset();
          let acc = 0;
          for (let i = 0; i < n; i++) if (am.update(signals[i], 'BENCH') !== null) acc++;
          consume(acc);
        },
      },
    ];
  },
};

export const metrics = {
  id: 'metrics',
  title: 'metrics',
  requires: ['MetricsCollector'],
  cases({ lib, data }) {
    const n = data.rows.length;
    const lat = new Float64Array(n);
    for (let i = 0; i < n; i++) lat[i] = 0.0002 + ((i * 7919) % 1000) * 1e-6; // 200 ns to 1.2 us, in ms
    const mc = new lib.MetricsCollector();
    return [
      {
        name: 'bare loop (read the latencies)',
        baseline: true,
        events: n,
        fn: () => {
          let acc = 0;
          for (let i = 0; i < n; i++) acc += lat[i];
          consume(acc);
        },
      },
      {
        name: 'MetricsCollector.recordEvent(latency) (Date.now clock)',
        events: n,
        fn: () => {
          for (let i = 0; i < n; i++) mc.recordEvent(lat[i]);
          consume(mc.events ?? 1);
        },
      },
    ];
  },
};

/** Engine + all detectors + AlertManager + MetricsCollector (event count only) per row. */
export function makeSurveillancePipeline(lib, data) {
  const mc = lib.MetricsCollector ? new lib.MetricsCollector() : null;
  let alerted = 0;
  let engine = null;
  try {
    // the product path: the engine runs the detectors (sharing its validation) and the alert manager
    engine = makeEngine(lib, data, { surveillance: {}, onAlert: () => alerted++ });
  } catch {
    engine = null; // a build whose engine has no surveillance option: compose the parts below
  }
  if (engine !== null) {
    const eng = engineStep(engine);
    const step = (r) => {
      const acc = eng(r);
      if (mc !== null) mc.recordEvent();
      return acc;
    };
    step.reset = () => {
      engine.reset();
      mc?.reset();
      alerted = 0;
    };
    step.alerts = () => alerted;
    return step;
  }
  const plain = makeEngine(lib, data);
  const eng = engineStep(plain);
  const am = lib.AlertManager ? new lib.AlertManager() : null;
  const det = makeAllDetectors(lib, am === null ? null : (s) => {
    if (am.update(s, 'BENCH') !== null) alerted++;
  });
  const step = (r) => {
    const acc = eng(r) + det(r);
    if (mc !== null) mc.recordEvent();
    return acc;
  };
  step.reset = () => {
    plain.reset();
    det.reset();
    am?.reset();
    mc?.reset();
    alerted = 0;
  };
  step.alerts = () => alerted;
  return step;
}

export const pipeline = {
  id: 'surveillance',
  title: 'surveillance pipeline',
  requires: ['Engine', 'BaseDetector', 'AlertManager', 'MetricsCollector'],
  cases({ lib, data }) {
    const { rows } = data;
    return [
      { ...perRow('bare loop (read every field of order, trade, book)', rows, bareRow), baseline: true },
      perRow('engine with surveillance (all detectors + AlertManager) + MetricsCollector', rows, makeSurveillancePipeline(lib, data), {
        goal: { text: '>= 2,000,000 events/s', check: (r) => r.eventsPerSec >= 2e6 },
      }),
    ];
  },
};

export const suites = [detectors, alerts, metrics, pipeline];
