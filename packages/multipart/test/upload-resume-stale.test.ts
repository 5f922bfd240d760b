/**
 * A checkpoint whose source changed (issue 11 point 17): its upload can never be completed with
 * this source, so it is aborted on the server and the checkpoint is removed (unless the caller
 * keeps them), the error says what was cleaned up with times as dates, and `restart` starts over.
 */
import { describe, expect, test } from 'vitest';
import { getObject, type Client } from '@ks3/core';
import { type CheckpointStore, type UploadCheckpoint, upload } from '@ks3/multipart';
import {
  countingFetch,
  firstDifference,
  interruptedUpload,
  isPartPut,
  KiB,
  pseudoRandomBytes,
  uploadsOf,
  useBucket,
} from './helpers.js';

const env = useBucket('mp-stale');
const P = 128 * KiB;
const DATE = 1_700_000_000_000;
const file = (bytes: Uint8Array, lastModified = DATE, name = 'f.bin') =>
  new File([bytes as Uint8Array<ArrayBuffer>], name, { lastModified });

/** A store in memory that counts its clears. */
function memoryStore(cp: UploadCheckpoint): CheckpointStore & { current: () => UploadCheckpoint | undefined } {
  let saved: UploadCheckpoint | undefined = cp;
  return {
    load: () => saved,
    save: (c) => void (saved = c),
    clear: () => void (saved = undefined),
    current: () => saved,
  };
}

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('%s', (name, encrypted) => {
  const client = (extra: Parameters<typeof env.make>[0] = {}): Client =>
    env.make({ retries: 0, ...(encrypted ? { encryption: { key: 'ks3-demo-key-16b' } } : {}), ...extra });
  const data = pseudoRandomBytes(5 * P, 31);
  const tampered = data.slice();
  tampered[100] = tampered[100]! ^ 1;

  test('by default the stale upload is aborted, the checkpoint removed, and the error says so', async () => {
    const cases: [string, File, string][] = [
      ['size', file(data.subarray(1)), `the source has ${data.length - 1} bytes but the checkpoint was made for`],
      ['bytes', file(tampered), 'does not start with the same bytes'],
      [
        'date',
        file(data, DATE + 1000),
        `modified at ${new Date(DATE + 1000).toISOString()}, ` +
          `but the checkpoint records ${new Date(DATE).toISOString()}`,
      ],
      ['name', file(data, DATE, 'g.bin'), 'named g.bin, but the checkpoint records f.bin'],
    ];
    for (const [what, body, reason] of cases) {
      const key = `stale/${name}/${what}`;
      const cp = await interruptedUpload(env, client(), key, file(data), 3, P);
      const store = memoryStore(cp);
      const counter = countingFetch(isPartPut);
      const err = (await upload(client({ fetch: counter.fetch }), {
        bucket: env.bucket,
        key,
        body,
        checkpointStore: store,
      }).catch((e: unknown) => e)) as Error;
      expect(err, what).toMatchObject({ name: 'Ks3InputError', param: 'resume' });
      expect(err.message, what).toContain(reason);
      expect(err.message, what).toContain(`aborted upload ${cp.uploadId} on the server, removed the checkpoint`);
      expect(err.message, what).not.toMatch(/\b1700000000000\b/);
      expect(counter.total(), what).toBe(0);
      expect(await uploadsOf(env, key), what).toEqual([]);
      expect(store.current(), what).toBeUndefined();
    }
  });

  test("'keep' touches nothing; 'restart' cleans up, then uploads the new source", async () => {
    const key = `stale/${name}/policies`;
    const cp = await interruptedUpload(env, client(), key, file(data), 3, P);
    const store = memoryStore(cp);
    const kept = (await upload(client(), {
      bucket: env.bucket,
      key,
      body: file(tampered),
      checkpointStore: store,
      onResumeMismatch: 'keep',
    }).catch((e: unknown) => e)) as Error;
    expect(kept.message).toContain(`upload ${cp.uploadId} and the checkpoint were kept`);
    expect(await uploadsOf(env, key)).toEqual([cp.uploadId]);
    expect(store.current()).toBe(cp);

    const r = await upload(client(), {
      bucket: env.bucket,
      key,
      body: file(tampered),
      partSize: P,
      checkpointStore: store,
      onResumeMismatch: 'restart',
    });
    expect(r.parts).toBe(5);
    expect(await uploadsOf(env, key)).toEqual([]);
    expect(store.current()).toBeUndefined();
    const got = await (await getObject(client(), { bucket: env.bucket, key })).bytes();
    expect(firstDifference(got, tampered)).toBe(-1);
  });
});

test('an upload gone from the server: the checkpoint is removed, and restart starts over', async () => {
  const client = env.make({ retries: 0 });
  const data = pseudoRandomBytes(3 * P, 32);
  const key = 'stale/gone';
  const cp = await interruptedUpload(env, client, key, file(data), 2, P);
  const { abortMultipartUpload } = await import('@ks3/core');
  await abortMultipartUpload(client, { bucket: env.bucket, key, uploadId: cp.uploadId });
  const store = memoryStore(cp);
  const err = (await upload(client, { bucket: env.bucket, key, body: file(data), checkpointStore: store }).catch(
    (e: unknown) => e,
  )) as Error;
  expect(err.message).toContain(
    `upload ${cp.uploadId} no longer exists (completed, aborted or expired); removed the checkpoint`,
  );
  expect(store.current()).toBeUndefined();
  store.save(cp);
  const r = await upload(client, {
    bucket: env.bucket,
    key,
    body: file(data),
    partSize: P,
    checkpointStore: store,
    onResumeMismatch: 'restart',
  });
  expect(r.parts).toBe(3);
  expect(firstDifference(await (await getObject(client, { bucket: env.bucket, key })).bytes(), data)).toBe(-1);
});

test('a checkpoint passed as `resume` (no store) is reported as the caller’s to discard', async () => {
  const client = env.make({ retries: 0 });
  const data = pseudoRandomBytes(3 * P, 33);
  const key = 'stale/option';
  const cp = await interruptedUpload(env, client, key, file(data), 2, P);
  const err = (await upload(client, { bucket: env.bucket, key, body: file(data.subarray(7)), resume: cp }).catch(
    (e: unknown) => e,
  )) as Error;
  expect(err.message).toContain(`aborted upload ${cp.uploadId} on the server, discard the checkpoint`);
  expect(await uploadsOf(env, key)).toEqual([]);
});

test('an unknown onResumeMismatch is refused before any request', async () => {
  const counter = countingFetch(() => true);
  const err = await upload(env.make({ fetch: counter.fetch }), {
    bucket: env.bucket,
    key: 'stale/bad-option',
    body: 'x',
    onResumeMismatch: 'retry' as never,
  }).catch((e: unknown) => e);
  expect(err).toMatchObject({ name: 'Ks3InputError', param: 'onResumeMismatch' });
  expect(counter.total()).toBe(0);
});
