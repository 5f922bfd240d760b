/**
 * V4 cryptography through WebCrypto: SHA-256 of the canonical request, HMAC-SHA256 of the string
 * to sign, and the signing key `HMAC(HMAC(HMAC(HMAC(PREFIX+SK, date), region), service),
 * terminator)` (ks3-v4.md §1.2), derived once per scope and kept as a non-extractable CryptoKey.
 */
import { toHex, utf8 } from '../bytes.js';
import type { V4Namespace } from './v4-canonical.js';

const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const;

const importHmac = (raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', raw, HMAC_SHA256, false, ['sign']);

const hmac = async (key: CryptoKey, data: string): Promise<Uint8Array<ArrayBuffer>> =>
  new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(data)));

/** Lower-case hex SHA-256 of a string's UTF-8 bytes. */
export const sha256Hex = async (data: string): Promise<string> =>
  toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(data))));

/** Lower-case hex HMAC-SHA256 of a string under a signing key. */
export const hmacHex = async (key: CryptoKey, data: string): Promise<string> => toHex(await hmac(key, data));

/**
 * Derives the signing key of a scope: four chained HMACs; every intermediate key is imported
 * non-extractable and its raw bytes are dropped as soon as the next one is made.
 */
export async function deriveSigningKeyV4(
  secret: string,
  date: string,
  region: string,
  service: string,
  ns: V4Namespace,
): Promise<CryptoKey> {
  let key = await importHmac(utf8(ns.secretPrefix + secret));
  for (const part of [date.slice(0, 8), region, service, ns.terminator]) key = await importHmac(await hmac(key, part));
  return key;
}

/** A bounded cache of signing keys, most recently used last. */
export interface SigningKeyCache {
  /** The signing key of a scope, derived on a miss. */
  get(secret: string, date: string, region: string, service: string, ns: V4Namespace): Promise<CryptoKey>;
  /** How many keys it holds (at most its size). */
  readonly size: number;
}

/**
 * A cache of the last `max` signing keys, keyed by (secret, date, region, service, namespace).
 * A key changes once a day per scope, so a handful covers a client that rotates credentials or
 * talks to a few regions; a failed derivation is not cached.
 */
export function createSigningKeyCache(max = 4): SigningKeyCache {
  const keys = new Map<string, Promise<CryptoKey>>();
  return {
    get(secret, date, region, service, ns) {
      // `\n` cannot occur in a region, a service, a date or a terminator, so ids cannot collide.
      const id = `${ns.terminator}\n${service}\n${region}\n${date.slice(0, 8)}\n${secret}`;
      let key = keys.get(id);
      if (key)
        keys.delete(id); // re-inserted below: Map order is the recency order
      else {
        key = deriveSigningKeyV4(secret, date, region, service, ns);
        key.catch(() => keys.get(id) === key && keys.delete(id));
      }
      keys.set(id, key);
      if (keys.size > max) keys.delete(keys.keys().next().value!);
      return key;
    },
    get size() {
      return keys.size;
    },
  };
}
