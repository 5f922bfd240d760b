/**
 * Bad input fails with a Ks3InputError naming the parameter, before any request: the client's
 * fetch throws if it is ever called.
 */
import { expect, test } from 'vitest';
import * as KS3 from '@ks3/core';

const client = KS3.createClient({
  endpoint: 'http://ks3.test',
  accessKeyId: 'AKLTunit',
  secretAccessKey: 'unit-secret',
  fetch: () => {
    throw new Error('no request may be sent for bad input');
  },
});
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
