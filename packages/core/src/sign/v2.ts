/**
 * The V2 signer (`KSS <AK>:<Base64 HMAC-SHA1>`, ks3-protocol.md §2) behind the request-level seam
 * of types.ts, built on the V2 functions of canonical.ts: byte-identical to the reference SDK.
 * Loaded on first use by createV2Signer (v2-signer.ts), which checks the options.
 */
import { encodeQueryValue } from '../encoding.js';
import { Ks3InputError } from '../errors.js';
import { canonicalKssHeaders, canonicalResource, headerValue, stringToSign } from './canonical.js';
import { formatHttpDate } from './date.js';
import { authorization, hmacSha1Base64 } from './hmac.js';
import type { MacKey } from './v4-key.js';
import { SUBRESOURCES, type QueryParam } from './subresources.js';
import { V2_PRESIGN_TOKEN_PARAM } from './v2-token.js';
import type { Credentials, SignedRequest, SignRequest } from './types.js';

export { importHmacKey } from './hmac.js';

/** What {@link signV2} computed, for tests and debugging. */
export interface V2Signature {
  request: SignedRequest;
  stringToSign: string;
  /** Base64. */
  signature: string;
}

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
