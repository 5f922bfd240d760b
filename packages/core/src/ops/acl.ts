/** Bucket and object ACLs: get, and put as a canned ACL or a grant list (ks3-protocol.md §4.4, §4.14). */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { prepareBody } from '../request/body.js';
import { mergeHeaders } from '../request/headers.js';
import { send } from '../request/send.js';
import type { QueryParam } from '../sign/subresources.js';
import { CANNED_ACLS, type CannedAcl, checkOneOf } from '../validate.js';
import { child, children, childText, escapeXml, type XmlNode } from '../xml.js';
import {
  type BucketOptions,
  type CallOptions,
  type Ks3Result,
  type ObjectOptions,
  type Target,
  target,
} from './common.js';
import { parseDocument } from './document.js';
import { versionQuery } from './get-object.js';

/** KS3's group of everyone (anonymous users). */
export const ALL_USERS = 'http://acs.ksyun.com/groups/global/AllUsers';

/** What a grant allows (KS3 ACL permissions). */
export type Permission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
const PERMISSIONS: readonly Permission[] = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];

/** Who a grant is for. */
export type Grantee =
  | { type: 'CanonicalUser'; id: string; displayName?: string }
  | { type: 'Group'; uri: string }
  | { type: 'AmazonCustomerByEmail'; emailAddress: string };

/** One entry of an ACL: a grantee and its permission. */
export interface Grant {
  grantee: Grantee;
  permission: Permission;
}

/** An ACL: its owner and grants. */
export interface AccessControlPolicy {
  owner: { id: string; displayName?: string };
  grants: Grant[];
}

/** Options of {@link getBucketAcl}. */
export type GetBucketAclOptions = BucketOptions;
/** Options of {@link getObjectAcl}. */
export interface GetObjectAclOptions extends ObjectOptions {
  versionId?: string | undefined;
}
/** What the ACL getters return. */
export interface GetAclResult extends AccessControlPolicy, Ks3Result {}

/** The one way to give an ACL: a canned name, or a full policy with grants. */
export type Acl = CannedAcl | AccessControlPolicy;
/** Options of {@link putBucketAcl}. */
export interface PutBucketAclOptions extends BucketOptions {
  acl: Acl;
}
/** Options of {@link putObjectAcl}. */
export interface PutObjectAclOptions extends ObjectOptions {
  acl: Acl;
  versionId?: string | undefined;
}

/** Parses an `AccessControlPolicy` root element. */
export function parseAcl(root: XmlNode): AccessControlPolicy {
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
    throw new Ks3InputError('acl', 'must be a canned ACL name or { owner: { id }, grants: [...] }', ctx);
  }
  const x = escapeXml;
  const grants = p.grants.map((g) => {
    checkOneOf('permission', g?.permission, PERMISSIONS, ctx);
    const e = g.grantee;
    let inner: string;
    if (e?.type === 'CanonicalUser') {
      inner = `<ID>${x(e.id)}</ID>${e.displayName ? `<DisplayName>${x(e.displayName)}</DisplayName>` : ''}`;
    } else if (e?.type === 'Group') inner = `<URI>${x(e.uri)}</URI>`;
    else if (e?.type === 'AmazonCustomerByEmail') inner = `<EmailAddress>${x(e.emailAddress)}</EmailAddress>`;
    else throw new Ks3InputError('acl', 'grantee.type must be CanonicalUser, Group or AmazonCustomerByEmail', ctx);
    const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
    return `<Grant><Grantee ${xsi} xsi:type="${e.type}">${inner}</Grantee><Permission>${g.permission}</Permission></Grant>`;
  });
  const owner = `<ID>${x(p.owner.id)}</ID>${p.owner.displayName ? `<DisplayName>${x(p.owner.displayName)}</DisplayName>` : ''}`;
  return `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner>${owner}</Owner><AccessControlList>${grants.join('')}</AccessControlList></AccessControlPolicy>`;
}

async function getAcl(
  client: Client,
  op: string,
  ctx: Target,
  o: CallOptions,
  query: QueryParam[],
): Promise<GetAclResult> {
  const res = await send(client, {
    op,
    method: 'GET',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['acl'], ...query],
    headers: o.headers,
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
  });
  return { ...parseAcl(await parseDocument(res, 'AccessControlPolicy', ctx)), requestId: res.requestId };
}

async function putAcl(client: Client, op: string, ctx: Target, o: CallOptions & { acl: Acl }, query: QueryParam[]) {
  const acl = o.acl;
  if (acl === undefined) throw new Ks3InputError('acl', 'is required: a canned ACL name or a policy with grants', ctx);
  const spec =
    typeof acl === 'string'
      ? { headers: mergeHeaders({ 'x-kss-acl': checkOneOf('acl', acl, CANNED_ACLS, ctx) }, o.headers, ctx) }
      : {
          headers: mergeHeaders({ 'content-type': 'application/xml' }, o.headers, ctx),
          body: prepareBody(buildAclXml(acl, ctx), ctx),
        };
  const res = await send(client, {
    op,
    method: 'PUT',
    bucket: ctx.bucket,
    key: ctx.key,
    query: [['acl'], ...query],
    signal: o.signal,
    ok: (s) => s === 200,
    read: 'text',
    ...spec,
  });
  return { requestId: res.requestId };
}

/**
 * Reads a bucket's ACL.
 * @example const { grants } = await getBucketAcl(client, { bucket: 'b' });
 */
export function getBucketAcl(client: Client, o: GetBucketAclOptions): Promise<GetAclResult> {
  return getAcl(client, 'GetBucketAcl', target('GetBucketAcl', client, o, false), o, []);
}

/** Reads an object's ACL (of a version, with `versionId`). */
export function getObjectAcl(client: Client, o: GetObjectAclOptions): Promise<GetAclResult> {
  const ctx = target('GetObjectAcl', client, o, true);
  return getAcl(client, 'GetObjectAcl', ctx, o, versionQuery(o.versionId, ctx));
}

/**
 * Sets a bucket's ACL: a canned ACL (`private`, `public-read`, `public-read-write`, …) or a
 * full policy with grants.
 * @throws {Ks3InputError} for an unknown canned ACL or a malformed policy.
 */
export function putBucketAcl(client: Client, o: PutBucketAclOptions): Promise<Ks3Result> {
  return putAcl(client, 'PutBucketAcl', target('PutBucketAcl', client, o, false), o, []);
}

/** Sets an object's ACL (of a version, with `versionId`): canned or a policy with grants. */
export function putObjectAcl(client: Client, o: PutObjectAclOptions): Promise<Ks3Result> {
  const ctx = target('PutObjectAcl', client, o, true);
  return putAcl(client, 'PutObjectAcl', ctx, o, versionQuery(o.versionId, ctx));
}
