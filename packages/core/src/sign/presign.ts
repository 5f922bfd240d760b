/**
 * Presigned URLs (query-string authentication, ks3-protocol.md §2.7). Unlike the reference, the
 * path is encoded exactly as it is signed (encoding K) and `response-*` / `versionId` are part
 * of the signed resource, so every URL we make verifies (the reference's §2.7 bugs).
 */
import type { Addressing, Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { encodeQueryValue } from '../encoding.js';
import { responseQuery, type ResponseOverrides } from '../ops/get-object.js';
import { originFor, pathFor } from '../request/url.js';
import { checkBucket, checkKey } from '../validate.js';
import { canonicalKssHeaders, canonicalResource, headerValue, stringToSign } from './canonical.js';
import type { QueryParam } from './subresources.js';

/** Options of {@link presignUrl}. */
export interface PresignOptions {
  method?: 'GET' | 'PUT' | 'HEAD' | 'DELETE';
  bucket: string;
  /** Omit for a bucket URL (`/`). */
  key?: string;
  /** Lifetime in seconds from now (the client's clock). */
  expiresIn?: number;
  /** Absolute expiry: a Date or Unix seconds. */
  expires?: Date | number;
  /**
   * Headers the user of the URL must send: `content-type` and `content-md5` are signed;
   * `x-kss-*` headers are signed and also carried in the URL, so they need not be sent.
   */
  headers?: Record<string, string>;
  response?: ResponseOverrides;
  versionId?: string;
  /** Default: virtual-host for DNS endpoints, path style for IP addresses and localhost. */
  addressing?: Addressing;
}

const bad = (param: string, msg: string): never => {
  throw new Ks3InputError(param, msg, { operation: 'PresignUrl' });
};

/** Unix seconds of the expiry, validated. */
export function expiryOf(o: Pick<PresignOptions, 'expiresIn' | 'expires'>, nowMs: number): number {
  if ((o.expiresIn === undefined) === (o.expires === undefined))
    bad('expires', 'give exactly one of expiresIn (seconds) or expires (Date or Unix seconds)');
  if (o.expiresIn !== undefined) {
    if (typeof o.expiresIn !== 'number' || !Number.isFinite(o.expiresIn) || o.expiresIn <= 0)
      bad('expiresIn', `must be a positive number of seconds, got ${String(o.expiresIn)}`);
    return Math.floor(nowMs / 1000 + o.expiresIn);
  }
  const e = o.expires instanceof Date ? o.expires.getTime() / 1000 : o.expires;
  if (typeof e !== 'number' || !Number.isFinite(e) || e <= 0)
    return bad('expires', `must be a valid Date or positive Unix seconds, got ${String(o.expires)}`);
  return Math.floor(e);
}

const isIpOrLocal = (host: string): boolean => host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[');

/**
 * A URL that performs one request without credentials until it expires.
 * @throws {Ks3InputError} for a bad bucket, key or expiry, or a client without a signer.
 * @example
 * const url = await presignUrl(client, { bucket: 'docs', key: 'a.pdf', expiresIn: 3600 });
 */
export async function presignUrl(client: Client, o: PresignOptions): Promise<string> {
  const ctx = { operation: 'PresignUrl' };
  const bucket = checkBucket(o.bucket, ctx);
  const key = o.key === undefined || o.key === '' ? undefined : checkKey(o.key, { ...ctx, bucket });
  const method = o.method ?? 'GET';
  if (!['GET', 'PUT', 'HEAD', 'DELETE'].includes(method))
    bad('method', `must be GET, PUT, HEAD or DELETE, got ${String(method)}`);
  if (!client.signer) bad('client', 'has no credentials or signer to sign with');
  const expires = expiryOf(o, client.now());
  const headers = Object.entries(o.headers ?? {}).map(([n, v]) => [n.toLowerCase(), String(v).trim()] as const);
  if (client.securityToken) headers.push(['x-kss-security-token', client.securityToken()]);
  const sub: QueryParam[] = o.versionId === undefined ? [] : [['versionId', o.versionId]];
  sub.push(...responseQuery(o.response, { ...ctx, bucket }));
  const sts = stringToSign({
    method,
    contentMd5: headerValue(headers, 'content-md5'),
    contentType: headerValue(headers, 'content-type'),
    date: String(expires),
    kssHeaders: canonicalKssHeaders(headers),
    resource: canonicalResource({ bucket, key, query: sub }),
  });
  const { accessKeyId, signature } = await client.signer!(sts);
  const addressing = o.addressing ?? (client.domainMode || isIpOrLocal(client.host) ? 'path' : 'virtual');
  const extra = [...sub, ...headers.filter(([n]) => n.startsWith('x-kss-'))]
    .map(([n, v]) => `&${n}=${encodeQueryValue(v ?? '')}`)
    .join('');
  return `${originFor(client, bucket, addressing)}${pathFor(client, bucket, key, addressing)}?Signature=${encodeURIComponent(signature)}&Expires=${expires}&KSSAccessKeyId=${encodeURIComponent(accessKeyId)}${extra}`;
}
