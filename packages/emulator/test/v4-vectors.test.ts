/**
 * Every verifiable V4 vector (KS3's own Go SDK signer, both namespaces, header / presigned /
 * share URL) replayed as a real request against an emulator configured with that case's key,
 * clock and region: accepted as sent, refused when one byte of the signature, a signed header,
 * the path or a query value changes.
 */
import { describe, expect, it } from 'vitest';
import { code, rawRequest } from './helpers/ks3.js';
import { emulatorFor, loadV4Cases, mutationsOf, replayOf, toRaw } from './helpers/v4-vectors.js';

const cases = loadV4Cases().filter((c) => c.verifiable);

/** Codes that mean "authentication refused"; an accepted request never gets one. */
const AUTH_ERRORS = new Set([
  'SignatureDoesNotMatch',
  'AccessDenied',
  'InvalidAccessKeyId',
  'AuthorizationHeaderMalformed',
  'AuthorizationQueryParametersError',
  'RequestTimeTooSkewed',
  'InvalidToken',
  'ExpiredToken',
  'XAmzContentSHA256Mismatch',
]);

/**
 * Accepted by authentication, then answered with this (non-authentication) error code. The
 * multi-delete vectors sign a made-up Content-MD5: V4 accepts the signature (the header is just
 * signed text), and only the batch delete's digest check refuses the body.
 */
const FAILS_AFTER_AUTH: Record<string, [code: string, why: string]> = {
  'h-kss4-06-put-upload-part': ['NoSuchUpload', 'the vector invents its upload id'],
  'h-kss4-07-post-complete-multipart': ['NoSuchUpload', 'the vector invents its upload id'],
  'p-kss4-13-upload-part': ['NoSuchUpload', 'the vector invents its upload id'],
  'h-kss4-11-post-multi-delete': ['BadDigest', 'the vector sends a made-up Content-MD5'],
  'h-aws-11-multi-delete': ['BadDigest', 'the vector sends a made-up Content-MD5'],
  'h-aws-04-acl-grant-allusers': ['MalformedACLError', 'x-kss-grant-* headers are not implemented: no ACL given'],
  'h-aws-05-ks3-only-header': ['CallbackTimeout', 'the upload callback to example.com cannot succeed offline'],
};

describe('V4 vectors replayed against the emulator', () => {
  it('has the vectors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(new Set(cases.map((c) => c.input.namespace))).toEqual(new Set(['KSS4', 'AWS4']));
    expect(new Set(cases.map((c) => c.input.mode))).toEqual(new Set(['header', 'presign', 'share-url']));
  });

  for (const c of cases) {
    it(`${c.id}: accepted as signed, refused with one byte changed`, async () => {
      const emu = await emulatorFor(c);
      try {
        const original = replayOf(c);
        const res = await rawRequest(emu.url, toRaw(original));
        const why = `${res.status} ${res.text}`;
        expect(AUTH_ERRORS.has(code(res) ?? ''), why).toBe(false);
        const after = FAILS_AFTER_AUTH[c.id];
        if (after) expect(code(res), `${after[1]}: ${why}`).toBe(after[0]);
        else expect(res.status, why).toBeLessThan(300);
        for (const m of mutationsOf(c)) {
          const bad = await rawRequest(emu.url, toRaw(m.request));
          const label = `${m.what}: ${bad.status} ${bad.text}`;
          if (original.method === 'HEAD') expect(bad.status, label).toBe(403);
          else expect([bad.status, code(bad)], label).toEqual([403, 'SignatureDoesNotMatch']);
        }
      } finally {
        await emu.close();
      }
    });
  }
});
