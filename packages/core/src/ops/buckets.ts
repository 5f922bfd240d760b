/** Create Bucket and Delete Bucket (ks3-protocol.md §4.2–4.3). */
import type { Client } from '../client.js';
import { utf8 } from '../bytes.js';
import { Ks3InputError } from '../errors.js';
import { prepareBody, type PreparedBody } from '../request/body.js';
import { send } from '../request/send.js';
import { CANNED_ACLS, checkOneOf, type CannedAcl } from '../validate.js';
import { escapeXml } from '../xml.js';
import { discard, requestIdOf, target, type BucketOptions } from './common.js';

/** Options of {@link createBucket}. */
export interface CreateBucketOptions extends BucketOptions {
  acl?: CannedAcl;
  /** Region name, e.g. `BEIJING`; sent as a CreateBucketConfiguration. */
  location?: string;
}

/**
 * Creates a bucket. Names are checked against KS3's rules first.
 * @throws {Ks3InputError} for an invalid name or ACL.
 * @throws {Ks3ServiceError} `BucketAlreadyExists` / `BucketAlreadyOwnedByYou` (409), `TooManyBuckets`.
 */
export async function createBucket(client: Client, o: CreateBucketOptions): Promise<{ requestId?: string }> {
  const ctx = target('CreateBucket', o, false);
  const headers: Record<string, string | undefined> = {
    'x-kss-acl': o.acl === undefined ? undefined : checkOneOf('acl', o.acl, CANNED_ACLS, ctx),
  };
  let body: PreparedBody | undefined;
  if (o.location !== undefined) {
    if (typeof o.location !== 'string' || !o.location)
      throw new Ks3InputError('location', 'must be a non-empty string', ctx);
    body = prepareBody(
      utf8(
        `<CreateBucketConfiguration><LocationConstraint>${escapeXml(o.location)}</LocationConstraint></CreateBucketConfiguration>`,
      ),
      ctx,
    );
    headers['content-type'] = 'application/xml';
  }
  const res = await send(client, {
    op: 'CreateBucket',
    method: 'PUT',
    bucket: ctx.bucket,
    headers,
    body,
    signal: o.signal,
    ok: (s) => s === 200,
  });
  await discard(res);
  const id = requestIdOf(res);
  return id ? { requestId: id } : {};
}

/**
 * Deletes an empty bucket.
 * @throws {Ks3ServiceError} `BucketNotEmpty` (409), `NoSuchBucket` (404).
 */
export async function deleteBucket(client: Client, o: BucketOptions): Promise<{ requestId?: string }> {
  const ctx = target('DeleteBucket', o, false);
  const res = await send(client, { op: 'DeleteBucket', method: 'DELETE', bucket: ctx.bucket, signal: o.signal });
  await discard(res);
  const id = requestIdOf(res);
  return id ? { requestId: id } : {};
}
