/**
 * The contract suite: one description of what the SDK does against a KS3 endpoint, run from
 * Node (with the sources) and from Chromium (with the built CDN bundle loaded by a <script> tag
 * from a page on another origin than the emulator, so CORS is exercised for real). Each run
 * signs and addresses one way (contract-config.ts): V4 KSS4 by default, and again V2, AWS4 and
 * virtual-hosted.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type * as Core from '@ks3/core';
import { bucketConfigSuite } from './contract-bucket-config.js';
import { bucketSuite } from './contract-buckets.js';
import {
  type ClientBase,
  type ContractOptions,
  type ContractSigning,
  clientBase,
  signingSuite,
} from './contract-config.js';
import { encryptionSuite } from './contract-encryption.js';
import { multipartSuite } from './contract-multipart.js';
import { objectApiSuite } from './contract-object-api.js';
import { objectSuite } from './contract-objects.js';
import { TEST_CREDENTIALS } from './credentials.js';

export type Ks3Api = typeof Core;
type Client = Core.Client;

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
export function pseudoRandomBytes(n: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * Index of the first byte where `a` and `b` differ (-1 when equal). Deep equality on large
 * typed arrays is very slow in vitest, so tests compare bytes with this instead.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const unique = (): string => Math.random().toString(36).slice(2, 10);

export interface ContractContext {
  api: Ks3Api;
  client: Client;
  bucket: string;
  /** The emulator's own URL (`http://127.0.0.1:PORT`): its admin endpoint lives there. */
  endpoint: string;
  /** What every client of this run starts from: endpoint, region, signature, addressing, fetch. */
  config: ClientBase;
  /** The fetch for the test's own requests (presigned URLs): the one the clients use. */
  fetch: typeof fetch;
  mode: { signing: ContractSigning; addressing: 'path' | 'virtual' };
  /** A DNS-safe name of the run, used in bucket names. */
  env: string;
}

/**
 * Runs the contract suite with the API `load` returns, signing and addressing as `options` say
 * (default: V4 in KS3's namespace, path-style, every suite).
 */
export function describeContract(env: string, load: () => Promise<Ks3Api>, options: ContractOptions = {}): void {
  const mode = { signing: options.signing ?? 'kss4', addressing: options.addressing ?? 'path' } as const;
  const full = options.full ?? true;
  describe(`contract (${env}: ${mode.signing}, ${mode.addressing}${full ? '' : ', subset'})`, () => {
    let ctx: ContractContext;
    beforeAll(async () => {
      const api = await load();
      const { endpoint } = inject('ks3');
      const config = clientBase(endpoint, options);
      const client = api.createClient({ ...config, ...TEST_CREDENTIALS, retries: 0 });
      const bucket = `ct-${env}-${unique()}`;
      await api.createBucket(client, { bucket });
      const plainFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
      ctx = { api, client, bucket, endpoint, config, fetch: plainFetch, mode, env };
    });
    afterAll(async () => {
      if (!ctx) return;
      const { api, client, bucket } = ctx;
      await api.emptyAndDeleteBucket(client, { bucket });
    });

    test('put → head → get → list → delete of a text object', async () => {
      const { api, client, bucket } = ctx;
      const put = await api.putObject(client, {
        bucket,
        key: 'notes/hello.txt',
        body: 'hello, ks3 ✓',
        metadata: { author: 'Ada' },
      });
      expect(put.etag).toMatch(/^"[0-9a-f]{32}"$/);
      const head = await api.headObject(client, { bucket, key: 'notes/hello.txt' });
      expect(head.size).toBe(14);
      expect(head.contentType).toBe('text/plain');
      expect(head.etag).toBe(put.etag);
      expect(head.metadata).toEqual({ author: 'Ada' });
      expect(head.lastModified).toBeInstanceOf(Date);
      expect(Math.abs(head.lastModified!.getTime() - Date.now())).toBeLessThan(5 * 60_000);
      const got = await api.getObject(client, { bucket, key: 'notes/hello.txt' });
      expect(await got.text()).toBe('hello, ks3 ✓');
      const list = await api.listObjects(client, { bucket, prefix: 'notes/' });
      expect(list.contents.map((o) => [o.key, o.size, o.etag])).toEqual([['notes/hello.txt', 14, put.etag]]);
      await api.deleteObject(client, { bucket, key: 'notes/hello.txt' });
      const err = await api.headObject(client, { bucket, key: 'notes/hello.txt' }).catch((e: unknown) => e);
      expect(api.isKs3ServiceError(err)).toBe(true);
      expect(err).toMatchObject({ status: 404, operation: 'HeadObject', bucket, key: 'notes/hello.txt' });
    });

    test('bodies: Uint8Array, ArrayBuffer, Blob, ReadableStream (with and without length)', async () => {
      const { api, client, bucket } = ctx;
      const data = pseudoRandomBytes(1_500_000, 7);
      const chunks = (): ReadableStream<Uint8Array> => {
        let i = 0;
        return new ReadableStream({
          pull(c) {
            if (i >= data.length) return c.close();
            c.enqueue(data.slice(i, i + 100_000));
            i += 100_000;
          },
        });
      };
      const bodies: [string, Core.Body, number?][] = [
        ['bytes', data],
        ['arraybuffer', data.slice().buffer],
        ['blob', new Blob([data])],
        ['stream-sized', chunks(), data.length],
        ['stream-unsized', chunks()],
      ];
      for (const [name, body, contentLength] of bodies) {
        await api.putObject(client, {
          bucket,
          key: `bodies/${name}.bin`,
          body,
          ...(contentLength ? { size: contentLength } : {}),
        });
        const got = await api.getObject(client, { bucket, key: `bodies/${name}.bin` });
        expect(got.contentType, name).toBe('application/octet-stream');
        expect(firstDifference(await got.bytes(), data), name).toBe(-1);
      }
      const streamed = await api.getObject(client, { bucket, key: 'bodies/blob.bin' });
      const reader = streamed.body.getReader();
      let n = 0;
      for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.length;
      expect(n).toBe(data.length);
    });

    test('ranged get', async () => {
      const { api, client, bucket } = ctx;
      const data = pseudoRandomBytes(4096, 3);
      await api.putObject(client, { bucket, key: 'range.bin', body: data });
      const part = await api.getObject(client, { bucket, key: 'range.bin', range: { start: 100, end: 1099 } });
      expect(part.status).toBe(206);
      expect(part.range).toEqual({ start: 100, end: 1099, total: 4096 });
      expect(firstDifference(await part.bytes(), data.subarray(100, 1100))).toBe(-1);
    });

    test('keys that need encoding round-trip', async () => {
      const { api, client, bucket } = ctx;
      const keys = [
        'dir/my file (1).txt',
        '中文目录/文件 名.txt',
        'a+b=c&d.txt',
        '~user/*glob*.txt',
        'a//b///c',
        '/leading/slash',
        'folder/',
        '100% done?#.txt',
        'café/😀.bin',
      ];
      for (const key of keys) await api.putObject(client, { bucket, key: `enc/${key}`, body: key });
      const list = await api.listObjects(client, { bucket, prefix: 'enc/' });
      expect(list.contents.map((o) => o.key).sort()).toEqual(keys.map((k) => `enc/${k}`).sort());
      for (const key of keys)
        expect(await (await api.getObject(client, { bucket, key: `enc/${key}` })).text()).toBe(key);
    });

    test('a presigned GET downloads with plain fetch; a wrong signature is refused', async () => {
      const { api, client, bucket } = ctx;
      await api.putObject(client, { bucket, key: 'shared/report one.txt', body: 'presigned!' });
      const { url } = await api.presignUrl(client, { bucket, key: 'shared/report one.txt', expiresIn: 60 });
      const res = await ctx.fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('presigned!');
      // The signature's first character changed (a hex digit for V4, Base64 for V2).
      const tampered = url.replace(/Signature=([^&])/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`);
      expect(tampered).not.toBe(url);
      expect((await ctx.fetch(tampered)).status).toBe(403);
    });

    test('list with a delimiter tells objects and prefixes apart', async () => {
      const { api, client, bucket } = ctx;
      for (const key of ['tree/a.txt', 'tree/b/1.txt', 'tree/b/2.txt', 'tree/c/3.txt'])
        await api.putObject(client, { bucket, key, body: 'x' });
      const page = await api.listObjects(client, { bucket, prefix: 'tree/', delimiter: '/' });
      expect(page.contents.map((o) => [o.type, o.key])).toEqual([['object', 'tree/a.txt']]);
      expect(page.commonPrefixes).toEqual([
        { type: 'prefix', prefix: 'tree/b/' },
        { type: 'prefix', prefix: 'tree/c/' },
      ]);
      const first = await api.listObjects(client, { bucket, prefix: 'tree/', maxKeys: 2 });
      expect(first.isTruncated).toBe(true);
      const rest = await api.listObjects(client, { bucket, prefix: 'tree/', startAfter: first.nextStartAfter! });
      expect([...first.contents, ...rest.contents].map((o) => o.key)).toEqual([
        'tree/a.txt',
        'tree/b/1.txt',
        'tree/b/2.txt',
        'tree/c/3.txt',
      ]);
    });

    test('service errors are typed and carry the request id, never the secret', async () => {
      const { api, client, bucket, config } = ctx;
      const missing = (await api
        .getObject(client, { bucket, key: 'no/such/key' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(missing).toMatchObject({
        name: 'Ks3ServiceError',
        status: 404,
        code: 'NoSuchKey',
        operation: 'GetObject',
        bucket,
        key: 'no/such/key',
      });
      expect(missing.requestId).toBeTruthy();
      const wrong = api.createClient({
        ...config,
        accessKeyId: TEST_CREDENTIALS.accessKeyId,
        secretAccessKey: 'not-the-secret',
        retries: 0,
      });
      const denied = (await api
        .getObject(wrong, { bucket, key: 'x' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(denied).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
      // HEAD errors have no body: an honest code for the status, never a guessed cause.
      const headDenied = (await api
        .headObject(wrong, { bucket, key: 'x' })
        .catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(headDenied).toMatchObject({ status: 403, code: 'Forbidden' });
      expect(denied.message).not.toContain('not-the-secret');
      const stranger = api.createClient({
        ...config,
        accessKeyId: 'AKLTnobody',
        secretAccessKey: 'whatever',
        retries: 0,
      });
      const unknown = (await api.listObjects(stranger, { bucket }).catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(unknown).toMatchObject({ status: 403, code: 'InvalidAccessKeyId' });
      const taken = (await api.createBucket(client, { bucket }).catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(taken.status).toBe(409);
      const notEmpty = (await api.deleteBucket(client, { bucket }).catch((e: unknown) => e)) as Core.Ks3ServiceError;
      expect(notEmpty).toMatchObject({ status: 409, code: 'BucketNotEmpty' });
    });

    test('bad input fails before any request', async () => {
      const { api, bucket, config } = ctx;
      let calls = 0;
      const counting = api.createClient({
        ...config,
        ...TEST_CREDENTIALS,
        fetch: (i, init) => (calls++, ctx.fetch(i, init)),
      });
      const cases: Promise<unknown>[] = [
        api.putObject(counting, { bucket: 'Bad_Name', key: 'k', body: 'x' }),
        api.putObject(counting, { bucket, key: '', body: 'x' }),
        api.putObject(counting, { bucket, key: 'a/../b', body: 'x' }),
        api.putObject(counting, { bucket, key: 'k', body: 42 as unknown as string }),
        api.getObject(counting, { bucket, key: 'k', range: { start: 10, end: 5 } }),
        api.presignUrl(counting, { bucket, key: 'k', expiresIn: -1 }),
      ];
      for (const p of cases) await expect(p).rejects.toMatchObject({ name: 'Ks3InputError' });
      expect(calls).toBe(0);
    });

    signingSuite(() => ctx);
    bucketSuite(() => ctx);
    objectSuite(() => ctx);
    multipartSuite(() => ctx, full);
    if (full) encryptionSuite(() => ctx);
    // Every mode: sub-resources are where V2 and V4 signing differ most.
    objectApiSuite(() => ctx);
    bucketConfigSuite(() => ctx);
    options.more?.(() => ctx);
  });
}
