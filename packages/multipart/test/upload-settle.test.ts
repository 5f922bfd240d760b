/**
 * A Complete whose answer is lost while KS3 is still assembling the object: KS3 answers the
 * retried Complete with NoSuchUpload and HEAD with 404 until the object appears. The upload
 * manager checks again for a while instead of calling it failed (and never aborts it).
 */
import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { createClient } from '@ks3/core';
import { upload } from '@ks3/multipart';
import { pseudoRandomBytes } from './helpers.js';

const P = 100 * 1024;
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest();

/** A fake KS3 whose first Complete is cut and whose object appears `assembleMs` later. */
function slowAssembly(assembleMs: number) {
  const parts = new Map<number, Buffer>();
  const seen: string[] = [];
  let assembledAt: number | undefined;
  const objectEtag = () =>
    `"${createHash('md5')
      .update(Buffer.concat([...parts.keys()].sort((a, b) => a - b).map((n) => md5(parts.get(n)!))))
      .digest('hex')}-${parts.size}"`;
  const size = () => [...parts.values()].reduce((n, p) => n + p.length, 0);
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const q = url.searchParams;
    seen.push(
      `${method} ${q.has('uploads') ? 'initiate' : q.has('partNumber') ? 'part' : q.has('uploadId') ? 'upload' : 'k'}`,
    );
    if (method === 'POST' && q.has('uploads'))
      return new Response('<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>');
    if (method === 'PUT' && q.has('partNumber')) {
      const body = Buffer.from(await new Response(init?.body as BodyInit).arrayBuffer());
      parts.set(Number(q.get('partNumber')), body);
      return new Response(null, { headers: { etag: `"${md5(body).toString('hex')}"` } });
    }
    if (method === 'POST' && q.has('uploadId')) {
      if (assembledAt === undefined) {
        assembledAt = Date.now() + assembleMs;
        throw new TypeError('fetch failed'); // the answer is lost; KS3 goes on assembling
      }
      return new Response('<Error><Code>NoSuchUpload</Code></Error>', { status: 404 });
    }
    if (method === 'HEAD') {
      if (assembledAt === undefined || Date.now() < assembledAt) return new Response(null, { status: 404 });
      return new Response(null, { headers: { etag: objectEtag(), 'content-length': String(size()) } });
    }
    if (method === 'DELETE') return new Response(null, { status: 204 });
    return new Response(null, { status: 400 });
  };
  return { fetch, seen };
}

test('a Complete still being assembled when its answer was lost is reported as committed', async () => {
  const server = slowAssembly(700);
  const client = createClient({
    endpoint: 'http://ks3.test',
    accessKeyId: 'AK',
    secretAccessKey: 'S',
    retries: 2,
    retryDelay: 1,
    fetch: server.fetch,
  });
  const data = pseudoRandomBytes(2 * P + 3, 1);
  const r = await upload(client, { bucket: 'b-settle', key: 'k', body: data, partSize: P });
  expect(r).toMatchObject({ parts: 3, size: data.length });
  expect(r.etag).toMatch(/^"[0-9a-f]{32}-3"$/);
  // Complete was tried again while KS3 said NoSuchUpload, and the upload was never aborted.
  expect(server.seen.filter((s) => s === 'POST upload').length).toBeGreaterThanOrEqual(3);
  expect(server.seen).not.toContain('DELETE upload');
});
