/**
 * Download progress in Node: getObject and getObjectToFile report bytes as the body is read,
 * increasing, never above the total, ending exactly at it — for plain and decrypted objects
 * (whose total is the recorded plaintext size). The Chromium side is in
 * packages/browser/test/progress.browser.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createBucket, createClient, getObject, getObjectToFile, putObject, type TransferProgress } from '@ks3/node';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';

const { endpoint } = inject('ks3');
const bucket = `dl-progress-${Math.random().toString(36).slice(2, 9)}`;
const plain = createClient({ endpoint, ...TEST_CREDENTIALS });
const encrypted = createClient({ endpoint, ...TEST_CREDENTIALS, encryption: { key: 'ks3-demo-key-16b' } });
const data = new Uint8Array(8 * 1024 * 1024 + 77).map((_, i) => (i * 31) % 253);
const dir = mkdtempSync(join(tmpdir(), 'ks3-dl-progress-'));

beforeAll(async () => {
  await createBucket(plain, { bucket });
  await putObject(plain, { bucket, key: 'plain.bin', body: data });
  await putObject(encrypted, { bucket, key: 'sealed.bin', body: data });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectProgress(events: TransferProgress[], total: number): void {
  expect(events.length).toBeGreaterThan(1);
  for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).toBeGreaterThan(events[i - 1]!.loaded);
  expect(events.every((e) => e.total === total && e.loaded <= total)).toBe(true);
  expect(events.at(-1)).toEqual({ loaded: total, total });
}

test.each([
  ['plain', plain, 'plain.bin'],
  ['decrypted', encrypted, 'sealed.bin'],
] as const)('getObject (%s) reports progress as the body is read', async (_, client, key) => {
  const events: TransferProgress[] = [];
  const obj = await getObject(client, { bucket, key, onProgress: (p) => events.push(p) });
  expect(events).toEqual([]);
  const bytes = await obj.bytes();
  expect(bytes.length).toBe(data.length);
  expectProgress(events, data.length);
});

test.each([
  ['plain', plain, 'plain.bin'],
  ['decrypted', encrypted, 'sealed.bin'],
] as const)('getObjectToFile (%s) reports progress while writing the file', async (name, client, key) => {
  const events: TransferProgress[] = [];
  const path = join(dir, `${name}.out`);
  await getObjectToFile(client, { bucket, key, path, onProgress: (p) => events.push(p) });
  expectProgress(events, data.length);
  expect(Buffer.compare(readFileSync(path), Buffer.from(data))).toBe(0);
});
