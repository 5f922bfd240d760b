/**
 * Issue 11, the client's points (1–10 and 17), one test each, written against fake servers
 * (a fetch that answers) where that is enough, and against the shared emulator behind the fault
 * proxy where the server must really do the work. Each failed on the main of before the fixes
 * (see the report of the reliability branch for which were run there). The broader proof is in
 * the soak, the catalogues and the tests of @ks3/multipart and @ks3/node.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import * as KS3 from '@ks3/node';
import { TEST_CREDENTIALS } from '../test-utils/credentials.js';
import { pseudoRandomBytes } from '../test-utils/contract.js';
import { type FaultProxy, type ProxyRequest, startFaultProxy } from '../test-utils/fault-proxy.js';

const b = 'issue-eleven';
const SECRET = 'issue11-secret/key+0123456789';
type Handler = (r: { n: number; method: string; url: string; headers: Headers }) => Response | Promise<Response>;

/** A client whose every request is answered by `handler`; `calls()` counts them. */
function fake(handler: Handler, extra: Partial<KS3.ClientConfig> = {}) {
  let n = 0;
  const client = KS3.createClient({
    endpoint: 'http://ks3.test',
    accessKeyId: 'AKLTissue11',
    secretAccessKey: SECRET,
    retries: 2,
    retryDelay: 1,
    fetch: async (input, init) =>
      handler({ n: ++n, method: init?.method ?? 'GET', url: String(input), headers: new Headers(init?.headers) }),
    ...extra,
  } as KS3.ClientConfig);
  return { client, calls: () => n };
}
const xml = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'application/xml' } });
const error = (code: string, status: number) => xml(`<Error><Code>${code}</Code><Message>m</Message></Error>`, status);
const cut = (text: string) =>
  new Response(
    new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(text.slice(0, 10)));
        c.error(new TypeError('terminated'));
      },
    }),
    { status: 200 },
  );
const INITIATED = '<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>';
const fail = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

// The emulator behind the fault proxy, for the points where KS3 must really act.
let proxy: FaultProxy;
let direct: KS3.Client;
let dir: string;
const real = (extra: Partial<KS3.ClientConfig> = {}) =>
  KS3.createClient({ endpoint: proxy.url, ...TEST_CREDENTIALS, retries: 0, retryDelay: 1, ...extra });
const uploadsOf = async (key: string) => {
  const ids: string[] = [];
  for await (const u of KS3.listAllMultipartUploads(direct, { bucket: b, prefix: key }))
    if (u.key === key) ids.push(u.uploadId);
  return ids;
};
beforeAll(async () => {
  const { endpoint } = inject('ks3');
  direct = KS3.createClient({ endpoint, ...TEST_CREDENTIALS });
  proxy = await startFaultProxy({ target: endpoint });
  dir = mkdtempSync(join(tmpdir(), 'ks3-issue11-'));
  await KS3.createBucket(direct, { bucket: b }).catch(() => {});
});
afterAll(async () => {
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
  for await (const u of KS3.listAllMultipartUploads(direct, { bucket: b }))
    await KS3.abortMultipartUpload(direct, { bucket: b, key: u.key, uploadId: u.uploadId });
  await KS3.emptyAndDeleteBucket(direct, { bucket: b });
});
const on = (key: string, f: (r: ProxyRequest) => boolean) => (r: ProxyRequest) => r.url.includes(`/${key}`) && f(r);

describe('multipart under faults', () => {
  test('1. Initiate is retried after 503 and 429', async () => {
    const { client, calls } = fake((r) =>
      r.n === 1 ? error('ServiceUnavailable', 503) : r.n === 2 ? error('SlowDown', 429) : xml(INITIATED),
    );
    await expect(
      KS3.initiateMultipartUpload(client, { bucket: b, key: 'k', encryption: false }),
    ).resolves.toMatchObject({ uploadId: 'u1' });
    expect(calls()).toBe(3);
  });

  test('2. a lost Initiate answer leaves no orphan: adopted (plain) or aborted (encrypted)', async () => {
    for (const encrypted of [false, true]) {
      const key = `p2/${encrypted}`;
      proxy.inject({
        kind: 'reset-before-headers',
        match: on(key, (r) => r.method === 'POST' && r.url.includes('?uploads')),
      });
      const client = real(encrypted ? { encryption: { key: 'ks3-demo-key-16b' } } : {});
      const body = pseudoRandomBytes(250 * 1024, 2);
      const r = await fail(KS3.upload(client, { bucket: b, key, body, partSize: 100 * 1024, partRetries: 0 }));
      if (encrypted) expect(r).toMatchObject({ name: 'Ks3NetworkError' });
      else expect(r).toBeUndefined();
      expect(await uploadsOf(key)).toEqual([]);
    }
  });

  test('3. a cut Complete body is retried; a lost answer then NoSuchUpload is checked by HEAD', async () => {
    const done =
      '<CompleteMultipartUploadResult><Location>l</Location><ETag>"x-1"</ETag></CompleteMultipartUploadResult>';
    const a = fake((r) => (r.n === 1 ? cut(done) : xml(done)));
    const parts = [{ partNumber: 1, etag: '"0cc175b9c0f1b6a831c399e269772661"' }];
    await expect(
      KS3.completeMultipartUpload(a.client, { bucket: b, key: 'k', uploadId: 'u', parts }),
    ).resolves.toMatchObject({ etag: '"x-1"' });
    expect(a.calls()).toBe(2);
    // The MD5 of the binary part MD5s, and "-1": what KS3 computes for these parts.
    const hex = createHash('md5').update(Buffer.from('0cc175b9c0f1b6a831c399e269772661', 'hex')).digest('hex');
    const c = fake((r) => {
      if (r.method === 'HEAD')
        return new Response(null, { status: 200, headers: { etag: `"${hex}-1"`, 'content-length': '1' } });
      if (r.n === 1) throw new TypeError('fetch failed');
      return error('NoSuchUpload', 404);
    });
    await expect(
      KS3.completeMultipartUpload(c.client, { bucket: b, key: 'k', uploadId: 'u', parts }),
    ).resolves.toMatchObject({ etag: `"${hex}-1"` });
    // And upload() reports a Complete whose answer was lost as committed, since it is.
    const key = 'p3/upload';
    proxy.inject({
      kind: 'reset-before-headers',
      match: on(key, (r) => r.method === 'POST' && r.url.includes('uploadId=')),
    });
    const body = pseudoRandomBytes(250 * 1024, 3);
    await expect(KS3.upload(real(), { bucket: b, key, body, partSize: 100 * 1024 })).resolves.toMatchObject({
      parts: 3,
    });
    expect(await uploadsOf(key)).toEqual([]);
  });

  test('4. a 200 <Error> is an error on PutObject and UploadPart; a 206 for another range is refused', async () => {
    const put = fake(() => error('AccessDenied', 200), { retries: 0 });
    expect(await fail(KS3.putObject(put.client, { bucket: b, key: 'k', body: 'x' }))).toMatchObject({
      name: 'Ks3ServiceError',
      code: 'AccessDenied',
    });
    expect(
      await fail(KS3.uploadPart(put.client, { bucket: b, key: 'k', uploadId: 'u', partNumber: 1, body: 'x' })),
    ).toMatchObject({ name: 'Ks3ServiceError', code: 'AccessDenied' });
    const ranged = fake(
      () => new Response('abcd', { status: 206, headers: { 'content-range': 'bytes 0-3/10', 'content-length': '4' } }),
    );
    expect(
      await fail(KS3.getObject(ranged.client, { bucket: b, key: 'k', range: { start: 4, end: 7 } })),
    ).toMatchObject({ name: 'Ks3ProtocolError' });
  });

  test('5. a listing cut mid-read is retried; getObjectToFile resumes a cut download', async () => {
    const page =
      '<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated><Contents><Key>a</Key><Size>1</Size>' +
      '<ETag>"e"</ETag><LastModified>2026-01-01T00:00:00.000Z</LastModified></Contents></ListBucketResult>';
    const l = fake((r) => (r.n === 1 ? cut(page) : xml(page)));
    expect((await KS3.listObjects(l.client, { bucket: b })).contents.map((o) => o.key)).toEqual(['a']);
    expect(l.calls()).toBe(2);
    const data = pseudoRandomBytes(1 << 20, 5);
    await KS3.putObject(direct, { bucket: b, key: 'p5', body: data });
    proxy.inject({ kind: 'reset-download', match: on('p5', (r) => r.method === 'GET') });
    const path = join(dir, 'p5.bin');
    await KS3.getObjectToFile(real({ retries: 2 }), { bucket: b, key: 'p5', path });
    expect(Buffer.compare(readFileSync(path), Buffer.from(data))).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.ks3-partial'))).toEqual([]);
  });

  test('6. Retry-After: an HTTP date is honoured, a long one refused at once, and the signal cuts a wait', async () => {
    const now = Date.UTC(2026, 0, 1);
    const dated = fake(
      () => new Response(null, { status: 503, headers: { 'retry-after': new Date(now + 100_000).toUTCString() } }),
      { now: () => now },
    );
    expect(await fail(KS3.headObject(dated.client, { bucket: b, key: 'k' }))).toMatchObject({
      status: 503,
      retryAfterMs: 100_000,
    });
    expect(dated.calls()).toBe(1);
    const long = fake(() => new Response(null, { status: 503, headers: { 'retry-after': '3600' } }));
    expect(await fail(KS3.headObject(long.client, { bucket: b, key: 'k' }))).toMatchObject({ retryAfterMs: 3_600_000 });
    expect(long.calls()).toBe(1);
    const wait = fake(() => new Response(null, { status: 503, headers: { 'retry-after': '20' } }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('enough')), 50);
    await expect(KS3.headObject(wait.client, { bucket: b, key: 'k', signal: ac.signal })).rejects.toThrow('enough');
  });
});

describe('hostile responses and inputs', () => {
  test('7. a 64 MiB error body is read up to a cap and kept short', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(16384).fill(65);
    const huge = fake(
      () =>
        new Response(
          new ReadableStream({
            pull: (c) => void (pulled < 64 << 20 ? (c.enqueue(chunk), (pulled += chunk.length)) : c.close()),
          }),
          { status: 500 },
        ),
      { retries: 0 },
    );
    const e = (await fail(KS3.putObject(huge.client, { bucket: b, key: 'k', body: 'x' }))) as Error;
    expect(e).toMatchObject({ name: 'Ks3ServiceError', status: 500 });
    expect(e.message.length).toBeLessThan(2000);
    expect(pulled).toBeLessThan(256 * 1024);
  });

  test('8. header values fetch would quote are refused first, and what fetch quotes is scrubbed', async () => {
    expect(() => KS3.createClient({ endpoint: 'ks3.test', accessKeyId: 'AK\n', secretAccessKey: SECRET })).toThrow(
      expect.objectContaining({ name: 'Ks3InputError' }),
    );
    expect(() =>
      KS3.createClient({ endpoint: 'ks3.test', accessKeyId: 'AK', secretAccessKey: SECRET, securityToken: 'to\nken' }),
    ).toThrow(expect.objectContaining({ name: 'Ks3InputError' }));
    let auth = '';
    const quoting = fake(
      (r) => {
        auth = r.headers.get('authorization') ?? '';
        throw new TypeError(`Headers.append: "${auth}" is an invalid header value.`);
      },
      { retries: 0 },
    );
    const e = await fail(KS3.headObject(quoting.client, { bucket: b, key: 'k' }));
    expect(e).toMatchObject({ name: 'Ks3NetworkError' });
    const shown = inspect(e, { depth: 8, showHidden: true }) + JSON.stringify(e);
    expect(auth).toMatch(/^KSS AKLTissue11:/);
    expect(shown).not.toContain(auth.split(':')[1]);
  });

  test('9. listings whose markers cycle stop with a protocol error', async () => {
    const objects = fake((r) =>
      xml(
        '<ListBucketResult><IsTruncated>true</IsTruncated>' +
          `<NextMarker>${r.n % 2 ? 'a' : 'b'}</NextMarker></ListBucketResult>`,
      ),
    );
    const drain = async (it: AsyncIterable<unknown>) => {
      for await (const _ of it);
    };
    expect(await fail(drain(KS3.listAllObjects(objects.client, { bucket: b })))).toMatchObject({
      name: 'Ks3ProtocolError',
    });
    expect(objects.calls()).toBeLessThanOrEqual(3);
    const uploads = fake((r) =>
      xml(
        '<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>' +
          `<NextKeyMarker>${r.n % 2 ? 'a' : 'b'}</NextKeyMarker><NextUploadIdMarker>u</NextUploadIdMarker>` +
          '</ListMultipartUploadsResult>',
      ),
    );
    expect(await fail(drain(KS3.listAllMultipartUploads(uploads.client, { bucket: b })))).toMatchObject({
      name: 'Ks3ProtocolError',
    });
    expect(uploads.calls()).toBeLessThanOrEqual(3);
  });

  test('10. content-length, 1e21, 0.0001, lone surrogates, null client, signal {}: refused first', async () => {
    const { client, calls } = fake(() => new Response(null));
    const cases: (() => unknown)[] = [
      () => KS3.putObject(client, { bucket: b, key: 'k', body: 'abc', headers: { 'content-length': '1' } }),
      () => KS3.presignUrl(client, { bucket: b, key: 'k', expiresIn: 1e21 }),
      () => KS3.presignUrl(client, { bucket: b, key: 'k', expiresIn: 0.0001 }),
      () => KS3.listObjects(client, { bucket: b, prefix: 'a\uD800' }),
      () => KS3.abortMultipartUpload(client, { bucket: b, key: 'k', uploadId: '\uDC00' }),
      () => KS3.getObject(client, { bucket: b, key: 'k', versionId: 'v\uD800' }),
      () => KS3.putObject(null as never, { bucket: b, key: 'k', body: '' }),
      () => KS3.getObject(client, { bucket: b, key: 'k', signal: {} as AbortSignal }),
    ];
    for (const [i, run] of cases.entries()) {
      const e = await fail(Promise.resolve().then(run));
      expect(e, `case ${i}`).toMatchObject({ name: 'Ks3InputError' });
    }
    expect(calls()).toBe(0);
  });
});

test('17. a stale resume aborts the upload, removes the checkpoint, can restart', async () => {
  const key = 'p17';
  const data = pseudoRandomBytes(3 * 100 * 1024, 17);
  const file = (bytes: Uint8Array, lastModified: number) =>
    new File([bytes as Uint8Array<ArrayBuffer>], 'f.bin', { lastModified });
  let saved: KS3.UploadCheckpoint | undefined;
  const store = {
    load: () => saved,
    save: (c: KS3.UploadCheckpoint) => void (saved = c),
    clear: () => void (saved = undefined),
  };
  const interrupted = async (lastModified: number) => {
    proxy.inject({ kind: 'error-500', match: on(key, (r) => r.method === 'PUT' && r.url.includes('partNumber=2')) });
    const o = { bucket: b, key, partSize: 100 * 1024, concurrency: 1, partRetries: 0, checkpointStore: store };
    await expect(KS3.upload(real(), { ...o, body: file(data, lastModified) })).rejects.toMatchObject({ status: 500 });
    return (await uploadsOf(key))[0]!;
  };
  const uploadId = await interrupted(1_700_000_000_000);
  const e = (await fail(
    KS3.upload(real(), { bucket: b, key, body: file(data, 1_700_000_001_000), checkpointStore: store }),
  )) as Error;
  expect(e).toMatchObject({ name: 'Ks3InputError', param: 'resume' });
  expect(e.message).toContain(
    'modified at 2023-11-14T22:13:21.000Z, but the checkpoint records 2023-11-14T22:13:20.000Z',
  );
  expect(e.message).toContain(`aborted upload ${uploadId} on the server, removed the checkpoint`);
  expect(await uploadsOf(key)).toEqual([]);
  expect(saved).toBeUndefined();
  // onResumeMismatch: 'restart' cleans up the same way, then uploads the source as it is now.
  await interrupted(1_700_000_000_000);
  await expect(
    KS3.upload(real(), {
      bucket: b,
      key,
      body: file(data, 1),
      partSize: 100 * 1024,
      checkpointStore: store,
      onResumeMismatch: 'restart',
    }),
  ).resolves.toMatchObject({ parts: 3 });
  expect(await uploadsOf(key)).toEqual([]);
  expect(saved).toBeUndefined();
});
