/** Emptying a bucket (objects and uploads in progress) and deleting it. */
import type { Client } from '../client.js';
import { deleteBucket } from './buckets.js';
import type { BucketOptions } from './common.js';
import { deleteObject } from './delete-object.js';
import { listAllMultipartUploads, listAllObjects } from './list-all.js';
import { abortMultipartUpload } from './multipart.js';

/**
 * Deletes every object of a bucket and aborts every multipart upload in progress. Returns how
 * many of each it removed. Objects written meanwhile by others may survive.
 */
export async function emptyBucket(client: Client, o: BucketOptions): Promise<{ objects: number; uploads: number }> {
  let uploads = 0;
  for await (const u of listAllMultipartUploads(client, o)) {
    await abortMultipartUpload(client, { ...o, key: u.key, uploadId: u.uploadId });
    uploads++;
  }
  let objects = 0;
  let batch: Promise<unknown>[] = [];
  // Deleting while listing is safe: the marker is the last key seen, not a position. Deletes
  // run eight at a time.
  for await (const item of listAllObjects(client, o)) {
    if (item.type !== 'object') continue;
    batch.push(deleteObject(client, { ...o, key: item.key }));
    objects++;
    if (batch.length === 8) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  return { objects, uploads };
}

/**
 * Empties a bucket (see {@link emptyBucket}) and deletes it: the explicit, destructive
 * counterpart of `deleteBucket`, which refuses a non-empty bucket.
 */
export async function emptyAndDeleteBucket(
  client: Client,
  o: BucketOptions,
): Promise<{ objects: number; uploads: number }> {
  const removed = await emptyBucket(client, o);
  await deleteBucket(client, o);
  return removed;
}
