// @ts-check
/**
 * A fake KS3 STS (ks3-v4.md §3): `AssumeRole` (`Action=AssumeRole&Version=2015-11-01`,
 * `RoleKrn`, `RoleSessionName`, `DurationSeconds`, `Policy`) as GET query parameters or a POST
 * `application/x-www-form-urlencoded` body, on any request whose path is `/__sts` or starts with
 * `/__sts/` (not a bucket name), or whose Host starts with `sts.` (like `sts.api.ksyun.com`).
 * Signed with AWS4-HMAC-SHA256 for service `sts` (verify.js). Answers KSC's JSON
 * (`RequestId`, `AssumeRoleResult.Credentials`, `AssumeRoleResult.AssumedRoleUser`, as
 * kingsoftcloud/sdk-go `sts/v20151101/models.go`) with session credentials from sessions.js,
 * which act as the role's parent identity, restricted by the session `Policy`
 * (policy/session.js). Never answers cross-origin: the STS needs a permanent key, which a web
 * page must not hold.
 */
import { createHash } from 'node:crypto';
import { hostName } from '../address.js';
import { readSmallBody } from '../body.js';
import { Ks3Error } from '../errors.js';
import { parsePolicy } from '../policy/parse.js';
import { send } from '../respond.js';
import { StsError, sendStsError } from './errors.js';
import { ROLE_KRN } from './settings.js';
import { verifyStsSignature } from './verify.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../auth.js').Credential} Credential */

export const STS_PATH = '/__sts';
/** The API version KSC's STS clients send. */
export const STS_VERSION = '2015-11-01';
/** Session policies longer than this are refused (AWS STS's figure; KS3's is UNVERIFIED). */
export const MAX_SESSION_POLICY = 2048;
const MAX_FORM = 16 * 1024;

/**
 * Is this request for the STS endpoint?
 * @param {string} rawPath
 * @param {string | undefined} host
 */
export function isStsRequest(rawPath, host) {
  return rawPath === STS_PATH || rawPath.startsWith(`${STS_PATH}/`) || hostName(host).startsWith('sts.');
}

/**
 * The API parameters: the query, plus a POST form body. A name given twice is refused.
 * @param {Ctx} ctx
 * @param {Buffer} body
 * @returns {Map<string, string>}
 */
function apiParams(ctx, body) {
  /** @type {Map<string, string>} */
  const params = new Map();
  const add = (/** @type {string} */ name, /** @type {string} */ value) => {
    if (params.has(name)) throw new StsError('InvalidParameterValue', `The parameter ${name} appears more than once.`);
    params.set(name, value);
  };
  for (const p of ctx.params) add(p.name, p.value);
  if (body.length > 0) {
    const type = String(ctx.req.headers['content-type'] ?? '');
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type))
      throw new StsError('InvalidParameterValue', 'A POST body must be application/x-www-form-urlencoded.');
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) add(name, value);
  }
  return params;
}

/**
 * @param {Map<string, string>} params
 * @param {string} name
 */
function required(params, name) {
  const value = params.get(name);
  if (value === undefined || value === '') throw new StsError('MissingParameter', `The parameter ${name} is required.`);
  return value;
}

/**
 * The access key whose identity sessions of this role act as, if the caller may assume it.
 * Without the `roles` option, a key may assume any role of its own account and its sessions act
 * as itself. With it, only the listed roles exist; the parent key, keys sharing its owner, and
 * keys of the role's account may assume one.
 * @param {Ctx} ctx
 * @param {Credential} caller
 * @param {string} krn
 * @throws {StsError} InvalidParameterValue (not a role KRN), AccessDenied
 */
function roleParent(ctx, caller, krn) {
  const m = ROLE_KRN.exec(krn);
  if (!m) throw new StsError('InvalidParameterValue', `RoleKrn "${krn}" is not krn:ksc:iam::<account>:role/<name>.`);
  const account = /** @type {string} */ (m[1]);
  const { roles } = ctx.env.sts;
  let parent;
  if (!roles) parent = account === caller.ownerId ? caller.accessKeyId : undefined;
  else {
    const listed = roles.get(krn);
    const owner = listed === undefined ? undefined : ctx.env.lookup(listed)?.ownerId;
    if (listed !== undefined && (owner === caller.ownerId || account === caller.ownerId)) parent = listed;
  }
  if (parent === undefined)
    throw new StsError(
      'AccessDenied',
      `The access key ${caller.accessKeyId} is not authorized to perform sts:AssumeRole on ${krn}.`,
    );
  return { parent, account, role: /** @type {string} */ (m[2]) };
}

/**
 * The session policy: KS3's policy language without Principal.
 * @param {string | undefined} text the Policy parameter
 * @throws {StsError} PackedPolicyTooLarge, MalformedPolicyDocument
 */
function sessionPolicy(text) {
  if (text === undefined || text === '') return undefined;
  if (text.length > MAX_SESSION_POLICY)
    throw new StsError('PackedPolicyTooLarge', `Policy must be at most ${MAX_SESSION_POLICY} characters.`);
  let policy;
  try {
    policy = parsePolicy(text, { requirePrincipal: false });
  } catch (err) {
    if (err instanceof Ks3Error) throw new StsError('MalformedPolicyDocument', err.message);
    throw err;
  }
  if (policy.statements.some((s) => s.principals !== undefined))
    throw new StsError('MalformedPolicyDocument', 'A session policy must not name a Principal.');
  return policy;
}

/**
 * @param {Ctx} ctx
 * @param {Map<string, string>} params
 */
function durationSeconds(ctx, params) {
  const raw = params.get('DurationSeconds') ?? '3600';
  const { minSeconds, maxSeconds } = ctx.env.sts;
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= minSeconds && n <= maxSeconds))
    throw new StsError('InvalidParameterValue', `DurationSeconds must be an integer in ${minSeconds}..${maxSeconds}.`);
  return n;
}

/** @param {Ctx} ctx */
export async function handleSts(ctx) {
  try {
    if (ctx.method !== 'GET' && ctx.method !== 'POST')
      throw new StsError('MethodNotAllowed', 'The STS endpoint answers GET and POST only.');
    const body = await readSmallBody(ctx, MAX_FORM, 'InvalidParameterValue');
    const caller = verifyStsSignature(ctx, body);
    const params = apiParams(ctx, body);
    const action = required(params, 'Action');
    if (action !== 'AssumeRole') throw new StsError('InvalidAction', `The action ${action} is not valid for STS.`);
    const version = required(params, 'Version');
    if (version !== STS_VERSION)
      throw new StsError('InvalidParameterValue', `Version must be ${STS_VERSION}, not ${version}.`);
    const krn = required(params, 'RoleKrn');
    const sessionName = required(params, 'RoleSessionName');
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName))
      throw new StsError('InvalidParameterValue', 'RoleSessionName must be 2 to 64 of A-Z a-z 0-9 and +=,.@_-.');
    const seconds = durationSeconds(ctx, params);
    const policy = sessionPolicy(params.get('Policy'));
    const { parent, account, role } = roleParent(ctx, caller, krn);
    const roleId = `ks3emu-role-${createHash('sha256').update(krn).digest('hex').slice(0, 16)}`;
    const assumed = {
      krn: `krn:ksc:iam::${account}:assumed-role/${role}/${sessionName}`,
      assumedRoleId: `${roleId}:${sessionName}`,
    };
    const issued = ctx.env.sessions.issue({
      durationSeconds: seconds,
      parentAccessKeyId: parent,
      ...(policy ? { sessionPolicy: policy } : {}),
      role: assumed,
    });
    const result = {
      RequestId: ctx.requestId,
      AssumeRoleResult: {
        Credentials: {
          AccessKeyId: issued.accessKeyId,
          SecretAccessKey: issued.secretAccessKey,
          SecurityToken: issued.securityToken,
          Expiration: issued.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
        AssumedRoleUser: { Krn: assumed.krn, AssumedRoleId: assumed.assumedRoleId },
      },
    };
    send(ctx, 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }, JSON.stringify(result));
  } catch (err) {
    if (!sendStsError(ctx, err)) throw err;
  }
}
