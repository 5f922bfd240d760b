/**
 * INTERIM (replaced when the V2/V4 signer branch lands): the V2 signer over the request-level
 * seam, built from the existing canonical functions, and a V4 placeholder.
 */
import { Ks3InputError } from '../errors.js';
import { encodeQueryValue } from '../encoding.js';
import { canonicalKssHeaders, canonicalResource, stringToSign, stringToSignForHeaders } from './canonical.js';
import { formatHttpDate } from './date.js';
import { hmacSha1Base64, importHmacKey } from './hmac.js';
import type { Credentials, SignedRequest, Signer, SignRequest } from './types.js';

export interface V2SignerOptions {
  credentials: (signal?: AbortSignal) => Promise<Credentials>;
  dateHeader?: 'date' | 'x-kss-date';
}

export function createV2Signer(o: V2SignerOptions): Signer {
  const keys = new Map<string, Promise<CryptoKey>>();
  return async (r: SignRequest, signal?: AbortSignal): Promise<SignedRequest> => {
    const creds = await o.credentials(signal);
    let key = keys.get(creds.secretAccessKey);
    if (!key) {
      keys.clear();
      key = importHmacKey(creds.secretAccessKey);
      keys.set(creds.secretAccessKey, key);
    }
    const headers: Record<string, string> = { ...r.headers };
    if (creds.securityToken) headers['x-kss-security-token'] = creds.securityToken;
    const resource = canonicalResource({ bucket: r.bucket, key: r.key, query: r.query });
    if (r.expires !== undefined) {
      const sts = stringToSign({
        method: r.method,
        contentMd5: headers['content-md5'],
        contentType: headers['content-type'],
        date: String(r.expires),
        kssHeaders: canonicalKssHeaders(Object.entries(headers)),
        resource,
      });
      const sig = await hmacSha1Base64(await key, sts);
      const q = r.url.indexOf('?');
      const base = q < 0 ? r.url : r.url.slice(0, q);
      const sub = q < 0 ? '' : `&${r.url.slice(q + 1)}`;
      const kss = Object.entries(headers)
        .filter(([n]) => n.startsWith('x-kss-'))
        .map(([n, v]) => `&${n}=${encodeQueryValue(v)}`)
        .join('');
      const auth = `Signature=${encodeURIComponent(sig)}&Expires=${r.expires}&KSSAccessKeyId=${encodeURIComponent(creds.accessKeyId)}`;
      const send = Object.fromEntries(Object.entries(r.headers).filter(([n]) => !n.startsWith('x-kss-')));
      return { url: `${base}?${auth}${sub}${kss}`, headers: send };
    }
    const given = headers.date ?? headers['x-kss-date'];
    const date = given ?? formatHttpDate(r.time);
    if (!given) headers[o.dateHeader ?? 'date'] = date;
    const sts = stringToSignForHeaders(r.method, Object.entries(headers), resource, date);
    headers.authorization = `KSS ${creds.accessKeyId}:${await hmacSha1Base64(await key, sts)}`;
    return { url: r.url, headers };
  };
}

export interface V4SignerOptions {
  credentials: (signal?: AbortSignal) => Promise<Credentials>;
  region: string;
  namespace?: 'kss' | 'aws';
  service?: string;
}

export function createV4Signer(_o: V4SignerOptions): Signer {
  return async () => {
    throw new Ks3InputError('signatureVersion', 'V4 signing lands with the signer branch');
  };
}
