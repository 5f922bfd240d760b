/** Object metadata read from response headers (HEAD and GET, ks3-protocol.md §4.7). */
import type { Ks3Result } from './common.js';

/** What KS3 says about an object. */
export interface ObjectInfo extends Ks3Result {
  /**
   * The object's size in bytes: Content-Length of a HEAD or whole GET, the total of a ranged
   * GET's Content-Range; for a decrypted object the recorded plaintext size. Undefined when it
   * cannot be known exactly.
   */
  size: number | undefined;
  contentType?: string | undefined;
  /** With quotes, as KS3 sends it. */
  etag?: string | undefined;
  lastModified?: Date | undefined;
  /** `STANDARD` when KS3 does not say otherwise. */
  storageClass: string;
  /** User metadata (`x-kss-meta-*`), names lower-case without the prefix. */
  metadata: Record<string, string>;
  cacheControl?: string | undefined;
  contentDisposition?: string | undefined;
  contentEncoding?: string | undefined;
  contentLanguage?: string | undefined;
  expires?: string | undefined;
  versionId?: string | undefined;
  serverSideEncryption?: string | undefined;
  /** `Appendable` for an object made by `appendObject` (`x-kss-object-type`). */
  objectType?: string | undefined;
  /** For an appendable object: the `position` the next `appendObject` must give. */
  nextAppendPosition?: number | undefined;
  /** How many tags the object has (`x-kss-tagging-count`), when it has any. */
  tagCount?: number | undefined;
  /**
   * An archived object's restore (`x-kss-restore`): under way (`ongoing`), or done and readable
   * until `expiryDate`. Absent when no restore was asked for or the copy expired.
   */
  restore?: { ongoing: boolean; expiryDate?: Date | undefined } | undefined;
}

/** Parses `x-kss-restore`: `ongoing-request="true"` or `ongoing-request="false", expiry-date="…"`. */
export function parseRestoreHeader(value: string | null): ObjectInfo['restore'] {
  const ongoing = /ongoing-request="(true|false)"/i.exec(value ?? '');
  if (!ongoing) return undefined;
  const expiry = /expiry-date="([^"]+)"/i.exec(value ?? '');
  const date = expiry ? new Date(expiry[1]!) : undefined;
  return ongoing[1]!.toLowerCase() === 'true'
    ? { ongoing: true }
    : { ongoing: false, ...(date && !Number.isNaN(date.getTime()) ? { expiryDate: date } : {}) };
}

const OPTIONAL: ReadonlyArray<readonly [keyof ObjectInfo, string]> = [
  ['contentType', 'content-type'],
  ['etag', 'etag'],
  ['cacheControl', 'cache-control'],
  ['contentDisposition', 'content-disposition'],
  ['contentEncoding', 'content-encoding'],
  ['contentLanguage', 'content-language'],
  ['expires', 'expires'],
  ['versionId', 'x-kss-version-id'],
  ['serverSideEncryption', 'x-kss-server-side-encryption'],
  ['objectType', 'x-kss-object-type'],
];

/** A header's value as a non-negative integer, or undefined. */
export function lengthHeader(headers: Headers, name: string): number | undefined {
  const v = headers.get(name);
  return v !== null && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

/** Reads {@link ObjectInfo} from response headers. */
export function parseObjectInfo(headers: Headers): ObjectInfo {
  const info: ObjectInfo = {
    size: lengthHeader(headers, 'content-length'),
    storageClass: headers.get('x-kss-storage-class') ?? 'STANDARD',
    metadata: {},
    requestId: headers.get('x-kss-request-id') ?? undefined,
  };
  for (const [field, name] of OPTIONAL) {
    const v = headers.get(name);
    if (v !== null) (info as unknown as Record<string, string>)[field] = v;
  }
  const next = lengthHeader(headers, 'x-kss-next-append-position');
  if (next !== undefined) info.nextAppendPosition = next;
  const tagCount = lengthHeader(headers, 'x-kss-tagging-count');
  if (tagCount !== undefined) info.tagCount = tagCount;
  const restore = parseRestoreHeader(headers.get('x-kss-restore'));
  if (restore) info.restore = restore;
  const lm = headers.get('last-modified');
  if (lm) info.lastModified = new Date(lm);
  headers.forEach((value, name) => {
    if (name.startsWith('x-kss-meta-')) info.metadata[name.slice(11)] = value;
  });
  return info;
}
