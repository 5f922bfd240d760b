/**
 * Connection hygiene (issue 11, points 11 and 16): header, idle and keep-alive timeouts; a bound
 * on uploads in progress; and no second request parsed out of bytes sent beyond a Content-Length.
 */
import { readdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { code } from './helpers/ks3.js';
import { openSocket, signedHead, statuses, within } from './helpers/sockets.js';

describe('timeouts', () => {
  const f = useEmulator({ headersTimeoutMs: 400, idleTimeoutMs: 600, keepAliveTimeoutMs: 300, admin: true });
  const tmp = () => readdirSync(join(f.emu.dataDir, 'tmp'));

  it('closes a connection whose headers trickle in (slowloris) after headersTimeoutMs', async () => {
    const s = await openSocket(f.url);
    const head = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';
    for (let i = 0; i < 30 && !s.isClosed(); i++) {
      s.socket.write(head[i] ?? 'a');
      await sleep(100);
    }
    expect(await within(s.closed, 2000)).toBe(true);
    expect(statuses(s.text())).toEqual([408]);
  });

  it('closes a fresh connection that sends nothing, and an idle keep-alive connection', async () => {
    const silent = await openSocket(f.url);
    expect(await within(silent.closed, 3000)).toBe(true);
    const s = await openSocket(f.url);
    s.socket.write(signedHead('GET', '/', { 'Content-Length': '0' }));
    expect(await within(s.closed, 3000)).toBe(true);
    expect(statuses(s.text())).toEqual([200]);
  });

  it('answers 400 RequestTimeout to a stalled body, closes, and stores nothing', async () => {
    const b = await createBucket(f);
    const s = await openSocket(f.url);
    s.socket.write(signedHead('PUT', `/${b}/stalled`, { 'Content-Length': '1000' }));
    s.socket.write('x'.repeat(10));
    expect(await within(s.closed, 3000)).toBe(true);
    expect(statuses(s.text())).toEqual([400]);
    expect(s.text()).toContain('<Code>RequestTimeout</Code>');
    expect((await f.send({ method: 'HEAD', bucket: b, key: 'stalled' })).status).toBe(404);
    for (let i = 0; i < 100 && tmp().length > 0; i++) await sleep(20);
    expect(tmp()).toEqual([]);
  });

  it('answers 100 Continue, then RequestTimeout when the body never comes', async () => {
    const b = await createBucket(f);
    const s = await openSocket(f.url);
    s.socket.write(signedHead('PUT', `/${b}/expect`, { 'Content-Length': '5', Expect: '100-continue' }));
    expect(await within(s.closed, 3000)).toBe(true);
    expect(statuses(s.text())).toEqual([100, 400]);
    expect(s.text()).toContain('<Code>RequestTimeout</Code>');
  });

  it('drops a client that stops reading its download, but not a request the server itself delays', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'big', Buffer.alloc(16 * 1024 * 1024, 1));
    const s = await openSocket(f.url);
    s.socket.pause();
    s.socket.write(signedHead('GET', `/${b}/big`, { 'Content-Length': '0' }));
    await sleep(1500);
    s.socket.resume();
    expect(await within(s.closed, 3000)).toBe(true);
    expect(s.text().length).toBeLessThan(16 * 1024 * 1024);

    f.emu.faults.add({ op: 'GetObject', bucket: b, key: 'slow', delayMs: 1200 });
    await putObject(f, b, 'slow', 'worth the wait');
    const res = await f.send({ method: 'GET', bucket: b, key: 'slow' });
    expect([res.status, res.text]).toEqual([200, 'worth the wait']);
  });
});

describe('a bound on uploads in progress', () => {
  // The idle timeout must outlast opening 300 sockets on a loaded 2-core machine: an upload that
  // timed out early would free its slot and let a 21st in.
  const f = useEmulator({ maxConcurrentUploads: 20, idleTimeoutMs: 8000 });

  it('answers 503 SlowDown beyond it; a legitimate PUT works once stalled uploads time out', async () => {
    const b = await createBucket(f);
    const stalled: Awaited<ReturnType<typeof openSocket>>[] = [];
    for (let i = 0; i < 300; i++) {
      const s = await openSocket(f.url);
      s.socket.write(signedHead('PUT', `/${b}/stalled-${i}`, { 'Content-Length': '100000' }));
      s.socket.write('x');
      stalled.push(s);
    }
    // Everything beyond the bound is answered at once and closed; at most 20 temp files exist.
    const refused = async () => stalled.filter((s) => statuses(s.text())[0] === 503).length;
    // Bounded waits sized for a loaded 2-core machine running test files in parallel.
    for (let i = 0; i < 250 && (await refused()) < 280; i++) await sleep(20);
    expect(await refused()).toBe(280);
    expect(stalled.filter((s) => s.text().includes('<Code>SlowDown</Code>'))).toHaveLength(280);
    expect(readdirSync(join(f.emu.dataDir, 'tmp')).length).toBeLessThanOrEqual(20);
    const busy = await f.send({ method: 'PUT', bucket: b, key: 'legit', body: 'legit' });
    expect([busy.status, code(busy)]).toEqual([503, 'SlowDown']);
    await Promise.all(stalled.map((s) => within(s.closed, 15000)));
    expect(stalled.every((s) => s.isClosed())).toBe(true);
    expect(stalled.filter((s) => s.text().includes('<Code>RequestTimeout</Code>'))).toHaveLength(20);
    // The stalled uploads' slots come back as the server notices each close (a few event-loop turns).
    let ok = await f.send({ method: 'PUT', bucket: b, key: 'legit', body: 'legit' });
    for (let i = 0; i < 250 && ok.status === 503; i++) {
      await sleep(20);
      ok = await f.send({ method: 'PUT', bucket: b, key: 'legit', body: 'legit' });
    }
    expect(ok.status).toBe(200);
    expect((await f.send({ method: 'GET', bucket: b, key: 'legit' })).text).toBe('legit');
  }, 60_000);
});

describe('bytes beyond Content-Length', () => {
  const f = useEmulator();

  it('are never run as a second (pipelined) request: answered 400 and the connection closed', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'victim', 'still here');
    const s = await openSocket(f.url);
    const smuggled = signedHead('DELETE', `/${b}/victim`, { 'Content-Length': '0' });
    s.socket.write(`${signedHead('PUT', `/${b}/k`, { 'Content-Length': '5' })}hello${smuggled}`);
    expect(await within(s.closed, 3000)).toBe(true);
    expect(statuses(s.text())).toEqual([200, 400]);
    expect(s.text()).toContain('HTTP pipelining, or body bytes beyond Content-Length');
    expect((await f.send({ method: 'GET', bucket: b, key: 'victim' })).text).toBe('still here');
    expect((await f.send({ method: 'GET', bucket: b, key: 'k' })).text).toBe('hello');
  });

  it('garbage after a body is a malformed request: 400, closed', async () => {
    const b = await createBucket(f);
    const s = await openSocket(f.url);
    s.socket.write(`${signedHead('PUT', `/${b}/g`, { 'Content-Length': '3' })}abcdefgh\r\n\r\n`);
    expect(await within(s.closed, 3000)).toBe(true);
    expect(statuses(s.text())).toContain(400);
  });

  it('sequential keep-alive requests on one connection are fine', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 5; i++) expect((await f.send({ method: 'GET', bucket: '', agent })).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
