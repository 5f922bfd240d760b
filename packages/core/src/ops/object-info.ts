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
  const lm = headers.get('last-modified');
  if (lm) info.lastModified = new Date(lm);
  headers.forEach((value, name) => {
    if (name.startsWith('x-kss-meta-')) info.metadata[name.slice(11)] = value;
  });
  return info;
}
