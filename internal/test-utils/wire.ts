/**
 * Helpers shared by the wire tests (packages/core/test/wire/*): a bucket of their own on the
 * shared emulator, clients for a recording server, and header look-ups on recorded requests.
 * Web globals only: these run in Node and in Chromium.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import {
  abortMultipartUpload,
  type Client,
  type ClientConfig,
  createBucket,
  createClient,
  emptyAndDeleteBucket,
  listAllMultipartUploads,
} from '@ks3/core';
import { TEST_CREDENTIALS } from './credentials.js';
import { type RecordedRequest, type Recorder, recorder } from './recorder.js';

export const inBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';

/** Whether client options bring their own identity (then the test keys are left out: a client takes one). */
const ownIdentity = (o: Partial<ClientConfig>): boolean =>
  o.anonymous === true || o.signer !== undefined || o.credentials !== undefined || o.accessKeyId !== undefined;

export interface EmulatorBucket {
  endpoint: string;
  bucket: string;
  client: Client;
  make(extra?: Partial<ClientConfig>): Client;
}

/** A fresh bucket on the shared emulator for one test file, emptied and deleted afterwards. */
export function emulatorBucket(prefix: string): EmulatorBucket {
  const env = {} as EmulatorBucket;
  beforeAll(async () => {
    const { endpoint } = inject('ks3');
    env.endpoint = endpoint;
    env.make = (extra = {}) =>
      createClient({ endpoint, ...(ownIdentity(extra) ? {} : TEST_CREDENTIALS), retries: 0, ...extra });
    env.client = env.make();
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

/** A recording server for one test file, closed afterwards. */
export function useRecorder(): { rec: Recorder; client(extra?: Partial<ClientConfig>): Client } {
  const env = {} as { rec: Recorder; client(extra?: Partial<ClientConfig>): Client };
  beforeAll(async () => {
    env.rec = await recorder();
    // `anonymous: true` leaves the keys out (a client may not have both).
    env.client = (extra = {}) =>
      createClient({
        endpoint: env.rec.url,
        ...(ownIdentity(extra) ? {} : TEST_CREDENTIALS),
        retries: 0,
        addressing: 'path',
        ...extra,
      });
  });
  afterAll(async () => env.rec?.close());
  return env;
}

/** Every value a header had in a recorded request (names compared case-insensitively). */
export function headerValues(r: RecordedRequest, name: string): string[] {
  return r.rawHeaders.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
}

/** The recorded requests after the first `from` (to look only at what one call sent). */
export async function requestsSince(rec: Recorder, from: number): Promise<RecordedRequest[]> {
  return (await rec.requests()).slice(from);
}

/** gzip of `data` with the platform's CompressionStream (Node 18+ and Chromium). */
export async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
