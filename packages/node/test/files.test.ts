/** Node adapter: files in and out, streamed; nothing partial is ever left at the target path. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import * as KS3 from '@ks3/node';
import { firstDifference, pseudoRandomBytes } from '../../../internal/test-utils/contract.js';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';

const bucket = `files-${Date.now() % 1e6}`;
let client: KS3.Client;
let dir: string;
const big = pseudoRandomBytes(12 << 20, 21);

beforeAll(async () => {
  client = KS3.createClient({ endpoint: inject('ks3').endpoint, ...TEST_CREDENTIALS, retries: 0 });
  await KS3.createBucket(client, { bucket });
  dir = mkdtempSync(join(tmpdir(), 'ks3-files-'));
  writeFileSync(join(dir, 'big.bin'), big);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await KS3.emptyAndDeleteBucket(client, { bucket });
});

test('putObjectFromFile and getObjectToFile stream a 12 MiB file both ways', async () => {
  await KS3.putObjectFromFile(client, { bucket, key: 'big.bin', path: join(dir, 'big.bin'), contentMd5: true });
  const info = await KS3.getObjectToFile(client, { bucket, key: 'big.bin', path: join(dir, 'back.bin') });
  expect(info.size).toBe(big.length);
  expect(firstDifference(readFileSync(join(dir, 'back.bin')), big)).toBe(-1);
  expect(readdirSync(dir).filter((f) => f.includes('ks3-partial'))).toEqual([]);
});

/** A fetch whose response bodies trickle (one chunk per 5 ms), so a test can act mid-body. */
const trickle: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const reader = res.body!.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      await new Promise((r) => setTimeout(r, 5));
      const { done, value } = await reader.read();
      if (done) c.close();
      else c.enqueue(value);
    },
    cancel: (r) => reader.cancel(r),
  });
  return new Response(body, { status: res.status, headers: res.headers });
};

test('a download aborted mid-body leaves no file, not even a temporary one', async () => {
  const ac = new AbortController();
  const slow = KS3.createClient({ endpoint: inject('ks3').endpoint, ...TEST_CREDENTIALS, retries: 0, fetch: trickle });
  const target = join(dir, 'aborted.bin');
  const p = KS3.getObjectToFile(slow, { bucket, key: 'big.bin', path: target, signal: ac.signal });
  const partial = (): string[] =>
    readdirSync(dir).filter((f) => f.includes('aborted.bin') && f.includes('ks3-partial'));
  for (let i = 0; i < 400 && partial().length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  expect(partial()).toHaveLength(1); // the download is under way
  ac.abort();
  await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  expect(readdirSync(dir).filter((f) => f.startsWith('aborted') || f.includes('ks3-partial'))).toEqual([]);
});

test('a failed download keeps an existing file untouched', async () => {
  const target = join(dir, 'existing.txt');
  writeFileSync(target, 'keep me');
  await expect(KS3.getObjectToFile(client, { bucket, key: 'missing', path: target })).rejects.toMatchObject({
    status: 404,
  });
  expect(readFileSync(target, 'utf8')).toBe('keep me');
});

test('an encrypted download with a wrong key or tampered data leaves no plaintext file', async () => {
  const enc = KS3.createClient({
    endpoint: inject('ks3').endpoint,
    ...TEST_CREDENTIALS,
    encryption: { key: 'ks3-demo-key-16b' },
  });
  await KS3.putObjectFromFile(enc, { bucket, key: 'secret.bin', path: join(dir, 'big.bin') });
  await KS3.getObjectToFile(enc, { bucket, key: 'secret.bin', path: join(dir, 'plain.bin') });
  expect(firstDifference(readFileSync(join(dir, 'plain.bin')), big)).toBe(-1);
  // Without Content-MD5 a large file is hashed, then encrypted once while it is sent.
  await KS3.putObjectFromFile(enc, { bucket, key: 'secret-no-md5.bin', path: join(dir, 'big.bin'), contentMd5: false });
  expect(firstDifference(await (await KS3.getObject(enc, { bucket, key: 'secret-no-md5.bin' })).bytes(), big)).toBe(-1);
  const wrong = KS3.createClient({
    endpoint: inject('ks3').endpoint,
    ...TEST_CREDENTIALS,
    encryption: { key: 'not-the-key-16by' },
  });
  await expect(
    KS3.getObjectToFile(wrong, { bucket, key: 'secret.bin', path: join(dir, 'wrong.bin') }),
  ).rejects.toMatchObject({ name: 'Ks3IntegrityError' });
  const raw = await KS3.getObject(client, { bucket, key: 'secret.bin' });
  const stored = await raw.bytes();
  stored[5_000_000] = stored[5_000_000]! ^ 0x40;
  await KS3.putObject(client, { bucket, key: 'tampered.bin', body: stored, metadata: raw.metadata });
  await expect(
    KS3.getObjectToFile(enc, { bucket, key: 'tampered.bin', path: join(dir, 'tampered.bin') }),
  ).rejects.toMatchObject({ name: 'Ks3IntegrityError' });
  expect(
    readdirSync(dir).filter((f) => f.startsWith('wrong') || f.startsWith('tampered') || f.includes('ks3-partial')),
  ).toEqual([]);
});

test('listObjectsToFile writes one key per line; a failure leaves no file', async () => {
  for (const key of ['logs/a', 'logs/b', 'logs/c']) await KS3.putObject(client, { bucket, key, body: key });
  const path = join(dir, 'keys.txt');
  expect(await KS3.listObjectsToFile(client, { bucket, prefix: 'logs/', path })).toBe(3);
  expect(readFileSync(path, 'utf8')).toBe('logs/a\nlogs/b\nlogs/c\n');
  await expect(
    KS3.listObjectsToFile(client, { bucket: 'no-such-bucket-here', path: join(dir, 'none.txt') }),
  ).rejects.toMatchObject({ status: 404 });
  expect(readdirSync(dir).filter((f) => f.startsWith('none') || f.includes('ks3-partial'))).toEqual([]);
});

test('key files: generated with mode 0600, never overwritten, whitespace trimmed on load, 16 bytes only', async () => {
  const path = join(dir, 'key');
  const key = await KS3.generateKeyFile(path);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(firstDifference(await KS3.loadKeyFile(path), key)).toBe(-1);
  await expect(KS3.generateKeyFile(path)).rejects.toMatchObject({ name: 'Ks3InputError', param: 'path' });
  writeFileSync(join(dir, 'key-nl'), 'ks3-demo-key-16b\n');
  expect(new TextDecoder().decode(await KS3.loadKeyFile(join(dir, 'key-nl')))).toBe('ks3-demo-key-16b');
  writeFileSync(join(dir, 'key-short'), 'too-short');
  await expect(KS3.loadKeyFile(join(dir, 'key-short'))).rejects.toMatchObject({ name: 'Ks3InputError' });
  expect(() => KS3.createClient({ endpoint: 'x', encryption: { key: 'fifteen-bytes!!' } })).toThrow(
    expect.objectContaining({ name: 'Ks3InputError', param: 'encryption.key' }),
  );
});
