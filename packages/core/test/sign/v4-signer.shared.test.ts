/**
 * The V4 signer as the pipeline uses it: every signed input changes the signature and unsigned
 * ones do not; credentials come from the provider on every call; abort; and each bad input is a
 * clear Ks3InputError that never shows a secret.
 */
import { describe, expect, test, vi } from 'vitest';
import { createV4Signer, isKs3InputError } from '@ks3/core';
import type { SignRequest } from '../../src/sign/types.js';
import { signV4 } from '../../src/sign/v4.js';
import { configOf, credentialsOf, requestOf, v4Cases, type V4Input } from './v4-helpers.js';

const flip = (s: string): string => s.slice(0, -1) + String.fromCharCode(s.charCodeAt(s.length - 1) ^ 1);

describe('a change to any signed input changes the signature', () => {
  for (const c of v4Cases.filter((x) => x.verifiable && (x.input.mode === 'header' || x.input.mode === 'presign'))) {
    test(c.id, async () => {
      const i = c.input;
      const base = await requestOf(i);
      const sign = async (r: SignRequest, input: V4Input = i, extra = {}) =>
        (await signV4(configOf(input, extra), r, credentialsOf(input))).signature;
      const expected = await sign(base);
      expect(expected).toBe(c.output.signature);
      const u = new URL(base.url.replace(/^(\w+:\/\/)[^/]*/, '$1h')); // host may not parse: split by hand
      const origin = base.url.slice(0, base.url.indexOf('/', 8));
      const variants: [string, Promise<string>][] = [
        ['secret', sign(base, { ...i, secret_access_key: flip(i.secret_access_key) })],
        ['method', sign({ ...base, method: base.method === 'GET' ? 'PUT' : 'GET' })],
        ['path', sign({ ...base, url: `${origin}${u.pathname}x${u.search}` })],
        ['host', sign({ ...base, url: `${origin}0${u.pathname}${u.search}` })],
        // A presigned URL keeps its lifetime: `expires` moves with the time.
        ['time', sign({ ...base, time: base.time + 1000, ...(base.expires ? { expires: base.expires + 1 } : {}) })],
        ['region', sign(base, { ...i, region: `${i.region}X` })],
        ['service', sign(base, i, { service: 'other' })],
        ['namespace', sign(base, i, { namespace: i.namespace === 'AWS4' ? 'kss' : 'aws' })],
        ['token', sign(base, { ...i, security_token: `${i.security_token}T` })],
        ...base.query.map((_, k): [string, Promise<string>] => [
          `query ${k}`,
          sign({ ...base, query: base.query.map(([n, v], j) => (j === k ? [n, `${v ?? ''}x`] : [n, v])) }),
        ]),
        ...Object.keys(base.headers)
          .filter((n) => n === 'content-type' || n.startsWith('x-kss-'))
          .map((n): [string, Promise<string>] => [
            `header ${n}`,
            sign({ ...base, headers: { ...base.headers, [n]: flip(base.headers[n]!) } }),
          ]),
      ];
      if (base.expires === undefined) {
        const other = base.payloadHash === 'UNSIGNED-PAYLOAD' ? '0'.repeat(64) : 'UNSIGNED-PAYLOAD';
        variants.push(['payload hash', sign({ ...base, payloadHash: other })]);
        variants.push(['access key', sign(base, i)]); // header mode: the key id is not signed
      } else {
        const longest = base.expires - base.time / 1000 === 604_800;
        variants.push(['expires', sign({ ...base, expires: base.expires + (longest ? -1 : 1) })]);
        variants.push(['access key', sign(base, { ...i, access_key_id: flip(i.access_key_id) })]);
      }
      for (const [what, p] of variants) {
        const s = await p;
        if (what === 'access key' && base.expires === undefined) expect(s, what).toBe(expected);
        else expect(s, what).not.toBe(expected);
      }
      // Headers outside the whitelist are not signed (KS3's Go SDK and the vectors README).
      const unsigned = { 'user-agent': 'x', range: 'bytes=0-1', 'content-md5': 'AAAA', 'cache-control': 'no' };
      expect(await sign({ ...base, headers: { ...base.headers, ...unsigned } })).toBe(expected);
    });
  }
});

const creds = { accessKeyId: 'AKID', secretAccessKey: 'TOP-SECRET-KEY' };
const request = (over: Partial<SignRequest> = {}): SignRequest => ({
  method: 'GET',
  url: 'https://b.ks3-cn-beijing.ksyuncs.com/k',
  query: [],
  headers: {},
  payloadHash: 'UNSIGNED-PAYLOAD',
  time: Date.UTC(2025, 0, 1),
  ...over,
});
const failure = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as Error & { param?: string };
  }
  throw new Error('expected a failure');
};

describe('the signer', () => {
  test('asks the provider on every call and passes it the signal', async () => {
    const provider = vi.fn(async (_signal?: AbortSignal) => creds);
    const sign = createV4Signer({ credentials: provider, region: 'BEIJING' });
    const signal = new AbortController().signal;
    await sign(request(), signal);
    await sign(request());
    expect(provider).toHaveBeenCalledTimes(2);
    expect(provider.mock.calls[0]![0]).toBe(signal);
  });

  test('stops with the signal reason when aborted, before or during the credentials call', async () => {
    const ac = new AbortController();
    const reason = new Error('stop');
    ac.abort(reason);
    const sign = createV4Signer({ credentials: async () => creds, region: 'BEIJING' });
    expect(await failure(sign(request(), ac.signal))).toBe(reason);
    const later = new AbortController();
    const slow = createV4Signer({
      credentials: (signal) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('provider saw abort')))),
      region: 'BEIJING',
    });
    const pending = slow(request(), later.signal);
    later.abort(reason);
    expect(await failure(pending)).toBe(reason);
  });

  test('signs the host with a non-default port and without a default one', async () => {
    const c = configOf(v4Cases[0]!.input);
    const sign = async (url: string) => (await signV4(c, request({ url }), creds)).canonicalRequest;
    expect(await sign('https://B.example.com:443/k')).toContain('\nhost:b.example.com\n');
    expect(await sign('http://b.example.com:80/k')).toContain('\nhost:b.example.com\n');
    expect(await sign('http://b.example.com:8080/k')).toContain('\nhost:b.example.com:8080\n');
    expect(await sign('http://user@[::1]:9000/k')).toContain('\nhost:[::1]:9000\n');
  });

  test('puts a security token in the header, or in the presign parameter chosen', async () => {
    const c = configOf(v4Cases[0]!.input, { presignTokenParam: 'security-token' });
    const t = { ...creds, securityToken: 'tok/+=' };
    const header = await signV4(c, request(), t);
    expect(header.request.headers['x-kss-security-token']).toBe('tok/+=');
    expect(header.canonicalRequest).toContain('x-kss-security-token:tok/+=\n');
    const url = await signV4(c, request({ expires: Date.UTC(2025, 0, 1) / 1000 + 60 }), t);
    expect(url.request.url).toContain('&security-token=tok%2F%2B%3D');
    expect(url.canonicalRequest).toContain('&security-token=tok%2F%2B%3D\n');
    expect(url.request.headers).toEqual({});
  });

  test('signs the headers of alsoSign when present (a backend binding a body length)', async () => {
    const plain = await signV4(configOf(v4Cases[0]!.input), request({ headers: { 'content-length': '5' } }), creds);
    expect(plain.request.headers.authorization).not.toContain('content-length');
    const c = configOf(v4Cases[0]!.input, { alsoSign: ['content-length'] });
    const bound = await signV4(c, request({ headers: { 'content-length': '5' } }), creds);
    expect(bound.canonicalRequest).toContain('\ncontent-length:5\n');
    expect(bound.request.headers.authorization).toMatch(/SignedHeaders=content-length;host;/);
    const without = await signV4(c, request(), creds);
    expect(without.request.headers.authorization).not.toContain('content-length');
  });

  test('keeps the request query after the signature parameters of a presigned URL', async () => {
    const c = configOf(v4Cases[0]!.input);
    const r = request({
      url: 'https://b.x/k?uploads&a=b%20c',
      query: [['uploads'], ['a', 'b c']],
      expires: 1735693260,
    });
    const { request: out, canonicalRequest } = await signV4(c, r, creds);
    expect(out.url).toMatch(/^https:\/\/b\.x\/k\?X-Kss-Algorithm=.*&X-Kss-SignedHeaders=host&uploads&a=b%20c$/);
    expect(canonicalRequest.split('\n')[2]).toMatch(/^X-Kss-Algorithm=.*&a=b%20c&uploads=$/);
  });
});

describe('bad input is a Ks3InputError naming the input, without secrets', () => {
  const make = (o: object) => () => createV4Signer({ credentials: async () => creds, region: 'BEIJING', ...o });
  test.each([
    ['region', { region: undefined }],
    ['region', { region: '' }],
    ['region', { region: 'BEI JING' }],
    ['namespace', { namespace: 'ks3' }],
    ['service', { service: 'a/b' }],
    ['headerWhitespace', { headerWhitespace: 'none' }],
    ['presignTokenParam', { presignTokenParam: 'a&b' }],
    ['alsoSign', { alsoSign: 'content-length' }],
    ['alsoSign', { alsoSign: ['Content-Length'] }],
    ['credentials', { credentials: creds }],
  ])('option %s: %o', async (param, o) => {
    const e = await failure(make(o));
    expect(isKs3InputError(e)).toBe(true);
    expect(e.param).toBe(param);
  });

  const sign = createV4Signer({ credentials: async () => creds, region: 'BEIJING' });
  const t0 = Date.UTC(2025, 0, 1) / 1000;
  test.each([
    ['expires', { expires: t0 }],
    ['expires', { expires: t0 + 604_801 }],
    ['expires', { expires: t0 + 1.5 }],
    ['payloadHash', { payloadHash: 'ABC' }],
    ['payloadHash', { payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }],
    ['url', { url: '/relative/path' }],
    ['url', { url: 'https://b.x/k#frag' }],
    ['url', { url: 'https://b.x/%E0%A4%A' }],
    ['url', { url: 'https://b.x/%FF' }],
    ['time', { time: Number.NaN }],
    ['time', { time: 1e20 }],
    ['method', { method: 'get' }],
    ['header x-kss-acl', { headers: { 'x-kss-acl': 'private', 'x-amz-acl': 'private' } }],
  ])('request %s: %o', async (param, over) => {
    const s = param.startsWith('header')
      ? createV4Signer({ credentials: async () => creds, region: 'B', namespace: 'aws' })
      : sign;
    const e = await failure(s(request(over as Partial<SignRequest>)));
    expect(isKs3InputError(e)).toBe(true);
    expect(e.param).toBe(param);
  });

  test('the longest lifetime, 7 days, is accepted', async () => {
    expect((await sign(request({ expires: t0 + 604_800 }))).url).toContain('X-Kss-Expires=604800&');
  });

  test.each([
    ['throws', async () => Promise.reject(new Error('vault down'))],
    ['returns nothing', async () => undefined],
    ['returns an empty key id', async () => ({ ...creds, accessKeyId: '' })],
    ['returns a key id with a space', async () => ({ ...creds, accessKeyId: 'AK ID' })],
    ['returns no secret', async () => ({ accessKeyId: 'AKID' })],
    ['returns a token with a newline', async () => ({ ...creds, securityToken: 'TOKEN-SECRET\n' })],
  ])('a provider that %s', async (_, provider) => {
    const s = createV4Signer({ credentials: provider as never, region: 'BEIJING' });
    const e = await failure(s(request()));
    // A provider's failure or result is not the caller's input: a typed credentials error.
    expect(e.name).toBe('Ks3CredentialsError');
    expect(e.message).not.toMatch(/TOP-SECRET|TOKEN-SECRET/);
    if (_ === 'throws') expect((e.cause as Error).message).toBe('vault down');
  });
});
