/**
 * Listings that follow every page: objects, objects in a time window, parts, uploads. One rule
 * for all: a page that points back to where the listing has already been (a marker that does
 * not advance, or a cycle a → b → a) is a {@link Ks3ProtocolError}, never an endless loop or a
 * silent stop.
 */
import type { Client } from '../client.js';
import { Ks3InputError, Ks3ProtocolError } from '../errors.js';
import { type ListObjectVersionsOptions, listObjectVersions, type ObjectVersion } from './list-object-versions.js';
import { type CommonPrefix, type ListObjectsOptions, listObjects, type ObjectSummary } from './list-objects.js';
import { listObjectsV2 } from './list-objects-v2.js';
import {
  type ListMultipartUploadsOptions,
  type ListPartsOptions,
  listMultipartUploads,
  listParts,
  type PartSummary,
  type UploadSummary,
} from './list-uploads.js';

/** Remembers every position a listing was asked from; a repeat is a protocol error. */
function positions(operation: string, bucket: string) {
  const seen = new Set<string>();
  return (position: string): void => {
    if (seen.has(position)) {
      throw new Ks3ProtocolError(`${operation}: the listing returned to a position it had already listed; stopping`, {
        operation,
        bucket,
      });
    }
    seen.add(position);
  };
}

/** Options of {@link listAllObjects}. */
export interface ListAllObjectsOptions extends ListObjectsOptions {
  /**
   * `1` (default): List Objects, paged by key markers; `2`: List Objects V2 (`listObjectsV2`),
   * paged by continuation tokens. Both yield the same items.
   */
  listType?: 1 | 2 | undefined;
  /** V2 only: include each object's owner (V1 always does). */
  fetchOwner?: boolean | undefined;
}

/**
 * Every object (and, with a delimiter, every common prefix) under a prefix, following pages to
 * the end. Objects and prefixes come in key order; tell them apart by `type`. (A paginator: it
 * yields items rather than resolving to one result.)
 * @throws {Ks3InputError} for a listType other than 1 or 2, or `fetchOwner` with V1.
 * @example for await (const item of listAllObjects(client, { bucket, delimiter: '/' })) console.log(item.type);
 */
export async function* listAllObjects(
  client: Client,
  o: ListAllObjectsOptions,
): AsyncGenerator<ObjectSummary | CommonPrefix> {
  const { listType = 1, fetchOwner, ...list } = o ?? ({} as ListAllObjectsOptions);
  const ctx = { operation: 'ListObjects', bucket: o?.bucket };
  if (listType !== 1 && listType !== 2) throw new Ks3InputError('listType', 'must be 1 or 2', ctx);
  if (listType === 1 && fetchOwner !== undefined) throw new Ks3InputError('fetchOwner', 'needs listType: 2', ctx);
  const visit = positions(listType === 2 ? 'ListObjectsV2' : 'ListObjects', o?.bucket);
  let startAfter = o?.startAfter;
  let token: string | undefined;
  visit(startAfter ?? '');
  for (;;) {
    const page =
      listType === 2
        ? await listObjectsV2(client, { ...list, fetchOwner, continuationToken: token })
        : await listObjects(client, { ...list, startAfter });
    const items: (ObjectSummary | CommonPrefix)[] = [...page.contents, ...page.commonPrefixes];
    if (page.commonPrefixes.length) items.sort((a, b) => compareKeys(nameOf(a), nameOf(b)));
    yield* items;
    if (!page.isTruncated) return;
    const next = 'keyCount' in page ? page.nextContinuationToken : page.nextStartAfter;
    if (!next) throw new Ks3ProtocolError(`${ctx.operation}: a truncated page without a next position`, ctx);
    // Tokens are opaque: kept apart from keys so a token can never collide with a key.
    visit(listType === 2 ? `token:${next}` : next);
    if (listType === 2) token = next;
    else startAfter = next;
  }
}

/**
 * Every version and delete marker (and, with a delimiter, every common prefix) under a prefix,
 * following pages to the end: keys in order, each key's versions newest first.
 * @example
 * for await (const v of listAllObjectVersions(client, { bucket })) if (v.type !== 'prefix') console.log(v.versionId);
 */
export async function* listAllObjectVersions(
  client: Client,
  o: ListObjectVersionsOptions,
): AsyncGenerator<ObjectVersion | CommonPrefix> {
  let key = o?.startAfterKey;
  let id = o?.startAfterVersionId;
  const visit = positions('ListObjectVersions', o?.bucket);
  visit(`${key ?? ''}\n${id ?? ''}`);
  for (;;) {
    const page = await listObjectVersions(client, { ...o, startAfterKey: key, startAfterVersionId: id });
    const items: (ObjectVersion | CommonPrefix)[] = [...page.versions];
    // Prefixes go where their name sorts; a key's versions stay together, newest first.
    for (const p of page.commonPrefixes) {
      const at = items.findIndex((i) => compareKeys(nameOf(i), p.prefix) > 0);
      items.splice(at < 0 ? items.length : at, 0, p);
    }
    yield* items;
    if (!page.isTruncated) return;
    if (!page.nextStartAfterKey)
      throw new Ks3ProtocolError('ListObjectVersions: a truncated page without a next key marker', {
        bucket: o.bucket,
      });
    key = page.nextStartAfterKey;
    id = page.nextStartAfterVersionId;
    visit(`${key}\n${id ?? ''}`);
  }
}

const nameOf = (i: ObjectSummary | ObjectVersion | CommonPrefix): string => (i.type === 'prefix' ? i.prefix : i.key);
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A point in time: a Date, or Unix seconds as in the Python guide. */
export type TimeInput = Date | number;

const instant = (t: TimeInput | undefined, param: string, bucket: string): number | undefined => {
  if (t === undefined) return undefined;
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t * 1000 : Number.NaN;
  if (!Number.isFinite(ms))
    throw new Ks3InputError(param, 'must be a Date or Unix seconds', { operation: 'ListObjects', bucket });
  return ms;
};

/** Options of {@link listObjectsInTimeRange}. */
export interface ListObjectsInTimeRangeOptions extends Omit<ListObjectsOptions, 'delimiter'> {
  /** Keep objects modified at or after this time. */
  startTime?: TimeInput | undefined;
  /** Keep objects modified at or before this time. */
  endTime?: TimeInput | undefined;
}

/**
 * Objects under a prefix whose LastModified lies in [startTime, endTime] (both inclusive,
 * either may be omitted), in key order. KS3 has no server-side time filter: every page is
 * listed and filtered here (the guide's `listObjects(filename, prefix, startTime, endTime)`).
 */
export async function* listObjectsInTimeRange(
  client: Client,
  o: ListObjectsInTimeRangeOptions,
): AsyncGenerator<ObjectSummary> {
  const from = instant(o.startTime, 'startTime', o.bucket) ?? Number.NEGATIVE_INFINITY;
  const to = instant(o.endTime, 'endTime', o.bucket) ?? Number.POSITIVE_INFINITY;
  if (from > to)
    throw new Ks3InputError('startTime', 'is after endTime', { operation: 'ListObjects', bucket: o.bucket });
  const { startTime: _s, endTime: _e, ...list } = o;
  for await (const item of listAllObjects(client, list)) {
    if (item.type !== 'object') continue;
    const t = item.lastModified.getTime();
    if (t >= from && t <= to) yield item;
  }
}

/** Every part of an upload, following pages. */
export async function* listAllParts(client: Client, o: ListPartsOptions): AsyncGenerator<PartSummary> {
  let after = o.startAfterPart;
  for (;;) {
    const page = await listParts(client, { ...o, startAfterPart: after });
    yield* page.parts;
    if (!page.isTruncated) return;
    const next = page.nextStartAfterPart;
    // Part numbers only grow: a next marker that does not is a loop.
    if (next === undefined || next <= (after ?? 0)) {
      throw new Ks3ProtocolError('ListParts: the listing did not advance; stopping', { bucket: o.bucket, key: o.key });
    }
    after = next;
  }
}

/** Every multipart upload in progress, following pages. */
export async function* listAllMultipartUploads(
  client: Client,
  o: ListMultipartUploadsOptions,
): AsyncGenerator<UploadSummary> {
  let key = o.startAfterKey;
  let id = o.startAfterUploadId;
  const visit = positions('ListMultipartUploads', o?.bucket);
  visit(`${key ?? ''}\n${id ?? ''}`);
  for (;;) {
    const page = await listMultipartUploads(client, { ...o, startAfterKey: key, startAfterUploadId: id });
    yield* page.uploads;
    if (!page.isTruncated) return;
    key = page.nextStartAfterKey;
    id = page.nextStartAfterUploadId;
    visit(`${key ?? ''}\n${id ?? ''}`);
  }
}
