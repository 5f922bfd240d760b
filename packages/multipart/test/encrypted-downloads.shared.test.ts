/**
 * Issue 9.3: client-side encrypted objects download on every path (bytes, text, stream, range)
 * whichever way they were made — one encrypted putObject, low-level encrypted parts, the upload
 * manager — in Node and Chromium. `contentLength` is exact or absent, never a guess; the upload
 * manager records the plaintext length at Initiate when it knows the size, so its objects get an
 * exact (and checked) length. The file path is tested in packages/node/test/downloads-to-file.test.ts.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import {
  completeMultipartUpload,
  getObject,
  type GetObjectResult,
  headObject,
  initiateMultipartUpload,
  putObject,
  uploadPart,
} from '@ks3/core';
import { upload } from '@ks3/multipart';
import { firstDifference, KiB, pseudoRandomBytes, streamOf, useBucket } from './helpers.js';

const env = useBucket('enc-dl');
const PART = 112 * KiB;
const PLAIN = pseudoRandomBytes(2 * PART + 1000, 93);

/** How each object was made, and whether its plaintext length is recorded. */
const MADE: { key: string; recorded: boolean }[] = [
  { key: 'by-put', recorded: true },
  { key: 'by-parts', recorded: false },
  { key: 'by-upload', recorded: true },
  { key: 'by-upload-unsized-stream', recorded: false },
];

beforeAll(async () => {
  const c = env.encrypted;
  const { bucket } = env;
  await putObject(c, { bucket, key: 'by-put', body: PLAIN });
  // Low-level: initiate, three encrypted parts in order, complete.
  const init = await initiateMultipartUpload(c, { bucket, key: 'by-parts' });
  let state = init.encryptionState!;
  const parts = [];
  for (let i = 0; i < 3; i++) {
    const body = PLAIN.subarray(i * PART, Math.min((i + 1) * PART, PLAIN.length));
    const p = await uploadPart(c, {
      bucket,
      key: 'by-parts',
      uploadId: init.uploadId,
      partNumber: i + 1,
      body,
      encryptionState: state,
      isLastPart: i === 2,
    });
    state = p.encryptionState!;
    parts.push(p);
  }
  await completeMultipartUpload(c, { bucket, key: 'by-parts', uploadId: init.uploadId, parts });
  const made = await upload(c, { bucket, key: 'by-upload', body: new Blob([PLAIN]), partSize: PART });
  expect(made.parts).toBe(3);
  const unsized = await upload(c, { bucket, key: 'by-upload-unsized-stream', body: streamOf(PLAIN), partSize: PART });
  expect(unsized.parts).toBe(3);
});

function expectLength(obj: GetObjectResult, recorded: boolean, actual: number): void {
  expect(obj.encrypted).toBe(true);
  // Exact or absent, never a guess.
  expect(obj.contentLength).toBe(recorded ? actual : undefined);
}

describe.each(MADE)('an encrypted object made $key', ({ key, recorded }) => {
  test('bytes(): the plaintext; contentLength exact or absent; size the plaintext size when recorded', async () => {
    const obj = await getObject(env.encrypted, { bucket: env.bucket, key });
    expectLength(obj, recorded, PLAIN.length);
    expect(obj.size).toBe(recorded ? PLAIN.length : undefined);
    expect(firstDifference(await obj.bytes(), PLAIN)).toBe(-1);
  });

  test('text() and the body stream give the same plaintext', async () => {
    const a = await getObject(env.encrypted, { bucket: env.bucket, key });
    expectLength(a, recorded, PLAIN.length);
    expect(await a.text()).toBe(new TextDecoder().decode(PLAIN));
    const b = await getObject(env.encrypted, { bucket: env.bucket, key });
    const got = new Uint8Array(await new Response(b.body).arrayBuffer());
    expect(firstDifference(got, PLAIN)).toBe(-1);
  });

  test('ranges: start, across part boundaries, to the end', async () => {
    for (const [start, end] of [
      [0, 15],
      [5, 40],
      [PART - 7, PART + 20],
      [2 * PART - 1, 2 * PART + 1],
      [PLAIN.length - 33, undefined],
      [PLAIN.length - 1, PLAIN.length + 50],
    ] as const) {
      const obj = await getObject(env.encrypted, { bucket: env.bucket, key, range: { start, end } });
      const want = PLAIN.subarray(start, end === undefined ? undefined : end + 1);
      expect(obj.contentLength, `${start}-${end}`).toBe(want.length);
      expect(obj.range).toMatchObject({ start, end: start + want.length - 1 });
      expect(firstDifference(await obj.bytes(), want), `${start}-${end}`).toBe(-1);
    }
  });
});

test('the upload manager records the plaintext length at Initiate only when it knows the size', async () => {
  const [sized, unsized] = await Promise.all(
    ['by-upload', 'by-upload-unsized-stream'].map((key) => headObject(env.client, { bucket: env.bucket, key })),
  );
  expect(sized!.metadata['unencrypted-content-length']).toBe(String(PLAIN.length));
  expect(unsized!.metadata['unencrypted-content-length']).toBeUndefined();
  // A plain (unencrypted) upload records nothing of the kind.
  await upload(env.client, { bucket: env.bucket, key: 'plain', body: new Blob([PLAIN]), partSize: PART });
  const plain = await headObject(env.client, { bucket: env.bucket, key: 'plain' });
  expect(plain.metadata).toEqual({});
});
