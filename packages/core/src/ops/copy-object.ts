/** Put Object Copy (ks3-protocol.md §4.10). */
import type { Client } from '../client.js';
import { encodeForm } from '../encoding.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { mergeHeaders } from '../request/headers.js';
import type { Ks3Response } from '../request/send.js';
import { send } from '../request/send.js';
import { checkBucket, checkKey, checkOneOf } from '../validate.js';
import { childText } from '../xml.js';
import { checkText, type Ks3Result, type ObjectOptions, target } from './common.js';
import { parseDocument } from './document.js';
import { type ObjectAttributes, uploadHeaders } from './put-object.js';

/** Options of {@link copyObject}: the destination, the source, and what to change. */
export interface CopyObjectOptions extends ObjectOptions, ObjectAttributes {
  sourceBucket: string;
  sourceKey: string;
  /** A version of the source, in a versioned bucket. */
  sourceVersionId?: string | undefined;
  /**
   * `COPY` keeps the source's metadata and Content-Type; `REPLACE` takes them from this call.
   * Default: `REPLACE` when `metadata` or `contentType` is given, else `COPY`.
   */
  metadataDirective?: 'COPY' | 'REPLACE' | undefined;
  /**
   * `COPY` keeps the source's tags; `REPLACE` takes `tags` from this call (none when omitted).
   * Default: `REPLACE` when `tags` is given, else KS3's default, `COPY`.
   */
  taggingDirective?: 'COPY' | 'REPLACE' | undefined;
}

/** What {@link copyObject} returns. */
export interface CopyObjectResult extends Ks3Result {
  etag: string;
  lastModified: Date;
  versionId?: string | undefined;
}

/**
 * `x-kss-copy-source`: `/bucket/` + the key form-encoded, so `/` inside it is `%2F` (§4.10),
 * and `?versionId=` for a version.
 */
export const copySource = (bucket: string, key: string, versionId?: string): string =>
  `/${bucket}/${encodeForm(key)}${versionId === undefined ? '' : `?versionId=${encodeForm(versionId)}`}`;

/**
 * Parses CopyObjectResult / CopyPartResult (the pipeline already turned an `<Error>` in a 200
 * into an error).
 */
export async function parseCopyResult(res: Ks3Response, root: string, ctx: Ks3ErrorContext): Promise<CopyObjectResult> {
  const doc = await parseDocument(res, root, ctx);
  const result: CopyObjectResult = {
    etag: childText(doc, 'ETag') ?? '',
    lastModified: new Date(childText(doc, 'LastModified') ?? ''),
    requestId: res.requestId,
  };
  const version = res.headers.get('x-kss-version-id');
  if (version) result.versionId = version;
  return result;
}

/** The source headers of a copy, checked. */
export function sourceHeaders(
  o: { sourceBucket: unknown; sourceKey: unknown; sourceVersionId?: unknown },
  ctx: Ks3ErrorContext,
): Record<string, string> {
  const bucket = checkBucket(o.sourceBucket, ctx, 'sourceBucket');
  const key = checkKey(o.sourceKey, ctx, 'sourceKey');
  const version =
    o.sourceVersionId === undefined ? undefined : checkText('sourceVersionId', o.sourceVersionId, ctx, false);
  return { 'x-kss-copy-source': copySource(bucket, key, version) };
}

/**
 * Copies an object, within a bucket or across buckets (up to 5 GB; larger objects with
 * `uploadPartCopy`).
 * @throws {Ks3ServiceError} `NoSuchKey`/`NoSuchBucket` for a missing source.
 */
export async function copyObject(client: Client, o: CopyObjectOptions): Promise<CopyObjectResult> {
  const ctx = target('CopyObject', client, o, true);
  const source = sourceHeaders(o, ctx);
  const replace = o.metadata !== undefined || o.contentType !== undefined;
  const directive =
    o.metadataDirective === undefined
      ? replace
        ? 'REPLACE'
        : undefined
      : checkOneOf('metadataDirective', o.metadataDirective, ['COPY', 'REPLACE'] as const, ctx);
  // COPY keeps the source's Content-Type: no guess from the key then.
  const headers = uploadHeaders(o, ctx, directive === 'REPLACE');
  const tagging =
    o.taggingDirective === undefined
      ? o.tags === undefined
        ? undefined
        : 'REPLACE'
      : checkOneOf('taggingDirective', o.taggingDirective, ['COPY', 'REPLACE'] as const, ctx);
  if (tagging === 'COPY' && o.tags !== undefined)
    throw new Ks3InputError('tags', "cannot be given with taggingDirective 'COPY'", ctx);
  const derived = { ...source, 'x-kss-metadata-directive': directive, 'x-kss-tagging-directive': tagging };
  const all = mergeHeaders(derived, headers, ctx, {
    'x-kss-metadata-directive': 'metadataDirective',
    'x-kss-tagging-directive': 'taggingDirective',
  });
  const res = await send(client, {
    op: 'CopyObject',
    method: 'PUT',
    bucket: ctx.bucket,
    key: ctx.key,
    headers: all,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  return parseCopyResult(res, 'CopyObjectResult', ctx);
}
