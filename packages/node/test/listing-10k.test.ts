/**
 * A 10,000-key bucket listed with and without a delimiter, page by page: no key twice, none
 * missing, prefixes and objects in order (the emulator caps pages at 100 with a delimiter); then
 * emptied and deleted with batch deletes, its requests counted (issue 13's acceptance).
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import * as KS3 from '@ks3/node';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';

const bucket = `tenk-${Date.now() % 1e6}`;
let client: KS3.Client;
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
// 1,000 top-level files, and 300 directories of 30 keys each (10 of them one level deeper).
const top = Array.from({ length: 1000 }, (_, i) => `file-${pad(i, 4)}.txt`);
const nested = Array.from({ length: 300 }, (_, d) =>
  Array.from({ length: 30 }, (_, i) => `dir-${pad(d, 3)}/${i < 10 ? 'sub/' : ''}k-${pad(i, 2)}`),
).flat();
const all = [...top, ...nested];

beforeAll(async () => {
  client = KS3.createClient({ endpoint: inject('ks3').endpoint, ...TEST_CREDENTIALS });
  await KS3.createBucket(client, { bucket });
  const queue = [...all];
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let key = queue.pop(); key !== undefined; key = queue.pop())
        await KS3.putObject(client, { bucket, key, body: '' });
    }),
  );
}, 180_000);
let deleted = false;
afterAll(async () => {
  if (!deleted) await KS3.emptyAndDeleteBucket(client, { bucket });
}, 180_000);

test('10,000 keys exist', () => expect(all.length).toBe(10_000));

test('with a delimiter: every top-level file and directory exactly once, in order, over many pages', async () => {
  const seen: string[] = [];
  let pages = 0;
  let marker: string | undefined;
  do {
    const page = await KS3.listObjects(client, { bucket, delimiter: '/', startAfter: marker });
    pages++;
    expect(page.contents.length + page.commonPrefixes.length).toBeLessThanOrEqual(100);
    seen.push(...page.contents.map((o) => o.key), ...page.commonPrefixes.map((p) => p.prefix));
    marker = page.isTruncated ? page.nextStartAfter : undefined;
  } while (marker);
  const expected = [...top, ...Array.from({ length: 300 }, (_, d) => `dir-${pad(d, 3)}/`)].sort();
  expect(pages).toBeGreaterThanOrEqual(13);
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen.sort()).toEqual(expected);
});

test('the iterator agrees, and yields objects and prefixes in key order', async () => {
  const items: string[] = [];
  for await (const item of KS3.listAllObjects(client, { bucket, delimiter: '/' }))
    items.push(item.type === 'object' ? item.key : item.prefix);
  expect(items.length).toBe(1300);
  expect([...items].sort()).toEqual(items);
});

test('without a delimiter: all 10,000 keys once each, 1,000 per page', async () => {
  const keys: string[] = [];
  for await (const item of KS3.listAllObjects(client, { bucket }))
    keys.push(item.type === 'object' ? item.key : item.prefix);
  expect(keys.length).toBe(10_000);
  expect(new Set(keys).size).toBe(10_000);
  expect(keys).toEqual([...all].sort());
});

test('inside a directory with a delimiter: files and the sub-directory', async () => {
  const items = [];
  for await (const item of KS3.listAllObjects(client, { bucket, prefix: 'dir-123/', delimiter: '/', maxKeys: 7 }))
    items.push(item);
  expect(items.filter((i) => i.type === 'prefix')).toEqual([{ type: 'prefix', prefix: 'dir-123/sub/' }]);
  expect(items.filter((i) => i.type === 'object')).toHaveLength(20);
});

test('V2 listing (continuation tokens) yields the same items as V1, with and without a delimiter', async () => {
  for (const delimiter of [undefined, '/']) {
    const v1: string[] = [];
    const v2: string[] = [];
    for await (const i of KS3.listAllObjects(client, { bucket, delimiter }))
      v1.push(i.type === 'object' ? i.key : i.prefix);
    for await (const i of KS3.listAllObjects(client, { bucket, delimiter, listType: 2 }))
      v2.push(i.type === 'object' ? i.key : i.prefix);
    expect(v2).toEqual(v1);
  }
});

// Runs last: it deletes the bucket.
test('emptyAndDeleteBucket with 3 uploads in progress: at most 15 requests delete the 10,000 objects', async () => {
  for (let i = 0; i < 3; i++) await KS3.initiateMultipartUpload(client, { bucket, key: `pending-${i}.bin` });
  const requests: string[] = [];
  const counting = KS3.createClient({
    endpoint: inject('ks3').endpoint,
    ...TEST_CREDENTIALS,
    fetch: (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      requests.push(`${init?.method ?? 'GET'} ${/^\/[^/]+\/./.test(url.pathname) ? 'key' : 'bucket'}${url.search}`);
      return fetch(input, init);
    },
  });
  expect(await KS3.emptyAndDeleteBucket(counting, { bucket })).toMatchObject({ objects: 10_000, uploads: 3 });
  deleted = true;
  const deletes = requests.filter((r) => r.startsWith('POST bucket?delete') || r.startsWith('DELETE key'));
  expect(deletes.length).toBeLessThanOrEqual(15);
  expect(requests.filter((r) => r.startsWith('POST bucket?delete'))).toHaveLength(10);
  expect(requests.filter((r) => r.startsWith('DELETE key') && !r.includes('uploadId'))).toHaveLength(0);
  expect(requests.filter((r) => r.startsWith('DELETE key') && r.includes('uploadId'))).toHaveLength(3);
  const { exists } = await KS3.headBucket(client, { bucket });
  expect(exists).toBe(false);
});
