/**
 * Every public operation of @ks3/core, each with one well-formed call that consumes what it
 * returns (a download's body, every page of a paginator). Tests drive the whole API through
 * this table (headers on every operation, the failure matrix); `missingOperations` makes them
 * fail when an export is neither in the table nor declared as something else, so a new
 * operation cannot be forgotten.
 */
import type * as Core from '@ks3/core';
import { API_OPERATIONS } from './operations-api.js';

type Api = typeof Core;

/** What a call of the table gets: the target, and what the test adds. */
export interface CallArgs {
  bucket: string;
  key: string;
  signal?: AbortSignal | undefined;
  headers?: Record<string, string> | undefined;
  /** For operations that take credentials instead of a client (presignPolicyUrlV4). */
  credentials?: Core.CredentialsSource | undefined;
}

export interface OperationCase {
  /** The export's name. */
  name: string;
  /**
   * `request`: sends requests; `presign`: only signs (no request); `local`: neither (pure
   * computation on the client's settings).
   */
  kind: 'request' | 'presign' | 'local';
  /** The response document a 2xx must carry, for operations that parse one. */
  parses?: string;
  /** The operation sends only HEAD requests (no response body to read or cut). */
  bodiless?: boolean;
  call(api: Api, client: Core.Client, a: CallArgs): Promise<unknown>;
}

const drain = async (it: AsyncIterable<unknown>): Promise<number> => {
  let n = 0;
  for await (const _ of it) n++;
  return n;
};
const upload = (a: CallArgs) => ({ ...a, uploadId: 'upload-1' });

export const OPERATIONS: readonly OperationCase[] = [
  ...API_OPERATIONS,
  { name: 'createBucket', kind: 'request', call: (api, c, a) => api.createBucket(c, a) },
  { name: 'deleteBucket', kind: 'request', call: (api, c, a) => api.deleteBucket(c, a) },
  {
    name: 'listBuckets',
    kind: 'request',
    parses: 'ListAllMyBucketsResult',
    call: (api, c, { signal, headers }) => api.listBuckets(c, { signal, headers }),
  },
  {
    name: 'emptyBucket',
    kind: 'request',
    parses: 'ListMultipartUploadsResult',
    call: (api, c, a) => api.emptyBucket(c, a),
  },
  {
    name: 'emptyAndDeleteBucket',
    kind: 'request',
    parses: 'ListMultipartUploadsResult',
    call: (api, c, a) => api.emptyAndDeleteBucket(c, a),
  },
  { name: 'getBucketAcl', kind: 'request', parses: 'AccessControlPolicy', call: (api, c, a) => api.getBucketAcl(c, a) },
  { name: 'putBucketAcl', kind: 'request', call: (api, c, a) => api.putBucketAcl(c, { ...a, acl: 'private' }) },
  { name: 'getObjectAcl', kind: 'request', parses: 'AccessControlPolicy', call: (api, c, a) => api.getObjectAcl(c, a) },
  { name: 'putObjectAcl', kind: 'request', call: (api, c, a) => api.putObjectAcl(c, { ...a, acl: 'public-read' }) },
  {
    name: 'getBucketLocation',
    kind: 'request',
    parses: 'LocationConstraint',
    call: (api, c, a) => api.getBucketLocation(c, a),
  },
  {
    name: 'getBucketLogging',
    kind: 'request',
    parses: 'BucketLoggingStatus',
    call: (api, c, a) => api.getBucketLogging(c, a),
  },
  { name: 'putBucketLogging', kind: 'request', call: (api, c, a) => api.putBucketLogging(c, { ...a, logging: null }) },
  { name: 'putObject', kind: 'request', call: (api, c, a) => api.putObject(c, { ...a, body: 'hello' }) },
  { name: 'getObject', kind: 'request', call: async (api, c, a) => (await api.getObject(c, a)).bytes() },
  { name: 'headObject', kind: 'request', bodiless: true, call: (api, c, a) => api.headObject(c, a) },
  {
    name: 'copyObject',
    kind: 'request',
    parses: 'CopyObjectResult',
    call: (api, c, a) => api.copyObject(c, { ...a, sourceBucket: a.bucket, sourceKey: 'source' }),
  },
  { name: 'deleteObject', kind: 'request', call: (api, c, a) => api.deleteObject(c, a) },
  { name: 'listObjects', kind: 'request', parses: 'ListBucketResult', call: (api, c, a) => api.listObjects(c, a) },
  {
    name: 'listAllObjects',
    kind: 'request',
    parses: 'ListBucketResult',
    call: (api, c, a) => drain(api.listAllObjects(c, a)),
  },
  {
    name: 'listObjectsInTimeRange',
    kind: 'request',
    parses: 'ListBucketResult',
    call: (api, c, a) => drain(api.listObjectsInTimeRange(c, { ...a, startTime: 0 })),
  },
  {
    name: 'listMultipartUploads',
    kind: 'request',
    parses: 'ListMultipartUploadsResult',
    call: (api, c, a) => api.listMultipartUploads(c, a),
  },
  {
    name: 'listAllMultipartUploads',
    kind: 'request',
    parses: 'ListMultipartUploadsResult',
    call: (api, c, a) => drain(api.listAllMultipartUploads(c, a)),
  },
  { name: 'listParts', kind: 'request', parses: 'ListPartsResult', call: (api, c, a) => api.listParts(c, upload(a)) },
  {
    name: 'listAllParts',
    kind: 'request',
    parses: 'ListPartsResult',
    call: (api, c, a) => drain(api.listAllParts(c, upload(a))),
  },
  {
    name: 'initiateMultipartUpload',
    kind: 'request',
    parses: 'InitiateMultipartUploadResult',
    call: (api, c, a) => api.initiateMultipartUpload(c, a),
  },
  {
    name: 'uploadPart',
    kind: 'request',
    call: (api, c, a) => api.uploadPart(c, { ...upload(a), partNumber: 1, body: 'part' }),
  },
  {
    name: 'uploadPartCopy',
    kind: 'request',
    parses: 'CopyPartResult',
    call: (api, c, a) => api.uploadPartCopy(c, { ...upload(a), partNumber: 1, sourceBucket: a.bucket, sourceKey: 's' }),
  },
  {
    name: 'completeMultipartUpload',
    kind: 'request',
    parses: 'CompleteMultipartUploadResult',
    call: (api, c, a) =>
      api.completeMultipartUpload(c, {
        ...upload(a),
        parts: [{ partNumber: 1, etag: '"0123456789abcdef0123456789abcdef"' }],
      }),
  },
  { name: 'abortMultipartUpload', kind: 'request', call: (api, c, a) => api.abortMultipartUpload(c, upload(a)) },
  {
    name: 'request',
    kind: 'request',
    call: async (api, c, a) => (await api.request(c, { ...a, method: 'GET', query: { tagging: '' } })).bytes(),
  },
  {
    name: 'presignUrl',
    kind: 'presign',
    call: (api, c, { bucket, key, signal }) => api.presignUrl(c, { bucket, key, expiresIn: 60, signal }),
  },
  {
    name: 'presignPolicyUrlV4',
    kind: 'presign',
    // Takes credentials rather than a client: the table's client is not used.
    call: (api, _c, { bucket, signal, credentials }) =>
      api.presignPolicyUrlV4(
        {
          credentials: credentials ?? { accessKeyId: 'AKLTtable', secretAccessKey: 'table-secret' },
          region: 'BEIJING',
          url: `https://${bucket}.ks3-cn-beijing.ksyuncs.com/`,
          policy: { conditions: [['eq', '$bucket', bucket]] },
          time: Date.now(),
          expires: Math.floor(Date.now() / 1000) + 600,
        },
        signal,
      ),
  },
  {
    name: 'encryptPart',
    kind: 'local',
    call: async (api, c) => {
      const { encryptionState } = await api.initiateMultipartUpload(c, { bucket: 'unused', key: 'unused' });
      return api.encryptPart(c, { encryptionState: encryptionState!, body: 'x', isLastPart: true });
    },
  },
];

/** Function exports of @ks3/core that are not operations on KS3. */
export const NOT_OPERATIONS = new Set([
  'checkCorsRules',
  'sdkRequestHeaders',
  'createClient',
  'createV2Signer',
  'createV4Signer',
  'inferRegion',
  'Ks3Error',
  'Ks3InputError',
  'Ks3ServiceError',
  'Ks3NetworkError',
  'Ks3IntegrityError',
  'Ks3ProtocolError',
  'Ks3CredentialsError',
  'isKs3Error',
  'isKs3ServiceError',
  'isKs3NetworkError',
  'isKs3IntegrityError',
  'isKs3InputError',
  'isKs3ProtocolError',
  'isKs3CredentialsError',
]);

/** Function exports of `api` that are neither in {@link OPERATIONS} nor in {@link NOT_OPERATIONS}. */
export function missingOperations(api: object): string[] {
  const known = new Set(OPERATIONS.map((o) => o.name));
  return Object.entries(api)
    .filter(([name, v]) => typeof v === 'function' && !known.has(name) && !NOT_OPERATIONS.has(name))
    .map(([name]) => name);
}
