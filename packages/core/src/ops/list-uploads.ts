/** List Parts and List Multipart Uploads, one page each (ks3-protocol.md §4.18, §4.21). */
import type { Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { send } from '../request/send.js';
import type { QueryParam } from '../sign/subresources.js';
import { checkCount } from '../validate.js';
import { children, childText, parseXml } from '../xml.js';
import { target, type BucketOptions } from './common.js';
import type { UploadTarget } from './multipart.js';

export interface PartSummary {
  partNumber: number;
  /** With quotes, as Complete expects it back. */
  etag: string;
  size: number;
  lastModified: Date;
}

export interface ListPartsOptions extends UploadTarget {
  maxParts?: number;
  /** List parts after this part number. */
  partNumberMarker?: number;
}

export interface ListPartsResult {
  parts: PartSummary[];
  isTruncated: boolean;
  nextPartNumberMarker?: number;
  storageClass?: string;
}

/** Parses ListPartsResult, `ns2:`-prefixed (as KS3 sends it) or not. */
export function parseListParts(xml: string): ListPartsResult {
  const root = parseXml(xml);
  if (!root?.tagName.endsWith('ListPartsResult')) throw new TypeError('not a ListPartsResult document');
  const parts = children(root, 'Part').map((p) => ({
    partNumber: Number(childText(p, 'PartNumber')),
    etag: childText(p, 'ETag') ?? '',
    size: Number(childText(p, 'Size') ?? 0),
    lastModified: new Date(childText(p, 'LastModified') ?? ''),
  }));
  const result: ListPartsResult = { parts, isTruncated: childText(root, 'IsTruncated') === 'true' };
  const next = childText(root, 'NextPartNumberMarker');
  if (next) result.nextPartNumberMarker = Number(next);
  const sc = childText(root, 'StorageClass');
  if (sc) result.storageClass = sc;
  return result;
}

/** Lists one page of the parts uploaded so far. */
export async function listParts(client: Client, o: ListPartsOptions): Promise<ListPartsResult> {
  const ctx = target('ListParts', o, true);
  if (typeof o.uploadId !== 'string' || !o.uploadId)
    throw new Ks3InputError('uploadId', 'must be a non-empty string', ctx);
  const query: QueryParam[] = [['uploadId', o.uploadId]];
  if (o.maxParts !== undefined) query.push(['max-parts', String(checkCount('maxParts', o.maxParts, ctx, 1, 1000))]);
  if (o.partNumberMarker !== undefined)
    query.push(['part-number-marker', String(checkCount('partNumberMarker', o.partNumberMarker, ctx, 0, 10000))]);
  const res = await send(client, {
    op: 'ListParts',
    method: 'GET',
    bucket: ctx.bucket,
    key: ctx.key,
    query,
    signal: o.signal,
    ok: (s) => s === 200,
  });
  return parseListParts(await res.text());
}

export interface UploadSummary {
  key: string;
  uploadId: string;
  initiated: Date;
  storageClass: string;
}

export interface ListUploadsOptions extends BucketOptions {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  maxUploads?: number;
}

export interface ListUploadsResult {
  uploads: UploadSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}

/** Parses ListMultipartUploadsResult. */
export function parseListUploads(xml: string): ListUploadsResult {
  const root = parseXml(xml);
  if (!root?.tagName.endsWith('ListMultipartUploadsResult'))
    throw new TypeError('not a ListMultipartUploadsResult document');
  const result: ListUploadsResult = {
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
  if (nk) result.nextKeyMarker = nk;
  if (nu) result.nextUploadIdMarker = nu;
  return result;
}

/** Lists one page of the multipart uploads in progress in a bucket. */
export async function listMultipartUploads(client: Client, o: ListUploadsOptions): Promise<ListUploadsResult> {
  const ctx = target('ListMultipartUploads', o, false);
  const query: QueryParam[] = [['uploads']];
  // Sorted by name, as the reference sends them (§1.6); only `uploads` is signed.
  for (const [name, value] of [
    ['delimiter', o.delimiter],
    ['key-marker', o.keyMarker],
    ['max-uploads', o.maxUploads],
    ['prefix', o.prefix],
    ['upload-id-marker', o.uploadIdMarker],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (name === 'max-uploads') checkCount('maxUploads', value, ctx, 1, 1000);
    else if (typeof value !== 'string') throw new Ks3InputError(name, 'must be a string', ctx);
    query.push([name, String(value)]);
  }
  const res = await send(client, {
    op: 'ListMultipartUploads',
    method: 'GET',
    bucket: ctx.bucket,
    query,
    signal: o.signal,
    ok: (s) => s === 200,
  });
  return parseListUploads(await res.text());
}
