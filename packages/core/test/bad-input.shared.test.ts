/**
 * Bad input fails with a Ks3InputError naming the parameter, before any request: the client's
 * fetch throws if it is ever called.
 */
import { describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/core';

const config = {
  endpoint: 'http://ks3.test',
  accessKeyId: 'AKLTunit',
  secretAccessKey: 'unit-secret',
  fetch: () => {
    throw new Error('no request may be sent for bad input');
  },
};
const client = KS3.createClient(config);
const b = 'bucket-ok';
const k = 'key';
const c = client;
const long = 'x'.repeat(1025);

const CASES: [string, string, () => Promise<unknown>][] = [
  ['bucket', 'upper case', () => KS3.createBucket(c, { bucket: 'MyBucket' })],
  ['bucket', 'too short', () => KS3.createBucket(c, { bucket: 'ab' })],
  ['bucket', 'too long', () => KS3.createBucket(c, { bucket: 'a'.repeat(64) })],
  ['bucket', 'a dot', () => KS3.putObject(c, { bucket: 'my.bucket', key: k, body: '' })],
  ['bucket', 'an underscore', () => KS3.getObject(c, { bucket: 'my_bucket', key: k })],
  ['bucket', 'leading dash', () => KS3.headObject(c, { bucket: '-bucket', key: k })],
  ['bucket', 'trailing dash', () => KS3.deleteObject(c, { bucket: 'bucket-', key: k })],
  ['bucket', 'not a string', () => KS3.listObjects(c, { bucket: 42 as unknown as string })],
  ['bucket', 'missing', () => KS3.deleteBucket(c, {} as never)],
  ['key', 'empty', () => KS3.putObject(c, { bucket: b, key: '', body: '' })],
  ['key', 'over 1024 characters', () => KS3.getObject(c, { bucket: b, key: long })],
  ['key', 'a lone surrogate', () => KS3.getObject(c, { bucket: b, key: 'a\uD800b' })],
  ['key', "a '..' segment", () => KS3.deleteObject(c, { bucket: b, key: 'x/../y' })],
  ['key', "a '.' segment", () => KS3.headObject(c, { bucket: b, key: './y' })],
  ['key', '@style@', () => KS3.putObject(c, { bucket: b, key: 'a@style@b', body: '' })],
  ['key', 'not a string', () => KS3.headObject(c, { bucket: b, key: null as unknown as string })],
  ['expiresIn', 'negative', () => KS3.presignUrl(c, { bucket: b, key: k, expiresIn: -5 })],
  ['expiresIn', 'NaN', () => KS3.presignUrl(c, { bucket: b, key: k, expiresIn: Number.NaN })],
  ['expiresIn', 'zero', () => KS3.presignUrl(c, { bucket: b, key: k, expiresIn: 0 })],
  ['expires', 'an invalid Date', () => KS3.presignUrl(c, { bucket: b, key: k, expires: new Date('nope') })],
  ['expires', 'both given', () => KS3.presignUrl(c, { bucket: b, key: k, expires: 5, expiresIn: 5 })],
  ['method', 'POST', () => KS3.presignUrl(c, { bucket: b, key: k, expiresIn: 5, method: 'POST' as 'GET' })],
  ['range', 'end before start', () => KS3.getObject(c, { bucket: b, key: k, range: { start: 10, end: 2 } })],
  ['range', 'negative start', () => KS3.getObject(c, { bucket: b, key: k, range: { start: -1 } })],
  ['range', 'fractional', () => KS3.getObject(c, { bucket: b, key: k, range: { start: 1.5 } })],
  ['body', 'a number', () => KS3.putObject(c, { bucket: b, key: k, body: 42 as unknown as string })],
  ['body', 'null', () => KS3.putObject(c, { bucket: b, key: k, body: null as unknown as string })],
  ['body', 'a plain object', () => KS3.putObject(c, { bucket: b, key: k, body: { a: 1 } as unknown as string })],
  ['size', 'contradicting the body', () => KS3.putObject(c, { bucket: b, key: k, body: 'abc', size: 4 })],
  ['size', 'negative', () => KS3.putObject(c, { bucket: b, key: k, body: new ReadableStream(), size: -1 })],
  [
    'storageClass',
    'not shaped like a storage class',
    () => KS3.putObject(c, { bucket: b, key: k, body: '', storageClass: 'deep archive' }),
  ],
  ['acl', 'not a canned ACL', () => KS3.putObject(c, { bucket: b, key: k, body: '', acl: 'public' as 'private' })],
  ['acl', 'unknown on a bucket', () => KS3.putBucketAcl(c, { bucket: b, acl: 'everyone' as 'private' })],
  ['acl', 'a malformed policy', () => KS3.putBucketAcl(c, { bucket: b, acl: { owner: {}, grants: 'all' } as never })],
  [
    'permission',
    'unknown grant permission',
    () =>
      KS3.putObjectAcl(c, {
        bucket: b,
        key: k,
        acl: {
          owner: { id: 'x' },
          grants: [{ grantee: { type: 'Group', uri: KS3.ALL_USERS }, permission: 'ALL' as 'READ' }],
        },
      }),
  ],
  ['metadata', 'non-ASCII value', () => KS3.putObject(c, { bucket: b, key: k, body: '', metadata: { city: '上海' } })],
  [
    'metadata',
    'a space in the name',
    () => KS3.putObject(c, { bucket: b, key: k, body: '', metadata: { 'my name': 'x' } }),
  ],
  [
    'header content-disposition',
    'a line break',
    () => KS3.putObject(c, { bucket: b, key: k, body: '', contentDisposition: 'a\nb' }),
  ],
  ['maxKeys', 'over 1000', () => KS3.listObjects(c, { bucket: b, maxKeys: 1001 })],
  ['maxKeys', 'zero', () => KS3.listObjects(c, { bucket: b, maxKeys: 0 })],
  ['partNumber', 'zero', () => KS3.uploadPart(c, { bucket: b, key: k, uploadId: 'u', partNumber: 0, body: 'x' })],
  [
    'partNumber',
    'over 10000',
    () => KS3.uploadPart(c, { bucket: b, key: k, uploadId: 'u', partNumber: 10001, body: 'x' }),
  ],
  ['uploadId', 'empty', () => KS3.abortMultipartUpload(c, { bucket: b, key: k, uploadId: '' })],
  ['parts', 'empty list', () => KS3.completeMultipartUpload(c, { bucket: b, key: k, uploadId: 'u', parts: [] })],
  [
    'parts',
    'descending',
    () =>
      KS3.completeMultipartUpload(c, {
        bucket: b,
        key: k,
        uploadId: 'u',
        parts: [
          { partNumber: 2, etag: '"a"' },
          { partNumber: 1, etag: '"b"' },
        ],
      }),
  ],
  [
    'metadataDirective',
    'unknown',
    () =>
      KS3.copyObject(c, { bucket: b, key: k, sourceBucket: b, sourceKey: 'src', metadataDirective: 'MOVE' as 'COPY' }),
  ],
  [
    'callback',
    'not an http URL',
    () => KS3.putObject(c, { bucket: b, key: k, body: '', callback: { url: 'ftp://x', body: 'a=b' } }),
  ],
  [
    'response',
    'unknown override',
    () => KS3.getObject(c, { bucket: b, key: k, response: { contentColour: 'red' } as never }),
  ],
  [
    'startTime',
    'after endTime',
    () => KS3.listObjectsInTimeRange(c, { bucket: b, startTime: 100, endTime: 50 }).next(),
  ],
  [
    'startTime',
    'not a time',
    () => KS3.listObjectsInTimeRange(c, { bucket: b, startTime: 'yesterday' as unknown as number }).next(),
  ],
  ['location', 'empty', () => KS3.createBucket(c, { bucket: b, location: '' })],
  // The README's quick start with the environment variables unset (issue 9.15).
  [
    'accessKeyId',
    'undefined',
    async () => KS3.createClient({ endpoint: 'h.test', accessKeyId: undefined, secretAccessKey: 'x' }),
  ],
  [
    'secretAccessKey',
    'empty',
    async () => KS3.createClient({ endpoint: 'h.test', accessKeyId: 'AK', secretAccessKey: '' }),
  ],
  ['accessKeyId', 'empty', async () => KS3.createClient({ endpoint: 'h.test', accessKeyId: '', secretAccessKey: 'x' })],
  [
    'secretAccessKey',
    'undefined (an unset environment variable)',
    async () => KS3.createClient({ endpoint: 'h.test', accessKeyId: 'AK', secretAccessKey: undefined }),
  ],
  [
    'accessKeyId',
    'both keys present but undefined',
    async () => KS3.createClient({ endpoint: 'h.test', accessKeyId: undefined, secretAccessKey: undefined }),
  ],
  [
    'securityToken',
    'present but empty',
    async () => KS3.createClient({ endpoint: 'h.test', accessKeyId: 'AK', secretAccessKey: 'x', securityToken: '' }),
  ],
  ['anonymous', 'not a boolean', async () => KS3.createClient({ endpoint: 'h.test', anonymous: 'yes' as never })],
  [
    'anonymous',
    'with a signer',
    async () =>
      KS3.createClient({ endpoint: 'h.test', anonymous: true, signer: async (r) => ({ url: r.url, headers: {} }) }),
  ],
  [
    'credentials',
    'keys and credentials',
    async () =>
      KS3.createClient({
        endpoint: 'h.test',
        accessKeyId: 'a',
        secretAccessKey: 'b',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      }),
  ],
  [
    'anonymous',
    'with keys',
    async () => KS3.createClient({ endpoint: 'h.test', anonymous: true, accessKeyId: 'a', secretAccessKey: 'b' }),
  ],
  [
    'credentials',
    'a secret with a line break',
    async () => KS3.createClient({ endpoint: 'h.test', credentials: { accessKeyId: 'AK\n', secretAccessKey: 'b' } }),
  ],
  [
    'region',
    'V4 without one',
    async () => KS3.createClient({ endpoint: 'http://h.test', signatureVersion: 'v4', anonymous: true }),
  ],
  [
    'endpoint',
    'already naming the bucket',
    async () => KS3.createClient({ endpoint: 'my-bucket.ks3-cn-beijing.ksyuncs.com', anonymous: true }),
  ],
  [
    'endpoint',
    'a URL already naming the bucket',
    async () => KS3.createClient({ endpoint: 'https://my-bucket.ks3-cn-beijing.ksyuncs.com', anonymous: true }),
  ],
  [
    'endpoint',
    'an internal endpoint already naming the bucket',
    async () => KS3.createClient({ endpoint: 'my-bucket.ks3-cn-beijing-internal.ksyuncs.com', anonymous: true }),
  ],
  [
    'addressing',
    'virtual on an IP endpoint',
    async () => KS3.createClient({ endpoint: 'http://10.0.0.1', addressing: 'virtual', anonymous: true }),
  ],
  // The crypto seams (issue 14.1): a platform's primitives are functions.
  ['aesCbc', 'not a function', async () => KS3.createClient({ endpoint: 'h.test', aesCbc: {} as never })],
  ['hmac', 'not a function', async () => KS3.createClient({ endpoint: 'h.test', hmac: 'sha256' as never })],
  ['sha256', 'not a function', async () => KS3.createClient({ endpoint: 'h.test', sha256: 1 as never })],
  ['md5Pool', 'without session()', async () => KS3.createClient({ endpoint: 'h.test', md5Pool: {} as never })],
  ['expires', 'in milliseconds', () => KS3.presignUrl(c, { bucket: b, key: k, expires: Date.now() + 60_000 })],
  ['expires', 'in the past', () => KS3.presignUrl(c, { bucket: b, key: k, expires: 1_000_000 })],
  [
    'expires',
    'a Date in the past',
    () => KS3.presignUrl(c, { bucket: b, key: k, expires: new Date(Date.now() - 1000) }),
  ],
  [
    'expiresIn',
    'beyond the V4 limit of 7 days',
    () =>
      KS3.presignUrl(
        KS3.createClient({ endpoint: 'ks3-cn-beijing.ksyuncs.com', accessKeyId: 'AK', secretAccessKey: 'x' }),
        {
          bucket: b,
          key: k,
          expiresIn: 7 * 86_400 + 1,
        },
      ),
  ],
  ['expiresIn', '1e21 seconds', () => KS3.presignUrl(c, { bucket: b, key: k, expiresIn: 1e21 })],
  ['expiresIn', 'a fraction of a second', () => KS3.presignUrl(c, { bucket: b, key: k, expiresIn: 0.0001 })],
  [
    'headers',
    'content-length (set by the SDK)',
    () => KS3.putObject(c, { bucket: b, key: k, body: '', headers: { 'content-length': '1' } }),
  ],
  [
    'headers',
    'contradicting an option',
    () => KS3.putObject(c, { bucket: b, key: k, body: '', contentType: 'a/b', headers: { 'Content-Type': 'c/d' } }),
  ],
  ['headers', 'a bad name', () => KS3.getObject(c, { bucket: b, key: k, headers: { 'x y': '1' } })],
  [
    'header x-kss-meta-a',
    'a line break',
    () => KS3.headObject(c, { bucket: b, key: k, headers: { 'x-kss-meta-a': 'a\r\nb' } }),
  ],
  ['prefix', 'a lone surrogate', () => KS3.listObjects(c, { bucket: b, prefix: 'a\uD800' })],
  ['uploadId', 'a lone surrogate', () => KS3.listParts(c, { bucket: b, key: k, uploadId: '\uDC00' })],
  ['versionId', 'a lone surrogate', () => KS3.getObject(c, { bucket: b, key: k, versionId: 'v\uD800' })],
  ['client', 'null', () => KS3.putObject(null as never, { bucket: b, key: k, body: '' })],
  ['client', 'not made by createClient', () => KS3.headObject({ host: 'x' } as never, { bucket: b, key: k })],
  ['options', 'missing', () => KS3.getObject(c, undefined as never)],
  ['signal', 'not an AbortSignal', () => KS3.getObject(c, { bucket: b, key: k, signal: {} as AbortSignal })],
  ['startAfterPart', 'negative', () => KS3.listParts(c, { bucket: b, key: k, uploadId: 'u', startAfterPart: -1 })],
  // Issue 13: the object API beyond the guide.
  [
    'objects',
    '1,001 keys',
    () => KS3.deleteObjects(c, { bucket: b, objects: Array.from({ length: 1001 }, (_, i) => `k${i}`) }),
  ],
  ['objects', 'none', () => KS3.deleteObjects(c, { bucket: b, objects: [] })],
  ['objects', 'not an array', () => KS3.deleteObjects(c, { bucket: b, objects: 'a' as never })],
  ['objects[1].key', 'empty', () => KS3.deleteObjects(c, { bucket: b, objects: ['a', ''] })],
  ['objects[0].key', 'a control character', () => KS3.deleteObjects(c, { bucket: b, objects: ['a\u0001b'] })],
  ['objects[0].versionId', 'empty', () => KS3.deleteObjects(c, { bucket: b, objects: [{ key: 'a', versionId: '' }] })],
  ['quiet', 'not a boolean', () => KS3.deleteObjects(c, { bucket: b, objects: ['a'], quiet: 'yes' as never })],
  ['bucket', 'headBucket of a bad name', () => KS3.headBucket(c, { bucket: 'Bad_Bucket' })],
  [
    'tags',
    '11 tags on an object',
    () =>
      KS3.putObjectTagging(c, {
        bucket: b,
        key: k,
        tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`t${i}`, 'v'])),
      }),
  ],
  [
    'tags',
    'a key over 128 bytes',
    () => KS3.putObject(c, { bucket: b, key: k, body: '', tags: { ['k'.repeat(129)]: 'v' } }),
  ],
  [
    'tags',
    'a value over 256 bytes',
    () => KS3.putObjectTagging(c, { bucket: b, key: k, tags: { a: 'v'.repeat(257) } }),
  ],
  ['tags', 'an empty value', () => KS3.putObjectTagging(c, { bucket: b, key: k, tags: { a: '' } })],
  [
    'tags',
    'a character KS3 refuses',
    () => KS3.initiateMultipartUpload(c, { bucket: b, key: k, tags: { 'a#b': 'v' } }),
  ],
  ['tags', 'non-ASCII text', () => KS3.putObjectTagging(c, { bucket: b, key: k, tags: { 城市: '上海' } })],
  ['tags', 'a leading space', () => KS3.putObjectTagging(c, { bucket: b, key: k, tags: { ' a': 'v' } })],
  ['tags', 'the reserved kss: prefix', () => KS3.putObjectTagging(c, { bucket: b, key: k, tags: { 'kss:a': 'v' } })],
  ['tags', 'a number value', () => KS3.putBucketTagging(c, { bucket: b, tags: { a: 1 } as never })],
  ['tags', 'an array', () => KS3.putBucketTagging(c, { bucket: b, tags: [['a', 'b']] as never })],
  [
    'taggingDirective',
    'unknown',
    () =>
      KS3.copyObject(c, { bucket: b, key: k, sourceBucket: b, sourceKey: 's', taggingDirective: 'MERGE' as 'COPY' }),
  ],
  [
    'tags',
    'with taggingDirective COPY',
    () =>
      KS3.copyObject(c, {
        bucket: b,
        key: k,
        sourceBucket: b,
        sourceKey: 's',
        taggingDirective: 'COPY',
        tags: { a: 'b' },
      }),
  ],
  [
    'headers',
    'x-kss-tagging contradicting tags',
    () => KS3.putObject(c, { bucket: b, key: k, body: '', tags: { a: 'b' }, headers: { 'x-kss-tagging': 'c=d' } }),
  ],
  ['versionId', 'empty on tagging', () => KS3.getObjectTagging(c, { bucket: b, key: k, versionId: '' })],
  ['status', 'not Enabled or Suspended', () => KS3.putBucketVersioning(c, { bucket: b, status: 'On' as 'Enabled' })],
  [
    'startAfterVersionId',
    'without startAfterKey',
    () => KS3.listObjectVersions(c, { bucket: b, startAfterVersionId: 'v1' }),
  ],
  ['maxKeys', 'over 1000 for versions', () => KS3.listObjectVersions(c, { bucket: b, maxKeys: 5000 })],
  ['fetchOwner', 'not a boolean', () => KS3.listObjectsV2(c, { bucket: b, fetchOwner: 'true' as never })],
  ['continuationToken', 'a lone surrogate', () => KS3.listObjectsV2(c, { bucket: b, continuationToken: '\uD800' })],
  ['listType', '3', () => KS3.listAllObjects(c, { bucket: b, listType: 3 as 2 }).next()],
  ['fetchOwner', 'with listType 1', () => KS3.listAllObjects(c, { bucket: b, fetchOwner: true }).next()],
  ['days', 'zero', () => KS3.restoreObject(c, { bucket: b, key: k, days: 0 })],
  ['days', 'over 365', () => KS3.restoreObject(c, { bucket: b, key: k, days: 366 })],
  ['days', 'fractional', () => KS3.restoreObject(c, { bucket: b, key: k, days: 1.5 })],
  ['position', 'negative', () => KS3.appendObject(c, { bucket: b, key: k, position: -1, body: 'x' })],
  ['position', 'missing', () => KS3.appendObject(c, { bucket: b, key: k, body: 'x' } as never)],
  [
    'contentMd5',
    'a number',
    () => KS3.appendObject(c, { bucket: b, key: k, position: 0, body: 'x', contentMd5: 5 as never }),
  ],
  [
    'encryption',
    'append with an encrypting client',
    () =>
      KS3.appendObject(KS3.createClient({ ...config, encryption: { key: 'ks3-demo-key-16b' } }), {
        bucket: b,
        key: k,
        position: 0,
        body: 'x',
      }),
  ],
  ['sourceUrl', 'not a URL', () => KS3.fetchObject(c, { bucket: b, key: k, sourceUrl: 'example.com/a.png' })],
  ['sourceUrl', 'an ftp URL', () => KS3.fetchObject(c, { bucket: b, key: k, sourceUrl: 'ftp://example.com/a' })],
  [
    'force',
    'not a boolean',
    () => KS3.fetchObject(c, { bucket: b, key: k, sourceUrl: 'http://x.test/', force: 1 as never }),
  ],
  // Bucket configurations.
  ['rules', 'no lifecycle rules', () => KS3.putBucketLifecycle(c, { bucket: b, rules: [] })],
  [
    'rules',
    '1,001 lifecycle rules',
    () =>
      KS3.putBucketLifecycle(c, {
        bucket: b,
        rules: Array.from({ length: 1001 }, () => ({ status: 'Enabled' as const, expiration: { days: 1 } })),
      }),
  ],
  [
    'rules[0]',
    'a rule without an action',
    () => KS3.putBucketLifecycle(c, { bucket: b, rules: [{ status: 'Enabled' }] }),
  ],
  [
    'rules[0].status',
    'not Enabled or Disabled',
    () => KS3.putBucketLifecycle(c, { bucket: b, rules: [{ status: 'On' as 'Enabled', expiration: { days: 1 } }] }),
  ],
  [
    'rules[0].expiration.days',
    'zero days',
    () => KS3.putBucketLifecycle(c, { bucket: b, rules: [{ status: 'Enabled', expiration: { days: 0 } }] }),
  ],
  [
    'rules[0].expiration',
    'both days and date',
    () =>
      KS3.putBucketLifecycle(c, {
        bucket: b,
        rules: [{ status: 'Enabled', expiration: { days: 1, date: '2030-01-01T00:00:00Z' } as never }],
      }),
  ],
  [
    'rules[0].expiration.date',
    'a date without a zone',
    () => KS3.putBucketLifecycle(c, { bucket: b, rules: [{ status: 'Enabled', expiration: { date: '2030-01-01' } }] }),
  ],
  [
    'rules[0].transitions[0].storageClass',
    'an unknown class',
    () =>
      KS3.putBucketLifecycle(c, {
        bucket: b,
        rules: [{ status: 'Enabled', transitions: [{ days: 30, storageClass: 'GLACIER' as 'ARCHIVE' }] }],
      }),
  ],
  [
    'rules[1].id',
    'a repeated id',
    () =>
      KS3.putBucketLifecycle(c, {
        bucket: b,
        rules: [
          { id: 'x', status: 'Enabled', expiration: { days: 1 } },
          { id: 'x', status: 'Enabled', expiration: { days: 2 } },
        ],
      }),
  ],
  [
    'rules[0]',
    'tags with an upload abort',
    () =>
      KS3.putBucketLifecycle(c, {
        bucket: b,
        rules: [{ status: 'Enabled', filter: { tags: { a: 'b' } }, abortIncompleteMultipartUpload: { days: 1 } }],
      }),
  ],
  [
    'rules[0].filter.tags',
    'a tag KS3 refuses',
    () =>
      KS3.putBucketLifecycle(c, {
        bucket: b,
        rules: [{ status: 'Enabled', filter: { tags: { 'a#': 'b' } }, expiration: { days: 1 } }],
      }),
  ],
  [
    'rules[0].filter',
    'sizes leaving no room',
    () =>
      KS3.putBucketLifecycle(c, {
        bucket: b,
        rules: [
          { status: 'Enabled', filter: { objectSizeGreaterThan: 10, objectSizeLessThan: 11 }, expiration: { days: 1 } },
        ],
      }),
  ],
  ['rules', 'no CORS rules', () => KS3.putBucketCors(c, { bucket: b, rules: [] })],
  ['origin', 'without a scheme', () => KS3.checkCors(c, { bucket: b, origin: 'app.example.com' })],
  ['origin', 'with a path', () => KS3.checkCors(c, { bucket: b, origin: 'https://app.example.com/page' })],
  ['origin', 'empty', () => KS3.checkCors(c, { bucket: b, origin: '' })],
  [
    'rules',
    '101 CORS rules',
    () =>
      KS3.putBucketCors(c, {
        bucket: b,
        rules: Array.from({ length: 101 }, () => ({ allowedOrigins: ['*'], allowedMethods: ['GET' as const] })),
      }),
  ],
  [
    'rules[0].allowedMethods',
    'PATCH',
    () => KS3.putBucketCors(c, { bucket: b, rules: [{ allowedOrigins: ['*'], allowedMethods: ['PATCH' as 'GET'] }] }),
  ],
  [
    'rules[0].allowedOrigins',
    'none',
    () => KS3.putBucketCors(c, { bucket: b, rules: [{ allowedOrigins: [], allowedMethods: ['GET'] }] }),
  ],
  [
    'rules[0].allowedOrigins[0]',
    'two wildcards',
    () =>
      KS3.putBucketCors(c, { bucket: b, rules: [{ allowedOrigins: ['https://*.*.com'], allowedMethods: ['GET'] }] }),
  ],
  [
    'rules[0].exposeHeaders',
    'not a header name',
    () =>
      KS3.putBucketCors(c, {
        bucket: b,
        rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET'], exposeHeaders: ['a b'] }],
      }),
  ],
  [
    'rules[0].maxAgeSeconds',
    'negative',
    () =>
      KS3.putBucketCors(c, {
        bucket: b,
        rules: [{ allowedOrigins: ['*'], allowedMethods: ['GET'], maxAgeSeconds: -1 }],
      }),
  ],
  ['policy', 'not JSON', () => KS3.putBucketPolicy(c, { bucket: b, policy: '{"Statement": [' })],
  [
    'policy',
    'JSON without statements',
    () => KS3.putBucketPolicy(c, { bucket: b, policy: '{"Version":"2015-11-01"}' }),
  ],
  ['policy', 'an array', () => KS3.putBucketPolicy(c, { bucket: b, policy: [] as never })],
  [
    'website.indexDocument',
    'missing',
    () => KS3.putBucketWebsite(c, { bucket: b, website: { errorDocument: 'e.html' } }),
  ],
  [
    'website.indexDocument',
    'with a slash',
    () => KS3.putBucketWebsite(c, { bucket: b, website: { indexDocument: 'a/index.html' } }),
  ],
  [
    'website',
    'redirect-all with an index',
    () =>
      KS3.putBucketWebsite(c, {
        bucket: b,
        website: { indexDocument: 'i.html', redirectAllRequestsTo: { hostName: 'example.com' } },
      }),
  ],
  [
    'website.routingRules[0].redirect',
    'both replacements',
    () =>
      KS3.putBucketWebsite(c, {
        bucket: b,
        website: {
          indexDocument: 'i.html',
          routingRules: [{ redirect: { replaceKeyWith: 'a', replaceKeyPrefixWith: 'b' } }],
        },
      }),
  ],
  ['sseAlgorithm', 'KMS', () => KS3.putBucketEncryption(c, { bucket: b, sseAlgorithm: 'aws:kms' as 'AES256' })],
  [
    'bucket',
    'a replication target that is not a bucket name',
    () =>
      KS3.putBucketReplication(c, {
        bucket: b,
        replication: { targetBucket: 'Not_A_Bucket', deleteMarkerStatus: 'Enabled' },
      }),
  ],
  [
    'replication.prefixes',
    'overlapping',
    () =>
      KS3.putBucketReplication(c, {
        bucket: b,
        replication: { targetBucket: 'other-bucket', deleteMarkerStatus: 'Enabled', prefixes: ['a/', 'a/b/'] },
      }),
  ],
  [
    'replication.deleteMarkerStatus',
    'missing',
    () => KS3.putBucketReplication(c, { bucket: b, replication: { targetBucket: 'other-bucket' } as never }),
  ],
  ['mirror', 'no rules', () => KS3.putBucketMirror(c, { bucket: b, mirror: { version: 'V3' } })],
  ['mirror.version', 'missing', () => KS3.putBucketMirror(c, { bucket: b, mirror: {} as never })],
  [
    'mirror.async_mirror_rule.mirror_urls',
    'an ftp origin',
    () =>
      KS3.putBucketMirror(c, {
        bucket: b,
        mirror: { version: 'V3', async_mirror_rule: { mirror_urls: ['ftp://x'], saving_setting: { acl: 'private' } } },
      }),
  ],
];

test(`the table has at least 30 bad inputs (${CASES.length})`, () => {
  expect(CASES.length).toBeGreaterThanOrEqual(30);
});

for (const [param, what, call] of CASES) {
  test(`${param}: ${what}`, async () => {
    const err = (await call().then(
      () => undefined,
      (e: unknown) => e,
    )) as KS3.Ks3InputError;
    expect(KS3.isKs3InputError(err), String(err)).toBe(true);
    expect(err.param).toBe(param);
    expect(err.message).toMatch(/^\[ks3\] invalid /);
  });
}

describe('9.15-9.17: what the refusals leave possible, and what they say', () => {
  test('an unset key names itself and the likely cause', () => {
    const env: Record<string, string | undefined> = {};
    const err = (() => {
      try {
        KS3.createClient({ endpoint: 'h.test', accessKeyId: env.KS3_ACCESS_KEY, secretAccessKey: env.KS3_SECRET_KEY });
      } catch (e) {
        return e as KS3.Ks3InputError;
      }
    })();
    expect(err?.param).toBe('accessKeyId');
    expect(err?.message).toContain('environment variable');
    expect(err?.message).toContain('anonymous: true');
  });

  test('anonymous only when asked: anonymous: true, or no identity option at all', () => {
    expect(KS3.createClient({ endpoint: 'h.test', anonymous: true }).signer).toBeUndefined();
    expect(KS3.createClient({ endpoint: 'h.test' }).signer).toBeUndefined();
    expect(KS3.createClient({ endpoint: 'h.test', accessKeyId: 'AK', secretAccessKey: 'x' }).signer).toBeTypeOf(
      'function',
    );
  });

  test('presign expiry: Unix seconds and Dates in the future are taken as given', async () => {
    const at = Math.floor(Date.now() / 1000) + 600;
    expect((await KS3.presignUrl(c, { bucket: b, key: k, expires: at })).expires.getTime()).toBe(at * 1000);
    expect((await KS3.presignUrl(c, { bucket: b, key: k, expires: new Date(at * 1000) })).expires.getTime()).toBe(
      at * 1000,
    );
  });

  test('a bucket-bound host works with domainMode: the key under it, never /bucket/bucket/key', async () => {
    const urls: string[] = [];
    const client = KS3.createClient({
      endpoint: 'my-bucket.ks3-cn-beijing.ksyuncs.com',
      domainMode: true,
      anonymous: true,
      fetch: async (input) => {
        urls.push(String(input));
        return new Response('x', { status: 200, headers: { 'content-length': '1' } });
      },
    });
    await (await KS3.getObject(client, { bucket: 'my-bucket', key: 'dir/a.txt' })).text();
    expect(urls).toEqual(['https://my-bucket.ks3-cn-beijing.ksyuncs.com/dir/a.txt']);
  });
});
