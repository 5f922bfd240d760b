/**
 * What a request to sign really does, derived from its method, target and query (never from
 * the `operation` name the page claims): a backend signer judges this, so a page cannot call an
 * ACL change a "PutObject". Requests outside the table below are `Unknown` and never signed.
 */
import type { QueryParam } from '@ks3/core';

/** The operations the signing handler recognises (KS3's API names). */
export const SIGN_OPERATIONS = [
  'GetObject',
  'HeadObject',
  'PutObject',
  'CopyObject',
  'DeleteObject',
  'InitiateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
  'GetObjectAcl',
  'PutObjectAcl',
  'ListObjects',
  'ListObjectsV2',
  'ListMultipartUploads',
  'HeadBucket',
  'GetBucketLocation',
  'DeleteObjects',
  'ListBuckets',
] as const;

/** One of {@link SIGN_OPERATIONS}, or `Unknown`. */
export type SignOperation = (typeof SIGN_OPERATIONS)[number] | 'Unknown';

/** Operations that list keys: their `prefix` parameter is what a key-prefix rule checks. */
export const LISTING_OPERATIONS: ReadonlySet<SignOperation> = new Set([
  'ListObjects',
  'ListObjectsV2',
  'ListMultipartUploads',
]);

/** Query parameters that only shape an answer (listing position, paging, response headers). */
const PLAIN = new Set([
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
  'encoding-type',
  'start-after',
  'continuation-token',
  'fetch-owner',
  'list-type',
  'key-marker',
  'upload-id-marker',
  'max-uploads',
  'max-parts',
  'part-number-marker',
  'versionId',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
]);

/**
 * The operation of a request. `query` holds decoded parameters; `copySource` is whether the
 * request carries `x-kss-copy-source` (or `x-amz-copy-source`).
 */
export function deriveOperation(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: readonly QueryParam[],
  copySource: boolean,
): SignOperation {
  const names = new Set(query.map(([n]) => n));
  const has = (n: string): boolean => names.has(n);
  // Every parameter must be one this operation takes: an extra sub-resource changes the request.
  const only = (...allowed: string[]): boolean => [...names].every((n) => PLAIN.has(n) || allowed.includes(n));
  if (bucket === undefined) return method === 'GET' && names.size === 0 ? 'ListBuckets' : 'Unknown';
  if (key === undefined) {
    if (method === 'GET' && has('uploads') && only('uploads')) return 'ListMultipartUploads';
    if (method === 'GET' && has('location') && names.size === 1) return 'GetBucketLocation';
    if (method === 'GET' && only()) return has('list-type') ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'HEAD' && names.size === 0) return 'HeadBucket';
    if (method === 'POST' && has('delete') && names.size === 1) return 'DeleteObjects';
    return 'Unknown';
  }
  switch (method) {
    case 'GET':
      if (has('uploadId')) return only('uploadId') ? 'ListParts' : 'Unknown';
      if (has('acl')) return only('acl') ? 'GetObjectAcl' : 'Unknown';
      return only() ? 'GetObject' : 'Unknown';
    case 'HEAD':
      return only() ? 'HeadObject' : 'Unknown';
    case 'PUT':
      if (has('partNumber') && has('uploadId') && names.size === 2) return copySource ? 'UploadPartCopy' : 'UploadPart';
      if (has('acl') && names.size === 1) return copySource ? 'Unknown' : 'PutObjectAcl';
      if (names.size === 0) return copySource ? 'CopyObject' : 'PutObject';
      return 'Unknown';
    case 'POST':
      if (has('uploads') && names.size === 1) return 'InitiateMultipartUpload';
      if (has('uploadId') && names.size === 1) return 'CompleteMultipartUpload';
      return 'Unknown';
    case 'DELETE':
      if (has('uploadId') && names.size === 1) return 'AbortMultipartUpload';
      return names.size === 0 || (has('versionId') && names.size === 1) ? 'DeleteObject' : 'Unknown';
    default:
      return 'Unknown';
  }
}
