/** V4 payload hashes (checked while the body streams), refused streaming modes, x-amz-* aliases, header whitespace. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { CREDS, code, rawRequest, xml1 } from './helpers/ks3.js';
import { sendV4, sha256, signV4, type V4Options } from './helpers/v4-client.js';
import { emulatorFor, loadV4Cases, replayOf, toRaw } from './helpers/v4-vectors.js';

const EMPTY = sha256('');

describe('V4 payload hashes', () => {
  const f = useEmulator();
  const v4 = (o: Omit<V4Options, 'creds'>) => sendV4(f.url, { creds: CREDS, ...o });
  const tmpFiles = () => readdirSync(join(f.emu.dataDir, 'tmp'));

  it('UNSIGNED-PAYLOAD is accepted for any body; the right SHA-256 too', async () => {
    const b = await createBucket(f);
    expect(
      (await v4({ method: 'PUT', bucket: b, key: 'u', body: 'anything', payload: 'UNSIGNED-PAYLOAD' })).status,
    ).toBe(200);
    expect((await v4({ method: 'PUT', bucket: b, key: 'h', body: 'hashed' })).status).toBe(200);
    expect(
      (await v4({ method: 'PUT', bucket: b, key: 'H', body: 'upper', payload: sha256('upper').toUpperCase() })).status,
    ).toBe(200);
  });

  it('a body that does not match its SHA-256 is refused and nothing is stored (PUT, part, Complete)', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'keep', 'old');
    const put = await v4({ method: 'PUT', bucket: b, key: 'keep', body: 'new!', payload: sha256('new?') });
    expect([put.status, code(put)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    expect(xml1(put.text, 'ClientComputedContentSHA256')).toBe(sha256('new?'));
    expect(xml1(put.text, 'S3ComputedContentSHA256')).toBe(sha256('new!'));
    expect((await f.send({ method: 'GET', bucket: b, key: 'keep' })).text).toBe('old');
    expect(tmpFiles()).toEqual([]);

    const init = await v4({ method: 'POST', bucket: b, key: 'mp', query: [['uploads', '']] });
    const uploadId = xml1(init.text, 'UploadId') ?? '';
    const part = await v4({
      method: 'PUT',
      bucket: b,
      key: 'mp',
      query: [
        ['partNumber', '1'],
        ['uploadId', uploadId],
      ],
      body: 'part',
      payload: sha256('part!'),
    });
    expect(code(part)).toBe('XAmzContentSHA256Mismatch');
    const parts = await v4({ method: 'GET', bucket: b, key: 'mp', query: [['uploadId', uploadId]] });
    expect(parts.text).not.toContain('<ns2:Part>');
    const xml =
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>';
    const complete = await v4({
      method: 'POST',
      bucket: b,
      key: 'mp',
      query: [['uploadId', uploadId]],
      body: xml,
      payload: EMPTY,
    });
    expect(code(complete)).toBe('XAmzContentSHA256Mismatch');
  });

  it('a request without a body must declare the empty SHA-256 (or UNSIGNED-PAYLOAD)', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'v');
    expect((await v4({ method: 'GET', bucket: b, key: 'k' })).status).toBe(200);
    expect((await v4({ method: 'GET', bucket: b, key: 'k', payload: 'UNSIGNED-PAYLOAD' })).status).toBe(200);
    const res = await v4({ method: 'GET', bucket: b, key: 'k', payload: sha256('body') });
    expect([res.status, code(res)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
  });

  it('refuses aws-chunked / STREAMING-* uploads clearly, malformed hashes, and a missing hash header', async () => {
    const b = await createBucket(f);
    const streaming = await v4({
      method: 'PUT',
      bucket: b,
      key: 's',
      body: 'x',
      payload: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    });
    expect([streaming.status, code(streaming)]).toEqual([501, 'NotImplemented']);
    expect(xml1(streaming.text, 'Message')).toContain('not supported by KS3');
    const chunked = await v4({
      ns: 'AWS4',
      method: 'PUT',
      bucket: b,
      key: 's',
      body: 'x',
      headers: { 'content-encoding': 'aws-chunked' },
      payload: 'UNSIGNED-PAYLOAD',
    });
    expect(code(chunked)).toBe('NotImplemented');
    const bad = await v4({ method: 'PUT', bucket: b, key: 's', body: 'x', payload: 'sha256-of-x' });
    expect([bad.status, code(bad)]).toEqual([400, 'InvalidArgument']);
    const signed = signV4({ method: 'GET', creds: CREDS }, new URL(f.url).host);
    const missing = await rawRequest(f.url, {
      method: 'GET',
      path: '/',
      headers: signed.headers.filter(([k]) => k !== 'x-kss-content-sha256'),
    });
    expect([missing.status, code(missing)]).toEqual([400, 'InvalidRequest']);
    expect(xml1(missing.text, 'Message')).toContain('x-kss-content-sha256');
    expect((await f.send({ method: 'HEAD', bucket: b, key: 's' })).status).toBe(404);
  });
});

describe('AWS namespace: x-amz-* request headers as aliases, x-amz-* answers', () => {
  const f = useEmulator();
  const aws = (o: Omit<V4Options, 'creds'>) => sendV4(f.url, { ns: 'AWS4', creds: CREDS, ...o });

  it('ACL, metadata, storage class, copy source and directive, part copy range', async () => {
    const b = await createBucket(f);
    const put = await aws({
      method: 'PUT',
      bucket: b,
      key: 'src',
      body: 'x'.repeat(200),
      headers: { 'x-amz-acl': 'public-read', 'x-amz-meta-color': 'red', 'x-amz-storage-class': 'STANDARD_IA' },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.headers['x-amz-request-id']).toBe(put.headers['x-kss-request-id']);
    expect((await f.send({ method: 'GET', bucket: b, key: 'src', creds: null })).status).toBe(200);
    const head = await aws({ method: 'HEAD', bucket: b, key: 'src' });
    expect(head.headers['x-amz-meta-color']).toBe('red');
    expect(head.headers['x-kss-meta-color']).toBe('red');
    expect(head.headers['x-amz-storage-class']).toBe('STANDARD_IA');
    const copy = await aws({
      method: 'PUT',
      bucket: b,
      key: 'dst',
      headers: { 'x-amz-copy-source': `/${b}/src`, 'x-amz-metadata-directive': 'REPLACE', 'x-amz-meta-shape': 'round' },
    });
    expect(copy.status, copy.text).toBe(200);
    const copied = await f.send({ method: 'HEAD', bucket: b, key: 'dst' });
    expect([copied.headers['x-kss-meta-shape'], copied.headers['x-kss-meta-color']]).toEqual(['round', undefined]);
    expect(copied.headers['x-amz-meta-shape']).toBeUndefined();
    const init = await aws({ method: 'POST', bucket: b, key: 'mp', query: [['uploads', '']] });
    const uploadId = xml1(init.text, 'UploadId') ?? '';
    const part = await aws({
      method: 'PUT',
      bucket: b,
      key: 'mp',
      query: [
        ['partNumber', '1'],
        ['uploadId', uploadId],
      ],
      headers: { 'x-amz-copy-source': `/${b}/src`, 'x-amz-copy-source-range': 'bytes=0-9' },
    });
    expect(part.status, part.text).toBe(200);
    const parts = await aws({ method: 'GET', bucket: b, key: 'mp', query: [['uploadId', uploadId]] });
    // AWS4-signed: S3's unprefixed ListPartsResult (the ns2: form is for KS3's own clients).
    expect(xml1(parts.text, 'Size')).toBe('10');
  });

  it('a KSS4 request does not read x-amz-* headers', async () => {
    const b = await createBucket(f);
    const put = await sendV4(f.url, {
      method: 'PUT',
      bucket: b,
      key: 'k',
      body: 'k',
      headers: { 'x-amz-meta-color': 'red' },
      sign: ['x-amz-meta-color'],
      creds: CREDS,
    });
    expect(put.status).toBe(200);
    expect(put.headers['x-amz-request-id']).toBeUndefined();
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'k' })).headers['x-kss-meta-color']).toBeUndefined();
  });
});

describe('headerWhitespace: inner whitespace of signed header values', () => {
  // Signed by KS3's Go SDK, which keeps inner runs of spaces (not verifiable: KS3's rule is unknown).
  const kept = loadV4Cases().find((c) => c.id === 'h-kss4-21-meta-headers');

  for (const [mode, keep, collapse] of [
    ['either', true, true],
    ['keep', true, false],
    ['collapse', false, true],
  ] as const) {
    const verdict = (ok: boolean) => (ok ? 'accepted' : 'refused');
    it(`'${mode}': Go SDK form ${verdict(keep)}, AWS form ${verdict(collapse)}`, async () => {
      if (!kept) throw new Error('vector h-kss4-21-meta-headers missing');
      const emu = await emulatorFor(kept, { headerWhitespace: mode });
      try {
        const goSdk = await rawRequest(emu.url, toRaw(replayOf(kept)));
        expect(goSdk.status === 200, goSdk.text).toBe(keep);
        const awsForm = await sendV4(emu.url, {
          method: 'PUT',
          bucket: 'examplebucket',
          key: 'meta/aws.bin',
          body: 'data',
          headers: { 'x-kss-meta-author': '  Alice   Smith  ' },
          creds: { accessKeyId: kept.input.access_key_id, secretAccessKey: kept.input.secret_access_key },
          time: new Date(kept.input.time),
          collapse: true,
        });
        expect(awsForm.status === 200, awsForm.text).toBe(collapse);
        if (!collapse) expect(code(awsForm)).toBe('SignatureDoesNotMatch');
      } finally {
        await emu.close();
      }
    });
  }
});
