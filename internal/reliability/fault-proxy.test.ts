/**
 * The fault proxy itself: each fault does what it says, at the point it says (what the upstream
 * saw, what the client got), decisions follow the seed, and counters count what was applied.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FAULT_KINDS, type FaultKind, type FaultProxy, startFaultProxy } from '../test-utils/fault-proxy.js';

/** What the upstream received: one entry per request, `complete` false when its body was cut. */
const seen: { method: string; url: string; bytes: number; complete: boolean }[] = [];
const BODY = Buffer.alloc(8192, 7);
/** Answer with an XML document instead of BODY. */
let xmlAnswer = false;
let upstream: Server;
let proxy: FaultProxy;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const entry = { method: req.method!, url: req.url!, bytes: 0, complete: false };
    seen.push(entry);
    req.on('data', (c: Buffer) => (entry.bytes += c.length));
    req.on('end', () => {
      entry.complete = true;
      if (req.method === 'HEAD') return void res.writeHead(200, { 'content-length': '8192' }).end();
      if (xmlAnswer) return void res.writeHead(200, { 'content-type': 'application/xml' }).end('<R><Id>1</Id></R>');
      res.writeHead(200, { 'content-length': String(BODY.length), etag: '"x"' }).end(BODY);
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  proxy = await startFaultProxy({ target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
});
afterAll(async () => {
  await proxy.close();
  await new Promise((r) => (upstream.closeAllConnections(), upstream.close(r)));
});

const settle = () => new Promise((r) => setTimeout(r, 30));
async function call(kind: FaultKind | 'none', init: RequestInit = {}, path = `/${kind}`) {
  seen.length = 0;
  if (kind !== 'none') proxy.inject({ kind, match: (r) => r.url === path });
  const before = kind === 'none' ? 0 : proxy.counts[kind];
  const out: { status?: number; headers?: Headers; body?: Buffer; error?: unknown; bodyError?: unknown } = {};
  try {
    const res = await fetch(proxy.url + path, init);
    out.status = res.status;
    out.headers = res.headers;
    try {
      out.body = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      out.bodyError = e;
    }
  } catch (e) {
    out.error = e;
  }
  await settle();
  if (kind !== 'none') expect(proxy.counts[kind]).toBe(before + 1);
  return out;
}

describe('each fault', () => {
  test('none: a clean pass', async () => {
    const r = await call('none', { method: 'PUT', body: 'abc' });
    expect(r.status).toBe(200);
    expect(r.body!.equals(BODY)).toBe(true);
    expect(seen).toEqual([{ method: 'PUT', url: '/none', bytes: 3, complete: true }]);
  });

  test('reset-before-headers: the upstream did the work; the client gets no answer', async () => {
    const r = await call('reset-before-headers', { method: 'PUT', body: 'abcdef' });
    expect(r.error).toBeInstanceOf(TypeError);
    expect(seen).toEqual([{ method: 'PUT', url: '/reset-before-headers', bytes: 6, complete: true }]);
  });

  test('reset-upload: the upstream never gets the whole body', async () => {
    const r = await call('reset-upload', { method: 'PUT', body: new Uint8Array(100_000) });
    expect(r.error).toBeInstanceOf(TypeError);
    expect(seen.every((s) => !s.complete && s.bytes < 100_000)).toBe(true);
    // Without a body the connection is reset before anything is forwarded.
    const g = await call('reset-upload', {}, '/reset-upload-get');
    expect(g.error).toBeInstanceOf(TypeError);
    expect(seen).toEqual([]);
  });

  test('reset-download and truncate: headers, then half of the body, then the end', async () => {
    for (const kind of ['reset-download', 'truncate'] as const) {
      const r = await call(kind);
      expect(r.status, kind).toBe(200);
      expect(r.headers!.get('content-length')).toBe('8192');
      expect(r.bodyError, kind).toBeInstanceOf(TypeError);
      expect(seen).toHaveLength(1);
    }
    // A bodiless answer cannot be cut mid-body: the fault becomes a reset before headers.
    const before = proxy.counts['reset-before-headers'];
    proxy.inject({ kind: 'truncate', match: (r) => r.method === 'HEAD' });
    const head = await fetch(`${proxy.url}/h`, { method: 'HEAD' }).catch((e: unknown) => e);
    expect(head).toBeInstanceOf(TypeError);
    expect(proxy.counts['reset-before-headers']).toBe(before + 1);
  });

  test('error answers are not forwarded; Retry-After in seconds or as a date', async () => {
    const cases: [FaultKind, number, RegExp | null][] = [
      ['error-500', 500, null],
      ['error-503', 503, null],
      ['throttle-429', 429, null],
      ['retry-after-seconds', 503, /^(0|1|3600)$/],
      ['retry-after-date', 503, /GMT$/],
    ];
    for (const [kind, status, retryAfter] of cases) {
      const r = await call(kind, { method: 'POST', body: 'x'.repeat(5000) });
      expect(r.status, kind).toBe(status);
      expect(r.body!.toString()).toMatch(/^<\?xml.*<Error><Code>\w+<\/Code>/);
      if (retryAfter) expect(r.headers!.get('retry-after')).toMatch(retryAfter);
      else expect(r.headers!.get('retry-after')).toBeNull();
      expect(seen, kind).toEqual([]);
    }
  });

  test('gateway-502: forwarded and done upstream, answered 502', async () => {
    const r = await call('gateway-502', { method: 'POST', body: 'x' });
    expect(r.status).toBe(502);
    expect(seen).toEqual([{ method: 'POST', url: '/gateway-502', bytes: 1, complete: true }]);
  });

  test('drip: slow, but whole', async () => {
    const r = await call('drip');
    expect(r.body!.equals(BODY)).toBe(true);
  });

  test('garble: an XML answer becomes an HTML page; other answers pass', async () => {
    const before = proxy.counts.garble;
    proxy.inject({ kind: 'garble', match: (r) => r.url === '/garble' });
    const plain = await fetch(`${proxy.url}/garble`);
    expect(Buffer.from(await plain.arrayBuffer()).equals(BODY)).toBe(true);
    expect(proxy.counts.garble).toBe(before);
    xmlAnswer = true;
    const r = await call('garble', { method: 'POST', body: 'x' }, '/garble-xml');
    xmlAnswer = false;
    expect(r.status).toBe(200);
    expect(r.headers!.get('content-type')).toBe('text/html');
    expect(r.body!.toString()).toMatch(/^<html>/);
    expect(seen).toHaveLength(1);
  });

  test('stall: nothing comes until the client gives up; the upstream did the work', async () => {
    const r = await call('stall', { method: 'PUT', body: 'z', signal: AbortSignal.timeout(150) });
    expect((r.error as Error).name).toBe('TimeoutError');
    expect(seen).toEqual([{ method: 'PUT', url: '/stall', bytes: 1, complete: true }]);
  });
});

test('decisions follow the seed, at the rates asked for, and eligibility is respected', async () => {
  const rates = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0.02])) as Record<FaultKind, number>;
  const run = async (seed: number) => {
    const p = await startFaultProxy({
      target: proxy.url.replace(/:\d+$/, `:${(upstream.address() as AddressInfo).port}`),
      seed,
      rates: { ...rates, stall: 0 },
      eligible: (r) => r.url !== '/never',
    });
    for (let i = 0; i < 200; i++)
      await fetch(`${p.url}/${i % 10 === 0 ? 'never' : 'x'}`)
        .then((r) => r.arrayBuffer())
        .catch(() => {});
    await p.close();
    return p;
  };
  const [a, b, c] = [await run(7), await run(7), await run(8)];
  const faults = (p: FaultProxy) => p.log.map((e) => e.fault);
  expect(faults(a)).toEqual(faults(b));
  expect(faults(a)).not.toEqual(faults(c));
  expect(a.log.filter((e) => e.url === '/never').every((e) => e.fault === 'none')).toBe(true);
  const applied = Object.values(a.counts).reduce((x, y) => x + y, 0);
  // 12 kinds at 2 % over 180 eligible requests: about 43 faults (garble applies to XML answers only).
  expect(applied).toBeGreaterThan(18);
  expect(applied).toBeLessThan(65);
  expect(a.requests).toBe(200);
});
