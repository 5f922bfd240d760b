/**
 * HMAC-SHA1 through WebCrypto, for V2 signatures. Signers cache the imported CryptoKey per
 * secret: importing costs about as much as signing (platform-notes.md §4).
 */
import { toBase64, utf8 } from '../bytes.js';

/** Base64 HMAC-SHA1 of `data` under `key` (both UTF-8 encoded when strings). */
export async function hmacSha1Base64(key: CryptoKey, data: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(data))));
}

/** Imports a secret (UTF-8 encoded, §2.1) as a non-extractable HMAC-SHA1 key. */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
}

/** The V2 Authorization header value: `KSS <AccessKeyId>:<Signature>` (§2.1). */
export const authorization = (accessKeyId: string, signature: string): string => `KSS ${accessKeyId}:${signature}`;
