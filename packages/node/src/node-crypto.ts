/**
 * node:crypto behind core's crypto seams (the client's `md5`, `aesCbc`, `hmac` and `sha256`
 * options): native OpenSSL instead of the portable MD5 and WebCrypto. The bytes are the same;
 * only the speed differs (AES-CBC decryption by about an order of magnitude, a V4 signature by
 * more).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { AesCbcCipher, CbcBlocks, Hasher } from '@ks3/core';
import { Ks3InputError } from '@ks3/core';

/** A node:crypto Hash or Hmac in the SDK's hasher shape; digests are plain Uint8Arrays. */
function hasher(h: { update(b: Uint8Array): unknown; digest(): Buffer }): Hasher {
  const self: Hasher = {
    update: (b) => (h.update(b), self),
    digest: () => {
      const d = h.digest();
      return new Uint8Array(d.buffer, d.byteOffset, d.length);
    },
  };
  return self;
}

/** MD5 from `node:crypto` (native, faster than the portable one), in the SDK's hasher shape. */
export function nodeMd5(): Hasher {
  return hasher(createHash('md5'));
}

/** SHA-256 from `node:crypto`, in the SDK's hasher shape. */
export function nodeSha256(): Hasher {
  return hasher(createHash('sha256'));
}

/** Keyed HMAC-SHA1 / HMAC-SHA256 from `node:crypto` (core's `HmacFactory`). */
export function nodeHmac(algorithm: 'sha1' | 'sha256', key: Uint8Array): Hasher {
  return hasher(createHmac(algorithm, key));
}

/** A view of a Buffer as a plain Uint8Array (no copy), the type core's cipher API returns. */
const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

function chain(make: () => { update(b: Uint8Array): Buffer }): CbcBlocks {
  const c = make();
  return (blocks) => plain(c.update(blocks));
}

/**
 * AES-128-CBC from `node:crypto` for a raw 16-byte key: pass it where the SDK takes an AES key
 * (`createCbcEncryptor`, `encryptStream`, …), or let the client of this package use it for
 * `encryption` (its `aesCbc` default).
 * @throws {Ks3InputError} when the key is not 16 bytes.
 * @example
 * const enc = createCbcEncryptor(nodeAesCbc(parseKey('ks3-demo-key-16b')), generateIv());
 */
export function nodeAesCbc(rawKey: Uint8Array): AesCbcCipher {
  if (!(rawKey instanceof Uint8Array) || rawKey.length !== 16)
    throw new Ks3InputError('key', `must be exactly 16 bytes (AES-128), got ${rawKey?.length ?? typeof rawKey}`);
  const key: KeyObject = createSecretKey(rawKey);
  const cipher = (iv: Uint8Array) => createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
  const decipher = (iv: Uint8Array) => createDecipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
  return Object.freeze({
    encryptor: (iv: Uint8Array) => chain(() => cipher(iv)),
    decryptor: (iv: Uint8Array) => chain(() => decipher(iv)),
  });
}
