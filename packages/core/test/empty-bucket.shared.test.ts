/**
 * emptyAndDeleteBucket request by request: a scripted KS3 holding one bucket answers exactly
 * the requests emptying needs (anything else fails the test), checks each batch's Content-MD5
 * and counts them. The 10,000-object acceptance runs against the emulator in
 * packages/node/test/listing-10k.test.ts; here the paths that need a scripted answer (a key
 * the batch refuses) and the request sequence, in Node and in Chromium.
 */
import { expect, test } from 'vitest';
import { createClient, emptyAndDeleteBucket, emptyBucket, isKs3ServiceError } from '@ks3/core';
import { md5 } from '@ks3/core/crypto';
import { toBase64 } from '@ks3/core/internal';

const BUCKET = 'big-bucket';
const xml = (body: string, status = 200): Response =>
  new Response(`<?xml version="1.0" encoding="UTF-8"?>${body}`, {
    status,
    headers: { 'content-type': 'application/xml', 'x-kss-request-id': 'rid' },
  });
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A one-bucket KS3 that lists, batch-deletes, aborts uploads and deletes the bucket. */
function fakeKs3(keyCount: number, uploads: number, refuse?: (key: string) => boolean) {
  const keys = new Set(Array.from({ length: keyCount }, (_, i) => `dir/k${String(i).padStart(5, '0')} &<x>`));
  const pending = new Set(Array.from({ length: uploads }, (_, i) => `upload-${i}`));
  const log: string[] = [];
  let bucketGone = false;
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const q = url.searchParams;
    const path = decodeURIComponent(url.pathname);
    const op = `${method} ${url.pathname}${url.search}`;
    if (method === 'GET' && path === `/${BUCKET}/` && q.has('uploads')) {
      log.push('ListMultipartUploads');
      const items = [...pending].map((id) => `<Upload><Key>u/${id}</Key><UploadId>${id}</UploadId></Upload>`);
      return xml(
        `<ListMultipartUploadsResult><IsTruncated>false</IsTruncated>${items.join('')}</ListMultipartUploadsResult>`,
      );
    }
    if (method === 'DELETE' && q.has('uploadId') && pending.delete(q.get('uploadId')!)) {
      log.push('AbortMultipartUpload');
      return new Response(null, { status: 204 });
    }
    if (method === 'GET' && q.has('versioning')) {
      log.push('GetBucketVersioning');
      return xml('<VersioningConfiguration/>');
    }
    if (method === 'GET' && path === `/${BUCKET}/` && [...q.keys()].every((k) => ['marker', 'max-keys'].includes(k))) {
      log.push('ListObjects');
      const after = q.get('marker') ?? '';
      const page = [...keys].sort().filter((k) => k > after);
      const shown = page.slice(0, 1000);
      const items = shown.map((k) => `<Contents><Key>${esc(k)}</Key><Size>0</Size></Contents>`).join('');
      const truncated = page.length > 1000;
      const next = truncated ? `<NextMarker>${esc(shown.at(-1)!)}</NextMarker>` : '';
      return xml(`<ListBucketResult><IsTruncated>${truncated}</IsTruncated>${next}${items}</ListBucketResult>`);
    }
    if (method === 'POST' && q.has('delete')) {
      log.push('DeleteObjects');
      const body = new Uint8Array(await new Response(init!.body).arrayBuffer());
      const headers = new Headers(init!.headers);
      if (headers.get('content-md5') !== toBase64(md5(body)))
        throw new Error('DeleteObjects without a right Content-MD5');
      const text = new TextDecoder().decode(body);
      const named = [...text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) =>
        m[1]!
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&apos;/g, "'")
          .replace(/&quot;/g, '"')
          .replace(/&amp;/g, '&'),
      );
      if (named.length < 1 || named.length > 1000) throw new Error(`a batch of ${named.length} keys`);
      if (!text.includes('<Quiet>true</Quiet>')) throw new Error('emptyBucket should ask for quiet answers');
      const errors = named
        .filter((k) => refuse?.(k))
        .map((k) => `<Error><Key>${esc(k)}</Key><Code>AccessDenied</Code><Message>no</Message></Error>`);
      for (const k of named) if (!refuse?.(k)) keys.delete(k);
      return xml(`<DeleteResult>${errors.join('')}</DeleteResult>`);
    }
    if (method === 'DELETE' && path === `/${BUCKET}/` && !url.search) {
      log.push('DeleteBucket');
      if (keys.size || pending.size) return xml('<Error><Code>BucketNotEmpty</Code></Error>', 409);
      bucketGone = true;
      return new Response(null, { status: 204 });
    }
    throw new Error(`unexpected request ${op}`);
  }) as typeof globalThis.fetch;
  const client = createClient({ endpoint: 'http://ks3.test', accessKeyId: 'AKLTunit', secretAccessKey: 's', fetch });
  return { client, keys, pending, log, gone: () => bucketGone };
}

test('2,500 objects and 3 uploads: 3 batch deletes of up to 1,000 keys, 3 aborts, and the bucket is gone', async () => {
  const ks3 = fakeKs3(2500, 3);
  const result = await emptyAndDeleteBucket(ks3.client, { bucket: BUCKET });
  expect(result).toMatchObject({ objects: 2500, uploads: 3 });
  expect(ks3.gone()).toBe(true);
  expect(ks3.keys.size).toBe(0);
  expect(ks3.log).toEqual([
    'ListMultipartUploads',
    ...Array(3).fill('AbortMultipartUpload'),
    'GetBucketVersioning',
    ...['ListObjects', 'DeleteObjects', 'ListObjects', 'DeleteObjects', 'ListObjects', 'DeleteObjects'],
    'DeleteBucket',
  ]);
});

test('a key the batch delete refuses fails emptyBucket with its code, and the bucket stays', async () => {
  const ks3 = fakeKs3(1500, 0, (k) => k.startsWith('dir/k01200'));
  const err = await emptyAndDeleteBucket(ks3.client, { bucket: BUCKET }).catch((e: unknown) => e);
  expect(isKs3ServiceError(err)).toBe(true);
  expect(err).toMatchObject({ operation: 'EmptyBucket', code: 'AccessDenied', key: 'dir/k01200 &<x>' });
  expect((err as Error).message).toContain('1 of 500 keys could not be deleted');
  expect(ks3.gone()).toBe(false);
  expect(ks3.log).not.toContain('DeleteBucket');
});

test('an empty bucket: nothing to delete, no batch request', async () => {
  const ks3 = fakeKs3(0, 0);
  expect(await emptyBucket(ks3.client, { bucket: BUCKET })).toMatchObject({ objects: 0, uploads: 0 });
  expect(ks3.log).toEqual(['ListMultipartUploads', 'GetBucketVersioning', 'ListObjects']);
});
