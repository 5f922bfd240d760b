/**
 * The V2 signer (`KSS <AK>:<Base64 HMAC-SHA1>`, ks3-protocol.md §2) behind the request-level seam
 * of types.ts, built on the V2 functions of canonical.ts: byte-identical to the reference SDK.
 */
import { encodeQueryValue } from '../encoding.js';
import { Ks3InputError } from '../errors.js';
import { canonicalKssHeaders, canonicalResource, headerValue, stringToSign } from './canonical.js';
import { checkProvider, type CredentialsFunction, fetchCredentials } from './signer-credentials.js';
import { formatHttpDate } from './date.js';
import { authorization, hmacSha1Base64, importHmacKey } from './hmac.js';
import { boundHmac, type HmacFactory, type MacKey } from './v4-key.js';
import { utf8 } from '../bytes.js';
import { SUBRESOURCES, type QueryParam } from './subresources.js';
import type { Credentials, SignedRequest, Signer, SignRequest } from './types.js';

/** Options of {@link createV2Signer}. */
export interface V2SignerOptions {
  /** Called on every signature (the client caches and refreshes; see `CredentialsSource`). */
  credentials: (signal?: AbortSignal) => Promise<Credentials>;
  /**
   * The header that carries the request time when the request has none: `date` (default) or
   * `x-kss-date` (for browsers, which cannot set Date; its value is then also the Date line, §2.5).
   */
  dateHeader?: 'date' | 'x-kss-date';
  /** HMAC from the platform (@ks3/node: node:crypto); default WebCrypto. Same signatures. */
  hmac?: HmacFactory | undefined;
}

/** What {@link signV2} computed, for tests and debugging. */
export interface V2Signature {
  request: SignedRequest;
  stringToSign: string;
  /** Base64. */
  signature: string;
}

/**
 * The query parameter that carries a security token in a V2 presigned URL. It is signed as a
 * sub-resource (KS3's Go and Java SDKs, ks3-v4.md §3; the reference Python SDK has no token);
 * which name KS3 servers expect is UNVERIFIED (ks3-protocol.md §2.9).
 */
export const V2_PRESIGN_TOKEN_PARAM = 'security-token';

const METHOD = /^[A-Z]+$/;

/** The signed resource of a presigned URL, with the token as an extra sub-resource. */
function presignResource(r: SignRequest, token: string | undefined): string {
  if (!token) return canonicalResource(r);
  const sub: QueryParam[] = r.query.filter(([n]) => SUBRESOURCES.has(n));
  sub.push([V2_PRESIGN_TOKEN_PARAM, token]);
  sub.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const rendered = sub.map(([n, v]) => (v ? `${n}=${v}` : n)).join('&');
  return `${canonicalResource({ bucket: r.bucket, key: r.key })}?${rendered}`;
}

/**
 * Signs one request with given credentials. Header signing keeps a `date` or `x-kss-date`
 * header the request already has (an explicit request time), else writes `dateHeader` from
 * `request.time`. A presigned URL (`request.expires` set) carries `Signature`, `Expires`,
 * `KSSAccessKeyId`, the request's `x-kss-*` headers and the token as query parameters, after the
 * request's own query; its `headers` are the rest (`content-type`, `content-md5`, …), which the
 * URL's user must send.
 * @throws {Ks3InputError} for a bad method, time or expiry.
 */
export async function signV2(
  r: SignRequest,
  creds: Credentials,
  key: MacKey,
  dateHeader: 'date' | 'x-kss-date' = 'date',
): Promise<V2Signature> {
  const ctx = r.operation === undefined ? {} : { operation: r.operation };
  if (typeof r.method !== 'string' || !METHOD.test(r.method))
    throw new Ks3InputError('method', 'must be an upper-case HTTP method', ctx);
  const token = creds.securityToken || undefined;
  const headers: Record<string, string> = {};
  for (const [n, v] of Object.entries(r.headers)) headers[n.toLowerCase()] = v;
  const list = Object.entries(headers);
  if (r.expires !== undefined) {
    if (!Number.isSafeInteger(r.expires) || r.expires <= 0)
      throw new Ks3InputError('expires', `must be a positive integer of Unix seconds, got ${String(r.expires)}`, ctx);
    const sts = stringToSign({
      method: r.method,
      contentMd5: headerValue(list, 'content-md5'),
      contentType: headerValue(list, 'content-type'),
      date: String(r.expires),
      kssHeaders: canonicalKssHeaders(list),
      resource: presignResource(r, token),
    });
    const signature = await hmacSha1Base64(key, sts);
    const params: QueryParam[] = list.filter(([n]) => n.startsWith('x-kss-'));
    if (token) params.push([V2_PRESIGN_TOKEN_PARAM, token]);
    for (const [n] of params) delete headers[n];
    const ak = encodeURIComponent(creds.accessKeyId);
    const auth = `Signature=${encodeURIComponent(signature)}&Expires=${r.expires}&KSSAccessKeyId=${ak}`;
    const [base, query] = splitQuery(r.url);
    const extra = params.map(([n, v]) => `&${n}=${encodeQueryValue(v ?? '')}`).join('');
    return {
      request: { url: `${base}?${auth}${query ? `&${query}` : ''}${extra}`, headers },
      stringToSign: sts,
      signature,
    };
  }
  let date = headers['x-kss-date'] || headers.date;
  if (!date) {
    if (Number.isNaN(new Date(r.time).getTime()))
      throw new Ks3InputError('time', 'must be milliseconds since the epoch', ctx);
    date = formatHttpDate(r.time);
    headers[dateHeader] = date;
  }
  if (token) headers['x-kss-security-token'] = token;
  const sts = stringToSign({
    method: r.method,
    contentMd5: headers['content-md5'],
    contentType: headers['content-type'],
    date,
    kssHeaders: canonicalKssHeaders(Object.entries(headers)),
    resource: canonicalResource(r),
  });
  const signature = await hmacSha1Base64(key, sts);
  headers.authorization = authorization(creds.accessKeyId, signature);
  return { request: { url: r.url, headers }, stringToSign: sts, signature };
}

/** `[url before '?', query after it]`; a fragment is not expected and not kept. */
function splitQuery(url: string): [string, string] {
  const end = url.indexOf('#');
  const u = end < 0 ? url : url.slice(0, end);
  const q = u.indexOf('?');
  return q < 0 ? [u, ''] : [u.slice(0, q), u.slice(q + 1)];
}

/**
 * A V2 signer for the request pipeline. Credentials come from `options.credentials(signal)` on
 * every call; the HMAC key of the last secret is kept (importing costs as much as signing).
 * @throws {Ks3InputError} at once for bad options, and from the signer for a bad request or
 * credentials; the signal's reason when it aborts.
 * @example
 * const sign = createV2Signer({ credentials: async () => ({ accessKeyId, secretAccessKey }) });
 */
export function createV2Signer(options: V2SignerOptions): Signer {
  if (typeof options !== 'object' || options === null) throw new Ks3InputError('options', 'must be an object');
  const provider: CredentialsFunction = checkProvider(options.credentials);
  const dateHeader = options.dateHeader ?? 'date';
  if (dateHeader !== 'date' && dateHeader !== 'x-kss-date')
    throw new Ks3InputError('dateHeader', `must be 'date' or 'x-kss-date', got ${String(dateHeader)}`);
  const platform = options.hmac;
  if (platform !== undefined && typeof platform !== 'function') throw new Ks3InputError('hmac', 'must be a function');
  let lastSecret: string | undefined;
  let lastKey: Promise<MacKey> | undefined;
  return async (request, signal) => {
    const creds = await fetchCredentials(provider, signal);
    if (creds.secretAccessKey !== lastSecret || !lastKey) {
      lastSecret = creds.secretAccessKey;
      lastKey = platform
        ? Promise.resolve(boundHmac(platform, 'sha1', utf8(creds.secretAccessKey)))
        : importHmacKey(creds.secretAccessKey);
    }
    return (await signV2(request, creds, await lastKey, dateHeader)).request;
  };
}
