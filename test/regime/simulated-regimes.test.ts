/**
 * The regime classifier against the ground truth of the library's own simulator (see
 * simulated-regimes.ts for the sessions, the truth classes and the seeds): with its defaults, on
 * seeds not used to choose them, the regimes agree with the scenario labels (adjusted Rand index >= 0.6).
 *
 * `REGIME_REPORT=1 npx vitest run test/regime/simulated-regimes.test.ts` also prints, per tuning and
 * held-out seed, the ARI and how each scenario kind's books split over the regimes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HELD_OUT_SEEDS, runSimulatedSession, TUNING_SEEDS } from './simulated-regimes.js';

type Session = ReturnType<typeof runSimulatedSession>;

function reportLine(set: string, seed: number, s: Session): string {
  const kinds = Object.entries(s.byKind).map(([kind, row]) => `${kind} ${row.join('/')}`).join(', ');
  return `${set} ${seed}: ARI ${s.score.ari.toFixed(3)} (scored ${s.score.scored}, unknown ${s.score.unknown}; unknown/${s.names.join('/')}: ${kinds})`;
}

describe('RegimeClassifier on labelled MarketSimulator sessions (defaults)', () => {
  const heldOut = new Map<number, Session>();
  beforeAll(() => {
    for (const seed of HELD_OUT_SEEDS) heldOut.set(seed, runSimulatedSession({ seed }));
  });

  for (const seed of HELD_OUT_SEEDS) {
    it(`agrees with the scenario labels of held-out session ${seed}: ARI >= 0.6`, () => {
      const s = heldOut.get(seed)!;
      expect(s.score.table.rows.slice().sort()).toEqual(['manipulation', 'normal', 'stressed']);
      expect(s.score.scored).toBeGreaterThan(20_000);
      expect(s.score.ari).toBeGreaterThanOrEqual(0.6);
    });
  }

  it('agrees on the held-out seeds on average too (with REGIME_REPORT=1 it prints every seed, tuning seeds included)', () => {
    const aris = HELD_OUT_SEEDS.map((seed) => heldOut.get(seed)!.score.ari);
    const mean = aris.reduce((a, b) => a + b, 0) / aris.length;
    expect(mean).toBeGreaterThanOrEqual(0.6);
    if (process.env['REGIME_REPORT'] !== '1') return;
    const lines = HELD_OUT_SEEDS.map((seed) => reportLine('held-out', seed, heldOut.get(seed)!));
    lines.push(`held-out: mean ${mean.toFixed(3)}, min ${Math.min(...aris).toFixed(3)}`);
    const tuning = TUNING_SEEDS.map((seed) => [seed, runSimulatedSession({ seed })] as const);
    for (const [seed, s] of tuning) lines.push(reportLine('tuning', seed, s));
    const t = tuning.map(([, s]) => s.score.ari);
    lines.push(`tuning: mean ${(t.reduce((a, b) => a + b, 0) / t.length).toFixed(3)}, min ${Math.min(...t).toFixed(3)}`);
    console.log(lines.join('\n'));
  });
});
