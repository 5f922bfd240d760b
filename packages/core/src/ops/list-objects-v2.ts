/**
 * List Objects V2, one page (`GET /{bucket}?list-type=2`, docs.ksyun.com/documents/42287, S3's
 * V2 ListBucketResult): pages follow opaque continuation tokens instead of key markers.
 */
import type { Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { send } from '../request/send.js';
import { children, childText } from '../xml.js';
import { type BucketOptions, checkText, type Ks3Result, target } from './common.js';
import { numberField, parseDocument } from './document.js';
import { type CommonPrefix, listQuery, type ObjectSummary, parseContents } from './list-objects.js';

/** Options of {@link listObjectsV2}. */
export interface ListObjectsV2Options extends BucketOptions {
  prefix?: string | undefined;
  delimiter?: string | undefined;
  /** Start after this key (first page; a continuation token wins over it). */
  startAfter?: string | undefined;
  /** The `nextContinuationToken` of the previous page. */
  continuationToken?: string | undefined;
  /** 1..1000 (KS3 caps it at 100 with a delimiter). */
  maxKeys?: number | undefined;
  /** Include each object's owner (V2 leaves it out by default). */
  fetchOwner?: boolean | undefined;
}

/** One page of a V2 listing. */
export interface ListObjectsV2Result extends Ks3Result {
  bucket: string;
  prefix: string;
  delimiter?: string | undefined;
  startAfter?: string | undefined;
  /** The token this page was asked with. */
  continuationToken?: string | undefined;
  maxKeys: number;
  /** Keys and common prefixes on this page. */
  keyCount: number;
  isTruncated: boolean;
  /** Pass as `continuationToken` for the next page; set whenever the page is truncated. */
  nextContinuationToken?: string | undefined;
  contents: ObjectSummary[];
  commonPrefixes: CommonPrefix[];
}

/**
 * Lists one page of objects with KS3's V2 listing. `listAllObjects(client, { …, listType: 2 })`
 * follows every page.
 * @throws {Ks3InputError} for maxKeys outside 1..1000 or a non-boolean fetchOwner.
 * @throws {Ks3ServiceError} e.g. `NoSuchBucket`, `InvalidArgument` for a token KS3 did not issue.
 * @example
 * const page = await listObjectsV2(client, { bucket, prefix: 'logs/', maxKeys: 100 });
 * const next = await listObjectsV2(client, { bucket, prefix: 'logs/', continuationToken: page.nextContinuationToken });
 */
export async function listObjectsV2(client: Client, o: ListObjectsV2Options): Promise<ListObjectsV2Result> {
  const ctx = target('ListObjectsV2', client, o, false);
  if (o.fetchOwner !== undefined && typeof o.fetchOwner !== 'boolean')
    throw new Ks3InputError('fetchOwner', 'must be a boolean', ctx);
  const token =
    o.continuationToken === undefined ? undefined : checkText('continuationToken', o.continuationToken, ctx);
  const query = listQuery(
    [
      ['continuation-token', 'continuationToken', token, 'text'],
      ['delimiter', 'delimiter', o.delimiter, 'text'],
      ['fetch-owner', 'fetchOwner', o.fetchOwner ? 'true' : undefined, 'text'],
      ['list-type', 'listType', '2', 'text'],
      ['max-keys', 'maxKeys', o.maxKeys, 'count'],
      ['prefix', 'prefix', o.prefix, 'text'],
      ['start-after', 'startAfter', o.startAfter, 'text'],
    ],
    ctx,
  );
  const res = await send(client, {
    op: 'ListObjectsV2',
    method: 'GET',
    bucket: ctx.bucket,
    query,
    headers: o.headers,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  const root = await parseDocument(res, 'ListBucketResult', ctx);
  const result: ListObjectsV2Result = {
    bucket: childText(root, 'Name') ?? '',
    prefix: childText(root, 'Prefix') ?? '',
    maxKeys: numberField(childText(root, 'MaxKeys'), 'MaxKeys', ctx, 1000),
    keyCount: 0,
    isTruncated: childText(root, 'IsTruncated') === 'true',
    contents: parseContents(root, ctx),
    commonPrefixes: children(root, 'CommonPrefixes').map((p) => ({
      type: 'prefix',
      prefix: childText(p, 'Prefix') ?? '',
    })),
    requestId: res.requestId,
  };
  result.keyCount = numberField(
    childText(root, 'KeyCount'),
    'KeyCount',
    ctx,
    result.contents.length + result.commonPrefixes.length,
  );
  for (const [field, element] of [
    ['delimiter', 'Delimiter'],
    ['startAfter', 'StartAfter'],
    ['continuationToken', 'ContinuationToken'],
    ['nextContinuationToken', 'NextContinuationToken'],
  ] as const) {
    const v = childText(root, element);
    if (v) result[field] = v;
  }
  return result;
}
