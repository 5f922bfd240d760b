/** Delete Object (ks3-protocol.md §4.11). */
import type { Client } from '../client.js';
import { send } from '../request/send.js';
import { discard, requestIdOf, target, type ObjectOptions } from './common.js';

/**
 * Deletes an object. Deleting a key that does not exist succeeds too (204), as in S3.
 * @throws {Ks3ServiceError} e.g. `NoSuchBucket`, `AccessDenied`.
 */
export async function deleteObject(client: Client, o: ObjectOptions): Promise<{ requestId?: string }> {
  const ctx = target('DeleteObject', o, true);
  const res = await send(client, {
    op: 'DeleteObject',
    method: 'DELETE',
    bucket: ctx.bucket,
    key: ctx.key,
    signal: o.signal,
  });
  await discard(res);
  const id = requestIdOf(res);
  return id ? { requestId: id } : {};
}
