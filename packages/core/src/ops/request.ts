/**
 * The typed escape hatch: any KS3 request the SDK has no operation for (recycle bin,
 * inventory, QoS, …), signed with the client's signature version, retried like every
 * operation, and answered with the raw response or a typed error.
 */
import type { Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { type Body, prepareBody } from '../request/body.js';
import { type Method, send } from '../request/send.js';
import type { QueryParam } from '../sign/subresources.js';
import { checkKey } from '../validate.js';
import { type CallOptions, checkCall, checkText, type Ks3Result } from './common.js';
import { readOnce } from './read-once.js';
import { checkBucket } from '../validate.js';

/** Options of {@link request}. */
export interface RequestOptions extends CallOptions {
  method: Method;
  /** Omit for service-level requests (`GET /`). */
  bucket?: string | undefined;
  key?: string | undefined;
  /**
   * Query parameters, decoded: `{ recycle: '' }` or `[['recycle'], ['max-keys', '10']]`. KS3's
   * signed sub-resources among them are signed (V2 signs only those; V4 signs every one).
   */
  query?: Readonly<Record<string, string>> | readonly QueryParam[] | undefined;
  body?: Body | undefined;
  /** Byte length of a ReadableStream body. */
  size?: number | undefined;
  /** May a request that got no answer be sent again? Default: every method but POST. */
  idempotent?: boolean | undefined;
}

/** The raw answer of {@link request}; read the body once. */
export interface RequestResult extends Ks3Result {
  status: number;
  headers: Headers;
  readonly body: ReadableStream<Uint8Array>;
  /** The whole body as bytes (once: the body can be read one way only). */
  bytes(): Promise<Uint8Array>;
  /** The whole body as UTF-8 text (once). */
  text(): Promise<string>;
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

/**
 * Sends any KS3 request. A 2xx resolves with the raw response; anything else rejects with a
 * `Ks3ServiceError` parsed from KS3's error document.
 * @throws {Ks3InputError} for a bad method, bucket, key, query or header.
 * @example
 * const res = await request(client, { method: 'GET', bucket: 'b', query: { recycle: '' } });
 * console.log(await res.text());
 */
export async function request(client: Client, o: RequestOptions): Promise<RequestResult> {
  const ctx = { operation: 'Request', bucket: o?.bucket, key: o?.key };
  checkCall('Request', client, o);
  if (!METHODS.includes(o.method)) throw new Ks3InputError('method', `must be one of ${METHODS.join(', ')}`, ctx);
  const bucket = o.bucket === undefined ? undefined : checkBucket(o.bucket, ctx);
  if (o.key !== undefined && bucket === undefined) throw new Ks3InputError('key', 'needs a bucket', ctx);
  const key = o.key === undefined ? undefined : checkKey(o.key, ctx);
  const pairs: QueryParam[] = Array.isArray(o.query)
    ? [...(o.query as readonly QueryParam[])]
    : Object.entries((o.query ?? {}) as Record<string, string>).map(([n, v]) => (v === '' ? [n] : [n, v]));
  for (const [n, v] of pairs) {
    checkText('query', n, ctx, false);
    if (v !== undefined) checkText(`query ${n}`, v, ctx);
  }
  const body = o.body === undefined ? undefined : prepareBody(o.body, ctx, o.size);
  const res = await send(client, {
    op: 'Request',
    method: o.method,
    bucket,
    key,
    query: pairs,
    headers: o.headers,
    body,
    signal: o.signal,
    idempotent: o.idempotent,
  });
  const stream = res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  return readOnce({ status: res.status, headers: res.headers, requestId: res.requestId }, stream, undefined, ctx);
}
