/**
 * Issue 9.4 and 9.6: nothing the caller passes vanishes. Every option and every caller header
 * of an upload reaches the wire (a recording server) and the emulator's stored object; a header
 * that contradicts an option is a Ks3InputError naming the option; every operation takes
 * `headers`; the inputs the reference SDK sends (response-* on HEAD, versionId on object ACLs,
 * encoding-type on listParts, a part's content type, an explicit request time) are expressible.
 */
import { describe, expect, test } from 'vitest';
import * as KS3 from '@ks3/core';
import type { RecordedRequest } from '../../../../internal/test-utils/recorder.js';
import { missingOperations, OPERATIONS } from '../../../../internal/test-utils/operations.js';
import {
  emulatorBucket,
  headerValues,
  inBrowser,
  requestsSince,
  useRecorder,
} from '../../../../internal/test-utils/wire.js';

const wire = useRecorder();
const emu = emulatorBucket('wire-headers');

const ATTRIBUTE_HEADERS = {
  'content-type': 'text/x-probe',
  'cache-control': 'max-age=7',
  'content-disposition': 'attachment; filename="p.txt"',
  'content-encoding': 'identity',
  expires: 'Thu, 01 Jan 2037 00:00:00 GMT',
  'x-kss-acl': 'public-read',
  'x-kss-storage-class': 'STANDARD_IA',
};
const EXTRA_HEADERS = { 'content-language': 'en', 'x-kss-meta-from-header': 'h', 'x-probe': 'p' };

/** Sends one call and returns what the recording server saw for it. */
async function sent(call: () => Promise<unknown>): Promise<RecordedRequest[]> {
  const from = (await wire.rec.requests()).length;
  await call().catch(() => undefined);
  return requestsSince(wire.rec, from);
}

function expectHeaders(r: RecordedRequest, want: Record<string, string>): void {
  for (const [name, value] of Object.entries(want)) {
    expect(headerValues(r, name), name).toEqual([value]);
  }
}

const COPY_XML =
  '<CopyObjectResult><LastModified>2026-01-01T00:00:00Z</LastModified><ETag>"e"</ETag></CopyObjectResult>';
const INIT_XML = '<InitiateMultipartUploadResult><UploadId>u</UploadId></InitiateMultipartUploadResult>';

describe('9.4: caller headers on uploads are sent, never dropped (recording server)', () => {
  const t = { bucket: 'bkt', key: 'k.bin' };
  test('given only as headers (no option): putObject, copyObject, initiateMultipartUpload send every one', async () => {
    await wire.rec.setRoutes([
      { method: 'PUT', path: 'copy', reply: { body: COPY_XML } },
      { method: 'POST', reply: { body: INIT_XML } },
    ]);
    const c = wire.client();
    const headers = { ...ATTRIBUTE_HEADERS, ...EXTRA_HEADERS };
    const [put] = await sent(() => KS3.putObject(c, { ...t, body: 'x', headers }));
    expectHeaders(put!, headers);
    const [copy] = await sent(() =>
      KS3.copyObject(c, {
        ...t,
        key: 'copy',
        sourceBucket: 'bkt',
        sourceKey: 'k.bin',
        headers: { ...headers, 'x-kss-metadata-directive': 'REPLACE' },
      }),
    );
    expectHeaders(copy!, { ...headers, 'x-kss-metadata-directive': 'REPLACE' });
    const [init] = await sent(() => KS3.initiateMultipartUpload(c, { ...t, headers }));
    expectHeaders(init!, headers);
  });

  test('every option and extra headers together: all sent once, with the option values', async () => {
    await wire.rec.setRoutes([
      { method: 'PUT', path: 'copy', reply: { body: COPY_XML } },
      { method: 'POST', reply: { body: INIT_XML } },
    ]);
    const c = wire.client();
    const options = {
      contentType: 'text/x-probe',
      cacheControl: 'max-age=7',
      contentDisposition: 'attachment; filename="p.txt"',
      contentEncoding: 'identity',
      expires: 'Thu, 01 Jan 2037 00:00:00 GMT',
      acl: 'public-read',
      storageClass: 'STANDARD_IA',
      metadata: { a: '1' },
    } as const;
    const headers = { ...EXTRA_HEADERS, 'x-kss-acl': 'public-read' }; // the same value twice is fine
    const want = { ...ATTRIBUTE_HEADERS, ...EXTRA_HEADERS, 'x-kss-meta-a': '1' };
    const [put] = await sent(() =>
      KS3.putObject(c, {
        ...t,
        ...options,
        body: 'body',
        contentMd5: 'kAFQmDzST7DWlj99KOF/cg==',
        callback: { url: 'http://cb.test/x', body: 'k=${key}' },
        headers,
      }),
    );
    expectHeaders(put!, {
      ...want,
      'content-md5': 'kAFQmDzST7DWlj99KOF/cg==',
      'x-kss-callbackurl': 'http://cb.test/x',
    });
    const [copy] = await sent(() =>
      KS3.copyObject(c, {
        ...t,
        ...options,
        key: 'copy',
        sourceBucket: 'src',
        sourceKey: 'a/b',
        sourceVersionId: 'v1',
        metadataDirective: 'REPLACE',
        headers,
      }),
    );
    expectHeaders(copy!, {
      ...want,
      'x-kss-metadata-directive': 'REPLACE',
      'x-kss-copy-source': '/src/a%2Fb?versionId=v1',
    });
    const [init] = await sent(() => KS3.initiateMultipartUpload(c, { ...t, ...options, headers }));
    expectHeaders(init!, want);
  });

  const c = () => wire.client();
  const CONFLICTS: [string, () => Promise<unknown>][] = [
    [
      'contentType',
      () => KS3.putObject(c(), { ...t, body: '', contentType: 'a/b', headers: { 'content-type': 'c/d' } }),
    ],
    [
      'cacheControl',
      () => KS3.putObject(c(), { ...t, body: '', cacheControl: 'a', headers: { 'Cache-Control': 'b' } }),
    ],
    ['acl', () => KS3.initiateMultipartUpload(c(), { ...t, acl: 'private', headers: { 'x-kss-acl': 'public-read' } })],
    [
      'storageClass',
      () => KS3.putObject(c(), { ...t, body: '', storageClass: 'ARCHIVE', headers: { 'x-kss-storage-class': 'IA' } }),
    ],
    [
      'expires',
      () => KS3.copyObject(c(), { ...t, sourceBucket: 'bkt', sourceKey: 's', expires: 'x', headers: { expires: 'y' } }),
    ],
    [
      'metadataDirective',
      () =>
        KS3.copyObject(c(), {
          ...t,
          sourceBucket: 'bkt',
          sourceKey: 's',
          metadataDirective: 'COPY',
          headers: { 'x-kss-metadata-directive': 'REPLACE' },
        }),
    ],
    [
      'contentMd5',
      () => KS3.putObject(c(), { ...t, body: 'x', contentMd5: 'AAAA', headers: { 'content-md5': 'BBBB' } }),
    ],
    [
      'contentType',
      () =>
        KS3.uploadPart(c(), {
          ...t,
          uploadId: 'u',
          partNumber: 1,
          body: 'x',
          contentType: 'a/b',
          headers: { 'content-type': 'c/d' },
        }),
    ],
  ];
  for (const [option, call] of CONFLICTS) {
    test(`a header contradicting ${option} is a Ks3InputError naming it, before any request`, async () => {
      const from = (await wire.rec.requests()).length;
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(KS3.isKs3InputError(err), String(err)).toBe(true);
      expect((err as KS3.Ks3InputError).param).toBe('headers');
      expect((err as Error).message).toContain(`the ${option} option`);
      expect(await requestsSince(wire.rec, from)).toEqual([]);
    });
  }
});

describe('9.4/9.5: what the emulator stores from headers alone', () => {
  test('storage class, ACL, cache and content headers given only as headers are stored', async () => {
    const { client, bucket } = emu;
    await KS3.putObject(client, {
      bucket,
      key: 'via-headers',
      body: 'x',
      headers: { ...ATTRIBUTE_HEADERS, 'x-kss-storage-class': 'DEEP_IA', 'content-language': 'en' },
    });
    const head = await KS3.headObject(client, { bucket, key: 'via-headers' });
    expect(head).toMatchObject({
      storageClass: 'DEEP_IA',
      contentType: 'text/x-probe',
      cacheControl: 'max-age=7',
      contentDisposition: 'attachment; filename="p.txt"',
      expires: 'Thu, 01 Jan 2037 00:00:00 GMT',
      contentLanguage: 'en',
    });
    const acl = await KS3.getObjectAcl(client, { bucket, key: 'via-headers' });
    expect(acl.grants.some((g) => g.grantee.type === 'Group' && g.permission === 'READ')).toBe(true);
  });
});

describe('9.6: every operation takes headers', () => {
  test('the operation table lists every function @ks3/core exports', () => {
    expect(missingOperations(KS3)).toEqual([]);
  });

  for (const op of OPERATIONS.filter((o) => o.kind === 'request')) {
    test(`${op.name} sends the caller's headers on every request it makes`, async () => {
      await wire.rec.setRoutes([]);
      const requests = await sent(() =>
        op.call(KS3, wire.client(), { bucket: 'bkt', key: 'k', headers: { 'x-probe': op.name } }),
      );
      expect(requests.length).toBeGreaterThan(0);
      for (const r of requests) expect(headerValues(r, 'x-probe'), r.requestLine).toEqual([op.name]);
    });
  }
});

describe('9.6: inputs of the reference SDK that the API now expresses', () => {
  const t = { bucket: 'bkt', key: 'k' };
  test('response-* overrides on headObject, versionId on object ACLs, encoding-type on listParts', async () => {
    await wire.rec.setRoutes([]);
    const c = wire.client();
    // Path and decoded query (V2 and V4 encode some characters differently).
    const targets = async (call: () => Promise<unknown>) =>
      (await sent(call)).map((r) => {
        const u = new URL(r.target, 'http://x');
        return [u.pathname, ...u.searchParams.entries()];
      });
    expect(
      await targets(() => KS3.headObject(c, { ...t, response: { contentType: 'a/b', cacheControl: 'no' } })),
    ).toEqual([['/bkt/k', ['response-content-type', 'a/b'], ['response-cache-control', 'no']]]);
    const acl = [['/bkt/k', ['acl', ''], ['versionId', 'v9']]];
    expect(await targets(() => KS3.getObjectAcl(c, { ...t, versionId: 'v9' }))).toEqual(acl);
    expect(await targets(() => KS3.putObjectAcl(c, { ...t, acl: 'private', versionId: 'v9' }))).toEqual(acl);
    expect(await targets(() => KS3.listParts(c, { ...t, uploadId: 'u', encodingType: 'url' }))).toEqual([
      ['/bkt/k', ['uploadId', 'u'], ['encoding-type', 'url']],
    ]);
  });

  test('uploadPart sends its contentType (default application/octet-stream)', async () => {
    const c = wire.client();
    const p = { ...t, uploadId: 'u', partNumber: 1, body: 'x' };
    const [typed] = await sent(() => KS3.uploadPart(c, { ...p, contentType: 'video/mp4' }));
    const [plain] = await sent(() => KS3.uploadPart(c, p));
    expect(headerValues(typed!, 'content-type')).toEqual(['video/mp4']);
    expect(headerValues(plain!, 'content-type')).toEqual(['application/octet-stream']);
  });

  test('an explicit request time is honoured, not replaced by the clock (V2 and V4)', async () => {
    const v2 = wire.client({ signatureVersion: 'v2', dateHeader: 'x-kss-date' });
    const v4 = wire.client({ region: 'BEIJING' });
    const when = 'Fri, 02 Jan 2026 03:04:05 GMT';
    const [a] = await sent(() => KS3.headObject(v2, { ...t, headers: { 'x-kss-date': when } }));
    expect(headerValues(a!, 'x-kss-date')).toEqual([when]);
    const [b] = await sent(() => KS3.headObject(v4, { ...t, headers: { 'x-kss-date': '20260102T030405Z' } }));
    expect(headerValues(b!, 'x-kss-date')).toEqual(['20260102T030405Z']);
    expect(headerValues(b!, 'authorization')[0]).toContain('/20260102/BEIJING/');
    if (!inBrowser) {
      // Browsers may not set Date; Node sends the caller's.
      const [d] = await sent(() =>
        KS3.headObject(wire.client({ signatureVersion: 'v2' }), { ...t, headers: { date: when } }),
      );
      expect(headerValues(d!, 'date')).toEqual([when]);
    }
  });

  test('emulator: an explicit time an hour old is refused as skewed (it was used), not "corrected"', async () => {
    const { bucket } = emu;
    const client = emu.make({ signatureVersion: 'v2', dateHeader: 'x-kss-date' });
    await KS3.putObject(client, { bucket, key: 'timed', body: 'x' });
    const old = new Date(Date.now() - 3600_000).toUTCString();
    const err = await KS3.headObject(client, { bucket, key: 'timed', headers: { 'x-kss-date': old } }).catch((e) => e);
    expect(err).toMatchObject({ name: 'Ks3ServiceError', status: 403, attempts: 1 });
    const now = new Date().toUTCString();
    await expect(
      KS3.headObject(client, { bucket, key: 'timed', headers: { 'x-kss-date': now } }),
    ).resolves.toMatchObject({ size: 1 });
  });
});
