/**
 * HMAC-SHA1 for V2 signatures: through WebCrypto (signers cache the imported CryptoKey per
 * secret: importing costs about as much as signing, platform-notes.md §4), or a platform HMAC bound
 * to the secret (`boundHmac`, @ks3/node: node:crypto).
 */
import { toBase64, utf8 } from '../bytes.js';
import type { MacKey } from './v4-key.js';

/** Base64 HMAC-SHA1 of `data` under `key` (both UTF-8 encoded when strings). */
export async function hmacSha1Base64(key: MacKey, data: string): Promise<string> {
  const bytes = utf8(data);
  return toBase64(
    typeof key === 'function' ? key(bytes) : new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes)),
  );
}

/** Imports a secret (UTF-8 encoded, §2.1) as a non-extractable HMAC-SHA1 key. */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
}

/** The V2 Authorization header value: `KSS <AccessKeyId>:<Signature>` (§2.1). */
export const authorization = (accessKeyId: string, signature: string): string => `KSS ${accessKeyId}:${signature}`;
