/** List Parts and List Multipart Uploads, one page each (ks3-protocol.md §4.18, §4.21). */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { send } from '../request/send.js';
import type { QueryParam } from '../sign/subresources.js';
import { children, childText, type XmlNode } from '../xml.js';
import { type BucketOptions, type Ks3Result, target } from './common.js';
import { numberField, parseDocument } from './document.js';
import { listQuery } from './list-objects.js';
import { checkUpload, type UploadTarget } from './upload-target.js';

/** One uploaded part, as {@link listParts} lists it. */
export interface PartSummary {
  partNumber: number;
  /** With quotes, as Complete expects it back. */
  etag: string;
  size: number;
  lastModified: Date;
}

/** Options of {@link listParts}. */
export interface ListPartsOptions extends UploadTarget {
  maxParts?: number | undefined;
  /** List parts after this part number (KS3's `part-number-marker`). */
  startAfterPart?: number | undefined;
  /** `url`: ask KS3 to URL-encode keys in the answer (decoded again here). */
  encodingType?: 'url' | undefined;
}

/** One page of parts. */
export interface ListPartsResult extends Ks3Result {
  parts: PartSummary[];
  isTruncated: boolean;
  nextStartAfterPart?: number | undefined;
  storageClass?: string | undefined;
}

/** Parses a ListPartsResult root element, `ns2:`-prefixed (as KS3 sends it) or not. */
export function parseListParts(root: XmlNode, ctx: Ks3ErrorContext = {}): Omit<ListPartsResult, 'requestId'> {
  const parts = children(root, 'Part').map((p) => ({
    partNumber: numberField(childText(p, 'PartNumber'), 'PartNumber', ctx),
    etag: childText(p, 'ETag') ?? '',
    size: numberField(childText(p, 'Size'), 'Size', ctx, 0),
    lastModified: new Date(childText(p, 'LastModified') ?? ''),
  }));
  const result: Omit<ListPartsResult, 'requestId'> = { parts, isTruncated: childText(root, 'IsTruncated') === 'true' };
  const next = childText(root, 'NextPartNumberMarker');
  if (next) result.nextStartAfterPart = numberField(next, 'NextPartNumberMarker', ctx);
  const sc = childText(root, 'StorageClass');
  if (sc) result.storageClass = sc;
  return result;
}

/** Lists one page of the parts uploaded so far. */
export async function listParts(client: Client, o: ListPartsOptions): Promise<ListPartsResult> {
  const ctx = checkUpload(client, o, 'ListParts');
  if (o.encodingType !== undefined && o.encodingType !== 'url')
    throw new Ks3InputError('encodingType', "must be 'url'", ctx);
  const query: QueryParam[] = [
    ['uploadId', o.uploadId],
    ...listQuery(
      [
        ['encoding-type', 'encodingType', o.encodingType, 'text'],
        ['max-parts', 'maxParts', o.maxParts, 'count'],
      ],
      ctx,
    ),
  ];
  if (o.startAfterPart !== undefined) {
    const n = o.startAfterPart;
    if (!Number.isInteger(n) || n < 0 || n > 10000)
      throw new Ks3InputError('startAfterPart', 'must be an integer in 0..10000', ctx);
    query.push(['part-number-marker', String(n)]);
  }
  const res = await send(client, {
    op: 'ListParts',
    method: 'GET',
    bucket: ctx.bucket,
    key: ctx.key,
    query,
    headers: o.headers,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  return { ...parseListParts(await parseDocument(res, 'ListPartsResult', ctx), ctx), requestId: res.requestId };
}

/** One multipart upload in progress, as {@link listMultipartUploads} lists it. */
export interface UploadSummary {
  key: string;
  uploadId: string;
  initiated: Date;
  storageClass: string;
}

/** Options of {@link listMultipartUploads}. */
export interface ListMultipartUploadsOptions extends BucketOptions {
  prefix?: string | undefined;
  delimiter?: string | undefined;
  /** List uploads of keys after this one (KS3's `key-marker`)… */
  startAfterKey?: string | undefined;
  /** …and, for that key, after this upload id (`upload-id-marker`). */
  startAfterUploadId?: string | undefined;
  maxUploads?: number | undefined;
}

/** One page of uploads in progress. */
export interface ListMultipartUploadsResult extends Ks3Result {
  uploads: UploadSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextStartAfterKey?: string | undefined;
  nextStartAfterUploadId?: string | undefined;
}

/** Parses a ListMultipartUploadsResult root element. */
export function parseListUploads(root: XmlNode): Omit<ListMultipartUploadsResult, 'requestId'> {
  const result: Omit<ListMultipartUploadsResult, 'requestId'> = {
    uploads: children(root, 'Upload').map((u) => ({
      key: childText(u, 'Key') ?? '',
      uploadId: childText(u, 'UploadId') ?? '',
      initiated: new Date(childText(u, 'Initiated') ?? ''),
      storageClass: childText(u, 'StorageClass') ?? 'STANDARD',
    })),
    commonPrefixes: children(root, 'CommonPrefixes').map((p) => childText(p, 'Prefix') ?? ''),
    isTruncated: childText(root, 'IsTruncated') === 'true',
  };
  const nk = childText(root, 'NextKeyMarker');
  const nu = childText(root, 'NextUploadIdMarker');
  if (nk) result.nextStartAfterKey = nk;
  if (nu) result.nextStartAfterUploadId = nu;
  return result;
}

/** Lists one page of the multipart uploads in progress in a bucket. */
export async function listMultipartUploads(
  client: Client,
  o: ListMultipartUploadsOptions,
): Promise<ListMultipartUploadsResult> {
  const ctx = target('ListMultipartUploads', client, o, false);
  // Only `uploads` is signed.
  const query: QueryParam[] = [
    ['uploads'],
    ...listQuery(
      [
        ['delimiter', 'delimiter', o.delimiter, 'text'],
        ['key-marker', 'startAfterKey', o.startAfterKey, 'text'],
        ['max-uploads', 'maxUploads', o.maxUploads, 'count'],
        ['prefix', 'prefix', o.prefix, 'text'],
        ['upload-id-marker', 'startAfterUploadId', o.startAfterUploadId, 'text'],
      ],
      ctx,
    ),
  ];
  const res = await send(client, {
    op: 'ListMultipartUploads',
    method: 'GET',
    bucket: ctx.bucket,
    query,
    headers: o.headers,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  return { ...parseListUploads(await parseDocument(res, 'ListMultipartUploadsResult', ctx)), requestId: res.requestId };
}
