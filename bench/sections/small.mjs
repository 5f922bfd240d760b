/**
 * Small operations: request signatures and presigned URLs per second (V2 and V4) against the bare
 * HMAC primitives (WebCrypto with a cached key, node:crypto), and parsing a 1,000-key
 * ListBucketResult page with the SDK's XML layer against fast-xml-parser.
 */
import { createHmac, webcrypto } from 'node:crypto';
import { createClient, createHmacSigner, createV4Signer, parseListObjects, presignUrl } from '@ks3/core';
import { XMLParser } from 'fast-xml-parser';
import { compare, opsPerSecond } from '../lib/measure.mjs';

const SECRET = 'bench-secret-access-key-0123456789abcdef';
// A typical string to sign (about 200 bytes): a PUT with a content type and two x-kss headers.
const STS =
  'PUT\n\napplication/octet-stream\nTue, 24 Nov 2026 00:00:00 GMT\nx-kss-acl:private\nx-kss-meta-owner:benchmarks\n/bench-bucket/photos/2026/11/24/IMG_0001-benchmark-object-with-a-longer-name.jpg';

// The same PUT for V4: the request the pipeline hands the signer, and a string to sign of V4's size.
const V4_KEY = 'photos/2026/11/24/IMG_0001-benchmark-object-with-a-longer-name.jpg';
const V4_REQUEST = {
  method: 'PUT',
  url: `https://bench-bucket.ks3-cn-beijing.ksyuncs.com/${V4_KEY}`,
  query: [],
  headers: { 'content-type': 'application/octet-stream', 'x-kss-acl': 'private', 'x-kss-meta-owner': 'benchmarks' },
  payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  time: Date.UTC(2026, 10, 24),
};
const V4_STS = `KSS4-HMAC-SHA256\n20261124T000000Z\n20261124/BEIJING/ks3/kss4_request\n${'5cdc7a66'.repeat(8)}`;

/**
 * V4 header signing and presigning per second against one raw HMAC-SHA256 with a cached key (a
 * V4 signature is one SHA-256 and one HMAC over the canonical request, plus building it).
 */
async function v4Rows(report) {
  const enc = new TextEncoder();
  const sign = createV4Signer({
    credentials: async () => ({ accessKeyId: 'AK', secretAccessKey: SECRET }),
    region: 'BEIJING',
  });
  const presign = { ...V4_REQUEST, method: 'GET', expires: V4_REQUEST.time / 1000 + 3600 };
  const key = await webcrypto.subtle.importKey('raw', enc.encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const r = await compare({
    sign: () => opsPerSecond(() => sign(V4_REQUEST)),
    presign: () => opsPerSecond(() => sign(presign)),
    subtle: () => opsPerSecond(() => webcrypto.subtle.sign('HMAC', key, enc.encode(V4_STS))),
  });
  const baselineName = '`crypto.subtle.sign` HMAC-SHA256, cached key';
  report.row({ figure: 'V4 signatures/s ↑', ours: r.sign, baseline: r.subtle, baselineName });
  report.row({ figure: 'V4 presigned URLs/s ↑', ours: r.presign, baseline: r.subtle, baselineName });
}

/** A ListBucketResult page of 1,000 keys in KS3's format. */
export function listingXml(n = 1000) {
  const items = Array.from(
    { length: n },
    (_, i) =>
      `<Contents><Key>photos/2026/${String(i).padStart(5, '0')}-a&amp;b.jpg</Key><LastModified>2026-11-24T00:00:00.000Z</LastModified><ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag><Size>${1000 + i}</Size><Owner><ID>1234567890</ID><DisplayName>bench</DisplayName></Owner><StorageClass>STANDARD</StorageClass></Contents>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bench-bucket</Name><Prefix>photos/</Prefix><Marker></Marker><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>${items.join('')}</ListBucketResult>`;
}

export default async function small(report) {
  report.section('Small operations', 'Operations per second (one at a time, each awaited), higher is better.');
  const signer = createHmacSigner({ accessKeyId: 'AK', secretAccessKey: SECRET });
  const client = createClient({ endpoint: 'ks3-cn-beijing.ksyuncs.com', accessKeyId: 'AK', secretAccessKey: SECRET });
  const enc = new TextEncoder();
  const key = await webcrypto.subtle.importKey('raw', enc.encode(SECRET), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  const subtleSign = async () =>
    Buffer.from(await webcrypto.subtle.sign('HMAC', key, enc.encode(STS))).toString('base64');
  const nodeSign = () => createHmac('sha1', SECRET).update(STS).digest('base64');
  const r = await compare({
    sign: () => opsPerSecond(() => signer(STS)),
    presign: () =>
      opsPerSecond(() =>
        presignUrl(client, { bucket: 'bench-bucket', key: 'photos/2026/11/24/IMG_0001.jpg', expiresIn: 3600 }),
      ),
    subtle: () => opsPerSecond(subtleSign),
    node: () => opsPerSecond(nodeSign),
  });
  report.row({
    figure: 'signatures/s ↑',
    ours: r.sign,
    baseline: r.subtle,
    baselineName: '`crypto.subtle.sign`, cached key',
  });
  report.row({ figure: 'signatures/s ↑', ours: r.sign, baseline: r.node, baselineName: 'node:crypto `createHmac`' });
  report.row({
    figure: 'presigned URLs/s ↑',
    ours: r.presign,
    baseline: r.subtle,
    baselineName: '`crypto.subtle.sign`, cached key',
  });
  report.row({
    figure: 'presigned URLs/s ↑',
    ours: r.presign,
    baseline: r.node,
    baselineName: 'node:crypto `createHmac`',
  });
  await v4Rows(report);

  const xml = listingXml();
  const parser = new XMLParser();
  const x = await compare({
    ours: () => opsPerSecond(() => parseListObjects(xml), 500),
    peer: () => opsPerSecond(() => parser.parse(xml), 500),
  });
  report.row({
    figure: 'parse a 1,000-key ListBucketResult page, pages/s ↑',
    ours: x.ours,
    baseline: x.peer,
    baselineName: 'fast-xml-parser (default options, untyped tree)',
  });
}
