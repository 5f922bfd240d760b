/**
 * The 13 client-side encryption vectors recorded from the reference Python SDK
 * (internal/vectors/encryption.json), reproduced byte for byte in Node and in Chromium.
 */
import { describe, expect, test } from 'vitest';
import vectors from '../../../../internal/vectors/encryption.json';
import { concatBytes, toBase64, toHex, utf8 } from '../../src/bytes.js';
import {
  type CbcState,
  createCbcDecryptor,
  createCbcEncryptor,
  decryptStream,
  encryptStream,
  importAesKey,
  keyFingerprint,
  ks3CiphertextLength,
  ks3PadBlock,
  ks3PadLength,
  md5,
  parseKey,
  resumeCbcEncryptor,
} from '../../src/crypto/index.js';
import { collect, fromHex, streamOf } from './helpers.js';

type Headers = Record<string, string>;
interface Part {
  part_number: number;
  plaintext_offset: number;
  plaintext_len: number;
  request_headers: Headers;
  body_hex: string;
  body_len: number;
}
interface Case {
  name: string;
  kind: 'put' | 'multipart';
  plaintext_len: number;
  plaintext_hex: string;
  request_headers?: Headers;
  body_hex?: string;
  body_len?: number;
  padding_count?: number;
  padding_byte_hex?: string;
  part_sizes?: number[];
  initiate_request_headers?: Headers;
  parts?: Part[];
  object_body_hex?: string;
}

const cases = vectors.cases as unknown as Case[];
const puts = cases.filter((c) => c.kind === 'put' && c.plaintext_len > 0);
const multiparts = cases.filter((c) => c.kind === 'multipart');
const rawKey = parseKey(vectors.key_ascii);
const iv = fromHex(vectors.iv_hex);

/** Encrypts as one PUT would: IV || update(P) || final(). */
async function putBody(key: CryptoKey, plain: Uint8Array, splits: number[] = []): Promise<Uint8Array> {
  const enc = createCbcEncryptor(key, iv);
  const out: Uint8Array[] = [iv];
  let at = 0;
  for (const s of [...splits.filter((x) => x < plain.length), plain.length]) {
    out.push(await enc.update(plain.subarray(at, s)));
    at = s;
  }
  out.push(await enc.final());
  return concatBytes(out);
}

test('the vector file holds 13 cases, and the key is the documented demo key', () => {
  expect(cases).toHaveLength(13);
  expect(toHex(rawKey)).toBe(vectors.key_hex);
  expect(puts.length + multiparts.length + 1).toBe(13);
});

describe.each(puts)('$name', (c) => {
  const plain = fromHex(c.plaintext_hex);
  const headers = c.request_headers!;

  test('body = IV || ciphertext, byte for byte, whatever the update chunking', async () => {
    const key = await importAesKey(rawKey);
    expect(toHex(await putBody(key, plain))).toBe(c.body_hex);
    expect(toHex(await putBody(key, plain, [1, 7, 16, 17, 40, 8000]))).toBe(c.body_hex);
    expect(c.body_len).toBe(16 + ks3CiphertextLength(plain.length));
  });

  test('padding count and byte', () => {
    const n = ks3PadLength(plain.length);
    expect(n).toBe(c.padding_count);
    const last = ks3PadBlock(plain.subarray(plain.length - (plain.length % 16)));
    expect(toHex(last.subarray(16 - n))).toBe(c.padding_byte_hex!.repeat(n));
  });

  test('headers: x-kss-meta-key, -iv, -unencrypted-content-md5/-length, Content-MD5/-Length', () => {
    const body = fromHex(c.body_hex!);
    expect(keyFingerprint(rawKey)).toBe(headers['x-kss-meta-key']);
    expect(toBase64(iv)).toBe(headers['x-kss-meta-iv']);
    expect(toBase64(md5(plain))).toBe(headers['x-kss-meta-unencrypted-content-md5']);
    expect(String(plain.length)).toBe(headers['x-kss-meta-unencrypted-content-length']);
    expect(toBase64(md5(body))).toBe(headers['Content-MD5']);
    expect(String(body.length)).toBe(headers['Content-Length']);
  });

  test('decrypts back with the decryptor and with decryptStream', async () => {
    const key = await importAesKey(rawKey);
    const body = fromHex(c.body_hex!);
    const dec = createCbcDecryptor(key, body.subarray(0, 16));
    const viaDecryptor = concatBytes([await dec.update(body.subarray(16)), await dec.final()]);
    expect(toHex(viaDecryptor)).toBe(c.plaintext_hex);
    const stream = streamOf([body]).pipeThrough(decryptStream(key, { expectedIv: iv, chunkSize: 4096 }));
    expect(toHex(await collect(stream))).toBe(c.plaintext_hex);
  });

  test('encryptStream gives the same body', async () => {
    const key = await importAesKey(rawKey);
    const stream = streamOf([plain.subarray(0, 5), plain.subarray(5)]).pipeThrough(
      encryptStream(key, iv, { chunkSize: 64 }),
    );
    expect(toHex(await collect(stream))).toBe(c.body_hex);
  });
});

test('put_0_bytes: an empty object is sent unencrypted, without x-kss-meta-* headers', () => {
  const c = cases.find((x) => x.name === 'put_0_bytes')!;
  expect(c.body_len).toBe(0);
  expect(toBase64(md5(new Uint8Array(0)))).toBe(c.request_headers!['Content-MD5']);
  expect(Object.keys(c.request_headers!).filter((h) => h.startsWith('x-kss-meta-'))).toEqual([]);
});

describe.each(multiparts)('$name', (c) => {
  const plain = fromHex(c.plaintext_hex);
  const parts = c.parts!;

  test('initiate carries x-kss-meta-key and x-kss-meta-iv', () => {
    expect(keyFingerprint(rawKey)).toBe(c.initiate_request_headers!['x-kss-meta-key']);
    expect(toBase64(iv)).toBe(c.initiate_request_headers!['x-kss-meta-iv']);
  });

  test('each part, encrypted from the JSON state left by the previous one, matches', async () => {
    const key = await importAesKey(rawKey);
    let state: CbcState | undefined;
    const bodies: Uint8Array[] = [];
    for (const [i, part] of parts.entries()) {
      const piece = plain.subarray(part.plaintext_offset, part.plaintext_offset + part.plaintext_len);
      // A restart: the state crosses a JSON round trip and a fresh encryptor picks it up.
      const enc =
        state === undefined
          ? createCbcEncryptor(key, iv)
          : resumeCbcEncryptor(key, JSON.parse(JSON.stringify(state)) as CbcState);
      const out = [await enc.update(piece)];
      if (i === parts.length - 1) out.push(await enc.final());
      else state = enc.state();
      const body = concatBytes(i === 0 ? [iv, ...out] : out);
      expect(toHex(body), `part ${part.part_number}`).toBe(part.body_hex);
      const h = part.request_headers;
      expect(toBase64(md5(body))).toBe(h['Content-MD5']);
      expect(String(body.length)).toBe(h['Content-Length']);
      expect(toBase64(md5(piece))).toBe(h['x-kss-meta-unencrypted-content-md5']);
      expect(String(piece.length)).toBe(h['x-kss-meta-unencrypted-content-length']);
      bodies.push(body);
    }
    const whole = concatBytes(bodies);
    expect(toHex(whole)).toBe(c.object_body_hex);
    expect(toHex(await putBody(key, plain))).toBe(c.object_body_hex);
  });

  test('a part re-encrypted from its saved state is identical (retry of one part)', async () => {
    const key = await importAesKey(rawKey);
    const first = parts[0]!;
    const enc = createCbcEncryptor(key, iv);
    await enc.update(plain.subarray(0, first.plaintext_len));
    const saved = enc.state();
    const rest = plain.subarray(first.plaintext_len);
    const attempt = async (): Promise<string> => {
      const retry = resumeCbcEncryptor(key, saved);
      return toHex(concatBytes([await retry.update(rest), await retry.final()]));
    };
    const a = await attempt();
    expect(await attempt()).toBe(a);
    expect(c.object_body_hex!.endsWith(a)).toBe(true);
  });

  test('the whole object decrypts back', async () => {
    const key = await importAesKey(rawKey);
    const body = fromHex(c.object_body_hex!);
    const stream = streamOf([body]).pipeThrough(decryptStream(key, { expectedIv: iv }));
    expect(toHex(await collect(stream))).toBe(c.plaintext_hex);
  });
});

test('the demo key fingerprint is the documented value', () => {
  expect(keyFingerprint(utf8('ks3-demo-key-16b'))).toBe('OTQwMjgwMzllNzZhOGYwOTdkNDc2NzUwMGJlNjQzMWY=');
});
