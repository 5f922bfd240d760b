/**
 * Answers lost after KS3 did the work (issue 11 points 2 and 3), through the fault proxy in front
 * of the shared emulator: an Initiate whose answer is lost is adopted or aborted, a duplicate
 * from a retried Initiate is aborted, and a PUT or Complete whose answer is lost is reported as
 * committed when the object is there. Failures leave no upload and no object.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getObject, headObject, type Client, type ClientConfig } from '@ks3/core';
import { createUpload, upload } from '@ks3/multipart';
import {
  type FaultKind,
  type FaultProxy,
  type ProxyRequest,
  startFaultProxy,
} from '../../../internal/test-utils/fault-proxy.js';
import { addFault, firstDifference, KEY, KiB, pseudoRandomBytes, uploadsOf, useBucket } from './helpers.js';

const env = useBucket('mp-lost');
const P = 100 * KiB;
/** Long enough for any request on a loaded 2-core machine; a stalled one fails after it. */
const STALL_TIMEOUT = 2000;
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy({ target: env.endpoint });
});
afterAll(() => proxy?.close());

const isInitiate = (r: ProxyRequest): boolean => r.method === 'POST' && /\?uploads(&|$)/.test(r.url);
const isComplete = (r: ProxyRequest): boolean => r.method === 'POST' && r.url.includes('uploadId=');
const isPut = (r: ProxyRequest): boolean => r.method === 'PUT' && !r.url.includes('uploadId=');
const isAbort = (r: ProxyRequest): boolean => r.method === 'DELETE' && r.url.includes('uploadId=');
/** Requests of one key seen by the proxy that match `f`. */
const seen = (key: string, f: (r: ProxyRequest) => boolean) =>
  proxy.log.filter((r) => r.url.split('?')[0]!.endsWith(`/${encodeURI(key)}`) && f(r));

/** A client that goes through the proxy. */
const via = (encrypted: boolean, extra: Partial<ClientConfig> = {}): Client =>
  env.make({
    endpoint: proxy.url,
    retries: 0,
    retryDelay: 1,
    ...(encrypted ? { encryption: { key: KEY } } : {}),
    ...extra,
  } as Partial<ClientConfig>);

async function expectObject(key: string, data: Uint8Array, encrypted: boolean): Promise<void> {
  const direct = encrypted ? env.encrypted : env.client;
  expect(firstDifference(await (await getObject(direct, { bucket: env.bucket, key })).bytes(), data)).toBe(-1);
  expect(await uploadsOf(env, key)).toEqual([]);
}

async function expectNothing(key: string): Promise<void> {
  expect(await uploadsOf(env, key)).toEqual([]);
  await expect(headObject(env.client, { bucket: env.bucket, key })).rejects.toMatchObject({ status: 404 });
}

describe('Initiate', () => {
  test('its answer lost: the one upload it started is adopted (plain)', async () => {
    const key = 'init/adopt';
    const data = pseudoRandomBytes(3 * P, 1);
    proxy.inject({ kind: 'reset-before-headers', match: (r) => isInitiate(r) && r.url.includes(key) });
    const r = await upload(via(false), { bucket: env.bucket, key, body: data, partSize: P, partRetries: 0 });
    expect(r.parts).toBe(3);
    expect(seen(key, isInitiate)).toHaveLength(1);
    await expectObject(key, data, false);
  });

  test('its answer lost (encrypted): the upload cannot be adopted, so it is aborted and started again', async () => {
    const key = 'init/encrypted';
    const data = pseudoRandomBytes(3 * P, 2);
    proxy.inject({ kind: 'reset-before-headers', match: (r) => isInitiate(r) && r.url.includes(key) });
    const r = await upload(via(true), { bucket: env.bucket, key, body: data, partSize: P, partRetries: 1 });
    expect(r.parts).toBe(3);
    expect(seen(key, isInitiate)).toHaveLength(2);
    expect(seen(key, isAbort)).toHaveLength(1);
    await expectObject(key, data, true);
  });

  test.each(['reset-before-headers', 'stall', 'gateway-502'] as FaultKind[])(
    'its answer lost (%s) for good, encrypted: the upload fails and leaves nothing',
    async (kind) => {
      const key = `init/fails/${kind}`;
      proxy.inject({ kind, match: (r) => isInitiate(r) && r.url.includes(key), times: 4 });
      const err = await upload(via(true, { timeout: STALL_TIMEOUT, retries: 1 }), {
        bucket: env.bucket,
        key,
        body: pseudoRandomBytes(2 * P, 3),
        partSize: P,
        partRetries: 1,
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: kind === 'gateway-502' ? 'Ks3ServiceError' : 'Ks3NetworkError' });
      // Every attempt that reached KS3 started an upload; each one was found and aborted.
      expect(seen(key, isInitiate).length).toBeGreaterThanOrEqual(2);
      await expectNothing(key);
    },
  );

  test('its answer garbled (200, HTML): adopted (plain), aborted and started again (encrypted)', async () => {
    for (const encrypted of [false, true]) {
      const key = `init/garbled/${encrypted}`;
      const data = pseudoRandomBytes(2 * P, 11);
      proxy.inject({ kind: 'garble', match: (r) => isInitiate(r) && r.url.includes(key) });
      await upload(via(encrypted), { bucket: env.bucket, key, body: data, partSize: P, partRetries: 1 });
      expect(seen(key, isInitiate)).toHaveLength(encrypted ? 2 : 1);
      await expectObject(key, data, encrypted);
    }
  });

  test('a retried Initiate (502 after the work) leaves no duplicate behind', async () => {
    const key = 'init/duplicate';
    const data = pseudoRandomBytes(2 * P, 4);
    proxy.inject({ kind: 'gateway-502', match: (r) => isInitiate(r) && r.url.includes(key) });
    await upload(via(false, { retries: 2 }), { bucket: env.bucket, key, body: data, partSize: P });
    expect(seen(key, isInitiate)).toHaveLength(2);
    expect(seen(key, isAbort)).toHaveLength(1);
    await expectObject(key, data, false);
  });

  test('an abort while Initiate is in flight leaves no upload', async () => {
    const key = 'init/abort';
    proxy.inject({ kind: 'stall', match: (r) => isInitiate(r) && r.url.includes(key) });
    const up = createUpload(via(false), {
      bucket: env.bucket,
      key,
      body: pseudoRandomBytes(2 * P, 5),
      partSize: P,
    });
    for (let i = 0; i < 200 && !seen(key, isInitiate).length; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50)); // the stall holds KS3's answer
    up.abort();
    await expect(up.done).rejects.toMatchObject({ name: 'AbortError' });
    await expectNothing(key);
  });
});

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('%s: a lost answer of the request that commits', (name, encrypted) => {
  test.each(['reset-before-headers', 'gateway-502', 'stall'] as FaultKind[])(
    'Complete (%s): reported committed, since it is',
    async (kind) => {
      const key = `complete/${name}/${kind}`;
      const data = pseudoRandomBytes(2 * P + 5, 6);
      proxy.inject({ kind, match: (r) => isComplete(r) && r.url.includes(key) });
      let cleared = 0;
      const r = await upload(via(encrypted, { timeout: STALL_TIMEOUT }), {
        bucket: env.bucket,
        key,
        body: data,
        partSize: P,
        checkpointStore: { load: () => undefined, save: () => {}, clear: () => void cleared++ },
      });
      expect(r.parts).toBe(3);
      expect(r.etag).toMatch(/^"[0-9a-f]{32}-3"$/);
      expect(r.size).toBe(data.length);
      expect(cleared).toBe(1);
      await expectObject(key, data, encrypted);
    },
  );

  test.each(['reset-before-headers', 'gateway-502', 'stall'] as FaultKind[])(
    'single PUT (%s): reported committed, since it is',
    async (kind) => {
      const key = `put/${name}/${kind}`;
      const data = pseudoRandomBytes(5000, 7);
      proxy.inject({ kind, match: (r) => isPut(r) && r.url.includes(key) });
      const r = await upload(via(encrypted, { timeout: STALL_TIMEOUT }), {
        bucket: env.bucket,
        key,
        body: data,
        partRetries: 0,
      });
      expect(r).toMatchObject({ parts: 0, size: 5000 });
      expect(r.etag).toBe((await headObject(env.client, { bucket: env.bucket, key })).etag);
      await expectObject(key, data, encrypted);
    },
  );

  test('Complete refused before KS3 saw it: tried again; a clear refusal fails and leaves nothing', async () => {
    const key = `complete/${name}/refused`;
    const data = pseudoRandomBytes(2 * P, 8);
    proxy.inject({ kind: 'error-500', match: (r) => isComplete(r) && r.url.includes(key) });
    await upload(via(encrypted), { bucket: env.bucket, key, body: data, partSize: P });
    expect(seen(key, isComplete)).toHaveLength(2);
    await expectObject(key, data, encrypted);
    const denied = `${key}/denied`;
    await addFault(env.endpoint, {
      op: 'CompleteMultipartUpload',
      bucket: env.bucket,
      key: denied,
      status: 403,
      times: 1,
    });
    const err = await upload(via(encrypted), { bucket: env.bucket, key: denied, body: data, partSize: P }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: 'Ks3ServiceError', status: 403, operation: 'CompleteMultipartUpload' });
    expect(seen(denied, isComplete)).toHaveLength(1);
    await expectNothing(denied);
  });
});

test('an abort that comes while a committed Complete is unanswered resolves the upload', async () => {
  const key = 'complete/abort-late';
  const data = pseudoRandomBytes(2 * P, 9);
  proxy.inject({ kind: 'stall', match: (r) => isComplete(r) && r.url.includes(key) });
  const up = createUpload(via(false), { bucket: env.bucket, key, body: data, partSize: P });
  for (let i = 0; i < 400 && !seen(key, isComplete).length; i++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50));
  up.abort();
  expect((await up.done).parts).toBe(2);
  await expectObject(key, data, false);
});

test('the cleanup abort goes through faults: a failed upload leaves no upload', async () => {
  const key = 'cleanup/through-faults';
  // A part that keeps failing, then the first two aborts lose their answers.
  proxy.inject({ kind: 'error-500', match: (r) => r.method === 'PUT' && r.url.includes(key), times: 10 });
  proxy.inject({ kind: 'reset-before-headers', match: (r) => isAbort(r) && r.url.includes(key), times: 2 });
  const err = await upload(via(false, { retries: 1 }), {
    bucket: env.bucket,
    key,
    body: pseudoRandomBytes(2 * P, 10),
    partSize: P,
    partRetries: 0,
  }).catch((e: unknown) => e);
  expect(err).toMatchObject({ name: 'Ks3ServiceError', status: 500 });
  expect(seen(key, isAbort).length).toBe(3);
  await expectNothing(key);
});
