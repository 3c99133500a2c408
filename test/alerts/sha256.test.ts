import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Hex, toHex, utf8Bytes } from '../../src/alerts/sha256.js';

const nodeSha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
/** Any UTF-16 string, lone surrogates included. */
const utf16 = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((codes) => String.fromCharCode(...codes));

describe('sha256', () => {
  it('matches the FIPS 180-4 / NIST example vectors', () => {
    // FIPS 180-4 examples (csrc.nist.gov, "SHA256.pdf" and "SHA2_Additional.pdf").
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(sha256Hex('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu')).toBe(
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    );
    expect(sha256Hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('pads correctly at every length around the 55/56/64-byte block boundaries', () => {
    for (let n = 0; n <= 130; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(toHex(sha256(bytes)), `length ${n}`).toBe(nodeSha256(bytes));
    }
  });

  it('equals node:crypto on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(toHex(sha256(bytes))).toBe(nodeSha256(bytes));
    }));
  });

  it('hashes the UTF-8 bytes of text, as TextEncoder writes them (lone surrogates as U+FFFD)', () => {
    expect(Array.from(utf8Bytes('a\u00e9\u20ac\u{1f600}'))).toEqual([0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    expect(Array.from(utf8Bytes('\ud800x'))).toEqual([0xef, 0xbf, 0xbd, 0x78]);
    const enc = new TextEncoder();
    fc.assert(
      fc.property(utf16, (s) => {
        expect(Array.from(utf8Bytes(s))).toEqual(Array.from(enc.encode(s)));
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
    );
  });
});
