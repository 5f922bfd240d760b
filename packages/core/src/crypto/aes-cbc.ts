/**
 * AES-128-CBC with KS3 padding on WebCrypto only (ks3-protocol.md §6.2, §6.8). The chunked
 * encryptor and decryptor live in their own files and are re-exported here.
 */
import { Ks3InputError } from '../errors.js';
import { bufferSource } from './cbc-raw.js';

export { type CbcDecryptor, createCbcDecryptor } from './cbc-decryptor.js';
export { type CbcEncryptor, type CbcState, createCbcEncryptor, resumeCbcEncryptor } from './cbc-encryptor.js';

/**
 * Imports a raw 16-byte key as a non-extractable AES-CBC `CryptoKey` for encryption and
 * decryption. KS3 uses the key bytes as they are, with no key derivation (§6.1).
 *
 * @param raw the key bytes, e.g. from {@link parseKey} or {@link parseKeyFile}.
 * @throws {Ks3InputError} when `raw` is not exactly 16 bytes.
 * @example
 * ```ts
 * const key = await importAesKey(parseKey('ks3-demo-key-16b'));
 * ```
 */
export async function importAesKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== 16) {
    throw new Ks3InputError('key', `must be exactly 16 bytes (AES-128), got ${raw.length}`);
  }
  return crypto.subtle.importKey('raw', bufferSource(raw), { name: 'AES-CBC' }, false, ['encrypt', 'decrypt']);
}

/** A fresh random 16-byte IV from the platform CSPRNG; use one per object or multipart upload. */
export function generateIv(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(16));
}
