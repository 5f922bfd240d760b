/** PUT Fetch: PUT /{key}?fetch with x-kss-sourceurl, from loopback sources only. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator, type Fixture } from './helpers/emulator.js';
import { code, md5b64, md5hex } from './helpers/ks3.js';

const LIMIT = 1024;

/** A loopback source: /ok, /404, /redirect, /slow (never answers), /big (declared), /flood (undeclared). */
let source = '';
const requests: string[] = [];
const server = http.createServer((req, res) => {
  requests.push(req.url ?? '');
  if (req.url === '/ok') res.writeHead(200, { 'content-type': 'text/csv' }).end('a,b\n1,2\n');
  else if (req.url === '/redirect') res.writeHead(302, { location: `${source}/ok` }).end();
  else if (req.url === '/slow') res.writeHead(200).write('partial');
  else if (req.url === '/big') res.writeHead(200, { 'content-length': String(LIMIT + 1) }).end(Buffer.alloc(LIMIT + 1));
  else if (req.url === '/flood') {
    res.writeHead(200);
    res.write(Buffer.alloc(LIMIT));
    res.end(Buffer.alloc(LIMIT));
  } else res.writeHead(404).end('nope');
});
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  source = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

function fetchInto(f: Fixture, bucket: string, key: string, url: string, headers: Record<string, string> = {}) {
  return f.send({
    method: 'PUT',
    bucket,
    key,
    query: 'fetch',
    headers: { 'x-kss-sourceurl': encodeURIComponent(url), ...headers },
  });
}

describe('?fetch', () => {
  const f = useEmulator({ fetchTimeoutMs: 500, fetchMaxBytes: LIMIT });

  it('downloads a loopback source into the object with the request headers and the source Content-Type', async () => {
    const b = await createBucket(f);
    const res = await fetchInto(f, b, 'data.csv', `${source}/ok`, {
      'x-kss-acl': 'public-read',
      'x-kss-meta-from': 'fetch',
      'x-kss-tagging': 'kind=csv',
    });
    expect([res.status, res.headers.etag]).toEqual([200, `"${md5hex('a,b\n1,2\n')}"`]);
    const get = await f.send({ method: 'GET', bucket: b, key: 'data.csv', creds: null });
    expect([get.status, get.text, get.headers['content-type'], get.headers['x-kss-meta-from']]).toEqual([
      200,
      'a,b\n1,2\n',
      'text/csv',
      'fetch',
    ]);
    expect(get.headers['x-kss-tagging-count']).toBe('1');
    await fetchInto(f, b, 'typed', `${source}/ok`, { 'Content-Type': 'application/x-mine' });
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'typed' })).headers['content-type']).toBe(
      'application/x-mine',
    );
    const localhost = await fetchInto(f, b, 'via-name', `${source.replace('127.0.0.1', 'localhost')}/ok`);
    expect(localhost.status).toBe(200);
  });

  it('refuses sources that are not loopback http(s) URLs, with a clear message, before fetching', async () => {
    const b = await createBucket(f);
    const before = requests.length;
    for (const url of [
      'http://example.com/x',
      'http://10.0.0.1/x',
      'http://[::ffff:10.0.0.1]/x',
      'http://127.0.0.1.example.com/x',
      'ftp://127.0.0.1/x',
      `http://user:pw@127.0.0.1:1/x`,
      'not a url',
    ]) {
      const res = await fetchInto(f, b, 'k', url);
      expect([url, res.status, code(res)]).toEqual([url, 400, 'InvalidArgument']);
    }
    const remote = await fetchInto(f, b, 'k', 'http://203.0.113.7/file');
    expect(remote.text).toContain('fetches only from loopback addresses');
    const none = await f.send({ method: 'PUT', bucket: b, key: 'k', query: 'fetch' });
    expect([none.status, code(none)]).toEqual([400, 'InvalidArgument']);
    expect(requests.length).toBe(before);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'k' })).status).toBe(404);
  });

  it('fails on non-2xx answers and redirects (not followed), timeouts and sources over the size cap', async () => {
    const b = await createBucket(f);
    const okCount = () => requests.filter((r) => r === '/ok').length;
    const okBefore = okCount();
    for (const [path, expected, text] of [
      ['/404', 'InvalidArgument', 'answered 404'],
      ['/redirect', 'InvalidArgument', 'answered 302'],
      ['/slow', 'InvalidArgument', 'no answer within 500 ms'],
      ['/big', 'EntityTooLarge', `limit of ${LIMIT} bytes`],
      ['/flood', 'EntityTooLarge', `limit of ${LIMIT} bytes`],
    ]) {
      const res = await fetchInto(f, b, 'k', `${source}${path}`);
      expect([path, res.status, code(res)]).toEqual([path, 400, expected]);
      expect(res.text).toContain(text);
    }
    const closed = await fetchInto(f, b, 'k', 'http://127.0.0.1:1/x');
    expect([closed.status, code(closed)]).toEqual([400, 'InvalidArgument']);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'k' })).status).toBe(404);
    expect(okCount()).toBe(okBefore); // the redirect was not followed
  });

  it('Content-MD5: equal to the existing object skips the fetch; otherwise the fetched bytes must match', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'same', 'a,b\n1,2\n');
    const before = requests.length;
    const skipped = await fetchInto(f, b, 'same', `${source}/404`, { 'Content-MD5': md5b64('a,b\n1,2\n') });
    expect(skipped.status).toBe(200);
    expect(requests.length).toBe(before);
    const wrong = await fetchInto(f, b, 'other', `${source}/ok`, { 'Content-MD5': md5b64('different') });
    expect([wrong.status, code(wrong)]).toEqual([400, 'BadDigest']);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'other' })).status).toBe(404);
    const right = await fetchInto(f, b, 'other', `${source}/ok`, { 'Content-MD5': md5b64('a,b\n1,2\n') });
    expect(right.status).toBe(200);
  });

  it('fetch callbacks are not implemented; anonymous fetches and fetches onto buckets are refused', async () => {
    const b = await createBucket(f, 'public-read-write');
    const cb = await fetchInto(f, b, 'k', `${source}/ok`, { 'x-kss-callbackurl': encodeURIComponent(`${source}/cb`) });
    expect([cb.status, code(cb)]).toEqual([501, 'NotImplemented']);
    const anonymous = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'k',
      query: 'fetch',
      headers: { 'x-kss-sourceurl': encodeURIComponent(`${source}/ok`) },
      creds: null,
    });
    expect([anonymous.status, code(anonymous)]).toEqual([403, 'AccessDenied']);
    const onBucket = await f.send({ method: 'PUT', bucket: b, key: '', query: 'fetch' });
    expect([onBucket.status, code(onBucket)]).toEqual([405, 'MethodNotAllowed']);
  });
});
