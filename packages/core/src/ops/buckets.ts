/** Create Bucket and Delete Bucket (ks3-protocol.md §4.2–4.3). */
import type { Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { type PreparedBody, prepareBody } from '../request/body.js';
import { mergeHeaders } from '../request/headers.js';
import { send } from '../request/send.js';
import { CANNED_ACLS, type CannedAcl, checkOneOf } from '../validate.js';
import { escapeXml } from '../xml.js';
import { type BucketOptions, type Ks3Result, target } from './common.js';

/** Options of {@link createBucket}. */
export interface CreateBucketOptions extends BucketOptions {
  acl?: CannedAcl | undefined;
  /** Region name, e.g. `BEIJING`; sent as a CreateBucketConfiguration. */
  location?: string | undefined;
}

/**
 * Creates a bucket. Names are checked against KS3's rules first.
 * @throws {Ks3InputError} for an invalid name or ACL.
 * @throws {Ks3ServiceError} `BucketAlreadyExists` / `BucketAlreadyOwnedByYou` (409), `TooManyBuckets`.
 */
export async function createBucket(client: Client, o: CreateBucketOptions): Promise<Ks3Result> {
  const ctx = target('CreateBucket', client, o, false);
  const derived: Record<string, string | undefined> = {
    'x-kss-acl': o.acl === undefined ? undefined : checkOneOf('acl', o.acl, CANNED_ACLS, ctx),
  };
  let body: PreparedBody | undefined;
  if (o.location !== undefined) {
    if (typeof o.location !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(o.location)) {
      throw new Ks3InputError('location', 'must be a region name such as BEIJING', ctx);
    }
    const xml = `<CreateBucketConfiguration><LocationConstraint>${escapeXml(o.location)}</LocationConstraint></CreateBucketConfiguration>`;
    body = prepareBody(xml, ctx);
    derived['content-type'] = 'application/xml';
  }
  const res = await send(client, {
    op: 'CreateBucket',
    method: 'PUT',
    bucket: ctx.bucket,
    headers: mergeHeaders(derived, o.headers, ctx, { 'x-kss-acl': 'acl' }),
    body,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  return { requestId: res.requestId };
}

/**
 * Deletes an empty bucket.
 * @throws {Ks3ServiceError} `BucketNotEmpty` (409), `NoSuchBucket` (404).
 */
export async function deleteBucket(client: Client, o: BucketOptions): Promise<Ks3Result> {
  const ctx = target('DeleteBucket', client, o, false);
  const res = await send(client, {
    op: 'DeleteBucket',
    method: 'DELETE',
    bucket: ctx.bucket,
    headers: o.headers,
    signal: o.signal,
    read: 'text',
  });
  return { requestId: res.requestId };
}
