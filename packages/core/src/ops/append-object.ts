/**
 * Append Object (`POST /{key}?append&position=N`, docs.ksyun.com/documents/43259): position 0
 * creates an Appendable object, each later append gives the current length. A wrong position is
 * `409 PositionNotEqualToLength`, and KS3 says the right one in `x-kss-next-append-position`.
 */
import type { Client } from '../client.js';
import { Ks3InputError, Ks3ProtocolError, type Ks3ServiceError } from '../errors.js';
import { type Body, prepareBody } from '../request/body.js';
import { bodyMd5 } from '../request/body-md5.js';
import { mergeHeaders } from '../request/headers.js';
import { send } from '../request/send.js';
import { checkCount } from '../validate.js';
import { type Ks3Result, type ObjectOptions, type TransferProgress, target } from './common.js';
import { lengthHeader } from './object-info.js';
import { etagOf, type ObjectAttributes, uploadHeaders } from './put-object.js';

/** Options of {@link appendObject}. Attributes (type, ACL, metadata, tags, …) count on the first append only. */
export interface AppendObjectOptions extends ObjectOptions, ObjectAttributes {
  /** The object's current length: 0 to create it, then the previous call's `nextPosition`. */
  position: number;
  body: Body;
  /** Byte length of a ReadableStream body. */
  size?: number | undefined;
  /** Content-MD5 of the appended bytes: Base64, or `true` to compute it. */
  contentMd5?: string | boolean | undefined;
  /** Bytes of the body sent so far, as they are sent. */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  /**
   * Must be `false` when the client encrypts: appends are sent in the clear (an encrypted
   * object cannot grow, its last block is padded).
   */
  encryption?: false | undefined;
}

/** What {@link appendObject} returns. */
export interface AppendObjectResult extends Ks3Result {
  /** The ETag of the whole object after this append. */
  etag: string;
  /** The object's new length: the `position` of the next append. */
  nextPosition: number;
  versionId?: string | undefined;
}

/**
 * The error of an append at a wrong position (`PositionNotEqualToLength`, 409): a
 * `Ks3ServiceError` that also says the right position.
 */
export type AppendPositionError = Ks3ServiceError & {
  /** The object's current length, from `x-kss-next-append-position` (undefined if KS3 did not send it). */
  nextPosition: number | undefined;
};

/**
 * Appends bytes to an Appendable object, creating it at position 0. Appends are not retried
 * when no answer came (the bytes may have been added).
 * @throws {Ks3InputError} for a bad position, body or attribute, or an encrypting client.
 * @throws {Ks3ServiceError} `PositionNotEqualToLength` (409, an {@link AppendPositionError}
 * carrying `nextPosition`), `ObjectNotAppendable` (409) for a normal object.
 * @example
 * let { nextPosition } = await appendObject(client, { bucket, key: 'log.txt', position: 0, body: 'line 1\n' });
 * const next = { bucket, key: 'log.txt', position: nextPosition, body: 'line 2\n' };
 * ({ nextPosition } = await appendObject(client, next));
 */
export async function appendObject(client: Client, o: AppendObjectOptions): Promise<AppendObjectResult> {
  const ctx = target('AppendObject', client, o, true);
  const position = checkCount('position', o.position, ctx);
  if (client.encryption && o.encryption !== false) {
    throw new Ks3InputError(
      'encryption',
      'appendObject cannot encrypt; pass encryption: false to append in the clear',
      ctx,
    );
  }
  let body = prepareBody(o.body, ctx, o.size);
  const headers = uploadHeaders(o, ctx, position === 0);
  if (o.contentMd5 === true) ({ md5: headers['content-md5'], body } = await bodyMd5(body, client.md5));
  else if (typeof o.contentMd5 === 'string')
    Object.assign(
      headers,
      mergeHeaders({ 'content-md5': o.contentMd5 }, headers, ctx, { 'content-md5': 'contentMd5' }),
    );
  else if (o.contentMd5 !== undefined && o.contentMd5 !== false)
    throw new Ks3InputError('contentMd5', 'must be a Base64 MD5 string or a boolean', ctx);
  const total = body.size;
  const res = await send(client, {
    op: 'AppendObject',
    method: 'POST',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['append'], ['position', String(position)]],
    headers,
    body,
    signal: o.signal,
    // 409 is read here, to keep x-kss-next-append-position with the error.
    ok: (s) => (s >= 200 && s < 300) || s === 409,
    onProgress: o.onProgress && ((loaded) => o.onProgress!({ loaded, total })),
  });
  const next = lengthHeader(res.headers, 'x-kss-next-append-position');
  if (res.status === 409) {
    // Loaded on demand, as the pipeline loads it: the error parser is not carried up front.
    const { readCapped, serviceError } = await import('../request/service-error.js');
    // A body cut short still leaves the status and the header (an abort still wins).
    const body = await readCapped(res.body).catch(() => {
      o.signal?.throwIfAborted();
      return '';
    });
    const err = serviceError(409, res.headers, body, 'POST', ctx);
    err.attempts = res.attempts;
    // The header says where to append, also when the body naming the code did not arrive.
    if (err.code === 'PositionNotEqualToLength' || next !== undefined) (err as AppendPositionError).nextPosition = next;
    throw err;
  }
  await res.body?.cancel().catch(() => {});
  const nextPosition = next ?? (total === undefined ? undefined : position + total);
  if (nextPosition === undefined) {
    throw new Ks3ProtocolError('AppendObject: the answer has no x-kss-next-append-position', {
      ...ctx,
      status: res.status,
      requestId: res.requestId,
    });
  }
  const result: AppendObjectResult = { etag: etagOf(res, ctx), nextPosition, requestId: res.requestId };
  const version = res.headers.get('x-kss-version-id');
  if (version) result.versionId = version;
  return result;
}
