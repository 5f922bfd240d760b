/** CORS answered from bucket rules only (the default `cors: 'rules'` mode). */
import { describe, expect, it } from 'vitest';
import { corsDoc, putConfig } from './helpers/config.js';
import { createBucket, putObject, start, useEmulator } from './helpers/emulator.js';
import { code, rawRequest, type Res, xml1 } from './helpers/ks3.js';

const APP = 'https://app.example.com';

describe("bucket CORS rules ('rules' mode, the default)", () => {
  const f = useEmulator();

  const preflight = (
    path: string,
    origin: string | undefined,
    method: string | undefined,
    headers?: string,
    host?: string,
  ) =>
    rawRequest(f.url, {
      method: 'OPTIONS',
      path,
      host,
      headers: {
        ...(origin ? { Origin: origin } : {}),
        ...(method ? { 'Access-Control-Request-Method': method } : {}),
        ...(headers ? { 'Access-Control-Request-Headers': headers } : {}),
      },
    });
  const corsOf = (res: Res) =>
    Object.fromEntries(Object.entries(res.headers).filter(([k]) => k.startsWith('access-control-') || k === 'vary'));

  async function bucketWithRules(extra = ''): Promise<string> {
    const b = await createBucket(f);
    const doc = corsDoc(
      [
        '<AllowedOrigin>https://*.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>' +
          '<AllowedMethod>PUT</AllowedMethod><AllowedHeader>x-kss-*</AllowedHeader>' +
          '<AllowedHeader>Content-Type</AllowedHeader>' +
          '<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>300</MaxAgeSeconds>',
        '<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>' +
          '<AllowedMethod>DELETE</AllowedMethod><ExposeHeader>x-kss-request-id</ExposeHeader>',
      ],
      extra,
    );
    expect((await putConfig(f, b, 'cors', doc)).status).toBe(200);
    return b;
  }

  it('without a configuration: preflights are 403 and responses carry no CORS headers', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'v');
    const res = await preflight(`/${b}/k`, APP, 'GET');
    expect([res.status, code(res)]).toEqual([403, 'AccessForbidden']);
    expect(xml1(res.text, 'Message')).toBe('CORSResponse: CORS is not enabled for this bucket.');
    expect(corsOf(res)).toEqual({});
    const get = await f.send({ method: 'GET', bucket: b, key: 'k', headers: { Origin: APP } });
    expect(get.status).toBe(200);
    expect(corsOf(get)).toEqual({});
    const missing = await preflight('/no-such-bucket-here/k', APP, 'GET');
    expect([missing.status, code(missing), xml1(missing.text, 'Message')]).toEqual([
      403,
      'AccessForbidden',
      'CORSResponse: Bucket not found',
    ]);
  });

  it('answers a preflight from the first matching rule (origin wildcard, method, every requested header)', async () => {
    const b = await bucketWithRules();
    const ok = await preflight(`/${b}/some/key`, APP, 'PUT', 'X-Kss-Meta-Color, content-type,x-kss-date');
    expect(ok.status).toBe(200);
    expect(corsOf(ok)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, PUT',
      'access-control-allow-headers': 'x-kss-meta-color, content-type, x-kss-date',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '300',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    // The bucket itself (virtual-hosted, path /) is covered too.
    const vhost = await preflight('/', 'https://www.example.com', 'GET', undefined, `${b}.localhost`);
    expect([vhost.status, vhost.headers['access-control-allow-origin']]).toEqual([200, 'https://www.example.com']);
    // Any origin may DELETE through the second rule: `*` is answered as `*`, without credentials.
    const star = await preflight(`/${b}/k`, 'http://elsewhere.test', 'DELETE');
    expect(corsOf(star)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, HEAD, DELETE',
      'access-control-expose-headers': 'x-kss-request-id',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });

  it('refuses a preflight no rule allows with 403 AccessForbidden and no CORS headers', async () => {
    const b = await bucketWithRules();
    for (const [origin, method, headers] of [
      ['http://app.example.com', 'PUT', undefined], // scheme differs from https://*.example.com
      [APP, 'POST', undefined], // no rule allows POST
      [APP, 'PUT', 'authorization'], // header not allowed by the PUT rule
      ['http://elsewhere.test', 'GET', 'x-kss-date'], // the * rule allows no headers
    ] as const) {
      const res = await preflight(`/${b}/k`, origin, method, headers);
      expect([origin, method, res.status, code(res)]).toEqual([origin, method, 403, 'AccessForbidden']);
      expect(xml1(res.text, 'Message')).toMatch(/^CORSResponse: This CORS request is not allowed/);
      expect(corsOf(res)).toEqual({});
    }
    const noOrigin = await preflight(`/${b}/k`, undefined, 'GET');
    expect([noOrigin.status, code(noOrigin)]).toEqual([400, 'BadRequest']);
    const noMethod = await preflight(`/${b}/k`, APP, undefined);
    expect([noMethod.status, code(noMethod)]).toEqual([400, 'BadRequest']);
  });

  it('adds the matching rule’s headers to actual responses (errors too), none for other origins', async () => {
    const b = await bucketWithRules();
    await putObject(f, b, 'k', 'v');
    const get = await f.send({ method: 'GET', bucket: b, key: 'k', headers: { Origin: APP } });
    expect(get.headers['access-control-allow-origin']).toBe(APP);
    expect(get.headers['access-control-allow-credentials']).toBe('true');
    expect(get.headers['access-control-expose-headers']).toBe('ETag');
    // HEAD is only in the second rule: its headers apply.
    const head = await f.send({ method: 'HEAD', bucket: b, key: 'k', headers: { Origin: APP } });
    expect([head.headers['access-control-allow-origin'], head.headers['access-control-expose-headers']]).toEqual([
      '*',
      'x-kss-request-id',
    ]);
    const missing = await f.send({ method: 'GET', bucket: b, key: 'nope', headers: { Origin: APP } });
    expect([missing.status, missing.headers['access-control-allow-origin']]).toEqual([404, APP]);
    const post = await f.send({ method: 'POST', bucket: b, key: 'k', query: 'uploads', headers: { Origin: APP } });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
    const stranger = await f.send({
      method: 'PUT',
      bucket: b,
      key: 'k2',
      body: 'x',
      headers: { Origin: 'http://x.test' },
    });
    expect(stranger.status).toBe(200);
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
    // Without an Origin: no CORS headers, and no Vary unless NonCrossOriginResponseVary says so.
    const plain = await f.send({ method: 'GET', bucket: b, key: 'k' });
    expect(corsOf(plain)).toEqual({});
  });

  it('NonCrossOriginResponseVary=true adds Vary: Origin to requests without an Origin', async () => {
    const b = await bucketWithRules('<NonCrossOriginResponseVary>true</NonCrossOriginResponseVary>');
    await putObject(f, b, 'k', 'v');
    const plain = await f.send({ method: 'GET', bucket: b, key: 'k' });
    expect(corsOf(plain)).toEqual({ vary: 'Origin' });
    const off = await createBucket(f);
    await putConfig(
      f,
      off,
      'cors',
      corsDoc(
        ['<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>'],
        '<NonCrossOriginResponseVary>false</NonCrossOriginResponseVary>',
      ),
    );
    await putObject(f, off, 'k', 'v');
    expect(corsOf(await f.send({ method: 'GET', bucket: off, key: 'k' }))).toEqual({});
  });

  it('never answers the admin routes cross-origin (no CORS headers, requests with Origin refused)', async () => {
    const admin = await start({ admin: true });
    try {
      const pre = await rawRequest(admin.url, {
        method: 'OPTIONS',
        path: '/__ks3emu/faults',
        headers: { Origin: APP, 'Access-Control-Request-Method': 'POST' },
      });
      expect([pre.status, corsOf(pre)]).toEqual([403, {}]);
      const health = await rawRequest(admin.url, { method: 'GET', path: '/__ks3emu/health', headers: { Origin: APP } });
      expect([health.status, corsOf(health)]).toEqual([403, {}]);
      const plain = await rawRequest(admin.url, { method: 'GET', path: '/__ks3emu/health' });
      expect([plain.status, corsOf(plain)]).toEqual([200, {}]);
    } finally {
      await admin.close();
    }
  });

  it('refuses an unknown cors mode', async () => {
    await expect(start({ cors: 'everything' as 'any' })).rejects.toThrow(/cors must be 'any' or 'rules'/);
  });
});
