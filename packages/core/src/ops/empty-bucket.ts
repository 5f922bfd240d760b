/** Emptying a bucket (objects and uploads in progress) and deleting it. */
import type { Client } from '../client.js';
import { deleteBucket } from './buckets.js';
import { type BucketOptions, type Ks3Result, target } from './common.js';
import { deleteObject } from './delete-object.js';
import { listAllMultipartUploads, listAllObjects } from './list-all.js';
import { abortMultipartUpload } from './multipart.js';

/** What {@link emptyBucket} returns: how many objects and uploads it removed. */
export interface EmptyBucketResult extends Ks3Result {
  objects: number;
  uploads: number;
}

/**
 * Deletes every object of a bucket and aborts every multipart upload in progress. Objects
 * written meanwhile by others may survive. `requestId` is the last request's.
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
  let objects = 0;
  let batch: Promise<{ requestId: string | undefined }>[] = [];
  // Deleting while listing is safe: the marker is the last key seen, not a position. Deletes
  // run eight at a time.
  for await (const item of listAllObjects(client, call)) {
    if (item.type !== 'object') continue;
    batch.push(deleteObject(client, { ...call, key: item.key }));
    objects++;
    if (batch.length === 8) {
      requestId = (await Promise.all(batch)).at(-1)?.requestId;
      batch = [];
    }
  }
  if (batch.length) requestId = (await Promise.all(batch)).at(-1)?.requestId;
  return { objects, uploads, requestId };
}

/**
 * Empties a bucket (see {@link emptyBucket}) and deletes it: the explicit, destructive
 * counterpart of `deleteBucket`, which refuses a non-empty bucket.
 */
export async function emptyAndDeleteBucket(client: Client, o: BucketOptions): Promise<EmptyBucketResult> {
  const removed = await emptyBucket(client, o);
  const { requestId } = await deleteBucket(client, o);
  return { ...removed, requestId };
}
