import { describe, expect, it } from 'vitest';
import * as alerts from '../../src/alerts/index.js';

describe('alerts family index', () => {
  it('re-exports the AlertManager, the audit log and the hashes', () => {
    expect(Object.keys(alerts).sort()).toEqual([
      'AlertManager',
      'AuditLog',
      'DEFAULT_ALERT_MANAGER_OPTIONS',
      'FNV1A32_OFFSET',
      'FingerprintHasher',
      'GENESIS_HASH',
      'SIGNAL_KINDS',
      'auditRecordPayload',
      'fnv1a32String',
      'priceBucketOf',
      'sha256',
      'sha256Hex',
      'verifyAuditChain',
    ]);
  });

  it('names the detector kinds in camelCase', () => {
    expect(alerts.SIGNAL_KINDS).toHaveLength(14);
    for (const k of alerts.SIGNAL_KINDS) expect(k).toMatch(/^[a-z][a-zA-Z]*$/);
  });
});
