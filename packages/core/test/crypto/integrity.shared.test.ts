/**
 * What decryption can and cannot detect. KS3's format is AES-CBC without a MAC (ks3-protocol.md
 * §6.8 item 4), so the only check inside the ciphertext is the padding of the last block. These
 * tests pin down what is guaranteed (length, IV, pad-byte damage, and the key fingerprint) and,
 * honestly, what is not (a wrong key or damage passes the padding check about once in 255 cases;
 * damage outside the last two blocks is never seen): callers must compare `x-kss-meta-key` with
 * keyFingerprint() before decrypting, and lengths/MD5 after.
 */
import { describe, expect, test } from 'vitest';
import vectors from '../../../../internal/vectors/encryption.json';
import { concatBytes, toBase64, toHex, utf8 } from '../../src/bytes.js';
import { Ks3InputError, Ks3IntegrityError, isKs3IntegrityError } from '../../src/errors.js';
import {
  type CbcState,
  createCbcDecryptor,
  createCbcEncryptor,
  decryptStream,
  importAesKey,
  keyFingerprint,
  md5,
  parseKey,
  resumeCbcEncryptor,
} from '../../src/crypto/index.js';
import { collect, fromHex, rejection, streamOf } from './helpers.js';

const rawKey = parseKey(vectors.key_ascii);
const wrongRaw = parseKey('ks3-demo-key-16c');
const vector = (name: string) => vectors.cases.find((c) => c.name === name)!;
const bodyOf = (name: string): Uint8Array => fromHex(vector(name).body_hex!);
const plainOf = (name: string): Uint8Array => fromHex(vector(name).plaintext_hex);

/** Decrypts IV || ciphertext with the chunked decryptor. */
async function decrypt(key: CryptoKey, body: Uint8Array): Promise<Uint8Array> {
  const dec = createCbcDecryptor(key, body.subarray(0, 16));
  const head = await dec.update(body.subarray(16));
  return concatBytes([head, await dec.final()]);
}

/** Decrypts through decryptStream, delivering the body in 7-byte pieces. */
async function decryptStreamed(key: CryptoKey, body: Uint8Array, expectedIv?: Uint8Array): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < body.length; i += 7) pieces.push(body.subarray(i, i + 7));
  return collect(streamOf(pieces).pipeThrough(decryptStream(key, { expectedIv, chunkSize: 48 })));
}

async function encrypt(key: CryptoKey, iv: Uint8Array, plain: Uint8Array): Promise<Uint8Array> {
  const enc = createCbcEncryptor(key, iv);
  return concatBytes([iv, await enc.update(plain), await enc.final()]);
}

const flip = (body: Uint8Array, at: number): Uint8Array => {
  const copy = body.slice();
  copy[at]! ^= 1;
  return copy;
};

describe('truncation', () => {
  test('a ciphertext whose length is not a positive multiple of 16 is refused', async () => {
    const key = await importAesKey(rawKey);
    const body = bodyOf('put_32_bytes'); // 16 IV + 48 ciphertext
    for (const length of [16, 17, 31, 33, 47, 63]) {
      const error = await rejection(decrypt(key, body.subarray(0, length)));
      expect(isKs3IntegrityError(error), `length ${length}`).toBe(true);
      expect((error as Error).message).toMatch(/truncated/);
    }
  });

  test('decryptStream refuses bodies shorter than 32 bytes or not 16-aligned', async () => {
    const key = await importAesKey(rawKey);
    const body = bodyOf('put_32_bytes');
    for (const length of [0, 1, 15, 16, 31, 33, 47, 63]) {
      const error = await rejection(decryptStreamed(key, body.subarray(0, length)));
      expect(error, `length ${length}`).toBeInstanceOf(Ks3IntegrityError);
      expect((error as Error).message).toMatch(/truncated/);
    }
  });

  test('dropping whole blocks is caught only when the new last block is not padding-shaped', async () => {
    const key = await importAesKey(rawKey);
    // put_32_bytes ends "…over t": without the 'g' block, the last byte 't' is no pad byte.
    await expect(decrypt(key, bodyOf('put_32_bytes').subarray(0, 48))).rejects.toThrow(Ks3IntegrityError);
    // Not guaranteed: data whose 16th byte is '1' looks padded once the blocks after it are cut.
    // Only the length (Content-Length, x-kss-meta-unencrypted-content-length) reveals it.
    const plain = utf8(`${'x'.repeat(15)}1 and more`);
    const body = await encrypt(key, fromHex(vectors.iv_hex), plain);
    const cut = await decrypt(key, body.subarray(0, 32));
    expect(toHex(cut)).toBe(toHex(utf8('x'.repeat(15))));
  });
});

describe('tampering', () => {
  test('damage to the pad bytes is always caught (here: the last byte of the next-to-last block)', async () => {
    const key = await importAesKey(rawKey);
    for (const name of ['put_1_bytes', 'put_16_bytes', 'put_31_bytes', 'put_8192_bytes']) {
      const body = bodyOf(name);
      // CBC: flipping a bit of C[n-1] flips the same bit of P[n], here the last pad byte, which
      // then names another pad length whose bytes do not match. Deterministic, not luck.
      const tampered = flip(body, body.length - 17);
      await expect(decrypt(key, tampered), name).rejects.toThrow(Ks3IntegrityError);
      await expect(decryptStreamed(key, tampered), name).rejects.toThrow(Ks3IntegrityError);
    }
  });

  test('damage to the last block garbles it; these vectors are all caught (≈ 1/255 would not be)', async () => {
    const key = await importAesKey(rawKey);
    for (const name of ['put_1_bytes', 'put_16_bytes', 'put_31_bytes', 'put_8192_bytes']) {
      const body = bodyOf(name);
      await expect(decrypt(key, flip(body, body.length - 5)), name).rejects.toThrow(Ks3IntegrityError);
    }
  });

  test('damage before the last two blocks is NOT caught by decryption; the plaintext MD5 is', async () => {
    const key = await importAesKey(rawKey);
    const c = vector('put_8193_bytes');
    const tampered = flip(bodyOf('put_8193_bytes'), 16 + 100);
    const plain = await decrypt(key, tampered);
    expect(plain).toHaveLength(c.plaintext_len);
    expect(toHex(plain)).not.toBe(c.plaintext_hex);
    expect(toBase64(md5(plain))).not.toBe(c.request_headers!['x-kss-meta-unencrypted-content-md5']);
  });

  test('a body IV that differs from x-kss-meta-iv is refused when expectedIv is given', async () => {
    const key = await importAesKey(rawKey);
    const iv = fromHex(vectors.iv_hex);
    const tampered = flip(bodyOf('put_8193_bytes'), 3);
    const error = await rejection(decryptStreamed(key, tampered, iv));
    expect(error).toBeInstanceOf(Ks3IntegrityError);
    expect((error as Error).message).toContain('IV in body does not match x-kss-meta-iv');
    // Without expectedIv only the first plaintext block changes: nothing to notice.
    const plain = await decryptStreamed(key, tampered);
    expect(toHex(plain.subarray(16))).toBe(toHex(plainOf('put_8193_bytes').subarray(16)));
    // And the untouched body passes with expectedIv.
    expect(toHex(await decryptStreamed(key, bodyOf('put_8193_bytes'), iv))).toBe(
      vector('put_8193_bytes').plaintext_hex,
    );
  });
});

describe('wrong key', () => {
  test('the key fingerprint always tells a wrong key (this is the guaranteed check)', () => {
    expect(keyFingerprint(wrongRaw)).not.toBe(vector('put_1_bytes').request_headers!['x-kss-meta-key']);
    expect(keyFingerprint(rawKey)).toBe(vector('put_1_bytes').request_headers!['x-kss-meta-key']);
  });

  test('decrypting the vectors with a wrong key fails the padding check (fixed data: deterministic)', async () => {
    const key = await importAesKey(wrongRaw);
    const names = vectors.cases.filter((c) => c.kind === 'put' && c.plaintext_len > 0).map((c) => c.name);
    for (const name of names) {
      await expect(decrypt(key, bodyOf(name)), name).rejects.toThrow(Ks3IntegrityError);
      await expect(decryptStreamed(key, bodyOf(name)), name).rejects.toThrow(Ks3IntegrityError);
    }
  });

  test('but some IVs let a wrong key through with garbage, so callers must compare fingerprints', async () => {
    const right = await importAesKey(rawKey);
    const wrong = await importAesKey(wrongRaw);
    const plain = utf8('secret');
    // Walk deterministic IVs until the wrong key's last plaintext byte happens to look like
    // padding (about 1 IV in 255). The count is fixed by the keys, so this always ends the same.
    for (let i = 0; i < 4096; i++) {
      const iv = new Uint8Array(16);
      new DataView(iv.buffer).setUint32(12, i);
      const body = await encrypt(right, iv, plain);
      const result = await decrypt(wrong, body).catch((e: unknown) => e);
      if (result instanceof Uint8Array) {
        expect(toHex(result)).not.toBe(toHex(plain));
        expect(keyFingerprint(wrongRaw)).not.toBe(keyFingerprint(rawKey));
        return;
      }
      expect(result).toBeInstanceOf(Ks3IntegrityError);
    }
    throw new Error('no IV let the wrong key through; the 1/255 estimate would be badly off');
  });
});

describe('misuse', () => {
  test('IVs must be 16 bytes', async () => {
    const key = await importAesKey(rawKey);
    expect(() => createCbcEncryptor(key, new Uint8Array(15))).toThrow(Ks3InputError);
    expect(() => createCbcDecryptor(key, new Uint8Array(17))).toThrow(Ks3InputError);
    expect(() => decryptStream(key, { expectedIv: new Uint8Array(8) })).toThrow(Ks3InputError);
  });

  test('overlapping calls and calls after final() are TypeErrors', async () => {
    const key = await importAesKey(rawKey);
    const enc = createCbcEncryptor(key, new Uint8Array(16));
    // Checked synchronously: the first call is pending until its WebCrypto promise settles.
    const pending = enc.update(new Uint8Array(64));
    expect(() => enc.state()).toThrow(TypeError);
    const overlapping = enc.update(new Uint8Array(16));
    await expect(overlapping).rejects.toThrow(TypeError);
    await pending;
    await enc.final();
    await expect(enc.update(new Uint8Array(16))).rejects.toThrow(TypeError);
    await expect(enc.final()).rejects.toThrow(TypeError);
    expect(() => enc.state()).toThrow(TypeError);

    const dec = createCbcDecryptor(key, new Uint8Array(16));
    const busy = dec.update(new Uint8Array(64));
    const early = dec.final();
    await expect(early).rejects.toThrow(TypeError);
    await busy;
    await expect(dec.final()).rejects.toThrow(Ks3IntegrityError); // 64 zero bytes: bad padding
    await expect(dec.update(new Uint8Array(16))).rejects.toThrow(TypeError);
  });

  test('malformed states are refused with Ks3InputError(param "state")', async () => {
    const key = await importAesKey(rawKey);
    const good = createCbcEncryptor(key, new Uint8Array(16)).state();
    expect(good).toEqual({ chain: 'AAAAAAAAAAAAAAAAAAAAAA==', pending: '' });
    const bad: unknown[] = [
      null,
      {},
      { chain: good.chain },
      { chain: 'AAAA', pending: '' },
      { chain: good.chain, pending: toBase64(new Uint8Array(16)) },
      { chain: '!!not base64!!', pending: '' },
      { chain: 42, pending: '' },
    ];
    for (const state of bad) {
      const error = (() => {
        try {
          resumeCbcEncryptor(key, state as CbcState);
        } catch (e) {
          return e;
        }
      })();
      expect(error, JSON.stringify(state)).toBeInstanceOf(Ks3InputError);
      expect((error as Ks3InputError).param).toBe('state');
    }
  });
});
