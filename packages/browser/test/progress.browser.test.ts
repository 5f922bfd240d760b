/**
 * Byte-level upload progress in Chromium: fetch cannot report it, so an upload whose caller asks
 * for progress goes through XMLHttpRequest (same API, same signing), while uploads without
 * progress keep using fetch. Progress never goes backwards and ends exactly at the body's size.
 */
import { expect, inject, test } from 'vitest';
import { createBucket, createClient, getObject, putObject, type TransferProgress } from '@ks3/core';
import { firstDifference, pseudoRandomBytes } from '../../../internal/test-utils/contract.js';

const { endpoint, accessKeyId, secretAccessKey } = inject('ks3');
const bucket = `br-progress-${Math.random().toString(36).slice(2, 9)}`;

test('putObject with onProgress reports bytes as they are sent (XMLHttpRequest), ending at the size', async () => {
  const client = createClient({ endpoint, accessKeyId, secretAccessKey, retries: 0 });
  await createBucket(client, { bucket });
  const data = pseudoRandomBytes(24 << 20, 3);
  const seen: TransferProgress[] = [];
  const put = await putObject(client, {
    bucket,
    key: 'p/big.bin',
    body: new Blob([data]),
    onProgress: (p) => seen.push(p),
  });
  expect(put.etag).toMatch(/^"[0-9a-f]{32}"$/);
  expect(seen.length).toBeGreaterThan(1);
  for (let i = 1; i < seen.length; i++) expect(seen[i]!.loaded).toBeGreaterThanOrEqual(seen[i - 1]!.loaded);
  expect(seen.every((p) => p.total === data.length && p.loaded <= data.length)).toBe(true);
  expect(seen.at(-1)!.loaded).toBe(data.length);
  const back = await (await getObject(client, { bucket, key: 'p/big.bin' })).bytes();
  expect(firstDifference(back, data)).toBe(-1);
});

test('an injected fetch is kept even with onProgress (one event, at the end)', async () => {
  let calls = 0;
  const client = createClient({
    endpoint,
    accessKeyId,
    secretAccessKey,
    retries: 0,
    fetch: (input, init) => (calls++, fetch(input, init)),
  });
  const seen: number[] = [];
  await putObject(client, {
    bucket,
    key: 'p/small.bin',
    body: new Blob([new Uint8Array(1000)]),
    onProgress: (p) => seen.push(p.loaded),
  });
  expect(calls).toBe(1);
  expect(seen).toEqual([1000]);
});

test('download progress: getObject reports bytes as the body is read, never above the total', async () => {
  const client = createClient({ endpoint, accessKeyId, secretAccessKey, retries: 0 });
  const seen: TransferProgress[] = [];
  const obj = await getObject(client, { bucket, key: 'p/big.bin', onProgress: (p) => seen.push(p) });
  const bytes = await obj.bytes();
  expect(seen.length).toBeGreaterThan(1);
  expect(seen.at(-1)).toEqual({ loaded: bytes.length, total: bytes.length });
  for (let i = 1; i < seen.length; i++) expect(seen[i]!.loaded).toBeGreaterThan(seen[i - 1]!.loaded);
});
