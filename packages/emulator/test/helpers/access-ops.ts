/**
 * The access matrix's operations (test/access-matrix.test.ts): who may do what for the
 * operations of the reference protocol (§4). access-ops-api.ts adds the object API, bucket
 * configurations and POST Object.
 */
import type { Fixture } from './emulator.js';
import { bucketName } from './emulator.js';
import { CREDS, OTHER, type Creds, type Res, type SignedRequest } from './ks3.js';

export const ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read'] as const;
export type Acl = (typeof ACLS)[number];
export type Who = 'owner' | 'other' | 'anonymous';
export const CREDS_OF: Record<Who, Creds | null> = { owner: CREDS, other: OTHER, anonymous: null };

/** What the requester may do in a bucket with this canned ACL (objects inherit its READ grants). */
export function rights(who: Who, acl: Acl) {
  const read =
    who === 'owner' ||
    acl === 'public-read' ||
    acl === 'public-read-write' ||
    (acl === 'authenticated-read' && who === 'other');
  // §2.8: anonymous requests only ever read.
  const write = who === 'owner' || (acl === 'public-read-write' && who === 'other');
  return { read, write, owner: who === 'owner', signed: who !== 'anonymous' };
}

export type Rights = ReturnType<typeof rights>;
/** What `prepare` made for the operations: upload ids, ETags, the fetch source, ... */
export type Ids = Record<string, string>;

export interface Op {
  /** the operation name (faults.js OPERATIONS) */
  name: string;
  /** the status of an allowed request */
  ok: number;
  allowed: (r: Rights) => boolean;
  /** a signed request (signed as the requester by the matrix) */
  request?: (b: string, who: Who, ids: Ids) => SignedRequest;
  /** or a request sent another way (POST Object forms) */
  send?: (f: Fixture, b: string, who: Who, ids: Ids) => Promise<Res>;
  /** allowed / denied from the answer when the status alone does not say (batch delete) */
  judge?: (res: Res) => 'allowed' | 'denied' | undefined;
}

const completeBody = (etag: string) =>
  `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;

export const BASE_OPS: Op[] = [
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
