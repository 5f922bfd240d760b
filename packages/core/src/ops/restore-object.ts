/**
 * Restore Object (`POST /{key}?restore`, docs.ksyun.com/documents/42474): makes a readable copy
 * of an object of an archive storage class (`ARCHIVE`, `COLD_ARCHIVE`, `DEEP_COLD_ARCHIVE`) for
 * some days. KS3 prepares the copy in the background (minutes); `headObject` shows its state.
 */
import type { Client } from '../client.js';
import type { PreparedBody } from '../request/body.js';
import { send } from '../request/send.js';
import { checkCount } from '../validate.js';
import { type Ks3Result, type ObjectOptions, target } from './common.js';
import { versionQuery } from './get-object.js';
import { xmlRequest } from './xml-body.js';

/** Options of {@link restoreObject}. */
export interface RestoreObjectOptions extends ObjectOptions {
  /**
   * How long the restored copy stays readable: 1–7 days for `ARCHIVE`, up to 365 for the cold
   * classes (KS3 checks the class's limit). Default: KS3's, 1 day.
   */
  days?: number | undefined;
  /** A version of the object, in a versioned bucket. */
  versionId?: string | undefined;
}

/** What {@link restoreObject} returns. */
export interface RestoreObjectResult extends Ks3Result {
  /**
   * 202: a restore started; 200: the object was already restored, and its copy now lasts
   * `days` from today (KS3's rule).
   */
  status: number;
  versionId?: string | undefined;
}

/**
 * Restores an archived object for reading. Until the copy is ready, `getObject` answers
 * `403 InvalidObjectState` and `headObject` reports `restore: { ongoing: true }`.
 * @throws {Ks3InputError} for `days` outside 1..365.
 * @throws {Ks3ServiceError} `InvalidObjectState` (403) for an object that is not archived,
 * `RestoreAlreadyInProgress` (409) while a restore is under way.
 * @example await restoreObject(client, { bucket, key: 'old/report.pdf', days: 3 });
 */
export async function restoreObject(client: Client, o: RestoreObjectOptions): Promise<RestoreObjectResult> {
  const ctx = target('RestoreObject', client, o, true);
  const query = [['restore'] as const, ...versionQuery(o.versionId, ctx)];
  let body: PreparedBody | undefined;
  let headers: Readonly<Record<string, string | undefined>> | undefined = o.headers;
  if (o.days !== undefined) {
    const days = checkCount('days', o.days, ctx, 1, 365);
    const xml = `<?xml version="1.0" encoding="UTF-8"?><RestoreRequest><Days>${days}</Days></RestoreRequest>`;
    ({ body, headers } = await xmlRequest(client, xml, o.headers, ctx));
  }
  const res = await send(client, {
    op: 'RestoreObject',
    method: 'POST',
    bucket: ctx.bucket,
    key: ctx.key,
    query,
    headers,
    body,
    signal: o.signal,
    // Not repeated without an answer: a repeat of a restore that started answers 409.
    read: 'text',
  });
  const result: RestoreObjectResult = { status: res.status, requestId: res.requestId };
  const version = res.headers.get('x-kss-version-id');
  if (version) result.versionId = version;
  return result;
}
