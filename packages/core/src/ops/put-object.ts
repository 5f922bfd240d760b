/** Put Object (ks3-protocol.md §4.9). */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { guessContentType } from '../mime.js';
import { prepareBody, type Body } from '../request/body.js';
import { bodyMd5 } from '../request/body-md5.js';
import { send } from '../request/send.js';
import {
  CANNED_ACLS,
  checkOneOf,
  metadataHeaders,
  STORAGE_CLASSES,
  type CannedAcl,
  type StorageClass,
} from '../validate.js';
import { requestIdOf, target, type ObjectOptions } from './common.js';

/** Options of {@link putObject}. */
export interface PutObjectOptions extends ObjectOptions {
  body: Body;
  /** Byte length of a ReadableStream body; lets it stream instead of being buffered. */
  contentLength?: number;
  /** Default: guessed from the key's extension. */
  contentType?: string;
  /**
   * Content-MD5: the Base64 MD5 of the body, or `true` to compute it (streams are then read
   * into memory first). KS3 rejects a body that does not match (BadDigest). With encryption it
   * is computed over the ciphertext unless `false` (the guide's `calc_encrypt_md5=False`).
   */
  contentMd5?: string | boolean;
  /**
   * Upload callback: after storing the object KS3 POSTs `body` (`k=v&…` with `${bucket}`,
   * `${key}`, `${etag}`, `${objectSize}`, `${mimeType}`, `${createTime}`) as JSON to `url`, and
   * the upload succeeds only if that server answers `{"result":true}`; its reply is returned.
   */
  callback?: { url: string; body: string; auth?: boolean };
  acl?: CannedAcl;
  storageClass?: StorageClass;
  /** User metadata, sent as `x-kss-meta-<name>`. */
  metadata?: Record<string, string>;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  expires?: string;
  /** Extra headers, e.g. `x-kss-callbackurl`; names are lower-cased. */
  headers?: Record<string, string>;
  /** Bytes sent so far (Node: as sent; browsers: once the upload completes). */
  onProgress?: (loaded: number) => void;
  /** `false` uploads in the clear although the client encrypts. */
  encryption?: false;
}

/** What {@link putObject} returns. */
export interface PutObjectResult {
  /** With quotes: `"<md5 hex>"`. */
  etag: string;
  requestId?: string;
  /** The response body, when KS3 returns one (e.g. an upload callback's reply). */
  body?: string;
}

/** The headers of an upload shared by Put Object and Initiate Multipart Upload. */
export function uploadHeaders(
  o: Omit<PutObjectOptions, 'body' | 'bucket'>,
  ctx: Ks3ErrorContext,
): Record<string, string | undefined> {
  return {
    ...Object.fromEntries(Object.entries(o.headers ?? {}).map(([n, v]) => [n.toLowerCase(), v])),
    'content-type': o.contentType ?? guessContentType(o.key),
    'cache-control': o.cacheControl,
    'content-disposition': o.contentDisposition,
    'content-encoding': o.contentEncoding,
    expires: o.expires,
    'x-kss-acl': o.acl === undefined ? undefined : checkOneOf('acl', o.acl, CANNED_ACLS, ctx),
    'x-kss-storage-class':
      o.storageClass === undefined ? undefined : checkOneOf('storageClass', o.storageClass, STORAGE_CLASSES, ctx),
    ...metadataHeaders(o.metadata, ctx),
    ...callbackHeaders(o.callback, ctx),
  };
}

function callbackHeaders(cb: PutObjectOptions['callback'], ctx: Ks3ErrorContext): Record<string, string> {
  if (cb === undefined) return {};
  if (typeof cb?.url !== 'string' || !/^https?:\/\//.test(cb.url))
    throw new Ks3InputError('callback', 'url must be an http(s) URL', ctx);
  if (typeof cb.body !== 'string')
    throw new Ks3InputError('callback', 'body must be a string like "key=${key}&etag=${etag}"', ctx);
  return {
    'x-kss-callbackurl': cb.url,
    'x-kss-callbackbody': cb.body,
    ...(cb.auth ? { 'x-kss-callbackauth': '1' } : {}),
  };
}

/**
 * Uploads an object in one request (up to 5 GB; use `upload()` from @ks3/multipart for more,
 * or for streams of unknown length).
 * @throws {Ks3InputError} for a bad bucket, key, body, ACL, storage class or metadata.
 * @throws {Ks3ServiceError} when KS3 refuses the upload.
 * @example
 * await putObject(client, { bucket: 'photos', key: 'cat.jpg', body: file, acl: 'public-read' });
 */
export async function putObject(client: Client, o: PutObjectOptions): Promise<PutObjectResult> {
  const ctx = target('PutObject', o, true);
  let body = prepareBody(o.body, ctx, o.contentLength);
  const headers = uploadHeaders(o, ctx);
  const enc = o.encryption === false ? undefined : client.encryption;
  if (enc) {
    if (typeof o.contentMd5 === 'string')
      throw new Ks3InputError(
        'contentMd5',
        'cannot be given for an encrypted upload: it is computed over the ciphertext (pass true or false)',
        ctx,
      );
    const encrypted = await (await import('../encryption/put.js')).encryptForPut(
      enc,
      body,
      o.contentMd5 ?? enc.contentMd5,
    );
    body = encrypted.body;
    Object.assign(headers, encrypted.headers);
  } else if (o.contentMd5 === true) ({ md5: headers['content-md5'], body } = await bodyMd5(body, client.md5));
  else if (typeof o.contentMd5 === 'string') headers['content-md5'] = o.contentMd5;
  const res = await send(client, {
    op: 'PutObject',
    method: 'PUT',
    bucket: ctx.bucket,
    key: ctx.key,
    headers,
    body,
    signal: o.signal,
    onProgress: o.onProgress,
  });
  const text = await res.text();
  const result: PutObjectResult = { etag: res.headers.get('etag') ?? '' };
  const id = requestIdOf(res);
  if (id) result.requestId = id;
  if (text) result.body = text;
  return result;
}
