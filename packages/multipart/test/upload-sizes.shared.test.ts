/**
 * Round trips through the emulator for the sizes where part arithmetic goes wrong (0, 1, one
 * part, one part + 1, several parts with a short tail), from every kind of source, plain and
 * encrypted, in Node and in Chromium. Also: progress, the PUT/multipart threshold, headers.
 */
import { describe, expect, test } from 'vitest';
import { getObject, headObject, type Body, type Client } from '@ks3/core';
import { upload, type UploadProgress } from '@ks3/multipart';
import { firstDifference, KiB, pseudoRandomBytes, streamOf, useBucket } from './helpers.js';

const env = useBucket('mp-sizes');
const P = 128 * KiB;

type Kind = 'bytes' | 'blob' | 'stream' | 'stream-unsized';
const bodyOf = (kind: Kind, data: Uint8Array): { body: Body; size?: number } =>
  kind === 'bytes'
    ? { body: data }
    : kind === 'blob'
      ? { body: new Blob([data as Uint8Array<ArrayBuffer>]) }
      : kind === 'stream'
        ? { body: streamOf(data, 50_000), size: data.length }
        : { body: streamOf(data, 50_000) };

/** Checks a progress log: monotonic unless flagged, within the total, ending exactly at it. */
function checkProgress(events: UploadProgress[], total: number): void {
  expect(events.length).toBeGreaterThan(0);
  for (let i = 1; i < events.length; i++) {
    if (!events[i]!.retried) expect(events[i]!.loaded, `event ${i}`).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
  }
  for (const e of events) expect(e.loaded).toBeLessThanOrEqual(total);
  expect(events.at(-1)).toMatchObject({ loaded: total, total });
}

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('%s uploads', (_name, encrypted) => {
  const client = (): Client => (encrypted ? env.encrypted : env.client);
  test.each([0, 1, P, P + 1, 3 * P + 5])('%i bytes from bytes, a Blob and streams round-trip', async (size) => {
    const data = pseudoRandomBytes(size, size + 7);
    for (const kind of ['bytes', 'blob', 'stream', 'stream-unsized'] as const) {
      const key = `sizes/${encrypted}/${size}/${kind}`;
      const events: UploadProgress[] = [];
      const r = await upload(client(), {
        bucket: env.bucket,
        key,
        ...bodyOf(kind, data),
        partSize: P,
        onProgress: (p) => events.push(p),
      });
      expect(r.size, key).toBe(size);
      expect(r.parts, key).toBe(size <= P ? 0 : Math.ceil(size / P));
      if (r.parts) expect(r.etag, key).toMatch(new RegExp(`^"[0-9a-f]{32}-${r.parts}"$`));
      const got = await getObject(client(), { bucket: env.bucket, key });
      expect(firstDifference(await got.bytes(), data), key).toBe(-1);
      checkProgress(events, size);
    }
  });

  test('threshold 0 sends even one part as a multipart upload; a high threshold sends one PUT', async () => {
    const data = pseudoRandomBytes(P, 3);
    const one = await upload(client(), {
      bucket: env.bucket,
      key: 'threshold/one',
      body: streamOf(data),
      partSize: P,
      threshold: 0,
    });
    expect(one.parts).toBe(1);
    const big = pseudoRandomBytes(3 * P, 4);
    const single = await upload(client(), {
      bucket: env.bucket,
      key: 'threshold/single',
      body: streamOf(big),
      partSize: P,
      threshold: 4 * P,
    });
    expect(single.parts).toBe(0);
    const multi = await upload(client(), {
      bucket: env.bucket,
      key: 'threshold/multi',
      body: streamOf(big),
      partSize: P,
      threshold: 2 * P,
    });
    expect(multi.parts).toBe(3);
    for (const [key, want] of [
      ['threshold/one', data],
      ['threshold/single', big],
      ['threshold/multi', big],
    ] as const) {
      expect(firstDifference(await (await getObject(client(), { bucket: env.bucket, key })).bytes(), want), key).toBe(
        -1,
      );
    }
  });
});

test('object options reach the final object; a File gives its type', async () => {
  const data = pseudoRandomBytes(2 * P + 3, 9);
  for (const [key, body] of [
    ['opts/multi.bin', new File([data], 'x.bin', { type: 'application/x-test' })],
    ['opts/single.bin', new File([data.subarray(0, 10)], 'y.bin', { type: 'application/x-test' })],
  ] as const) {
    await upload(env.client, {
      bucket: env.bucket,
      key,
      body,
      partSize: P,
      metadata: { origin: 'manager' },
      storageClass: 'STANDARD_IA',
      cacheControl: 'max-age=60',
    });
    const head = await headObject(env.client, { bucket: env.bucket, key });
    expect(head, key).toMatchObject({
      contentType: 'application/x-test',
      metadata: { origin: 'manager' },
      storageClass: 'STANDARD_IA',
      cacheControl: 'max-age=60',
    });
  }
  await upload(env.client, {
    bucket: env.bucket,
    key: 'opts/typed.txt',
    body: data,
    partSize: P,
    contentType: 'text/x-given',
  });
  expect((await headObject(env.client, { bucket: env.bucket, key: 'opts/typed.txt' })).contentType).toBe(
    'text/x-given',
  );
});

test('bad options fail before any request', async () => {
  const { bucket } = env;
  const cases: [Record<string, unknown>, string][] = [
    [{ partSize: 1000 }, 'partSize'],
    [{ partSize: 6 * 1024 ** 3 }, 'partSize'],
    [{ partSize: 100 * KiB + 1, encrypted: true }, 'partSize'],
    [{ concurrency: 0 }, 'concurrency'],
    [{ threshold: -1 }, 'threshold'],
    [{ size: 5, body: 'abc' }, 'size'],
    [{ body: 42 }, 'body'],
    [{ partSize: 100 * KiB, size: 100 * KiB * 10_001, body: new ReadableStream() }, 'partSize'],
  ];
  for (const [o, param] of cases) {
    const { encrypted, ...rest } = o;
    const err = await upload(encrypted ? env.encrypted : env.client, {
      bucket,
      key: 'never',
      body: 'x',
      ...rest,
    } as never).catch((e: unknown) => e);
    expect(err, param).toMatchObject({ name: 'Ks3InputError', param });
  }
});
