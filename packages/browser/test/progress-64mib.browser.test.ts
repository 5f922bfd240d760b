/**
 * Byte-level upload progress of one 64 MiB PUT in Chromium: at least 50 events. On loopback the
 * PUT would end in a fraction of a second, so the page's uploads are throttled to 8 MiB/s with
 * Chromium's own network emulation (internal/test-utils/throttle.ts, the ks3ThrottleUpload
 * command): about 8 s of upload, reported about every 100 ms.
 */
import { commands } from 'vitest/browser';
import { expect, inject, test } from 'vitest';
import { createBucket, createClient, deleteObject, headObject, putObject, type TransferProgress } from '@ks3/core';
import { pseudoRandomBytes } from '../../../internal/test-utils/contract.js';

const { endpoint, accessKeyId, secretAccessKey } = inject('ks3');
const bucket = `br-progress64-${Math.random().toString(36).slice(2, 9)}`;
const SIZE = 64 << 20;

test('a 64 MiB single PUT reports at least 50 progress events, in order, ending at the size', {
  timeout: 120_000,
}, async () => {
  const client = createClient({ endpoint, accessKeyId, secretAccessKey, retries: 0 });
  await createBucket(client, { bucket });
  const block = pseudoRandomBytes(1 << 20, 64);
  const body = new Blob(Array.from({ length: 64 }, () => block));
  const events: TransferProgress[] = [];
  await commands.ks3ThrottleUpload(8 << 20);
  let etag: string;
  try {
    ({ etag } = await putObject(client, { bucket, key: 'big/64mib.bin', body, onProgress: (p) => events.push(p) }));
  } finally {
    await commands.ks3ThrottleUpload(0);
  }
  expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
  expect(events.length).toBeGreaterThanOrEqual(50);
  for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).toBeGreaterThan(events[i - 1]!.loaded);
  expect(events.every((e) => e.total === SIZE && e.loaded <= SIZE)).toBe(true);
  expect(events.at(-1)!.loaded).toBe(SIZE);
  expect((await headObject(client, { bucket, key: 'big/64mib.bin' })).size).toBe(SIZE);
  await deleteObject(client, { bucket, key: 'big/64mib.bin' });
});
