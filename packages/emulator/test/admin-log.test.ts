/** The admin endpoint's gate (off by default, never cross-origin), the redacted request log, path-style refusal. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { code, presign, rawRequest, send, xml1 } from './helpers/ks3.js';
import { signV4 } from './helpers/v4-client.js';
import { redactTarget } from '../src/log.js';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const spec = JSON.stringify({ op: 'GetObject', status: 500 });

describe('admin endpoint off by default', () => {
  const f = useEmulator();

  it('answers 404 for every admin route and arms nothing', async () => {
    const res = await rawRequest(f.url, { method: 'POST', path: '/__ks3emu/faults', headers: JSON_TYPE, body: spec });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error).toContain('admin: true');
    expect(f.emu.faults.list()).toEqual([]);
    expect((await rawRequest(f.url, { method: 'GET', path: '/__ks3emu/health' })).status).toBe(404);
  });
});

describe('admin endpoint on', () => {
  const f = useEmulator({ admin: true });
  afterEach(() => f.emu.reset());

  it('refuses anything a web page can send, with no CORS headers at all', async () => {
    const origin = 'http://evil.example';
    const attempts: { method: string; headers: Record<string, string>; body?: string; status: number }[] = [
      { method: 'POST', headers: { ...JSON_TYPE, Origin: origin }, body: spec, status: 403 },
      { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: spec, status: 415 },
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: spec, status: 415 },
      { method: 'POST', headers: {}, body: spec, status: 415 },
      { method: 'GET', headers: { 'Sec-Fetch-Site': 'cross-site' }, status: 403 },
      { method: 'GET', headers: { Host: `evil.example:${f.emu.port}` }, status: 403 },
      {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
        status: 403,
      },
    ];
    for (const a of attempts) {
      const res = await rawRequest(f.url, {
        method: a.method,
        path: '/__ks3emu/faults',
        headers: a.headers,
        body: a.body,
      });
      expect([a.method, JSON.stringify(a.headers), res.status]).toEqual([
        a.method,
        JSON.stringify(a.headers),
        a.status,
      ]);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    expect(f.emu.faults.list()).toEqual([]);
  });

  it('serves a local client that sends JSON without Origin', async () => {
    const res = await rawRequest(f.url, { method: 'POST', path: '/__ks3emu/faults', headers: JSON_TYPE, body: spec });
    expect(res.status).toBe(200);
    expect(f.emu.faults.list()).toHaveLength(1);
    const viaFetch = await fetch(`${f.url}/__ks3emu/reset`, { method: 'POST', headers: JSON_TYPE, body: '{}' });
    expect(viaFetch.status).toBe(204);
    expect(f.emu.faults.list()).toEqual([]);
  });
});

describe('request log', () => {
  const f = useEmulator({ quiet: false });
  afterEach(() => vi.restoreAllMocks());
  const TOKEN = 'tok+en/SECRET=value';
  const creds = {
    accessKeyId: 'AKLTemulatorTest0001',
    secretAccessKey: 'emulator/test+secret=0001',
    securityToken: TOKEN,
  };

  it('redacts every credential-bearing parameter and never prints headers', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'k', 'v');
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const v2 = presign({ method: 'GET', bucket: b, key: 'k', expires: Math.floor(Date.now() / 1000) + 60 });
    const host = new URL(f.url).host;
    const paths = [
      `${v2}&security-token=${encodeURIComponent(TOKEN)}&x-kss-security-token=${encodeURIComponent(TOKEN)}`,
      signV4({ method: 'GET', bucket: b, key: 'k', creds, presign: 60 }, host).path,
      signV4({ ns: 'AWS4', method: 'GET', bucket: b, key: 'k', creds, presign: 60 }, host).path,
      signV4({ method: 'GET', bucket: b, key: 'k', creds, presign: 60, tokenParam: 'security-token' }, host).path,
    ];
    for (const path of paths) await rawRequest(f.url, { method: 'GET', path });
    await send(f.url, { method: 'GET', bucket: b, key: 'k', creds });
    await new Promise((r) => setTimeout(r, 50));
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(paths.length + 1);
    const secrets = [
      TOKEN,
      encodeURIComponent(TOKEN),
      ...paths.flatMap((p) =>
        [...p.matchAll(/(?:^|[?&])(?:Signature|X-Kss-Signature|X-Amz-Signature)=([^&]+)/g)].map((m) => m[1] ?? ''),
      ),
    ];
    for (const s of secrets) expect(log).not.toContain(s);
    expect(log).not.toMatch(/Authorization|KSS AKLT/);
    expect(log).toContain('KSSAccessKeyId=AKLTemulatorTest0001');
    expect(log).toMatch(/X-Kss-Signature=REDACTED/);
    expect(log).toMatch(/X-Amz-Security-Token=REDACTED/);
  });

  it('redactTarget covers every secret name, in any case, and leaves the rest alone', () => {
    expect(
      redactTarget('/b/k?signature=a&X-KSS-SIGNATURE=b&x-amz-signature=c&Security-Token=d&prefix=e&X-Kss-Credential=f'),
    ).toBe(
      '/b/k?signature=REDACTED&X-KSS-SIGNATURE=REDACTED&x-amz-signature=REDACTED&Security-Token=REDACTED' +
        '&prefix=e&X-Kss-Credential=f',
    );
    expect(redactTarget('/b/k')).toBe('/b/k');
  });
});

describe('virtualHostedOnly', () => {
  const f = useEmulator({ virtualHostedOnly: ['vh-only-bucket'], endpointNames: ['ks3.example.test'] });

  it('refuses path-style requests for the chosen buckets with 403 SecondLevelDomainForbidden', async () => {
    expect((await f.send({ method: 'PUT', bucket: 'vh-only-bucket', key: '', vhost: 'ks3.example.test' })).status).toBe(
      200,
    );
    const path = await f.send({ method: 'GET', bucket: 'vh-only-bucket', key: '' });
    expect([path.status, code(path)]).toEqual([403, 'SecondLevelDomainForbidden']);
    expect(xml1(path.text, 'Message')).toBe(
      'The bucket you are attempting to access must be addressed using KS3 third level domain.',
    );
    expect((await f.send({ method: 'GET', bucket: 'vh-only-bucket', key: '', vhost: 'ks3.example.test' })).status).toBe(
      200,
    );
    const other = await createBucket(f);
    expect((await f.send({ method: 'GET', bucket: other, key: '' })).status).toBe(200);
  });
});
