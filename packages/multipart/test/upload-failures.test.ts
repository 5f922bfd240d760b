/**
 * Failures: a part failing once is retried alone and the object is right; a part failing for
 * good fails the upload and leaves no multipart upload; ETags that are not the part's MD5 are
 * retried then reported; an unreadable ETag fails at the first part.
 */
import { describe, expect, test } from 'vitest';
import { getObject, type Client } from '@ks3/core';
import { upload, type UploadProgress } from '@ks3/multipart';
import {
  addFault,
  countingFetch,
  firstDifference,
  isPartPut,
  KiB,
  pseudoRandomBytes,
  streamOf,
  uploadsOf,
  useBucket,
} from './helpers.js';

const env = useBucket('mp-fail');
const P = 128 * KiB;

/** A fetch that rewrites the ETag of every answer to part `n` (or removes it). */
function etagRewriter(n: number, etag: string | null): { fetch: typeof fetch; hits: () => number } {
  let hits = 0;
  return {
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (!isPartPut(String(input), init) || !String(input).includes(`partNumber=${n}&`)) return res;
      hits++;
      await res.arrayBuffer();
      const headers = new Headers(res.headers);
      if (etag === null) headers.delete('etag');
      else headers.set('etag', etag);
      return new Response(null, { status: res.status, headers });
    },
    hits: () => hits,
  };
}

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('%s', (name, encrypted) => {
  const client = (extra: Parameters<typeof env.make>[0] = {}): Client =>
    env.make({ ...(encrypted ? { encryption: { key: 'ks3-demo-key-16b' } } : {}), ...extra });

  test('a part failing once (500, 503, reset) is retried alone and the object is right', async () => {
    const data = pseudoRandomBytes(6 * P + 9, 11);
    for (const [i, fault] of [{ status: 500 }, { status: 503 }, { reset: true }].entries()) {
      const key = `once/${name}/${i}`;
      // The client does not retry by itself here: the manager's part retry has to do it.
      await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, partNumber: 3, times: 1, ...fault });
      const counter = countingFetch(isPartPut);
      const events: UploadProgress[] = [];
      const r = await upload(client({ retries: 0, fetch: counter.fetch, streaming: true }), {
        bucket: env.bucket,
        key,
        body: streamOf(data),
        partSize: P,
        partRetries: 3,
        onProgress: (e) => events.push(e),
      });
      expect(r.parts).toBe(7);
      expect(counter.total()).toBe(8);
      expect(firstDifference(await (await getObject(client(), { bucket: env.bucket, key })).bytes(), data)).toBe(-1);
      expect(events.at(-1)).toMatchObject({ loaded: data.length, total: data.length });
      for (const e of events) expect(e.loaded).toBeLessThanOrEqual(data.length);
    }
  });

  test('a part that keeps failing fails the upload after its retries and leaves no upload behind', async () => {
    const key = `permanent/${name}`;
    await addFault(env.endpoint, {
      op: 'UploadPart',
      bucket: env.bucket,
      key,
      partNumber: 2,
      status: 500,
      times: 1000,
    });
    const counter = countingFetch((u, i) => isPartPut(u, i) && u.includes('partNumber=2&'));
    const err = await upload(client({ retries: 1, fetch: counter.fetch, streaming: true }), {
      bucket: env.bucket,
      key,
      body: new Blob([pseudoRandomBytes(4 * P, 12)]),
      partSize: P,
      partRetries: 2,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3ServiceError', status: 500, operation: 'UploadPart' });
    expect(counter.total()).toBe(2 * 3); // (1 + client retries) × (1 + part retries)
    expect(await uploadsOf(env, key)).toEqual([]);
  });

  test('a client error (4xx) is not retried', async () => {
    const key = `denied/${name}`;
    await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, partNumber: 1, status: 403, times: 1 });
    const counter = countingFetch(isPartPut);
    const err = await upload(client({ fetch: counter.fetch, streaming: true }), {
      bucket: env.bucket,
      key,
      body: pseudoRandomBytes(2 * P, 13),
      partSize: P,
      concurrency: 1,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3ServiceError', status: 403 });
    expect(counter.total()).toBe(1);
    expect(await uploadsOf(env, key)).toEqual([]);
  });

  test('an ETag that is not the part MD5 is retried, then a Ks3IntegrityError', async () => {
    const key = `etag/${name}`;
    const rewriter = etagRewriter(2, '"0123456789abcdef0123456789abcdef"');
    const err = await upload(client({ fetch: rewriter.fetch, streaming: true }), {
      bucket: env.bucket,
      key,
      body: pseudoRandomBytes(3 * P, 14),
      partSize: P,
      partRetries: 2,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3IntegrityError', operation: 'UploadPart' });
    expect((err as Error).message).toContain('part 2');
    expect(rewriter.hits()).toBe(3);
    expect(await uploadsOf(env, key)).toEqual([]);
  });

  test('an unreadable ETag fails at the first part, naming the CORS fix', async () => {
    const key = `no-etag/${name}`;
    const rewriter = etagRewriter(1, null);
    const err = await upload(client({ fetch: rewriter.fetch, streaming: true }), {
      bucket: env.bucket,
      key,
      body: pseudoRandomBytes(8 * P, 15),
      partSize: P,
      concurrency: 1,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3ProtocolError', operation: 'UploadPart' });
    expect((err as Error).message).toContain('<ExposeHeader>ETag</ExposeHeader>');
    expect(rewriter.hits()).toBe(1);
    expect(await uploadsOf(env, key)).toEqual([]);
  });
});

test('an ETag mismatch on one attempt only is retried and the object is right', async () => {
  let left = 1;
  const inner = etagRewriter(2, '"ffffffffffffffffffffffffffffffff"');
  const f: typeof fetch = (input, init) =>
    isPartPut(String(input), init) && String(input).includes('partNumber=2&') && left-- > 0
      ? inner.fetch(input, init)
      : fetch(input, init);
  const data = pseudoRandomBytes(3 * P + 1, 16);
  await upload(env.make({ fetch: f, streaming: true }), {
    bucket: env.bucket,
    key: 'etag/once',
    body: data,
    partSize: P,
  });
  expect(
    firstDifference(await (await getObject(env.client, { bucket: env.bucket, key: 'etag/once' })).bytes(), data),
  ).toBe(-1);
});

test('Content-MD5 goes on every part unless checksum is false', async () => {
  for (const checksum of [true, false]) {
    const seen: boolean[] = [];
    const f: typeof fetch = (input, init) => {
      if (isPartPut(String(input), init)) seen.push(new Headers(init?.headers).has('content-md5'));
      return fetch(input, init);
    };
    await upload(env.make({ fetch: f, streaming: true }), {
      bucket: env.bucket,
      key: 'md5',
      body: pseudoRandomBytes(2 * P, 17),
      partSize: P,
      contentMd5: checksum,
    });
    expect(seen).toEqual([checksum, checksum]);
  }
});
