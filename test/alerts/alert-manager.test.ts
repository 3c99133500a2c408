import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertManager, DEFAULT_ALERT_MANAGER_OPTIONS, type Alert } from '../../src/alerts/alert-manager.js';
import { FingerprintHasher } from '../../src/alerts/fingerprint.js';
import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import type { Signal, SignalSeverity } from '../../src/trades/signal.js';
import { testOperatorContract } from '../support/contract.js';
import { applyOp, opsArb, signalArb } from './arbitraries.js';

function sig(kind: string, ts: number, extra: Partial<Signal> = {}): Signal {
  return { kind, severity: 'warning', ts, side: 1, price: 100, score: 1, evidence: { size: 500 }, ...extra };
}

const RANK: Record<SignalSeverity, number> = { info: 0, warning: 1, critical: 2 };

describe('AlertManager', () => {
  it('runs the documented example', () => {
    const m = new AlertManager();
    const s = (ts: number): Signal => ({ kind: 'spoofing', severity: 'warning', ts, side: 1, price: 100.004, score: 3, evidence: { size: 900 } });
    expect(m.update(s(0), 'GOOG')?.severity).toBe('warning');
    expect(m.update(s(1000), 'GOOG')).toBeNull();
    expect(m.update(s(2000), 'GOOG')?.severity).toBe('critical');
    expect(m.close(1, { by: 'ana', ts: 5000, comment: 'market maker re-quoting' }).status).toBe('closed');
    expect(m.stats().suppressed).toBe(1);
    expect(m.verify().ok).toBe(true);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_ALERT_MANAGER_OPTIONS).toEqual({
      dedupWindowMs: 5000,
      priceBucket: 0.01,
      escalateAfter: { spoofing: 3, depthShock: 2, heavyImbalance: 5 },
      escalationWindowMs: 60_000,
      escalationScope: 'symbol',
      historyCapacity: 1000,
      auditCapacity: 1000,
    });
    expect(Object.isFrozen(DEFAULT_ALERT_MANAGER_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_ALERT_MANAGER_OPTIONS.escalateAfter)).toBe(true);
  });

  describe('de-duplication', () => {
    it('suppresses a repeat while t - lastAlert < dedupWindowMs and alerts again at exactly the window', () => {
      const m = new AlertManager();
      expect(m.update(sig('layering', 0))).not.toBeNull();
      expect(m.update(sig('layering', 4999))).toBeNull(); // 4999 - 0 < 5000
      expect(m.update(sig('layering', 5000))?.id).toBe(2); // 5000 - 0 = 5000: not inside
      expect(m.update(sig('layering', 9999))).toBeNull(); // the window restarted at 5000
      expect(m.update(sig('layering', 10_000))?.id).toBe(3);
      expect(m.stats()).toMatchObject({ received: 5, emitted: 3, suppressed: 2 });
    });

    it('anchors the window at the last alert, not at the last duplicate', () => {
      const m = new AlertManager({ dedupWindowMs: 1000 });
      const out = [];
      for (let t = 0; t <= 2500; t += 100) out.push(m.update(sig('layering', t)) !== null);
      // Alerts at 0, 1000, 2000 although a duplicate arrives every 100 ms.
      expect(out.flatMap((a, i) => (a ? [i * 100] : []))).toEqual([0, 1000, 2000]);
    });

    it('never hides news: another kind, symbol, side or price bucket, or a higher severity, passes', () => {
      const m = new AlertManager({ escalateAfter: { spoofing: 0 } });
      expect(m.update(sig('spoofing', 0), 'A')).not.toBeNull();
      expect(m.update(sig('layering', 1), 'A')).not.toBeNull(); // kind
      expect(m.update(sig('spoofing', 2), 'B')).not.toBeNull(); // symbol
      expect(m.update(sig('spoofing', 3, { side: -1 }), 'A')).not.toBeNull(); // side
      expect(m.update(sig('spoofing', 4, { price: 100.01 }), 'A')).not.toBeNull(); // bucket 10001
      expect(m.update(sig('spoofing', 5, { price: 100.004 }), 'A')).toBeNull(); // bucket 10000 (100.004 / 0.01 = 10000.4)
      expect(m.update(sig('spoofing', 6, { severity: 'critical' }), 'A')?.severity).toBe('critical'); // higher
      expect(m.update(sig('spoofing', 7, { severity: 'warning' }), 'A')).toBeNull(); // lower than the last alert
      expect(m.update(sig('spoofing', 8, { severity: 'critical' }), 'A')).toBeNull(); // equal
    });

    it('folds duplicates into the alert they repeat and counts them', () => {
      const m = new AlertManager();
      m.update(sig('layering', 0));
      m.update(sig('layering', 100));
      m.update(sig('layering', 250));
      expect(m.get(1)).toMatchObject({ duplicates: 2, ts: 0, lastTs: 250 });
      expect(m.stats().byKind.layering).toMatchObject({ received: 3, emitted: 1, suppressed: 2 });
    });

    it('keeps two keys apart when their fingerprints collide (full key compared on a hash match)', () => {
      // Two symbols whose fingerprints collide, found once by a birthday search over `S${i}` (the
      // first collision is at i = 1 100 402); the assertion re-checks it every run.
      const h = new FingerprintHasher();
      const [a, b] = ['S941369', 'S1100402'];
      expect(h.hash('layering', a, 1, 10000)).toBe(h.hash('layering', b, 1, 10000));
      const m = new AlertManager();
      const first = m.update(sig('layering', 0), a)!;
      const second = m.update(sig('layering', 1), b)!;
      expect(second).not.toBeNull();
      expect(second.fingerprint).toBe(first.fingerprint);
      expect(m.update(sig('layering', 2), a)).toBeNull();
      expect(m.update(sig('layering', 3), b)).toBeNull();
      expect(m.get(1)!.duplicates).toBe(1);
      expect(m.get(2)!.duplicates).toBe(1);
      // The chain survives snapshot/restore and the sweep of the first key only.
      const r = new AlertManager();
      r.restore(JSON.parse(JSON.stringify(m.snapshot())));
      expect(r.update(sig('layering', 4), b)).toBeNull();
      expect(r.update(sig('layering', 5000), a)).not.toBeNull(); // a's window over; sweep runs at 5000
      expect(r.update(sig('layering', 5001), b)).not.toBeNull(); // b's too (alerted at 1)
      expect(r.update(sig('layering', 5002), b)).toBeNull();
    });

    it('forgets stale fingerprints, so memory follows the live ones', () => {
      const m = new AlertManager({ dedupWindowMs: 1000, escalationWindowMs: 1000 });
      for (let i = 0; i < 5000; i++) m.update(sig('spoofing', i * 10, { price: 100 + i }), `S${i % 7}`);
      const s = m.snapshot();
      // Signals in the last 1000-2000 ms only (sweeps every 1000 ms): at most ~200 of 5000.
      expect(s.dedup.length).toBeLessThanOrEqual(200);
      expect(s.escalation.length).toBeLessThanOrEqual(7);
    });
  });

  describe('escalation', () => {
    it('escalates exactly the N-th signal of a kind (spoofing 3, depthShock 2, heavyImbalance 5)', () => {
      for (const [kind, n] of [['spoofing', 3], ['depthShock', 2], ['heavyImbalance', 5]] as const) {
        const m = new AlertManager();
        const severities: SignalSeverity[] = [];
        // Prices 1 apart, so de-duplication hides nothing.
        for (let i = 1; i <= n + 2; i++) severities.push(m.update(sig(kind, i * 1000, { price: 100 + i }))!.severity);
        const expected = Array.from({ length: n + 2 }, (_, i) => (i + 1 >= n ? 'critical' : 'warning'));
        expect(severities, kind).toEqual(expected);
        expect(m.history({ kind }).map((a) => a.escalated)).toEqual(expected.map((s) => s === 'critical'));
        expect(m.history({ kind })[n - 1]!.signalSeverity).toBe('warning');
      }
    });

    it('counts within (t - escalationWindowMs, t]: a signal exactly a window older does not count', () => {
      const m = new AlertManager({ escalateAfter: { layering: 3 }, escalationWindowMs: 60_000 });
      const at = (t: number, price: number) => m.update(sig('layering', t, { price }))!.severity;
      expect(at(0, 1)).toBe('warning');
      expect(at(30_000, 2)).toBe('warning');
      expect(at(60_000, 3)).toBe('warning'); // 60 000 - 0 = 60 000: the first is out; 2 in the window
      expect(at(60_001, 4)).toBe('critical'); // 30 000, 60 000, 60 001
    });

    it('counts suppressed duplicates, and the escalated one passes de-duplication', () => {
      const m = new AlertManager();
      expect(m.update(sig('spoofing', 0))?.severity).toBe('warning');
      expect(m.update(sig('spoofing', 100))).toBeNull();
      const third = m.update(sig('spoofing', 200));
      expect(third).toMatchObject({ severity: 'critical', escalated: true, id: 2 });
      expect(m.update(sig('spoofing', 300))).toBeNull(); // critical again, but a duplicate of alert 2
      expect(m.stats()).toMatchObject({ received: 4, emitted: 2, suppressed: 2, escalated: 1 });
    });

    it('counts per symbol by default and across symbols with escalationScope "all"', () => {
      const perSymbol = new AlertManager();
      const all = new AlertManager({ escalationScope: 'all' });
      const syms = ['A', 'B', 'C'];
      const a = syms.map((s, i) => perSymbol.update(sig('spoofing', i), s)!.severity);
      const b = syms.map((s, i) => all.update(sig('spoofing', i), s)!.severity);
      expect(a).toEqual(['warning', 'warning', 'warning']);
      expect(b).toEqual(['warning', 'warning', 'critical']);
    });

    it('merges escalateAfter over the defaults; 0 turns a kind off; N = 1 escalates every signal', () => {
      const m = new AlertManager({ escalateAfter: { spoofing: 0, layering: 1 } });
      for (let i = 0; i < 5; i++) expect(m.update(sig('spoofing', i, { price: i }))!.severity).toBe('warning');
      expect(m.update(sig('layering', 10))!.severity).toBe('critical');
      expect(m.update(sig('depthShock', 20))!.severity).toBe('warning');
      expect(m.update(sig('depthShock', 21, { price: 1 }))!.severity).toBe('critical'); // default 2 kept
      expect(m.update(sig('iceberg', 30, { severity: 'info' }))!.severity).toBe('info'); // never escalates
    });

    it('does not mark a signal already critical as escalated', () => {
      const m = new AlertManager();
      m.update(sig('depthShock', 0));
      const a = m.update(sig('depthShock', 1, { severity: 'critical', price: 5 }))!;
      expect(a).toMatchObject({ severity: 'critical', escalated: false });
      expect(m.stats().escalated).toBe(0);
    });
  });

  describe('review lifecycle', () => {
    it('acknowledges then closes with who, when and why, all in the audit log', () => {
      const m = new AlertManager();
      m.update(sig('washTrading', 1000), 'GOOG');
      const ack = m.acknowledge(1, { by: 'ana', ts: 2000 });
      expect(ack).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ana', acknowledgedTs: 2000, closedBy: null });
      const closed = m.close(1, { by: 'bo', ts: 3000, comment: 'same beneficial owner: reported' });
      expect(closed).toMatchObject({ status: 'closed', acknowledgedBy: 'ana', closedBy: 'bo', closedTs: 3000, closeComment: 'same beneficial owner: reported' });
      expect(m.auditLog().map((r) => [r.seq, r.action, r.alertId, r.by, r.ts, r.comment])).toEqual([
        [1, 'raise', 1, 'system', 1000, ''],
        [2, 'acknowledge', 1, 'ana', 2000, ''],
        [3, 'close', 1, 'bo', 3000, 'same beneficial owner: reported'],
      ]);
      expect(m.stats().byStatus).toEqual({ open: 0, acknowledged: 0, closed: 1 });
      expect(m.verify().ok).toBe(true);
    });

    it('closes an open alert directly, and refuses the transitions that do not exist', () => {
      const m = new AlertManager();
      m.update(sig('iceberg', 0));
      expect(() => m.close(1, { by: 'ana', ts: 1 })).toThrow(/comment for alert 1.*non-blank/);
      expect(() => m.close(1, { by: 'ana', ts: 1, comment: '   ' })).toThrow(InvalidInputError);
      m.close(1, { by: 'ana', ts: 1, comment: 'honest iceberg refill' });
      expect(() => m.close(1, { by: 'ana', ts: 2, comment: 'again' })).toThrow(/status of alert 1.*closed/);
      expect(() => m.acknowledge(1, { by: 'ana', ts: 2 })).toThrow(/only an open alert/);
      expect(() => m.acknowledge(99, { by: 'ana', ts: 2 })).toThrow(/alertId/);
      m.update(sig('iceberg', 10, { price: 7 }));
      expect(() => m.acknowledge(2, { by: ' ', ts: 2 })).toThrow(/review\.by/);
      expect(() => m.acknowledge(2, { by: 'ana', ts: Number.NaN })).toThrow(/review\.ts/);
      expect(m.auditLog().length).toBe(3); // raise, close, raise: refused actions leave no record
    });

    it('cannot review an alert evicted from the history, but keeps counting its status', () => {
      const m = new AlertManager({ historyCapacity: 2 });
      for (let i = 0; i < 3; i++) m.update(sig('iceberg', i, { price: i }));
      expect(m.get(1)).toBeUndefined();
      expect(() => m.acknowledge(1, { by: 'ana', ts: 5 })).toThrow(/the newest 2/);
      expect(m.history().map((a) => a.id)).toEqual([2, 3]);
      expect(m.stats().byStatus.open).toBe(3);
    });
  });

  it('answers history queries by kind, symbol, severity, status and time range', () => {
    const m = new AlertManager({ escalateAfter: { spoofing: 0 } });
    m.update(sig('spoofing', 1000, { severity: 'info' }), 'A'); // 1
    m.update(sig('spoofing', 2000, { severity: 'critical', price: 2 }), 'B'); // 2
    m.update(sig('layering', 3000, { severity: 'warning' }), 'A'); // 3
    m.update(sig('layering', 4000, { severity: 'critical', price: 3 }), 'A'); // 4
    m.acknowledge(3, { by: 'ana', ts: 5000 });
    const ids = (q: Parameters<AlertManager['history']>[0]) => m.history(q).map((a) => a.id);
    expect(ids({})).toEqual([1, 2, 3, 4]);
    expect(ids({ kind: 'layering' })).toEqual([3, 4]);
    expect(ids({ symbol: 'B' })).toEqual([2]);
    expect(ids({ severity: 'critical' })).toEqual([2, 4]);
    expect(ids({ minSeverity: 'warning' })).toEqual([2, 3, 4]);
    expect(ids({ status: 'acknowledged' })).toEqual([3]);
    expect(ids({ fromTs: 2000, toTs: 3000 })).toEqual([2, 3]); // both ends inclusive
    expect(ids({ kind: 'spoofing', minSeverity: 'critical', toTs: 10_000 })).toEqual([2]);
    expect(() => m.history({ severity: 'high' as SignalSeverity })).toThrow(InvalidInputError);
    expect(() => m.history({ sevrity: 'info' } as never)).toThrow(InvalidOptionError);
  });

  it('reports counts by kind and severity, and suppressed duplicates', () => {
    const m = new AlertManager();
    m.update(sig('layering', 0, { severity: 'info' }));
    m.update(sig('layering', 1, { severity: 'info' }));
    m.update(sig('depthShock', 2));
    m.update(sig('depthShock', 3, { price: 9 }));
    expect(m.stats()).toEqual({
      received: 4,
      emitted: 3,
      suppressed: 1,
      escalated: 1,
      lateSignals: 0,
      bySeverity: { info: 1, warning: 1, critical: 1 },
      byStatus: { open: 3, acknowledged: 0, closed: 0 },
      byKind: {
        depthShock: { received: 2, emitted: 2, suppressed: 0, escalated: 1, info: 0, warning: 1, critical: 1 },
        layering: { received: 2, emitted: 1, suppressed: 1, escalated: 0, info: 1, warning: 0, critical: 0 },
      },
    });
  });

  it('processes a late signal at the latest time, keeps its own ts on the alert, and counts it', () => {
    const m = new AlertManager();
    m.update(sig('layering', 10_000));
    const late = m.update(sig('layering', 2000, { price: 5 }))!;
    expect(late.ts).toBe(2000);
    expect(m.update(sig('layering', 500, { price: 5 }))).toBeNull(); // processed at 10 000: inside the window
    expect(m.stats().lateSignals).toBe(2);
  });

  it('rejects bad signals with a typed error naming the field', () => {
    const m = new AlertManager();
    expect(() => m.update(sig('x', Number.NaN))).toThrow(/signal\.ts/);
    expect(() => m.update(sig('', 0))).toThrow(/signal\.kind \(ts 0\)/);
    expect(() => m.update(sig('x', 0, { severity: 'severe' as SignalSeverity }))).toThrow(/signal\.severity/);
    expect(() => m.update(sig('x', 0, { side: 2 as never }))).toThrow(/signal\.side/);
    expect(() => m.update(sig('x', 0, { price: '1' as never }))).toThrow(/signal\.price/);
    expect(() => m.update(sig('x', 0, { evidence: null as never }))).toThrow(/signal\.evidence/);
    expect(() => m.update(sig('x', 0, { evidence: { size: '5' } as never }))).toThrow(/signal\.evidence\.size/);
    expect(() => m.update(sig('x', 0), 5 as never)).toThrow(/symbol/);
    expect(() => m.update(null as never)).toThrow(InvalidInputError);
    expect(m.stats().received).toBe(0);
    // A NaN price is allowed: one bucket of its own.
    expect(m.update(sig('x', 0, { price: Number.NaN }))!.priceBucket).toBeNaN();
    expect(m.update(sig('x', 1, { price: Number.NaN }))).toBeNull();
  });

  it('validates its options', () => {
    expect(() => new AlertManager({ dedupWindowMs: 0 })).toThrow(InvalidOptionError);
    expect(() => new AlertManager({ priceBucket: -1 })).toThrow(/priceBucket/);
    expect(() => new AlertManager({ escalateAfter: { spoofing: 1.5 } })).toThrow(/escalateAfter\.spoofing/);
    expect(() => new AlertManager({ escalateAfter: [] as never })).toThrow(/escalateAfter/);
    expect(() => new AlertManager({ escalationScope: 'book' as never })).toThrow(/escalationScope/);
    expect(() => new AlertManager({ historyCapacity: 0 })).toThrow(/historyCapacity/);
    expect(() => new AlertManager({ auditCapacity: 0.5 })).toThrow(/auditCapacity/);
    expect(() => new AlertManager({ windowMs: 5 } as never)).toThrow(/AlertManager\.windowMs/);
  });

  it('returns copies: mutating a returned alert changes nothing inside', () => {
    const m = new AlertManager();
    const a = m.update(sig('layering', 0)) as { status: string };
    a.status = 'closed';
    expect(m.get(1)!.status).toBe('open');
    expect(Object.isFrozen(m.get(1)!.evidence)).toBe(true);
  });

  it('rejects a state of another type or a malformed one', () => {
    const m = new AlertManager();
    expect(() => m.restore({ type: 'Other', version: 1 } as never)).toThrow(InvalidStateError);
    const good = m.snapshot();
    expect(() => m.restore({ ...good, counts: [0, 0] })).toThrow(/counts/);
    expect(() => m.restore({ ...good, dedup: [['k', 's', 5, 0, 0, 0, 1]] } as never)).toThrow(/dedup\[0\]\[2\]/);
    expect(() => m.restore({ ...good, history: [{}] } as never)).toThrow(/history\[0\]/);
  });

  it('leaves itself unchanged when a restore fails', () => {
    const m = new AlertManager();
    m.update(sig('layering', 0));
    const before = JSON.stringify(m.snapshot());
    expect(() => m.restore({ ...m.snapshot(), audit: { ...m.snapshot().audit, records: [7] } })).toThrow(InvalidStateError);
    expect(() => m.restore({ ...m.snapshot(), byKind: [['x']] } as never)).toThrow(InvalidStateError);
    expect(JSON.stringify(m.snapshot())).toBe(before);
  });

  describe('properties', () => {
    /** Naive model: escalation by counting all earlier signals, de-duplication by scanning earlier alerts. */
    function model(signals: Array<{ symbol: string; signal: Signal }>, w: number, ew: number, after: Record<string, number>) {
      const out: Array<SignalSeverity | null> = [];
      const alerts: Array<{ key: string; t: number; rank: number }> = [];
      signals.forEach(({ symbol, signal }, i) => {
        const t = signal.ts;
        const n = after[signal.kind] ?? 0;
        const inWindow = signals.slice(0, i + 1).filter((o) => o.signal.kind === signal.kind && o.symbol === symbol && t - o.signal.ts < ew).length;
        const rank = n > 0 && inWindow >= n ? 2 : RANK[signal.severity];
        const bucket = Math.round(signal.price / 0.01);
        const key = JSON.stringify([signal.kind, symbol, signal.side, String(bucket === 0 ? 0 : bucket)]);
        const last = alerts.filter((a) => a.key === key).at(-1);
        if (last !== undefined && t - last.t < w && rank <= last.rank) {
          out.push(null);
        } else {
          alerts.push({ key, t, rank });
          out.push((['info', 'warning', 'critical'] as const)[rank]!);
        }
      });
      return out;
    }

    const timeOrdered = fc
      // Gaps of exactly a window (5000) or the escalation window (20 000) test the boundaries.
      .array(signalArb(fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.constantFrom(0, 5000, 10_000, 20_000))), { maxLength: 60 })
      .map((xs) => {
        let t = 0;
        return xs.map((x) => ({ ...x, signal: { ...x.signal, ts: (t += x.signal.ts) } }));
      });

    it('alerts exactly what a naive model of de-duplication and escalation alerts', () => {
      fc.assert(
        fc.property(timeOrdered, (signals) => {
          const m = new AlertManager({ dedupWindowMs: 5000, escalationWindowMs: 20_000 });
          const got = signals.map(({ symbol, signal }) => m.update(signal, symbol)?.severity ?? null);
          expect(got).toEqual(model(signals, 5000, 20_000, DEFAULT_ALERT_MANAGER_OPTIONS.escalateAfter));
        }),
      );
    });

    it('matches the model at the window boundaries (gaps of exactly, just under and just over a window)', () => {
      const gaps = fc.constantFrom(0, 1, 4999, 5000, 5001, 10_000, 19_999, 20_000, 20_001);
      const boundaryHeavy = fc.array(fc.record({ dt: gaps, kind: fc.constantFrom('spoofing', 'depthShock'), severity: fc.constantFrom<SignalSeverity>('info', 'warning'), price: fc.constantFrom(1, 2) }), {
        maxLength: 30,
      }).map((xs) => {
        let t = 0;
        return xs.map(({ dt, kind, severity, price }) => ({ symbol: 'A', signal: sig(kind, (t += dt), { severity, price }) }));
      });
      fc.assert(
        fc.property(boundaryHeavy, (signals) => {
          const m = new AlertManager({ dedupWindowMs: 5000, escalationWindowMs: 20_000 });
          const got = signals.map(({ symbol, signal }) => m.update(signal, symbol)?.severity ?? null);
          expect(got).toEqual(model(signals, 5000, 20_000, DEFAULT_ALERT_MANAGER_OPTIONS.escalateAfter));
        }),
      );
    });

    it('never emits two alerts with one fingerprint inside the window unless the severity rose', () => {
      fc.assert(
        fc.property(timeOrdered, fc.integer({ min: 1, max: 10_000 }), (signals, w) => {
          const m = new AlertManager({ dedupWindowMs: w });
          const last = new Map<string, Alert>();
          for (const { symbol, signal } of signals) {
            const a = m.update(signal, symbol);
            if (a === null) continue;
            const key = JSON.stringify([a.kind, a.symbol, a.side, String(a.priceBucket)]);
            const prev = last.get(key);
            if (prev !== undefined && a.ts - prev.ts < w) expect(RANK[a.severity]).toBeGreaterThan(RANK[prev.severity]);
            last.set(key, a);
          }
        }),
      );
    });

    it('counts every signal once: received = emitted + suppressed, per kind too', () => {
      fc.assert(
        fc.property(opsArb, (ops) => {
          const m = new AlertManager();
          for (const op of ops) applyOp(m, op);
          const s = m.stats();
          expect(s.received).toBe(ops.filter((o) => o.type === 'signal').length);
          expect(s.emitted + s.suppressed).toBe(s.received);
          for (const k of Object.values(s.byKind)) expect(k.emitted + k.suppressed).toBe(k.received);
          expect(s.byStatus.open + s.byStatus.acknowledged + s.byStatus.closed).toBe(s.emitted);
        }),
      );
    });
  });

  testOperatorContract('AlertManager', () => new AlertManager({ dedupWindowMs: 3000, escalationWindowMs: 10_000, historyCapacity: 6, auditCapacity: 9 }), opsArb, applyOp);
});
