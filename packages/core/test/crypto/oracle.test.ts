/**
 * Oracle tests (Node only): our WebCrypto AES-CBC and our MD5 against node:crypto (OpenSSL) on
 * seeded random sizes and chunk boundaries. A failure message names its seed.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { concatBytes } from '../../src/bytes.js';
import {
  type CbcState,
  createCbcDecryptor,
  createCbcEncryptor,
  createMd5,
  importAesKey,
  ks3PadBlock,
  md5,
  resumeCbcEncryptor,
} from '../../src/crypto/index.js';
import { prng, randInt, randomChunks } from './helpers.js';

const MiB = 1 << 20;

/** Fast deterministic bytes: AES-128-CTR keystream under a seed-derived key. */
function bytesFor(seed: number, n: number): Uint8Array {
  const key = createHash('md5').update(`data-${seed}`).digest();
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(n));
}

/** openssl enc -aes-128-cbc -nopad over P || ks3pad(P), through node:crypto. */
function oracleEncrypt(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Buffer {
  const whole = plain.length - (plain.length % 16);
  const cipher = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([
    cipher.update(plain.subarray(0, whole)),
    cipher.update(ks3PadBlock(plain.subarray(whole))),
    cipher.final(),
  ]);
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

describe('AES-128-CBC with KS3 padding vs node:crypto', () => {
  const seeds = Array.from({ length: 20 }, (_, i) => 2026 + i);
  test.each(seeds)('seed %i', async (seed) => {
    const rand = prng(seed);
    const limits = [64, 70_000, 2 * MiB, 20 * MiB];
    const size = seed === 2026 ? 20 * MiB : randInt(rand, 0, limits[seed % 4]!);
    const plain = bytesFor(seed, size);
    const rawKey = bytesFor(-seed, 16);
    const iv = bytesFor(seed + 1e6, 16);
    const key = await importAesKey(rawKey);

    const enc = createCbcEncryptor(key, iv);
    const out: Uint8Array[] = [];
    for (const chunk of randomChunks(rand, plain, 40)) out.push(await enc.update(chunk));
    out.push(await enc.final());
    const ciphertext = concatBytes(out);
    const expected = oracleEncrypt(rawKey, iv, plain);
    expect(ciphertext.length, `seed ${seed}`).toBe(expected.length);
    expect(same(ciphertext, expected), `seed ${seed}: ciphertext differs from node:crypto`).toBe(true);

    const dec = createCbcDecryptor(key, iv);
    const back: Uint8Array[] = [];
    for (const chunk of randomChunks(rand, ciphertext, 40)) back.push(await dec.update(chunk));
    back.push(await dec.final());
    expect(same(concatBytes(back), plain), `seed ${seed}: round trip`).toBe(true);

    // node:crypto also reads our output back to exactly P || ks3pad(P).
    const decipher = createDecipheriv('aes-128-cbc', rawKey, iv).setAutoPadding(false);
    const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    expect(same(padded.subarray(0, size), plain)).toBe(true);
  });

  test.each([7, 8, 9, 10])('seed %i: multipart parts chained through JSON states', async (seed) => {
    const rand = prng(seed);
    const plain = bytesFor(seed, randInt(rand, 1, 3 * MiB));
    const rawKey = bytesFor(-seed, 16);
    const iv = bytesFor(seed + 1e6, 16);
    const key = await importAesKey(rawKey);
    // Every part but the last is a multiple of 16 bytes (§6.6).
    const cuts = randomChunks(rand, plain, 6).map((c) => c.byteOffset - plain.byteOffset);
    const bounds = [...new Set(cuts.map((c) => c - (c % 16)).filter((c) => c > 0))].sort((a, b) => a - b);
    bounds.push(plain.length);
    let state: CbcState | undefined;
    const parts: Uint8Array[] = [];
    let start = 0;
    for (const [i, end] of bounds.entries()) {
      const enc =
        state === undefined ? createCbcEncryptor(key, iv) : resumeCbcEncryptor(key, JSON.parse(JSON.stringify(state)));
      const piece = plain.subarray(start, end);
      const out = [await enc.update(piece)];
      if (i === bounds.length - 1) out.push(await enc.final());
      else state = enc.state();
      parts.push(concatBytes(out));
      start = end;
    }
    expect(same(concatBytes(parts), oracleEncrypt(rawKey, iv, plain)), `seed ${seed}`).toBe(true);
  });
});

describe('MD5 vs node:crypto', () => {
  const nodeMd5 = (chunks: readonly Uint8Array[]): Buffer => {
    const h = createHash('md5');
    for (const c of chunks) h.update(c);
    return h.digest();
  };

  test.each(Array.from({ length: 16 }, (_, i) => 500 + i))('seed %i: random size, offset and chunking', (seed) => {
    const rand = prng(seed);
    const size = randInt(rand, 0, [200, 5000, 3 * MiB][seed % 3]!);
    const offset = randInt(rand, 0, 7);
    const host = bytesFor(seed, size + offset);
    const data = host.subarray(offset);
    const h = createMd5();
    for (const chunk of randomChunks(rand, data, 50)) h.update(chunk);
    expect(Buffer.from(h.digest()).toString('hex'), `seed ${seed}`).toBe(nodeMd5([data]).toString('hex'));
    expect(Buffer.from(md5(data)).toString('hex')).toBe(nodeMd5([data]).toString('hex'));
  });

  test('512 MiB + 17 bytes: the bit length passes 2^32 (its high word is used)', () => {
    // 2^29 bytes is 2^32 bits. The same 1 MiB buffer fed 512 times keeps memory small.
    const block = bytesFor(42, MiB);
    const tail = bytesFor(43, 17);
    const chunks = [...Array<Uint8Array>(512).fill(block), tail];
    const h = createMd5();
    for (const c of chunks) h.update(c);
    expect(Buffer.from(h.digest()).toString('hex')).toBe(nodeMd5(chunks).toString('hex'));
  });
});
