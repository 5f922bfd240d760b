/** V4 verification beyond the vectors: scope, region, clock, expiry, signed headers, tokens, error bodies. */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBucket, putObject, useEmulator } from './helpers/emulator.js';
import { CREDS, code, rawRequest, xml1 } from './helpers/ks3.js';
import { sendV4, signV4, type Ns } from './helpers/v4-client.js';

const TOKEN_CREDS = {
  accessKeyId: 'AKLTtemporary0003',
  secretAccessKey: 'temp/secret+0003',
  securityToken: 'tok/en+=0003',
};
const NOW = Date.parse('2025-06-15T08:30:45Z');

describe('V4: both namespaces, header and presigned', () => {
  const f = useEmulator({ credentials: [CREDS, TOKEN_CREDS], now: () => NOW });
  const time = new Date(NOW);

  for (const ns of ['KSS4', 'AWS4'] as Ns[]) {
    it(`${ns}: PUT, GET and a presigned GET of a key with spaces, unicode and reserved characters`, async () => {
      const b = await createBucket(f);
      const key = `dir/a b+c 目录 (1)!*'.txt`;
      const put = await sendV4(f.url, { ns, method: 'PUT', bucket: b, key, body: 'v4 body', creds: CREDS, time });
      expect(put.status, put.text).toBe(200);
      const get = await sendV4(f.url, { ns, method: 'GET', bucket: b, key, creds: CREDS, time });
      expect([get.status, get.text]).toEqual([200, 'v4 body']);
      const list = await sendV4(f.url, {
        ns,
        method: 'GET',
        bucket: b,
        query: [
          ['prefix', 'dir/a b'],
          ['max-keys', '5'],
        ],
        creds: CREDS,
        time,
      });
      expect(xml1(list.text, 'Key')).toBe(key);
      const url = signV4({ ns, method: 'GET', bucket: b, key, creds: CREDS, time, presign: 60 }, new URL(f.url).host);
      const pre = await rawRequest(f.url, { method: 'GET', path: url.path });
      expect([pre.status, pre.text]).toEqual([200, 'v4 body']);
    });
  }

  it('SignatureDoesNotMatch shows the canonical request and string to sign, never the expected signature', async () => {
    const signed = signV4({ method: 'GET', creds: CREDS, time }, new URL(f.url).host);
    const auth = signed.headers.find(([k]) => k === 'authorization')?.[1] ?? '';
    const good = auth.slice(-64);
    const bad = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    const res = await rawRequest(f.url, {
      method: 'GET',
      path: signed.path,
      headers: signed.headers.map(([k, v]): [string, string] => [k, k === 'authorization' ? v.replace(good, bad) : v]),
    });
    expect([res.status, code(res)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(xml1(res.text, 'CanonicalRequest')).toBe(signed.canonical);
    expect(xml1(res.text, 'StringToSign')).toMatch(
      /^KSS4-HMAC-SHA256\n20250615T083045Z\n20250615\/BEIJING\/ks3\/kss4_request\n[0-9a-f]{64}$/,
    );
    expect(xml1(res.text, 'SignatureProvided')).toBe(bad);
    expect(xml1(res.text, 'KSSAccessKeyId')).toBe(CREDS.accessKeyId);
    expect(res.text).not.toContain(good);
  });

  it('masks a security token in the canonical request of an error', async () => {
    const res = await sendV4(f.url, {
      method: 'GET',
      creds: { ...TOKEN_CREDS, secretAccessKey: 'wrong' },
      time,
    });
    expect(code(res)).toBe('SignatureDoesNotMatch');
    expect(xml1(res.text, 'CanonicalRequest')).toContain('x-kss-security-token:REDACTED\n');
    expect(res.text).not.toContain(TOKEN_CREDS.securityToken);
  });

  it('refuses malformed scopes: credential shape, region, service, terminator, date', async () => {
    const cases: [(p: string[]) => string[], string][] = [
      [(p) => p.slice(0, 3), 'the Credential is mal-formed'],
      [([d, , s, t]) => [d ?? '', 'SHANGHAI', s ?? '', t ?? ''], "the region 'SHANGHAI' is wrong; expecting 'BEIJING'"],
      [([d, r, , t]) => [d ?? '', r ?? '', 's3', t ?? ''], 'incorrect service "s3"'],
      [([d, r, s]) => [d ?? '', r ?? '', s ?? '', 'aws4_request'], 'incorrect terminal "aws4_request"'],
      [([, r, s, t]) => ['20250614', r ?? '', s ?? '', t ?? ''], 'Invalid credential date "20250614"'],
    ];
    for (const [scope, message] of cases) {
      const res = await sendV4(f.url, { method: 'GET', creds: CREDS, time, scope });
      expect([res.status, code(res)], res.text).toEqual([400, 'AuthorizationHeaderMalformed']);
      expect(xml1(res.text, 'Message')).toContain(message);
      const pre = signV4({ method: 'GET', creds: CREDS, time, scope, presign: 60 }, new URL(f.url).host);
      const q = await rawRequest(f.url, { method: 'GET', path: pre.path });
      expect([q.status, code(q)], q.text).toEqual([400, 'AuthorizationQueryParametersError']);
    }
    const region = await sendV4(f.url, { method: 'GET', creds: CREDS, time, region: 'SHANGHAI' });
    expect(xml1(region.text, 'Region')).toBe('BEIJING');
  });

  it('refuses a header missing from SignedHeaders, a missing host, and mixed V4 + V2 mechanisms', async () => {
    const signed = signV4({ method: 'GET', creds: CREDS, time }, new URL(f.url).host);
    const extra = await rawRequest(f.url, {
      method: 'GET',
      path: signed.path,
      headers: [...signed.headers, ['x-kss-acl', 'public-read']],
    });
    expect([extra.status, code(extra), xml1(extra.text, 'HeadersNotSigned')]).toEqual([
      403,
      'AccessDenied',
      'x-kss-acl',
    ]);
    const noHost = await rawRequest(f.url, {
      method: 'GET',
      path: signed.path,
      headers: signed.headers.map(([k, v]): [string, string] => [
        k,
        k === 'authorization' ? v.replace('SignedHeaders=host;', 'SignedHeaders=') : v,
      ]),
    });
    expect([noHost.status, code(noHost)]).toEqual([400, 'AuthorizationHeaderMalformed']);
    const mixed = await rawRequest(f.url, {
      method: 'GET',
      path: `${signed.path}?Signature=x`,
      headers: signed.headers,
    });
    expect([mixed.status, code(mixed)]).toEqual([400, 'InvalidArgument']);
    const missing = await rawRequest(f.url, {
      method: 'GET',
      path: '/',
      headers: { Authorization: 'KSS4-HMAC-SHA256 Credential=a/20250615/BEIJING/ks3/kss4_request, Signature=00' },
    });
    expect(xml1(missing.text, 'Message')).toContain('requires three components');
  });

  it('skew: 16 minutes off is RequestTimeTooSkewed with the server Date; 14 minutes is fine', async () => {
    const off = await sendV4(f.url, { method: 'GET', creds: CREDS, time: new Date(NOW - 16 * 60_000) });
    expect([off.status, code(off)]).toEqual([403, 'RequestTimeTooSkewed']);
    expect(off.headers.date).toBe(new Date(NOW).toUTCString());
    const near = await sendV4(f.url, { method: 'GET', creds: CREDS, time: new Date(NOW + 14 * 60_000) });
    expect(near.status).toBe(200);
  });

  it('presigned expiry: 1..604800 seconds, refused once expired or not yet valid', async () => {
    const host = new URL(f.url).host;
    const at = (seconds: number, start: number) =>
      rawRequest(f.url, {
        method: 'GET',
        path: signV4({ method: 'GET', creds: CREDS, time: new Date(start), presign: seconds }, host).path,
      });
    for (const bad of [0, 604801]) {
      const res = await at(bad, NOW);
      expect([res.status, code(res)], res.text).toEqual([400, 'AuthorizationQueryParametersError']);
    }
    expect((await at(604800, NOW)).status).toBe(200);
    expect((await at(1, NOW - 1000)).status).toBe(200);
    const expired = await at(1, NOW - 1001);
    expect([expired.status, code(expired), xml1(expired.text, 'Message')]).toEqual([
      403,
      'AccessDenied',
      'Request has expired',
    ]);
    const early = await at(60, NOW + 16 * 60_000);
    expect([early.status, xml1(early.text, 'Message')]).toEqual([403, 'Request is not valid yet']);
  });

  it('tokens: header and query forms for temporary keys, refused with permanent ones; unknown keys', async () => {
    const host = new URL(f.url).host;
    for (const ns of ['KSS4', 'AWS4'] as Ns[]) {
      expect((await sendV4(f.url, { ns, method: 'GET', creds: TOKEN_CREDS, time })).status).toBe(200);
      for (const tokenParam of ['namespaced', 'security-token'] as const) {
        const pre = signV4({ ns, method: 'GET', creds: TOKEN_CREDS, time, presign: 60, tokenParam }, host);
        expect((await rawRequest(f.url, { method: 'GET', path: pre.path })).status).toBe(200);
      }
      const wrong = await sendV4(f.url, { ns, method: 'GET', creds: { ...TOKEN_CREDS, securityToken: 'other' }, time });
      expect([wrong.status, code(wrong)]).toEqual([403, 'InvalidToken']);
      const none = await sendV4(f.url, {
        ns,
        method: 'GET',
        creds: { ...TOKEN_CREDS, securityToken: undefined },
        time,
      });
      expect(code(none)).toBe('InvalidToken');
      const extra = await sendV4(f.url, { ns, method: 'GET', creds: { ...CREDS, securityToken: 'x' }, time });
      expect(code(extra)).toBe('InvalidToken');
    }
    const unknown = await sendV4(f.url, {
      method: 'GET',
      creds: { accessKeyId: 'AKLTnobody', secretAccessKey: 'x' },
      time,
    });
    expect([unknown.status, code(unknown), xml1(unknown.text, 'KSSAccessKeyId')]).toEqual([
      403,
      'InvalidAccessKeyId',
      'AKLTnobody',
    ]);
    const unknownToken = await sendV4(f.url, {
      method: 'GET',
      creds: { accessKeyId: 'AKLTnobody', secretAccessKey: 'x', securityToken: 't' },
      time,
    });
    expect(code(unknownToken)).toBe('InvalidToken');
  });

  it('share URLs only read, within their policy', async () => {
    const b = await createBucket(f);
    await putObject(f, b, 'shared/a.txt', 'a');
    await putObject(f, b, 'private/b.txt', 'b');
    const policy = Buffer.from(
      JSON.stringify({ expiration: '2025-06-16T00:00:00Z', conditions: [['starts-with', '$key', 'shared/']] }),
    ).toString('base64');
    const share = (method: string, path: string, p = policy) => {
      const t = '20250615T083045Z';
      const params: [string, string][] = [
        ['X-Kss-Algorithm', 'KSS4-HMAC-SHA256'],
        ['X-Kss-Credential', `${CREDS.accessKeyId}/20250615/BEIJING/ks3/kss4_request`],
        ['X-Kss-Date', t],
        ['X-Kss-Expires', '3600'],
        ['X-Kss-Policy', p],
      ];
      return rawRequest(f.url, { method, path: `/${b}${path}${path.includes('?') ? '&' : '?'}${shareQuery(params)}` });
    };
    const list = await share('GET', '/');
    expect(list.status, list.text).toBe(200);
    expect(xml1(list.text, 'Prefix')).toBe('shared/');
    expect((await share('GET', '/shared/a.txt')).text).toBe('a');
    expect(code(await share('GET', '/private/b.txt'))).toBe('AccessDenied');
    expect(code(await share('GET', '/?prefix=private/'))).toBe('AccessDenied');
    expect(code(await share('PUT', '/shared/new.txt'))).toBe('AccessDenied');
    const old = Buffer.from(JSON.stringify({ expiration: '2025-06-15T00:00:00Z' })).toString('base64');
    expect(xml1((await share('GET', '/', old)).text, 'Message')).toBe('Invalid according to Policy: Policy expired.');
  });
});

/** The query of a KSS4 share URL for CREDS (canonical request: the sorted X-* parameters + UNSIGNED-PAYLOAD). */
function shareQuery(params: [string, string][]): string {
  const enc = (s: string) => encodeURIComponent(s);
  const canonical = `${params.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}\nUNSIGNED-PAYLOAD`;
  const hash = createHash('sha256').update(canonical).digest('hex');
  const sts = `KSS4-HMAC-SHA256\n20250615T083045Z\n20250615/BEIJING/ks3/kss4_request\n${hash}`;
  let key = Buffer.from(`KSS4${CREDS.secretAccessKey}`);
  for (const p of ['20250615', 'BEIJING', 'ks3', 'kss4_request']) key = createHmac('sha256', key).update(p).digest();
  const sig = createHmac('sha256', key).update(sts).digest('hex');
  return `${params.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}&X-Kss-Signature=${sig}`;
}

describe('V4 options', () => {
  const f = useEmulator({ checkRegion: false, extraServices: ['s3vectors'], now: () => NOW });
  const time = new Date(NOW);

  it('checkRegion: false accepts any region; extraServices adds scope services', async () => {
    expect((await sendV4(f.url, { method: 'GET', creds: CREDS, time, region: 'us-east-1' })).status).toBe(200);
    expect((await sendV4(f.url, { ns: 'AWS4', method: 'GET', creds: CREDS, time, region: 'x' })).status).toBe(200);
    expect((await sendV4(f.url, { method: 'GET', creds: CREDS, time, service: 's3vectors' })).status).toBe(200);
    const other = await sendV4(f.url, { method: 'GET', creds: CREDS, time, service: 'ks4' });
    expect(code(other)).toBe('AuthorizationHeaderMalformed');
  });
});
