/** MD5 known answers (RFC 1321 appendix A.5, plus lengths around block boundaries). */
import { describe, expect, test } from 'vitest';
import { toHex, utf8 } from '../../src/bytes.js';
import { md5Blocks } from '../../src/crypto/md5-block.js';
import { createMd5, md5, md5BitLength } from '../../src/crypto/md5.js';
import { prng, randomChunks } from './helpers.js';

const RFC_1321: [string, string][] = [
  ['', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['a', '0cc175b9c0f1b6a831c399e269772661'],
  ['abc', '900150983cd24fb0d6963f7d28e17f72'],
  ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
  ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
  ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
];

/** Byte i of the pattern is (7i + 3) mod 256; digests computed with Python's hashlib. */
const pattern = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 255);
const BOUNDARIES: [number, string][] = [
  [1, '8666683506aacd900bbd5a74ac4edf68'],
  [15, 'a102af85951589c6397769d540865d4a'],
  [16, '93498065c90c7511629efc2a676cf256'],
  [17, '4e208ba7eda62e0fa7ce53387b02236d'],
  [55, '52c0e574e1198de5fe3f8f11440dcb1b'],
  [56, '46c9907fc908ee68b1e7b8e71286a518'],
  [57, '1c805dd236c35cab25fcb1bc73802c51'],
  [63, 'a62f6d59e837867693f042f5b8f5a236'],
  [64, '7160b8fb5e9e4023d549c3971fbaeead'],
  [65, '70bd662e7aefbda85a0f7244167b7897'],
  [119, 'e84905d4214f4d1ca56c2cdcc152b143'],
  [120, 'e3eb5a6c8669ea01a8c185b8abc8a5dc'],
  [121, '82f02aff7c685d5ef5f6abdfc38fd04f'],
  [127, 'acce2474d6cc8302120d09c818d17ef7'],
  [128, '10b2da1a82f16d99a81a7203fe9f02cb'],
  [129, '03fefbbcebe2959cf2270241aafe0250'],
  [191, '32d9bde85e98d3611dfb15f0fd4dc8d1'],
  [192, '4cf6bd4bc52d3ca824bfbc469b75fa97'],
  [1000, '10046f077f2082ac19676b8079f1cb1a'],
  [4095, '53de317667ca40d9642e2d859bfbfd16'],
  [4096, 'd105289f5617c241f52a191c6b2fc809'],
  [4097, 'c7cfb8a6d3d4929f9035e0918250b62d'],
  [65536, '55f3da07043d8f6f30808f9309120b1d'],
  [65537, '8bbe2ba9b420c53493027ed87dbc57c8'],
];

describe('md5', () => {
  test.each(RFC_1321)('RFC 1321: MD5(%j)', (input, hex) => {
    expect(toHex(md5(utf8(input)))).toBe(hex);
  });

  test.each(BOUNDARIES)('length %i', (n, hex) => {
    const data = pattern(n);
    expect(toHex(md5(data))).toBe(hex);
    if (n > 4097) return;
    // Byte by byte: every path through the partial-block buffer.
    const h = createMd5();
    for (let i = 0; i < n; i++) h.update(data.subarray(i, i + 1));
    expect(toHex(h.digest())).toBe(hex);
  });

  test('one million "a" (a common extra test)', () => {
    const h = createMd5();
    const block = utf8('a'.repeat(1000));
    for (let i = 0; i < 1000; i++) h.update(block);
    expect(toHex(h.digest())).toBe('7707d6ae4e027c70eea2a935c2296f21');
  });

  test('any chunking and any byte offset give the same digest', () => {
    const rand = prng(1321);
    for (const [n, hex] of BOUNDARIES) {
      // Copied to odd offsets of a bigger buffer, so the unaligned (copying) path runs too.
      for (const shift of [0, 1, 2, 3, 5]) {
        const host = new Uint8Array(n + shift);
        host.set(pattern(n), shift);
        const h = createMd5();
        for (const chunk of randomChunks(rand, host.subarray(shift), 8)) h.update(chunk);
        expect(toHex(h.digest()), `n=${n} shift=${shift}`).toBe(hex);
      }
    }
  });

  test('does not modify its input', () => {
    const data = pattern(200);
    md5(data);
    expect(data).toEqual(pattern(200));
  });

  test('a spent hasher refuses more work', () => {
    const h = createMd5().update(utf8('abc'));
    h.digest();
    expect(() => h.update(utf8('x'))).toThrow(TypeError);
    expect(() => h.digest()).toThrow(TypeError);
  });
});

describe('md5 length encoding (RFC 1321 §3.2: 64-bit bit count, low word first)', () => {
  test.each([
    [0, 0, 0],
    [1, 8, 0],
    [0x1fffffff, 0xfffffff8, 0],
    [0x20000000, 0, 1], // 512 MiB = 2^32 bits: the first length that needs the high word
    [0x20000001, 8, 1],
    [0xffffffff, 0xfffffff8, 7],
    [2 ** 32, 0, 8], // 4 GiB
    [2 ** 32 + 3, 24, 8],
    [5 * 2 ** 30 + 17, 136, 10],
    [2 ** 50 + 1, 8, 2 ** 21], // far beyond any object, still exact
  ])('%i bytes → low %i, high %i', (bytes, low, high) => {
    expect(md5BitLength(bytes)).toEqual([low, high]);
  });

  test('digest() writes the 64-bit length: a 4 GiB + 3 bytes message, without 4 GiB of data', () => {
    // The last block of a (2^32 + 3)-byte message whose earlier blocks left the chaining state at
    // S is [3 data bytes, 0x80, zeros, bit length]. Build that block by hand and compress it from
    // the initial state, then make a hasher that saw 3 bytes believe it saw 2^32 + 3 (a private
    // field, set on purpose: this test is about the length bytes, not the data).
    const words = new Int32Array(16);
    const bytes = new Uint8Array(words.buffer);
    bytes.set([1, 2, 3, 0x80]);
    bytes.set([24, 0, 0, 0, 8, 0, 0, 0], 56); // (2^32 + 3) · 8 = 2^35 + 24, little-endian
    const state = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
    md5Blocks(state, words, 16);
    const expected = new Uint8Array(state.buffer);

    const h = createMd5().update(Uint8Array.of(1, 2, 3));
    (h as unknown as { total: number }).total = 2 ** 32 + 3;
    expect(toHex(h.digest())).toBe(toHex(expected));
  });
});
