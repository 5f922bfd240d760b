/** Object operations (§4.7–4.11) and the quirks of §10 items 6–12. */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { CREDS, code, hmac, md5b64, md5hex, stringToSign, xml1 } from './helpers/ks3.js';

describe('put, get, head, delete', () => {
  const f = useEmulator();

  it('PUT: 200, empty body, ETag "<md5 hex>"; Content-MD5 verified', async () => {
    const b = await createBucket(f);
    const res = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'hello.txt',
      body: 'hello world',
      headers: { 'Content-MD5': md5b64('hello world') },
    });
    expect([res.status, res.text, res.headers.etag]).toEqual([200, '', `"${md5hex('hello world')}"`]);
    const bad = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'bad.txt',
      body: 'hello world',
      headers: { 'Content-MD5': md5b64('other') },
    });
    expect([bad.status, code(bad)]).toEqual([400, 'BadDigest']);
    const malformed = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'bad.txt',
      body: 'x',
      headers: { 'Content-MD5': 'not-base64!' },
    });
    expect([malformed.status, code(malformed)]).toEqual([400, 'InvalidDigest']);
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'bad.txt' });
    expect(head.status).toBe(404);
  });

  it('stores metadata with lower-case names, the content type, standard headers and the storage class', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'm.bin', 'meta', {
      'Content-Type': 'image/png',
      'X-KSS-META-Color': 'Blue Sky',
      'x-kss-meta-Iv': '8PHy8/T19vf4+fr7/P3+/w==',
      'Cache-Control': 'max-age=60',
      'Content-Disposition': 'inline',
      'x-kss-storage-class': 'STANDARD_IA',
    });
    for (const method of ['GET', 'HEAD']) {
      const res = await f.send({ method, bucket: b, key: 'm.bin' });
      const names = res.rawHeaders.filter((_, i) => i % 2 === 0);
      expect(names).toContain('x-kss-meta-color');
      expect(names).toContain('x-kss-meta-iv');
      expect(names.filter((n) => /^x-kss-meta-/i.test(n) && n !== n.toLowerCase())).toEqual([]);
      expect(res.headers['x-kss-meta-color']).toBe('Blue Sky');
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['cache-control']).toBe('max-age=60');
      expect(res.headers['content-disposition']).toBe('inline');
      expect(res.headers['x-kss-storage-class']).toBe('STANDARD_IA');
      expect(res.headers['content-length']).toBe('4');
      expect(res.headers['transfer-encoding']).toBeUndefined();
      expect(res.headers['last-modified']).toMatch(/GMT$/);
    }
    await putObject(f, b, 'plain.bin', 'x');
    const plain = await f.send({ method: 'HEAD', bucket: b, key: 'plain.bin' });
    expect(plain.headers['x-kss-storage-class']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('application/octet-stream');
  });

  it('refuses bad storage classes, missing lengths, oversize uploads and bad keys', async () => {
    const b = await createBucket(f);
    const sc = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'k',
      body: 'x',
      headers: { 'x-kss-storage-class': 'REDUCED_REDUNDANCY' },
    });
    expect([sc.status, code(sc)]).toEqual([400, 'InvalidStorageClass']);
    const long = await f.send({ method: 'PUT', bucket: b, key: 'k'.repeat(1025), body: 'x' });
    expect([long.status, code(long)]).toEqual([400, 'KeyTooLong']);
    expect((await f.send({ method: 'PUT', bucket: b, key: '键'.repeat(1024), body: 'x' })).status).toBe(200);
    for (const key of ['a@base@b', 'x@style@']) {
      const res = await f.send({ method: 'PUT', bucket: b, key, body: 'x' });
      expect([res.status, code(res)]).toEqual([400, 'InvalidKey']);
    }
    const chunked = await sendChunked(f.url, b, 'chunked.bin');
    expect([chunked.status, chunked.code]).toEqual([411, 'MissingContentLength']);
    const huge = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'huge',
      headers: { 'Content-Length': String(5 * 1024 ** 3 + 1) },
      body: undefined,
    });
    expect([huge.status, code(huge)]).toEqual([400, 'EntityTooLarge']);
    // Not drained: 5 GiB announced, so the connection is closed after the answer.
    expect(huge.headers.connection).toBe('close');
    const meta = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'k',
      body: 'x',
      headers: { 'x-kss-meta-big': 'v'.repeat(2100) },
    });
    expect([meta.status, code(meta)]).toEqual([400, 'MetadataTooLarge']);
    const missing = await f.send({ method: 'PUT', bucket: 'no-such-bucket-here', key: 'k', body: 'x' });
    expect([missing.status, code(missing)]).toEqual([404, 'NoSuchBucket']);
  });

  it('tolerates Expect: 100-continue with the body sent at once, and when the client waits', async () => {
    const b = await createBucket(f);
    const put = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'expect.txt',
      body: 'continue',
      headers: { Expect: '100-continue' },
    });
    expect(put.status).toBe(200);
    const waited = await putWaitingForContinue(f.url, b, 'waited.txt', 'after 100');
    expect(waited).toEqual({ sawContinue: true, status: 200 });
    expect((await f.send({ method: 'GET', bucket: b, key: 'waited.txt' })).text).toBe('after 100');
  });

  it('streams a 64 MiB body in and out: ETag is its MD5, ranges read from the middle', async () => {
    const b = await createBucket(f);
    const size = 64 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024);
    const hash = createHash('md5');
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 64; i++) {
          chunk.fill(i);
          hash.update(chunk);
          yield Buffer.from(chunk);
        }
      })(),
    );
    const put = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'big.bin',
      body,
      headers: { 'Content-Length': String(size) },
    });
    expect([put.status, put.headers.etag]).toEqual([200, `"${hash.digest('hex')}"`]);
    const got = await f.send({ method: 'GET', bucket: b, key: 'big.bin' });
    expect([got.headers['content-length'], got.body.length, got.body[0], got.body[size - 1]]).toEqual([
      String(size),
      size,
      0,
      63,
    ]);
    const mid = await f.send({
      method: 'GET',
      bucket: b,
      key: 'big.bin',
      headers: { Range: `bytes=${33 * 1024 * 1024 - 2}-${33 * 1024 * 1024 + 1}` },
    });
    expect([...mid.body]).toEqual([32, 32, 33, 33]);
  });

  it('GET ranges: 206 + Content-Range, suffix and open ranges, 416 InvalidRange, malformed ranges ignored', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'r.txt', '0123456789');
    const cases: [string, number, string, string | undefined][] = [
      ['bytes=2-5', 206, '2345', 'bytes 2-5/10'],
      ['bytes=7-', 206, '789', 'bytes 7-9/10'],
      ['bytes=-3', 206, '789', 'bytes 7-9/10'],
      ['bytes=8-100', 206, '89', 'bytes 8-9/10'],
      ['bytes=5-2', 200, '0123456789', undefined],
      ['items=1-2', 200, '0123456789', undefined],
    ];
    for (const [range, status, body, contentRange] of cases) {
      const res = await f.send({ method: 'GET', bucket: b, key: 'r.txt', headers: { Range: range } });
      expect([range, res.status, res.text, res.headers['content-range'], res.headers['content-length']]).toEqual([
        range,
        status,
        body,
        contentRange,
        String(body.length),
      ]);
    }
    const out = await f.send({ method: 'GET', bucket: b, key: 'r.txt', headers: { Range: 'bytes=10-' } });
    expect([out.status, code(out), out.headers['content-range']]).toEqual([416, 'InvalidRange', 'bytes */10']);
  });

  it('GET applies response-* overrides; unknown query parameters are ignored', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'o.txt', 'override', { 'Content-Type': 'text/plain' });
    const query =
      'response-content-type=application/json&response-content-disposition=attachment&response-cache-control=no-cache&response-content-language=zh&response-expires=0&response-content-encoding=identity&whatever=1';
    const res = await f.send({ method: 'GET', bucket: b, key: 'o.txt', query });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['content-disposition']).toBe('attachment');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-language']).toBe('zh');
    expect(res.headers.expires).toBe('0');
    expect(res.headers['content-encoding']).toBe('identity');
    expect(res.text).toBe('override');
  });

  it('HEAD of a missing key: 404 with no body; GET: 404 NoSuchKey XML', async () => {
    const b = await createBucket(f);
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'nope' });
    expect([head.status, head.body.length]).toEqual([404, 0]);
    const get = await f.send({ method: 'GET', bucket: b, key: 'nope' });
    expect([get.status, code(get), xml1(get.text, 'Resource'), get.headers['content-type']]).toEqual([
      404,
      'NoSuchKey',
      `/${b}/nope`,
      'application/xml',
    ]);
    expect(
      get.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n') ||
        get.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><Error>'),
    ).toBe(true);
  });

  it('DELETE: 204, also for a missing key', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'd', 'x');
    const del = await f.send({ method: 'DELETE', bucket: b, key: 'd' });
    expect([del.status, del.text]).toEqual([204, '']);
    expect((await f.send({ method: 'DELETE', bucket: b, key: 'd' })).status).toBe(204);
    expect((await f.send({ method: 'GET', bucket: b, key: 'd' })).status).toBe(404);
  });

  it('conditional GET: If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since', async () => {
    const b = await createBucket(f);
    const etag = (await putObject(f, b, 'c', 'cond')).headers.etag as string;
    const get = (headers: Record<string, string>) => f.send({ method: 'GET', bucket: b, key: 'c', headers });
    expect((await get({ 'If-Match': etag })).status).toBe(200);
    expect(code(await get({ 'If-Match': '"0000"' }))).toBe('PreconditionFailed');
    expect((await get({ 'If-None-Match': etag })).status).toBe(304);
    expect((await get({ 'If-None-Match': '"0000"' })).status).toBe(200);
    expect((await get({ 'If-Modified-Since': new Date(Date.now() + 60_000).toUTCString() })).status).toBe(304);
    expect((await get({ 'If-Unmodified-Since': new Date(Date.now() - 3600_000).toUTCString() })).status).toBe(412);
  });

  it('routing: unimplemented sub-resources → 501, wrong methods → 405', async () => {
    const b = await createBucket(f);
    const notification = await f.send({ method: 'GET', bucket: b, key: '', query: 'notification' });
    expect([notification.status, code(notification)]).toEqual([501, 'NotImplemented']);
    const post = await f.send({ method: 'POST', bucket: b, key: 'k' });
    expect([post.status, code(post)]).toEqual([405, 'MethodNotAllowed']);
    const patch = await f.send({ method: 'PATCH', bucket: b, key: 'k' });
    expect(patch.status).toBe(405);
  });
});

describe('internal errors', () => {
  const f = useEmulator();

  it('answer 500 InternalError and never crash the server', async () => {
    const b = await createBucket(f);
    // Break the store behind the emulator's back: the commit's rename has nowhere to go.
    rmSync(join(f.emu.dataDir, 'buckets', b, 'data'), { recursive: true, force: true });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await f.send({ method: 'PUT', bucket: b, key: 'k', body: 'x' });
      expect([res.status, code(res)]).toEqual([500, 'InternalError']);
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
    expect((await f.send({ method: 'GET', bucket: '' })).status).toBe(200);
  });
});

describe('copy', () => {
  const f = useEmulator();

  it('COPY (default) keeps metadata; decodes the source with form rules; 200 + CopyObjectResult', async () => {
    const src = await createBucket(f);
    const dst = await createBucket(f);
    await putObject(f, src, 'dir/my file+1.txt', 'copy me', {
      'Content-Type': 'text/plain',
      'x-kss-meta-origin': 'src',
    });
    const res = await f.send({
      method: 'PUT',
      bucket: dst,
      key: 'dst/copy of file.txt',
      headers: { 'x-kss-copy-source': `/${src}/dir%2Fmy+file%2B1.txt` },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<CopyObjectResult>');
    expect(xml1(res.text, 'ETag')).toBe(`"${md5hex('copy me')}"`);
    expect(xml1(res.text, 'LastModified')).toMatch(/Z$/);
    const got = await f.send({ method: 'GET', bucket: dst, key: 'dst/copy of file.txt' });
    expect([got.text, got.headers['content-type'], got.headers['x-kss-meta-origin']]).toEqual([
      'copy me',
      'text/plain',
      'src',
    ]);
  });

  it('REPLACE takes metadata from the request; copying onto itself needs REPLACE', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'a', 'A', { 'x-kss-meta-old': '1', 'Content-Type': 'text/plain' });
    const self = await f.send({ method: 'PUT', bucket: b, key: 'a', headers: { 'x-kss-copy-source': `/${b}/a` } });
    expect([self.status, code(self)]).toEqual([400, 'InvalidRequest']);
    const res = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'a',
      headers: {
        'x-kss-copy-source': `/${b}/a`,
        'x-kss-metadata-directive': 'REPLACE',
        'x-kss-meta-new': '2',
        'Content-Type': 'text/html',
      },
    });
    expect(res.status).toBe(200);
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'a' });
    expect([head.headers['x-kss-meta-old'], head.headers['x-kss-meta-new'], head.headers['content-type']]).toEqual([
      undefined,
      '2',
      'text/html',
    ]);
    const bad = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'c',
      headers: { 'x-kss-copy-source': `/${b}/a`, 'x-kss-metadata-directive': 'MERGE' },
    });
    expect(code(bad)).toBe('InvalidArgument');
  });

  it('missing source: 404 NoSuchKey / NoSuchBucket; malformed source: 400', async () => {
    const b = await createBucket(f);
    const key = await f.send({ method: 'PUT', bucket: b, key: 'x', headers: { 'x-kss-copy-source': `/${b}/missing` } });
    expect([key.status, code(key)]).toEqual([404, 'NoSuchKey']);
    const bucket = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'x',
      headers: { 'x-kss-copy-source': '/no-such-bucket-zz/k' },
    });
    expect([bucket.status, code(bucket)]).toEqual([404, 'NoSuchBucket']);
    const bad = await f.send({ method: 'PUT', bucket: b, key: 'x', headers: { 'x-kss-copy-source': 'nokey' } });
    expect([bad.status, code(bad)]).toEqual([400, 'InvalidArgument']);
  });
});

/** A PUT with a chunked body (no Content-Length). */
function sendChunked(url: string, bucket: string, key: string): Promise<{ status: number; code?: string }> {
  const u = new URL(url);
  const date = new Date().toUTCString();
  const sig = hmac(CREDS.secretAccessKey, stringToSign('PUT', {}, date, `/${bucket}/${key}`));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: 'PUT',
        path: `/${bucket}/${key}`,
        headers: { Date: date, Authorization: `KSS ${CREDS.accessKeyId}:${sig}`, 'Transfer-Encoding': 'chunked' },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, code: xml1(text, 'Code') }));
      },
    );
    req.on('error', reject);
    req.write('abc');
    req.end();
  });
}

/** A PUT with `Expect: 100-continue` that waits for the interim response before sending. */
function putWaitingForContinue(
  url: string,
  bucket: string,
  key: string,
  body: string,
): Promise<{ sawContinue: boolean; status: number }> {
  const u = new URL(url);
  const date = new Date().toUTCString();
  const sig = hmac(CREDS.secretAccessKey, stringToSign('PUT', {}, date, `/${bucket}/${key}`));
  return new Promise((resolve, reject) => {
    let sawContinue = false;
    const req = http.request({
      host: u.hostname,
      port: u.port,
      method: 'PUT',
      path: `/${bucket}/${key}`,
      headers: {
        Date: date,
        Authorization: `KSS ${CREDS.accessKeyId}:${sig}`,
        Expect: '100-continue',
        'Content-Length': String(body.length),
      },
    });
    req.on('continue', () => {
      sawContinue = true;
      req.end(body);
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ sawContinue, status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
  });
}
