/** Bucket lifecycle (`?lifecycle`): rules that expire objects, move them to colder classes, abort stale uploads. */
import type { Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { configRequest } from './bucket-config-request.js';
import { type BucketOptions, type Ks3Result, target } from './common.js';
import { parseDocument } from './document.js';
import { buildLifecycleXml, type LifecycleRule, parseLifecycle } from './lifecycle-xml.js';

/** Options of {@link putBucketLifecycle}. */
export interface PutBucketLifecycleOptions extends BucketOptions {
  /** 1 to 1,000 rules; they replace the bucket's current ones. */
  rules: readonly LifecycleRule[];
  /**
   * KS3 refuses rules whose prefixes overlap and that share an action, unless this is true
   * (`x-kss-allow-same-action-overlap`).
   */
  allowSameActionOverlap?: boolean | undefined;
}

/** What {@link getBucketLifecycle} returns. */
export interface GetBucketLifecycleResult extends Ks3Result {
  rules: LifecycleRule[];
}

/**
 * Replaces a bucket's lifecycle rules. Every rule is checked first: a status, at least one
 * action, whole days (≥ 1 for expiration and aborts), ISO 8601 dates with a zone, known
 * transition classes, unique ids, object tag rules, no tags with upload aborts.
 * @throws {Ks3InputError} naming the rule and field at fault, before any request.
 * @throws {Ks3ServiceError} `InvalidArgument` / `MalformedXML` for what only KS3 checks (overlaps).
 * @example
 * await putBucketLifecycle(client, {
 *   bucket,
 *   rules: [
 *     { id: 'logs', status: 'Enabled', filter: { prefix: 'logs/' }, expiration: { days: 30 } },
 *     { id: 'cold', status: 'Enabled', transitions: [{ days: 60, storageClass: 'ARCHIVE' }] },
 *     { id: 'uploads', status: 'Enabled', abortIncompleteMultipartUpload: { days: 7 } },
 *   ],
 * });
 */
export async function putBucketLifecycle(client: Client, o: PutBucketLifecycleOptions): Promise<Ks3Result> {
  const ctx = target('PutBucketLifecycle', client, o, false);
  const text = buildLifecycleXml(o.rules, ctx);
  const overlap = o.allowSameActionOverlap;
  if (overlap !== undefined && typeof overlap !== 'boolean')
    throw new Ks3InputError('allowSameActionOverlap', 'must be a boolean', ctx);
  const headers = { 'x-kss-allow-same-action-overlap': overlap ? 'true' : undefined };
  const res = await configRequest(client, ctx, o, 'PUT', 'lifecycle', {
    text,
    contentType: 'application/xml',
    headers,
  });
  return { requestId: res.requestId };
}

/**
 * Reads a bucket's lifecycle rules.
 * @throws {Ks3ServiceError} `NoSuchLifecycleConfiguration` (404) when it has none.
 */
export async function getBucketLifecycle(client: Client, o: BucketOptions): Promise<GetBucketLifecycleResult> {
  const ctx = target('GetBucketLifecycle', client, o, false);
  const res = await configRequest(client, ctx, o, 'GET', 'lifecycle');
  return { rules: parseLifecycle(await parseDocument(res, 'LifecycleConfiguration', ctx)), requestId: res.requestId };
}

/** Removes every lifecycle rule of a bucket. */
export async function deleteBucketLifecycle(client: Client, o: BucketOptions): Promise<Ks3Result> {
  const ctx = target('DeleteBucketLifecycle', client, o, false);
  return { requestId: (await configRequest(client, ctx, o, 'DELETE', 'lifecycle')).requestId };
}
