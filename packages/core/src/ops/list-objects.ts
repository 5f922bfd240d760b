/** List Objects, one page (ks3-protocol.md §4.12). */
import type { Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { send } from '../request/send.js';
import type { QueryParam } from '../sign/subresources.js';
import { checkCount } from '../validate.js';
import { child, children, childText, parseXml, type XmlNode } from '../xml.js';
import { target, type BucketOptions } from './common.js';

/** Options of {@link listObjects}. */
export interface ListObjectsOptions extends BucketOptions {
  prefix?: string;
  /** Groups keys sharing a prefix up to this string into `commonPrefixes`. */
  delimiter?: string;
  /** Start after this key. */
  marker?: string;
  /** 1..1000 (KS3 caps it at 100 with a delimiter). */
  maxKeys?: number;
}

/** An object in a listing. */
export interface ObjectSummary {
  readonly type: 'object';
  key: string;
  lastModified: Date;
  etag: string;
  size: number;
  storageClass: string;
  owner?: { id: string; displayName: string };
}

/** A common prefix ("directory") in a listing with a delimiter. */
export interface CommonPrefix {
  readonly type: 'prefix';
  prefix: string;
}

/** One page of a listing. */
export interface ListObjectsResult {
  bucket: string;
  prefix: string;
  marker: string;
  delimiter?: string;
  maxKeys: number;
  isTruncated: boolean;
  /** Where the next page starts; set whenever the page is truncated. */
  nextMarker?: string;
  contents: ObjectSummary[];
  commonPrefixes: CommonPrefix[];
}

function parseOwner(node: XmlNode | undefined): ObjectSummary['owner'] {
  return node ? { id: childText(node, 'ID') ?? '', displayName: childText(node, 'DisplayName') ?? '' } : undefined;
}

/** Parses a `ListBucketResult` document. */
export function parseListObjects(xml: string): ListObjectsResult {
  const root = parseXml(xml);
  if (!root?.tagName.endsWith('ListBucketResult')) throw new TypeError('not a ListBucketResult document');
  const contents: ObjectSummary[] = children(root, 'Contents').map((c) => {
    const s: ObjectSummary = {
      type: 'object',
      key: childText(c, 'Key') ?? '',
      lastModified: new Date(childText(c, 'LastModified') ?? ''),
      etag: childText(c, 'ETag') ?? '',
      size: Number(childText(c, 'Size') ?? 0),
      storageClass: childText(c, 'StorageClass') ?? 'STANDARD',
    };
    const owner = parseOwner(child(c, 'Owner'));
    if (owner) s.owner = owner;
    return s;
  });
  const commonPrefixes: CommonPrefix[] = children(root, 'CommonPrefixes').map((p) => ({
    type: 'prefix',
    prefix: childText(p, 'Prefix') ?? '',
  }));
  const result: ListObjectsResult = {
    bucket: childText(root, 'Name') ?? '',
    prefix: childText(root, 'Prefix') ?? '',
    marker: childText(root, 'Marker') ?? '',
    maxKeys: Number(childText(root, 'MaxKeys') ?? 1000),
    isTruncated: childText(root, 'IsTruncated') === 'true',
    contents,
    commonPrefixes,
  };
  const delimiter = childText(root, 'Delimiter');
  if (delimiter) result.delimiter = delimiter;
  // §4.12: without NextMarker, the next page starts after the last entry of this one.
  const last = [...contents.map((c) => c.key), ...commonPrefixes.map((p) => p.prefix)].sort().pop();
  const next = childText(root, 'NextMarker') || (result.isTruncated ? last : undefined);
  if (next) result.nextMarker = next;
  return result;
}

/**
 * Lists one page of objects. Use `listAllObjects` to follow every page.
 * @throws {Ks3InputError} for maxKeys outside 1..1000.
 * @throws {Ks3ServiceError} e.g. `NoSuchBucket`.
 */
export async function listObjects(client: Client, o: ListObjectsOptions): Promise<ListObjectsResult> {
  const ctx = target('ListObjects', o, false);
  // Sorted by name as the reference sends them (§1.6); none is a signed sub-resource.
  const query: QueryParam[] = [];
  for (const [name, value] of [
    ['delimiter', o.delimiter],
    ['marker', o.marker],
    ['max-keys', o.maxKeys],
    ['prefix', o.prefix],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (name === 'max-keys') checkCount('maxKeys', value, ctx, 1, 1000);
    else if (typeof value !== 'string') throw new Ks3InputError(name, 'must be a string', ctx);
    query.push([name, String(value)]);
  }
  const res = await send(client, { op: 'ListObjects', method: 'GET', bucket: ctx.bucket, query, signal: o.signal });
  return parseListObjects(await res.text());
}
