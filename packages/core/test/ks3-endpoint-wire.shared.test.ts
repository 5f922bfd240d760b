/**
 * What a client for a KS3 endpoint name puts on the wire with no option but its keys: buckets in
 * the host name (virtual-hosted), V4 in KS3's namespace with the region inferred from the name.
 * Offline: a recording fetch answers instead of KS3. Runs in Node and Chromium.
 */
import { describe, expect, test } from 'vitest';
import { type ClientConfig, createClient, deleteObject, getObject, presignUrl, putObject } from '@ks3/core';

const KEYS = { accessKeyId: 'AKLTwireTest0001', secretAccessKey: 'wire/secret+0001' };

interface Sent {
  method: string;
  url: string;
  headers: Headers;
}

/** A fetch that records each request and answers it as KS3 would for these operations. */
function recordingFetch(): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const f: typeof fetch = async (input, init) => {
    const method = init?.method ?? 'GET';
    sent.push({ method, url: String(input), headers: new Headers(init?.headers) });
    if (init?.body instanceof ReadableStream) await new Response(init.body).arrayBuffer();
    const headers = { 'x-kss-request-id': 'req-1', etag: '"5d41402abc4b2a76b9719d911017c592"' };
    if (method === 'DELETE') return new Response(null, { status: 204, headers });
    if (method === 'GET') return new Response('hello', { status: 200, headers });
    return new Response(null, { status: 200, headers });
  };
  return { fetch: f, sent };
}

const signedBy = (s: Sent): string => s.headers.get('authorization')?.split(' ')[0] ?? '';
const scopeOf = (s: Sent): string | undefined =>
  /Credential=\w+\/\d{8}\/([^,]+),/.exec(s.headers.get('authorization')!)?.[1];

async function roundTrip(config: ClientConfig): Promise<Sent[]> {
  const rec = recordingFetch();
  const client = createClient({ ...config, ...KEYS, fetch: rec.fetch, retries: 0 });
  await putObject(client, { bucket: 'photos', key: 'a b/c.jpg', body: 'hello' });
  expect(await (await getObject(client, { bucket: 'photos', key: 'a b/c.jpg' })).text()).toBe('hello');
  await deleteObject(client, { bucket: 'photos', key: 'a b/c.jpg' });
  // An injected fetch may be probed once for stream bodies (OPTIONS): only the operations count.
  return rec.sent.filter((s) => s.method !== 'OPTIONS');
}

describe('a KS3 endpoint name, and nothing else', () => {
  test('addresses buckets virtual-hosted and signs V4 (KSS4) with the inferred region', async () => {
    const sent = await roundTrip({ endpoint: 'ks3-cn-beijing.ksyuncs.com' });
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'PUT https://photos.ks3-cn-beijing.ksyuncs.com/a%20b/c.jpg',
      'GET https://photos.ks3-cn-beijing.ksyuncs.com/a%20b/c.jpg',
      'DELETE https://photos.ks3-cn-beijing.ksyuncs.com/a%20b/c.jpg',
    ]);
    for (const s of sent) {
      expect(signedBy(s)).toBe('KSS4-HMAC-SHA256');
      expect(scopeOf(s)).toBe('BEIJING/ks3/kss4_request');
      expect(s.headers.get('x-kss-date')).toMatch(/^\d{8}T\d{6}Z$/);
      expect(s.headers.get('x-kss-content-sha256')).toMatch(/^([0-9a-f]{64}|UNSIGNED-PAYLOAD)$/);
    }
    // The in-memory body's SHA-256 is signed: sha256('hello').
    expect(sent[0]!.headers.get('x-kss-content-sha256')).toBe(
      '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    );
  });

  test('internal and other regions’ endpoints infer their own region', async () => {
    const shanghai = await roundTrip({ endpoint: 'ks3-cn-shanghai-internal.ksyuncs.com' });
    expect(new URL(shanghai[0]!.url).host).toBe('photos.ks3-cn-shanghai-internal.ksyuncs.com');
    expect(scopeOf(shanghai[0]!)).toBe('SHANGHAI/ks3/kss4_request');
    const hk = await roundTrip({ endpoint: 'https://ks3-cn-hk-1.ksyuncs.com', signatureNamespace: 'aws' });
    expect(signedBy(hk[0]!)).toBe('AWS4-HMAC-SHA256');
    expect(scopeOf(hk[0]!)).toBe('HONGKONG/s3/aws4_request');
    expect(hk[0]!.headers.get('x-amz-content-sha256')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a presigned URL is virtual-hosted V4 too', async () => {
    const client = createClient({ endpoint: 'ks3-cn-beijing.ksyuncs.com', ...KEYS });
    const { url } = await presignUrl(client, { bucket: 'photos', key: 'a b/c.jpg', expiresIn: 600 });
    const u = new URL(url);
    expect(`${u.origin}${u.pathname}`).toBe('https://photos.ks3-cn-beijing.ksyuncs.com/a%20b/c.jpg');
    expect(u.searchParams.get('X-Kss-Algorithm')).toBe('KSS4-HMAC-SHA256');
    expect(u.searchParams.get('X-Kss-Credential')).toMatch(/^AKLTwireTest0001\/\d{8}\/BEIJING\/ks3\/kss4_request$/);
    expect(u.searchParams.get('X-Kss-Expires')).toBe('600');
  });

  test('path style when asked for or for an IP endpoint; V2 when asked for', async () => {
    const path = await roundTrip({ endpoint: 'ks3-cn-beijing.ksyuncs.com', addressing: 'path' });
    expect(path[0]!.url).toBe('https://ks3-cn-beijing.ksyuncs.com/photos/a%20b/c.jpg');
    expect(scopeOf(path[0]!)).toBe('BEIJING/ks3/kss4_request');
    const ip = await roundTrip({ endpoint: 'http://127.0.0.1:8080', region: 'BEIJING' });
    expect(ip[0]!.url).toBe('http://127.0.0.1:8080/photos/a%20b/c.jpg');
    expect(signedBy(ip[0]!)).toBe('KSS4-HMAC-SHA256');
    const v2 = await roundTrip({ endpoint: 'ks3-cn-beijing.ksyuncs.com', signatureVersion: 'v2' });
    // V2 on a KS3 endpoint name is still virtual-hosted (KS3 names), signed `KSS AK:signature`.
    expect(new URL(v2[0]!.url).host).toBe('photos.ks3-cn-beijing.ksyuncs.com');
    expect(v2[0]!.headers.get('authorization')).toMatch(/^KSS AKLTwireTest0001:[A-Za-z0-9+/]{27}=$/);
  });
});
