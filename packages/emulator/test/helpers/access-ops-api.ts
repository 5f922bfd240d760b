/**
 * The access matrix's operations beyond the reference protocol: the object API (batch delete,
 * versioning, tagging, restore, append, fetch, ListObjectsV2), the bucket configurations and
 * POST Object. Who may do what, decided from §2.8 (anonymous requests only read) and S3:
 * - bucket configurations, versioning and bucket tagging: the bucket owner only;
 * - ListObjectsV2: as List Objects (READ, anonymous too); ListObjectVersions: READ, signed only;
 * - object tags: readers of the object read them (signed only), bucket writers set them;
 * - batch delete, append, fetch, restore: bucket writers (restore also reads the object); a
 *   batch delete by a signed identity without WRITE is 200 with an AccessDenied entry per key;
 * - POST Object: a signed form acts as its key's identity (WRITE); anonymous forms are refused.
 */
import type { Ids, Op, Who } from './access-ops.js';
import { CREDS_OF } from './access-ops.js';
import { md5b64, type SignedRequest } from './ks3.js';
import { inAnHour, postForm, signedFields } from './post.js';

/** A valid body of every configuration sub-resource, by operation suffix. */
export const CONFIGS: { sub: string; name: string; body: (b: string) => string }[] = [
  {
    sub: 'cors',
    name: 'Cors',
    body: () =>
      '<CORSConfiguration><CORSRule><AllowedOrigin>https://app.test</AllowedOrigin>' +
      '<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
  },
  {
    sub: 'lifecycle',
    name: 'Lifecycle',
    body: () =>
      '<LifecycleConfiguration><Rule><ID>r</ID><Filter><Prefix>zzz/</Prefix></Filter><Status>Enabled</Status>' +
      '<Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>',
  },
  {
    sub: 'policy',
    name: 'Policy',
    // Denies something no operation here does, so it changes no other answer.
    body: (b) =>
      JSON.stringify({
        Statement: [
          { Effect: 'Deny', Principal: '*', Action: 'ks3:GetObject', Resource: `krn:ksc:ks3:::${b}/never-used` },
        ],
      }),
  },
  {
    sub: 'website',
    name: 'Website',
    body: () =>
      '<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>',
  },
  {
    sub: 'encryption',
    name: 'Encryption',
    body: () =>
      '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256' +
      '</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>',
  },
  {
    sub: 'crr',
    name: 'Replication',
    body: () =>
      '<Replication><DeleteMarkerStatus>Disabled</DeleteMarkerStatus><targetBucket>t-1</targetBucket></Replication>',
  },
  {
    sub: 'mirror',
    name: 'Mirror',
    body: () =>
      JSON.stringify({
        version: 'V3',
        use_default_robots: false,
        async_mirror_rule: { mirror_urls: ['https://origin.example.com'], saving_setting: { acl: 'private' } },
      }),
  },
];

/** A configuration PUT with its Content-MD5 (required for cors and lifecycle). */
export function putConfigRequest(b: string, sub: string, body: string): SignedRequest {
  return { method: 'PUT', bucket: b, key: '', query: sub, body, headers: { 'Content-MD5': md5b64(body) } };
}

const TAGGING = '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>';
const deleteDoc = (who: Who) => `<Delete><Object><Key>batch-${who}</Key></Object></Delete>`;

/** Objects and settings these operations need, made by the bucket owner before the matrix runs. */
export function setupRequests(b: string): SignedRequest[] {
  const list: SignedRequest[] = [
    { method: 'PUT', bucket: b, key: '', query: 'tagging', body: TAGGING },
    ...CONFIGS.map((c) => putConfigRequest(b, c.sub, c.body(b))),
  ];
  for (const who of ['owner', 'other', 'anonymous'] as Who[]) {
    list.push({ method: 'PUT', bucket: b, key: `batch-${who}`, body: 'b' });
    list.push({
      method: 'PUT',
      bucket: b,
      key: `cold-${who}`,
      body: 'c',
      headers: { 'x-kss-storage-class': 'ARCHIVE' },
    });
  }
  return list;
}

const bucketOnly = (name: string, ok: number, method: string, query: string, body?: string): Op => ({
  name,
  ok,
  allowed: (r) => r.owner,
  request: (b) => ({ method, bucket: b, key: '', query, body }),
});

const configOps: Op[] = CONFIGS.flatMap(({ sub, name, body }) => [
  bucketOnly(`GetBucket${name}`, 200, 'GET', sub),
  {
    name: `PutBucket${name}`,
    ok: sub === 'policy' ? 204 : 200,
    allowed: (r) => r.owner,
    request: (b) => putConfigRequest(b, sub, body(b)),
  },
  bucketOnly(`DeleteBucket${name}`, 204, 'DELETE', sub),
]);

/** A POST Object form: signed as the requester, or anonymous. */
function postObject(f: Parameters<NonNullable<Op['send']>>[0], b: string, who: Who) {
  const creds = CREDS_OF[who];
  const key = { name: 'key', value: `form-${who}` };
  const file = { name: 'file', value: 'form', filename: 'f.txt' };
  if (!creds) return postForm(f, b, [key, file]);
  const doc = { expiration: inAnHour(), conditions: [{ bucket: b }, ['starts-with', '$key', 'form-']] };
  return postForm(f, b, [key, ...signedFields(doc, creds), file]);
}

export const API_OPS: Op[] = [
  {
    name: 'ListObjectsV2',
    ok: 200,
    allowed: (r) => r.read,
    request: (b) => ({ method: 'GET', bucket: b, key: '', query: 'list-type=2' }),
  },
  {
    name: 'ListObjectVersions',
    ok: 200,
    allowed: (r) => r.read && r.signed,
    request: (b) => ({ method: 'GET', bucket: b, key: '', query: 'versions' }),
  },
  bucketOnly('GetBucketVersioning', 200, 'GET', 'versioning'),
  bucketOnly(
    'PutBucketVersioning',
    200,
    'PUT',
    'versioning',
    '<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>',
  ),
  bucketOnly('GetBucketTagging', 200, 'GET', 'tagging'),
  bucketOnly('PutBucketTagging', 200, 'PUT', 'tagging', TAGGING),
  bucketOnly('DeleteBucketTagging', 204, 'DELETE', 'tagging'),
  {
    name: 'GetObjectTagging',
    ok: 200,
    allowed: (r) => r.read && r.signed,
    request: (b) => ({ method: 'GET', bucket: b, key: 'obj', query: 'tagging' }),
  },
  {
    name: 'PutObjectTagging',
    ok: 200,
    allowed: (r) => r.write && r.read,
    request: (b) => ({ method: 'PUT', bucket: b, key: 'obj', query: 'tagging', body: TAGGING }),
  },
  {
    name: 'DeleteObjectTagging',
    ok: 204,
    allowed: (r) => r.write && r.read,
    request: (b) => ({ method: 'DELETE', bucket: b, key: 'obj', query: 'tagging' }),
  },
  {
    name: 'DeleteObjects',
    ok: 200,
    allowed: (r) => r.write,
    request: (b, who) => ({
      method: 'POST',
      bucket: b,
      key: '',
      query: 'delete',
      body: deleteDoc(who),
      headers: { 'Content-MD5': md5b64(deleteDoc(who)) },
    }),
    judge: (res) =>
      res.status === 200 && res.text.includes('<Deleted>')
        ? 'allowed'
        : (res.status === 200 || res.status === 403) && res.text.includes('<Code>AccessDenied</Code>')
          ? 'denied'
          : undefined,
  },
  {
    name: 'RestoreObject',
    ok: 202,
    allowed: (r) => r.write && r.read,
    request: (b, who) => ({ method: 'POST', bucket: b, key: `cold-${who}`, query: 'restore' }),
  },
  {
    name: 'AppendObject',
    ok: 200,
    allowed: (r) => r.write,
    request: (b, who) => ({ method: 'POST', bucket: b, key: `app-${who}`, query: 'append&position=0', body: 'a' }),
  },
  {
    name: 'FetchObject',
    ok: 200,
    allowed: (r) => r.write,
    request: (b, who, ids: Ids) => ({
      method: 'PUT',
      bucket: b,
      key: `fetched-${who}`,
      query: 'fetch',
      headers: { 'x-kss-sourceurl': encodeURIComponent(ids.source ?? '') },
    }),
  },
  { name: 'PostObject', ok: 204, allowed: (r) => r.write && r.signed, send: (f, b, who) => postObject(f, b, who) },
  ...configOps,
];
