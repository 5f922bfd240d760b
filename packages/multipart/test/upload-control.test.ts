/**
 * Concurrency, bounded memory, abort (with and without keepOnFailure), pause/resume in one
 * process, and checkpoints handed out after every part.
 */
import { describe, expect, test } from 'vitest';
import { getObject, type Client } from '@ks3/core';
import { createUpload, upload, type UploadCheckpoint, type UploadProgress } from '@ks3/multipart';
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

const env = useBucket('mp-control');

/** The upload manager's test hook for live part buffers (not part of its public types). */
const buffersHook = (f: (n: number) => void): object => ({ _onBuffers: f });
const P = 128 * KiB;

const parallelClient = (encrypted: boolean, extra: Parameters<typeof env.make>[0] = {}): Client =>
  env.make({ streaming: true, ...(encrypted ? { encryption: { key: 'ks3-demo-key-16b' } } : {}), ...extra });

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('%s', (name, encrypted) => {
  test('parts go out in parallel, never more than `concurrency`, and memory stays bounded', async () => {
    const data = pseudoRandomBytes(24 * P + 100, 1);
    for (const concurrency of [1, 3]) {
      const counter = countingFetch(isPartPut);
      const client = parallelClient(encrypted, { fetch: counter.fetch });
      // Slow parts down so that they overlap however fast the machine is.
      await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, delayMs: 30, times: 25 });
      let live = 0;
      let peak = 0;
      const key = `parallel/${name}/${concurrency}`;
      await upload(client, {
        bucket: env.bucket,
        key,
        body: streamOf(data, 10_000),
        partSize: P,
        concurrency,
        ...buffersHook((n) => ((live = n), (peak = Math.max(peak, n)))),
      });
      expect(counter.total()).toBe(25);
      expect(counter.max()).toBe(concurrency);
      // One buffer per part in flight, one prepared ahead, and (encrypting) the plaintext of the
      // part being encrypted next to its ciphertext.
      expect(peak).toBeLessThanOrEqual(concurrency + (encrypted ? 2 : 1));
      expect(live).toBe(0);
      expect(firstDifference(await (await getObject(client, { bucket: env.bucket, key })).bytes(), data)).toBe(-1);
    }
  });

  test('abort mid-way rejects with the AbortError and leaves no upload; keepOnFailure keeps it', async () => {
    const data = pseudoRandomBytes(12 * P, 2);
    for (const keepOnFailure of [false, true]) {
      const key = `abort/${name}/${keepOnFailure}`;
      const ac = new AbortController();
      let cp: UploadCheckpoint | undefined;
      await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, delayMs: 40, times: 12 });
      let live = 0;
      const p = upload(parallelClient(encrypted), {
        bucket: env.bucket,
        key,
        body: new Blob([data]),
        partSize: P,
        signal: ac.signal,
        keepOnFailure,
        ...buffersHook((n) => (live = n)),
        onCheckpoint: (c) => {
          cp = c;
          if (c.parts.length === 2) ac.abort();
        },
      });
      const err = await p.catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'AbortError' });
      expect(await uploadsOf(env, key)).toEqual(keepOnFailure ? [cp!.uploadId] : []);
      expect(live).toBe(0);
    }
  });

  test('pause stops sending and resume finishes the object; progress only goes back when flagged', async () => {
    const data = pseudoRandomBytes(10 * P + 7, 3);
    const key = `pause/${name}`;
    await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, delayMs: 30, times: 11 });
    const events: UploadProgress[] = [];
    let paused: Promise<void> | undefined;
    const counter = countingFetch(isPartPut);
    const up = createUpload(parallelClient(encrypted, { fetch: counter.fetch }), {
      bucket: env.bucket,
      key,
      body: streamOf(data, 30_000),
      size: data.length,
      partSize: P,
      onProgress: (e) => events.push(e),
      // Pausing from the callback (without awaiting it there) pauses at a known point.
      onCheckpoint: (c) => void (c.parts.length === 3 && (paused = up.pause())),
    });
    for (let i = 0; i < 500 && !paused; i++) await new Promise((r) => setTimeout(r, 10));
    await paused;
    const sent = counter.total();
    const done = up.checkpoint()!.parts.length;
    expect(done).toBeLessThan(11);
    await new Promise((r) => setTimeout(r, 150));
    expect(counter.total()).toBe(sent); // nothing sent while paused
    expect(up.checkpoint()!.parts.length).toBe(done);
    up.resume();
    const r = await up.done;
    expect(r.parts).toBe(11);
    expect(
      firstDifference(await (await getObject(parallelClient(encrypted), { bucket: env.bucket, key })).bytes(), data),
    ).toBe(-1);
    for (let i = 1; i < events.length; i++)
      if (!events[i]!.retried) expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
    expect(events.at(-1)).toMatchObject({ loaded: data.length, total: data.length });
  });
});

test('checkpoints: one after initiate, then one per part, each a plain JSON snapshot', async () => {
  const data = pseudoRandomBytes(5 * P, 4);
  const seen: UploadCheckpoint[] = [];
  const up = createUpload(env.encrypted, {
    bucket: env.bucket,
    key: 'cp/enc',
    body: data,
    partSize: P,
    onCheckpoint: async (c) => void seen.push(c),
  });
  expect(up.checkpoint()).toBeUndefined();
  await up.done;
  expect(seen.map((c) => c.parts.length)).toEqual([0, 1, 2, 3, 4, 5]);
  const last = seen.at(-1)!;
  expect(JSON.parse(JSON.stringify(last))).toEqual(last);
  expect(last).toMatchObject({
    version: 1,
    bucket: env.bucket,
    key: 'cp/enc',
    partSize: P,
    size: 5 * P,
    source: { size: 5 * P },
  });
  expect(last.source.sample).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  expect(last.encryption!.fingerprint).toBe('OTQwMjgwMzllNzZhOGYwOTdkNDc2NzUwMGJlNjQzMWY=');
  expect(last.parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4, 5]);
  expect(last.parts.map((p) => p.encryptionState!.offset)).toEqual([1, 2, 3, 4, 5].map((n) => n * P));
  expect(JSON.stringify(last)).not.toContain('ks3-demo-key-16b');
  expect(up.checkpoint()).toEqual(last);
});

test('a caller abort before the upload starts, and abort() on the handle, reject at once', async () => {
  const ac = new AbortController();
  ac.abort();
  await expect(
    upload(env.client, { bucket: env.bucket, key: 'never', body: 'x', signal: ac.signal }),
  ).rejects.toMatchObject({ name: 'AbortError' });
  const up = createUpload(env.client, {
    bucket: env.bucket,
    key: 'never2',
    body: streamOf(pseudoRandomBytes(3 * P, 5)),
    partSize: P,
  });
  up.abort(new Error('changed my mind'));
  await expect(up.done).rejects.toThrow('changed my mind');
  expect(await uploadsOf(env, 'never2')).toEqual([]);
});
