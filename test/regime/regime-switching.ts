/**
 * A self-contained regime-switching market for the regime classifier's tests, standing in for the
 * scenario generator of src/sim until it lands. Not a market model: each regime draws the classifier's
 * inputs (RegimeInput) from its own fixed distributions, so the regimes are known by construction.
 *
 * Volatility is per unit of time: an event `dt` ms after the previous moves the log-mid by
 * `drift * dt + sigma * sqrt(dt) * N(0, 1)` (sigma and drift per ms), so more events do not mean more
 * volatility by themselves.
 * - normal: Poisson arrivals at 20 events/s; mid a random walk with sigma 9e-6 per sqrt(ms);
 *   spread (1 + Poisson(0.3)) ticks of 0.01; total depth ~ N(2000, 150) split at random between the
 *   sides; per-event OFI ~ N(0, 40) shares.
 * - flash-crash (a price dislocation): 35 events/s; sigma 4.5e-5 per sqrt(ms), drift -1e-6 per ms;
 *   spread (3 + Poisson(3)) ticks; depth ~ N(700, 150); OFI ~ N(-60, 120).
 * - spoofing (an order-traffic anomaly): 100 events/s; returns and spread as normal; depth ~ N(3500,
 *   300) (layered orders); OFI in bursts of +-250 +- N(0, 60) whose sign flips every 0.5 s.
 *
 * A session starts with 10 minutes of normal trading, then alternates normal stretches of 3 to 6
 * minutes with an episode of 40 to 120 s; the episodes alternate flash-crash and spoofing, the first
 * chosen at random.
 */
import { Random } from '../../src/core/random.js';
import type { RegimeInput } from '../../src/regime/regime-classifier.js';
import type { RegimeTruthLabel } from '../../src/regime/score-regimes.js';

export type SwitchingKind = 'normal' | 'flash-crash' | 'spoofing';

export interface SwitchingSession {
  inputs: RegimeInput[];
  /** The episodes (normal time is unlabelled). */
  labels: RegimeTruthLabel[];
  /** The kind in force at each input. */
  kinds: SwitchingKind[];
}

interface RegimeParams {
  rate: number;
  sigma: number;
  drift: number;
  spreadBase: number;
  spreadExtra: number;
  depthMean: number;
  depthSd: number;
}

const PARAMS: Record<SwitchingKind, RegimeParams> = {
  normal: { rate: 20, sigma: 9e-6, drift: 0, spreadBase: 1, spreadExtra: 0.3, depthMean: 2000, depthSd: 150 },
  'flash-crash': { rate: 35, sigma: 4.5e-5, drift: -1e-6, spreadBase: 3, spreadExtra: 3, depthMean: 700, depthSd: 150 },
  spoofing: { rate: 100, sigma: 9e-6, drift: 0, spreadBase: 1, spreadExtra: 0.5, depthMean: 3500, depthSd: 300 },
};

/** A session of `durationMs` (default one hour) from `seed`. */
export function regimeSwitchingSession(seed: number, durationMs = 3_600_000): SwitchingSession {
  const rnd = new Random(seed);
  // The schedule first.
  const plan: Array<{ kind: SwitchingKind; start: number; end: number }> = [];
  let t = 0;
  let first = true;
  let crash = rnd.bernoulli(0.5);
  while (t < durationMs) {
    const normalLen = first ? 600_000 : rnd.uniform(180_000, 360_000);
    first = false;
    plan.push({ kind: 'normal', start: t, end: Math.min(durationMs, t + normalLen) });
    t += normalLen;
    if (t >= durationMs) break;
    const kind: SwitchingKind = crash ? 'flash-crash' : 'spoofing';
    crash = !crash;
    const len = rnd.uniform(40_000, 120_000);
    plan.push({ kind, start: t, end: Math.min(durationMs, t + len) });
    t += len;
  }
  const inputs: RegimeInput[] = [];
  const kinds: SwitchingKind[] = [];
  let logMid = Math.log(100);
  let ts = 0;
  for (const stretch of plan) {
    const p = PARAMS[stretch.kind];
    ts = Math.max(ts, stretch.start);
    for (;;) {
      const dt = rnd.exponential(p.rate / 1000);
      ts += dt;
      if (ts >= stretch.end) break;
      logMid += p.drift * dt + p.sigma * Math.sqrt(dt) * rnd.normal();
      const mid = Math.round(Math.exp(logMid) * 200) / 200; // on a half-tick grid
      const spread = 0.01 * (p.spreadBase + rnd.poisson(p.spreadExtra));
      const depth = Math.max(50, rnd.normal(p.depthMean, p.depthSd));
      const share = rnd.uniform(0.3, 0.7);
      let ofi: number;
      if (stretch.kind === 'spoofing') {
        const sign = Math.floor((ts - stretch.start) / 500) % 2 === 0 ? 1 : -1;
        ofi = sign * 250 + rnd.normal(0, 60);
      } else if (stretch.kind === 'flash-crash') {
        ofi = rnd.normal(-60, 120);
      } else {
        ofi = rnd.normal(0, 40);
      }
      inputs.push({ ts, mid, spread, ofi, bidDepth: depth * share, askDepth: depth * (1 - share) });
      kinds.push(stretch.kind);
    }
    ts = stretch.end;
  }
  const labels = plan.filter((s) => s.kind !== 'normal').map((s) => ({ kind: s.kind, startMs: s.start, endMs: s.end }));
  return { inputs, labels, kinds };
}
