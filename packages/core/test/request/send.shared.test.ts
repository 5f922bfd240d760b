/** The request pipeline against a scripted fetch: retries, timeouts, aborts, typed errors. */
import { describe, expect, test } from 'vitest';
import { createClient, getObject, headObject, isKs3NetworkError, putObject, type ClientConfig } from '@ks3/core';

type Step = Response | Error | 'hang';
interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** A fetch that plays `steps` in order and fails the test on any request beyond them. */
function scripted(steps: Step[]): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: init?.body,
    });
    const step = steps.shift();
    if (!step) throw new Error(`unexpected request #${calls.length} ${String(input)}`);
    if (step === 'hang') {
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () =>
          reject(init.signal!.reason ?? new DOMException('aborted', 'AbortError')),
        ),
      );
    }
    if (step instanceof Error) throw step;
    return step;
  }) as typeof fetch;
  return { fetch: f, calls };
}

const xmlError = (status: number, code: string, extra = ''): Response =>
  new Response(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m ${code}</Message><Resource>/b/k</Resource><RequestId>rid-${code}</RequestId>${extra}</Error>`,
    { status, headers: { 'content-type': 'application/xml' } },
  );
const ok = (body = 'ok', headers: Record<string, string> = {}): Response =>
  new Response(body, { status: 200, headers: { 'content-length': String(body.length), ...headers } });

const SECRET = 'super/secret+key=0123';
const client = (f: typeof fetch, extra: Partial<ClientConfig> = {}) =>
  createClient({
    endpoint: 'http://ks3.test',
    accessKeyId: 'AKLTunit',
    secretAccessKey: SECRET,
    fetch: f,
    retryDelay: 1,
    now: () => Date.UTC(2026, 0, 1),
    ...extra,
  });

describe('retries', () => {
  test('5xx and 429 are retried, then succeed', async () => {
    const s = scripted([xmlError(503, 'ServiceUnavailable'), xmlError(429, 'SlowDown'), ok('data')]);
    const obj = await getObject(client(s.fetch), { bucket: 'bkt', key: 'k' });
    expect(await obj.text()).toBe('data');
    expect(s.calls).toHaveLength(3);
  });

  test('4xx is never retried and surfaces as a typed error with every field', async () => {
    const s = scripted([xmlError(403, 'AccessDenied')]);
    const err = await getObject(client(s.fetch), { bucket: 'bkt', key: 'k/x' }).catch((e) => e);
    expect(err).toMatchObject({
      name: 'Ks3ServiceError',
      status: 403,
      code: 'AccessDenied',
      requestId: 'rid-AccessDenied',
      resource: '/b/k',
      operation: 'GetObject',
      bucket: 'bkt',
      key: 'k/x',
      serviceMessage: 'm AccessDenied',
    });
    expect(err.message).toBe(
      '[ks3] GetObject GET /bkt/k/x → 403 AccessDenied: m AccessDenied (request-id rid-AccessDenied)',
    );
    expect(s.calls).toHaveLength(1);
  });

  test('network errors are retried up to `retries`, then thrown as Ks3NetworkError with the cause', async () => {
    const s = scripted([new TypeError('fetch failed'), new TypeError('fetch failed'), new TypeError('fetch failed')]);
    const err = await getObject(client(s.fetch, { retries: 2 }), { bucket: 'bkt', key: 'k' }).catch((e) => e);
    expect(isKs3NetworkError(err)).toBe(true);
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(s.calls).toHaveLength(3);
  });

  test('a one-shot stream body is not retried; a replayable one is, with a fresh signature', async () => {
    const s1 = scripted([xmlError(500, 'InternalError')]);
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array([1, 2])), c.close()) });
    await expect(putObject(client(s1.fetch), { bucket: 'bkt', key: 'k', body: stream, size: 2 })).rejects.toMatchObject(
      { status: 500 },
    );
    expect(s1.calls).toHaveLength(1);
    let t = Date.UTC(2026, 0, 1);
    const s2 = scripted([xmlError(500, 'InternalError'), ok('', { etag: '"abc"' })]);
    const res = await putObject(client(s2.fetch, { now: () => (t += 1000) }), {
      bucket: 'bkt',
      key: 'k',
      body: 'hello',
    });
    expect(res.etag).toBe('"abc"');
    expect(s2.calls.map((c) => c.headers.get('date') ?? c.headers.get('x-kss-date'))).toEqual([
      'Thu, 01 Jan 2026 00:00:01 GMT',
      'Thu, 01 Jan 2026 00:00:02 GMT',
    ]);
    expect(s2.calls[0]!.headers.get('authorization')).not.toBe(s2.calls[1]!.headers.get('authorization'));
  });

  // Retry-After: retry-after.shared.test.ts (fake timers, so it fails if the header is ignored or capped).
});

describe('timeouts and aborts', () => {
  test('an attempt without progress times out as a retryable Ks3NetworkError', async () => {
    const s = scripted(['hang', 'hang']);
    // Long enough that signing (slow on a loaded machine) never uses it up before fetch is called.
    const err = await headObject(client(s.fetch, { timeout: 300, retries: 1 }), { bucket: 'bkt', key: 'k' }).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ name: 'Ks3NetworkError', timeout: true });
    expect(s.calls).toHaveLength(2);
  });

  test("the caller's abort rejects with the signal's reason and is not retried", async () => {
    const s = scripted(['hang']);
    const ac = new AbortController();
    // Abort once the request is in fetch's hands (not after a fixed delay: signing may be slow).
    const inFetch: typeof fetch = (input, init) => {
      setTimeout(() => ac.abort(new DOMException('stop', 'AbortError')), 5);
      return s.fetch(input, init);
    };
    const p = headObject(client(inFetch), { bucket: 'bkt', key: 'k', signal: ac.signal });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(s.calls).toHaveLength(1);
  });

  test('an already aborted signal sends nothing', async () => {
    const s = scripted([]);
    await expect(
      headObject(client(s.fetch), { bucket: 'bkt', key: 'k', signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(s.calls).toHaveLength(0);
  });
});

describe('what goes on the wire', () => {
  test('x-kss-date mode sends no Date and signs the same time on the Date line', async () => {
    const s = scripted([ok()]);
    await headObject(client(s.fetch, { dateHeader: 'x-kss-date' }), { bucket: 'bkt', key: 'k' });
    const h = s.calls[0]!.headers;
    expect(h.get('date')).toBeNull();
    expect(h.get('x-kss-date')).toBe('Thu, 01 Jan 2026 00:00:00 GMT');
    expect(h.get('authorization')).toMatch(/^KSS AKLTunit:[A-Za-z0-9+/]{27}=$/);
  });

  test('a security token is sent and signed', async () => {
    const s = scripted([ok(), ok()]);
    await headObject(client(s.fetch, { securityToken: 'tok-1' }), { bucket: 'bkt', key: 'k' });
    await headObject(client(s.fetch), { bucket: 'bkt', key: 'k' });
    expect(s.calls[0]!.headers.get('x-kss-security-token')).toBe('tok-1');
    expect(s.calls[0]!.headers.get('authorization')).not.toBe(s.calls[1]!.headers.get('authorization'));
  });

  test('anonymous clients send neither Authorization nor a date', async () => {
    const s = scripted([ok()]);
    await headObject(createClient({ endpoint: 'http://ks3.test', fetch: s.fetch }), { bucket: 'bkt', key: 'k' });
    // Only the SDK's User-Agent (where the platform lets it be set: not in browsers).
    expect([...s.calls[0]!.headers.keys()].filter((n) => n !== 'user-agent')).toEqual([]);
  });

  test('path style by default; virtual-host and custom-domain addressing on request', async () => {
    const s = scripted([ok(), ok(), ok()]);
    await headObject(client(s.fetch), { bucket: 'bkt', key: 'a b/c' });
    await headObject(client(s.fetch, { addressing: 'virtual' }), { bucket: 'bkt', key: 'a b/c' });
    await headObject(client(s.fetch, { endpoint: 'http://cdn.example.test', domainMode: true }), {
      bucket: 'bkt',
      key: 'a b/c',
    });
    expect(s.calls.map((c) => c.url)).toEqual([
      'http://ks3.test/bkt/a+b/c',
      'http://bkt.ks3.test/a+b/c',
      'http://cdn.example.test/a+b/c',
    ]);
  });

  test('header values with line breaks or non-ASCII are refused before sending', async () => {
    const s = scripted([]);
    await expect(
      putObject(client(s.fetch), { bucket: 'bkt', key: 'k', body: 'x', contentDisposition: 'a\r\nb' }),
    ).rejects.toMatchObject({ name: 'Ks3InputError' });
    await expect(
      putObject(client(s.fetch), { bucket: 'bkt', key: 'k', body: 'x', metadata: { city: '北京' } }),
    ).rejects.toMatchObject({ name: 'Ks3InputError', param: 'metadata' });
    expect(s.calls).toHaveLength(0);
  });
});

describe('timeouts and large bodies sent whole', () => {
  test('a large body sent whole is not cut by the idle timeout while uploading; a small one is', async () => {
    // An injected fetch gets bodies whole (no progress reports): emulate a slow upload.
    const slowUpload: typeof fetch = async (_input, init) => {
      await new Promise((r) => setTimeout(r, 120));
      if (init?.signal?.aborted) throw init.signal.reason ?? new DOMException('aborted', 'AbortError');
      return new Response('', { status: 200, headers: { etag: '"x"' } });
    };
    const c = client(slowUpload, { timeout: 50, retries: 0 });
    await expect(putObject(c, { bucket: 'bkt', key: 'big', body: new Uint8Array(2 << 20) })).resolves.toMatchObject({
      etag: '"x"',
    });
    const hanging = scripted(['hang']);
    const small = await putObject(client(hanging.fetch, { timeout: 50, retries: 0 }), {
      bucket: 'bkt',
      key: 'small',
      body: 'x',
    }).catch((e) => e);
    expect(small).toMatchObject({ name: 'Ks3NetworkError', timeout: true });
  });
});
