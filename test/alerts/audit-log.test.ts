import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/alert-manager.js';
import { AuditLog, auditRecordPayload, GENESIS_HASH, verifyAuditChain, type AuditEntry, type AuditRecord } from '../../src/alerts/audit-log.js';
import { InvalidOptionError, InvalidStateError } from '../../src/core/errors.js';
import { applyOp, opsArb } from './arbitraries.js';

const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function entry(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    ts: 1000 * i,
    action: 'raise',
    alertId: i,
    by: 'system',
    comment: '',
    kind: 'spoofing',
    symbol: 'GOOG',
    side: 1,
    price: 580.1,
    severity: 'warning',
    escalated: false,
    score: 2.5,
    evidence: { size: 900, ratio: 0.1 },
    ...extra,
  };
}

describe('AuditLog', () => {
  it('chains each record to the one before with SHA-256 of the documented payload', () => {
    const log = new AuditLog(10);
    const a = log.append(entry(1));
    const b = log.append(entry(2, { price: Number.NaN, evidence: { z: -0, a: Number.POSITIVE_INFINITY } }));
    expect(a.seq).toBe(1);
    expect(a.prevHash).toBe(GENESIS_HASH);
    // The payload written out by hand from the documented layout (evidence sorted by key).
    expect(auditRecordPayload(a)).toBe(`[1,1000,"raise",1,"system","","spoofing","GOOG",1,580.1,"warning",false,2.5,[["ratio",0.1],["size",900]],"${GENESIS_HASH}"]`);
    expect(a.hash).toBe(sha(auditRecordPayload(a)));
    expect(b.prevHash).toBe(a.hash);
    expect(auditRecordPayload(b)).toBe(`[2,2000,"raise",2,"system","","spoofing","GOOG",1,"NaN","warning",false,2.5,[["a","Infinity"],["z","-0"]],"${a.hash}"]`);
    expect(b.hash).toBe(sha(auditRecordPayload(b)));
    expect(log.head).toEqual({ hash: b.hash, seq: 2 });
    expect(log.verify()).toEqual({ ok: true, records: 2, badIndex: -1, reason: '' });
  });

  it('keeps the last evicted record as the anchor, so the chain verifies across eviction', () => {
    const log = new AuditLog(3);
    const all: AuditRecord[] = [];
    for (let i = 1; i <= 8; i++) all.push(log.append(entry(i)));
    expect(log.length).toBe(3);
    expect(log.records().map((r) => r.seq)).toEqual([6, 7, 8]);
    expect(log.anchor).toEqual({ hash: all[4]!.hash, seq: 5 });
    expect(log.verify().ok).toBe(true);
    // The full chain, verified from genesis, is the same chain.
    expect(verifyAuditChain(all, { hash: GENESIS_HASH, seq: 0 }, log.head).ok).toBe(true);
  });

  it('catches an edit, a deletion (oldest, middle, newest) and a reordering', () => {
    const log = new AuditLog(10);
    for (let i = 1; i <= 5; i++) log.append(entry(i));
    const recs = log.records();
    const anchor = log.anchor;
    const head = log.head;
    const check = (rs: AuditRecord[]) => verifyAuditChain(rs, anchor, head);
    expect(check(recs).ok).toBe(true);
    const edited = recs.slice();
    edited[2] = { ...recs[2]!, comment: 'nothing to see' };
    expect(check(edited)).toMatchObject({ ok: false, badIndex: 2 });
    expect(check(edited).reason).toMatch(/hash does not match its content/);
    expect(check(recs.slice(1))).toMatchObject({ ok: false, badIndex: 0 }); // oldest deleted
    expect(check([...recs.slice(0, 2), ...recs.slice(3)])).toMatchObject({ ok: false, badIndex: 2 }); // middle deleted
    expect(check(recs.slice(0, 4))).toMatchObject({ ok: false, badIndex: 4 }); // newest deleted: the head check
    expect(check([recs[0]!, recs[2]!, recs[1]!, recs[3]!, recs[4]!])).toMatchObject({ ok: false, badIndex: 1 });
    // A rehashed edit (an attacker recomputing this record's hash) breaks the next link instead.
    const forged = { ...recs[2]!, comment: 'x' };
    const rehashed = { ...forged, hash: sha(auditRecordPayload(forged)) };
    expect(check([recs[0]!, recs[1]!, rehashed, recs[3]!, recs[4]!])).toMatchObject({ ok: false, badIndex: 3 });
  });

  it('never throws on malformed records: they fail verification', () => {
    const log = new AuditLog(4);
    log.append(entry(1));
    const bad = [null, 42, { ...log.records()[0]!, evidence: null }, { seq: 1 }] as unknown as AuditRecord[];
    for (const r of bad) expect(verifyAuditChain([r], log.anchor).ok).toBe(false);
  });

  it('rejects a capacity below 1 and a malformed state', () => {
    expect(() => new AuditLog(0)).toThrow(InvalidOptionError);
    const log = new AuditLog(2);
    expect(() => log.restore(null as never, 'X')).toThrow(InvalidStateError);
    expect(() => log.restore({ ...log.snapshot(), records: [1] } as never, 'X')).toThrow(/audit\.records\[0\] must be an object/);
    expect(() => log.restore({ ...log.snapshot(), headSeq: -1 }, 'X')).toThrow(/headSeq/);
  });
});

type Mutation = (records: Record<string, unknown>[], i: number, j: number) => void;
const FIELD_EDITS: Array<[string, Mutation]> = [
  ['ts', (r, i) => (r[i]!.ts = typeof r[i]!.ts === 'number' ? (r[i]!.ts as number) + 1 : 0)],
  ['price', (r, i) => (r[i]!.price = typeof r[i]!.price === 'number' ? (r[i]!.price as number) + 0.01 : 1)],
  ['score', (r, i) => (r[i]!.score = typeof r[i]!.score === 'number' ? (r[i]!.score as number) * 2 + 1 : 1)],
  ['by', (r, i) => (r[i]!.by = `${r[i]!.by as string}x`)],
  ['comment', (r, i) => (r[i]!.comment = `${r[i]!.comment as string} (edited)`)],
  ['kind', (r, i) => (r[i]!.kind = `${r[i]!.kind as string}x`)],
  ['symbol', (r, i) => (r[i]!.symbol = `${r[i]!.symbol as string}x`)],
  ['severity', (r, i) => (r[i]!.severity = r[i]!.severity === 'critical' ? 'info' : 'critical')],
  ['side', (r, i) => (r[i]!.side = r[i]!.side === 1 ? -1 : 1)],
  ['escalated', (r, i) => (r[i]!.escalated = !r[i]!.escalated)],
  ['alertId', (r, i) => (r[i]!.alertId = (r[i]!.alertId as number) + 1)],
  ['action', (r, i) => (r[i]!.action = r[i]!.action === 'close' ? 'raise' : 'close')],
  ['evidence', (r, i) => (r[i]!.evidence = { ...(r[i]!.evidence as object), injected: 1 })],
  ['seq', (r, i) => (r[i]!.seq = (r[i]!.seq as number) + 1)],
  ['prevHash', (r, i) => (r[i]!.prevHash = GENESIS_HASH.replace(/^0/, '1'))],
  ['hash', (r, i) => (r[i]!.hash = sha('forged'))],
  ['delete', (r, i) => void r.splice(i, 1)],
  ['reorder', (r, i, j) => void ([r[i], r[j]] = [r[j]!, r[i]!])],
];

describe('AlertManager audit chain (properties)', () => {
  it('verifies after any sequence of signals and reviews, across eviction', () => {
    fc.assert(
      fc.property(opsArb, fc.integer({ min: 1, max: 8 }), (ops, capacity) => {
        const m = new AlertManager({ auditCapacity: capacity });
        for (const op of ops) applyOp(m, op);
        expect(m.verify().ok).toBe(true);
        const restored = new AlertManager({ auditCapacity: capacity });
        restored.restore(JSON.parse(JSON.stringify(m.snapshot())));
        expect(restored.verify().ok).toBe(true);
      }),
    );
  });

  it('fails after any record is changed, deleted or reordered', () => {
    fc.assert(
      fc.property(opsArb, fc.integer({ min: 2, max: 8 }), fc.constantFrom(...FIELD_EDITS), fc.nat(), fc.nat(), (ops, capacity, [, mutate], a, b) => {
        const m = new AlertManager({ auditCapacity: capacity });
        for (const op of ops) applyOp(m, op);
        const state = JSON.parse(JSON.stringify(m.snapshot()));
        const records = state.audit.records as Record<string, unknown>[];
        fc.pre(records.length >= 2);
        const i = a % records.length;
        const j = (i + 1 + (b % (records.length - 1))) % records.length;
        mutate(records, i, j);
        const tampered = new AlertManager({ auditCapacity: capacity });
        tampered.restore(state);
        expect(tampered.verify().ok).toBe(false);
      }),
    );
  });
});
