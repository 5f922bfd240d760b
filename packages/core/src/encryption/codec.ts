/** The imported AES key and fingerprint of an encryption handle, made once per handle. */
import { importAesKey } from '../crypto/aes-cbc.js';
import { keyFingerprint } from '../crypto/key.js';
import type { EncryptionHandle } from './handle.js';

export interface Codec {
  key: CryptoKey;
  /** `x-kss-meta-key`: Base64 of the hex MD5 of the key. */
  fingerprint: string;
}

const cache = new WeakMap<EncryptionHandle, Promise<Codec>>();

/** The codec of a handle (cached: the key is imported once). */
export function codecOf(handle: EncryptionHandle): Promise<Codec> {
  let c = cache.get(handle);
  if (!c) {
    const raw = handle.rawKey();
    c = importAesKey(raw).then((key) => ({ key, fingerprint: keyFingerprint(raw) }));
    cache.set(handle, c);
  }
  return c;
}
