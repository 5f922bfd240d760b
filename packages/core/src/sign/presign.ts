/**
 * Presigned URLs (query-string authentication: ks3-protocol.md §2.7 for V2, ks3-v4.md §1.2 for
 * V4), made by the client's signer. Unlike the reference, the path is encoded exactly as it is
 * signed and `response-*` / `versionId` are signed, so every URL made here verifies.
 */
import { type Client, clientState } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { checkCall, checkText } from '../ops/common.js';
import { type ResponseOverrides, responseQuery, versionQuery } from '../ops/get-object.js';
import { checkHeaders } from '../request/headers.js';
import { UNSIGNED_PAYLOAD } from '../request/payload.js';
import { type Addressing, originFor, pathFor, renderQuery } from '../request/url.js';
import { checkBucket, checkKey } from '../validate.js';
import type { QueryParam } from './subresources.js';
import { credentialsFailure, raceAbort } from './credentials.js';
import type { SignatureVersion, SignedRequest } from './types.js';
import { MAX_PRESIGN_SECONDS as MAX_V4_EXPIRY } from './v4.js';

/** Options of {@link presignUrl}. */
export interface PresignUrlOptions {
  method?: 'GET' | 'PUT' | 'HEAD' | 'DELETE' | undefined;
  bucket: string;
  /** Omit for a bucket URL (`/`). */
  key?: string | undefined;
  /** Lifetime in whole seconds from now (the client's clock): 1..604800 (7 days) for V4. */
  expiresIn?: number | undefined;
  /** Absolute expiry: a Date or Unix seconds (not milliseconds). */
  expires?: Date | number | undefined;
  /**
   * Headers the user of the URL must send: `content-type` (and for V2 `content-md5`) are
   * signed; `x-kss-*` headers are signed and, for V2, also carried in the URL.
   */
  headers?: Readonly<Record<string, string>> | undefined;
  response?: ResponseOverrides | undefined;
  versionId?: string | undefined;
  /** Default: the client's addressing. */
  addressing?: Addressing | undefined;
  /** Aborts a signer that is still working (a remote signer, a credentials refresh). */
  signal?: AbortSignal | undefined;
}

/** What {@link presignUrl} returns (it makes no request, so there is no request id). */
export interface PresignUrlResult {
  url: string;
  /** When the URL stops working. */
  expires: Date;
  /** Headers the user of the URL must send with it (signed ones such as content-type). */
  headers: Record<string, string>;
}

// V2 has no such limit; ten years keeps nonsense (1e21) out.
const MAX_V2_EXPIRY = 10 * 365 * 86_400;

const bad = (param: string, msg: string): never => {
  throw new Ks3InputError(param, msg, { operation: 'PresignUrl' });
};

/** Unix seconds of the expiry, validated against `nowMs` and the signature version's limit. */
export function expiryOf(
  o: Pick<PresignUrlOptions, 'expiresIn' | 'expires'>,
  nowMs: number,
  version: SignatureVersion,
): number {
  const max = version === 'v4' ? MAX_V4_EXPIRY : MAX_V2_EXPIRY;
  const now = Math.floor(nowMs / 1000);
  if ((o.expiresIn === undefined) === (o.expires === undefined)) {
    bad('expires', 'give exactly one of expiresIn (seconds) or expires (Date or Unix seconds)');
  }
  if (o.expiresIn !== undefined) {
    const s = o.expiresIn;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 1 || s > max) {
      bad(
        'expiresIn',
        `must be a number of seconds in 1..${max}${version === 'v4' ? ' (7 days, the V4 limit)' : ''}, got ${String(s)}`,
      );
    }
    return now + Math.floor(s);
  }
  const e = o.expires instanceof Date ? o.expires.getTime() / 1000 : o.expires;
  if (typeof e !== 'number' || !Number.isFinite(e))
    return bad('expires', `must be a valid Date or Unix seconds, got ${String(o.expires)}`);
  if (e > 1e11) bad('expires', `${e} looks like milliseconds: give Unix seconds (or a Date)`);
  const at = Math.floor(e);
  if (at <= now)
    bad('expires', `is in the past (${new Date(at * 1000).toISOString()}; now ${new Date(now * 1000).toISOString()})`);
  if (at - now > max)
    bad('expires', `is more than ${max} seconds away${version === 'v4' ? ' (the V4 limit is 7 days)' : ''}`);
  return at;
}

/**
 * A URL that performs one request without credentials until it expires.
 * @throws {Ks3InputError} for a bad bucket, key, header or expiry, or a client that cannot sign;
 * `Ks3CredentialsError` when the signer fails; the signal's reason when it aborts.
 * @example
 * const { url } = await presignUrl(client, { bucket: 'docs', key: 'a.pdf', expiresIn: 3600 });
 */
export async function presignUrl(client: Client, o: PresignUrlOptions): Promise<PresignUrlResult> {
  const ctx = { operation: 'PresignUrl' };
  checkCall('PresignUrl', client, o);
  const bucket = checkBucket(o.bucket, ctx);
  const key = o.key === undefined || o.key === '' ? undefined : checkKey(o.key, { ...ctx, bucket });
  const method = o.method ?? 'GET';
  if (!['GET', 'PUT', 'HEAD', 'DELETE'].includes(method))
    bad('method', `must be GET, PUT, HEAD or DELETE, got ${String(method)}`);
  if (!client.signer) bad('client', 'is anonymous: it has no credentials or signer to sign with');
  if (o.addressing !== undefined && o.addressing !== 'path' && o.addressing !== 'virtual') {
    bad('addressing', "must be 'path' or 'virtual'");
  }
  const time = client.now() + clientState(client).clockOffset;
  const expires = expiryOf(o, time, client.signatureVersion);
  const headers = checkHeaders(o.headers, ctx);
  const query: QueryParam[] = [...versionQuery(o.versionId, ctx), ...responseQuery(o.response, ctx)];
  for (const [, v] of query) if (v !== undefined) checkText('query', v, ctx);
  const addressing = o.addressing ?? client.addressing;
  const q = renderQuery(query, client.signatureVersion);
  const url = originFor(client, bucket, addressing) + pathFor(client, bucket, key, addressing) + (q ? `?${q}` : '');
  const request = {
    method,
    url,
    bucket,
    key,
    query,
    headers,
    payloadHash: UNSIGNED_PAYLOAD,
    time,
    expires,
    operation: 'PresignUrl',
  };
  o.signal?.throwIfAborted();
  let signed: SignedRequest;
  try {
    signed = await raceAbort(
      Promise.resolve().then(() => client.signer!(request, o.signal)),
      o.signal,
    );
  } catch (e) {
    throw await credentialsFailure(e, 'signing', o.signal, { ...ctx, bucket, key });
  }
  return { url: signed.url, expires: new Date(expires * 1000), headers: signed.headers };
}
