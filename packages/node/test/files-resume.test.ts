/**
 * getObjectToFile resumes a body cut mid-way (issue 11 point 5) with a ranged GET on the same
 * ETag, plain and decrypted, and never leaves a partial file: not when the cuts outlast the
 * resumes, not when the object changes in between.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import * as KS3 from '@ks3/node';
import { firstDifference, pseudoRandomBytes } from '../../../internal/test-utils/contract.js';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';
import { type FaultKind, type FaultProxy, startFaultProxy } from '../../../internal/test-utils/fault-proxy.js';

const bucket = `files-resume-${Date.now() % 1e6}`;
const KEY16 = 'ks3-demo-key-16b';
const data = pseudoRandomBytes(3 << 20, 41);
let direct: KS3.Client;
let proxy: FaultProxy;
let dir: string;

beforeAll(async () => {
  const { endpoint } = inject('ks3');
  direct = KS3.createClient({ endpoint, ...TEST_CREDENTIALS, retries: 0 });
  await KS3.createBucket(direct, { bucket });
  proxy = await startFaultProxy({ target: endpoint });
  dir = mkdtempSync(join(tmpdir(), 'ks3-resume-'));
  const enc = KS3.createClient({ endpoint, ...TEST_CREDENTIALS, encryption: { key: KEY16 } });
  await KS3.putObject(direct, { bucket, key: 'plain.bin', body: data });
  await KS3.putObject(enc, { bucket, key: 'enc-put.bin', body: data });
  await KS3.upload(enc, { bucket, key: 'enc-mp.bin', body: data, partSize: 1 << 20 });
});
afterAll(async () => {
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
  await KS3.emptyAndDeleteBucket(direct, { bucket });
});

const via = (extra: Partial<KS3.ClientConfig> = {}): KS3.Client =>
  KS3.createClient({ endpoint: proxy.url, ...TEST_CREDENTIALS, retries: 3, retryDelay: 1, ...extra });
const gets = (key: string) => proxy.log.filter((r) => r.method === 'GET' && r.url.includes(`/${key}`));
const leftovers = (name: string) => readdirSync(dir).filter((f) => f.includes(name));

describe.each([
  ['plain.bin', false],
  ['enc-put.bin', true],
  ['enc-mp.bin', true],
] as const)('%s', (key, encrypted) => {
  test.each(['reset-download', 'truncate'] as FaultKind[])(
    'a body cut by %s is resumed from where it stopped',
    async (kind) => {
      const path = join(dir, `${kind}-${key}`);
      const before = gets(key).length;
      proxy.inject({ kind, match: (r) => r.method === 'GET' && r.url.includes(`/${key}`) });
      const progress: number[] = [];
      const info = await KS3.getObjectToFile(via(encrypted ? { encryption: { key: KEY16 } } : {}), {
        bucket,
        key,
        path,
        onProgress: (p) => progress.push(p.loaded),
      });
      expect(firstDifference(readFileSync(path), data)).toBe(-1);
      expect(info.size).toBe(data.length);
      const [first, second] = gets(key).slice(before);
      expect(first!.headers.range).toBeUndefined();
      expect(second!.headers.range).toMatch(/^bytes=\d+-\d+$/);
      expect(Number(/=(\d+)/.exec(second!.headers.range as string)![1])).toBeGreaterThan(0);
      expect(second!.headers['if-match']).toBe((await KS3.headObject(direct, { bucket, key })).etag);
      expect(progress.at(-1)).toBe(data.length);
      for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]!);
      expect(leftovers('ks3-partial')).toEqual([]);
    },
  );

  test('more cuts than resumes: a typed failure and no file at all', async () => {
    const path = join(dir, `cut-${key}`);
    proxy.inject({ kind: 'reset-download', match: (r) => r.method === 'GET' && r.url.includes(`/${key}`), times: 3 });
    // No request retries: each cut costs exactly one resume.
    const err = await KS3.getObjectToFile(via({ retries: 0, ...(encrypted ? { encryption: { key: KEY16 } } : {}) }), {
      bucket,
      key,
      path,
      resumes: 2,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3NetworkError' });
    expect(leftovers(`cut-${key}`)).toEqual([]);
    expect(leftovers('ks3-partial')).toEqual([]);
  });
});

test('an object replaced between the cut and the resume: 412, and no file', async () => {
  const key = 'changing.bin';
  await KS3.putObject(direct, { bucket, key, body: data });
  proxy.inject({ kind: 'reset-download', match: (r) => r.method === 'GET' && r.url.includes(`/${key}`) });
  let replaced = false;
  const client = via({
    fetch: async (input, init) => {
      const h = new Headers(init?.headers);
      if (h.has('if-match') && !replaced) {
        replaced = true;
        await KS3.putObject(direct, { bucket, key, body: data.subarray(1) });
      }
      return fetch(input, init);
    },
  });
  const err = await KS3.getObjectToFile(client, { bucket, key, path: join(dir, 'changing.bin') }).catch(
    (e: unknown) => e,
  );
  expect(replaced).toBe(true);
  expect(err).toMatchObject({ name: 'Ks3ServiceError', status: 412 });
  expect(leftovers('changing')).toEqual([]);
});

test('a range is resumed within its bounds; resumes: 0 fails as before', async () => {
  const key = 'plain.bin';
  const path = join(dir, 'range.bin');
  proxy.inject({ kind: 'reset-download', match: (r) => r.method === 'GET' && r.url.includes(`/${key}`) });
  await KS3.getObjectToFile(via(), { bucket, key, path, range: { start: 1000, end: 1_000_999 } });
  expect(firstDifference(readFileSync(path), data.subarray(1000, 1_001_000))).toBe(-1);
  proxy.inject({ kind: 'truncate', match: (r) => r.method === 'GET' && r.url.includes(`/${key}`) });
  const err = await KS3.getObjectToFile(via(), { bucket, key, path: join(dir, 'none.bin'), resumes: 0 }).catch(
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ name: 'Ks3NetworkError' });
  expect(leftovers('none.bin')).toEqual([]);
});

test('a bad resumes option is refused before any request', async () => {
  const before = proxy.requests;
  for (const resumes of [-1, 1.5, Number.NaN, '2'])
    await expect(
      KS3.getObjectToFile(via(), { bucket, key: 'plain.bin', path: join(dir, 'x'), resumes: resumes as number }),
    ).rejects.toMatchObject({ name: 'Ks3InputError', param: 'resumes' });
  expect(proxy.requests).toBe(before);
});
