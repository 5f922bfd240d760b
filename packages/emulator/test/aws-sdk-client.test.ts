/**
 * A client nobody here wrote: the real AWS SDK for JavaScript (v3, SigV4 in the AWS namespace,
 * which KS3 accepts) against the emulator, path-style and virtual-hosted. Where it fails, the
 * emulator is wrong about S3 semantics KS3 shares. What KS3 does not support is turned off: the
 * SDK's default CRC checksums and aws-chunked uploads (ks3-v4.md §2.1) — checksums only
 * `WHEN_REQUIRED`, bodies sent whole with a Content-Length. Batch delete is KS3's own rule: it
 * needs Content-MD5, which the SDK no longer sends (a CRC32 instead), so a middleware adds it.
 * Virtual-hosted requests go to `<bucket>.localhost`, resolved by a loopback node:http agent.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loopbackFetch, loopbackHttpAgent } from '../../../internal/test-utils/loopback.js';
import { bucketName, useEmulator } from './helpers/emulator.js';
import { CREDS } from './helpers/ks3.js';

const REGION = 'BEIJING';
const md5 = (b: Uint8Array | string): string => `"${createHash('md5').update(b).digest('hex')}"`;

/** What a failed command threw, as S3's error name and HTTP status. */
async function failure(p: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(S3ServiceException);
  const err = e as S3ServiceException;
  return { name: err.name, status: err.$metadata.httpStatusCode };
}

for (const style of ['path', 'virtual'] as const) {
  describe(`@aws-sdk/client-s3 against the emulator (${style}-style)`, () => {
    const f = useEmulator({ region: REGION });
    const agent = loopbackHttpAgent();
    const loopback = loopbackFetch();
    let s3: S3Client;
    let bucket: string;
    const client = (credentials: S3ClientConfig['credentials']): S3Client =>
      new S3Client({
        region: REGION,
        endpoint: style === 'path' ? f.url : `http://localhost:${new URL(f.url).port}`,
        forcePathStyle: style === 'path',
        credentials,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        requestHandler: { httpAgent: agent },
        maxAttempts: 1,
      });

    beforeAll(async () => {
      s3 = client({ accessKeyId: CREDS.accessKeyId, secretAccessKey: CREDS.secretAccessKey });
      bucket = bucketName('aws');
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    });
    afterAll(async () => {
      s3?.destroy();
      agent.destroy();
      await loopback.close();
    });

    test('requests go where the style says', async () => {
      const seen: string[] = [];
      s3.middlewareStack.add(
        (next) => async (args) => {
          const r = args.request as { hostname: string; path: string };
          seen.push(`${r.hostname} ${r.path}`);
          return next(args);
        },
        { step: 'finalizeRequest', name: 'recordTarget' },
      );
      try {
        await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      } finally {
        s3.middlewareStack.remove('recordTarget');
      }
      expect(seen).toEqual([style === 'path' ? `127.0.0.1 /${bucket}/` : `${bucket}.localhost /`]);
    });

    test('put → head → get (whole and ranged) → delete, with metadata and keys that need encoding', async () => {
      for (const key of ['notes/hello.txt', 'dir/a b+c~d (1).txt', '中文/é ü.txt', 'x//y']) {
        const body = `body of ${key}`;
        const put = await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: 'text/plain; charset=utf-8',
            Metadata: { author: 'Ada', 'shot-at': '2026' },
          }),
        );
        expect(put.ETag).toBe(md5(body));
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        expect(head).toMatchObject({
          ContentLength: Buffer.byteLength(body),
          ContentType: 'text/plain; charset=utf-8',
          ETag: md5(body),
          Metadata: { author: 'Ada', 'shot-at': '2026' },
        });
        expect(head.LastModified).toBeInstanceOf(Date);
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        expect(await got.Body!.transformToString()).toBe(body);
        const part = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-3' }));
        expect([part.ContentRange, await part.Body!.transformToString()]).toEqual([
          `bytes 0-3/${Buffer.byteLength(body)}`,
          'body',
        ]);
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        expect(await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })))).toEqual({
          name: 'NotFound',
          status: 404,
        });
      }
      expect(await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'nope' })))).toEqual({
        name: 'NoSuchKey',
        status: 404,
      });
    });

    test('list objects, v1 and v2: prefixes, delimiters and pages', async () => {
      const keys = ['tree/a.txt', 'tree/b/1.txt', 'tree/b/2.txt', 'tree/c d/3.txt', 'tree/e.txt'];
      for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }));
      const v1 = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: 'tree/', Delimiter: '/' }));
      expect(v1.Contents?.map((o) => [o.Key, o.Size, o.ETag])).toEqual([
        ['tree/a.txt', 1, md5('x')],
        ['tree/e.txt', 1, md5('x')],
      ]);
      expect(v1.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['tree/b/', 'tree/c d/']);
      const page1 = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: 'tree/', MaxKeys: 2 }));
      expect(page1.IsTruncated).toBe(true);
      const page2 = await s3.send(
        new ListObjectsCommand({
          Bucket: bucket,
          Prefix: 'tree/',
          Marker: page1.NextMarker ?? page1.Contents?.at(-1)?.Key,
        }),
      );
      expect([...(page1.Contents ?? []), ...(page2.Contents ?? [])].map((o) => o.Key)).toEqual(keys);
      const seen: string[] = [];
      let token: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: 'tree/', MaxKeys: 2, ContinuationToken: token }),
        );
        expect(page.KeyCount).toBe(page.Contents?.length ?? 0);
        seen.push(...(page.Contents ?? []).map((o) => o.Key!));
        if (!page.IsTruncated) break;
        token = page.NextContinuationToken;
      }
      expect(seen).toEqual(keys);
      const after = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'tree/', StartAfter: 'tree/b/2.txt' }),
      );
      expect(after.Contents?.map((o) => o.Key)).toEqual(['tree/c d/3.txt', 'tree/e.txt']);
    });

    test('copy: metadata copied, or replaced on request; a missing source is NoSuchKey', async () => {
      const src = 'copy/src a+b.txt';
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: src,
          Body: 'copy me',
          ContentType: 'text/x-a',
          Metadata: { v: '1' },
        }),
      );
      const source = `${bucket}/${encodeURIComponent(src)}`;
      const c1 = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy/1.txt', CopySource: source }));
      expect(c1.CopyObjectResult?.ETag).toBe(md5('copy me'));
      expect(await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy/1.txt' }))).toMatchObject({
        ContentType: 'text/x-a',
        Metadata: { v: '1' },
      });
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'copy/2.txt',
          CopySource: source,
          MetadataDirective: 'REPLACE',
          ContentType: 'text/x-b',
          Metadata: { v: '2' },
        }),
      );
      const two = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'copy/2.txt' }));
      expect([two.ContentType, two.Metadata, await two.Body!.transformToString()]).toEqual([
        'text/x-b',
        { v: '2' },
        'copy me',
      ]);
      const missing = new CopyObjectCommand({ Bucket: bucket, Key: 'copy/3.txt', CopySource: `${bucket}/nope` });
      expect(await failure(s3.send(missing))).toEqual({ name: 'NoSuchKey', status: 404 });
    });

    test('multipart: create → upload parts → list parts → complete; abort', async () => {
      const data = new Uint8Array(randomBytes(250 * 1024));
      const Key = 'mp/big file.bin';
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({
          Bucket: bucket,
          Key,
          ContentType: 'application/x-big',
          Metadata: { k: 'mp' },
        }),
      );
      const sizes = [110 * 1024, 110 * 1024, 30 * 1024];
      const parts: { PartNumber: number; ETag: string }[] = [];
      let offset = 0;
      for (const [i, size] of sizes.entries()) {
        const Body = data.subarray(offset, offset + size);
        offset += size;
        const up = await s3.send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: i + 1, Body }));
        expect(up.ETag).toBe(md5(Body));
        parts.push({ PartNumber: i + 1, ETag: up.ETag! });
      }
      const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key, UploadId }));
      expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual(
        parts.map((p, i) => [p.PartNumber, sizes[i], p.ETag]),
      );
      const done = await s3.send(
        new CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts: parts } }),
      );
      expect(done.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      expect([got.ContentLength, got.ContentType, got.Metadata]).toEqual([
        data.length,
        'application/x-big',
        { k: 'mp' },
      ]);
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.from(data))).toBe(true);
      const other = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp/aborted' }));
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'mp/aborted', UploadId: other.UploadId }));
      const gone = new ListPartsCommand({ Bucket: bucket, Key: 'mp/aborted', UploadId: other.UploadId });
      expect(await failure(s3.send(gone))).toEqual({ name: 'NoSuchUpload', status: 404 });
    });

    test('presigned PUT and GET (@aws-sdk/s3-request-presigner) work with a plain fetch', async () => {
      const Key = 'presigned/up load.txt';
      const put = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key, ContentType: 'text/plain' }), {
        expiresIn: 60,
      });
      expect(new URL(put).searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
      const res = await loopback.fetch(put, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'hi' });
      expect(res.status).toBe(200);
      const get = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key }), { expiresIn: 60 });
      const got = await loopback.fetch(get);
      expect([got.status, got.headers.get('content-type'), await got.text()]).toEqual([200, 'text/plain', 'hi']);
      const tampered = get.replace(
        /X-Amz-Signature=([0-9a-f])/,
        (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
      );
      expect((await loopback.fetch(tampered)).status).toBe(403);
    });

    test('temporary credentials from the emulator (session token) and a wrong secret', async () => {
      const session = f.emu.sessions.issue({ durationSeconds: 60 });
      const sts = client({
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.securityToken,
      });
      await sts.send(new PutObjectCommand({ Bucket: bucket, Key: 'sts.txt', Body: 'via session' }));
      const got = await sts.send(new GetObjectCommand({ Bucket: bucket, Key: 'sts.txt' }));
      expect(await got.Body!.transformToString()).toBe('via session');
      sts.destroy();
      const wrong = client({ accessKeyId: CREDS.accessKeyId, secretAccessKey: 'not-the-secret' });
      expect(await failure(wrong.send(new GetObjectCommand({ Bucket: bucket, Key: 'sts.txt' })))).toEqual({
        name: 'SignatureDoesNotMatch',
        status: 403,
      });
      wrong.destroy();
    });

    test('batch delete needs Content-MD5 (KS3), which the SDK sends only through a middleware', async () => {
      const Delete = { Objects: [{ Key: 'copy/1.txt' }, { Key: 'copy/2.txt' }, { Key: 'never-there' }] };
      const plain = s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete }));
      expect(await failure(plain)).toEqual({ name: 'MissingContentMD5', status: 400 });
      const withMd5 = client({ accessKeyId: CREDS.accessKeyId, secretAccessKey: CREDS.secretAccessKey });
      withMd5.middlewareStack.add(
        (next) => async (args) => {
          const r = args.request as { body?: unknown; headers: Record<string, string> };
          if (typeof r.body === 'string') r.headers['content-md5'] = createHash('md5').update(r.body).digest('base64');
          return next(args);
        },
        { step: 'build', name: 'contentMd5' },
      );
      const done = await withMd5.send(new DeleteObjectsCommand({ Bucket: bucket, Delete }));
      expect(done.Deleted?.map((d) => d.Key).sort()).toEqual(['copy/1.txt', 'copy/2.txt', 'never-there']);
      expect(done.Errors ?? []).toEqual([]);
      withMd5.destroy();
    });

    test('delete the objects, then the bucket', async () => {
      for (let i = 0; i < 10; i++) {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        for (const o of page.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
        if (!page.IsTruncated) break;
      }
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      expect(await failure(s3.send(new HeadBucketCommand({ Bucket: bucket })))).toEqual({
        name: 'NotFound',
        status: 404,
      });
    });
  });
}
