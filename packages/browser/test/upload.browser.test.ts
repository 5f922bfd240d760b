/**
 * The upload manager in Chromium, cross-origin (the page is on localhost, the emulator on
 * 127.0.0.1): a CORS rule that hides ETag fails at the first part with the fix in the message,
 * progress comes per part, abort and pause work, and an upload resumes from a checkpoint kept in
 * localStorage as it would after a page reload.
 */
import { expect, test } from 'vitest';
import { getObject } from '@ks3/core';
import { createUpload, upload, type CheckpointStore, type UploadCheckpoint, type UploadProgress } from '@ks3/multipart';
import {
  addFault,
  firstDifference,
  pseudoRandomBytes,
  streamOf,
  uploadsOf,
  useBucket,
} from '../../multipart/test/helpers.js';
import { emulatorAdmin } from '../../../internal/test-utils/emulator-admin.js';

const env = useBucket('br-upload');
const P = 128 * 1024;

/**
 * Hides response headers from CORS for this test's bucket only (other test files run in parallel),
 * through the admin endpoint, which the page reaches through Node (it refuses web pages).
 */
async function cors(exposeHeadersOmit: string[]): Promise<void> {
  await emulatorAdmin(env.endpoint, 'cors', { exposeHeadersOmit, bucket: env.bucket });
}

test('a CORS rule that hides ETag fails at the first part, naming the fix, and leaves no upload', async () => {
  const key = 'cors/no-etag';
  // The emulator's CORS setting is global: keep the window in which ETag is hidden short.
  let err: unknown;
  await cors(['etag']);
  try {
    err = await upload(env.client, {
      bucket: env.bucket,
      key,
      body: new Blob([pseudoRandomBytes(6 * P, 1)]),
      partSize: P,
      concurrency: 1,
    }).catch((e: unknown) => e);
  } finally {
    await cors([]);
  }
  // The same typed error as a single PUT's (issue 9.12; errors.browser.test.ts).
  expect(err).toMatchObject({ name: 'Ks3ProtocolError', operation: 'UploadPart' });
  expect((err as Error).message).toContain('<ExposeHeader>ETag</ExposeHeader>');
  expect(await uploadsOf(env, key)).toEqual([]);
});

test('progress is reported per part, up to exactly the total', async () => {
  const data = pseudoRandomBytes(6 * P + 5, 2);
  for (const client of [env.client, env.encrypted]) {
    const events: UploadProgress[] = [];
    await upload(client, {
      bucket: env.bucket,
      key: 'progress',
      body: new Blob([data]),
      partSize: P,
      onProgress: (e) => events.push(e),
    });
    expect(new Set(events.map((e) => e.part).filter(Boolean))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7]));
    for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
    expect(events.at(-1)).toMatchObject({ loaded: data.length, total: data.length });
  }
});

test('abort mid-way rejects with AbortError and removes the upload', async () => {
  const key = 'abort';
  await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, delayMs: 50, times: 8 });
  const ac = new AbortController();
  const p = upload(env.encrypted, {
    bucket: env.bucket,
    key,
    body: streamOf(pseudoRandomBytes(8 * P, 3)),
    partSize: P,
    signal: ac.signal,
    onCheckpoint: (c) => void (c.parts.length === 1 && ac.abort()),
  });
  await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  expect(await uploadsOf(env, key)).toEqual([]);
});

test('pause and resume', async () => {
  const key = 'pause';
  const data = pseudoRandomBytes(6 * P, 4);
  await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, delayMs: 40, times: 6 });
  let paused: Promise<void> | undefined;
  const up = createUpload(env.client, {
    bucket: env.bucket,
    key,
    body: new Blob([data]),
    partSize: P,
    concurrency: 2,
    onCheckpoint: (c) => void (c.parts.length === 2 && (paused = up.pause())),
  });
  for (let i = 0; i < 500 && !paused; i++) await new Promise((r) => setTimeout(r, 10));
  await paused;
  const held = up.checkpoint()!.parts.length;
  expect(held).toBeLessThan(6);
  await new Promise((r) => setTimeout(r, 100));
  expect(up.checkpoint()!.parts.length).toBe(held);
  up.resume();
  expect((await up.done).parts).toBe(6);
  expect(firstDifference(await (await getObject(env.client, { bucket: env.bucket, key })).bytes(), data)).toBe(-1);
});

test('after a "reload", an encrypted upload resumes from a checkpoint kept in localStorage', async () => {
  const key = 'reload';
  const data = pseudoRandomBytes(5 * P + 3, 5);
  const file = new File([data], 'photo.raw', { lastModified: 1_700_000_000_000 });
  const slot = `ks3-upload:${env.bucket}/${key}`;
  const store: CheckpointStore = {
    load: () => JSON.parse(localStorage.getItem(slot) ?? 'null') ?? undefined,
    save: (c: UploadCheckpoint) => localStorage.setItem(slot, JSON.stringify(c)),
    clear: () => localStorage.removeItem(slot),
  };
  await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, partNumber: 4, status: 500, times: 1 });
  const failing = env.make({ retries: 0, encryption: { key: 'ks3-demo-key-16b' } });
  await expect(
    upload(failing, {
      bucket: env.bucket,
      key,
      body: file,
      partSize: P,
      concurrency: 1,
      partRetries: 0,
      checkpointStore: store,
    }),
  ).rejects.toMatchObject({ status: 500 });
  expect((JSON.parse(localStorage.getItem(slot)!) as UploadCheckpoint).parts).toHaveLength(3);
  // A new page: a new client, the same File (picked again), the checkpoint from localStorage.
  const again = new File([data], 'photo.raw', { lastModified: 1_700_000_000_000 });
  const r = await upload(env.make({ encryption: { key: 'ks3-demo-key-16b' } }), {
    bucket: env.bucket,
    key,
    body: again,
    checkpointStore: store,
  });
  expect(r.parts).toBe(6);
  expect(localStorage.getItem(slot)).toBeNull();
  expect(firstDifference(await (await getObject(env.encrypted, { bucket: env.bucket, key })).bytes(), data)).toBe(-1);
});
