/** KS3 padding (ks3-protocol.md §6.2) and key parsing (§6.1). */
import { describe, expect, test } from 'vitest';
import { toHex, utf8 } from '../../src/bytes.js';
import { Ks3InputError, Ks3IntegrityError } from '../../src/errors.js';
import {
  KS3_PAD_ALPHABET,
  importAesKey,
  keyFingerprint,
  ks3CiphertextLength,
  ks3PadBlock,
  ks3PadLength,
  parseKey,
  parseKeyFile,
  stripKs3Padding,
} from '../../src/crypto/index.js';

const ascii = (s: string): Uint8Array => utf8(s);

describe('ks3PadLength / ks3CiphertextLength', () => {
  test.each([
    [0, 16, 16],
    [1, 15, 16],
    [15, 1, 16],
    [16, 16, 32],
    [17, 15, 32],
    [8191, 1, 8192],
    [8192, 16, 8208],
    [2 ** 32 + 5, 11, 2 ** 32 + 16],
  ])('%i bytes → pad %i, ciphertext %i', (n, pad, cipher) => {
    expect(ks3PadLength(n)).toBe(pad);
    expect(ks3CiphertextLength(n)).toBe(cipher);
  });

  test('rejects lengths that are not non-negative safe integers', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => ks3PadLength(bad)).toThrow(TypeError);
  });
});

describe('ks3PadBlock', () => {
  test('every remainder length 0..15 gets n copies of alphabet[n - 1]', () => {
    for (let r = 0; r < 16; r++) {
      const n = 16 - r;
      const remainder = Uint8Array.from({ length: r }, (_, i) => 0xa0 + i);
      const block = ks3PadBlock(remainder);
      expect(block).toHaveLength(16);
      expect(block.subarray(0, r)).toEqual(remainder);
      expect(String.fromCharCode(...block.subarray(r))).toBe(KS3_PAD_ALPHABET[n - 1]!.repeat(n));
    }
  });

  test('aligned input gets sixteen "g", one byte gets fifteen "f", fifteen get one "1"', () => {
    expect(String.fromCharCode(...ks3PadBlock(new Uint8Array(0)))).toBe('g'.repeat(16));
    expect(toHex(ks3PadBlock(ascii('T')))).toBe(`54${'66'.repeat(15)}`);
    expect(toHex(ks3PadBlock(ascii('The quick brown')))).toBe(`${toHex(ascii('The quick brown'))}31`);
  });

  test('refuses a remainder of 16 bytes or more', () => {
    expect(() => ks3PadBlock(new Uint8Array(16))).toThrow(TypeError);
  });
});

describe('stripKs3Padding', () => {
  test('inverts ks3PadBlock for every remainder length, as a view', () => {
    for (let r = 0; r < 16; r++) {
      const remainder = Uint8Array.from({ length: r }, (_, i) => 0x41 + i);
      const block = ks3PadBlock(remainder);
      const stripped = stripKs3Padding(block);
      expect(stripped).toEqual(remainder);
      expect(stripped.buffer).toBe(block.buffer);
    }
  });

  test('works on more than one block', () => {
    expect(stripKs3Padding(ascii(`${'x'.repeat(20)}${'c'.repeat(12)}`))).toEqual(ascii('x'.repeat(20)));
  });

  const invalid: [string, Uint8Array][] = [
    ['an empty input', new Uint8Array(0)],
    ['a last byte outside the alphabet (0x00)', new Uint8Array(16)],
    ["a last byte '0' (the reference would drop the block)", ascii('0'.repeat(16))],
    ['a PKCS#7 pad (0x10 × 16)', new Uint8Array(16).fill(16)],
    ['an upper-case letter', ascii('AAAAAAAAAAAAGGGG')],
    ["'2' preceded by another byte", ascii('aaaaaaaaaaaaaax2')],
    ["sixteen 'g' but the first is 'f'", ascii(`f${'g'.repeat(15)}`)],
    ['a pad longer than the data', ascii('ffff')],
    ["'5' with a '4' among its bytes", ascii('abcdefghijk55455')],
  ];
  test.each(invalid)('throws Ks3IntegrityError on %s', (_, data) => {
    expect(() => stripKs3Padding(data)).toThrow(Ks3IntegrityError);
  });
});

describe('parseKey / parseKeyFile / keyFingerprint', () => {
  test('accepts 16-byte strings and byte arrays, and returns a copy', () => {
    expect(toHex(parseKey('ks3-demo-key-16b'))).toBe('6b73332d64656d6f2d6b65792d313662');
    const bytes = new Uint8Array(16).fill(7);
    const parsed = parseKey(bytes);
    bytes[0] = 0;
    expect(parsed[0]).toBe(7);
  });

  test('counts UTF-8 bytes, not characters', () => {
    expect(() => parseKey('é'.repeat(16))).toThrow(Ks3InputError);
    expect(parseKey('é'.repeat(8))).toHaveLength(16);
  });

  test.each([
    ['15 bytes', 'x'.repeat(15)],
    ['17 bytes', 'x'.repeat(17)],
    ['empty', ''],
    ['untrimmed', ' ks3-demo-key-16b'],
  ])('parseKey rejects %s with Ks3InputError(param "key")', (_, input) => {
    let error: unknown;
    try {
      parseKey(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Ks3InputError);
    expect((error as Ks3InputError).param).toBe('key');
  });

  test('parseKeyFile strips leading and trailing ASCII whitespace like Python bytes.strip()', () => {
    const key = 'ks3-demo-key-16b';
    for (const padded of [`${key}\n`, `${key}\r\n`, ` \t${key}\v\f `, key]) {
      expect(toHex(parseKeyFile(padded))).toBe(toHex(utf8(key)));
      expect(toHex(parseKeyFile(utf8(padded)))).toBe(toHex(utf8(key)));
    }
    // Inner whitespace stays; a key that is 16 bytes only with its whitespace is refused.
    expect(toHex(parseKeyFile('\nks3 demo key 16b\n'))).toBe(toHex(utf8('ks3 demo key 16b')));
    expect(() => parseKeyFile(`${'k'.repeat(15)} `)).toThrow(Ks3InputError);
    expect(() => parseKeyFile('\n\n')).toThrow(Ks3InputError);
    // Non-ASCII whitespace (U+00A0) is not stripped.
    expect(() => parseKeyFile(`${'k'.repeat(14)}\u00a0`)).not.toThrow();
  });

  test('keyFingerprint is Base64 of the lower-case hex MD5 (44 characters)', () => {
    const fp = keyFingerprint(parseKey('ks3-demo-key-16b'));
    expect(fp).toBe('OTQwMjgwMzllNzZhOGYwOTdkNDc2NzUwMGJlNjQzMWY=');
    expect(fp).toHaveLength(44);
    expect(atob(fp)).toBe('94028039e76a8f097d4767500be6431f');
  });

  test('importAesKey takes exactly 16 bytes and yields a non-extractable AES-CBC key', async () => {
    const key = await importAesKey(parseKey('ks3-demo-key-16b'));
    expect(key.algorithm.name).toBe('AES-CBC');
    expect(key.extractable).toBe(false);
    expect(key.usages.sort()).toEqual(['decrypt', 'encrypt']);
    await expect(importAesKey(new Uint8Array(32))).rejects.toBeInstanceOf(Ks3InputError);
    await expect(importAesKey(new Uint8Array(15))).rejects.toBeInstanceOf(Ks3InputError);
  });
});
