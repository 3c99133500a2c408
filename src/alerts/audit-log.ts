/**
 * The AlertManager's audit log: a ring buffer of hash-chained records.
 *
 * @module
 */
import { InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { encodeNumber } from '../core/operator.js';
import { RingBuffer } from '../core/ring-buffer.js';
import type { SignalSeverity } from '../trades/signal.js';
import { sha256Hex } from './sha256.js';

/** What a record of the audit log records. */
export type AuditAction = 'raise' | 'acknowledge' | 'close';

/** The previous-hash of the first record ever written: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of a record the caller supplies (the log adds `seq`, `prevHash` and `hash`). */
export interface AuditEntry {
  /** When it happened, ms: the signal's time for `raise`, the reviewer's time for a review. */
  readonly ts: number;
  readonly action: AuditAction;
  readonly alertId: number;
  /** Who: `'system'` for `raise`, the reviewer otherwise. */
  readonly by: string;
  /** The reviewer's comment (`''` for `raise`; required for `close`). */
  readonly comment: string;
  /** The alert's kind, symbol, side, price, severity (after escalation), escalation flag and score. */
  readonly kind: string;
  readonly symbol: string;
  readonly side: -1 | 0 | 1;
  readonly price: number;
  readonly severity: SignalSeverity;
  readonly escalated: boolean;
  readonly score: number;
  /** The detector's evidence numbers (`{}` on review records). */
  readonly evidence: Readonly<Record<string, number>>;
}

/** One record of the audit log. */
export interface AuditRecord extends AuditEntry {
  /** 1, 2, 3, ... over the life of the log (eviction does not renumber). */
  readonly seq: number;
  /** `hash` of the record before this one ({@link GENESIS_HASH} for the first ever). */
  readonly prevHash: string;
  /** SHA-256 (hex) of {@link auditRecordPayload} of this record, which includes `prevHash`. */
  readonly hash: string;
}

/** The result of a verification of the chain. */
export interface AuditVerification {
  /** Whether every check passed. */
  readonly ok: boolean;
  /** Records checked. */
  readonly records: number;
  /** Index (0 = oldest held) of the first bad record; `records` when the head check failed; -1 when ok. */
  readonly badIndex: number;
  /** What failed, in words (`''` when ok). */
  readonly reason: string;
}

/** Where a chain starts (the last evicted record) or ends (the newest record). */
export interface AuditChainPoint {
  /** The record's hash ({@link GENESIS_HASH} before any record). */
  readonly hash: string;
  /** The record's `seq` (0 before any record). */
  readonly seq: number;
}

/**
 * The exact text whose SHA-256 is a record's `hash`: the JSON array
 *
 * ```text
 * [seq, ts, action, alertId, by, comment, kind, symbol, side, price, severity, escalated, score,
 *  [[evidenceKey, evidenceValue], ...sorted by key], prevHash]
 * ```
 *
 * written by `JSON.stringify`, with numbers that JSON cannot hold (NaN, +-Infinity, -0) written as the
 * strings `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"`. An auditor can recompute every hash from the
 * records with any SHA-256 tool (`sha256sum`, `openssl dgst -sha256`) over this text in UTF-8.
 */
export function auditRecordPayload(record: AuditEntry & { readonly seq: number; readonly prevHash: string }): string {
  const ev = record.evidence;
  let evidence: unknown = ev;
  if (ev !== null && typeof ev === 'object' && !Array.isArray(ev)) {
    const keys = Object.keys(ev).sort();
    const pairs: unknown[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const v = (ev as Record<string, unknown>)[keys[i]!];
      pairs[i] = [keys[i], typeof v === 'number' ? encodeNumber(v) : v];
    }
    evidence = pairs;
  }
  const num = (x: unknown): unknown => (typeof x === 'number' ? encodeNumber(x) : x);
  return JSON.stringify([
    num(record.seq),
    num(record.ts),
    record.action,
    num(record.alertId),
    record.by,
    record.comment,
    record.kind,
    record.symbol,
    num(record.side),
    num(record.price),
    record.severity,
    record.escalated,
    num(record.score),
    evidence,
    record.prevHash,
  ]);
}

/**
 * Verify a hash chain of audit records, oldest first.
 *
 * Checks, for record `i` (0-based): its `seq` is `anchor.seq + 1 + i`; its `prevHash` is the previous
 * record's `hash` (`anchor.hash` for the first); its `hash` is the SHA-256 of
 * {@link auditRecordPayload}. With `head`, also that the newest record is `head` (or, with no
 * records, that `head` equals `anchor`). So an edit of any field fails the hash check; a deletion or
 * reordering breaks a `prevHash` link or the `seq` run; a deletion of the oldest records breaks the
 * link to `anchor`; a deletion of the newest ones fails the head check. Never throws: malformed
 * records fail verification.
 *
 * Tamper-evident, not tamper-proof: whoever can rewrite every record and the anchor and head can
 * rebuild a consistent chain. Keep a copy of the head hash somewhere else (a log shipper, a database,
 * a ticket) and compare: the chain then proves that nothing before it changed.
 */
export function verifyAuditChain(records: readonly AuditRecord[], anchor: AuditChainPoint, head?: AuditChainPoint): AuditVerification {
  let prev = anchor.hash;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const fail = (reason: string): AuditVerification => ({ ok: false, records: records.length, badIndex: i, reason: `record ${i}: ${reason}` });
    if (r === null || typeof r !== 'object') return fail('not an object');
    if (r.seq !== anchor.seq + 1 + i) return fail(`seq is ${JSON.stringify(r.seq)}, expected ${anchor.seq + 1 + i}`);
    if (r.prevHash !== prev) return fail(`prevHash does not match the hash of the record before it`);
    let hash: string;
    try {
      hash = sha256Hex(auditRecordPayload(r));
    } catch {
      return fail('its fields cannot be serialised');
    }
    if (hash !== r.hash) return fail(`hash does not match its content (recomputed ${hash})`);
    prev = r.hash;
  }
  if (head !== undefined) {
    const last = records.length === 0 ? anchor : records[records.length - 1]!;
    if (last.hash !== head.hash || last.seq !== head.seq) {
      return { ok: false, records: records.length, badIndex: records.length, reason: `the newest record is not the head (seq ${head.seq})` };
    }
  }
  return { ok: true, records: records.length, badIndex: -1, reason: '' };
}

/** The state of an {@link AuditLog} (records with JSON-safe numbers). */
export interface AuditLogState {
  /** The last evicted record (or genesis). */
  readonly anchorHash: string;
  readonly anchorSeq: number;
  /** The newest record (equal to the anchor when empty). */
  readonly headHash: string;
  readonly headSeq: number;
  /** Records oldest first; numbers encoded with `encodeNumber`. */
  readonly records: readonly unknown[];
}

/**
 * A ring buffer of hash-chained {@link AuditRecord}s. When full, appending evicts the oldest record
 * and keeps its hash and `seq` as the anchor, so {@link AuditLog.verify} stays valid across eviction.
 * The head (newest hash and `seq`) is kept apart from the records, so a deleted newest record is
 * caught too.
 */
export class AuditLog {
  readonly capacity: number;
  private readonly ring: RingBuffer<AuditRecord>;
  private anchorHash = GENESIS_HASH;
  private anchorSeq = 0;
  private headHash = GENESIS_HASH;
  private headSeq = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new InvalidOptionError('auditCapacity', capacity, 'an integer >= 1');
    this.capacity = capacity;
    this.ring = new RingBuffer<AuditRecord>(capacity);
  }

  /** Records held (at most `capacity`). */
  get length(): number {
    return this.ring.length;
  }

  /** The last evicted record's hash and seq (genesis and 0 before any eviction). */
  get anchor(): AuditChainPoint {
    return { hash: this.anchorHash, seq: this.anchorSeq };
  }

  /** The newest record's hash and seq: publish it elsewhere to make truncation evident. */
  get head(): AuditChainPoint {
    return { hash: this.headHash, seq: this.headSeq };
  }

  /** Append a record: numbers it, links it to the head, hashes it; returns it. */
  append(entry: AuditEntry): AuditRecord {
    const base = {
      seq: this.headSeq + 1,
      ts: entry.ts,
      action: entry.action,
      alertId: entry.alertId,
      by: entry.by,
      comment: entry.comment,
      kind: entry.kind,
      symbol: entry.symbol,
      side: entry.side,
      price: entry.price,
      severity: entry.severity,
      escalated: entry.escalated,
      score: entry.score,
      evidence: entry.evidence,
      prevHash: this.headHash,
    };
    const record: AuditRecord = Object.freeze({ ...base, hash: sha256Hex(auditRecordPayload(base)) });
    this.push(record);
    return record;
  }

  private push(record: AuditRecord): void {
    const evicted = this.ring.push(record);
    if (evicted !== undefined) {
      this.anchorHash = evicted.hash;
      this.anchorSeq = evicted.seq;
    }
    this.headHash = record.hash;
    this.headSeq = record.seq;
  }

  /** The records, oldest first (frozen objects; the array is new). */
  records(): AuditRecord[] {
    return this.ring.toArray();
  }

  /** Verify the chain from the anchor to the head; see {@link verifyAuditChain}. */
  verify(): AuditVerification {
    return verifyAuditChain(this.ring.toArray(), this.anchor, this.head);
  }

  clear(): void {
    this.ring.clear();
    this.anchorHash = GENESIS_HASH;
    this.anchorSeq = 0;
    this.headHash = GENESIS_HASH;
    this.headSeq = 0;
  }

  snapshot(): AuditLogState {
    return {
      anchorHash: this.anchorHash,
      anchorSeq: this.anchorSeq,
      headHash: this.headHash,
      headSeq: this.headSeq,
      records: this.ring.toArray().map(encodeRecord),
    };
  }

  /**
   * Restore from {@link AuditLog.snapshot} output. The chain is **not** checked here (a tampered log
   * restores, and `verify()` then reports it); only the shape is. `owner` names the operator in errors.
   */
  restore(state: AuditLogState, owner: string): void {
    if (state === null || typeof state !== 'object') throw new InvalidStateError(owner, `audit must be an object, got ${JSON.stringify(state)}`);
    const hashField = (name: string, v: unknown): string => {
      if (typeof v !== 'string') throw new InvalidStateError(owner, `audit.${name} must be a string, got ${JSON.stringify(v)}`);
      return v;
    };
    const seqField = (name: string, v: unknown): number => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new InvalidStateError(owner, `audit.${name} must be an integer >= 0, got ${JSON.stringify(v)}`);
      return v;
    };
    const anchorHash = hashField('anchorHash', state.anchorHash);
    const anchorSeq = seqField('anchorSeq', state.anchorSeq);
    const headHash = hashField('headHash', state.headHash);
    const headSeq = seqField('headSeq', state.headSeq);
    if (!Array.isArray(state.records)) throw new InvalidStateError(owner, `audit.records must be an array, got ${JSON.stringify(state.records)}`);
    const records = state.records.map((r, i) => decodeRecord(r, owner, `audit.records[${i}]`));
    this.clear();
    this.anchorHash = anchorHash;
    this.anchorSeq = anchorSeq;
    for (const r of records) {
      const evicted = this.ring.push(r);
      if (evicted !== undefined) {
        this.anchorHash = evicted.hash;
        this.anchorSeq = evicted.seq;
      }
    }
    this.headHash = headHash;
    this.headSeq = headSeq;
  }
}

function encodeRecord(r: AuditRecord): Record<string, unknown> {
  const evidence: Record<string, number | string> = {};
  for (const k of Object.keys(r.evidence)) evidence[k] = encodeNumber(r.evidence[k]!);
  return {
    seq: r.seq,
    ts: encodeNumber(r.ts),
    action: r.action,
    alertId: r.alertId,
    by: r.by,
    comment: r.comment,
    kind: r.kind,
    symbol: r.symbol,
    side: r.side,
    price: encodeNumber(r.price),
    severity: r.severity,
    escalated: r.escalated,
    score: encodeNumber(r.score),
    evidence,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/**
 * Decode a record as stored, keeping whatever values it holds (a tampered value must reach
 * `verify()`, not be "repaired" here); only a non-object record is a shape error. Numbers written by
 * `encodeNumber` are decoded.
 */
function decodeRecord(value: unknown, owner: string, where: string): AuditRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidStateError(owner, `${where} must be an object, got ${JSON.stringify(value)}`);
  }
  const v = value as Record<string, unknown>;
  const num = (x: unknown): unknown => (x === 'NaN' || x === 'Infinity' || x === '-Infinity' || x === '-0' ? Number(x) : x);
  let evidence: unknown = v.evidence;
  if (evidence !== null && typeof evidence === 'object' && !Array.isArray(evidence)) {
    const e: Record<string, unknown> = {};
    for (const k of Object.keys(evidence)) e[k] = num((evidence as Record<string, unknown>)[k]);
    evidence = Object.freeze(e);
  }
  return Object.freeze({
    seq: v.seq,
    ts: num(v.ts),
    action: v.action,
    alertId: v.alertId,
    by: v.by,
    comment: v.comment,
    kind: v.kind,
    symbol: v.symbol,
    side: v.side,
    price: num(v.price),
    severity: v.severity,
    escalated: v.escalated,
    score: num(v.score),
    evidence,
    prevHash: v.prevHash,
    hash: v.hash,
  }) as AuditRecord;
}
