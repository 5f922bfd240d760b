/**
 * checkCors names what a bucket's CORS rules lack for a page: rules judged as KS3 applies them
 * (first rule matching origin and method answers; preflights also need every request header
 * covered; only exposed headers are readable), then against the emulator with rules set through
 * putBucketCors, for a V4 client with temporary credentials and an encrypting one.
 */
import { describe, expect, inject, test } from 'vitest';
import {
  type CorsRule,
  type Credentials,
  checkCors,
  checkCorsRules,
  createBucket,
  createClient,
  deleteBucket,
  putBucketCors,
  sdkRequestHeaders,
} from '@ks3/core';
import { emulatorAdmin } from '../../../internal/test-utils/emulator-admin.js';

const ORIGIN = 'https://app.example.com';
const v4 = { signatureVersion: 'v4' as const, signatureNamespace: 'kss' as const };
const sdk = (m: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE') => sdkRequestHeaders(v4, m, { securityToken: true });
const complete: CorsRule = {
  allowedOrigins: ['https://*.example.com'],
  allowedMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
  allowedHeaders: ['authorization', 'content-type', 'content-md5', 'x-kss-*'],
  exposeHeaders: ['ETag', 'x-kss-request-id'],
};
const noToken: CorsRule = {
  ...complete,
  allowedHeaders: ['authorization', 'content-type', 'content-md5', 'x-kss-date', 'x-kss-content-sha256'],
};
const kinds = (rules: CorsRule[], extra = {}) =>
  checkCorsRules(rules, { origin: ORIGIN, ...extra }, sdk).map((p) => `${p.method ?? '-'} ${p.kind} ${p.missing}`);

describe('checkCorsRules', () => {
  test('a complete rule (wildcards included) lacks nothing', () => {
    expect(kinds([complete])).toEqual([]);
  });

  test('names a missing origin, method, request header and exposed header', () => {
    expect(kinds([{ ...complete, allowedOrigins: ['https://other.test'] }])).toEqual([`- origin ${ORIGIN}`]);
    expect(kinds([{ ...complete, allowedMethods: ['GET', 'PUT'] }])).toEqual([
      'POST method POST',
      'DELETE method DELETE',
      'HEAD method HEAD',
    ]);
    expect(kinds([noToken], { methods: ['GET'] })).toEqual(['GET headers x-kss-security-token']);
    expect(kinds([{ ...complete, exposeHeaders: ['x-kss-request-id'] }], { methods: ['PUT'] })).toEqual([
      'PUT expose etag',
    ]);
    const [p] = checkCorsRules([{ ...complete, exposeHeaders: [] }], { origin: ORIGIN, methods: ['PUT'] }, sdk);
    expect(p!.message).toContain('<ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-kss-request-id</ExposeHeader>');
  });

  test('the first rule matching origin and method decides what is exposed', () => {
    const hiding: CorsRule = { allowedOrigins: [ORIGIN], allowedMethods: ['GET'], allowedHeaders: ['*'] };
    expect(kinds([hiding, complete], { methods: ['GET'] })).toEqual(['GET expose etag,x-kss-request-id']);
    expect(kinds([complete, hiding], { methods: ['GET'] })).toEqual([]);
  });

  test('encryption needs the metadata exposed to reads and allowed on uploads', () => {
    const enc = (m: 'GET' | 'PUT' | 'HEAD' | 'POST' | 'DELETE') => sdkRequestHeaders(v4, m, { encryption: true });
    expect(enc('PUT')).toContain('x-kss-meta-iv');
    const found = checkCorsRules([complete], { origin: ORIGIN, methods: ['GET', 'PUT'], encryption: true }, enc);
    expect(found.map((p) => `${p.method} ${p.kind}`)).toEqual(['GET expose']);
    expect(found[0]!.missing).toEqual([
      'x-kss-meta-key',
      'x-kss-meta-iv',
      'x-kss-meta-unencrypted-content-length',
      'x-kss-meta-unencrypted-content-md5',
    ]);
  });

  test('the AWS namespace sends x-amz-* headers; V2 sends no payload hash', () => {
    expect(sdkRequestHeaders({ signatureVersion: 'v4', signatureNamespace: 'aws' }, 'GET')).toEqual([
      'authorization',
      'x-amz-date',
      'x-amz-content-sha256',
    ]);
    expect(sdkRequestHeaders({ signatureVersion: 'v2', signatureNamespace: 'kss' }, 'DELETE')).toEqual([
      'authorization',
      'x-kss-date',
    ]);
  });
});

describe('checkCors against the emulator', () => {
  const { endpoint, accessKeyId, secretAccessKey } = inject('ks3');

  test('no configuration, then a rule that lacks the token header and ETag, then a complete one', async () => {
    const owner = createClient({ endpoint, region: 'BEIJING', accessKeyId, secretAccessKey });
    const bucket = `cors-check-${Math.random().toString(36).slice(2, 9)}`;
    await createBucket(owner, { bucket });
    try {
      const none = await checkCors(owner, { bucket, origin: ORIGIN });
      expect(none.ok).toBe(false);
      expect(none.problems[0]!.message).toContain('has no CORS configuration');
      await putBucketCors(owner, {
        bucket,
        rules: [{ allowedOrigins: [ORIGIN], allowedMethods: ['GET', 'PUT'], allowedHeaders: noToken.allowedHeaders }],
      });
      // Temporary credentials (a session of the owner): the client will send x-kss-security-token.
      const session = (await emulatorAdmin(endpoint, 'sessions', { durationSeconds: 300 })) as Credentials;
      const temp = createClient({ endpoint, region: 'BEIJING', credentials: session });
      const lacking = await checkCors(temp, { bucket, origin: ORIGIN, methods: ['GET', 'PUT'] });
      expect(lacking.ok).toBe(false);
      expect((await checkCors(owner, { bucket, origin: ORIGIN, methods: ['GET', 'PUT'] })).problems).toHaveLength(2);
      expect(lacking.problems.map((p) => `${p.method} ${p.kind} ${p.missing}`)).toEqual([
        'GET headers x-kss-security-token',
        'GET expose etag,x-kss-request-id',
        'PUT headers x-kss-security-token',
        'PUT expose etag,x-kss-request-id',
      ]);
      await putBucketCors(owner, { bucket, rules: [{ ...complete, allowedOrigins: [ORIGIN] }] });
      const enc = createClient({
        endpoint,
        region: 'BEIJING',
        accessKeyId,
        secretAccessKey,
        encryption: { key: 'k'.repeat(16) },
      });
      const r2 = await checkCors(enc, { bucket, origin: ORIGIN });
      expect(r2.problems.map((p) => `${p.method} ${p.kind}`)).toEqual(['GET expose', 'HEAD expose']);
      expect((await checkCors(enc, { bucket, origin: ORIGIN, encryption: false })).ok).toBe(true);
    } finally {
      await deleteBucket(owner, { bucket });
    }
  });
});
