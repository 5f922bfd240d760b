/**
 * Who may do what, as a whole matrix (§2.8 for anonymous requests, S3's ACL semantics where it is
 * silent): bucket owner / another signed identity / anonymous × private, public-read,
 * public-read-write, authenticated-read × every operation. The README's table says the same.
 */
import { describe, expect, it } from 'vitest';
import { bucketName, useEmulator, type Fixture } from './helpers/emulator.js';
import { CREDS, OTHER, type Creds, type SignedRequest, xml1 } from './helpers/ks3.js';

const ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read'] as const;
type Acl = (typeof ACLS)[number];
type Who = 'owner' | 'other' | 'anonymous';
const CREDS_OF: Record<Who, Creds | null> = { owner: CREDS, other: OTHER, anonymous: null };

/** What the requester may do in a bucket with this canned ACL (objects inherit its READ grants). */
function rights(who: Who, acl: Acl) {
  const read =
    who === 'owner' ||
    acl === 'public-read' ||
    acl === 'public-read-write' ||
    (acl === 'authenticated-read' && who === 'other');
  // §2.8: anonymous requests only ever read.
  const write = who === 'owner' || (acl === 'public-read-write' && who === 'other');
  return { read, write, owner: who === 'owner', signed: who !== 'anonymous' };
}

interface Op {
  name: string;
  ok: number;
  allowed: (r: ReturnType<typeof rights>) => boolean;
  request: (b: string, who: Who, ids: Record<string, string>) => SignedRequest;
}

const completeBody = (etag: string) =>
  `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;

const OPS: Op[] = [
  { name: 'ListBuckets', ok: 200, allowed: (r) => r.signed, request: () => ({ method: 'GET', bucket: '' }) },
  {
    name: 'CreateBucket',
    ok: 200,
    allowed: (r) => r.signed,
    request: () => ({ method: 'PUT', bucket: bucketName('new'), key: '' }),
  },
  // Authorized but not empty.
  {
    name: 'DeleteBucket',
    ok: 409,
    allowed: (r) => r.owner,
    request: (b) => ({ method: 'DELETE', bucket: b, key: '' }),
  },
  { name: 'HeadBucket', ok: 200, allowed: (r) => r.read, request: (b) => ({ method: 'HEAD', bucket: b, key: '' }) },
  { name: 'ListObjects', ok: 200, allowed: (r) => r.read, request: (b) => ({ method: 'GET', bucket: b, key: '' }) },
  {
    name: 'ListMultipartUploads',
    ok: 200,
    allowed: (r) => r.read && r.signed,
    request: (b) => ({ method: 'GET', bucket: b, key: '', query: 'uploads' }),
  },
  {
    name: 'GetBucketAcl',
    ok: 200,
    allowed: (r) => r.owner,
    request: (b) => ({ method: 'GET', bucket: b, key: '', query: 'acl' }),
  },
  {
    name: 'PutBucketAcl',
    ok: 200,
    allowed: (r) => r.owner,
    request: (b, _w, ids) => ({
      method: 'PUT',
      bucket: b,
      key: '',
      query: 'acl',
      headers: { 'x-kss-acl': ids.acl ?? '' },
    }),
  },
  {
    name: 'GetBucketLocation',
    ok: 200,
    allowed: (r) => r.owner,
    request: (b) => ({ method: 'GET', bucket: b, key: '', query: 'location' }),
  },
  {
    name: 'GetBucketLogging',
    ok: 200,
    allowed: (r) => r.owner,
    request: (b) => ({ method: 'GET', bucket: b, key: '', query: 'logging' }),
  },
  {
    name: 'PutBucketLogging',
    ok: 200,
    allowed: (r) => r.owner,
    request: (b) => ({ method: 'PUT', bucket: b, key: '', query: 'logging', body: '<BucketLoggingStatus/>' }),
  },
  { name: 'GetObject', ok: 200, allowed: (r) => r.read, request: (b) => ({ method: 'GET', bucket: b, key: 'obj' }) },
  { name: 'HeadObject', ok: 200, allowed: (r) => r.read, request: (b) => ({ method: 'HEAD', bucket: b, key: 'obj' }) },
  {
    name: 'PutObject',
    ok: 200,
    allowed: (r) => r.write,
    request: (b, who) => ({ method: 'PUT', bucket: b, key: `put-${who}`, body: 'x' }),
  },
  {
    name: 'DeleteObject',
    ok: 204,
    allowed: (r) => r.write,
    request: (b, who) => ({ method: 'DELETE', bucket: b, key: `del-${who}` }),
  },
  {
    name: 'CopyObject',
    ok: 200,
    allowed: (r) => r.write && r.read,
    request: (b, who) => ({
      method: 'PUT',
      bucket: b,
      key: `copy-${who}`,
      headers: { 'x-kss-copy-source': `/${b}/obj` },
    }),
  },
  {
    name: 'GetObjectAcl',
    ok: 200,
    allowed: (r) => r.owner,
    request: (b) => ({ method: 'GET', bucket: b, key: 'obj', query: 'acl' }),
  },
  {
    name: 'PutObjectAcl',
    ok: 200,
    allowed: (r) => r.owner,
    request: (b, who) => ({
      method: 'PUT',
      bucket: b,
      key: `del-${who}-acl`,
      query: 'acl',
      headers: { 'x-kss-acl': 'private' },
    }),
  },
  {
    name: 'InitiateMultipartUpload',
    ok: 200,
    allowed: (r) => r.write,
    request: (b, who) => ({ method: 'POST', bucket: b, key: `init-${who}`, query: 'uploads' }),
  },
  {
    name: 'UploadPart',
    ok: 200,
    allowed: (r) => r.write,
    request: (b, who, ids) => ({
      method: 'PUT',
      bucket: b,
      key: `mp-${who}`,
      query: `partNumber=2&uploadId=${ids[`mp-${who}`]}`,
      body: 'p',
    }),
  },
  {
    name: 'UploadPartCopy',
    ok: 200,
    allowed: (r) => r.write && r.read,
    request: (b, who, ids) => ({
      method: 'PUT',
      bucket: b,
      key: `mp-${who}`,
      query: `partNumber=3&uploadId=${ids[`mp-${who}`]}`,
      headers: { 'x-kss-copy-source': `/${b}/obj` },
    }),
  },
  // An upload in progress: listing its parts and aborting it are for its initiator or the bucket owner.
  {
    name: 'ListParts',
    ok: 200,
    allowed: (r) => r.owner,
    request: (b, who, ids) => ({ method: 'GET', bucket: b, key: `mp-${who}`, query: `uploadId=${ids[`mp-${who}`]}` }),
  },
  {
    name: 'CompleteMultipartUpload',
    ok: 200,
    allowed: (r) => r.write,
    request: (b, who, ids) => ({
      method: 'POST',
      bucket: b,
      key: `cmp-${who}`,
      query: `uploadId=${ids[`cmp-${who}`]}`,
      body: completeBody(ids[`cmp-${who}-etag`] ?? ''),
    }),
  },
  {
    name: 'AbortMultipartUpload',
    ok: 204,
    allowed: (r) => r.owner,
    request: (b, who, ids) => ({
      method: 'DELETE',
      bucket: b,
      key: `abt-${who}`,
      query: `uploadId=${ids[`abt-${who}`]}`,
    }),
  },
];

/** A bucket with `acl`, owned by CREDS, holding everything the operations above touch. */
async function prepare(f: Fixture, acl: Acl): Promise<{ bucket: string; ids: Record<string, string> }> {
  const bucket = bucketName(acl.slice(0, 10));
  const must = async (r: SignedRequest) => {
    const res = await f.send(r);
    if (res.status >= 300) throw new Error(`setup ${r.method} ${r.key} ${r.query ?? ''}: ${res.status} ${res.text}`);
    return res;
  };
  await must({ method: 'PUT', bucket, key: '', headers: { 'x-kss-acl': acl } });
  await must({ method: 'PUT', bucket, key: 'obj', body: 'object' });
  const ids: Record<string, string> = { acl };
  for (const who of ['owner', 'other', 'anonymous'] as Who[]) {
    await must({ method: 'PUT', bucket, key: `del-${who}`, body: 'd' });
    await must({ method: 'PUT', bucket, key: `del-${who}-acl`, body: 'a' });
    for (const prefix of ['mp', 'cmp', 'abt']) {
      const key = `${prefix}-${who}`;
      const init = await must({ method: 'POST', bucket, key, query: 'uploads' });
      const id = xml1(init.text, 'UploadId') ?? '';
      ids[key] = id;
      const part = await must({ method: 'PUT', bucket, key, query: `partNumber=1&uploadId=${id}`, body: 'part one' });
      ids[`${key}-etag`] = String(part.headers.etag);
    }
  }
  return { bucket, ids };
}

describe('access matrix: requester × bucket ACL × operation', () => {
  const f = useEmulator();

  it('covers every operation the emulator routes', async () => {
    const { OPERATIONS } = await import('../src/faults.js');
    expect(OPS.map((o) => o.name).sort()).toEqual([...OPERATIONS].sort());
  });

  for (const acl of ACLS) {
    it(`${acl} bucket`, async () => {
      const { bucket, ids } = await prepare(f, acl);
      const wrong: string[] = [];
      for (const who of ['owner', 'other', 'anonymous'] as Who[]) {
        for (const op of OPS) {
          const res = await f.send({ ...op.request(bucket, who, ids), creds: CREDS_OF[who] });
          const expected = op.allowed(rights(who, acl)) ? op.ok : 403;
          if (res.status !== expected)
            wrong.push(`${who} ${op.name}: ${res.status}, expected ${expected} ${res.text.slice(0, 120)}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
