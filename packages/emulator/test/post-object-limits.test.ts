/**
 * POST Object held to the rules of every other upload body: the `maxConcurrentUploads` bound, the
 * idle timeout, server-side write failures as retryable 5xx, a V4 payload hash over the whole
 * body, and session tokens that expire.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBucket, useEmulator } from './helpers/emulator.js';
import { CREDS, code, type Creds } from './helpers/ks3.js';
import { type FormField, inAnHour, multipart, postForm, signedFields } from './helpers/post.js';
import { openSocket, signedHead, statuses, within } from './helpers/sockets.js';
import { sendV4, sha256 } from './helpers/v4-client.js';

const policyFor = (b: string) => ({ expiration: inAnHour(), conditions: [{ bucket: b }, ['starts-with', '$key', '']] });
const file = (value: string | Buffer): FormField => ({ name: 'file', value, filename: 'f.bin' });

describe('POST Object bodies: bound, timeout, write failures', () => {
  const f = useEmulator({ maxConcurrentUploads: 2, idleTimeoutMs: 800 });
  const tmp = () => readdirSync(join(f.emu.dataDir, 'tmp'));

  it('takes an upload slot: beyond maxConcurrentUploads a form is 503 SlowDown', async () => {
    const b = await createBucket(f);
    // Two stalled PUT bodies hold both slots until the idle timeout ends them.
    const stalled = [];
    for (let i = 0; i < 2; i++) {
      const s = await openSocket(f.url);
      s.socket.write(signedHead('PUT', `/${b}/stalled-${i}`, { 'Content-Length': '1000' }));
      s.socket.write('x');
      stalled.push(s);
    }
    await sleep(100);
    const busy = await postForm(f, b, [{ name: 'key', value: 'k' }, ...signedFields(policyFor(b)), file('v')]);
    expect([busy.status, code(busy), busy.headers.connection]).toEqual([503, 'SlowDown', 'close']);
    await Promise.all(stalled.map((s) => within(s.closed, 5000)));
    let ok = await postForm(f, b, [{ name: 'key', value: 'k' }, ...signedFields(policyFor(b)), file('v')]);
    for (let i = 0; i < 50 && ok.status === 503; i++) {
      await sleep(20);
      ok = await postForm(f, b, [{ name: 'key', value: 'k' }, ...signedFields(policyFor(b)), file('v')]);
    }
    expect(ok.status).toBe(204);
  });

  it('answers 400 RequestTimeout to a form whose file stalls, and stores nothing', async () => {
    const b = await createBucket(f);
    const { body, contentType } = multipart([{ name: 'key', value: 'slow' }, ...signedFields(policyFor(b)), file('x')]);
    const cut = body.subarray(0, body.length - 20);
    const s = await openSocket(f.url);
    const head = [
      `POST /${b} HTTP/1.1`,
      'Host: 127.0.0.1',
      `Content-Type: ${contentType}`,
      `Content-Length: ${body.length + 1000}`,
    ];
    s.socket.write(`${head.join('\r\n')}\r\n\r\n`);
    s.socket.write(cut);
    expect(await within(s.closed, 4000)).toBe(true);
    expect(statuses(s.text())).toEqual([400]);
    expect(s.text()).toContain('<Code>RequestTimeout</Code>');
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'slow' })).status).toBe(404);
    for (let i = 0; i < 100 && tmp().length > 0; i++) await sleep(20);
    expect(tmp()).toEqual([]);
  });

  for (const [diskError, status, errorCode] of [
    ['ENOSPC', 503, 'ServiceUnavailable'],
    ['EIO', 500, 'InternalError'],
  ] as const) {
    it(`${diskError} while storing the file is ${status} ${errorCode} (retryable), not IncompleteBody`, async () => {
      const b = await createBucket(f);
      f.emu.faults.add({ op: 'PostObject', bucket: b, diskError });
      const fields = [{ name: 'key', value: 'd' }, ...signedFields(policyFor(b)), file(Buffer.alloc(256 * 1024, 7))];
      const res = await postForm(f, b, fields);
      expect([res.status, code(res)]).toEqual([status, errorCode]);
      expect((await f.send({ method: 'HEAD', bucket: b, key: 'd' })).status).toBe(404);
      expect(tmp()).toEqual([]);
      expect((await postForm(f, b, fields)).status).toBe(204);
    });
  }
});

describe('POST Object with a V4-signed request and with session credentials', () => {
  let wall = Date.now();
  const f = useEmulator({ now: () => wall, admin: true });

  it('checks a declared x-kss-content-sha256 over the whole form body', async () => {
    const b = await createBucket(f);
    const { body, contentType } = multipart([{ name: 'key', value: 'h' }, ...signedFields(policyFor(b)), file('v')]);
    const post = (payload: string) =>
      sendV4(f.url, {
        method: 'POST',
        bucket: b,
        headers: { 'content-type': contentType },
        body,
        creds: CREDS,
        time: new Date(wall),
        payload,
      });
    const wrong = await post(sha256('something else'));
    expect([wrong.status, code(wrong)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'h' })).status).toBe(404);
    expect((await post(sha256(body))).status).toBe(204);
  });

  it('refuses a form signed with an expired session as 400 ExpiredToken', async () => {
    const b = await createBucket(f);
    const s = f.emu.sessions.issue({ durationSeconds: 60 });
    const temp: Creds = s;
    const fields = (key: string) => [
      { name: 'key', value: key },
      ...signedFields(policyFor(b), temp),
      { name: 'x-kss-security-token', value: s.securityToken },
      file('s'),
    ];
    // Unsigned by the policy: the token field must be named by a condition too.
    const doc = {
      ...policyFor(b),
      conditions: [...policyFor(b).conditions, ['starts-with', '$x-kss-security-token', '']],
    };
    const signed = (key: string) => [
      { name: 'key', value: key },
      ...signedFields(doc, temp),
      { name: 'x-kss-security-token', value: s.securityToken },
      file('s'),
    ];
    expect(code(await postForm(f, b, fields('a')))).toBe('AccessDenied');
    expect((await postForm(f, b, signed('a'))).status).toBe(204);
    wall += 61_000;
    const late = await postForm(f, b, signed('b'));
    expect([late.status, code(late)]).toEqual([400, 'ExpiredToken']);
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'b', date: null })).status).toBe(404);
  });
});
