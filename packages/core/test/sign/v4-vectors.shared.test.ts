/**
 * KS3's V4 vectors (internal/vectors/v4-signing.json, made by KS3's own Go SDK signer), byte for
 * byte in Node and in Chromium: canonical request, string to sign, signature, Authorization, the
 * request as sent, presigned and share URLs. The cases the vectors mark unverifiable record bugs
 * or an open question of that SDK; each is listed in NOT_VERIFIABLE and tested for the correct
 * behaviour in v4-unverifiable.shared.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { signV4 } from '../../src/sign/v4.js';
import { signPolicyV4 } from '../../src/sign/v4-policy.js';
import {
  configOf,
  credentialsOf,
  NOT_VERIFIABLE,
  originOf,
  queryOf,
  requestOf,
  urlOf,
  v4Cases,
  type V4Case,
} from './v4-helpers.js';

const out = <T>(c: V4Case) => c.output as V4Case['output'] & T;

test('the unverifiable list names exactly the cases the vectors mark unverifiable', () => {
  expect(v4Cases.length).toBe(62);
  const unverifiable = v4Cases.filter((c) => !c.verifiable).map((c) => c.id);
  expect(unverifiable.sort()).toEqual(Object.keys(NOT_VERIFIABLE).sort());
});

/** Headers KS3's Go transport adds on its own; our pipeline, not the signer, owns these. */
const TRANSPORT = new Set(['host', 'user-agent', 'content-length', 'date']);

describe('header-signed requests', () => {
  for (const c of v4Cases.filter((x) => x.verifiable && x.input.mode === 'header')) {
    test(c.id, async () => {
      const o = out<{
        authorization: string;
        request: { url: string; request_target: string; headers: Record<string, string> };
      }>(c);
      const request = await requestOf(c.input);
      // The request as our pipeline sends it is the one KS3's SDK sent, byte for byte.
      expect(request.url).toBe(o.request.url);
      expect(request.url.slice(originOf(c.input).origin.length)).toBe(o.request.request_target);
      const r = await signV4(configOf(c.input), request, credentialsOf(c.input));
      expect(r.canonicalRequest).toBe(o.canonical_request);
      expect(r.stringToSign).toBe(o.string_to_sign);
      expect(r.signature).toBe(o.signature);
      expect(r.request.headers.authorization).toBe(o.authorization);
      expect(r.request.url).toBe(o.request.url);
      const sent = Object.entries(o.request.headers)
        .map(([n, v]): [string, string] => [n.toLowerCase(), v])
        .filter(([n]) => !TRANSPORT.has(n));
      expect(r.request.headers).toEqual(Object.fromEntries(sent));
    });
  }
});

describe('presigned URLs', () => {
  for (const c of v4Cases.filter((x) => x.verifiable && x.input.mode === 'presign')) {
    test(c.id, async () => {
      const o = out<{ url: string; headers_client_must_send: Record<string, string> }>(c);
      const cfg = configOf(c.input);
      // 1. Given the base URL KS3's SDK used (its raw path), our URL is its URL, byte for byte.
      const base = o.url.slice(0, o.url.indexOf('?'));
      const q = urlOf(c.input).split('?')[1];
      const r = await signV4(cfg, await requestOf(c.input, q ? `${base}?${q}` : base), credentialsOf(c.input));
      expect(r.canonicalRequest).toBe(o.canonical_request);
      expect(r.stringToSign).toBe(o.string_to_sign);
      expect(r.signature).toBe(o.signature);
      expect(r.request.url).toBe(o.url);
      const mustSend = Object.entries(o.headers_client_must_send).filter(([n]) => n !== 'Host');
      expect(r.request.headers).toEqual(Object.fromEntries(mustSend.map(([n, v]) => [n.toLowerCase(), v])));
      // 2. The URL our pipeline builds (path encoded once, RFC 3986) signs the same and addresses
      //    the same key: only the path's spelling differs where the SDK left it raw.
      const ours = await signV4(cfg, await requestOf(c.input), credentialsOf(c.input));
      expect(ours.signature).toBe(o.signature);
      const path = (u: string) => decodeURIComponent(u.slice(0, u.indexOf('?')).replace(/^\w+:\/\/[^/]*/, ''));
      expect(path(ours.request.url)).toBe(path(o.url));
      expect(ours.request.url.slice(ours.request.url.indexOf('?'))).toBe(o.url.slice(o.url.indexOf('?')));
      expect(ours.request.url).not.toMatch(/[ \u0080-\uffff]/);
    });
  }
});

describe('share URLs (X-Kss-Policy / X-Amz-Policy)', () => {
  for (const c of v4Cases.filter((x) => x.verifiable && x.input.mode === 'share-url')) {
    test(c.id, async () => {
      const o = out<{ url: string; policy_base64: string }>(c);
      const i = c.input;
      const time = Date.parse(i.time);
      const r = await signPolicyV4(
        configOf(i),
        {
          credentials: credentialsOf(i),
          region: i.region,
          url: `${originOf(i).origin}/`,
          policy: i.policy!,
          time,
          expires: Math.floor(time / 1000) + i.expires!,
          query: queryOf(i),
        },
        credentialsOf(i),
      );
      expect(r.canonicalRequest).toBe(o.canonical_request);
      expect(r.stringToSign).toBe(o.string_to_sign);
      expect(r.signature).toBe(o.signature);
      expect(r.url).toBe(o.url);
      expect(r.url).toContain(encodeURIComponent(o.policy_base64));
    });
  }
});
