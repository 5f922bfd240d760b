/** Bucket and object ACLs: get, and put as a canned ACL or a grant list (ks3-protocol.md §4.4, §4.14). */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { prepareBody } from '../request/body.js';
import { send } from '../request/send.js';
import { CANNED_ACLS, checkOneOf, type CannedAcl } from '../validate.js';
import { child, children, childText, escapeXml, parseXml } from '../xml.js';
import { discard, target, type BucketOptions } from './common.js';

/** KS3's group of everyone (anonymous users). */
export const ALL_USERS = 'http://acs.ksyun.com/groups/global/AllUsers';

export type Permission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
const PERMISSIONS: readonly Permission[] = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];

/** Who a grant is for. */
export type Grantee =
  | { type: 'CanonicalUser'; id: string; displayName?: string }
  | { type: 'Group'; uri: string }
  | { type: 'AmazonCustomerByEmail'; emailAddress: string };

export interface Grant {
  grantee: Grantee;
  permission: Permission;
}

/** An ACL: its owner and grants. */
export interface AccessControlPolicy {
  owner: { id: string; displayName?: string };
  grants: Grant[];
}

/** Options of the ACL operations; `key` selects an object ACL instead of the bucket's. */
export interface AclTarget extends BucketOptions {
  key?: string;
}

/** Options of {@link putAcl}: a canned ACL or a full policy. */
export type PutAclOptions = AclTarget &
  ({ acl: CannedAcl; policy?: never } | { policy: AccessControlPolicy; acl?: never });

/** Parses an `AccessControlPolicy` document. */
export function parseAcl(xml: string): AccessControlPolicy {
  const root = parseXml(xml);
  if (!root?.tagName.endsWith('AccessControlPolicy')) throw new TypeError('not an AccessControlPolicy document');
  const owner = child(root, 'Owner');
  const grants = children(child(root, 'AccessControlList'), 'Grant').map((g): Grant => {
    const e = child(g, 'Grantee');
    const type = e?.attributes['xsi:type'] ?? '';
    const grantee: Grantee =
      type === 'Group'
        ? { type, uri: childText(e, 'URI') ?? '' }
        : type === 'CanonicalUser'
          ? {
              type,
              id: childText(e, 'ID') ?? '',
              ...(childText(e, 'DisplayName') ? { displayName: childText(e, 'DisplayName')! } : {}),
            }
          : { type: 'AmazonCustomerByEmail', emailAddress: childText(e, 'EmailAddress') ?? '' };
    return { grantee, permission: (childText(g, 'Permission') ?? 'READ') as Permission };
  });
  return { owner: { id: childText(owner, 'ID') ?? '', displayName: childText(owner, 'DisplayName') ?? '' }, grants };
}

/** Writes an `AccessControlPolicy` document (the shape of §4.4, with `xsi:type` on grantees). */
export function buildAclXml(p: AccessControlPolicy, ctx: Ks3ErrorContext): string {
  if (!p || typeof p !== 'object' || !Array.isArray(p.grants) || !p.owner || typeof p.owner.id !== 'string') {
    throw new Ks3InputError('policy', 'must be { owner: { id }, grants: [...] }', ctx);
  }
  const x = escapeXml;
  const grants = p.grants.map((g) => {
    checkOneOf('permission', g?.permission, PERMISSIONS, ctx);
    const e = g.grantee;
    const inner =
      e?.type === 'CanonicalUser'
        ? `<ID>${x(e.id)}</ID>${e.displayName ? `<DisplayName>${x(e.displayName)}</DisplayName>` : ''}`
        : e?.type === 'Group'
          ? `<URI>${x(e.uri)}</URI>`
          : e?.type === 'AmazonCustomerByEmail'
            ? `<EmailAddress>${x(e.emailAddress)}</EmailAddress>`
            : (() => {
                throw new Ks3InputError(
                  'policy',
                  'grantee.type must be CanonicalUser, Group or AmazonCustomerByEmail',
                  ctx,
                );
              })();
    return `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${e.type}">${inner}</Grantee><Permission>${g.permission}</Permission></Grant>`;
  });
  const owner = `<ID>${x(p.owner.id)}</ID>${p.owner.displayName ? `<DisplayName>${x(p.owner.displayName)}</DisplayName>` : ''}`;
  return `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner>${owner}</Owner><AccessControlList>${grants.join('')}</AccessControlList></AccessControlPolicy>`;
}

/**
 * Reads the ACL of a bucket, or of an object when `key` is given.
 * @example const { grants } = await getAcl(client, { bucket: 'b', key: 'k' });
 */
export async function getAcl(client: Client, o: AclTarget): Promise<AccessControlPolicy> {
  const op = o.key === undefined ? 'GetBucketAcl' : 'GetObjectAcl';
  const ctx = target(op, o, o.key !== undefined);
  const res = await send(client, {
    op,
    method: 'GET',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['acl']],
    signal: o.signal,
    ok: (s) => s === 200,
  });
  return parseAcl(await res.text());
}

/**
 * Sets the ACL of a bucket (or object, with `key`): a canned ACL (`private`, `public-read`,
 * `public-read-write`, …) or a full grant list.
 * @throws {Ks3InputError} for an unknown canned ACL or a malformed policy.
 */
export async function putAcl(client: Client, o: PutAclOptions): Promise<void> {
  const op = o.key === undefined ? 'PutBucketAcl' : 'PutObjectAcl';
  const ctx = target(op, o, o.key !== undefined);
  if ((o.acl === undefined) === (o.policy === undefined))
    throw new Ks3InputError('acl', 'give exactly one of acl (canned) or policy (grants)', ctx);
  const spec =
    o.acl !== undefined
      ? { headers: { 'x-kss-acl': checkOneOf('acl', o.acl, CANNED_ACLS, ctx) } }
      : { headers: { 'content-type': 'application/xml' }, body: prepareBody(buildAclXml(o.policy!, ctx), ctx) };
  const res = await send(client, {
    op,
    method: 'PUT',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['acl']],
    signal: o.signal,
    ok: (s) => s === 200,
    ...spec,
  });
  await discard(res);
}

/** Reads a bucket's ACL. */
export const getBucketAcl = (client: Client, o: BucketOptions): Promise<AccessControlPolicy> =>
  getAcl(client, { bucket: o.bucket, ...(o.signal ? { signal: o.signal } : {}) });
/** Reads an object's ACL. */
export const getObjectAcl = (client: Client, o: BucketOptions & { key: string }): Promise<AccessControlPolicy> =>
  getAcl(client, o);
/** Sets a bucket's ACL (canned or grants). */
export const putBucketAcl = (client: Client, o: PutAclOptions & { key?: undefined }): Promise<void> =>
  putAcl(client, o);
/** Sets an object's ACL (canned or grants). */
export const putObjectAcl = (client: Client, o: PutAclOptions & { key: string }): Promise<void> => putAcl(client, o);
