/** Emptying a bucket (objects, versions, delete markers and uploads in progress) and deleting it. */
import type { Client } from '../client.js';
import { isKs3ServiceError, Ks3ProtocolError, Ks3ServiceError } from '../errors.js';
import { deleteBucket } from './buckets.js';
import { type BucketOptions, type Ks3Result, type Target, target } from './common.js';
import {
  type DeleteObjectsResult,
  deleteObjects,
  MAX_DELETE_OBJECTS,
  type ObjectIdentifier,
} from './delete-objects.js';
import { listAllMultipartUploads, listAllObjects } from './list-all.js';
import { listObjectVersions } from './list-object-versions.js';
import { abortMultipartUpload } from './multipart.js';
import { getBucketVersioning } from './versioning.js';

/** What {@link emptyBucket} returns: how many objects (or versions and markers) and uploads it removed. */
export interface EmptyBucketResult extends Ks3Result {
  /** Keys deleted; in a versioned bucket, versions and delete markers removed. */
  objects: number;
  uploads: number;
}

/**
 * Whether the bucket's versioning was ever set. By default only the owner may read that (S3's
 * rule, which the emulator follows); a writer who is not the owner gets 403 and empties what it
 * can reach, the current keys.
 */
async function isVersioned(client: Client, call: BucketOptions): Promise<boolean> {
  try {
    return (await getBucketVersioning(client, call)).status !== undefined;
  } catch (err) {
    if (isKs3ServiceError(err) && err.status === 403) return false;
    throw err;
  }
}

/** Deletes one batch; a key KS3 refused fails the whole call (the bucket could not be emptied). */
async function deleteBatch(client: Client, o: BucketOptions, batch: ObjectIdentifier[], ctx: Target) {
  const res: DeleteObjectsResult = await deleteObjects(client, { ...o, objects: batch, quiet: true });
  const first = res.errors[0];
  if (first) {
    throw new Ks3ServiceError({
      ...ctx,
      key: first.key,
      status: 200,
      code: first.code,
      message: `${res.errors.length} of ${batch.length} keys could not be deleted; the first: ${first.message}`,
      requestId: res.requestId,
    });
  }
  return res.requestId;
}

/**
 * Deletes every object of a bucket with batch deletes of up to 1,000 keys, and aborts every
 * multipart upload in progress. In a bucket whose versioning was ever set, every version and
 * delete marker is removed for good (when the caller may read the versioning state, by default
 * the owner; other writers delete the current keys). Objects written meanwhile may survive.
 * `requestId` is the last request's.
 * @throws {Ks3ServiceError} for a failed request, or (status 200, the batch's) with the code of
 * the first key a batch delete could not delete, e.g. `AccessDenied`.
 * @example const { objects, uploads } = await emptyBucket(client, { bucket: 'scratch' });
 */
export async function emptyBucket(client: Client, o: BucketOptions): Promise<EmptyBucketResult> {
  const ctx = target('EmptyBucket', client, o, false);
  const call = { bucket: ctx.bucket, signal: o.signal, headers: o.headers };
  let requestId: string | undefined;
  let uploads = 0;
  for await (const u of listAllMultipartUploads(client, call)) {
    ({ requestId } = await abortMultipartUpload(client, { ...call, key: u.key, uploadId: u.uploadId }));
    uploads++;
  }
  const versioned = await isVersioned(client, call);
  let objects = 0;
  if (versioned) {
    // Versions are listed from the start each round: a version-id marker that names a version
    // just deleted need not be honoured by the server, and could skip the key's older versions.
    let previous: string | undefined;
    for (;;) {
      const page = await listObjectVersions(client, call);
      const batch = page.versions.map((v) => ({ key: v.key, versionId: v.versionId }));
      if (!batch.length) break;
      const first = `${batch[0]!.key}\n${batch[0]!.versionId}`;
      if (first === previous)
        throw new Ks3ProtocolError('EmptyBucket: a version reported deleted is still listed; stopping', ctx);
      previous = first;
      requestId = await deleteBatch(client, call, batch, ctx);
      objects += batch.length;
    }
  } else {
    let batch: ObjectIdentifier[] = [];
    // Deleting while listing is safe here: the marker is the last key seen, not a position.
    for await (const item of listAllObjects(client, call)) {
      if (item.type !== 'object') continue;
      batch.push({ key: item.key });
      if (batch.length === MAX_DELETE_OBJECTS) {
        requestId = await deleteBatch(client, call, batch, ctx);
        objects += batch.length;
        batch = [];
      }
    }
    if (batch.length) {
      requestId = await deleteBatch(client, call, batch, ctx);
      objects += batch.length;
    }
  }
  return { objects, uploads, requestId };
}

/**
 * Empties a bucket (see {@link emptyBucket}) and deletes it: the explicit, destructive
 * counterpart of `deleteBucket`, which refuses a non-empty bucket.
 * @example await emptyAndDeleteBucket(client, { bucket: 'scratch' });
 */
export async function emptyAndDeleteBucket(client: Client, o: BucketOptions): Promise<EmptyBucketResult> {
  const removed = await emptyBucket(client, o);
  const { requestId } = await deleteBucket(client, o);
  return { ...removed, requestId };
}
