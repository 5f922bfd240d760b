/** Delete Object (ks3-protocol.md §4.11). */
import type { Client } from '../client.js';
import { send } from '../request/send.js';
import { type Ks3Result, type ObjectOptions, target } from './common.js';
import { versionQuery } from './get-object.js';

/** Options of {@link deleteObject}. */
export interface DeleteObjectOptions extends ObjectOptions {
  /** Delete this version (in a versioned bucket) instead of adding a delete marker. */
  versionId?: string | undefined;
}

/** What {@link deleteObject} returns. */
export interface DeleteObjectResult extends Ks3Result {
  /** In a versioned bucket: the version removed, or the delete marker made. */
  versionId?: string | undefined;
  deleteMarker?: boolean | undefined;
}

/**
 * Deletes an object. Deleting a key that does not exist succeeds too (204), as in S3.
 * @throws {Ks3ServiceError} e.g. `NoSuchBucket`, `AccessDenied`.
 */
export async function deleteObject(client: Client, o: DeleteObjectOptions): Promise<DeleteObjectResult> {
  const ctx = target('DeleteObject', client, o, true);
  const res = await send(client, {
    op: 'DeleteObject',
    method: 'DELETE',
    bucket: ctx.bucket,
    key: ctx.key,
    query: versionQuery(o.versionId, ctx),
    headers: o.headers,
    signal: o.signal,
    read: 'text',
  });
  const result: DeleteObjectResult = { requestId: res.requestId };
  const version = res.headers.get('x-kss-version-id');
  if (version) result.versionId = version;
  if (res.headers.get('x-kss-delete-marker') === 'true') result.deleteMarker = true;
  return result;
}
