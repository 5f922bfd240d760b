/**
 * Issue 9.5 and 9.7–9.13, one test (or a few) per point, in Node and in Chromium: storage
 * classes, signer failures and their retries, listings that do not advance, typed encryption
 * input errors, network errors that name where they went, honest HEAD codes, bodies read twice.
 * The browser-only points (CORS hiding ETag, realms) are in packages/browser/test, the Node-only
 * causes (ECONNREFUSED, TLS) in errors-node.test.ts.
 */
import { describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/core';
import { recorder } from '../../../internal/test-utils/recorder.js';
import { emulatorBucket, headerValues, requestsSince, useRecorder } from '../../../internal/test-utils/wire.js';

const emu = emulatorBucket('errors');
const wire = useRecorder();
const T = { bucket: 'bkt', key: 'k' };

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

describe('9.5: storage classes', () => {
  test('every class KS3 documents, and an unknown future one, go out as given and are stored', async () => {
    const { client, bucket } = emu;
    for (const storageClass of [...KS3.STORAGE_CLASSES, 'COLD_ARCHIVE_2030']) {
      const from = (await wire.rec.requests()).length;
      await KS3.putObject(wire.client(), { ...T, body: 'x', storageClass });
      const [r] = await requestsSince(wire.rec, from);
      expect(headerValues(r!, 'x-kss-storage-class')).toEqual([storageClass]);
      if (storageClass === 'COLD_ARCHIVE_2030') continue; // the emulator knows KS3's classes only
      await KS3.putObject(client, { bucket, key: `sc/${storageClass}`, body: 'x', storageClass });
      expect((await KS3.headObject(client, { bucket, key: `sc/${storageClass}` })).storageClass).toBe(storageClass);
    }
    expect(KS3.STORAGE_CLASSES).toEqual(expect.arrayContaining(['STANDARD', 'STANDARD_IA', 'DEEP_IA', 'ARCHIVE']));
  });
});

describe('9.7: a signer that throws', () => {
  const make = (fail: () => unknown, times: number) => {
    let calls = 0;
    const client = KS3.createClient({
      endpoint: wire.rec.url,
      retries: 3,
      retryDelay: 1,
      signer: async (r) => {
        calls++;
        if (calls <= times) throw fail();
        return { url: r.url, headers: { ...r.headers, authorization: 'KSS AK:sig' } };
      },
    });
    return { client, calls: () => calls };
  };

  test('transient failures (a network error of a remote signer) are retried and the call succeeds', async () => {
    const s = make(() => new TypeError('fetch failed'), 2);
    await expect(KS3.headObject(s.client, T)).resolves.toBeDefined();
    expect(s.calls()).toBe(3);
  });

  test('a permanent failure is a Ks3CredentialsError at once, naming the call, with the cause', async () => {
    const cause = new Error('policy refuses this key');
    const s = make(() => cause, 1);
    const err = (await rejection(KS3.headObject(s.client, T))) as KS3.Ks3CredentialsError;
    expect(err).toMatchObject({ name: 'Ks3CredentialsError', retryable: false, operation: 'HeadObject', attempts: 1 });
    expect(err.cause).toBe(cause);
    expect(s.calls()).toBe(1);
  });

  test('a failure that never clears is retried `retries` times, then reported as retryable', async () => {
    const s = make(() => new TypeError('Failed to fetch'), 99);
    const err = (await rejection(KS3.headObject(s.client, T))) as KS3.Ks3CredentialsError;
    expect(err).toMatchObject({ name: 'Ks3CredentialsError', retryable: true, attempts: 4 });
    expect(s.calls()).toBe(4);
  });

  test('a signer returning something unusable is a Ks3CredentialsError, the value not quoted', async () => {
    const client = KS3.createClient({
      endpoint: wire.rec.url,
      signer: async (r) => ({ url: r.url, headers: { authorization: 'KSS AK:se\ncret' } }),
    });
    const err = (await rejection(KS3.headObject(client, T))) as Error;
    expect(err.name).toBe('Ks3CredentialsError');
    expect(err.message).not.toContain('cret');
  });
});

/** A fetch that answers listing pages from a list, recording the query of each request. */
function pages(docs: string[]): { fetch: typeof fetch; queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    fetch: async (input) => {
      queries.push(new URL(String(input)).search);
      const body = docs.shift();
      if (body === undefined) throw new Error('no more pages scripted');
      return new Response(body, { status: 200, headers: { 'content-type': 'application/xml' } });
    },
  };
}
const tag = (name: string, value: unknown): string => (value === undefined ? '' : `<${name}>${value}</${name}>`);
const objPage = (keys: string[], truncated: boolean, next?: string) =>
  `<ListBucketResult><Name>bkt</Name>${tag('IsTruncated', truncated)}${tag('NextMarker', next)}${keys
    .map((k) => `<Contents><Key>${k}</Key><Size>1</Size><LastModified>2026-01-01T00:00:00Z</LastModified></Contents>`)
    .join('')}</ListBucketResult>`;
const uploadPage = (truncated: boolean, key?: string, id?: string) =>
  `<ListMultipartUploadsResult>${tag('IsTruncated', truncated)}${tag('NextKeyMarker', key)}` +
  `${tag('NextUploadIdMarker', id)}<Upload><Key>a</Key><UploadId>u</UploadId></Upload></ListMultipartUploadsResult>`;
const partPage = (truncated: boolean, next?: number) =>
  `<ListPartsResult>${tag('IsTruncated', truncated)}${tag('NextPartNumberMarker', next)}` +
  '<Part><PartNumber>1</PartNumber><ETag>"e"</ETag><Size>1</Size></Part></ListPartsResult>';

describe('9.9: a listing that does not advance is a Ks3ProtocolError everywhere, never a loop or a silent end', () => {
  const cases: [string, string[], (c: KS3.Client) => AsyncIterable<unknown>][] = [
    [
      'objects: a repeated marker',
      [objPage(['a'], true, 'a'), objPage(['b'], true, 'a')],
      (c) => KS3.listAllObjects(c, T),
    ],
    [
      'objects: a cycle a → b → a',
      [objPage(['a'], true, 'a'), objPage(['b'], true, 'b'), objPage(['c'], true, 'a')],
      (c) => KS3.listAllObjects(c, T),
    ],
    ['objects: truncated without a marker or an entry', [objPage([], true)], (c) => KS3.listAllObjects(c, T)],
    [
      'objects in a time range',
      [objPage(['a'], true, 'a'), objPage(['a'], true, 'a')],
      (c) => KS3.listObjectsInTimeRange(c, { ...T, startTime: 0 }),
    ],
    [
      'uploads: the same markers again',
      [uploadPage(true, 'a', 'u'), uploadPage(true, 'a', 'u')],
      (c) => KS3.listAllMultipartUploads(c, T),
    ],
    ['uploads: truncated without markers', [uploadPage(true)], (c) => KS3.listAllMultipartUploads(c, T)],
    [
      'parts: a marker that goes back',
      [partPage(true, 5), partPage(true, 3)],
      (c) => KS3.listAllParts(c, { ...T, uploadId: 'u' }),
    ],
    ['parts: truncated without a marker', [partPage(true)], (c) => KS3.listAllParts(c, { ...T, uploadId: 'u' })],
  ];
  for (const [what, docs, list] of cases) {
    test(what, async () => {
      const p = pages([...docs]);
      const client = KS3.createClient({ endpoint: 'http://ks3.test', anonymous: true, fetch: p.fetch });
      const err = await rejection(
        (async () => {
          for await (const _ of list(client));
        })(),
      );
      expect(KS3.isKs3ProtocolError(err), String(err)).toBe(true);
      expect(err).toMatchObject({ bucket: 'bkt' });
      expect(p.queries.length).toBe(docs.length);
    });
  }
});

describe('9.9: encryption input errors are typed', () => {
  test('a misaligned middle part is a Ks3InputError naming the body and the call', async () => {
    const client = KS3.createClient({
      endpoint: wire.rec.url,
      accessKeyId: 'AKLTunit',
      secretAccessKey: 'unit-secret',
      encryption: { key: 'ks3-demo-key-16b' },
    });
    // The state before part 1 of an upload whose IV is all zeros.
    const state = { iv: 'AAAAAAAAAAAAAAAAAAAAAA==', chain: 'AAAAAAAAAAAAAAAAAAAAAA==', offset: 0 };
    for (const call of [
      () => KS3.encryptPart(client, { encryptionState: state, body: 'seventeen bytes!!', isLastPart: false }),
      () =>
        KS3.uploadPart(client, {
          ...T,
          uploadId: 'u',
          partNumber: 1,
          body: 'seventeen bytes!!',
          encryptionState: state,
          isLastPart: false,
        }),
    ]) {
      const err = (await rejection(call())) as KS3.Ks3InputError;
      expect(KS3.isKs3InputError(err), String(err)).toBe(true);
      expect(err.param).toBe('body');
      expect(err.operation).toBeTruthy();
    }
  });
});

describe('9.10: a request that got no answer names where it went', () => {
  test('host and port of a closed port are in the message', async () => {
    const rec = await recorder();
    const url = rec.url;
    await rec.close();
    const client = KS3.createClient({ endpoint: url, anonymous: true, retries: 0 });
    const err = (await rejection(KS3.getObject(client, T))) as KS3.Ks3NetworkError;
    expect(err).toMatchObject({ name: 'Ks3NetworkError', code: 'NetworkError', timeout: false, attempts: 1 });
    expect(err.message).toContain(new URL(url).host);
    expect(err.message).not.toBe('[ks3] fetch failed');
  });
});

describe('9.11: HEAD errors are honest (HEAD answers have no body)', () => {
  test('a missing bucket or key is NotFound, never NoSuchKey; GET names the cause', async () => {
    const { client, bucket } = emu;
    const noBucket = (await rejection(
      KS3.headObject(client, { bucket: 'no-such-bucket-here', key: 'k' }),
    )) as KS3.Ks3ServiceError;
    expect(noBucket).toMatchObject({ status: 404, code: 'NotFound' });
    const noKey = (await rejection(KS3.headObject(client, { bucket, key: 'missing' }))) as KS3.Ks3ServiceError;
    expect(noKey).toMatchObject({ status: 404, code: 'NotFound' });
    const get = (await rejection(KS3.getObject(client, { bucket, key: 'missing' }))) as KS3.Ks3ServiceError;
    expect(get).toMatchObject({ status: 404, code: 'NoSuchKey' });
  });

  test('a wrong secret is Forbidden on HEAD (not AccessDenied), SignatureDoesNotMatch on GET', async () => {
    const { bucket } = emu;
    await KS3.putObject(emu.client, { bucket, key: 'present', body: 'x' });
    const wrong = emu.make({ secretAccessKey: 'not-the-secret' });
    const head = (await rejection(KS3.headObject(wrong, { bucket, key: 'present' }))) as KS3.Ks3ServiceError;
    expect(head).toMatchObject({ status: 403, code: 'Forbidden' });
    const get = (await rejection(KS3.getObject(wrong, { bucket, key: 'present' }))) as KS3.Ks3ServiceError;
    expect(get).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });
});

describe('9.13: a download body is read once; a second read is a typed error', () => {
  const reads: [string, (o: KS3.GetObjectResult) => unknown][] = [
    ['bytes()', (o) => o.bytes()],
    ['text()', (o) => o.text()],
    ['body', (o) => new Response(o.body).arrayBuffer()],
  ];
  for (const [first, read1] of reads) {
    for (const [second, read2] of reads) {
      if (first === 'body' && second === 'body') continue; // the same stream, handed out again
      test(`${first} then ${second}`, async () => {
        const { client, bucket } = emu;
        await KS3.putObject(client, { bucket, key: 'once', body: 'read me once' });
        const obj = await KS3.getObject(client, { bucket, key: 'once' });
        await read1(obj);
        const err = await (async () => read2(obj))().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(KS3.isKs3Error(err), String(err)).toBe(true);
        expect(err).toMatchObject({ code: 'BodyUsed', operation: 'GetObject', key: 'once' });
        expect((err as Error).message).toMatch(/can be read once/);
      });
    }
  }

  test('the generic request() result too', async () => {
    const res = await KS3.request(emu.client, { method: 'GET', bucket: emu.bucket, key: 'once' });
    await res.text();
    expect(await rejection(res.bytes())).toMatchObject({ code: 'BodyUsed' });
  });
});

describe('9.20: the JSON form of errors', () => {
  const SECRET = 'json-secret-key/0123456789';
  test('carries what a log needs and never a secret, a signature or a token', async () => {
    let authorization = '';
    const client = KS3.createClient({
      endpoint: 'http://ks3.test',
      accessKeyId: 'AKLTjson',
      secretAccessKey: SECRET,
      securityToken: 'json-token-0123456789',
      retries: 0,
      // A fetch that quotes the request's secrets in its error, as fetches do for bad header values.
      fetch: async (_i, init) => {
        const h = new Headers(init?.headers);
        authorization = h.get('authorization') ?? '';
        throw new TypeError(`bad header: ${authorization} ${h.get('x-kss-security-token')}`);
      },
    });
    const err = (await rejection(KS3.getObject(client, { bucket: 'bkt', key: 'k' }))) as KS3.Ks3Error;
    const json = err.toJSON();
    expect(json).toMatchObject({
      name: 'Ks3NetworkError',
      operation: 'GetObject',
      bucket: 'bkt',
      key: 'k',
      code: 'NetworkError',
      attempts: 1,
    });
    const text = JSON.stringify(err);
    expect(text).toBe(JSON.stringify(json));
    expect(authorization).toMatch(/Signature=|:/);
    const signature = authorization.split(/Signature=|:/).pop()!;
    for (const secret of [SECRET, 'json-token-0123456789', signature, authorization])
      expect(text).not.toContain(secret);
    expect(Object.keys(json)).not.toContain('cause');
  });

  test('a service error: status, code and request id from the answer', async () => {
    const { bucket } = emu;
    const err = (await rejection(KS3.getObject(emu.client, { bucket, key: 'nothing-here' }))) as KS3.Ks3Error;
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({
      name: 'Ks3ServiceError',
      operation: 'GetObject',
      bucket,
      key: 'nothing-here',
      status: 404,
      code: 'NoSuchKey',
      requestId: expect.any(String),
      attempts: 1,
    });
  });
});
