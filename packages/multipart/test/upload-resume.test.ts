/**
 * Resuming from a checkpoint in a new call (as after a restart): only the missing parts are
 * sent, parts the server lost are sent again, and every way the checkpoint can disagree with the
 * source, the key or the server is refused before anything is uploaded.
 */
import { describe, expect, test } from 'vitest';
import { abortMultipartUpload, getObject, type Client } from '@ks3/core';
import { upload, type CheckpointStore, type UploadCheckpoint } from '@ks3/multipart';
import {
  addFault,
  countingFetch,
  firstDifference,
  interruptedUpload,
  isPartPut,
  KiB,
  pseudoRandomBytes,
  streamOf,
  uploadsOf,
  useBucket,
} from './helpers.js';

const env = useBucket('mp-resume');
const P = 128 * KiB;

const interrupted = (client: Client, key: string, body: Blob | Uint8Array, failAt: number) =>
  interruptedUpload(env, client, key, body, failAt, P);

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('%s', (name, encrypted) => {
  const client = (extra: Parameters<typeof env.make>[0] = {}): Client =>
    env.make({ retries: 0, ...(encrypted ? { encryption: { key: 'ks3-demo-key-16b' } } : {}), ...extra });

  test('a new call resumes from the checkpoint and sends only the missing parts', async () => {
    const data = pseudoRandomBytes(7 * P + 333, 21);
    for (const kind of ['blob', 'bytes'] as const) {
      const key = `resume/${name}/${kind}`;
      const body = () => (kind === 'blob' ? new File([data], 'f.bin', { lastModified: 1_700_000_000_000 }) : data);
      const cp = await interrupted(client(), key, body(), 4);
      expect(await uploadsOf(env, key)).toEqual([cp.uploadId]);
      const counter = countingFetch(isPartPut);
      const seen: number[] = [];
      const r = await upload(client({ fetch: counter.fetch, streaming: true }), {
        bucket: env.bucket,
        key,
        body: body(),
        resume: cp,
        onProgress: (p) => seen.push(p.loaded),
      });
      expect(r.parts).toBe(8);
      expect(counter.total()).toBe(5);
      expect(seen[0]).toBe(3 * P);
      expect(seen.at(-1)).toBe(data.length);
      expect(firstDifference(await (await getObject(client(), { bucket: env.bucket, key })).bytes(), data), key).toBe(
        -1,
      );
      expect(await uploadsOf(env, key)).toEqual([]);
    }
  });

  test('parts missing on the server, or with another ETag, are sent again', async () => {
    const data = pseudoRandomBytes(6 * P, 22);
    const key = `lost/${name}`;
    const cp = await interrupted(client(), key, data, 5);
    cp.parts[1]!.etag = '"00000000000000000000000000000000"';
    const counter = countingFetch(isPartPut);
    await upload(client({ fetch: counter.fetch, streaming: true }), {
      bucket: env.bucket,
      key,
      body: new Blob([data]),
      resume: cp,
    });
    expect(counter.total()).toBe(3); // parts 2, 5 and 6
    expect(firstDifference(await (await getObject(client(), { bucket: env.bucket, key })).bytes(), data)).toBe(-1);
  });

  test('a checkpoint store is loaded, saved after every part, and cleared on success', async () => {
    const data = pseudoRandomBytes(4 * P, 23);
    const key = `store/${name}`;
    const saved: UploadCheckpoint[] = [];
    let cleared = 0;
    const store: CheckpointStore = {
      load: () => saved.at(-1),
      save: (c) => void saved.push(c),
      clear: () => void cleared++,
    };
    await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, partNumber: 3, status: 503, times: 1 });
    // With a store the upload is kept on failure by default, ready to resume.
    await expect(
      upload(client(), {
        bucket: env.bucket,
        key,
        body: data,
        partSize: P,
        concurrency: 1,
        partRetries: 0,
        checkpointStore: store,
      }),
    ).rejects.toMatchObject({ status: 503 });
    expect(saved.map((c) => c.parts.length)).toEqual([0, 1, 2]);
    expect(cleared).toBe(0);
    await upload(client(), { bucket: env.bucket, key, body: data, partSize: P, checkpointStore: store });
    expect(saved.at(-1)!.parts.length).toBe(4);
    expect(cleared).toBe(1);
    expect(firstDifference(await (await getObject(client(), { bucket: env.bucket, key })).bytes(), data)).toBe(-1);
  });
});

describe('a checkpoint that cannot apply to this call is refused before anything is sent, touching nothing', () => {
  test.each([
    ['plain', false],
    ['encrypted', true],
  ] as const)('%s', async (name, encrypted) => {
    const data = pseudoRandomBytes(5 * P, 24);
    const key = `mismatch/${name}`;
    const base = env.make({ retries: 0, ...(encrypted ? { encryption: { key: 'ks3-demo-key-16b' } } : {}) });
    const file = (bytes: Uint8Array, lastModified = 1_700_000_000_000) =>
      new File([bytes as Uint8Array<ArrayBuffer>], 'f.bin', { lastModified });
    const cp = await interrupted(base, key, file(data), 3);
    const counter = countingFetch(isPartPut);
    const client = env.make({
      retries: 0,
      fetch: counter.fetch,
      ...(encrypted ? { encryption: { key: 'ks3-demo-key-16b' } } : {}),
    });
    // A changed source is another matter (upload-resume-stale.test.ts): its upload is useless.
    const cases: [string, Client, Record<string, unknown>, string][] = [
      ['another object', client, { key: 'elsewhere', body: file(data) }, 'not '],
      ['a stream', client, { body: streamOf(data), size: data.length }, 'ReadableStream'],
      ['a newer version', client, { body: file(data), resume: { ...cp, version: 2 } }, 'version 2'],
      ['a broken part list', client, { body: file(data), resume: { ...cp, parts: [{ partNumber: 0 }] } }, 'a part'],
      ...((encrypted
        ? [
            [
              'another key',
              env.make({ fetch: counter.fetch, encryption: { key: 'another-key-16by' } }),
              { body: file(data) },
              'encryption key',
            ],
            ['no key', env.make({ fetch: counter.fetch }), { body: file(data) }, 'encrypted upload'],
          ]
        : [
            [
              'a key',
              env.make({ fetch: counter.fetch, encryption: { key: 'ks3-demo-key-16b' } }),
              { body: file(data) },
              'plain upload',
            ],
          ]) as [string, Client, Record<string, unknown>, string][]),
    ];
    for (const [what, c, o, message] of cases) {
      const err = (await upload(c, { bucket: env.bucket, key, resume: cp, ...o } as never).catch(
        (e: unknown) => e,
      )) as Error;
      expect(err, what).toMatchObject({ name: 'Ks3InputError', param: 'resume' });
      expect(err.message, what).toContain(message);
    }
    expect(counter.total()).toBe(0);
    expect(await uploadsOf(env, key)).toEqual([cp.uploadId]); // a refused resume leaves the upload alone
    await abortMultipartUpload(base, { bucket: env.bucket, key, uploadId: cp.uploadId });
    const gone = (await upload(client, { bucket: env.bucket, key, body: file(data), resume: cp }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(gone).toMatchObject({ name: 'Ks3InputError', param: 'resume' });
    expect(gone.message).toContain(`upload ${cp.uploadId} no longer exists`);
  });
});
