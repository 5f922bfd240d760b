/**
 * The rows of the operation table (operations.ts) for the rest of KS3's API: batch delete,
 * buckets' configurations, tagging, versions, restore, append, fetch and the V2 listing.
 */
import type { CallArgs, OperationCase } from './operations.js';

const drain = async (it: AsyncIterable<unknown>): Promise<number> => {
  let n = 0;
  for await (const _ of it) n++;
  return n;
};

type Ops = Record<string, (client: unknown, o: unknown) => Promise<unknown>>;

/** put/get/delete of one bucket configuration; `parses` is the document the get reads. */
function config(name: string, parses: string | undefined, put: (a: CallArgs) => object): OperationCase[] {
  return [
    {
      name: `put${name}`,
      kind: 'request',
      call: (api, c, a) => (api as unknown as Ops)[`put${name}`]!(c, { ...a, ...put(a) }),
    },
    {
      name: `get${name}`,
      kind: 'request',
      ...(parses ? { parses } : {}),
      call: (api, c, a) => (api as unknown as Ops)[`get${name}`]!(c, a),
    },
    { name: `delete${name}`, kind: 'request', call: (api, c, a) => (api as unknown as Ops)[`delete${name}`]!(c, a) },
  ];
}

export const API_OPERATIONS: readonly OperationCase[] = [
  {
    name: 'deleteObjects',
    kind: 'request',
    parses: 'DeleteResult',
    call: (api, c, a) => api.deleteObjects(c, { ...a, objects: [a.key, 'second'] }),
  },
  { name: 'headBucket', kind: 'request', bodiless: true, call: (api, c, a) => api.headBucket(c, a) },
  {
    name: 'listObjectsV2',
    kind: 'request',
    parses: 'ListBucketResult',
    call: (api, c, a) => api.listObjectsV2(c, a),
  },
  {
    name: 'listObjectVersions',
    kind: 'request',
    parses: 'ListVersionsResult',
    call: (api, c, a) => api.listObjectVersions(c, a),
  },
  {
    name: 'listAllObjectVersions',
    kind: 'request',
    parses: 'ListVersionsResult',
    call: (api, c, a) => drain(api.listAllObjectVersions(c, a)),
  },
  { name: 'restoreObject', kind: 'request', call: (api, c, a) => api.restoreObject(c, { ...a, days: 1 }) },
  {
    name: 'appendObject',
    kind: 'request',
    // A successful append's answer has no body to read: its result is in the headers.
    bodiless: true,
    call: (api, c, a) => api.appendObject(c, { ...a, position: 0, body: 'x' }),
  },
  {
    name: 'fetchObject',
    kind: 'request',
    call: (api, c, a) => api.fetchObject(c, { ...a, sourceUrl: 'http://127.0.0.1:9/source.bin' }),
  },
  {
    name: 'putObjectTagging',
    kind: 'request',
    call: (api, c, a) => api.putObjectTagging(c, { ...a, tags: { a: 'b' } }),
  },
  { name: 'getObjectTagging', kind: 'request', parses: 'Tagging', call: (api, c, a) => api.getObjectTagging(c, a) },
  { name: 'deleteObjectTagging', kind: 'request', call: (api, c, a) => api.deleteObjectTagging(c, a) },
  {
    name: 'putBucketTagging',
    kind: 'request',
    call: (api, c, a) => api.putBucketTagging(c, { ...a, tags: { a: 'b' } }),
  },
  { name: 'getBucketTagging', kind: 'request', parses: 'Tagging', call: (api, c, a) => api.getBucketTagging(c, a) },
  { name: 'deleteBucketTagging', kind: 'request', call: (api, c, a) => api.deleteBucketTagging(c, a) },
  {
    name: 'putBucketVersioning',
    kind: 'request',
    call: (api, c, a) => api.putBucketVersioning(c, { ...a, status: 'Enabled' }),
  },
  {
    name: 'getBucketVersioning',
    kind: 'request',
    parses: 'VersioningConfiguration',
    call: (api, c, a) => api.getBucketVersioning(c, a),
  },
  ...config('BucketCors', 'CORSConfiguration', () => ({ rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET'] }] })),
  {
    name: 'checkCors',
    kind: 'request',
    parses: 'CORSConfiguration',
    call: (api, c, a) => api.checkCors(c, { ...a, origin: 'https://app.example.com' }),
  },
  ...config('BucketLifecycle', 'LifecycleConfiguration', () => ({
    rules: [{ id: 'r1', status: 'Enabled', expiration: { days: 30 } }],
  })),
  ...config('BucketPolicy', undefined, (a) => ({
    policy: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { KSC: ['*'] },
          Action: ['ks3:GetObject'],
          Resource: [`krn:ksc:ks3:::${a.bucket}/*`],
        },
      ],
    },
  })),
  ...config('BucketWebsite', 'WebsiteConfiguration', () => ({ website: { indexDocument: 'index.html' } })),
  ...config('BucketEncryption', 'ServerSideEncryptionConfiguration', () => ({ sseAlgorithm: 'AES256' })),
  ...config('BucketReplication', 'Replication', (a) => ({
    replication: { targetBucket: `${a.bucket}-copy`, deleteMarkerStatus: 'Disabled' },
  })),
  ...config('BucketMirror', undefined, () => ({
    mirror: {
      version: 'V3',
      async_mirror_rule: { mirror_urls: ['http://origin.example/'], saving_setting: { acl: 'private' } },
    },
  })),
];
