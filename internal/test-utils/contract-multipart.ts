/** Contract: multipart primitives, paged listings, retries and timeouts against injected faults. */
import { describe, expect, test } from 'vitest';
import type * as Core from '@ks3/core';
import { firstDifference, pseudoRandomBytes, type ContractContext } from './contract.js';
import { emulatorAdmin } from './emulator-admin.js';

const KB = 1024;

/** Arms a fault in the emulator through its admin endpoint (from Node, also when the test runs in Chromium). */
export async function addFault(endpoint: string, spec: Record<string, unknown>): Promise<void> {
  await emulatorAdmin(endpoint, 'faults', spec);
}

/** Multipart primitives and listing; with `full`, also retries, timeouts and aborts against faults. */
export function multipartSuite(get: () => ContractContext, full = true): void {
  describe('multipart primitives', () => {
    test('initiate (with metadata and class) → parts (bytes, Blob, stream, part copy) → list parts → complete', async () => {
      const { api, client, bucket } = get();
      const data = pseudoRandomBytes(420 * KB, 11);
      await api.putObject(client, { bucket, key: 'mp/source.bin', body: data.subarray(300 * KB) });
      const mp = await api.initiateMultipartUpload(client, {
        bucket,
        key: 'mp/big.bin',
        storageClass: 'STANDARD_IA',
        metadata: { kind: 'mp' },
        contentType: 'application/x-big',
      });
      const p1 = await api.uploadPart(client, {
        ...mp,
        partNumber: 1,
        body: data.subarray(0, 100 * KB),
        contentMd5: true,
      });
      const p2 = await api.uploadPart(client, {
        ...mp,
        partNumber: 2,
        body: new Blob([data.subarray(100 * KB, 200 * KB)]),
      });
      const slice = data.subarray(200 * KB, 300 * KB);
      const p3 = await api.uploadPart(client, {
        ...mp,
        partNumber: 3,
        body: new ReadableStream({ start: (c) => (c.enqueue(slice), c.close()) }),
        size: slice.length,
      });
      const p4 = await api.uploadPartCopy(client, {
        ...mp,
        partNumber: 4,
        sourceBucket: bucket,
        sourceKey: 'mp/source.bin',
        range: { start: 0, end: 120 * KB - 1 },
      });
      const listed = await api.listParts(client, { ...mp, maxParts: 3 });
      expect(listed.parts.map((p) => [p.partNumber, p.size])).toEqual([
        [1, 100 * KB],
        [2, 100 * KB],
        [3, 100 * KB],
      ]);
      expect(listed.isTruncated).toBe(true);
      const rest = await api.listParts(client, { ...mp, startAfterPart: listed.nextStartAfterPart! });
      expect(rest.parts.map((p) => p.partNumber)).toEqual([4]);
      const all = [];
      for await (const p of api.listAllParts(client, { ...mp, maxParts: 1 })) all.push(p);
      expect(all.map((p) => p.etag)).toEqual([p1.etag, p2.etag, p3.etag, p4.etag]);
      const done = await api.completeMultipartUpload(client, {
        ...mp,
        parts: [p1, p2, p3, p4].map(({ partNumber, etag }) => ({ partNumber, etag })),
      });
      expect(done.etag).toMatch(/^"[0-9a-f]{32}-4"$/);
      const head = await api.headObject(client, { bucket, key: 'mp/big.bin' });
      expect(head).toMatchObject({
        size: 420 * KB,
        storageClass: 'STANDARD_IA',
        contentType: 'application/x-big',
        metadata: { kind: 'mp' },
      });
      expect(firstDifference(await (await api.getObject(client, { bucket, key: 'mp/big.bin' })).bytes(), data)).toBe(
        -1,
      );
    });

    test('complete refuses small parts, wrong ETags and wrong order; abort removes the upload', async () => {
      const { api, client, bucket } = get();
      const mp = await api.initiateMultipartUpload(client, { bucket, key: 'mp/bad.bin' });
      const a = await api.uploadPart(client, { ...mp, partNumber: 1, body: new Uint8Array(10) });
      const b = await api.uploadPart(client, { ...mp, partNumber: 2, body: new Uint8Array(10) });
      const small = (await api
        .completeMultipartUpload(client, { ...mp, parts: [a, b].map(({ partNumber, etag }) => ({ partNumber, etag })) })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(small).toMatchObject({ status: 400, code: 'EntityTooSmall' });
      const wrong = (await api
        .completeMultipartUpload(client, {
          ...mp,
          parts: [{ partNumber: 1, etag: '"0123456789abcdef0123456789abcdef"' }],
        })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(wrong).toMatchObject({ status: 400, code: 'InvalidPart' });
      await expect(
        api.completeMultipartUpload(client, {
          ...mp,
          parts: [
            { partNumber: 2, etag: b.etag },
            { partNumber: 1, etag: a.etag },
          ],
        }),
      ).rejects.toMatchObject({ name: 'Ks3InputError' });
      await api.abortMultipartUpload(client, mp);
      const gone = (await api.listParts(client, mp).catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(gone).toMatchObject({ status: 404, code: 'NoSuchUpload' });
    });

    test('list multipart uploads, paged', async () => {
      const { api, client, bucket } = get();
      const ids: string[] = [];
      for (const key of ['up/a', 'up/b', 'up/b', 'up/c'])
        ids.push((await api.initiateMultipartUpload(client, { bucket, key })).uploadId);
      const page = await api.listMultipartUploads(client, { bucket, prefix: 'up/', maxUploads: 2 });
      expect(page.uploads).toHaveLength(2);
      expect(page.isTruncated).toBe(true);
      const seen = [];
      for await (const u of api.listAllMultipartUploads(client, { bucket, prefix: 'up/', maxUploads: 1 }))
        seen.push(u.uploadId);
      expect(seen.sort()).toEqual(ids.sort());
      for await (const u of api.listAllMultipartUploads(client, { bucket, prefix: 'up/' }))
        await api.abortMultipartUpload(client, { bucket, key: u.key, uploadId: u.uploadId });
    });
  });

  describe('listing', () => {
    test('listAllObjects follows pages; the time window keeps [start, end]', async () => {
      const { api, client, bucket } = get();
      for (let i = 0; i < 30; i++)
        await api.putObject(client, { bucket, key: `pages/${String(i).padStart(2, '0')}`, body: '' });
      const keys = [];
      for await (const o of api.listAllObjects(client, { bucket, prefix: 'pages/', maxKeys: 7 }))
        keys.push(o.type === 'object' ? o.key : o.prefix);
      expect(keys).toEqual(Array.from({ length: 30 }, (_, i) => `pages/${String(i).padStart(2, '0')}`));
      const now = Date.now();
      const inWindow = [];
      for await (const o of api.listObjectsInTimeRange(client, {
        bucket,
        prefix: 'pages/',
        startTime: new Date(now - 600_000),
        endTime: Math.floor(now / 1000) + 600,
      }))
        inWindow.push(o.key);
      expect(inWindow).toHaveLength(30);
      const none = [];
      for await (const o of api.listObjectsInTimeRange(client, {
        bucket,
        prefix: 'pages/',
        endTime: new Date(now - 600_000),
      }))
        none.push(o.key);
      expect(none).toEqual([]);
      await expect(
        api.listObjectsInTimeRange(client, { bucket, startTime: 10, endTime: 5 }).next(),
      ).rejects.toMatchObject({ name: 'Ks3InputError' });
    });
  });

  if (!full) return;
  describe('resilience', () => {
    test('a 503 is retried; with retries off it surfaces as a typed error', async () => {
      const { api, client, bucket, endpoint, config } = get();
      await api.putObject(client, { bucket, key: 'faults/a.txt', body: 'sturdy' });
      await addFault(endpoint, { op: 'GetObject', bucket, key: 'faults/a.txt', status: 503, times: 2 });
      const retrying = api.createClient({
        ...config,
        accessKeyId: 'AKLTtestAccessKeyId000',
        secretAccessKey: 'testSecretKey/with+base64=chars0000',
        retries: 3,
        retryDelay: 5,
      });
      expect(await (await api.getObject(retrying, { bucket, key: 'faults/a.txt' })).text()).toBe('sturdy');
      await addFault(endpoint, { op: 'GetObject', bucket, key: 'faults/a.txt', status: 503, times: 1 });
      const err = (await api
        .getObject(client, { bucket, key: 'faults/a.txt' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(err).toMatchObject({ status: 503, operation: 'GetObject', bucket, key: 'faults/a.txt' });
      expect(err.requestId).toBeTruthy();
    });

    test('a stalled response times out as a Ks3NetworkError; an abort rejects with the reason', async () => {
      const { api, bucket, endpoint, config } = get();
      const creds = { accessKeyId: 'AKLTtestAccessKeyId000', secretAccessKey: 'testSecretKey/with+base64=chars0000' };
      await addFault(endpoint, { op: 'HeadObject', bucket, key: 'faults/slow', delayMs: 2000, times: 1 });
      const impatient = api.createClient({ ...config, ...creds, timeout: 200, retries: 0 });
      const err = await api.headObject(impatient, { bucket, key: 'faults/slow' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'Ks3NetworkError', timeout: true, operation: 'HeadObject' });
      await addFault(endpoint, { op: 'HeadObject', bucket, key: 'faults/slow2', delayMs: 2000, times: 1 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const aborted = (await api
        .headObject(api.createClient({ ...config, ...creds }), { bucket, key: 'faults/slow2', signal: ac.signal })
        .catch((e: unknown) => e)) as Error;
      expect(aborted.name).toBe('AbortError');
    });
  });
}
