/**
 * Alerts: the AlertManager (fingerprints, de-duplication, escalation, review lifecycle, stats) and
 * its hash-chained audit log, with the SHA-256 and FNV-1a hashes it uses.
 *
 * @module
 */
export * from './alert-manager.js';
export * from './audit-log.js';
export { FingerprintHasher, FNV1A32_OFFSET, fnv1a32String, priceBucketOf } from './fingerprint.js';
export { SIGNAL_KINDS, type KnownSignalKind } from './kinds.js';
export { sha256, sha256Hex } from './sha256.js';
