/**
 * PUT Fetch (`PUT /{key}?fetch`, docs.ksyun.com/documents/42323): KS3 downloads the object from
 * a URL (`x-kss-sourceurl`, URL-encoded as KS3's SDKs send it) instead of receiving the bytes.
 * KS3 fetches in the background and may answer before the object exists.
 */
import type { Client } from '../client.js';
import { encodeQueryValue } from '../encoding.js';
import { Ks3InputError } from '../errors.js';
import { mergeHeaders } from '../request/headers.js';
import { send } from '../request/send.js';
import { checkText, type Ks3Result, type ObjectOptions, target } from './common.js';
import { callbackHeaders, type ObjectAttributes, type UploadCallback, uploadHeaders } from './put-object.js';

/** Options of {@link fetchObject}: the source, and what the new object carries. */
export interface FetchObjectOptions extends ObjectOptions, ObjectAttributes {
  /** An http(s) URL KS3 can reach. */
  sourceUrl: string;
  /**
   * The Base64 MD5 of the source: KS3 checks the fetched bytes against it, and skips the fetch
   * when the object already at the key has this MD5.
   */
  contentMd5?: string | undefined;
  /** KS3 notifies this URL when the fetch ends (`x-kss-callbackurl`). */
  callback?: Pick<UploadCallback, 'url'> | undefined;
  /** `x-kss-force: true`: fetch even when an object with the same content exists. */
  force?: boolean | undefined;
}

/** What {@link fetchObject} returns. */
export interface FetchObjectResult extends Ks3Result {
  /** The new object's ETag, when KS3 fetched before answering. */
  etag: string | undefined;
  versionId?: string | undefined;
}

/**
 * Has KS3 fetch an object from a URL into the bucket. Without a `contentType`, the object takes
 * the source's.
 * @throws {Ks3InputError} for a source that is not an http(s) URL, or a bad attribute.
 * @throws {Ks3ServiceError} e.g. `InvalidArgument` when KS3 cannot fetch the source.
 * @example await fetchObject(client, { bucket, key: 'mirror/logo.png', sourceUrl: 'https://example.com/logo.png' });
 */
export async function fetchObject(client: Client, o: FetchObjectOptions): Promise<FetchObjectResult> {
  const ctx = target('FetchObject', client, o, true);
  const source = checkText('sourceUrl', o.sourceUrl, ctx, false);
  let url: URL | undefined;
  try {
    url = new URL(source);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new Ks3InputError('sourceUrl', `${JSON.stringify(source)} is not an http(s) URL`, ctx);
  if (o.force !== undefined && typeof o.force !== 'boolean') throw new Ks3InputError('force', 'must be a boolean', ctx);
  if (o.contentMd5 !== undefined) checkText('contentMd5', o.contentMd5, ctx, false);
  const callback = o.callback === undefined ? {} : callbackHeaders({ url: o.callback.url, body: '' }, ctx);
  const derived = {
    'x-kss-sourceurl': encodeQueryValue(source),
    'x-kss-force': o.force ? 'true' : undefined,
    'content-md5': o.contentMd5,
    'x-kss-callbackurl': callback['x-kss-callbackurl'],
  };
  // The source's Content-Type is kept unless one is given: no guess from the key.
  const headers = mergeHeaders(derived, uploadHeaders(o, ctx, false), ctx, {
    'x-kss-sourceurl': 'sourceUrl',
    'x-kss-force': 'force',
    'content-md5': 'contentMd5',
    'x-kss-callbackurl': 'callback',
  });
  const res = await send(client, {
    op: 'FetchObject',
    method: 'PUT',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['fetch']],
    headers,
    signal: o.signal,
    read: 'text',
  });
  const result: FetchObjectResult = { etag: res.headers.get('etag') ?? undefined, requestId: res.requestId };
  const version = res.headers.get('x-kss-version-id');
  if (version) result.versionId = version;
  return result;
}
