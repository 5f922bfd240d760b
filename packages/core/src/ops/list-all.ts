/** Listings that follow every page: objects, objects in a time window, parts, uploads. */
import type { Client } from '../client.js';
import { Ks3InputError } from '../errors.js';
import { listObjects, type CommonPrefix, type ListObjectsOptions, type ObjectSummary } from './list-objects.js';
import {
  listMultipartUploads,
  listParts,
  type ListPartsOptions,
  type ListUploadsOptions,
  type PartSummary,
  type UploadSummary,
} from './list-uploads.js';

/**
 * Every object (and, with a delimiter, every common prefix) under a prefix, following pages to
 * the end. Objects and prefixes come in key order; tell them apart by `type`.
 * @example for await (const item of listAllObjects(client, { bucket, delimiter: '/' })) console.log(item.type, item.type === 'object' ? item.key : item.prefix);
 */
export async function* listAllObjects(
  client: Client,
  o: Omit<ListObjectsOptions, 'marker'> & { startAfter?: string },
): AsyncGenerator<ObjectSummary | CommonPrefix> {
  let marker = o.startAfter;
  for (;;) {
    const page = await listObjects(client, { ...o, ...(marker === undefined ? {} : { marker }) });
    const items: (ObjectSummary | CommonPrefix)[] = [...page.contents, ...page.commonPrefixes];
    if (page.commonPrefixes.length) items.sort((a, b) => compareKeys(nameOf(a), nameOf(b)));
    yield* items;
    if (!page.isTruncated) return;
    if (!page.nextMarker || page.nextMarker === marker)
      throw new Ks3InputError('marker', 'the listing did not advance; stopping instead of looping', {
        operation: 'ListObjects',
        bucket: o.bucket,
      });
    marker = page.nextMarker;
  }
}

const nameOf = (i: ObjectSummary | CommonPrefix): string => (i.type === 'object' ? i.key : i.prefix);
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A point in time: a Date, or Unix seconds as in the Python guide. */
export type TimeInput = Date | number;

const instant = (t: TimeInput | undefined, param: string, bucket: string): number | undefined => {
  if (t === undefined) return undefined;
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t * 1000 : NaN;
  if (!Number.isFinite(ms))
    throw new Ks3InputError(param, 'must be a Date or Unix seconds', { operation: 'ListObjects', bucket });
  return ms;
};

/** Options of {@link listObjectsInTimeRange}. */
export interface TimeRangeOptions extends Omit<ListObjectsOptions, 'marker' | 'delimiter'> {
  /** Keep objects modified at or after this time. */
  startTime?: TimeInput;
  /** Keep objects modified at or before this time. */
  endTime?: TimeInput;
}

/**
 * Objects under a prefix whose LastModified lies in [startTime, endTime] (both inclusive,
 * either may be omitted), in key order. KS3 has no server-side time filter: every page is
 * listed and filtered here (the guide's `listObjects(filename, prefix, startTime, endTime)`).
 */
export async function* listObjectsInTimeRange(client: Client, o: TimeRangeOptions): AsyncGenerator<ObjectSummary> {
  const from = instant(o.startTime, 'startTime', o.bucket) ?? -Infinity;
  const to = instant(o.endTime, 'endTime', o.bucket) ?? Infinity;
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
export async function* listAllParts(
  client: Client,
  o: Omit<ListPartsOptions, 'partNumberMarker'>,
): AsyncGenerator<PartSummary> {
  let marker: number | undefined;
  for (;;) {
    const page = await listParts(client, { ...o, ...(marker === undefined ? {} : { partNumberMarker: marker }) });
    yield* page.parts;
    if (!page.isTruncated || page.nextPartNumberMarker === undefined || page.nextPartNumberMarker === marker) return;
    marker = page.nextPartNumberMarker;
  }
}

/** Every multipart upload in progress, following pages. */
export async function* listAllMultipartUploads(
  client: Client,
  o: Omit<ListUploadsOptions, 'keyMarker' | 'uploadIdMarker'>,
): AsyncGenerator<UploadSummary> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await listMultipartUploads(client, {
      ...o,
      ...(keyMarker === undefined ? {} : { keyMarker }),
      ...(uploadIdMarker === undefined ? {} : { uploadIdMarker }),
    });
    yield* page.uploads;
    if (!page.isTruncated || (page.nextKeyMarker === keyMarker && page.nextUploadIdMarker === uploadIdMarker)) return;
    keyMarker = page.nextKeyMarker;
    uploadIdMarker = page.nextUploadIdMarker;
  }
}
