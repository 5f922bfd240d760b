// @ts-check
/**
 * Access control lists (§4.4, §2.8): canned ACLs, the AccessControlPolicy XML both ways, and
 * the grant check used for anonymous and non-owner requests.
 */
import { Ks3Error } from './errors.js';
import { XSI_NS, S3NS, el, principal, text } from './xml.js';
import { XmlSyntaxError, childText, childrenNamed } from './xml-parse.js';

export const ALL_USERS = 'http://acs.ksyun.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.ksyun.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.ksyun.com/groups/s3/LogDelivery';
const PERMISSIONS = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];

/** §4.4: canned values the reference accepts. */
export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
];

/**
 * @typedef {{ type: 'CanonicalUser', id: string, displayName: string }
 *   | { type: 'Group', uri: string }
 *   | { type: 'AmazonCustomerByEmail', email: string }} Grantee
 * @typedef {{ grantee: Grantee, permission: string }} Grant
 * @typedef {{ grants: Grant[] }} Acl
 * @typedef {{ id: string, displayName: string }} Owner
 */

/**
 * The grants a canned ACL stands for. The owner always holds FULL_CONTROL; the
 * bucket-owner-* values add nothing because a bucket owner can always reach its objects here.
 * @param {string} name
 * @param {Owner} owner
 * @returns {Acl}
 * @throws {Ks3Error} InvalidACLString
 */
export function cannedAcl(name, owner) {
  if (!CANNED_ACLS.includes(name)) throw new Ks3Error('InvalidACLString', `The canned ACL "${name}" is not valid.`);
  /** @type {Grant[]} */
  const grants = [
    { grantee: { type: 'CanonicalUser', id: owner.id, displayName: owner.displayName }, permission: 'FULL_CONTROL' },
  ];
  const group = (/** @type {string} */ uri, /** @type {string} */ permission) =>
    grants.push({ grantee: { type: 'Group', uri }, permission });
  if (name === 'public-read' || name === 'public-read-write') group(ALL_USERS, 'READ');
  if (name === 'public-read-write') group(ALL_USERS, 'WRITE');
  if (name === 'authenticated-read') group(AUTHENTICATED_USERS, 'READ');
  if (name === 'log-delivery-write') {
    group(LOG_DELIVERY, 'WRITE');
    group(LOG_DELIVERY, 'READ_ACP');
  }
  return { grants };
}

/**
 * Does the ACL grant `permission` to the requester (null = anonymous)? Ownership is checked by
 * the caller; this looks at grants only.
 * @param {Acl | null} acl
 * @param {string} permission
 * @param {{ ownerId: string } | null} who
 */
export function grants(acl, permission, who) {
  if (!acl) return false;
  return acl.grants.some((g) => {
    if (g.permission !== permission && g.permission !== 'FULL_CONTROL') return false;
    const e = g.grantee;
    if (e.type === 'Group') return e.uri === ALL_USERS || (who !== null && e.uri === AUTHENTICATED_USERS);
    return e.type === 'CanonicalUser' && who !== null && e.id === who.ownerId;
  });
}

/** @param {Grant} g */
function grantXml(g) {
  const e = g.grantee;
  const [type, body] =
    e.type === 'CanonicalUser'
      ? ['CanonicalUser', [text('ID', e.id), text('DisplayName', e.displayName)]]
      : e.type === 'Group'
        ? ['Group', [text('URI', e.uri)]]
        : ['AmazonCustomerByEmail', [text('EmailAddress', e.email)]];
  // §4.4: the reference reads the literal attribute name `xsi:type`, so the prefix must be `xsi`.
  return el('Grant', [
    el('Grantee', body, { 'xmlns:xsi': XSI_NS, 'xsi:type': type }),
    text('Permission', g.permission),
  ]);
}

/**
 * `<Grant>` elements, for ACL and logging documents.
 * @param {Grant[]} list
 */
export function grantsXml(list) {
  return list.map(grantXml).join('');
}

/**
 * The AccessControlPolicy document of §4.4.
 * @param {Owner} owner
 * @param {Acl} acl
 */
export function aclXml(owner, acl) {
  return el('AccessControlPolicy', [principal('Owner', owner), el('AccessControlList', grantsXml(acl.grants))], {
    xmlns: S3NS,
  });
}

/**
 * Reads `<Grant>` elements (AccessControlList or logging TargetGrants).
 * @param {import('./xml-parse.js').XmlElement[]} elements
 * @returns {Grant[]}
 */
export function parseGrants(elements) {
  return elements.map((g) => {
    const grantee = g.children.find((c) => c.local === 'Grantee');
    const permission = childText(g, 'Permission')?.trim() ?? '';
    if (!grantee || !PERMISSIONS.includes(permission))
      throw new XmlSyntaxError('a Grant needs a Grantee and a known Permission');
    const type = grantee.attrs['xsi:type'] ?? Object.entries(grantee.attrs).find(([k]) => k.endsWith(':type'))?.[1];
    const field = (/** @type {string} */ name) => childText(grantee, name)?.trim() ?? '';
    if (type === 'CanonicalUser' && field('ID')) {
      return { grantee: { type, id: field('ID'), displayName: field('DisplayName') || field('ID') }, permission };
    }
    if (type === 'Group' && field('URI')) {
      // S3's group URIs mean the same groups.
      const uri = field('URI').replace('http://acs.amazonaws.com/groups/', 'http://acs.ksyun.com/groups/');
      return { grantee: { type, uri }, permission };
    }
    if (type !== undefined && field('EmailAddress')) {
      return { grantee: { type: 'AmazonCustomerByEmail', email: field('EmailAddress') }, permission };
    }
    throw new XmlSyntaxError('unsupported Grantee');
  });
}

/**
 * Reads an AccessControlPolicy document (§4.4 "Put XML").
 * @param {import('./xml-parse.js').XmlElement} root
 * @returns {Acl}
 * @throws {Ks3Error} MalformedACLError
 */
export function parseAclXml(root) {
  try {
    const list =
      root.local === 'AccessControlPolicy' ? root.children.find((c) => c.local === 'AccessControlList') : undefined;
    if (!list) throw new XmlSyntaxError('expected AccessControlPolicy/AccessControlList');
    return { grants: parseGrants(childrenNamed(list, 'Grant')) };
  } catch (err) {
    if (err instanceof XmlSyntaxError)
      throw new Ks3Error('MalformedACLError', `${new Ks3Error('MalformedACLError').message} (${err.message})`);
    throw err;
  }
}
