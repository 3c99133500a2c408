import { InvalidInputError, InvalidOptionError, InvalidStateError } from '../core/errors.js';
import { checkState, encodeNumber, encodeNumbers, type Operator, type OperatorState } from '../core/operator.js';
import { checkOptionKeys, integerOption, oneOfOption, positiveOption } from '../core/options.js';
import { RingBuffer } from '../core/ring-buffer.js';
import { stateInteger, stateNumber, stateNumbers } from '../core/state.js';
import type { Signal, SignalSeverity } from '../trades/signal.js';
import { AuditLog, type AuditLogState, type AuditRecord, type AuditVerification, type AuditChainPoint } from './audit-log.js';
import { FingerprintHasher, priceBucketOf } from './fingerprint.js';
import { SEVERITIES, severityRank } from './kinds.js';
import { setOwn } from '../core/own.js';

/** An unfrozen copy of SEVERITIES for the hot path (V8 reads frozen arrays' elements slowly). */
const SEVERITY_OF_RANK: SignalSeverity[] = [...SEVERITIES];

/** Options of {@link AlertManager}. */
export interface AlertManagerOptions {
  /**
   * De-duplication window, ms of signal time: a signal whose fingerprint was alerted less than this
   * long before, at the same or a higher severity, is suppressed (counted, not alerted).
   * @defaultValue 5000
   */
  dedupWindowMs?: number;
  /**
   * Width of the price buckets of the fingerprint, in price units: prices that round to one multiple
   * of it (`Math.round(price / priceBucket)`) share a fingerprint.
   * @defaultValue 0.01
   */
  priceBucket?: number;
  /**
   * Per kind, the count from which signals of that kind are escalated to `'critical'`: the N-th
   * signal within `escalationWindowMs` (and every later one while N stay within it). Merged over the
   * defaults key by key; `0` turns escalation off for a kind; kinds not listed never escalate.
   * Keys are signal kinds in camelCase (see `SIGNAL_KINDS`).
   * @defaultValue `{ spoofing: 3, depthShock: 2, heavyImbalance: 5 }`
   */
  escalateAfter?: Readonly<Record<string, number>>;
  /**
   * The window of the escalation count, ms of signal time.
   * @defaultValue 60000
   */
  escalationWindowMs?: number;
  /**
   * `'symbol'`: escalation counts the signals of a kind per symbol; `'all'`: across all symbols.
   * @defaultValue 'symbol'
   */
  escalationScope?: 'symbol' | 'all';
  /**
   * Alerts kept for {@link AlertManager.history} and for review (the newest).
   * @defaultValue 1000
   */
  historyCapacity?: number;
  /**
   * Records kept in the audit ring buffer (the newest).
   * @defaultValue 1000
   */
  auditCapacity?: number;
}

/** Defaults of {@link AlertManagerOptions}. */
export const DEFAULT_ALERT_MANAGER_OPTIONS: Readonly<{
  dedupWindowMs: number;
  priceBucket: number;
  escalateAfter: Readonly<Record<string, number>>;
  escalationWindowMs: number;
  escalationScope: 'symbol' | 'all';
  historyCapacity: number;
  auditCapacity: number;
}> = Object.freeze({
  dedupWindowMs: 5000,
  priceBucket: 0.01,
  escalateAfter: Object.freeze({ spoofing: 3, depthShock: 2, heavyImbalance: 5 }),
  escalationWindowMs: 60_000,
  escalationScope: 'symbol',
  historyCapacity: 1000,
  auditCapacity: 1000,
});

/** Review status of an alert: `open` -> `acknowledged` -> `closed` (or `open` -> `closed`). */
export type AlertStatus = 'open' | 'acknowledged' | 'closed';

/** An alert: a signal that passed de-duplication, with its review state. */
export interface Alert {
  /** 1, 2, 3, ... in order of raising. */
  readonly id: number;
  /** The 32-bit FNV-1a hash of `(kind, symbol, side, priceBucket)`. */
  readonly fingerprint: number;
  readonly kind: string;
  readonly symbol: string;
  readonly side: -1 | 0 | 1;
  readonly price: number;
  /** `Math.round(price / priceBucket)`: the fingerprint's price bucket index. */
  readonly priceBucket: number;
  /** The signal's time, ms. */
  readonly ts: number;
  /** The severity alerted: the signal's, or `'critical'` when escalated. */
  readonly severity: SignalSeverity;
  /** The severity the detector gave. */
  readonly signalSeverity: SignalSeverity;
  /** Whether escalation raised the severity. */
  readonly escalated: boolean;
  readonly score: number;
  /** The detector's evidence (a frozen copy). */
  readonly evidence: Readonly<Record<string, number>>;
  /** Duplicates folded into this alert so far (suppressed signals with its fingerprint). */
  readonly duplicates: number;
  /** Time of the latest signal folded in (its own `ts` when none). */
  readonly lastTs: number;
  readonly status: AlertStatus;
  /** Who acknowledged it and when (ms), `null` / NaN until then. */
  readonly acknowledgedBy: string | null;
  readonly acknowledgedTs: number;
  /** Who closed it, when, and why; `null` / NaN until then. */
  readonly closedBy: string | null;
  readonly closedTs: number;
  readonly closeComment: string | null;
}

type MutableAlert = { -readonly [K in keyof Alert]: Alert[K] };

/** A review action: who and when (ms, the reviewer's clock), and a comment. */
export interface Review {
  /** Who reviews (a non-empty name). */
  by: string;
  /** When, ms. */
  ts: number;
  /** Required (non-blank) to close; optional to acknowledge. */
  comment?: string;
}

/** A filter for {@link AlertManager.history}. Every given field must match. */
export interface AlertQuery {
  kind?: string;
  symbol?: string;
  /** Exactly this severity. */
  severity?: SignalSeverity;
  /** This severity or higher. */
  minSeverity?: SignalSeverity;
  status?: AlertStatus;
  /** Alerts with `ts >= fromTs`. */
  fromTs?: number;
  /** Alerts with `ts <= toTs`. */
  toTs?: number;
}

/** Counts for one kind. `received = emitted + suppressed`; the severities count emitted alerts. */
export interface AlertKindStats {
  readonly received: number;
  readonly emitted: number;
  readonly suppressed: number;
  /** Emitted alerts whose severity escalation raised. */
  readonly escalated: number;
  readonly info: number;
  readonly warning: number;
  readonly critical: number;
}

/** What {@link AlertManager.stats} returns. */
export interface AlertStats {
  /** Signals received (`emitted + suppressed`). */
  readonly received: number;
  readonly emitted: number;
  /** Duplicates suppressed. */
  readonly suppressed: number;
  /** Emitted alerts whose severity escalation raised. */
  readonly escalated: number;
  /** Signals older than the latest seen (processed at the latest time). */
  readonly lateSignals: number;
  /** Emitted alerts by severity. */
  readonly bySeverity: Readonly<Record<SignalSeverity, number>>;
  /** All alerts ever raised, by their current review status. */
  readonly byStatus: Readonly<Record<AlertStatus, number>>;
  /** Per kind (sorted by kind). */
  readonly byKind: Readonly<Record<string, AlertKindStats>>;
}

/** An alert as stored in a state: the numbers that JSON cannot hold are encoded. */
export interface AlertStateEntry {
  readonly id: number;
  readonly fingerprint: number;
  readonly kind: string;
  readonly symbol: string;
  readonly side: -1 | 0 | 1;
  readonly price: number | string;
  readonly priceBucket: number | string;
  readonly ts: number | string;
  readonly severity: SignalSeverity;
  readonly signalSeverity: SignalSeverity;
  readonly escalated: boolean;
  readonly score: number | string;
  readonly evidence: Readonly<Record<string, number | string>>;
  readonly duplicates: number;
  readonly lastTs: number | string;
  readonly status: AlertStatus;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedTs: number | string;
  readonly closedBy: string | null;
  readonly closedTs: number | string;
  readonly closeComment: string | null;
}

/** State of an {@link AlertManager}. */
export interface AlertManagerState extends OperatorState {
  readonly type: 'AlertManager';
  readonly version: 1;
  /** `[received, emitted, suppressed, escalated, lateSignals, nextId]`. */
  readonly counts: readonly number[];
  /** `[lastTs, lastSweepTs]`, encoded. */
  readonly times: ReadonlyArray<number | string>;
  /** Emitted alerts by severity: `[info, warning, critical]`. */
  readonly bySeverity: readonly number[];
  /** Alerts by status: `[open, acknowledged, closed]`. */
  readonly byStatus: readonly number[];
  /** Per kind in first-seen order: `[kind, received, emitted, suppressed, escalated, info, warning, critical]`. */
  readonly byKind: ReadonlyArray<readonly [string, ...number[]]>;
  /** De-duplication entries: `[kind, symbol, side, priceBucket, lastEmitTs, severityRank, alertId]`. */
  readonly dedup: ReadonlyArray<readonly [string, string, number, number | string, number | string, number, number]>;
  /** Escalation counters: `[kind, symbol ('' with scope 'all'), recent signal times oldest first]`. */
  readonly escalation: ReadonlyArray<readonly [string, string, ReadonlyArray<number | string>]>;
  /** Alerts in the history, oldest first. */
  readonly history: readonly AlertStateEntry[];
  readonly audit: AuditLogState;
}

/** A de-duplication entry: the full key (compared on every hash match) and the last emission. */
interface DedupEntry {
  readonly kind: string;
  readonly symbol: string;
  readonly side: number;
  readonly bucket: number;
  lastEmitTs: number;
  rank: number;
  alertId: number;
  /** Next entry whose key hashes to the same fingerprint (collision chain, in insertion order). */
  next: DedupEntry | null;
}

/** The times of the last `N - 1` signals of one (kind, symbol), in a ring. */
interface EscalationCounter {
  readonly times: Float64Array;
  head: number;
  count: number;
}

/** Mutable per-kind counts, indexed like {@link AlertKindStats}. */
interface KindCounts {
  received: number;
  emitted: number;
  suppressed: number;
  escalated: number;
  /** Emitted by severity rank. */
  readonly bySeverity: Float64Array;
}

const OPTION_KEYS = Object.keys(DEFAULT_ALERT_MANAGER_OPTIONS);
const QUERY_KEYS = ['kind', 'symbol', 'severity', 'minSeverity', 'status', 'fromTs', 'toTs'];
const T = 'AlertManager';

/**
 * Alert manager: turns detector {@link Signal}s into alerts, with de-duplication, escalation, a
 * review lifecycle and a tamper-evident audit log.
 *
 * **Fingerprint.** `(kind, symbol, side, round(price / priceBucket))`, hashed with FNV-1a 32-bit
 * over the fields' bytes (no key string is built). On a hash match the full key is compared, and
 * keys that collide are chained, so a collision never merges two different alerts.
 *
 * **De-duplication** (by signal time, not the wall clock). A signal is suppressed when its
 * fingerprint was alerted at time `e` with `t - e < dedupWindowMs` and at a severity at or above the
 * signal's (after escalation). Otherwise it is alerted and the window restarts at `t`. The window
 * is anchored at the last *alert*, not the last duplicate, so a persisting condition re-alerts once
 * per window. It never hides news: another kind, symbol, side or price bucket is another
 * fingerprint, and a higher severity always passes. Suppressed signals are counted (in
 * {@link AlertManager.stats} and in the alert's `duplicates`), never dropped silently.
 *
 * **Escalation.** For a kind with `escalateAfter[kind] = N >= 1`: a signal is escalated to
 * `'critical'` when, counting itself, at least N signals of its kind (per symbol with scope
 * `'symbol'`) arrived within `(t - escalationWindowMs, t]`, suppressed ones included. So the first
 * escalated signal is exactly the N-th, and the next ones stay critical while N remain in the window.
 * The count keeps only the last N - 1 times per (kind, symbol), in a ring.
 *
 * **Time.** `t` is the signal's `ts`; a signal older than the latest seen is processed at the latest
 * time (the alert keeps its own `ts`) and counted in `lateSignals`.
 *
 * **Review.** {@link AlertManager.acknowledge} (`open` -> `acknowledged`) and
 * {@link AlertManager.close} (`open` or `acknowledged` -> `closed`, comment required) record who and
 * when; every raise and review is a record of the audit log.
 *
 * **Audit log.** A ring buffer (`auditCapacity` records) where each record carries the SHA-256 of the
 * record before it ({@link AuditLog}). SHA-256 rather than a fast non-cryptographic hash (FNV-1a 64,
 * xxHash): those are built for speed, and anyone can compute a second record with the same FNV hash,
 * so an edit could keep the chain valid; with SHA-256 no one can (no collision or second preimage is
 * known). It also means an auditor can recompute the chain with `sha256sum`. Hashing costs a few
 * microseconds per record and runs only when an alert is raised or reviewed. `verify()` catches any
 * edit, deletion or reordering, and stays valid across eviction (the last evicted record's hash is
 * kept as the anchor).
 *
 * **Cost.** A suppressed signal allocates nothing (hash, map lookup, counters). An alert allocates
 * the alert, its copy and one audit record. Entries older than both windows are swept once per
 * `dedupWindowMs` of signal time, so memory follows the number of live fingerprints.
 *
 * Input: a {@link Signal} and a symbol (`''` by default). Output: an {@link Alert} (a copy) or `null`
 * when suppressed. Bad signals (non-finite `ts`, unknown severity, empty kind, side not -1/0/1, a
 * non-number price, score or evidence value) throw `InvalidInputError`. A NaN price is allowed (its
 * bucket is NaN, one bucket of its own).
 *
 * Reference: de-duplication by fingerprint and time window, and count-based escalation, as in
 * Prometheus Alertmanager (`group_interval`, `repeat_interval`) and PagerDuty event rules;
 * FNV-1a: Fowler, Noll and Vo (1991); SHA-256: NIST FIPS 180-4 (2015); hash-chained audit logs:
 * Schneier and Kelsey (1999), "Secure audit logs to support computer forensics".
 *
 * @example
 * ```ts
 * const m = new AlertManager();
 * const s = (ts: number) => ({ kind: 'spoofing', severity: 'warning' as const, ts, side: 1 as const,
 *   price: 100.004, score: 3, evidence: { size: 900 } });
 * m.update(s(0), 'GOOG')?.severity;     // 'warning'  (alert 1)
 * m.update(s(1000), 'GOOG');            // null       (duplicate within 5 s)
 * m.update(s(2000), 'GOOG')?.severity;  // 'critical' (3rd spoofing signal within 60 s: escalated)
 * m.close(1, { by: 'ana', ts: 5000, comment: 'market maker re-quoting' }).status; // 'closed'
 * m.stats().suppressed;                 // 1
 * m.verify().ok;                        // true
 * ```
 */
export class AlertManager implements Operator<Signal, Alert | null, AlertManagerState> {
  private readonly dedupWindowMs: number;
  private readonly priceBucket: number;
  private readonly escalateAfter: ReadonlyMap<string, number>;
  private readonly escalationWindowMs: number;
  private readonly perSymbol: boolean;
  private readonly hasher = new FingerprintHasher();
  private readonly dedup = new Map<number, DedupEntry>();
  private readonly escalation = new Map<string, Map<string, EscalationCounter>>();
  private readonly alerts: RingBuffer<MutableAlert>;
  private readonly byId = new Map<number, MutableAlert>();
  private readonly audit: AuditLog;
  private readonly kinds = new Map<string, KindCounts>();
  private readonly bySeverity = new Float64Array(3);
  private readonly byStatus = new Float64Array(3);
  private received = 0;
  private emitted = 0;
  private suppressed = 0;
  private escalatedN = 0;
  private late = 0;
  private nextId = 1;
  private lastTs = Number.NEGATIVE_INFINITY;
  private lastSweepTs = Number.NEGATIVE_INFINITY;

  constructor(options: AlertManagerOptions = {}) {
    checkOptionKeys(T, options, OPTION_KEYS);
    const o = { ...DEFAULT_ALERT_MANAGER_OPTIONS, ...options };
    this.dedupWindowMs = positiveOption('dedupWindowMs', o.dedupWindowMs);
    this.priceBucket = positiveOption('priceBucket', o.priceBucket);
    this.escalationWindowMs = positiveOption('escalationWindowMs', o.escalationWindowMs);
    this.perSymbol = oneOfOption('escalationScope', o.escalationScope, ['symbol', 'all'] as const) === 'symbol';
    const historyCapacity = integerOption('historyCapacity', o.historyCapacity, 1);
    const auditCapacity = integerOption('auditCapacity', o.auditCapacity, 1);
    const esc = options.escalateAfter;
    if (esc !== undefined && (esc === null || typeof esc !== 'object' || Array.isArray(esc))) {
      throw new InvalidOptionError('escalateAfter', esc, 'an object mapping signal kinds to counts');
    }
    const merged = new Map<string, number>();
    for (const [kind, n] of Object.entries({ ...DEFAULT_ALERT_MANAGER_OPTIONS.escalateAfter, ...esc })) {
      if (kind === '') throw new InvalidOptionError('escalateAfter', esc, 'non-empty kinds as keys');
      const count = integerOption(`escalateAfter.${kind}`, n, 0);
      if (count > 0) merged.set(kind, count);
    }
    this.escalateAfter = merged;
    this.alerts = new RingBuffer<MutableAlert>(historyCapacity);
    this.audit = new AuditLog(auditCapacity);
  }

  /**
   * Take one signal for `symbol`; returns the alert raised (a copy), or `null` when the signal is a
   * suppressed duplicate.
   */
  update(signal: Signal, symbol = ''): Alert | null {
    checkSignal(signal, symbol);
    const kind = signal.kind;
    let t = signal.ts;
    if (t < this.lastTs) {
      this.late++;
      t = this.lastTs;
    } else {
      this.lastTs = t;
    }
    if (t - this.lastSweepTs >= this.dedupWindowMs) this.sweep(t);
    this.received++;
    const counts = this.kindCounts(kind);
    counts.received++;

    const signalRank = severityRank(signal.severity);
    let rank = signalRank;
    const n = this.escalateAfter.get(kind);
    if (n !== undefined && this.countForEscalation(kind, this.perSymbol ? symbol : '', t, n) && rank < 2) rank = 2;

    const bucket = priceBucketOf(signal.price, this.priceBucket);
    const hash = this.hasher.hash(kind, symbol, signal.side, bucket);
    let entry: DedupEntry | null | undefined = this.dedup.get(hash);
    let last: DedupEntry | null = null;
    while (entry !== undefined && entry !== null) {
      if (entry.kind === kind && entry.symbol === symbol && entry.side === signal.side && sameBucket(entry.bucket, bucket)) break;
      last = entry;
      entry = entry.next;
    }
    if (entry !== undefined && entry !== null && t - entry.lastEmitTs < this.dedupWindowMs && rank <= entry.rank) {
      this.suppressed++;
      counts.suppressed++;
      const folded = this.byId.get(entry.alertId);
      if (folded !== undefined) {
        folded.duplicates++;
        folded.lastTs = signal.ts;
      }
      return null;
    }

    const id = this.nextId++;
    if (entry === undefined || entry === null) {
      const created: DedupEntry = { kind, symbol, side: signal.side, bucket, lastEmitTs: t, rank, alertId: id, next: null };
      if (last === null) this.dedup.set(hash, created);
      else last.next = created;
    } else {
      entry.lastEmitTs = t;
      entry.rank = rank;
      entry.alertId = id;
    }
    const escalated = rank > signalRank;
    const severity = SEVERITY_OF_RANK[rank]!;
    const evidence = Object.freeze({ ...signal.evidence });
    const alert: MutableAlert = {
      id,
      fingerprint: hash,
      kind,
      symbol,
      side: signal.side,
      price: signal.price,
      priceBucket: bucket,
      ts: signal.ts,
      severity,
      signalSeverity: signal.severity,
      escalated,
      score: signal.score,
      evidence,
      duplicates: 0,
      lastTs: signal.ts,
      status: 'open',
      acknowledgedBy: null,
      acknowledgedTs: Number.NaN,
      closedBy: null,
      closedTs: Number.NaN,
      closeComment: null,
    };
    this.emitted++;
    counts.emitted++;
    counts.bySeverity[rank]!++;
    this.bySeverity[rank]!++;
    this.byStatus[0]!++;
    if (escalated) {
      this.escalatedN++;
      counts.escalated++;
    }
    this.remember(alert);
    this.audit.append({
      ts: signal.ts,
      action: 'raise',
      alertId: id,
      by: 'system',
      comment: '',
      kind,
      symbol,
      side: signal.side,
      price: signal.price,
      severity,
      escalated,
      score: signal.score,
      evidence,
    });
    return { ...alert };
  }

  /**
   * Acknowledge an open alert: records who and when (and an optional comment) on the alert and in
   * the audit log. Throws `InvalidInputError` for an unknown id (or one evicted from the history), a
   * blank `by`, a non-finite `ts`, or an alert that is not `open`.
   */
  acknowledge(alertId: number, review: Review): Alert {
    const alert = this.reviewed('acknowledge', alertId, review);
    if (alert.status !== 'open') {
      throw new InvalidInputError(`AlertManager.acknowledge: status of alert ${alertId}`, alert.status, '"open" (only an open alert can be acknowledged)');
    }
    const comment = review.comment ?? '';
    alert.status = 'acknowledged';
    alert.acknowledgedBy = review.by;
    alert.acknowledgedTs = review.ts;
    this.byStatus[0]!--;
    this.byStatus[1]!++;
    this.auditReview('acknowledge', alert, review.by, review.ts, comment);
    return { ...alert };
  }

  /**
   * Close an open or acknowledged alert with a required comment (why: false positive, escalated to
   * compliance, ...): records who, when and why on the alert and in the audit log. A closed alert
   * stays closed. Throws `InvalidInputError` for an unknown id, a blank `by` or comment, a non-finite
   * `ts`, or an alert already closed.
   */
  close(alertId: number, review: Review): Alert {
    const alert = this.reviewed('close', alertId, review);
    if (alert.status === 'closed') {
      throw new InvalidInputError(`AlertManager.close: status of alert ${alertId}`, alert.status, '"open" or "acknowledged" (a closed alert stays closed)');
    }
    const comment = review.comment;
    if (typeof comment !== 'string' || comment.trim() === '') {
      throw new InvalidInputError(`AlertManager.close: comment for alert ${alertId}`, comment, 'a non-blank string (why the alert is closed)');
    }
    this.byStatus[alert.status === 'open' ? 0 : 1]!--;
    this.byStatus[2]!++;
    alert.status = 'closed';
    alert.closedBy = review.by;
    alert.closedTs = review.ts;
    alert.closeComment = comment;
    this.auditReview('close', alert, review.by, review.ts, comment);
    return { ...alert };
  }

  /** The alert with this id (a copy), if still in the history. */
  get(alertId: number): Alert | undefined {
    const a = this.byId.get(alertId);
    return a === undefined ? undefined : { ...a };
  }

  /** Alerts in the history matching `query`, oldest first (copies). */
  history(query: AlertQuery = {}): Alert[] {
    checkOptionKeys('AlertManager.history query', query, QUERY_KEYS);
    const sev = query.severity === undefined ? -1 : queryRank('severity', query.severity);
    const minSev = query.minSeverity === undefined ? -1 : queryRank('minSeverity', query.minSeverity);
    const from = query.fromTs ?? Number.NEGATIVE_INFINITY;
    const to = query.toTs ?? Number.POSITIVE_INFINITY;
    const out: Alert[] = [];
    for (let i = 0; i < this.alerts.length; i++) {
      const a = this.alerts.get(i)!;
      const r = severityRank(a.severity);
      if (query.kind !== undefined && a.kind !== query.kind) continue;
      if (query.symbol !== undefined && a.symbol !== query.symbol) continue;
      if (query.status !== undefined && a.status !== query.status) continue;
      if (sev >= 0 && r !== sev) continue;
      if (r < minSev) continue;
      if (!(a.ts >= from && a.ts <= to)) continue;
      out.push({ ...a });
    }
    return out;
  }

  /** Counts by kind, severity and status, and suppressed duplicates. */
  stats(): AlertStats {
    const byKind: Record<string, AlertKindStats> = {};
    for (const kind of [...this.kinds.keys()].sort()) {
      const c = this.kinds.get(kind)!;
      setOwn(byKind, kind, {
        received: c.received,
        emitted: c.emitted,
        suppressed: c.suppressed,
        escalated: c.escalated,
        info: c.bySeverity[0]!,
        warning: c.bySeverity[1]!,
        critical: c.bySeverity[2]!,
      });
    }
    return {
      received: this.received,
      emitted: this.emitted,
      suppressed: this.suppressed,
      escalated: this.escalatedN,
      lateSignals: this.late,
      bySeverity: { info: this.bySeverity[0]!, warning: this.bySeverity[1]!, critical: this.bySeverity[2]! },
      byStatus: { open: this.byStatus[0]!, acknowledged: this.byStatus[1]!, closed: this.byStatus[2]! },
      byKind,
    };
  }

  /** The audit records held, oldest first (frozen). */
  auditLog(): AuditRecord[] {
    return this.audit.records();
  }

  /** The last evicted audit record (hash and seq; genesis and 0 before any eviction). */
  get auditAnchor(): AuditChainPoint {
    return this.audit.anchor;
  }

  /** The newest audit record (hash and seq): keep a copy elsewhere to make truncation evident. */
  get auditHead(): AuditChainPoint {
    return this.audit.head;
  }

  /** Verify the audit chain; see `verifyAuditChain`. */
  verify(): AuditVerification {
    return this.audit.verify();
  }

  reset(): void {
    this.audit.clear();
    this.clearAllButAudit();
  }

  private clearAllButAudit(): void {
    this.dedup.clear();
    this.escalation.clear();
    this.alerts.clear();
    this.byId.clear();
    this.kinds.clear();
    this.bySeverity.fill(0);
    this.byStatus.fill(0);
    this.received = 0;
    this.emitted = 0;
    this.suppressed = 0;
    this.escalatedN = 0;
    this.late = 0;
    this.nextId = 1;
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.lastSweepTs = Number.NEGATIVE_INFINITY;
  }

  snapshot(): AlertManagerState {
    const byKind: Array<[string, ...number[]]> = [];
    for (const [kind, c] of this.kinds) {
      byKind.push([kind, c.received, c.emitted, c.suppressed, c.escalated, c.bySeverity[0]!, c.bySeverity[1]!, c.bySeverity[2]!]);
    }
    const dedup: Array<[string, string, number, number | string, number | string, number, number]> = [];
    for (const head of this.dedup.values()) {
      for (let e: DedupEntry | null = head; e !== null; e = e.next) {
        dedup.push([e.kind, e.symbol, e.side, encodeNumber(e.bucket), encodeNumber(e.lastEmitTs), e.rank, e.alertId]);
      }
    }
    const escalation: Array<[string, string, Array<number | string>]> = [];
    for (const [kind, bySymbol] of this.escalation) {
      for (const [symbol, c] of bySymbol) escalation.push([kind, symbol, encodeNumbers(counterTimes(c))]);
    }
    return {
      type: 'AlertManager',
      version: 1,
      counts: [this.received, this.emitted, this.suppressed, this.escalatedN, this.late, this.nextId],
      times: encodeNumbers([this.lastTs, this.lastSweepTs]),
      bySeverity: Array.from(this.bySeverity),
      byStatus: Array.from(this.byStatus),
      byKind,
      dedup,
      escalation,
      history: this.alerts.toArray().map(encodeAlert),
      audit: this.audit.snapshot(),
    };
  }

  /**
   * Continue from a state of an AlertManager with the same options. The audit chain is restored as
   * it is, not checked: `verify()` reports a tampered one.
   */
  restore(state: AlertManagerState): void {
    checkState(state, T, 1);
    const counts = stateNumbers(T, 'counts', state.counts, 6, 6).map((x, i) => stateInteger(T, `counts[${i}]`, x, i === 5 ? 1 : 0));
    const times = stateNumbers(T, 'times', state.times, 2, 2);
    const bySeverity = stateNumbers(T, 'bySeverity', state.bySeverity, 3, 3).map((x, i) => stateInteger(T, `bySeverity[${i}]`, x));
    const byStatus = stateNumbers(T, 'byStatus', state.byStatus, 3, 3).map((x, i) => stateInteger(T, `byStatus[${i}]`, x));
    const kinds = stateArray('byKind', state.byKind).map((row, i) => {
      const r = stateArray(`byKind[${i}]`, row, 8);
      return { kind: stateString(`byKind[${i}][0]`, r[0]), n: r.slice(1).map((x, j) => stateInteger(T, `byKind[${i}][${j + 1}]`, x)) };
    });
    const dedup = stateArray('dedup', state.dedup).map((row, i): DedupEntry => {
      const r = stateArray(`dedup[${i}]`, row, 7);
      const side = r[2];
      if (side !== -1 && side !== 0 && side !== 1) throw new InvalidStateError(T, `dedup[${i}][2] must be -1, 0 or 1, got ${JSON.stringify(side)}`);
      return {
        kind: stateString(`dedup[${i}][0]`, r[0]),
        symbol: stateString(`dedup[${i}][1]`, r[1], true),
        side,
        bucket: stateNumber(T, `dedup[${i}][3]`, r[3]),
        lastEmitTs: stateNumber(T, `dedup[${i}][4]`, r[4]),
        rank: stateInteger(T, `dedup[${i}][5]`, r[5]),
        alertId: stateInteger(T, `dedup[${i}][6]`, r[6], 1),
        next: null,
      };
    });
    const escalation = stateArray('escalation', state.escalation).map((row, i) => {
      const r = stateArray(`escalation[${i}]`, row, 3);
      const ts = stateArray(`escalation[${i}][2]`, r[2]).map((x, j) => stateNumber(T, `escalation[${i}][2][${j}]`, x));
      return { kind: stateString(`escalation[${i}][0]`, r[0]), symbol: stateString(`escalation[${i}][1]`, r[1], true), ts };
    });
    const history = stateArray('history', state.history).map((a, i) => decodeAlert(a, `history[${i}]`));

    this.audit.restore(state.audit, T); // checks its shape before it changes anything
    this.clearAllButAudit();
    [this.received, this.emitted, this.suppressed, this.escalatedN, this.late, this.nextId] = counts as [number, number, number, number, number, number];
    [this.lastTs, this.lastSweepTs] = times as [number, number];
    this.bySeverity.set(bySeverity);
    this.byStatus.set(byStatus);
    for (const { kind, n } of kinds) {
      const c = this.kindCounts(kind);
      [c.received, c.emitted, c.suppressed, c.escalated] = n as [number, number, number, number];
      c.bySeverity.set(n.slice(4));
    }
    for (const e of dedup) {
      const hash = this.hasher.hash(e.kind, e.symbol, e.side, e.bucket);
      const head = this.dedup.get(hash);
      if (head === undefined) {
        this.dedup.set(hash, e);
      } else {
        let tail = head;
        while (tail.next !== null) tail = tail.next;
        tail.next = e;
      }
    }
    for (const { kind, symbol, ts } of escalation) {
      const n = this.escalateAfter.get(kind);
      if (n === undefined || n < 2) continue; // escalation off (or every signal) for this kind: nothing to count
      const c = this.counter(kind, symbol, n);
      for (const x of ts) pushTime(c, x);
    }
    for (const a of history) this.remember(a);
  }

  // ---------------------------------------------------------------------------------------------

  private kindCounts(kind: string): KindCounts {
    let c = this.kinds.get(kind);
    if (c === undefined) {
      c = { received: 0, emitted: 0, suppressed: 0, escalated: 0, bySeverity: new Float64Array(3) };
      this.kinds.set(kind, c);
    }
    return c;
  }

  private counter(kind: string, symbol: string, n: number): EscalationCounter {
    let bySymbol = this.escalation.get(kind);
    if (bySymbol === undefined) {
      bySymbol = new Map();
      this.escalation.set(kind, bySymbol);
    }
    let c = bySymbol.get(symbol);
    if (c === undefined) {
      c = { times: new Float64Array(n - 1), head: 0, count: 0 };
      bySymbol.set(symbol, c);
    }
    return c;
  }

  /** Count a signal at `t`; whether at least `n` (itself included) fall within the escalation window. */
  private countForEscalation(kind: string, symbol: string, t: number, n: number): boolean {
    if (n === 1) return true;
    const c = this.counter(kind, symbol, n);
    // The ring holds the last n - 1 times, oldest at `head`: n in the window iff it is full and its
    // oldest is inside the window.
    const reached = c.count === n - 1 && t - c.times[c.head]! < this.escalationWindowMs;
    pushTime(c, t);
    return reached;
  }

  private remember(alert: MutableAlert): void {
    const evicted = this.alerts.push(alert);
    if (evicted !== undefined) this.byId.delete(evicted.id);
    this.byId.set(alert.id, alert);
  }

  private reviewed(action: 'acknowledge' | 'close', alertId: number, review: Review): MutableAlert {
    const where = `AlertManager.${action}`;
    const alert = this.byId.get(alertId);
    if (alert === undefined) {
      throw new InvalidInputError(`${where}: alertId`, alertId, `the id of an alert in the history (the newest ${this.alerts.capacity})`);
    }
    if (review === null || typeof review !== 'object') throw new InvalidInputError(`${where}: review`, review, 'an object { by, ts, comment }');
    if (typeof review.by !== 'string' || review.by.trim() === '') {
      throw new InvalidInputError(`${where}: review.by for alert ${alertId}`, review.by, 'a non-blank name');
    }
    if (typeof review.ts !== 'number' || !Number.isFinite(review.ts)) {
      throw new InvalidInputError(`${where}: review.ts for alert ${alertId}`, review.ts, 'a finite number of milliseconds');
    }
    if (review.comment !== undefined && typeof review.comment !== 'string') {
      throw new InvalidInputError(`${where}: review.comment for alert ${alertId}`, review.comment, 'a string');
    }
    return alert;
  }

  private auditReview(action: 'acknowledge' | 'close', a: MutableAlert, by: string, ts: number, comment: string): void {
    this.audit.append({
      ts,
      action,
      alertId: a.id,
      by,
      comment,
      kind: a.kind,
      symbol: a.symbol,
      side: a.side,
      price: a.price,
      severity: a.severity,
      escalated: a.escalated,
      score: a.score,
      evidence: EMPTY_EVIDENCE,
    });
  }

  /** Drop de-duplication entries and escalation counters that can no longer affect an outcome. */
  private sweep(t: number): void {
    const w = this.dedupWindowMs;
    for (const [hash, head] of this.dedup) {
      let first: DedupEntry | null = null;
      let prev: DedupEntry | null = null;
      for (let e: DedupEntry | null = head; e !== null; e = e.next) {
        if (t - e.lastEmitTs >= w) {
          if (prev !== null) prev.next = e.next;
        } else {
          if (first === null) first = e;
          prev = e;
        }
      }
      if (first === null) this.dedup.delete(hash);
      else if (first !== head) this.dedup.set(hash, first);
    }
    const ew = this.escalationWindowMs;
    for (const [kind, bySymbol] of this.escalation) {
      for (const [symbol, c] of bySymbol) {
        if (c.count === 0) {
          bySymbol.delete(symbol);
          continue;
        }
        let newest = c.head + c.count - 1;
        if (newest >= c.times.length) newest -= c.times.length;
        if (t - c.times[newest]! >= ew) bySymbol.delete(symbol);
      }
      if (bySymbol.size === 0) this.escalation.delete(kind);
    }
    this.lastSweepTs = t;
  }
}

const EMPTY_EVIDENCE: Readonly<Record<string, number>> = Object.freeze({});

function sameBucket(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

function pushTime(c: EscalationCounter, t: number): void {
  const cap = c.times.length;
  if (c.count < cap) {
    let i = c.head + c.count;
    if (i >= cap) i -= cap;
    c.times[i] = t;
    c.count++;
  } else {
    c.times[c.head] = t;
    c.head = c.head + 1 === cap ? 0 : c.head + 1;
  }
}

function counterTimes(c: EscalationCounter): number[] {
  const out: number[] = new Array(c.count);
  for (let k = 0; k < c.count; k++) {
    let j = c.head + k;
    if (j >= c.times.length) j -= c.times.length;
    out[k] = c.times[j]!;
  }
  return out;
}

function queryRank(name: string, severity: unknown): number {
  const r = severityRank(severity);
  if (r < 0) throw new InvalidInputError(`AlertManager.history: query.${name}`, severity, '"info", "warning" or "critical"');
  return r;
}

/** Throw an InvalidInputError naming the first bad field of a signal. */
function checkSignal(s: Signal, symbol: string): void {
  const where = 'AlertManager.update';
  if (s === null || typeof s !== 'object') throw new InvalidInputError(`${where}: signal`, s, 'a Signal object');
  const ts = s.ts;
  if (typeof ts !== 'number' || ts - ts !== 0) throw new InvalidInputError(`${where}: signal.ts`, ts, 'a finite number of milliseconds');
  if (typeof s.kind !== 'string' || s.kind === '') throw new InvalidInputError(`${where}: signal.kind (ts ${ts})`, s.kind, 'a non-empty string');
  if (severityRank(s.severity) < 0) throw new InvalidInputError(`${where}: signal.severity (ts ${ts})`, s.severity, '"info", "warning" or "critical"');
  if (s.side !== 1 && s.side !== -1 && s.side !== 0) throw new InvalidInputError(`${where}: signal.side (ts ${ts})`, s.side, '-1, 0 or 1');
  if (typeof s.price !== 'number') throw new InvalidInputError(`${where}: signal.price (ts ${ts})`, s.price, 'a number (NaN when the signal has no price)');
  if (typeof s.score !== 'number') throw new InvalidInputError(`${where}: signal.score (ts ${ts})`, s.score, 'a number');
  const evidence = s.evidence;
  if (evidence === null || typeof evidence !== 'object') throw new InvalidInputError(`${where}: signal.evidence (ts ${ts})`, evidence, 'an object of numbers');
  for (const k in evidence) {
    if (typeof evidence[k] !== 'number') throw new InvalidInputError(`${where}: signal.evidence.${k} (ts ${ts})`, evidence[k], 'a number');
  }
  if (typeof symbol !== 'string') throw new InvalidInputError(`${where}: symbol (ts ${ts})`, symbol, 'a string');
}

function encodeAlert(a: MutableAlert): AlertStateEntry {
  const evidence: Record<string, number | string> = {};
  for (const k of Object.keys(a.evidence)) evidence[k] = encodeNumber(a.evidence[k]!);
  return {
    id: a.id,
    fingerprint: a.fingerprint,
    kind: a.kind,
    symbol: a.symbol,
    side: a.side,
    price: encodeNumber(a.price),
    priceBucket: encodeNumber(a.priceBucket),
    ts: encodeNumber(a.ts),
    severity: a.severity,
    signalSeverity: a.signalSeverity,
    escalated: a.escalated,
    score: encodeNumber(a.score),
    evidence,
    duplicates: a.duplicates,
    lastTs: encodeNumber(a.lastTs),
    status: a.status,
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedTs: encodeNumber(a.acknowledgedTs),
    closedBy: a.closedBy,
    closedTs: encodeNumber(a.closedTs),
    closeComment: a.closeComment,
  };
}

function decodeAlert(value: unknown, where: string): MutableAlert {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidStateError(T, `${where} must be an object, got ${JSON.stringify(value)}`);
  }
  const v = value as Record<string, unknown>;
  const num = (k: string): number => stateNumber(T, `${where}.${k}`, v[k]);
  const int = (k: string, min = 0): number => stateInteger(T, `${where}.${k}`, v[k], min);
  const str = (k: string): string => stateString(`${where}.${k}`, v[k], true);
  const strOrNull = (k: string): string | null => (v[k] === null ? null : str(k));
  const sev = (k: string): SignalSeverity => {
    if (severityRank(v[k]) < 0) throw new InvalidStateError(T, `${where}.${k} must be a severity, got ${JSON.stringify(v[k])}`);
    return v[k] as SignalSeverity;
  };
  const side = v.side;
  if (side !== -1 && side !== 0 && side !== 1) throw new InvalidStateError(T, `${where}.side must be -1, 0 or 1, got ${JSON.stringify(side)}`);
  const status = v.status;
  if (status !== 'open' && status !== 'acknowledged' && status !== 'closed') {
    throw new InvalidStateError(T, `${where}.status must be open, acknowledged or closed, got ${JSON.stringify(status)}`);
  }
  if (typeof v.escalated !== 'boolean') throw new InvalidStateError(T, `${where}.escalated must be a boolean, got ${JSON.stringify(v.escalated)}`);
  const ev = v.evidence;
  if (ev === null || typeof ev !== 'object' || Array.isArray(ev)) throw new InvalidStateError(T, `${where}.evidence must be an object, got ${JSON.stringify(ev)}`);
  const evidence: Record<string, number> = {};
  for (const k of Object.keys(ev)) evidence[k] = stateNumber(T, `${where}.evidence.${k}`, (ev as Record<string, unknown>)[k]);
  return {
    id: int('id', 1),
    fingerprint: int('fingerprint'),
    kind: str('kind'),
    symbol: str('symbol'),
    side,
    price: num('price'),
    priceBucket: num('priceBucket'),
    ts: num('ts'),
    severity: sev('severity'),
    signalSeverity: sev('signalSeverity'),
    escalated: v.escalated,
    score: num('score'),
    evidence: Object.freeze(evidence),
    duplicates: int('duplicates'),
    lastTs: num('lastTs'),
    status,
    acknowledgedBy: strOrNull('acknowledgedBy'),
    acknowledgedTs: num('acknowledgedTs'),
    closedBy: strOrNull('closedBy'),
    closedTs: num('closedTs'),
    closeComment: strOrNull('closeComment'),
  };
}

function stateArray(name: string, value: unknown, length = -1): unknown[] {
  if (!Array.isArray(value) || (length >= 0 && value.length !== length)) {
    throw new InvalidStateError(T, `${name} must be an array${length >= 0 ? ` of ${length} entries` : ''}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function stateString(name: string, value: unknown, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    throw new InvalidStateError(T, `${name} must be a ${allowEmpty ? '' : 'non-empty '}string, got ${JSON.stringify(value)}`);
  }
  return value;
}
