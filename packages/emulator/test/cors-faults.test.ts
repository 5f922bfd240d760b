/** CORS in 'any' mode (preflight, exposed headers, omissions) and fault injection (API and admin endpoint). */
import http from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { CREDS, code, hmac, rawRequest, stringToSign } from './helpers/ks3.js';

const ORIGIN = 'http://app.localhost:5173';
const JSON_TYPE = { 'Content-Type': 'application/json' };

describe("CORS in 'any' mode", () => {
  const f = useEmulator({ admin: true, cors: 'any' });

  it('answers preflights for any path', async () => {
    for (const path of ['/', '/some-bucket/some/key']) {
      const res = await rawRequest(f.url, {
        method: 'OPTIONS',
        path,
        headers: {
          Origin: ORIGIN,
          'Access-Control-Request-Method': 'PUT',
          'Access-Control-Request-Headers': 'authorization,x-kss-date,content-md5',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-allow-methods']).toBe('GET, PUT, POST, DELETE, HEAD');
      expect(res.headers['access-control-allow-headers']).toBe('authorization,x-kss-date,content-md5');
      expect(res.headers['access-control-max-age']).toBe('600');
      expect(res.headers.vary).toBe('Origin');
    }
    // A bodyless preflight keeps the connection alive.
    const viaFetch = await fetch(`${f.url}/b/k`, { method: 'OPTIONS', headers: { Origin: ORIGIN } });
    expect([viaFetch.status, viaFetch.headers.get('connection')]).toEqual([204, 'keep-alive']);
  });

  it('exposes every response header (ETag, request id, metadata, Content-Range) when an Origin is sent', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'c.txt', 'cors body', { 'x-kss-meta-color': 'red' });
    const res = await f.send({
      method: 'GET',
      bucket: b,
      key: 'c.txt',
      headers: { Origin: ORIGIN, Range: 'bytes=0-3' },
    });
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    const exposed = String(res.headers['access-control-expose-headers']).split(', ');
    for (const name of [
      'etag',
      'x-kss-request-id',
      'x-kss-meta-color',
      'content-range',
      'content-length',
      'last-modified',
    ])
      expect(exposed).toContain(name);
    const error = await f.send({ method: 'GET', bucket: b, key: 'missing', headers: { Origin: ORIGIN } });
    expect(error.headers['access-control-allow-origin']).toBe(ORIGIN);
    const noOrigin = await f.send({ method: 'GET', bucket: b, key: 'c.txt' });
    expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('can leave chosen headers out of the exposed list (programmatically and through the admin endpoint)', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'e.txt', 'e');
    const exposed = async () =>
      String(
        (await f.send({ method: 'HEAD', bucket: b, key: 'e.txt', headers: { Origin: ORIGIN } })).headers[
          'access-control-expose-headers'
        ],
      ).split(', ');
    f.emu.cors.configure({ exposeHeadersOmit: ['ETag'] });
    expect(await exposed()).not.toContain('etag');
    f.emu.reset();
    expect(await exposed()).toContain('etag');
    const set = await rawRequest(f.url, {
      method: 'POST',
      path: '/__ks3emu/cors',
      headers: JSON_TYPE,
      body: JSON.stringify({ exposeHeadersOmit: ['etag', 'x-kss-request-id'] }),
    });
    expect(set.status).toBe(204);
    const list = await exposed();
    expect(list).not.toContain('etag');
    expect(list).not.toContain('x-kss-request-id');
    expect((await rawRequest(f.url, { method: 'POST', path: '/__ks3emu/reset', headers: JSON_TYPE })).status).toBe(204);
    expect(await exposed()).toContain('etag');
    const bad = await rawRequest(f.url, {
      method: 'POST',
      path: '/__ks3emu/cors',
      headers: JSON_TYPE,
      body: '{"exposeHeadersOmit":"etag"}',
    });
    expect(bad.status).toBe(400);
  });

  it('can scope the omission to one bucket, leaving others alone', async () => {
    const b1 = await createBucket(f);
    const b2 = await createBucket(f);
    await putObject(f, b1, 'e.txt', 'e');
    await putObject(f, b2, 'e.txt', 'e');
    const exposed = async (b: string) =>
      String(
        (await f.send({ method: 'HEAD', bucket: b, key: 'e.txt', headers: { Origin: ORIGIN } })).headers[
          'access-control-expose-headers'
        ],
      ).split(', ');
    const set = await rawRequest(f.url, {
      method: 'POST',
      path: '/__ks3emu/cors',
      headers: JSON_TYPE,
      body: JSON.stringify({ exposeHeadersOmit: ['etag'], bucket: b1 }),
    });
    expect(set.status).toBe(204);
    expect(await exposed(b1)).not.toContain('etag');
    expect(await exposed(b2)).toContain('etag');
    f.emu.cors.configure({ exposeHeadersOmit: [], bucket: b1 });
    expect(await exposed(b1)).toContain('etag');
  });
});

describe('fault injection', () => {
  const f = useEmulator({ admin: true });
  beforeEach(() => f.emu.reset());

  it('status faults answer after auth for the next `times` matching requests, filtered by key and part number', async () => {
    const b = await createBucket(f);
    f.emu.faults.add({ op: 'PutObject', key: 'flaky.txt', status: 503, times: 2 });
    expect(f.emu.faults.list()).toHaveLength(1);
    const other = await f.send({ method: 'PUT', bucket: b, key: 'other.txt', body: 'x' });
    expect(other.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await f.send({ method: 'PUT', bucket: b, key: 'flaky.txt', body: 'x' });
      expect([res.status, code(res)]).toEqual([503, 'ServiceUnavailable']);
    }
    expect((await f.send({ method: 'PUT', bucket: b, key: 'flaky.txt', body: 'x' })).status).toBe(200);
    // Unauthenticated requests never consume a fault.
    f.emu.faults.add({ op: 'GetObject', status: 500 });
    const unsigned = await f.send({
      method: 'GET',
      bucket: b,
      key: 'flaky.txt',
      creds: { accessKeyId: 'AKLTnobody', secretAccessKey: 'x' },
    });
    expect(code(unsigned)).toBe('InvalidAccessKeyId');
    expect(code(await f.send({ method: 'GET', bucket: b, key: 'flaky.txt' }))).toBe('InternalError');

    const init = await f.send({ method: 'POST', bucket: b, key: 'mp', query: 'uploads' });
    const id = /<UploadId>(.*)<\/UploadId>/.exec(init.text)?.[1];
    f.emu.faults.add({ op: 'UploadPart', partNumber: 2, status: 429, code: 'SlowDown' });
    expect(
      (await f.send({ method: 'PUT', bucket: b, key: 'mp', query: `partNumber=1&uploadId=${id}`, body: 'p1' })).status,
    ).toBe(200);
    const p2 = await f.send({ method: 'PUT', bucket: b, key: 'mp', query: `partNumber=2&uploadId=${id}`, body: 'p2' });
    expect([p2.status, code(p2)]).toEqual([429, 'SlowDown']);
    // The failed part was never stored.
    const parts = await f.send({ method: 'GET', bucket: b, key: 'mp', query: `uploadId=${id}` });
    expect(parts.text).not.toContain('<ns2:PartNumber>2<');
  });

  it('admin endpoint: add (one or many), list, clear, reset; invalid specs are refused', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'any', 'x');
    const add = await rawRequest(f.url, {
      method: 'POST',
      path: '/__ks3emu/faults',
      headers: JSON_TYPE,
      body: JSON.stringify([
        { op: 'HeadObject', status: 500 },
        { op: '*', key: 'any', status: 502 },
      ]),
    });
    expect(add.status).toBe(200);
    expect(JSON.parse(add.text).ids).toHaveLength(2);
    expect(JSON.parse((await rawRequest(f.url, { method: 'GET', path: '/__ks3emu/faults' })).text)).toHaveLength(2);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'any' })).status).toBe(500);
    expect((await rawRequest(f.url, { method: 'DELETE', path: '/__ks3emu/faults' })).status).toBe(204);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'any' })).status).toBe(200);
    for (const spec of [
      { op: 'Nope', status: 500 },
      { op: 'GetObject' },
      { op: 'GetObject', status: 99 },
      { op: 'GetObject', status: 500, times: 0 },
    ]) {
      const res = await rawRequest(f.url, {
        method: 'POST',
        path: '/__ks3emu/faults',
        headers: JSON_TYPE,
        body: JSON.stringify(spec),
      });
      expect([JSON.stringify(spec), res.status]).toEqual([JSON.stringify(spec), 400]);
    }
    expect(
      (await rawRequest(f.url, { method: 'POST', path: '/__ks3emu/faults', headers: JSON_TYPE, body: '{not json' }))
        .status,
    ).toBe(400);
    expect((await rawRequest(f.url, { method: 'GET', path: '/__ks3emu/health' })).text).toBe('{"ok":true}');
    expect(() => f.emu.faults.add({ op: 'GetObject' })).toThrow(TypeError);
  });

  it('delayMs delays, then the request proceeds normally', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'slow', 'slow');
    f.emu.faults.add({ op: 'GetObject', delayMs: 300 });
    const t = Date.now();
    const res = await f.send({ method: 'GET', bucket: b, key: 'slow' });
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    expect(res.text).toBe('slow');
  });

  it('reset destroys the socket mid-upload; nothing is stored and the next attempt succeeds', async () => {
    const b = await createBucket(f);
    f.emu.faults.add({ op: 'PutObject', key: 'reset.bin', reset: true });
    const outcome = await uploadSlowly(f.url, b, 'reset.bin', 4 * 1024 * 1024);
    expect(outcome).toMatch(/ECONNRESET|socket hang up|EPIPE/);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'reset.bin' })).status).toBe(404);
    expect((await f.send({ method: 'PUT', bucket: b, key: 'reset.bin', body: 'ok' })).status).toBe(200);
    f.emu.faults.add({ op: 'ListObjects', reset: true });
    await expect(f.send({ method: 'GET', bucket: b, key: '' })).rejects.toThrow(/ECONNRESET|socket hang up/);
  });
});

/** Streams `size` bytes in 64 KiB chunks; resolves with the client-side error (or 'completed'). */
function uploadSlowly(url: string, bucket: string, key: string, size: number): Promise<string> {
  const u = new URL(url);
  const date = new Date().toUTCString();
  const sig = hmac(CREDS.secretAccessKey, stringToSign('PUT', {}, date, `/${bucket}/${key}`));
  return new Promise((resolve) => {
    const req = http.request({
      host: u.hostname,
      port: u.port,
      method: 'PUT',
      path: `/${bucket}/${key}`,
      headers: { Date: date, Authorization: `KSS ${CREDS.accessKeyId}:${sig}`, 'Content-Length': String(size) },
    });
    req.on('error', (err) => resolve(`${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`));
    req.on('response', (res) => {
      res.resume();
      resolve(`completed ${res.statusCode}`);
    });
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 7);
    const pump = () => {
      if (sent >= size || req.destroyed) return req.end();
      sent += chunk.length;
      req.write(chunk, () => setTimeout(pump, 1));
    };
    pump();
  });
}
