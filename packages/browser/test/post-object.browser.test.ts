/**
 * POST-policy uploads in Chromium, cross-origin: policies signed by the server-side builder
 * (createPostPolicy of @ks3/node, web APIs only, so it runs here too), files posted with
 * postObject (XMLHttpRequest, byte-level progress). Inside the policy the upload succeeds; a wrong
 * prefix, a file too large, an expired policy and a tampered policy are each refused by the
 * emulator with KS3's error.
 */
import { commands } from 'vitest/browser';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import {
  createBucket,
  createClient,
  emptyAndDeleteBucket,
  getObject,
  headObject,
  type TransferProgress,
} from '@ks3/core';
import { createPostPolicy, type PostPolicyOptions } from '../../node/src/post-policy.js';
import { postObject } from '../src/post-object.js';
import { firstDifference, pseudoRandomBytes } from '../../../internal/test-utils/contract.js';

const { endpoint, accessKeyId, secretAccessKey } = inject('ks3');
const bucket = `br-post-${Math.random().toString(36).slice(2, 9)}`;
const owner = createClient({ endpoint, accessKeyId, secretAccessKey });
const policy = (o: Partial<PostPolicyOptions> = {}) =>
  createPostPolicy({ endpoint, credentials: { accessKeyId, secretAccessKey }, bucket, keyPrefix: 'forms/', ...o });

beforeAll(() => createBucket(owner, { bucket }));
afterAll(() => emptyAndDeleteBucket(owner, { bucket }));

test('inside the policy: uploaded with byte-level progress, stored as sent', async () => {
  const data = pseudoRandomBytes(6 << 20, 7);
  const file = new File([data], 'photo.png', { type: 'image/png' });
  const { url, fields } = await policy({ contentLengthRange: [1, 8 << 20], contentTypePrefix: 'image/' });
  const seen: TransferProgress[] = [];
  // On loopback 6 MiB can go in one progress interval: throttled to 8 MiB/s with Chromium's own
  // network emulation (as the 64 MiB progress test), the upload lasts about 0.75 s.
  await commands.ks3ThrottleUpload(8 << 20);
  let r: Awaited<ReturnType<typeof postObject>>;
  try {
    r = await postObject({ url, fields, file, onProgress: (p) => seen.push(p) });
  } finally {
    await commands.ks3ThrottleUpload(0);
  }
  expect(r.status).toBe(204);
  expect(r.etag).toMatch(/^"[0-9a-f]{32}"$/);
  expect(seen.length).toBeGreaterThan(1);
  for (let i = 1; i < seen.length; i++) expect(seen[i]!.loaded).toBeGreaterThan(seen[i - 1]!.loaded);
  expect(seen.at(-1)).toEqual({ loaded: data.length, total: data.length });
  const back = await getObject(owner, { bucket, key: 'forms/photo.png' });
  expect(back.contentType).toBe('image/png');
  expect(firstDifference(await back.bytes(), data)).toBe(-1);
});

test('201 answers a PostResponse; metadata and ACL are part of the policy', async () => {
  const { url, fields } = await policy({
    key: 'forms/fixed.txt',
    keyPrefix: undefined,
    successActionStatus: 201,
    metadata: { origin: 'form' },
    acl: 'private',
  });
  const r = await postObject({ url, fields, file: new Blob(['hello form']) });
  expect(r).toMatchObject({ status: 201, etag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });
  expect(r.body).toContain('<PostResponse>');
  expect((await headObject(owner, { bucket, key: 'forms/fixed.txt' })).metadata).toEqual({ origin: 'form' });
});

test.each([
  [
    'a key outside the prefix',
    {},
    (f: Record<string, string>) => ({ ...f, key: 'elsewhere/${filename}' }),
    403,
    'AccessDenied',
    /Policy Condition failed/,
  ],
  [
    'a file too large',
    { contentLengthRange: [1, 1000] as const },
    (f: Record<string, string>) => f,
    400,
    'EntityTooLarge',
    /./,
  ],
  [
    'an expired policy',
    { now: () => Date.now() - 3_600_000, expiresIn: 60 },
    (f: Record<string, string>) => f,
    403,
    'AccessDenied',
    /Policy expired/,
  ],
  [
    'a tampered policy',
    { contentLengthRange: [1, 1000] as const },
    (f: Record<string, string>) => ({ ...f, Policy: btoa(atob(f.Policy!).replace('1000', '9999999')) }),
    403,
    'SignatureDoesNotMatch',
    /./,
  ],
])('%s is refused by KS3 with its error', async (_, o, change, status, code, message) => {
  const { url, fields } = await policy(o);
  const err = await postObject({ url, fields: change(fields), file: new Blob([new Uint8Array(2000)]) }).catch(
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ name: 'Ks3ServiceError', operation: 'PostObject', status, code });
  expect((err as { serviceMessage?: string }).serviceMessage ?? '').toMatch(message);
});

test('bad input is a Ks3InputError; an abort rejects with its reason', async () => {
  const { url, fields } = await policy();
  await expect(postObject({ url: 'nope', fields, file: new Blob(['x']) })).rejects.toMatchObject({ param: 'url' });
  await expect(postObject({ url, fields, file: 'x' as unknown as Blob })).rejects.toMatchObject({ param: 'file' });
  const ac = new AbortController();
  const reason = new Error('cancelled');
  const p = postObject({ url, fields, file: new Blob([new Uint8Array(4 << 20)]), signal: ac.signal });
  ac.abort(reason);
  await expect(p).rejects.toBe(reason);
});
