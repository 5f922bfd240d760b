/**
 * Test helpers shared by the upload-manager tests in Node and in Chromium (web globals only).
 * Every file uses its own bucket on the shared emulator, and faults are scoped to that bucket,
 * so files can run in parallel.
 */
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { upload, type UploadCheckpoint } from '@ks3/multipart';
import {
  createBucket,
  createClient,
  emptyAndDeleteBucket,
  getObject,
  abortMultipartUpload,
  listAllMultipartUploads,
  type Client,
  type ClientConfig,
} from '@ks3/core';
import { createMd5 } from '@ks3/core/crypto';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';
import { emulatorAdmin } from '../../../internal/test-utils/emulator-admin.js';

export { firstDifference, pseudoRandomBytes } from '../../../internal/test-utils/contract.js';

export const KEY = 'ks3-demo-key-16b';
export const KiB = 1024;
export const MiB = 1024 * 1024;

export interface Env {
  endpoint: string;
  bucket: string;
  /** A plain client (no retries of its own unless asked). */
  client: Client;
  /** A client that encrypts with {@link KEY}. */
  encrypted: Client;
  make(extra?: Partial<ClientConfig>): Client;
}

/** A fresh bucket for this file, emptied and deleted afterwards (uploads in progress too). */
export function useBucket(prefix: string): Env {
  const env = {} as Env;
  beforeAll(async () => {
    const { endpoint } = inject('ks3');
    env.endpoint = endpoint;
    env.make = (extra = {}) => createClient({ endpoint, ...TEST_CREDENTIALS, retries: 1, retryDelay: 5, ...extra });
    env.client = env.make();
    env.encrypted = env.make({ encryption: { key: KEY } });
    env.bucket = `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
    await createBucket(env.client, { bucket: env.bucket });
  });
  afterAll(async () => {
    if (!env.bucket) return;
    for await (const u of listAllMultipartUploads(env.client, { bucket: env.bucket }))
      await abortMultipartUpload(env.client, { bucket: env.bucket, key: u.key, uploadId: u.uploadId });
    await emptyAndDeleteBucket(env.client, { bucket: env.bucket });
  });
  return env;
}

/** Arms an emulator fault (always scoped to a bucket by the caller), through Node also in Chromium. */
export async function addFault(endpoint: string, spec: Record<string, unknown> & { bucket: string }): Promise<void> {
  await emulatorAdmin(endpoint, 'faults', spec);
}

/** The multipart uploads in progress for `key`. */
export async function uploadsOf(env: Env, key: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const u of listAllMultipartUploads(env.client, { bucket: env.bucket, prefix: key }))
    if (u.key === key) ids.push(u.uploadId);
  return ids;
}

/** A stream of `data` in chunks of `chunk` bytes (copies, as a real source would produce). */
export function streamOf(data: Uint8Array, chunk = 64 * KiB): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i >= data.length) return c.close();
      c.enqueue(data.slice(i, i + chunk));
      i += chunk;
    },
  });
}

/** Hex MD5 of bytes. */
export function md5Hex(data: Uint8Array): string {
  return Array.from(createMd5().update(data).digest(), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Downloads an object (decrypting with `client`'s key) through MD5, never holding it whole. */
export async function downloadMd5(client: Client, bucket: string, key: string): Promise<{ md5: string; size: number }> {
  const got = await getObject(client, { bucket, key });
  const h = createMd5();
  let size = 0;
  const reader = got.body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    h.update(r.value);
    size += r.value.length;
  }
  return { md5: Array.from(h.digest(), (b) => b.toString(16).padStart(2, '0')).join(''), size };
}

/** A fetch that counts requests matching `match` in flight, and the most seen at once. */
export function countingFetch(match: (url: string, init?: RequestInit) => boolean): {
  fetch: typeof fetch;
  max: () => number;
  total: () => number;
} {
  let now = 0;
  let max = 0;
  let total = 0;
  return {
    fetch: async (input, init) => {
      const hit = match(String(input), init);
      if (hit) {
        total++;
        max = Math.max(max, ++now);
      }
      try {
        return await fetch(input, init);
      } finally {
        if (hit) now--;
      }
    },
    max: () => max,
    total: () => total,
  };
}

export const isPartPut = (url: string, init?: RequestInit): boolean =>
  init?.method === 'PUT' && /[?&]partNumber=/.test(url);

/**
 * Runs an upload of `body` in parts of `partSize` that fails at part `failAt` (a 500 the manager
 * does not retry), keeping the server upload, and returns its last checkpoint.
 */
export async function interruptedUpload(
  env: Env,
  client: Client,
  key: string,
  body: Blob | Uint8Array,
  failAt: number,
  partSize: number,
): Promise<UploadCheckpoint> {
  await addFault(env.endpoint, {
    op: 'UploadPart',
    bucket: env.bucket,
    key,
    partNumber: failAt,
    status: 500,
    times: 1,
  });
  let cp: UploadCheckpoint | undefined;
  const err = await upload(client, {
    bucket: env.bucket,
    key,
    body,
    partSize,
    concurrency: 1,
    partRetries: 0,
    keepOnFailure: true,
    onCheckpoint: (c) => void (cp = c),
  }).catch((e: unknown) => e);
  expect(err).toMatchObject({ name: 'Ks3ServiceError', status: 500 });
  expect(cp!.parts.map((p) => p.partNumber)).toEqual(Array.from({ length: failAt - 1 }, (_, i) => i + 1));
  return cp!;
}
