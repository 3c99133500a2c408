import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintHasher, FNV1A32_OFFSET, fnv1a32Byte, fnv1a32String, priceBucketOf } from '../../src/alerts/fingerprint.js';

/** Textbook FNV-1a 32 over bytes: h = (h XOR byte) * 16777619 mod 2^32, from 2166136261. */
function fnvBytes(bytes: ArrayLike<number>, h = 2166136261): number {
  for (let i = 0; i < bytes.length; i++) h = Number((BigInt((h ^ bytes[i]!) >>> 0) * 16777619n) % 4294967296n);
  return h;
}

const utf16 = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 }).map((codes) => String.fromCharCode(...codes));

describe('FNV-1a 32', () => {
  it('matches the published test vectors', () => {
    // From the FNV reference test suite (isthe.com/chongo/src/fnv/test_fnv.c).
    expect(fnv1a32String(FNV1A32_OFFSET, '')).toBe(0x811c9dc5);
    expect(fnv1a32String(FNV1A32_OFFSET, 'a')).toBe(0xe40c292c);
    expect(fnv1a32String(FNV1A32_OFFSET, 'foobar')).toBe(0xbf9cf968);
    expect(fnv1a32Byte(FNV1A32_OFFSET, 0x61)).toBe(0xe40c292c);
  });

  it('hashes the UTF-8 bytes of any string without building them', () => {
    const enc = new TextEncoder();
    // One of each UTF-8 length (1, 2, 3, 4 bytes: a surrogate pair) and a lone surrogate (U+FFFD).
    for (const s of ['a', '\u00e9', '\u20ac', '\u{1f600}', '\ud83dx', 'x\udc00']) expect(fnv1a32String(FNV1A32_OFFSET, s), s).toBe(fnvBytes(enc.encode(s)));
    fc.assert(fc.property(utf16, (s) => {
      expect(fnv1a32String(FNV1A32_OFFSET, s)).toBe(fnvBytes(enc.encode(s)));
    }));
  });
});

describe('FingerprintHasher', () => {
  it('hashes utf8(kind) 0xFF utf8(symbol) 0xFF (side + 1) float64-LE(bucket)', () => {
    const enc = new TextEncoder();
    const h = new FingerprintHasher();
    fc.assert(
      fc.property(utf16, utf16, fc.constantFrom(-1, 0, 1), fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.constant(Number.NaN), fc.double()), (kind, symbol, side, bucket) => {
        const f = new DataView(new ArrayBuffer(8));
        f.setFloat64(0, bucket === bucket ? bucket : Number.NaN, true);
        const bytes = [...enc.encode(kind), 0xff, ...enc.encode(symbol), 0xff, side + 1, ...new Uint8Array(f.buffer)];
        expect(h.hash(kind, symbol, side, bucket)).toBe(fnvBytes(bytes));
      }),
    );
  });

  it('separates fields: moving bytes from kind to symbol changes the hash', () => {
    const h = new FingerprintHasher();
    expect(h.hash('ab', 'c', 0, 1)).not.toBe(h.hash('a', 'bc', 0, 1));
  });
});

describe('priceBucketOf', () => {
  it('rounds price / bucket half up, folds -0 into 0 and keeps NaN', () => {
    expect(priceBucketOf(100.004, 0.01)).toBe(10000); // 10000.4 -> 10000
    expect(priceBucketOf(100.006, 0.01)).toBe(10001); // 10000.6 -> 10001
    expect(priceBucketOf(102.5, 5)).toBe(21); // 20.5 -> 21 (half up)
    expect(Object.is(priceBucketOf(-0.001, 0.01), 0)).toBe(true); // round(-0.1) = -0 -> 0
    expect(priceBucketOf(Number.NaN, 0.01)).toBeNaN();
  });
});
