/**
 * Small operations: request signatures and presigned URLs per second (V2 and V4) against the bare
 * HMAC primitives, with node:crypto behind the signers' seam (as the client of @ks3/node signs)
 * and with WebCrypto (as browsers sign); and parsing a 1,000-key ListBucketResult page with the
 * SDK's XML layer against fast-xml-parser.
 */
import { createHash, createHmac, webcrypto } from 'node:crypto';
import { createV2Signer, createV4Signer } from '@ks3/core';
import { parseListObjects, parseXml } from '@ks3/core/internal';
import { createClient, nodeHmac, nodeSha256, presignUrl } from '@ks3/node';
import { XMLParser } from 'fast-xml-parser';
import { compare, opsPerSecond } from '../lib/measure.mjs';

const SECRET = 'bench-secret-access-key-0123456789abcdef';
// A typical string to sign (about 200 bytes): a PUT with a content type and two x-kss headers.
const STS =
  'PUT\n\napplication/octet-stream\nTue, 24 Nov 2026 00:00:00 GMT\nx-kss-acl:private\nx-kss-meta-owner:benchmarks\n/bench-bucket/photos/2026/11/24/IMG_0001-benchmark-object-with-a-longer-name.jpg';

// The same PUT as the pipeline hands a signer (V2 signs the string above from it).
const V2_REQUEST = {
  method: 'PUT',
  url: 'http://ks3-cn-beijing.ksyuncs.com/bench-bucket/photos/2026/11/24/IMG_0001-benchmark-object-with-a-longer-name.jpg',
  bucket: 'bench-bucket',
  key: 'photos/2026/11/24/IMG_0001-benchmark-object-with-a-longer-name.jpg',
  query: [],
  headers: {
    'content-type': 'application/octet-stream',
    date: 'Tue, 24 Nov 2026 00:00:00 GMT',
    'x-kss-acl': 'private',
    'x-kss-meta-owner': 'benchmarks',
  },
  payloadHash: 'UNSIGNED-PAYLOAD',
  time: Date.UTC(2026, 10, 24),
};

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
 * V4 header signing and presigning per second against one raw HMAC-SHA256 (a V4 signature is
 * one SHA-256 and one HMAC over the canonical request, plus building it).
 */
async function v4Rows(report) {
  const enc = new TextEncoder();
  const credentials = async () => ({ accessKeyId: 'AK', secretAccessKey: SECRET });
  const node = createV4Signer({ credentials, region: 'BEIJING', hmac: nodeHmac, sha256: nodeSha256 });
  const web = createV4Signer({ credentials, region: 'BEIJING' });
  const presign = { ...V4_REQUEST, method: 'GET', expires: V4_REQUEST.time / 1000 + 3600 };
  const key = await webcrypto.subtle.importKey('raw', enc.encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const signingKey = createHmac('sha256', SECRET).update('x').digest();
  const client = createClient({ endpoint: 'ks3-cn-beijing.ksyuncs.com', accessKeyId: 'AK', secretAccessKey: SECRET });
  const r = await compare({
    sign: () => opsPerSecond(() => node(V4_REQUEST)),
    presign: () => opsPerSecond(() => node(presign)),
    presignUrl: () =>
      opsPerSecond(() =>
        presignUrl(client, { bucket: 'bench-bucket', key: 'photos/2026/11/24/IMG_0001.jpg', expiresIn: 3600 }),
      ),
    web: () => opsPerSecond(() => web(V4_REQUEST)),
    node: () =>
      opsPerSecond(async () =>
        createHmac('sha256', signingKey).update(createHash('sha256').update(V4_STS).digest('hex')).digest('hex'),
      ),
    subtle: () => opsPerSecond(() => webcrypto.subtle.sign('HMAC', key, enc.encode(V4_STS))),
  });
  const nodeName = "node:crypto SHA-256 + HMAC-SHA256 (a signature's crypto alone)";
  report.row({ figure: 'V4 signatures/s ↑', ours: r.sign, baseline: r.node, baselineName: nodeName });
  report.row({
    figure: 'V4 presigned URLs/s (the signer) ↑',
    ours: r.presign,
    baseline: r.node,
    baselineName: nodeName,
  });
  report.row({
    figure: 'V4 presigned URLs/s (`presignUrl` of the @ks3/node client) ↑',
    ours: r.presignUrl,
    baseline: r.node,
    baselineName: nodeName,
  });
  report.row({
    figure: 'V4 signatures/s ↑, ours with WebCrypto (as in browsers)',
    ours: r.web,
    baseline: r.subtle,
    baselineName: '`crypto.subtle.sign` HMAC-SHA256, cached key',
  });
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
  report.section(
    'Small operations',
    'Operations per second (one at a time, each awaited), higher is better. "ours" signs as the client of @ks3/node does (node:crypto HMAC behind the signers\' seam); the WebCrypto rows sign as browsers do.',
  );
  const credentials = async () => ({ accessKeyId: 'AK', secretAccessKey: SECRET });
  const node = createV2Signer({ credentials, hmac: nodeHmac });
  const web = createV2Signer({ credentials });
  const enc = new TextEncoder();
  const key = await webcrypto.subtle.importKey('raw', enc.encode(SECRET), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  const subtleSign = async () =>
    Buffer.from(await webcrypto.subtle.sign('HMAC', key, enc.encode(STS))).toString('base64');
  const nodeSign = async () => createHmac('sha1', SECRET).update(STS).digest('base64');
  const r = await compare({
    sign: () => opsPerSecond(() => node(V2_REQUEST)),
    web: () => opsPerSecond(() => web(V2_REQUEST)),
    subtle: () => opsPerSecond(subtleSign),
    node: () => opsPerSecond(nodeSign),
  });
  report.row({ figure: 'V2 signatures/s ↑', ours: r.sign, baseline: r.node, baselineName: 'node:crypto `createHmac`' });
  report.row({
    figure: 'V2 signatures/s ↑, ours with WebCrypto (as in browsers)',
    ours: r.web,
    baseline: r.subtle,
    baselineName: '`crypto.subtle.sign`, cached key',
  });
  await v4Rows(report);

  const xml = listingXml();
  const parser = new XMLParser();
  const x = await compare({
    // What listObjects does with a response body: parse the XML, then read the listing.
    ours: () => opsPerSecond(() => parseListObjects(parseXml(xml)), 500),
    peer: () => opsPerSecond(() => parser.parse(xml), 500),
  });
  report.row({
    figure: 'parse a 1,000-key ListBucketResult page, pages/s ↑',
    ours: x.ours,
    baseline: x.peer,
    baselineName: 'fast-xml-parser (default options, untyped tree)',
  });
}
