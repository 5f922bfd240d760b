/**
 * The backend signer end to end: a "page" client whose signer is `createRemoteSigner` talks to
 * `createSigningHandler` (called in-process, and over node:http through `toNodeListener`), which
 * signs with the long-term key for the emulator. Allowed requests work against the emulator;
 * everything outside the policy is refused by the handler with its rule's code before any
 * request reaches KS3; a signed size binds the body.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createRemoteSigner } from '@ks3/browser';
import {
  createBucket,
  createClient,
  createSigningHandler,
  getObject,
  listObjects,
  presignUrl,
  putObject,
  putObjectAcl,
  type SigningHandlerOptions,
  toNodeListener,
  upload,
} from '@ks3/node';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';

const { endpoint } = inject('ks3');
const bucket = `sign-handler-${Math.random().toString(36).slice(2, 9)}`;
const PREFIX = 'users/7/';
const owner = () => createClient({ endpoint, ...TEST_CREDENTIALS });

function setup(extra: Partial<SigningHandlerOptions> = {}) {
  const handler = createSigningHandler({
    endpoint,
    region: 'BEIJING',
    credentials: TEST_CREDENTIALS,
    policy: { buckets: [bucket], keyPrefixes: [PREFIX], maxSize: 1 << 20, maxPresignSeconds: 600 },
    ...extra,
  });
  const answers: string[] = [];
  let posts = 0;
  const fetchHandler: typeof fetch = async (input, init) => {
    posts++;
    const res = await handler(new Request(input, init));
    answers.push(await res.clone().text());
    return res;
  };
  const page = (batch = false) =>
    createClient({
      endpoint,
      region: 'BEIJING',
      retries: 0,
      signer: createRemoteSigner('http://app.test/sign', { fetch: fetchHandler, batch }),
    });
  return { handler, answers, page, posts: () => posts };
}

const post = (handler: (r: Request) => Promise<Response>, body: unknown, type = 'application/json') =>
  handler(
    new Request('http://app.test/sign', {
      method: 'POST',
      headers: { 'content-type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );

beforeAll(async () => {
  await createBucket(owner(), { bucket });
});

describe('createSigningHandler', () => {
  test('signs what the policy allows: put, get, list, multipart parts, a presigned GET', async () => {
    const { page, answers } = setup();
    const client = page();
    await putObject(client, { bucket, key: `${PREFIX}a.txt`, body: 'hello' });
    expect(await (await getObject(client, { bucket, key: `${PREFIX}a.txt` })).text()).toBe('hello');
    const list = await listObjects(client, { bucket, prefix: PREFIX });
    expect(list.contents.map((o) => o.key)).toEqual([`${PREFIX}a.txt`]);
    const data = new Uint8Array(300 * 1024).map((_, i) => i % 251);
    const r = await upload(client, { bucket, key: `${PREFIX}big.bin`, body: data, partSize: 100 * 1024 });
    expect(r.parts).toBe(3);
    const { url } = await presignUrl(client, { bucket, key: `${PREFIX}a.txt`, expiresIn: 300 });
    expect(await (await fetch(url)).text()).toBe('hello');
    expect(answers.join('\n')).not.toContain(TEST_CREDENTIALS.secretAccessKey);
  });

  test.each([
    ['another bucket', { bucket: 'not-this-one', key: `${PREFIX}x` }, 'BucketNotAllowed'],
    ['a key outside the prefix', { bucket, key: 'users/8/x' }, 'KeyNotAllowed'],
    ['a public ACL', { bucket, key: `${PREFIX}x`, acl: 'public-read' as const }, 'HeaderNotAllowed'],
    ['a body over maxSize', { bucket, key: `${PREFIX}x`, body: new Uint8Array((1 << 20) + 1) }, 'EntityTooLarge'],
  ])('refuses %s before KS3 sees it', async (_, o, code) => {
    const { page } = setup();
    const err = await putObject(page(), { body: 'x', ...o }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'Ks3CredentialsError', code, status: 403, retryable: false, attempts: 1 });
  });

  test('refuses operations, listings and presigned URLs outside the policy', async () => {
    const { page } = setup();
    const client = page();
    const acl = await putObjectAcl(client, { bucket, key: `${PREFIX}a.txt`, acl: 'private' }).catch((e) => e);
    expect(acl).toMatchObject({ code: 'OperationNotAllowed' });
    const list = await listObjects(client, { bucket, prefix: 'users/' }).catch((e) => e);
    expect(list).toMatchObject({ code: 'KeyNotAllowed' });
    const long = await presignUrl(client, { bucket, key: `${PREFIX}a.txt`, expiresIn: 3600 }).catch((e) => e);
    expect(long).toMatchObject({ code: 'PresignNotAllowed' });
    expect(String(long)).toContain('at most 600 s');
  });

  test('the signed size binds the body: a longer body than the one signed is refused by KS3', async () => {
    const { handler } = setup();
    const key = `${PREFIX}sized`;
    const url = `${endpoint}/${bucket}/users/7/sized`;
    const request = { method: 'PUT', url, bucket, key, query: [], headers: {}, payloadHash: 'UNSIGNED-PAYLOAD' };
    const res = await post(handler, { ...request, time: Date.now(), size: 5 });
    const signed = (await res.json()) as { url: string; headers: Record<string, string> };
    expect(signed.headers['content-length']).toBe('5');
    expect(signed.headers.authorization).toContain('content-length');
    const { 'content-length': _, ...headers } = signed.headers;
    const cheat = await fetch(signed.url, { method: 'PUT', headers, body: 'ten bytes!' });
    expect(cheat.status).toBe(403);
    expect(await cheat.text()).toContain('SignatureDoesNotMatch');
    const honest = await fetch(signed.url, { method: 'PUT', headers, body: 'fiveb' });
    expect(honest.status).toBe(200);
  });

  test('the URL must address the bucket, key and query claimed', async () => {
    const { handler } = setup();
    const base = {
      method: 'GET',
      bucket,
      key: `${PREFIX}a.txt`,
      query: [],
      headers: {},
      payloadHash: 'UNSIGNED-PAYLOAD',
    };
    for (const url of [
      `${endpoint}/${bucket}/users/8/a.txt`,
      `${endpoint}/${bucket}/users/7/a.txt?acl`,
      `http://evil.test/${bucket}/users/7/a.txt`,
    ]) {
      const res = await post(handler, { ...base, url, time: Date.now() });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'UrlMismatch' } });
    }
  });

  test('batches: an array is answered entry by entry; a batching page signs a burst in one POST', async () => {
    const { handler, page, posts } = setup();
    const one = (key: string) => ({
      method: 'GET',
      url: `${endpoint}/${bucket}/${key}`,
      bucket,
      key,
      query: [],
      headers: {},
      payloadHash: 'UNSIGNED-PAYLOAD',
      time: Date.now(),
    });
    const res = await post(handler, [one(`${PREFIX}a.txt`), one('elsewhere/b'), one(`${PREFIX}c`)]);
    const answers = (await res.json()) as { url?: string; error?: { code: string } }[];
    expect(answers.map((a) => a.error?.code ?? 'signed')).toEqual(['signed', 'KeyNotAllowed', 'signed']);
    const client = page(true);
    const before = posts();
    const urls = await Promise.all(
      Array.from({ length: 20 }, (_, i) => presignUrl(client, { bucket, key: `${PREFIX}f${i}`, expiresIn: 60 })),
    );
    expect(new Set(urls.map((u) => u.url)).size).toBe(20);
    expect(posts() - before).toBe(1);
    const mixed = await Promise.allSettled([
      presignUrl(client, { bucket, key: `${PREFIX}ok`, expiresIn: 60 }),
      presignUrl(client, { bucket, key: 'nope/x', expiresIn: 60 }),
    ]);
    expect(mixed.map((m) => m.status)).toEqual(['fulfilled', 'rejected']);
  });

  test('bad requests are refused with a clear code', async () => {
    const { handler } = setup();
    const ok = { method: 'GET', url: `${endpoint}/${bucket}/${PREFIX}a`, bucket, key: `${PREFIX}a`, query: [] };
    const cases: [unknown, number, string, string?][] = [
      ['{not json', 400, 'InvalidSignRequest'],
      [{ ...ok, headers: {}, payloadHash: 'x', time: Date.now() }, 400, 'InvalidSignRequest'],
      [
        { ...ok, headers: { authorization: 'x' }, payloadHash: 'UNSIGNED-PAYLOAD', time: Date.now() },
        400,
        'InvalidSignRequest',
      ],
      [
        { ...ok, method: 'PATCH', headers: {}, payloadHash: 'UNSIGNED-PAYLOAD', time: Date.now() },
        400,
        'InvalidSignRequest',
      ],
      [{ ...ok, headers: {}, payloadHash: 'UNSIGNED-PAYLOAD', time: Date.now() - 3600_000 }, 403, 'RequestTimeSkewed'],
      [[], 400, 'InvalidSignRequest'],
      ['{}', 415, 'UnsupportedMediaType', 'text/plain'],
      [`"${'x'.repeat((1 << 20) + 10)}"`, 413, 'RequestTooLarge'],
    ];
    for (const [body, status, code, type] of cases) {
      const res = await post(handler, body, type);
      expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([status, code]);
    }
    const get = await handler(new Request('http://app.test/sign'));
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
  });

  test('a policy per caller; a failing credentials provider answers 500 without details', async () => {
    const { page } = setup({
      policy: (req) => (req.headers.get('x-user') === '7' ? { buckets: [bucket], keyPrefixes: [PREFIX] } : null),
    });
    const err = await putObject(page(), { bucket, key: `${PREFIX}a`, body: 'x' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'AccessDenied', status: 403 });
    const failing = createSigningHandler({
      endpoint,
      region: 'BEIJING',
      credentials: async () => {
        throw new Error('vault said: no key for s3cr3t-vault-path');
      },
      policy: { buckets: [bucket] },
    });
    const res = await post(failing, {
      method: 'GET',
      url: `${endpoint}/${bucket}/k`,
      bucket,
      key: 'k',
      query: [],
      headers: {},
      payloadHash: 'UNSIGNED-PAYLOAD',
      time: Date.now(),
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toContain('SigningFailed');
    expect(text).not.toContain('s3cr3t-vault-path');
  });

  test('V2: maxSize cannot be enforced (refused at creation), restricted listings are refused', async () => {
    const v2 = { signatureVersion: 'v2' as const, region: undefined };
    expect(() => setup(v2)).toThrow(/maxSize.*needs V4/);
    const { page } = setup({ ...v2, policy: { buckets: [bucket], keyPrefixes: [PREFIX] } });
    const client = createClient({ endpoint, retries: 0, signer: page().signer! });
    await putObject(client, { bucket, key: `${PREFIX}v2.txt`, body: 'v2' });
    const err = await listObjects(client, { bucket, prefix: PREFIX }).catch((e) => e);
    expect(err).toMatchObject({ code: 'KeyNotAllowed' });
    expect(String(err)).toContain('V2 signatures do not cover a listing prefix');
  });
});

describe('toNodeListener', () => {
  let server: ReturnType<typeof createServer>;
  let url = '';
  beforeAll(async () => {
    const { handler } = setup();
    server = createServer(toNodeListener(handler));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign`;
  });
  afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

  test('serves the handler over node:http', async () => {
    const client = createClient({ endpoint, region: 'BEIJING', signer: createRemoteSigner(url, { batch: true }) });
    await putObject(client, { bucket, key: `${PREFIX}http.txt`, body: 'over http' });
    expect(await (await getObject(client, { bucket, key: `${PREFIX}http.txt` })).text()).toBe('over http');
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[' });
    expect(res.status).toBe(400);
  });
});
