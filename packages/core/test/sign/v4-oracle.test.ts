/**
 * Oracle (Node only): 1,000 seeded random requests signed by our V4 signer in the AWS namespace
 * and by AWS's own SigV4 signer (@smithy/signature-v4, which @aws-sdk/signature-v4 re-exports),
 * header-signed and presigned, must carry the same signature. Keys with spaces, unicode, `+ ~ * %`
 * and `//`; query parameters with and without values; x-amz-* and content-type headers with odd
 * whitespace; unsigned headers; security tokens.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, test } from 'vitest';
import type { QueryParam } from '@ks3/core';
import { encodePathV4, renderQueryV4 } from '@ks3/core/internal';
import type { Credentials, SignRequest } from '../../src/sign/types.js';
import { signV4, v4Config } from '../../src/sign/v4.js';

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Data): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : ArrayBuffer.isView(d)
      ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
      : new Uint8Array(d);

/** The hash class @smithy/signature-v4 wants, on node:crypto. */
class Sha256 {
  private readonly h;
  constructor(secret?: Data) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

/** mulberry32: a small seeded PRNG, so every run signs the same 1,000 requests. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = rng(0x5eed_4);
const int = (n: number): number => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const KEY_PARTS = [
  'a',
  'photos',
  '2026',
  ' ',
  'my file',
  '+',
  '~',
  '*',
  '%',
  '%20',
  '//',
  '/',
  '目录',
  '😀',
  'é',
  '(1)',
  "'",
  '!',
  '=',
  '&',
  '?',
  '#',
  ';',
  ',',
  '$',
  '@',
  ':',
];
const VALUE_PARTS = ['x', ' ', 'a b', '/', '+', '=', '&', '%', '~', '*', '中文', '🎉', "'", '(', ')', ';', ':'];
const HEADER_VALUES = [
  'private',
  'Alice   Smith',
  'a\tb',
  ' padded ',
  'x=1; y=2',
  'uri="http://acs.amazonaws.com/groups/global/AllUsers"',
  'REPLACE',
  '',
];
const string = (parts: readonly string[], max: number): string =>
  Array.from({ length: 1 + int(max) }, () => pick(parts)).join('');

interface Case {
  request: SignRequest;
  creds: Credentials;
  region: string;
  host: string;
  path: string;
  unsigned: string[];
}

function makeCase(n: number): Case {
  const time = Date.UTC(2000, 0, 1) + int(30 * 365) * 86_400_000 + int(86_400_000);
  const bucket = pick(['examplebucket', 'b-1', 'a.b.c']);
  const virtual = random() < 0.5;
  const key = random() < 0.1 ? undefined : string(KEY_PARTS, 6);
  const endpoint = pick(['ks3-cn-beijing.ksyuncs.com', 's3.amazonaws.com', '127.0.0.1:9000']);
  const host = `${virtual ? `${bucket}.` : ''}${endpoint}`;
  const path = encodePathV4(bucket, key, virtual);
  const query: QueryParam[] = [];
  const names = [
    'acl',
    'uploads',
    'prefix',
    'marker',
    'max-keys',
    'partNumber',
    'uploadId',
    'response-content-type',
    'a b',
    'x+y',
    '~t',
    'Z',
    '中',
  ];
  for (let q = int(5); q > 0; q--) query.push(random() < 0.3 ? [pick(names)] : [pick(names), string(VALUE_PARTS, 5)]);
  const headers: Record<string, string> = {};
  if (random() < 0.5)
    headers['content-type'] = pick(['text/plain', 'application/octet-stream', 'text/plain; charset=utf-8']);
  for (const h of [
    'x-amz-acl',
    'x-amz-meta-a',
    'x-amz-meta-odd-name',
    'x-amz-grant-read',
    'x-amz-copy-source',
    'x-kss-callbackurl',
  ])
    if (random() < 0.3) headers[h] = pick(HEADER_VALUES).trim();
  const unsigned = ['content-md5', 'range', 'cache-control', 'content-disposition', 'expires'].filter(
    () => random() < 0.3,
  );
  for (const h of unsigned) headers[h] = 'v1';
  const presign = n % 2 === 1;
  const payloadHash =
    presign || random() < 0.3 ? 'UNSIGNED-PAYLOAD' : createHash('sha256').update(String(n)).digest('hex');
  const q = renderQueryV4(query);
  return {
    request: {
      method: pick(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']),
      url: `https://${host}${path}${q ? `?${q}` : ''}`,
      query,
      headers,
      payloadHash,
      time,
      ...(presign ? { expires: Math.floor(time / 1000) + 1 + int(604_800) } : {}),
    },
    creds: {
      accessKeyId: pick(['AKLTexample01', 'AKIAIOSFODNN7EXAMPLE']),
      secretAccessKey: string(['k', 'S/', '+', '=', '9'], 20),
      ...(random() < 0.3 ? { securityToken: string(['t', '/', '+', '=', '0'], 30) } : {}),
    },
    region: pick(['BEIJING', 'us-east-1', 'SHANGHAI', 'cn-beijing-6']),
    host,
    // AWS signs the path as given (S3 sets uriEscapePath: false): give it the key encoded once.
    path: encodeURIComponent(`/${virtual ? '' : `${bucket}/`}${key ?? ''}`)
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%2F/g, '/'),
    unsigned,
  };
}

async function awsSignature(c: Case): Promise<{ signature: string; signedHeaders: string }> {
  const { request: r, creds } = c;
  const aws = new SignatureV4({
    service: 's3',
    region: c.region,
    sha256: Sha256,
    uriEscapePath: false,
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.securityToken,
    },
  });
  const query: Record<string, string | string[]> = {};
  for (const [n, v] of r.query) {
    const prev = query[n];
    query[n] = prev === undefined ? (v ?? '') : [...(Array.isArray(prev) ? prev : [prev]), v ?? ''];
  }
  const presign = r.expires !== undefined;
  const headers = { ...r.headers, host: c.host, ...(presign ? {} : { 'x-amz-content-sha256': r.payloadHash }) };
  const request = {
    method: r.method,
    protocol: 'https:',
    hostname: c.host,
    path: c.path,
    query,
    headers,
    body: presign ? {} : undefined, // a body AWS cannot hash: UNSIGNED-PAYLOAD
  };
  const signingDate = new Date(r.time);
  const unsignableHeaders = new Set(c.unsigned);
  if (presign) {
    const seconds = (r.expires as number) - Math.floor(r.time / 1000);
    const unhoistableHeaders = new Set(Object.keys(headers).filter((h) => h.startsWith('x-amz-')));
    const out = await aws.presign(request, { signingDate, expiresIn: seconds, unsignableHeaders, unhoistableHeaders });
    const q = out.query ?? {};
    return { signature: String(q['X-Amz-Signature']), signedHeaders: String(q['X-Amz-SignedHeaders']) };
  }
  const out = await aws.sign(request, { signingDate, unsignableHeaders });
  const auth = String(out.headers.authorization);
  return { signature: auth.split('Signature=')[1]!, signedHeaders: /SignedHeaders=([^,]*)/.exec(auth)![1]! };
}

describe('1,000 random requests sign as AWS SigV4 signs them (AWS namespace)', () => {
  test('header signing and presigning', async () => {
    const cases = Array.from({ length: 1000 }, (_, n) => makeCase(n));
    let presigned = 0;
    for (const c of cases) {
      const ours = await signV4(
        v4Config({ credentials: async () => c.creds, region: c.region, namespace: 'aws' }),
        c.request,
        c.creds,
      );
      const aws = await awsSignature(c);
      const where = `${c.request.method} ${c.request.url}`;
      expect(ours.signature, where).toBe(aws.signature);
      if (c.request.expires !== undefined) {
        presigned++;
        expect(ours.request.url, where).toContain(`X-Amz-SignedHeaders=${encodeURIComponent(aws.signedHeaders)}`);
        expect(ours.request.url, where).toContain(`X-Amz-Signature=${aws.signature}`);
      } else
        expect(ours.request.headers.authorization, where).toContain(
          `SignedHeaders=${aws.signedHeaders}, Signature=${aws.signature}`,
        );
    }
    expect(presigned).toBe(500);
  });
});
