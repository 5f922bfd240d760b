/** List Object Versions, one page (`GET /{bucket}?versions`, S3's ListVersionsResult). */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { send } from '../request/send.js';
import type { QueryParam } from '../sign/subresources.js';
import { child, children, childText, localName, type XmlNode } from '../xml.js';
import { type BucketOptions, type Ks3Result, target } from './common.js';
import { numberField, parseDocument } from './document.js';
import { type CommonPrefix, listQuery } from './list-objects.js';

/** Options of {@link listObjectVersions}. */
export interface ListObjectVersionsOptions extends BucketOptions {
  prefix?: string | undefined;
  delimiter?: string | undefined;
  /** List versions of keys after this one (KS3's `key-marker`)… */
  startAfterKey?: string | undefined;
  /** …and, of that key, versions after this one (`version-id-marker`; needs `startAfterKey`). */
  startAfterVersionId?: string | undefined;
  /** 1..1000 (KS3 caps it at 100 with a delimiter). */
  maxKeys?: number | undefined;
}

/** A version of an object, or a delete marker (`type`), in a version listing. */
export interface ObjectVersion {
  readonly type: 'version' | 'deleteMarker';
  key: string;
  /** `null` for an object written before versioning was enabled. */
  versionId: string;
  /** True for the key's current version (or marker). */
  isLatest: boolean;
  lastModified: Date;
  /** Versions only (a delete marker has no content). */
  etag?: string | undefined;
  size?: number | undefined;
  storageClass?: string | undefined;
  owner?: { id: string; displayName: string } | undefined;
}

/** One page of a version listing. Entries come in key order, each key's versions newest first. */
export interface ListObjectVersionsResult extends Ks3Result {
  versions: ObjectVersion[];
  commonPrefixes: CommonPrefix[];
  isTruncated: boolean;
  /** Where the next page starts, set whenever the page is truncated. */
  nextStartAfterKey?: string | undefined;
  nextStartAfterVersionId?: string | undefined;
}

/** Parses a `ListVersionsResult` root element; versions and markers keep their document order. */
export function parseListVersions(
  root: XmlNode,
  ctx: Ks3ErrorContext = {},
): Omit<ListObjectVersionsResult, 'requestId'> {
  const versions: ObjectVersion[] = [];
  for (const node of children(root)) {
    const name = localName(node);
    if (name !== 'Version' && name !== 'DeleteMarker') continue;
    const v: ObjectVersion = {
      type: name === 'Version' ? 'version' : 'deleteMarker',
      key: childText(node, 'Key') ?? '',
      versionId: childText(node, 'VersionId') ?? 'null',
      isLatest: childText(node, 'IsLatest') === 'true',
      lastModified: new Date(childText(node, 'LastModified') ?? ''),
    };
    if (name === 'Version') {
      v.etag = childText(node, 'ETag') ?? '';
      v.size = numberField(childText(node, 'Size'), 'Size', ctx, 0);
      v.storageClass = childText(node, 'StorageClass') ?? 'STANDARD';
    }
    const owner = child(node, 'Owner');
    if (owner) v.owner = { id: childText(owner, 'ID') ?? '', displayName: childText(owner, 'DisplayName') ?? '' };
    versions.push(v);
  }
  const result: Omit<ListObjectVersionsResult, 'requestId'> = {
    versions,
    commonPrefixes: children(root, 'CommonPrefixes').map((p) => ({
      type: 'prefix',
      prefix: childText(p, 'Prefix') ?? '',
    })),
    isTruncated: childText(root, 'IsTruncated') === 'true',
  };
  const nk = childText(root, 'NextKeyMarker');
  const nv = childText(root, 'NextVersionIdMarker');
  if (nk) result.nextStartAfterKey = nk;
  if (nv) result.nextStartAfterVersionId = nv;
  return result;
}

/**
 * Lists one page of every version and delete marker under a prefix. Use
 * `listAllObjectVersions` to follow every page.
 * @throws {Ks3InputError} for maxKeys outside 1..1000, or a version marker without a key marker.
 * @example const page = await listObjectVersions(client, { bucket, prefix: 'logs/' });
 */
export async function listObjectVersions(
  client: Client,
  o: ListObjectVersionsOptions,
): Promise<ListObjectVersionsResult> {
  const ctx = target('ListObjectVersions', client, o, false);
  if (o.startAfterVersionId !== undefined && !o.startAfterKey)
    throw new Ks3InputError('startAfterVersionId', 'needs startAfterKey', ctx);
  const query: QueryParam[] = [
    ['versions'],
    ...listQuery(
      [
        ['delimiter', 'delimiter', o.delimiter, 'text'],
        ['key-marker', 'startAfterKey', o.startAfterKey, 'text'],
        ['max-keys', 'maxKeys', o.maxKeys, 'count'],
        ['prefix', 'prefix', o.prefix, 'text'],
        ['version-id-marker', 'startAfterVersionId', o.startAfterVersionId, 'text'],
      ],
      ctx,
    ),
  ];
  const res = await send(client, {
    op: 'ListObjectVersions',
    method: 'GET',
    bucket: ctx.bucket,
    query,
    headers: o.headers,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  return { ...parseListVersions(await parseDocument(res, 'ListVersionsResult', ctx), ctx), requestId: res.requestId };
}
