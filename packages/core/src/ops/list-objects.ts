/** List Objects, one page (ks3-protocol.md §4.12). */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { send } from '../request/send.js';
import type { QueryParam } from '../sign/subresources.js';
import { checkCount } from '../validate.js';
import { child, children, childText, type XmlNode } from '../xml.js';
import { type BucketOptions, checkText, type Ks3Result, target } from './common.js';
import { numberField, parseDocument } from './document.js';

/** Options of {@link listObjects}. */
export interface ListObjectsOptions extends BucketOptions {
  prefix?: string | undefined;
  /** Groups keys sharing a prefix up to this string into `commonPrefixes`. */
  delimiter?: string | undefined;
  /** List keys after this one (KS3's `marker`). */
  startAfter?: string | undefined;
  /** 1..1000 (KS3 caps it at 100 with a delimiter). */
  maxKeys?: number | undefined;
}

/** An object in a listing. */
export interface ObjectSummary {
  readonly type: 'object';
  key: string;
  lastModified: Date;
  etag: string;
  size: number;
  storageClass: string;
  owner?: { id: string; displayName: string } | undefined;
}

/** A common prefix ("directory") in a listing with a delimiter. */
export interface CommonPrefix {
  readonly type: 'prefix';
  prefix: string;
}

/** One page of a listing. */
export interface ListObjectsResult extends Ks3Result {
  bucket: string;
  prefix: string;
  startAfter: string;
  delimiter?: string | undefined;
  maxKeys: number;
  isTruncated: boolean;
  /** Where the next page starts (its `startAfter`); set whenever the page is truncated. */
  nextStartAfter?: string | undefined;
  contents: ObjectSummary[];
  commonPrefixes: CommonPrefix[];
}

function parseOwner(node: XmlNode | undefined): ObjectSummary['owner'] {
  return node ? { id: childText(node, 'ID') ?? '', displayName: childText(node, 'DisplayName') ?? '' } : undefined;
}

/** The object entries of a listing document (`Contents`), shared by V1 and V2 listings. */
export function parseContents(root: XmlNode, ctx: Ks3ErrorContext, decode = (s: string) => s): ObjectSummary[] {
  return children(root, 'Contents').map((c) => {
    const s: ObjectSummary = {
      type: 'object',
      key: decode(childText(c, 'Key') ?? ''),
      lastModified: new Date(childText(c, 'LastModified') ?? ''),
      etag: childText(c, 'ETag') ?? '',
      size: numberField(childText(c, 'Size'), 'Size', ctx, 0),
      storageClass: childText(c, 'StorageClass') ?? 'STANDARD',
    };
    const owner = parseOwner(child(c, 'Owner'));
    if (owner) s.owner = owner;
    return s;
  });
}

/** Parses a `ListBucketResult` root element. */
export function parseListObjects(root: XmlNode, ctx: Ks3ErrorContext = {}): Omit<ListObjectsResult, 'requestId'> {
  const contents = parseContents(root, ctx);
  const commonPrefixes: CommonPrefix[] = children(root, 'CommonPrefixes').map((p) => ({
    type: 'prefix',
    prefix: childText(p, 'Prefix') ?? '',
  }));
  const result: Omit<ListObjectsResult, 'requestId'> = {
    bucket: childText(root, 'Name') ?? '',
    prefix: childText(root, 'Prefix') ?? '',
    startAfter: childText(root, 'Marker') ?? '',
    maxKeys: numberField(childText(root, 'MaxKeys'), 'MaxKeys', ctx, 1000),
    isTruncated: childText(root, 'IsTruncated') === 'true',
    contents,
    commonPrefixes,
  };
  const delimiter = childText(root, 'Delimiter');
  if (delimiter) result.delimiter = delimiter;
  // §4.12: without NextMarker, the next page starts after the last entry of this one.
  const last = [...contents.map((c) => c.key), ...commonPrefixes.map((p) => p.prefix)].sort().pop();
  const next = childText(root, 'NextMarker') || (result.isTruncated ? last : undefined);
  if (next) result.nextStartAfter = next;
  return result;
}

/** Query parameters from string and count options, sorted by name as the reference sends them (§1.6). */
export function listQuery(
  params: ReadonlyArray<readonly [wire: string, option: string, value: unknown, kind: 'text' | 'count']>,
  ctx: Ks3ErrorContext,
  max = 1000,
): QueryParam[] {
  const out: QueryParam[] = [];
  for (const [wire, option, value, kind] of [...params].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (value === undefined || value === '') continue;
    if (kind === 'count') out.push([wire, String(checkCount(option, value, ctx, kind === 'count' ? 1 : 0, max))]);
    else out.push([wire, checkText(option, value, ctx)]);
  }
  return out;
}

/**
 * Lists one page of objects. Use `listAllObjects` to follow every page.
 * @throws {Ks3InputError} for maxKeys outside 1..1000.
 * @throws {Ks3ServiceError} e.g. `NoSuchBucket`.
 */
export async function listObjects(client: Client, o: ListObjectsOptions): Promise<ListObjectsResult> {
  const ctx = target('ListObjects', client, o, false);
  if ('marker' in o) throw new Ks3InputError('marker', 'is called startAfter', ctx);
  const query = listQuery(
    [
      ['delimiter', 'delimiter', o.delimiter, 'text'],
      ['marker', 'startAfter', o.startAfter, 'text'],
      ['max-keys', 'maxKeys', o.maxKeys, 'count'],
      ['prefix', 'prefix', o.prefix, 'text'],
    ],
    ctx,
  );
  const res = await send(client, {
    op: 'ListObjects',
    method: 'GET',
    bucket: ctx.bucket,
    query,
    headers: o.headers,
    signal: o.signal,
    read: 'text',
  });
  return { ...parseListObjects(await parseDocument(res, 'ListBucketResult', ctx), ctx), requestId: res.requestId };
}
