/** The imported AES key and fingerprint of an encryption handle, made once per handle. */
import type { Hasher } from '../client.js';
import { importAesKey } from '../crypto/aes-cbc.js';
import type { AesKey } from '../crypto/cipher.js';
import type { Md5Pool } from '../crypto/md5-pool.js';
import { keyFingerprint } from '../crypto/key.js';
import { createMd5 } from '../crypto/md5.js';
import type { EncryptionHandle } from './handle.js';

export interface Codec {
  /** The client's platform cipher (`aesCbc` option), else a WebCrypto key. */
  key: AesKey;
  /** `x-kss-meta-key`: Base64 of the hex MD5 of the key. */
  fingerprint: string;
  /** Makes MD5 hashers: the client's, or the portable one. */
  md5: () => Hasher;
  /** Where large MD5s go, when the client has a pool. */
  pool: Md5Pool | undefined;
}

const cache = new WeakMap<EncryptionHandle, Promise<Codec>>();

/** The codec of a handle (cached: the key is imported once). */
export function codecOf(handle: EncryptionHandle): Promise<Codec> {
  let c = cache.get(handle);
  if (!c) {
    const raw = handle.rawKey();
    const key: Promise<AesKey> = handle.aesCbc ? Promise.resolve().then(() => handle.aesCbc!(raw)) : importAesKey(raw);
    c = key.then((k) => ({
      key: k,
      fingerprint: keyFingerprint(raw),
      md5: handle.md5 ?? createMd5,
      pool: handle.md5Pool,
    }));
    cache.set(handle, c);
  }
  return c;
}
