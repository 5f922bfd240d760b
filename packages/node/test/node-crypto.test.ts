/**
 * node:crypto behind core's seams (issue 14.1): the node cipher gives the bytes of the WebCrypto
 * one through the SDK's own chunked encryptor, decryptor and streams (seeded random sizes and
 * chunkings, resumed states in both directions), the node HMAC and SHA-256 give the signatures
 * of the WebCrypto signers, and the client of @ks3/node really uses them.
 */
import { createCipheriv } from 'node:crypto';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  createClient,
  createV2Signer,
  createV4Signer,
  isKs3InputError,
  isKs3IntegrityError,
  nodeAesCbc,
  nodeHmac,
  nodeSha256,
  putObject,
} from '@ks3/node';
import {
  type AesKey,
  createCbcDecryptor,
  createCbcEncryptor,
  decryptStream,
  encryptStream,
  importAesKey,
  ks3PadBlock,
  resumeCbcEncryptor,
} from '@ks3/core/crypto';
import { concatBytes } from '@ks3/core/internal';
import { collect, prng, randInt, randomBytes, randomChunks, streamOf } from '../../core/test/crypto/helpers.js';

const KEY = Uint8Array.from({ length: 16 }, (_, i) => 3 * i + 1);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

async function encryptAll(key: AesKey, iv: Uint8Array, chunks: Uint8Array[]): Promise<Uint8Array> {
  const e = createCbcEncryptor(key, iv);
  const out: Uint8Array[] = [];
  for (const c of chunks) out.push(await e.update(c));
  out.push(await e.final());
  return concatBytes(out);
}

async function decryptAll(key: AesKey, iv: Uint8Array, chunks: Uint8Array[]): Promise<Uint8Array> {
  const d = createCbcDecryptor(key, iv);
  const out: Uint8Array[] = [];
  for (const c of chunks) out.push(await d.update(c));
  out.push(await d.final());
  return concatBytes(out);
}

afterEach(() => vi.restoreAllMocks());

describe('nodeAesCbc through the SDK encryptor and decryptor', () => {
  const seeds = Array.from({ length: 16 }, (_, i) => 400 + i);
  test.each(seeds)('seed %i: same bytes as WebCrypto and openssl, any chunking', async (seed) => {
    const rand = prng(seed);
    const size = [randInt(rand, 0, 40), randInt(rand, 0, 5000), randInt(rand, 0, 300_000)][seed % 3]!;
    const plain = randomBytes(rand, size);
    const iv = randomBytes(rand, 16);
    const web = await importAesKey(KEY);
    const node = nodeAesCbc(KEY);
    const viaNode = await encryptAll(node, iv, randomChunks(rand, plain, 30));
    const viaWeb = await encryptAll(web, iv, randomChunks(rand, plain, 30));
    const whole = size - (size % 16);
    const c = createCipheriv('aes-128-cbc', KEY, iv).setAutoPadding(false);
    const openssl = Buffer.concat([c.update(plain.subarray(0, whole)), c.update(ks3PadBlock(plain.subarray(whole)))]);
    expect(hex(viaNode), `seed ${seed}`).toBe(hex(openssl));
    expect(hex(viaWeb)).toBe(hex(openssl));
    // Slices of one array (the decryptor's no-copy path) and separate copies (its joining path).
    expect(hex(await decryptAll(node, iv, randomChunks(rand, viaNode, 30)))).toBe(hex(plain));
    const copies = randomChunks(rand, viaNode, 30).map((x) => x.slice());
    expect(hex(await decryptAll(node, iv, copies))).toBe(hex(plain));
  });

  test('a state taken with one cipher resumes with the other, both ways', async () => {
    const rand = prng(7);
    const plain = randomBytes(rand, 100_003);
    const iv = randomBytes(rand, 16);
    const web = await importAesKey(KEY);
    const node = nodeAesCbc(KEY);
    const expected = hex(await encryptAll(web, iv, [plain]));
    for (const [first, second] of [
      [web, node],
      [node, web],
    ] as const) {
      const a = createCbcEncryptor(first, iv);
      const head = await a.update(plain.subarray(0, 40_001)); // leaves 1 byte pending
      const b = resumeCbcEncryptor(second, a.state());
      const tail = concatBytes([await b.update(plain.subarray(40_001)), await b.final()]);
      expect(hex(concatBytes([head, tail]))).toBe(expected);
    }
  });

  test('a caller reusing its buffer between calls is decrypted right (held bytes are checked, not assumed)', async () => {
    const rand = prng(11);
    const plain = randomBytes(rand, 4096);
    const iv = randomBytes(rand, 16);
    const node = nodeAesCbc(KEY);
    const cipher = await encryptAll(node, iv, [plain]);
    // Chunk 2 sits right after chunk 1 in the same buffer, but chunk 1's bytes were overwritten
    // in between: the held last block must come from the decryptor's own copy.
    const scratch = new Uint8Array(cipher.length);
    const cut = 2048;
    scratch.set(cipher.subarray(0, cut));
    const d = createCbcDecryptor(node, iv);
    const out = [await d.update(scratch.subarray(0, cut))];
    scratch.fill(0xee, 0, cut);
    scratch.set(cipher.subarray(cut), cut);
    out.push(await d.update(scratch.subarray(cut)), await d.final());
    expect(hex(concatBytes(out))).toBe(hex(plain));
  });

  test('streams: round trip, and truncation, a wrong IV and a wrong key are integrity errors', async () => {
    const rand = prng(21);
    const plain = randomBytes(rand, 70_000);
    const iv = randomBytes(rand, 16);
    const node = nodeAesCbc(KEY);
    const body = await collect(streamOf(randomChunks(rand, plain, 20)).pipeThrough(encryptStream(node, iv)));
    const web = await collect(streamOf([plain]).pipeThrough(encryptStream(await importAesKey(KEY), iv)));
    expect(hex(body)).toBe(hex(web));
    const back = (b: Uint8Array, key: AesKey = node, expectedIv = iv) =>
      collect(streamOf(randomChunks(rand, b, 20)).pipeThrough(decryptStream(key, { expectedIv })));
    expect(hex(await back(body))).toBe(hex(plain));
    for (const bad of [
      back(body.subarray(0, body.length - 16)),
      back(body.subarray(0, 20)),
      back(body, node, new Uint8Array(16)),
      back(body, nodeAesCbc(new Uint8Array(16).fill(9))),
    ]) {
      expect(isKs3IntegrityError(await bad.catch((e) => e))).toBe(true);
    }
  });

  test('a key that is not 16 bytes is an input error naming the key', () => {
    const err = (() => {
      try {
        nodeAesCbc(new Uint8Array(15));
      } catch (e) {
        return e;
      }
    })();
    expect(isKs3InputError(err) && err.param).toBe('key');
  });
});

describe('nodeHmac and nodeSha256 in the signers', () => {
  const credentials = async () => ({ accessKeyId: 'AKLTnode', secretAccessKey: 'node-secret-key-é' });
  const request = (i: number) => ({
    method: i % 2 ? 'PUT' : 'GET',
    url: `https://b.ks3-cn-beijing.ksyuncs.com/k${i}%20x?acl`,
    bucket: 'b',
    key: `k${i} x`,
    query: [['acl'] as [string]],
    headers: { 'content-type': 'text/plain', 'x-kss-meta-n': String(i) },
    payloadHash: 'UNSIGNED-PAYLOAD',
    time: Date.UTC(2026, 0, 1 + i),
    ...(i % 3 === 0 ? { expires: Date.UTC(2026, 0, 1 + i) / 1000 + 600 } : {}),
  });

  test('V4 (both namespaces) and V2 sign exactly as with WebCrypto', async () => {
    for (const namespace of ['kss', 'aws'] as const) {
      const web = createV4Signer({ credentials, region: 'BEIJING', namespace });
      const node = createV4Signer({ credentials, region: 'BEIJING', namespace, hmac: nodeHmac, sha256: nodeSha256 });
      for (let i = 0; i < 12; i++) expect(await node(request(i))).toEqual(await web(request(i)));
    }
    const web2 = createV2Signer({ credentials });
    const node2 = createV2Signer({ credentials, hmac: nodeHmac });
    for (let i = 0; i < 12; i++) expect(await node2(request(i))).toEqual(await web2(request(i)));
  });

  test('the @ks3/node client signs and encrypts without WebCrypto', async () => {
    const subtle = vi.spyOn(crypto.subtle, 'sign');
    const encrypt = vi.spyOn(crypto.subtle, 'encrypt');
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const seen: Headers[] = [];
    for (const signatureVersion of ['v4', 'v2'] as const) {
      const client = createClient({
        endpoint: 'http://ks3.test',
        region: 'BEIJING',
        signatureVersion,
        accessKeyId: 'AK',
        secretAccessKey: 'SK',
        encryption: { key: KEY },
        streaming: true,
        fetch: async (_url, init) => {
          seen.push(new Headers(init?.headers));
          return new Response(null, { status: 200, headers: { etag: '"x"' } });
        },
      });
      // Larger than 1 MiB: the body's SHA-256 is not computed (UNSIGNED-PAYLOAD).
      await putObject(client, { bucket: 'bkt', key: 'k', body: new Uint8Array(3 << 20), contentMd5: false });
    }
    expect(seen.map((h) => h.get('authorization')?.split(' ')[0])).toEqual(['KSS4-HMAC-SHA256', 'KSS']);
    expect(subtle).not.toHaveBeenCalled();
    expect(encrypt).not.toHaveBeenCalled();
    expect(digest).not.toHaveBeenCalled();
  });
});
