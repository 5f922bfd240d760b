/** Upload callbacks (§4.9) against a loopback callback server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { code, md5b64, xml1 } from './helpers/ks3.js';

interface Call {
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** A callback server whose behaviour each test sets: reply JSON, status, or never answer. */
function callbackServer() {
  const calls: Call[] = [];
  let behaviour: { status?: number; reply?: string; hang?: boolean } = {};
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      calls.push({ headers: req.headers, body: JSON.parse(text) });
      if (behaviour.hang) return; // never answer: the emulator times out
      res.writeHead(behaviour.status ?? 200, { 'content-type': 'application/json' });
      res.end(behaviour.reply ?? '{"result":true,"msg":"ok"}');
    });
  });
  return {
    calls,
    server,
    set(b: typeof behaviour) {
      behaviour = b;
      calls.length = 0;
    },
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`,
  };
}

describe('upload callbacks', () => {
  const cb = callbackServer();
  const f = useEmulator({ callbackTimeoutMs: 300, callbackRetries: 2 });
  beforeAll(() => new Promise<void>((ok) => cb.server.listen(0, '127.0.0.1', ok)));
  afterAll(() => {
    cb.server.closeAllConnections();
    return new Promise<void>((ok) => cb.server.close(() => ok()));
  });

  const callbackHeaders = () => ({
    'x-kss-callbackurl': cb.url(),
    'x-kss-callbackbody':
      'bucket=${bucket}&key=${key}&etag=${etag}&size=${objectSize}&mime=${mimeType}&time=${createTime}&fixed=v&who=${kss-user}',
    'kss-user': 'alice',
    'Content-Type': 'text/plain',
  });

  it('result: true → the object is stored and the reply is the PUT response body', async () => {
    const b = await createBucket(f);
    cb.set({ reply: '{"result":true,"id":42}' });
    const before = Math.floor(Date.now() / 1000);
    const res = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'cb/ok.txt',
      body: 'called back',
      headers: callbackHeaders(),
    });
    expect([res.status, res.headers['content-type'], res.text]).toEqual([
      200,
      'application/json',
      '{"result":true,"id":42}',
    ]);
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(cb.calls).toHaveLength(1);
    const call = cb.calls[0] as Call;
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['kss-user']).toBe('alice');
    const body = call.body as Record<string, string>;
    expect(body).toMatchObject({
      bucket: b,
      key: 'cb/ok.txt',
      etag: md5b64('called back'),
      size: '11',
      mime: 'text/plain',
      fixed: 'v',
      who: 'alice',
    });
    expect(Number(body.time)).toBeGreaterThanOrEqual(before - 1);
    expect((await f.send({ method: 'GET', bucket: b, key: 'cb/ok.txt' })).text).toBe('called back');
  });

  it('result: false → 400 CallbackFail at once (no retry), the previous object stays', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'old');
    cb.set({ reply: '{"result":false}' });
    const res = await f.send({ method: 'PUT', bucket: b, key: 'k', body: 'new', headers: callbackHeaders() });
    expect([res.status, code(res)]).toEqual([400, 'CallbackFail']);
    expect(cb.calls).toHaveLength(1);
    expect((await f.send({ method: 'GET', bucket: b, key: 'k' })).text).toBe('old');
    cb.set({ status: 500, reply: 'oops' });
    expect(code(await f.send({ method: 'PUT', bucket: b, key: 'k2', body: 'x', headers: callbackHeaders() }))).toBe(
      'CallbackFail',
    );
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'k2' })).status).toBe(404);
  });

  it('no answer → 3 attempts (2 retries), then 400 CallbackTimeout, and nothing visible', async () => {
    const b = await createBucket(f);
    cb.set({ hang: true });
    const res = await f.send({ method: 'PUT', bucket: b, key: 'slow', body: 'x', headers: callbackHeaders() });
    expect([res.status, code(res)]).toEqual([400, 'CallbackTimeout']);
    expect(cb.calls).toHaveLength(3);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'slow' })).status).toBe(404);
    expect(xml1((await f.send({ method: 'GET', bucket: b, key: '' })).text, 'Key')).toBeUndefined();
  });

  it('an unreachable callback URL times out too; a non-http URL is refused before storing', async () => {
    const b = await createBucket(f);
    const res = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'u',
      body: 'x',
      headers: { ...callbackHeaders(), 'x-kss-callbackurl': 'http://127.0.0.1:1/none' },
    });
    expect(code(res)).toBe('CallbackTimeout');
    const bad = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'u',
      body: 'x',
      headers: { ...callbackHeaders(), 'x-kss-callbackurl': 'ftp://x' },
    });
    expect([bad.status, code(bad)]).toEqual([400, 'InvalidArgument']);
  });

  it('Complete Multipart Upload calls back too; a failed callback keeps the upload for a retry', async () => {
    const b = await createBucket(f);
    const init = await f.send({
      method: 'POST',
      bucket: b,
      key: 'mp',
      query: 'uploads',
      headers: { 'Content-Type': 'video/mp4' },
    });
    const id = xml1(init.text, 'UploadId') ?? '';
    const etag = (
      await f.send({ method: 'PUT', bucket: b, key: 'mp', query: `partNumber=1&uploadId=${id}`, body: 'only part' })
    ).headers.etag;
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
    cb.set({ reply: '{"result":false}' });
    const failed = await f.send({
      method: 'POST',
      bucket: b,
      key: 'mp',
      query: `uploadId=${id}`,
      body,
      headers: { 'x-kss-callbackurl': cb.url(), 'x-kss-callbackbody': 'k=${key}&m=${mimeType}' },
    });
    expect(code(failed)).toBe('CallbackFail');
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'mp' })).status).toBe(404);
    cb.set({});
    const ok = await f.send({
      method: 'POST',
      bucket: b,
      key: 'mp',
      query: `uploadId=${id}`,
      body,
      headers: { 'x-kss-callbackurl': cb.url(), 'x-kss-callbackbody': 'k=${key}&m=${mimeType}' },
    });
    expect([ok.status, ok.text]).toEqual([200, '{"result":true,"msg":"ok"}']);
    expect(cb.calls[0]?.body).toEqual({ k: 'mp', m: 'video/mp4' });
    expect((await f.send({ method: 'GET', bucket: b, key: 'mp' })).text).toBe('only part');
  });
});
