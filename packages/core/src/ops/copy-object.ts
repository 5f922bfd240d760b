/** Put Object Copy (ks3-protocol.md §4.10). */
import type { Client } from '../client.js';
import type { Ks3ErrorContext } from '../errors.js';
import { encodeForm } from '../encoding.js';
import type { Ks3Response } from '../request/send.js';
import { send } from '../request/send.js';
import { serviceError } from '../request/service-error.js';
import { checkBucket, checkKey, checkOneOf } from '../validate.js';
import { childText, parseXml } from '../xml.js';
import { target, type ObjectOptions } from './common.js';
import { uploadHeaders, type PutObjectOptions } from './put-object.js';

/** Options of {@link copyObject}: the destination, the source, and what to change. */
export interface CopyObjectOptions
  extends ObjectOptions,
    Pick<
      PutObjectOptions,
      | 'acl'
      | 'storageClass'
      | 'metadata'
      | 'contentType'
      | 'cacheControl'
      | 'contentDisposition'
      | 'contentEncoding'
      | 'expires'
      | 'headers'
    > {
  sourceBucket: string;
  sourceKey: string;
  /**
   * `COPY` keeps the source's metadata and Content-Type; `REPLACE` takes them from this call.
   * Default: `REPLACE` when `metadata` or `contentType` is given, else `COPY`.
   */
  metadataDirective?: 'COPY' | 'REPLACE';
}

export interface CopyResult {
  etag: string;
  lastModified: Date;
}

/** `x-kss-copy-source`: `/bucket/` + the key form-encoded, so `/` inside it is `%2F` (§4.10). */
export const copySource = (bucket: string, key: string): string => `/${bucket}/${encodeForm(key)}`;

/** Parses CopyObjectResult / CopyPartResult; KS3 may put an `<Error>` in a 200 response. */
export async function parseCopyResult(res: Ks3Response, ctx: Ks3ErrorContext): Promise<CopyResult> {
  const body = await res.text();
  const root = parseXml(body);
  if (!root || root.tagName.endsWith('Error')) throw serviceError(root ? 500 : 502, res.headers, body, 'PUT', ctx);
  return { etag: childText(root, 'ETag') ?? '', lastModified: new Date(childText(root, 'LastModified') ?? '') };
}

/**
 * Copies an object, within a bucket or across buckets (up to 5 GB; larger objects with
 * `uploadPartCopy`).
 * @throws {Ks3ServiceError} `NoSuchKey`/`NoSuchBucket` for a missing source.
 */
export async function copyObject(client: Client, o: CopyObjectOptions): Promise<CopyResult> {
  const ctx = target('CopyObject', o, true);
  const srcBucket = checkBucket(o.sourceBucket, { ...ctx });
  const srcKey = checkKey(o.sourceKey, { ...ctx });
  const replace = o.metadata !== undefined || o.contentType !== undefined;
  const directive =
    o.metadataDirective === undefined
      ? replace
        ? 'REPLACE'
        : undefined
      : checkOneOf('metadataDirective', o.metadataDirective, ['COPY', 'REPLACE'] as const, ctx);
  const headers = uploadHeaders(o, ctx);
  if (directive !== 'REPLACE') delete headers['content-type']; // COPY keeps the source's
  headers['x-kss-copy-source'] = copySource(srcBucket, srcKey);
  headers['x-kss-metadata-directive'] = directive;
  const res = await send(client, {
    op: 'CopyObject',
    method: 'PUT',
    bucket: ctx.bucket,
    key: ctx.key,
    headers,
    signal: o.signal,
    ok: (s) => s === 200,
  });
  return parseCopyResult(res, ctx);
}
