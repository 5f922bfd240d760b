/**
 * Issue 9.1: uploads carry exactly the headers the caller and the protocol ask for — no
 * `Cache-Control`/`Pragma` that fetch's cache modes would add (S3-style servers store them as
 * the object's metadata) — while reads in browsers still bypass the HTTP cache, so a GET after
 * an overwrite never returns the old bytes. Checked on the wire with a recording server and as
 * stored by the emulator, in Node and in Chromium.
 */
import { describe, expect, test } from 'vitest';
import {
  completeMultipartUpload,
  copyObject,
  createClient,
  getObject,
  headObject,
  initiateMultipartUpload,
  putObject,
  uploadPart,
} from '@ks3/core';
import {
  emulatorBucket,
  headerValues,
  inBrowser,
  requestsSince,
  useRecorder,
} from '../../../../internal/test-utils/wire.js';

const wire = useRecorder();
const emu = emulatorBucket('wire-cache');

const INITIATE_XML = '<InitiateMultipartUploadResult><UploadId>up1</UploadId></InitiateMultipartUploadResult>';
const COMPLETE_XML =
  '<CompleteMultipartUploadResult><Location>l</Location><ETag>"e-1"</ETag></CompleteMultipartUploadResult>';
const COPY_XML =
  '<CopyObjectResult><LastModified>2026-01-01T00:00:00Z</LastModified><ETag>"e"</ETag></CopyObjectResult>';

describe('uploads send no cache headers of their own (recording server)', () => {
  test('putObject, copyObject and a multipart upload: no Cache-Control, no Pragma', async () => {
    const { rec } = wire;
    await rec.setRoutes([
      { method: 'POST', path: '[?&]uploads', reply: { body: INITIATE_XML } },
      { method: 'POST', path: 'uploadId=', reply: { body: COMPLETE_XML } },
      { method: 'PUT', path: '^/bkt/copy$', reply: { body: COPY_XML } },
    ]);
    const client = wire.client();
    const from = (await rec.requests()).length;
    const t = { bucket: 'bkt', key: 'k' };
    await putObject(client, { ...t, body: 'small' });
    await putObject(client, { ...t, body: new Blob([new Uint8Array(3 << 20)]) });
    await copyObject(client, { bucket: 'bkt', key: 'copy', sourceBucket: 'bkt', sourceKey: 'k' });
    const { uploadId } = await initiateMultipartUpload(client, t);
    const part = await uploadPart(client, { ...t, uploadId, partNumber: 1, body: new Uint8Array(100) });
    await completeMultipartUpload(client, { ...t, uploadId, parts: [part] });
    const sent = await requestsSince(rec, from);
    expect(sent.map((r) => r.method)).toEqual(['PUT', 'PUT', 'PUT', 'POST', 'PUT', 'POST']);
    for (const r of sent) {
      expect(headerValues(r, 'cache-control'), r.requestLine).toEqual([]);
      expect(headerValues(r, 'pragma'), r.requestLine).toEqual([]);
    }
  });

  test('a cacheControl option is sent exactly as given, once', async () => {
    const { rec } = wire;
    const from = (await rec.requests()).length;
    await putObject(wire.client(), { bucket: 'bkt', key: 'k', body: 'x', cacheControl: 'public, max-age=31536000' });
    const [r] = await requestsSince(rec, from);
    expect(headerValues(r!, 'cache-control')).toEqual(['public, max-age=31536000']);
    expect(headerValues(r!, 'pragma')).toEqual([]);
  });
});

describe('what the emulator stores', () => {
  test('an object uploaded without cacheControl has none; one uploaded with it keeps exactly that', async () => {
    const { client, bucket } = emu;
    await putObject(client, { bucket, key: 'plain', body: 'a' });
    await putObject(client, { bucket, key: 'cached', body: 'b', cacheControl: 'max-age=60' });
    const { uploadId } = await initiateMultipartUpload(client, { bucket, key: 'multi' });
    const p = await uploadPart(client, { bucket, key: 'multi', uploadId, partNumber: 1, body: 'c' });
    await completeMultipartUpload(client, { bucket, key: 'multi', uploadId, parts: [p] });
    expect((await headObject(client, { bucket, key: 'plain' })).cacheControl).toBeUndefined();
    expect((await headObject(client, { bucket, key: 'multi' })).cacheControl).toBeUndefined();
    expect((await headObject(client, { bucket, key: 'cached' })).cacheControl).toBe('max-age=60');
    const got = await getObject(client, { bucket, key: 'plain' });
    await got.text();
    expect(got.cacheControl).toBeUndefined();
  });
});

describe('reads are never served stale', () => {
  test('a GET after the object changed returns the new bytes, although the first answer was cacheable', async () => {
    const { rec } = wire;
    const cacheable = { 'cache-control': 'public, max-age=3600', 'last-modified': 'Thu, 01 Jan 2026 00:00:00 GMT' };
    await rec.setRoutes([
      { method: 'GET', path: '^/bkt/stale$', times: 1, reply: { body: 'version 1', headers: cacheable } },
      { method: 'GET', path: '^/bkt/stale$', reply: { body: 'version 2', headers: cacheable } },
    ]);
    // Anonymous and with a fixed clock: both GETs have the same URL and no Authorization, the
    // easiest case for an HTTP cache to answer the second one itself.
    const client = wire.client({ anonymous: true });
    const from = (await rec.requests()).length;
    expect(await (await getObject(client, { bucket: 'bkt', key: 'stale' })).text()).toBe('version 1');
    expect(await (await getObject(client, { bucket: 'bkt', key: 'stale' })).text()).toBe('version 2');
    const gets = await requestsSince(rec, from);
    expect(gets).toHaveLength(2);
    // Node's fetch has no HTTP cache and gets no cache headers; browsers bypass theirs.
    if (!inBrowser) for (const r of gets) expect(headerValues(r, 'cache-control')).toEqual([]);
  });

  test('emulator: overwrite an object stored with a long max-age, then GET returns the new bytes', async () => {
    const { client, bucket } = emu;
    const key = 'overwritten';
    // Read anonymously (a public-read object): same URL, no Authorization, as a CDN-style page would.
    const reader = createClient({ endpoint: emu.endpoint, anonymous: true });
    const attrs = { acl: 'public-read', cacheControl: 'public, max-age=3600' } as const;
    await putObject(client, { bucket, key, body: 'old bytes', ...attrs });
    expect(await (await getObject(reader, { bucket, key })).text()).toBe('old bytes');
    await putObject(client, { bucket, key, body: 'new bytes', ...attrs });
    expect(await (await getObject(reader, { bucket, key })).text()).toBe('new bytes');
  });
});
