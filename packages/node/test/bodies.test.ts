/**
 * What each upload call takes, as the `Body` type says: any ArrayBufferView (not only
 * Uint8Array) everywhere; a Node `Readable` only through @ks3/node's upload(), and elsewhere a
 * clear Ks3InputError naming that call, before any request.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import * as KS3 from '@ks3/node';
import * as portable from '@ks3/multipart';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';

const bucket = `bodies-${Date.now() % 1e6}`;
let client: KS3.Client;
let requests = 0;

beforeAll(async () => {
  const counting: typeof fetch = (input, init) => (requests++, fetch(input, init));
  client = KS3.createClient({ endpoint: inject('ks3').endpoint, ...TEST_CREDENTIALS, retries: 0, fetch: counting });
  await KS3.createBucket(client, { bucket });
});
afterAll(() => KS3.emptyAndDeleteBucket(client, { bucket }));

const text = async (key: string) => (await KS3.getObject(client, { bucket, key })).text();

test('a DataView and an Int16Array are bodies: their bytes are stored', async () => {
  const bytes = new TextEncoder().encode('--view--');
  await KS3.putObject(client, { bucket, key: 'view', body: new DataView(bytes.buffer, 2, 4) });
  expect(await text('view')).toBe('view');
  await KS3.upload(client, { bucket, key: 'int16', body: new Int16Array(bytes.buffer, 2, 2) });
  expect(await text('int16')).toBe('view');
});

test('a Node Readable given to putObject, uploadPart or the portable upload() is refused, naming upload()', async () => {
  const before = requests;
  const calls: [string, () => Promise<unknown>][] = [
    ['PutObject', () => KS3.putObject(client, { bucket, key: 'r', body: Readable.from(['x']) as never })],
    [
      'UploadPart',
      () =>
        KS3.uploadPart(client, { bucket, key: 'r', uploadId: 'u', partNumber: 1, body: Readable.from(['x']) as never }),
    ],
    ['Upload', () => portable.upload(client, { bucket, key: 'r', body: Readable.from(['x']) as never })],
  ];
  for (const [operation, call] of calls) {
    const err = (await call().catch((e: unknown) => e)) as KS3.Ks3InputError;
    expect(KS3.isKs3InputError(err), operation).toBe(true);
    expect(err.param).toBe('body');
    expect(err.message).toMatch(/Node\.js Readable.*upload\(\) from @ks3\/node/);
  }
  expect(requests).toBe(before);
  await expect(KS3.headObject(client, { bucket, key: 'r' })).rejects.toMatchObject({ status: 404 });
});

test("@ks3/node's upload() takes the same Readable", async () => {
  await KS3.upload(client, {
    bucket,
    key: 'readable',
    body: Readable.from([Buffer.from('from a '), Buffer.from('Readable')]),
  });
  expect(await text('readable')).toBe('from a Readable');
});

test('anything else is refused with the list of what is taken', async () => {
  const err = (await KS3.putObject(client, { bucket, key: 'n', body: 42 as never }).catch((e: unknown) => e)) as Error;
  expect(err).toMatchObject({ name: 'Ks3InputError', param: 'body' });
  expect(err.message).toContain('unsupported type number; use a string, bytes (ArrayBuffer or a typed array), Blob');
});
