/**
 * fast-check arbitraries and a driver for the AlertManager tests: mixed sequences of signals and
 * review actions.
 */
import fc from 'fast-check';
import type { AlertManager } from '../../src/alerts/alert-manager.js';
import type { Signal, SignalSeverity } from '../../src/trades/signal.js';

export type AlertOp =
  | { type: 'signal'; ts: number; symbol: string; signal: Signal }
  | { type: 'acknowledge' | 'close'; pick: number; by: string; ts: number; comment: string };

export const severityArb = fc.constantFrom<SignalSeverity>('info', 'warning', 'critical');

/** A signal at time `ts` from a small set of kinds, sides and prices (so fingerprints repeat). */
export function signalArb(ts: fc.Arbitrary<number>): fc.Arbitrary<{ symbol: string; signal: Signal }> {
  return fc.record({
    ts,
    kind: fc.constantFrom('spoofing', 'depthShock', 'heavyImbalance', 'layering'),
    symbol: fc.constantFrom('A', 'B'),
    side: fc.constantFrom<-1 | 0 | 1>(-1, 0, 1),
    price: fc.constantFrom(100, 100.004, 100.01, 100.02, Number.NaN),
    severity: severityArb,
    score: fc.double({ min: 0, max: 10, noNaN: true }),
    size: fc.integer({ min: 0, max: 5000 }),
  }).map(({ symbol, size, ...s }) => ({ symbol, signal: { ...s, evidence: { size } } }));
}

/** Signals (time anywhere in [0, 30 s], so late ones occur) mixed with reviews. */
export const opsArb: fc.Arbitrary<AlertOp[]> = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: signalArb(fc.integer({ min: 0, max: 30_000 })).map((s): AlertOp => ({ type: 'signal', ts: s.signal.ts, ...s })) },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constantFrom<'acknowledge' | 'close'>('acknowledge', 'close'),
        pick: fc.nat(),
        by: fc.constantFrom('ana', 'bo', ''),
        ts: fc.integer({ min: 0, max: 40_000 }),
        comment: fc.constantFrom('', 'false positive', 'escalated to compliance'),
      }),
    },
  ),
  { maxLength: 40 },
);

/** Apply one op; returns the alert, null, or the error message (reviews may be invalid). */
export function applyOp(m: AlertManager, op: AlertOp): unknown {
  if (op.type === 'signal') return m.update(op.signal, op.symbol);
  const raised = m.stats().emitted;
  const id = raised === 0 ? 1 : 1 + (op.pick % raised);
  try {
    return op.type === 'acknowledge' ? m.acknowledge(id, { by: op.by, ts: op.ts, comment: op.comment }) : m.close(id, { by: op.by, ts: op.ts, comment: op.comment });
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}
