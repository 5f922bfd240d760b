/**
 * Listings that follow every page: objects, objects in a time window, parts, uploads. One rule
 * for all: a page that points back to where the listing has already been (a marker that does
 * not advance, or a cycle a → b → a) is a {@link Ks3ProtocolError}, never an endless loop or a
 * silent stop.
 */
import type { Client } from '../client.js';
import { Ks3InputError, Ks3ProtocolError } from '../errors.js';
import { type CommonPrefix, type ListObjectsOptions, listObjects, type ObjectSummary } from './list-objects.js';
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
export type ListAllObjectsOptions = ListObjectsOptions;

/**
 * Every object (and, with a delimiter, every common prefix) under a prefix, following pages to
 * the end. Objects and prefixes come in key order; tell them apart by `type`. (A paginator: it
 * yields items rather than resolving to one result.)
 * @example for await (const item of listAllObjects(client, { bucket, delimiter: '/' })) console.log(item.type);
 */
export async function* listAllObjects(
  client: Client,
  o: ListAllObjectsOptions,
): AsyncGenerator<ObjectSummary | CommonPrefix> {
  let startAfter = o.startAfter;
  const visit = positions('ListObjects', o?.bucket);
  visit(startAfter ?? '');
  for (;;) {
    const page = await listObjects(client, { ...o, startAfter });
    const items: (ObjectSummary | CommonPrefix)[] = [...page.contents, ...page.commonPrefixes];
    if (page.commonPrefixes.length) items.sort((a, b) => compareKeys(nameOf(a), nameOf(b)));
    yield* items;
    if (!page.isTruncated) return;
    if (!page.nextStartAfter)
      throw new Ks3ProtocolError('ListObjects: a truncated page without a next marker', { bucket: o.bucket });
    visit(page.nextStartAfter);
    startAfter = page.nextStartAfter;
  }
}

const nameOf = (i: ObjectSummary | CommonPrefix): string => (i.type === 'object' ? i.key : i.prefix);
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
