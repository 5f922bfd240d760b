/** Object metadata read from response headers (HEAD and GET, ks3-protocol.md §4.7). */

/** What KS3 says about an object. */
export interface ObjectInfo {
  /** Bytes in this response (the range length for ranged GETs). */
  contentLength: number;
  contentType?: string;
  /** With quotes, as KS3 sends it. */
  etag?: string;
  lastModified?: Date;
  /** `STANDARD` when KS3 does not say otherwise. */
  storageClass: string;
  /** User metadata (`x-kss-meta-*`), names lower-case without the prefix. */
  metadata: Record<string, string>;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
  versionId?: string;
  serverSideEncryption?: string;
  requestId?: string;
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
  ['requestId', 'x-kss-request-id'],
];

/** Reads {@link ObjectInfo} from response headers. */
export function parseObjectInfo(headers: Headers): ObjectInfo {
  const info: ObjectInfo = {
    contentLength: Number(headers.get('content-length') ?? 0),
    storageClass: headers.get('x-kss-storage-class') ?? 'STANDARD',
    metadata: {},
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
