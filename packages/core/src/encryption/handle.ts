/**
 * The client's encryption option, validated when the client is made. The raw key stays in a
 * closure (never a property), and the crypto code is only loaded on the first encrypted call,
 * so apps that never encrypt do not ship it.
 */
import { utf8 } from '../bytes.js';
import type { Hasher } from '../client.js';
import type { AesCbcCipher } from '../crypto/cipher.js';
import type { Md5Pool } from '../crypto/md5-pool.js';
import { Ks3InputError } from '../errors.js';

/** `encryption` option of the client: KS3 client-side encryption as the Python SDK's `local_encrypt`. */
export interface EncryptionConfig {
  /** The 16-byte AES-128 key: bytes, or a string of 16 UTF-8 bytes (see `loadKeyFile` in @ks3/node). */
  key: Uint8Array | string;
  /** Send Content-MD5 over the encrypted body (default true, as the guide's `calc_encrypt_md5`). */
  contentMd5?: boolean;
}

/** What a client keeps of its encryption option. */
export interface EncryptionHandle {
  readonly contentMd5: boolean;
  /** The client's MD5 factory, if it has one. */
  readonly md5: (() => Hasher) | undefined;
  /** The client's AES-CBC factory, if it has one (else WebCrypto). */
  readonly aesCbc: ((rawKey: Uint8Array) => AesCbcCipher) | undefined;
  /** The client's MD5 pool, if it has one (for the large hashes). */
  readonly md5Pool: Md5Pool | undefined;
  /** The raw key, behind a function so that inspecting a client never prints it. */
  readonly rawKey: () => Uint8Array;
}

/**
 * Checks an encryption option.
 * @throws {Ks3InputError} unless the key is exactly 16 bytes.
 */
export function encryptionHandle(
  config: EncryptionConfig,
  md5?: () => Hasher,
  aesCbc?: (rawKey: Uint8Array) => AesCbcCipher,
  md5Pool?: Md5Pool,
): EncryptionHandle {
  const key = typeof config?.key === 'string' ? utf8(config.key) : config?.key;
  if (!(key instanceof Uint8Array) || key.length !== 16) {
    throw new Ks3InputError(
      'encryption.key',
      `must be 16 bytes (AES-128), got ${key instanceof Uint8Array ? `${key.length} bytes` : typeof config?.key}`,
      { operation: 'createClient' },
    );
  }
  const copy = new Uint8Array(key);
  return Object.freeze({ contentMd5: config.contentMd5 !== false, md5, aesCbc, md5Pool, rawKey: () => copy });
}
