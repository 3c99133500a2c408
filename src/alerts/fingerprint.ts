/**
 * The fingerprint of an alert: a 32-bit FNV-1a hash of `(kind, symbol, side, price bucket)`, computed
 * without building a key string.
 *
 * @module
 */

/** FNV-1a 32-bit offset basis. */
export const FNV1A32_OFFSET = 0x811c9dc5;
/** FNV-1a 32-bit prime. */
const FNV1A32_PRIME = 0x01000193;

/** One FNV-1a 32-bit step: fold the byte `b` (0..255) into the hash `h`. */
export function fnv1a32Byte(h: number, b: number): number {
  return Math.imul(h ^ b, FNV1A32_PRIME) >>> 0;
}

/**
 * Continue the FNV-1a 32-bit hash `h` over the UTF-8 bytes of `text`, encoding on the fly (no
 * allocation). A lone surrogate is hashed as U+FFFD, as a UTF-8 encoder writes it.
 *
 * @example
 * ```ts
 * fnv1a32String(FNV1A32_OFFSET, 'foobar').toString(16); // 'bf9cf968' (the published test vector)
 * ```
 */
export function fnv1a32String(h: number, text: string): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV1A32_PRIME);
    } else if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV1A32_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV1A32_PRIME);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV1A32_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 12) & 0x3f)), FNV1A32_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV1A32_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV1A32_PRIME);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV1A32_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV1A32_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV1A32_PRIME);
    }
  }
  return h >>> 0;
}

/**
 * The price bucket of a price: `round(price / bucket)` (half up, `Math.round`), so bucket `k` holds
 * the prices in `[(k - 0.5) bucket, (k + 0.5) bucket)`. `-0` becomes `0`; a NaN price (a signal
 * without one) has the bucket NaN, which matches only itself.
 */
export function priceBucketOf(price: number, bucket: number): number {
  const k = Math.round(price / bucket);
  return k === 0 ? 0 : k;
}

/**
 * Hashes alert fingerprints with FNV-1a 32-bit (Fowler, Noll and Vo, 1991; the FNV-1a variant of
 * the IETF draft-eastlake-fnv) over the bytes
 *
 * ```text
 * utf8(kind) 0xFF utf8(symbol) 0xFF (side + 1) float64-little-endian(priceBucket)
 * ```
 *
 * `0xFF` never occurs in UTF-8, so the byte string is unambiguous: two different keys hash the same
 * bytes never, and collide only when FNV-1a itself collides (probability about `n^2 / 2^33` among `n`
 * live keys). The hash is a fast index, not an identity: the `AlertManager` compares the full
 * key on every hash match. A NaN bucket is hashed as the canonical NaN bit pattern.
 *
 * One instance holds an 8-byte scratch buffer, so `hash` allocates nothing.
 */
export class FingerprintHasher {
  private readonly f64 = new Float64Array(1);
  private readonly u8 = new Uint8Array(this.f64.buffer);
  /** Whether the host stores a float64 little-endian (every common one does). */
  private readonly le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

  /** The 32-bit fingerprint (an unsigned integer) of one key. */
  hash(kind: string, symbol: string, side: number, priceBucket: number): number {
    let h = fnv1a32String(FNV1A32_OFFSET, kind);
    h = Math.imul(h ^ 0xff, FNV1A32_PRIME);
    h = fnv1a32String(h >>> 0, symbol);
    h = Math.imul(h ^ 0xff, FNV1A32_PRIME);
    h = Math.imul(h ^ ((side + 1) & 0xff), FNV1A32_PRIME);
    this.f64[0] = priceBucket === priceBucket ? priceBucket : Number.NaN;
    const u8 = this.u8;
    // Little-endian byte order on every platform, whatever the host's.
    const le = this.le;
    for (let i = 0; i < 8; i++) h = Math.imul(h ^ u8[le ? i : 7 - i]!, FNV1A32_PRIME);
    return h >>> 0;
  }
}
