/**
 * V4 cryptography: SHA-256 of the canonical request, HMAC-SHA256 of the string to sign, and the
 * signing key `HMAC(HMAC(HMAC(HMAC(PREFIX+SK, date), region), service), terminator)`
 * (ks3-v4.md §1.2), derived once per scope. Through WebCrypto by default (the key kept as a
 * non-extractable CryptoKey), or through the primitives a platform supplies (@ks3/node:
 * node:crypto, an order of magnitude faster per signature).
 */
import { toHex, utf8 } from '../bytes.js';
import type { Hasher } from '../client.js';
import type { V4Namespace } from './v4-canonical.js';

/** Makes a keyed HMAC hasher (`createHmac` of node:crypto has this shape). */
export type HmacFactory = (algorithm: 'sha1' | 'sha256', key: Uint8Array) => Hasher;

/** Signing primitives a platform may supply; WebCrypto serves whatever is missing. */
export interface SigningCrypto {
  hmac?: HmacFactory | undefined;
  sha256?: (() => Hasher) | undefined;
}

/** A derived key: a WebCrypto HMAC key, or a platform HMAC bound to the key bytes. */
export type MacKey = CryptoKey | ((data: Uint8Array) => Uint8Array);

/** The platform HMAC under `key`, as a {@link MacKey}. */
export const boundHmac =
  (hmac: HmacFactory, algorithm: 'sha1' | 'sha256', key: Uint8Array): MacKey =>
  (data) =>
    hmac(algorithm, key).update(data).digest();

const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const;

const importHmac = (raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', raw, HMAC_SHA256, false, ['sign']);

const hmac = async (key: MacKey, data: string): Promise<Uint8Array> =>
  typeof key === 'function' ? key(utf8(data)) : new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(data)));

/** Lower-case hex SHA-256 of a string's UTF-8 bytes (with the platform's SHA-256, if given). */
export const sha256Hex = async (data: string, sha256?: () => Hasher): Promise<string> =>
  toHex(
    sha256 ? sha256().update(utf8(data)).digest() : new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(data))),
  );

/** Lower-case hex HMAC-SHA256 of a string under a signing key. */
export const hmacHex = async (key: MacKey, data: string): Promise<string> => toHex(await hmac(key, data));

/**
 * Derives the signing key of a scope: four chained HMACs. With WebCrypto every intermediate key
 * is imported non-extractable and its raw bytes are dropped as soon as the next one is made; a
 * platform HMAC keeps the final key's bytes in the returned closure only.
 */
export async function deriveSigningKeyV4(
  secret: string,
  date: string,
  region: string,
  service: string,
  ns: V4Namespace,
  platform?: HmacFactory,
): Promise<MacKey> {
  const parts = [date.slice(0, 8), region, service, ns.terminator];
  if (platform) {
    let bytes = utf8(ns.secretPrefix + secret);
    for (const part of parts) bytes = platform('sha256', bytes).update(utf8(part)).digest() as Uint8Array<ArrayBuffer>;
    return boundHmac(platform, 'sha256', bytes);
  }
  let key = await importHmac(utf8(ns.secretPrefix + secret));
  for (const part of parts) key = await importHmac((await hmac(key, part)) as Uint8Array<ArrayBuffer>);
  return key;
}

/** A bounded cache of signing keys, most recently used last. */
export interface SigningKeyCache {
  /** The signing key of a scope, derived on a miss. */
  get(secret: string, date: string, region: string, service: string, ns: V4Namespace): Promise<MacKey>;
  /** How many keys it holds (at most its size). */
  readonly size: number;
}

/**
 * A cache of the last `max` signing keys, keyed by (secret, date, region, service, namespace),
 * derived with `platform` when given.
 * A key changes once a day per scope, so a handful covers a client that rotates credentials or
 * talks to a few regions; a failed derivation is not cached.
 */
export function createSigningKeyCache(max = 4, platform?: HmacFactory): SigningKeyCache {
  const keys = new Map<string, Promise<MacKey>>();
  return {
    get(secret, date, region, service, ns) {
      // `\n` cannot occur in a region, a service, a date or a terminator, so ids cannot collide.
      const id = `${ns.terminator}\n${service}\n${region}\n${date.slice(0, 8)}\n${secret}`;
      let key = keys.get(id);
      if (key)
        keys.delete(id); // re-inserted below: Map order is the recency order
      else {
        key = deriveSigningKeyV4(secret, date, region, service, ns, platform);
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
