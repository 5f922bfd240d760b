/**
 * The reference SDK's V2 vectors (internal/vectors/signing.json) through the request-level V2
 * signer, byte for byte in Node and Chromium, plus what the seam adds: request time from a date
 * header or the clock, security tokens, presigned URLs after the request's own query, bad input.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import vectors from '../../../../internal/vectors/signing.json';
import { createV2Signer, isKs3InputError, type QueryParam } from '@ks3/core';
import { formatHttpDate, importHmacKey } from '@ks3/core/internal';
import type { SignRequest } from '../../src/sign/types.js';
import { signV2 } from '../../src/sign/v2.js';

type Pair = [string, string];
interface Case {
  name: string;
  kind: 'header' | 'presigned';
  input: Record<string, unknown> & {
    access_key: string;
    secret_key: string;
    method: string;
    bucket: string;
    key: string;
  };
  output: Record<string, string>;
  server_rules_that_verify: string[];
}
const cases = (vectors.cases as unknown as Case[]).filter((c) => c.server_rules_that_verify.length > 0);
const creds = (c: Case) => ({ accessKeyId: c.input.access_key, secretAccessKey: c.input.secret_key });
const signerOf = (c: Case) => createV2Signer({ credentials: async () => creds(c) });

/** Query arguments as the reference signs them (see vectors.shared.test.ts). */
function queryPairs(q: unknown): QueryParam[] {
  if (q === null || q === undefined) return [];
  if (typeof q !== 'string') return Object.entries(q as Record<string, string>);
  return q.split('&').map((p): QueryParam => {
    const i = p.indexOf('=');
    return i < 0 ? [p] : [p.slice(0, i), p.slice(i + 1)];
  });
}

/** Headers as the pipeline hands them: lower-case names, a later case-duplicate wins. */
const headersOf = (pairs: Pair[]): Record<string, string> =>
  Object.fromEntries(pairs.map(([n, v]) => [n.toLowerCase(), v]));

afterEach(() => vi.restoreAllMocks());

describe('header-signed vectors through the V2 signer', () => {
  for (const c of cases.filter((x) => x.kind === 'header' && x.name !== 'anonymous_request')) {
    test(c.name, async () => {
      const i = c.input as Case['input'] & { query_args: unknown; headers: Pair[]; clock_unix?: number };
      const o = c.output;
      const request: SignRequest = {
        method: i.method,
        url: `http://ks3.example.test${o.request_target}`,
        bucket: i.bucket || undefined,
        key: i.key || undefined,
        query: queryPairs(i.query_args),
        headers: headersOf(i.headers),
        payloadHash: 'UNSIGNED-PAYLOAD',
        time: (i.clock_unix ?? 0) * 1000,
      };
      const signed = await signerOf(c)(request);
      expect(signed.headers.authorization).toBe(o.authorization);
      expect(signed.url).toBe(request.url);
      const wireDate = (c.output as unknown as { wire_headers: Pair[] }).wire_headers.find(([n]) => n === 'Date')![1];
      expect(signed.headers.date).toBe(wireDate);
      const direct = await signV2(request, creds(c), await importHmacKey(i.secret_key));
      expect(direct.stringToSign).toBe(o.string_to_sign);
      expect(direct.signature).toBe(o.signature);
    });
  }
});

describe('presigned vectors through the V2 signer', () => {
  for (const c of cases.filter((x) => x.kind === 'presigned')) {
    test(c.name, async () => {
      const i = c.input as Case['input'] & { headers: Pair[]; clock_unix: number };
      let expected = c.output.url!;
      // ks3-protocol.md §2.7: the reference sends this path as %20/%2A but signs +/*; we send what we sign.
      if (c.name === 'presign_key_space_star')
        expected = expected.replace('/my%20docs/%2Adraft%2A.txt', '/my+docs/*draft*.txt');
      const signed = await signerOf(c)({
        method: i.method,
        url: expected.slice(0, expected.indexOf('?')),
        bucket: i.bucket,
        key: i.key || undefined,
        query: [],
        headers: headersOf(i.headers),
        payloadHash: 'UNSIGNED-PAYLOAD',
        time: i.clock_unix * 1000,
        expires: Number(c.output.expires),
      });
      expect(signed.url).toBe(expected);
      const mustSend = i.headers.filter(([n]) => !n.toLowerCase().startsWith('x-kss-'));
      expect(signed.headers).toEqual(headersOf(mustSend));
    });
  }
});

const c0 = { accessKeyId: 'AKID', secretAccessKey: 'TOP-SECRET' };
const t0 = Date.UTC(2026, 0, 1, 12, 34, 56);
const request = (over: Partial<SignRequest> = {}): SignRequest => ({
  method: 'PUT',
  url: 'https://b.ks3-cn-beijing.ksyuncs.com/k',
  bucket: 'b',
  key: 'k',
  query: [],
  headers: { 'x-kss-acl': 'private' },
  payloadHash: 'UNSIGNED-PAYLOAD',
  time: t0,
  ...over,
});
const key = () => importHmacKey(c0.secretAccessKey);

describe('request time', () => {
  test('writes the chosen date header from the clock; with x-kss-date it is also the Date line', async () => {
    const d = formatHttpDate(t0);
    const plain = await signV2(request(), c0, await key());
    expect(plain.request.headers.date).toBe(d);
    expect(plain.stringToSign).toBe(`PUT\n\n\n${d}\nx-kss-acl:private\n/b/k`);
    const kss = await signV2(request(), c0, await key(), 'x-kss-date');
    expect(kss.request.headers).not.toHaveProperty('date');
    expect(kss.stringToSign).toBe(`PUT\n\n\n${d}\nx-kss-acl:private\nx-kss-date:${d}\n/b/k`);
  });

  test('keeps a date or x-kss-date header the request already has', async () => {
    const given = 'Wed, 31 Dec 2025 23:59:59 GMT';
    for (const h of ['date', 'x-kss-date']) {
      const r = await signV2(request({ headers: { [h]: given } }), c0, await key(), 'date');
      expect(r.request.headers[h]).toBe(given);
      expect(r.stringToSign.split('\n')[3]).toBe(given);
      expect(Object.keys(r.request.headers).sort()).toEqual(['authorization', h]);
    }
  });
});

describe('security token', () => {
  const tok = { ...c0, securityToken: 'sts/tok+en=' };
  test('header signing sends and signs x-kss-security-token', async () => {
    const r = await signV2(request(), tok, await key());
    expect(r.request.headers['x-kss-security-token']).toBe(tok.securityToken);
    expect(r.stringToSign).toContain('\nx-kss-acl:private\nx-kss-security-token:sts/tok+en=\n/b/k');
  });
  test('a presigned URL carries security-token, signed as a sub-resource (KS3 Go and Java SDKs)', async () => {
    const r = await signV2(
      request({ url: 'https://b.x/k?versionId=v%201', query: [['versionId', 'v 1']], expires: 1767229200 }),
      tok,
      await key(),
    );
    expect(r.stringToSign).toBe(
      'PUT\n\n\n1767229200\nx-kss-acl:private\n/b/k?security-token=sts/tok+en=&versionId=v 1',
    );
    expect(r.request.url).toMatch(
      new RegExp(
        '^https://b\\.x/k\\?Signature=[^&]+&Expires=1767229200&KSSAccessKeyId=AKID' +
          '&versionId=v%201&x-kss-acl=private&security-token=sts/tok%2Ben%3D$',
      ),
    );
    expect(r.request.headers).toEqual({});
  });
});

describe('the V2 signer', () => {
  test('asks the provider every time and imports the HMAC key once per secret', async () => {
    let secret = 'one';
    const provider = vi.fn(async () => ({ accessKeyId: 'AK', secretAccessKey: secret }));
    const sign = createV2Signer({ credentials: provider });
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const a = await sign(request());
    await sign(request());
    expect(importKey).toHaveBeenCalledTimes(1);
    secret = 'two';
    const b = await sign(request());
    expect(importKey).toHaveBeenCalledTimes(2);
    expect(provider).toHaveBeenCalledTimes(3);
    expect(b.headers.authorization).not.toBe(a.headers.authorization);
  });

  test.each([
    ['dateHeader', { dateHeader: 'Date' }],
    ['credentials', { credentials: c0 }],
    ['options', null],
  ])('bad option %s', (param, o) => {
    const e = (() => {
      try {
        createV2Signer(o === null ? (null as never) : ({ credentials: async () => c0, ...o } as never));
      } catch (x) {
        return x as { param?: string };
      }
    })();
    expect(isKs3InputError(e)).toBe(true);
    expect(e!.param).toBe(param);
  });

  test.each([
    ['expires', { expires: 0 }],
    ['expires', { expires: 1.5 }],
    ['method', { method: 'put' }],
    ['time', { time: Number.NaN }],
  ])('bad request %s', async (param, over) => {
    const e = await createV2Signer({ credentials: async () => c0 })(request(over)).catch((x) => x);
    expect(isKs3InputError(e)).toBe(true);
    expect(e.param).toBe(param);
    expect(e.message).not.toContain('TOP-SECRET');
  });

  test('a provider returning unusable credentials is a typed credentials error, without secrets', async () => {
    const provider = async () => ({ ...c0, accessKeyId: '' });
    const e = await createV2Signer({ credentials: provider })(request()).catch((x) => x);
    expect(e.name).toBe('Ks3CredentialsError');
    expect(e.message).not.toContain('TOP-SECRET');
  });

  test('anonymous_request: no key id, no signature — the signer refuses instead of signing', async () => {
    const c = (vectors.cases as unknown as Case[]).find((x) => x.name === 'anonymous_request')!;
    const e = await signerOf(c)(request()).catch((x) => x);
    expect(e.name).toBe('Ks3CredentialsError');
  });
});
