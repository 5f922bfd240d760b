/**
 * HMAC-SHA1 signing through WebCrypto. The imported CryptoKey is cached per signer (per
 * credential): importing costs about as much as signing (toolchain.md §4).
 */
import { toBase64, utf8 } from '../bytes.js';

/** The result of signing one string to sign. */
export interface SignResult {
  accessKeyId: string;
  /** Base64 HMAC-SHA1 of the string to sign. */
  signature: string;
}

/**
 * Signs a string to sign. `createHmacSigner` makes one from a key pair; a browser app can
 * instead ask its backend (see `createRemoteSigner` in @ks3/browser), so the secret never
 * reaches the page.
 */
export type Signer = (stringToSign: string) => Promise<SignResult>;

/** Base64 HMAC-SHA1 of `data` under `key` (both UTF-8 encoded when strings). */
export async function hmacSha1Base64(key: CryptoKey, data: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(data))));
}

/** Imports a secret (UTF-8 encoded, §2.1) as a non-extractable HMAC-SHA1 key. */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
}

/** A key pair. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * A signer holding a key pair. The secret lives only in this closure: it is not a property of
 * the signer or of any client object, so logging them cannot reveal it.
 * @throws {TypeError} when a key is empty.
 * @example
 * const signer = createHmacSigner({ accessKeyId: 'AK', secretAccessKey: 'SK' });
 * const { signature } = await signer('GET\n\n\nThu, 01 Jan 2026 00:00:00 GMT\n/');
 */
export function createHmacSigner({ accessKeyId, secretAccessKey }: Credentials): Signer {
  if (typeof accessKeyId !== 'string' || !accessKeyId)
    throw new TypeError('[ks3] accessKeyId must be a non-empty string');
  if (typeof secretAccessKey !== 'string' || !secretAccessKey)
    throw new TypeError('[ks3] secretAccessKey must be a non-empty string');
  let key: Promise<CryptoKey> | undefined;
  return async (sts: string): Promise<SignResult> => {
    key ??= importHmacKey(secretAccessKey);
    return { accessKeyId, signature: await hmacSha1Base64(await key, sts) };
  };
}

/** The Authorization header value: `KSS <AccessKeyId>:<Signature>` (§2.1). */
export const authorization = (accessKeyId: string, signature: string): string => `KSS ${accessKeyId}:${signature}`;
