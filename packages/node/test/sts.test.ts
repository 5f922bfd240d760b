/**
 * assumeRole against the emulator's fake KS3 STS (/__sts: AWS4-HMAC-SHA256, service sts, region
 * cn-beijing-6, KSC's JSON): the credentials work, only under the session policy's prefix; the
 * STS's refusals arrive as typed errors without the secret; and a page-style client fed by
 * createCredentialsProvider from a small backend refreshes them before they expire.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createCredentialsProvider } from '@ks3/browser';
import {
  assumeRole,
  type AssumeRoleOptions,
  createBucket,
  createClient,
  createSessionPolicy,
  getObject,
  listObjects,
  putObject,
} from '@ks3/node';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';

const { endpoint } = inject('ks3');
const bucket = `sts-${Math.random().toString(36).slice(2, 9)}`;
// The emulator's account of a key: ks3emu- + the first 24 hex digits of SHA-256 of the key id.
const account = `ks3emu-${createHash('sha256').update(TEST_CREDENTIALS.accessKeyId).digest('hex').slice(0, 24)}`;
const base: AssumeRoleOptions = {
  endpoint: `${endpoint}/__sts/`,
  credentials: TEST_CREDENTIALS,
  roleKrn: `krn:ksc:iam::${account}:role/uploader`,
  roleSessionName: 'web-test',
  durationSeconds: 900,
};

beforeAll(async () => {
  await createBucket(createClient({ endpoint, ...TEST_CREDENTIALS }), { bucket });
});

describe('assumeRole', () => {
  test.each(['GET', 'POST'] as const)('%s: credentials that work only under the policy prefix', async (method) => {
    const policy = createSessionPolicy({ bucket, prefix: 'users/1/' });
    const r = await assumeRole({ ...base, method, policy });
    expect(r.credentials).toMatchObject({ accessKeyId: expect.any(String), securityToken: expect.any(String) });
    expect(r.credentials.expiration.getTime() - Date.now()).toBeGreaterThan(800_000);
    expect(r.assumedRoleUser?.krn).toBe(`krn:ksc:iam::${account}:assumed-role/uploader/web-test`);
    expect(r.requestId).toBeTruthy();
    const client = createClient({ endpoint, region: 'BEIJING', credentials: r.credentials, retries: 0 });
    await putObject(client, { bucket, key: `users/1/${method}.txt`, body: method });
    expect(await (await getObject(client, { bucket, key: `users/1/${method}.txt` })).text()).toBe(method);
    expect((await listObjects(client, { bucket, prefix: 'users/1/' })).contents.length).toBeGreaterThan(0);
    await expect(putObject(client, { bucket, key: 'users/2/x', body: 'x' })).rejects.toMatchObject({
      status: 403,
      code: 'AccessDenied',
    });
    await expect(listObjects(client, { bucket, prefix: 'users/' })).rejects.toMatchObject({ code: 'AccessDenied' });
  });

  test.each([
    [
      'a wrong secret',
      { credentials: { ...TEST_CREDENTIALS, secretAccessKey: 'wrong/secret' } },
      403,
      'SignatureDoesNotMatch',
    ],
    ['a wrong region', { region: 'cn-shanghai-3' }, 403, 'SignatureDoesNotMatch'],
    ['another account', { roleKrn: 'krn:ksc:iam::someone-else:role/uploader' }, 403, 'AccessDenied'],
    ['a duration the STS refuses', { durationSeconds: 99_999 }, 400, 'InvalidParameterValue'],
    ['a malformed policy', { policy: '{"Statement": 3}' }, 400, 'MalformedPolicyDocument'],
  ])('%s is the STS error, typed, without the secret', async (_, over, status, code) => {
    const err = await assumeRole({ ...base, ...over }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3ServiceError', operation: 'AssumeRole', status, code });
    expect(JSON.stringify(err) + String(err)).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });

  test.each([
    ['roleKrn', { roleKrn: 'arn:aws:iam::1:role/x' }],
    ['roleSessionName', { roleSessionName: 'a b' }],
    ['durationSeconds', { durationSeconds: 1.5 }],
    ['endpoint', { endpoint: 'sts.api.ksyun.com' }],
    ['method', { method: 'PUT' }],
    ['credentials', { credentials: { accessKeyId: '', secretAccessKey: 'x' } }],
  ])('bad %s is a Ks3InputError before any request', async (param, over) => {
    const err = await assumeRole({
      ...base,
      ...(over as object),
      fetch: () => Promise.reject(new Error('sent')),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3InputError', param });
  });

  test('an answer without credentials is a Ks3ProtocolError; no answer a Ks3NetworkError', async () => {
    const ok =
      (body: string): typeof fetch =>
      async () =>
        new Response(body, { status: 200 });
    await expect(assumeRole({ ...base, fetch: ok('{"AssumeRoleResult":{}}') })).rejects.toMatchObject({
      name: 'Ks3ProtocolError',
    });
    await expect(assumeRole({ ...base, fetch: ok('<html>') })).rejects.toMatchObject({ name: 'Ks3ProtocolError' });
    const hang: typeof fetch = (_u, init) =>
      new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    await expect(assumeRole({ ...base, fetch: hang, timeout: 50 })).rejects.toMatchObject({
      name: 'Ks3NetworkError',
      timeout: true,
    });
  });

  test('createSessionPolicy refuses wildcards and bad actions', () => {
    expect(() => createSessionPolicy({ bucket, prefix: 'users/*' })).toThrow(/wildcards/);
    expect(() => createSessionPolicy({ bucket, prefix: 'a/', objectActions: ['s3:GetObject'] })).toThrow(/ks3:/);
    expect(() => createSessionPolicy({ bucket: 'Bad_Bucket', prefix: 'a/' })).toThrow(/bucket/);
  });
});

describe('a backend hands a client temporary credentials (createCredentialsProvider)', () => {
  let server: ReturnType<typeof createServer>;
  let url = '';
  let issued = 0;
  beforeAll(async () => {
    // The app's backend: short-lived credentials for the caller's prefix only.
    server = createServer(async (_req, res) => {
      issued++;
      const { credentials } = await assumeRole({
        ...base,
        durationSeconds: 2,
        policy: createSessionPolicy({ bucket, prefix: 'users/9/' }),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(credentials));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`;
  });
  afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

  test('one fetch for a burst of requests, a fresh one before expiry', async () => {
    const client = createClient({ endpoint, region: 'BEIJING', credentials: createCredentialsProvider(url) });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => putObject(client, { bucket, key: `users/9/${i}`, body: String(i) })),
    );
    expect(issued).toBe(1);
    // After 3/4 of the 2 s lifetime the provider refreshes before the next request.
    await new Promise((r) => setTimeout(r, 1600));
    expect(await (await getObject(client, { bucket, key: 'users/9/3' })).text()).toBe('3');
    expect(issued).toBe(2);
  });
});
