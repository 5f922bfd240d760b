/** encryptStream / decryptStream round trips with random sizes and chunkings (seeded). */
import { describe, expect, test } from 'vitest';
import { concatBytes, toHex } from '../../src/bytes.js';
import { Ks3InputError } from '../../src/errors.js';
import {
  DEFAULT_CRYPTO_CHUNK_SIZE,
  createCbcDecryptor,
  createCbcEncryptor,
  decryptStream,
  encryptStream,
  generateIv,
  importAesKey,
  ks3CiphertextLength,
} from '../../src/crypto/index.js';
import { collect, prng, randInt, randomBytes, randomChunks, streamOf } from './helpers.js';

const KEY = Uint8Array.from({ length: 16 }, (_, i) => i * 17);

/** Reference body: IV || update(all) || final(), with no re-chunking at all. */
async function oneShot(key: CryptoKey, iv: Uint8Array, plain: Uint8Array): Promise<Uint8Array> {
  const enc = createCbcEncryptor(key, iv);
  return concatBytes([iv, await enc.update(plain), await enc.final()]);
}

/** Collects a stream's chunks without joining them. */
async function chunksOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
  return out;
}

describe('stream round trips', () => {
  const seeds = Array.from({ length: 24 }, (_, i) => 1000 + i);
  test.each(seeds)('seed %i: random size, input chunking, chunkSize and output re-chunking', async (seed) => {
    const rand = prng(seed);
    const key = await importAesKey(KEY);
    const size = [randInt(rand, 0, 40), randInt(rand, 0, 4000), randInt(rand, 0, 300_000)][seed % 3]!;
    const plain = randomBytes(rand, size);
    const chunkSize = 16 * randInt(rand, 2, 300);
    const iv = randomBytes(rand, 16);

    const encrypted = streamOf(randomChunks(rand, plain, 20)).pipeThrough(encryptStream(key, iv, { chunkSize }));
    const body = await collect(encrypted);
    expect(body.length).toBe(16 + ks3CiphertextLength(size));
    expect(toHex(body)).toBe(toHex(await oneShot(key, iv, plain)));

    const decrypted = streamOf(randomChunks(rand, body, 20)).pipeThrough(
      decryptStream(key, { expectedIv: iv, chunkSize: 16 * randInt(rand, 2, 300) }),
    );
    expect(toHex(await collect(decrypted))).toBe(toHex(plain));
  });

  test('piped end to end with the default chunk size', async () => {
    const key = await importAesKey(KEY);
    const plain = randomBytes(prng(7), DEFAULT_CRYPTO_CHUNK_SIZE + 4099);
    const iv = generateIv();
    const out = streamOf(randomChunks(prng(8), plain, 30))
      .pipeThrough(encryptStream(key, iv))
      .pipeThrough(decryptStream(key, { expectedIv: iv }));
    expect(toHex(await collect(out))).toBe(toHex(plain));
  });

  test('the empty plaintext encrypts to IV || one padding block and back to nothing', async () => {
    const key = await importAesKey(KEY);
    const iv = new Uint8Array(16).fill(9);
    const body = await collect(streamOf([]).pipeThrough(encryptStream(key, iv)));
    expect(body).toHaveLength(32);
    expect(toHex(body)).toBe(toHex(await oneShot(key, iv, new Uint8Array(0))));
    expect(await collect(streamOf([body]).pipeThrough(decryptStream(key)))).toHaveLength(0);
  });

  test('WebCrypto sees chunkSize pieces whatever the input chunking (memory stays bounded)', async () => {
    const key = await importAesKey(KEY);
    const plain = randomBytes(prng(3), 10_000);
    const iv = new Uint8Array(16);
    // 1-byte input chunks still give chunkSize output chunks: IV, 9 × 1024, then the rest.
    const tiny = Array.from({ length: plain.length }, (_, i) => plain.subarray(i, i + 1));
    const sizes = (await chunksOf(streamOf(tiny).pipeThrough(encryptStream(key, iv, { chunkSize: 1024 })))).map(
      (c) => c.length,
    );
    expect(sizes.slice(0, 10)).toEqual([16, ...Array(9).fill(1024)]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(16 + ks3CiphertextLength(plain.length));
    // One huge input chunk is cut too.
    const big = await chunksOf(streamOf([plain]).pipeThrough(encryptStream(key, iv, { chunkSize: 4096 })));
    expect(Math.max(...big.map((c) => c.length))).toBe(4096);
    // Decryption never emits more than chunkSize at once.
    const body = concatBytes(big);
    const plainChunks = await chunksOf(streamOf([body]).pipeThrough(decryptStream(key, { chunkSize: 1024 })));
    expect(Math.max(...plainChunks.map((c) => c.length))).toBeLessThanOrEqual(1024);
    expect(toHex(concatBytes(plainChunks))).toBe(toHex(plain));
  });

  test('the chunked decryptor agrees with the stream for any update sizes', async () => {
    const rand = prng(99);
    const key = await importAesKey(KEY);
    for (let round = 0; round < 10; round++) {
      const plain = randomBytes(rand, randInt(rand, 0, 5000));
      const iv = randomBytes(rand, 16);
      const body = await oneShot(key, iv, plain);
      const dec = createCbcDecryptor(key, body.subarray(0, 16));
      const out: Uint8Array[] = [];
      for (const chunk of randomChunks(rand, body.subarray(16), 15)) out.push(await dec.update(chunk));
      out.push(await dec.final());
      expect(toHex(concatBytes(out))).toBe(toHex(plain));
    }
  });

  test('the encryptor does not keep references to caller buffers', async () => {
    const key = await importAesKey(KEY);
    const iv = new Uint8Array(16);
    const plain = randomBytes(prng(5), 100);
    const expected = await oneShot(key, iv, plain);
    const enc = createCbcEncryptor(key, iv);
    const buffer = plain.slice(0, 40);
    const first = await enc.update(buffer); // 32 bytes out, 8 buffered
    buffer.fill(0); // the caller reuses its buffer
    const rest = await enc.update(plain.subarray(40));
    expect(toHex(concatBytes([iv, first, rest, await enc.final()]))).toBe(toHex(expected));
  });

  test('invalid chunk sizes are refused', async () => {
    const key = await importAesKey(KEY);
    for (const chunkSize of [0, 16, 33, 1000, -32, 40.5, Number.NaN]) {
      expect(() => encryptStream(key, new Uint8Array(16), { chunkSize })).toThrow(Ks3InputError);
      expect(() => decryptStream(key, { chunkSize })).toThrow(Ks3InputError);
    }
  });
});
