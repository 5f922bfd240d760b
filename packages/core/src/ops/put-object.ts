/** Put Object (ks3-protocol.md §4.9) and the upload headers it shares with Initiate and Copy. */
import type { Client } from '../client.js';
import { Ks3InputError, Ks3ProtocolError, type Ks3ErrorContext } from '../errors.js';
import { guessContentType } from '../mime.js';
import { type Body, prepareBody } from '../request/body.js';
import { bodyMd5 } from '../request/body-md5.js';
import { mergeHeaders } from '../request/headers.js';
import { type Ks3Response, send } from '../request/send.js';
import {
  CANNED_ACLS,
  type CannedAcl,
  checkOneOf,
  checkStorageClass,
  metadataHeaders,
  type StorageClass,
} from '../validate.js';
import { type Ks3Result, type ObjectOptions, type TransferProgress, target } from './common.js';
import { type Tags, tagsHeader } from './tags.js';

/** What an upload stores with the object: shared by putObject, initiateMultipartUpload, copyObject and upload(). */
export interface ObjectAttributes {
  /** Default: guessed from the key's extension. */
  contentType?: string | undefined;
  /** A canned ACL for the new object. */
  acl?: CannedAcl | undefined;
  storageClass?: StorageClass | undefined;
  /** User metadata, sent as `x-kss-meta-<name>`. */
  metadata?: Readonly<Record<string, string>> | undefined;
  cacheControl?: string | undefined;
  contentDisposition?: string | undefined;
  /** Stored and served as `Content-Encoding` (see the README on downloading encoded objects). */
  contentEncoding?: string | undefined;
  expires?: string | undefined;
  /**
   * Object tags, sent as `x-kss-tagging` (checked against KS3's rules first: at most 10, see
   * `putObjectTagging`). On a multipart upload they apply when it completes.
   */
  tags?: Tags | undefined;
}

/** Upload callback: after storing, KS3 POSTs `body` as JSON to `url`; see {@link PutObjectOptions.callback}. */
export interface UploadCallback {
  url: string;
  /** `k=v&…` with `${bucket}`, `${key}`, `${etag}`, `${objectSize}`, `${mimeType}`, `${createTime}`. */
  body: string;
  auth?: boolean | undefined;
}

/** Options of {@link putObject}. */
export interface PutObjectOptions extends ObjectOptions, ObjectAttributes {
  /**
   * The data: a string (UTF-8), bytes, a Blob/File, a BodySource (e.g. `fileSource()` of
   * @ks3/node) or a web ReadableStream (give `size` to stream it; without, it is buffered).
   */
  body: Body;
  /** Byte length of a ReadableStream body; lets it stream instead of being buffered. */
  size?: number | undefined;
  /**
   * Content-MD5: the Base64 MD5 of the body, or `true` to compute it (streams are then read
   * into memory first). KS3 rejects a body that does not match (BadDigest). With encryption it
   * is computed over the ciphertext unless `false` (the guide's `calc_encrypt_md5=False`).
   */
  contentMd5?: string | boolean | undefined;
  /**
   * Upload callback: the upload succeeds only if that server answers `{"result":true}`; its
   * reply is returned as `body`.
   */
  callback?: UploadCallback | undefined;
  /** Upload progress (Node: as bytes are sent; browsers: when the upload completes). */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  /** `false` uploads in the clear although the client encrypts. */
  encryption?: false | undefined;
}

/** What {@link putObject} returns. */
export interface PutObjectResult extends Ks3Result {
  /** With quotes: `"<md5 hex>"`. */
  etag: string;
  /** The version KS3 gave the object, in a versioned bucket. */
  versionId?: string | undefined;
  /** The response body, when KS3 returns one (an upload callback's reply). */
  body?: string | undefined;
}

/** The option behind each header uploadHeaders writes, for conflict messages. */
const OPTION_OF: Record<string, string> = {
  'content-type': 'contentType',
  'cache-control': 'cacheControl',
  'content-disposition': 'contentDisposition',
  'content-encoding': 'contentEncoding',
  expires: 'expires',
  'x-kss-acl': 'acl',
  'x-kss-storage-class': 'storageClass',
  'content-md5': 'contentMd5',
  'x-kss-tagging': 'tags',
};

/**
 * The headers of an upload's attributes merged with the caller's `headers`: nothing the caller
 * passes is dropped, and a header that contradicts an option is refused.
 * @throws {Ks3InputError}
 */
export function uploadHeaders(
  o: ObjectAttributes & { key: string; headers?: Readonly<Record<string, string>> | undefined },
  ctx: Ks3ErrorContext,
  guessType = true,
): Record<string, string | undefined> {
  const text = (name: keyof ObjectAttributes): string | undefined => {
    const v = o[name];
    if (v !== undefined && typeof v !== 'string') throw new Ks3InputError(name, 'must be a string', ctx);
    return v as string | undefined;
  };
  const derived: Record<string, string | undefined> = {
    'content-type': text('contentType'),
    'cache-control': text('cacheControl'),
    'content-disposition': text('contentDisposition'),
    'content-encoding': text('contentEncoding'),
    expires: text('expires'),
    'x-kss-acl': o.acl === undefined ? undefined : checkOneOf('acl', o.acl, CANNED_ACLS, ctx),
    'x-kss-storage-class': o.storageClass === undefined ? undefined : checkStorageClass(o.storageClass, ctx),
    'x-kss-tagging': tagsHeader(o.tags, ctx),
    ...metadataHeaders(o.metadata, ctx),
  };
  const merged = mergeHeaders(derived, o.headers, ctx, OPTION_OF);
  // Guessed last, so a caller's own content-type header is not a conflict.
  if (guessType) merged['content-type'] ??= guessContentType(o.key);
  return merged;
}

/** The headers of an upload callback (§4.9). */
export function callbackHeaders(cb: UploadCallback | undefined, ctx: Ks3ErrorContext): Record<string, string> {
  if (cb === undefined) return {};
  if (typeof cb?.url !== 'string' || !/^https?:\/\//.test(cb.url)) {
    throw new Ks3InputError('callback', 'url must be an http(s) URL', ctx);
  }
  if (typeof cb.body !== 'string') {
    throw new Ks3InputError('callback', 'body must be a string like "key=${key}&etag=${etag}"', ctx);
  }
  return {
    'x-kss-callbackurl': cb.url,
    'x-kss-callbackbody': cb.body,
    ...(cb.auth ? { 'x-kss-callbackauth': '1' } : {}),
  };
}

/**
 * Uploads an object in one request (up to 5 GB; use `upload()` from @ks3/multipart for more,
 * or for streams of unknown length).
 * @throws {Ks3InputError} for a bad bucket, key, body, ACL, storage class, metadata or header.
 * @throws {Ks3ServiceError} when KS3 refuses the upload.
 * @example
 * await putObject(client, { bucket: 'photos', key: 'cat.jpg', body: file, acl: 'public-read' });
 */
export async function putObject(client: Client, o: PutObjectOptions): Promise<PutObjectResult> {
  const ctx = target('PutObject', client, o, true);
  let body = prepareBody(o.body, ctx, o.size);
  const headers = uploadHeaders(o, ctx);
  Object.assign(headers, mergeHeaders(callbackHeaders(o.callback, ctx), headers, ctx));
  if (o.contentMd5 !== undefined && typeof o.contentMd5 !== 'string' && typeof o.contentMd5 !== 'boolean') {
    throw new Ks3InputError('contentMd5', 'must be a Base64 MD5 string or a boolean', ctx);
  }
  const spec = { op: 'PutObject', bucket: ctx.bucket, key: ctx.key } as const;
  const enc = o.encryption === false ? undefined : client.encryption;
  let check: ((etag: string, versionId: string | null) => Promise<void>) | undefined;
  if (enc) {
    if (typeof o.contentMd5 === 'string' || headers['content-md5']) {
      throw new Ks3InputError(
        'contentMd5',
        'cannot be given for an encrypted upload: it is computed over the ciphertext',
        ctx,
      );
    }
    const m = await import('../encryption/put.js');
    const encrypted = await m.encryptForPut(enc, body, o.contentMd5 ?? enc.contentMd5);
    body = encrypted.body;
    Object.assign(headers, mergeHeaders(encrypted.headers, headers, ctx));
    const sent = encrypted.sentMd5;
    if (sent) {
      const remove = (v: string | null) =>
        send(client, {
          ...spec,
          op: 'DeleteObject',
          method: 'DELETE',
          query: v ? [['versionId', v]] : [],
          read: 'text',
        });
      check = (etag, v) => m.checkSentMd5(ctx, etag, sent, () => remove(v));
    }
  } else if (o.contentMd5 === true) {
    ({ md5: headers['content-md5'], body } = await bodyMd5(body, client.md5));
  } else if (typeof o.contentMd5 === 'string') {
    Object.assign(headers, mergeHeaders({ 'content-md5': o.contentMd5 }, headers, ctx, OPTION_OF));
  }
  const total = body.size;
  const res = await send(client, {
    ...spec,
    method: 'PUT',
    headers,
    body,
    signal: o.signal,
    read: 'text',
    onProgress: o.onProgress && ((loaded) => o.onProgress!({ loaded, total })),
  });
  const text = await res.text();
  const result: PutObjectResult = { etag: etagOf(res, ctx), requestId: res.requestId };
  const version = res.headers.get('x-kss-version-id');
  await check?.(result.etag, version);
  if (version) result.versionId = version;
  if (text) result.body = text;
  return result;
}

/**
 * The ETag of an upload's response. KS3 always sends one; when it is missing, a browser's CORS
 * rule hides it, and an upload whose ETag the caller cannot see must not look like a success.
 * @throws {Ks3ProtocolError} naming the fix.
 */
export function etagOf(res: Ks3Response, ctx: Ks3ErrorContext): string {
  const etag = res.headers.get('etag');
  if (etag) return etag;
  throw new Ks3ProtocolError(
    `${ctx.operation ?? 'upload'}: the response has no ETag header. In a browser this means the bucket's CORS ` +
      'rule does not expose it: add <ExposeHeader>ETag</ExposeHeader> (the upload itself may have succeeded)',
    { ...ctx, status: res.status, requestId: res.requestId },
  );
}
