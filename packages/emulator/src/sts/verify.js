// @ts-check
/**
 * Verifying a call to the fake STS: plain `AWS4-HMAC-SHA256` in the Authorization header, scope
 * `<date>/<stsRegion>/sts/aws4_request`, `x-amz-date` (or `Date`) within `maxSkewMs` of the wall
 * clock (ks3-v4.md §3; kingsoftcloud/sdk-node `signautreV4.js`). The payload hash is the
 * `x-amz-content-sha256` header when sent, else the SHA-256 of the body, as Kingsoft's OpenAPI
 * signers compute it. Only configured permanent credentials may call it. Built on the
 * emulator's own V4 functions (v4-canonical.js), never on the SDK's.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { lastHeader } from '../headers.js';
import { decodeKey } from '../query.js';
import { canonicalQuery, canonicalRequest, canonicalUri, signV4, stringToSignV4 } from '../v4-canonical.js';
import { formatBasicIso, parseBasicIso } from '../v4-checks.js';
import { StsError } from './errors.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../auth.js').Credential} Credential */

const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * `Credential=…, SignedHeaders=…, Signature=…`.
 * @param {string} authorization
 */
function parseAuthorization(authorization) {
  if (!authorization) throw new StsError('MissingAuthenticationToken', 'Request is missing Authentication Token');
  if (!authorization.startsWith(`${ALGORITHM} `))
    throw new StsError('IncompleteSignature', `The STS endpoint only accepts ${ALGORITHM} signatures.`);
  /** @type {Record<string, string>} */
  const fields = {};
  for (const item of authorization.slice(ALGORITHM.length).split(',')) {
    const eq = item.indexOf('=');
    if (eq > 0) fields[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = fields;
  if (!credential || !signedHeaders || !signature)
    throw new StsError(
      'IncompleteSignature',
      'Authorization header requires Credential, SignedHeaders and Signature parameters.',
    );
  return { credential, signedHeaders, signature };
}

/**
 * The request time from x-amz-date (else Date), within maxSkewMs of the wall clock.
 * @param {Ctx} ctx
 */
function requestTime(ctx) {
  const amz = lastHeader(ctx.req.rawHeaders, 'x-amz-date');
  const date = lastHeader(ctx.req.rawHeaders, 'date');
  const ms = amz ? parseBasicIso(amz) : date ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(ms))
    throw new StsError('IncompleteSignature', 'Authorization requires a valid x-amz-date or Date header.');
  const now = ctx.env.clock.wallNow();
  if (Math.abs(ms - now) > ctx.env.maxSkewMs)
    throw new StsError(
      'RequestExpired',
      `Request timestamp ${amz || date} is more than ${ctx.env.maxSkewMs} ms from the server time ` +
        `${new Date(now).toISOString()}.`,
    );
  return amz || formatBasicIso(ms);
}

/** @param {string} a @param {string} b */
function same(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies the signature of an STS call.
 * @param {Ctx} ctx
 * @param {Buffer} body the request body, read whole (POST forms)
 * @returns {Credential} the caller, a configured permanent credential
 * @throws {StsError} MissingAuthenticationToken, IncompleteSignature, InvalidClientTokenId,
 *   RequestExpired, SignatureDoesNotMatch, AccessDenied (temporary credentials)
 */
export function verifyStsSignature(ctx, body) {
  const { env, req } = ctx;
  const fields = parseAuthorization(lastHeader(req.rawHeaders, 'authorization'));
  const parts = fields.credential.split('/');
  const [accessKeyId = '', day = '', region = '', service = '', terminator = ''] = parts;
  if (parts.length !== 5 || !accessKeyId || !/^\d{8}$/.test(day))
    throw new StsError('IncompleteSignature', 'Credential must be <AccessKeyId>/<YYYYMMDD>/<region>/sts/aws4_request.');
  const timestamp = requestTime(ctx);
  const scopeFault =
    region !== env.sts.region
      ? `Credential should be scoped to a valid region, '${region}' is not '${env.sts.region}'.`
      : service !== 'sts'
        ? `Credential should be scoped to correct service: 'sts', not '${service}'.`
        : terminator !== 'aws4_request'
          ? "Credential should be scoped with a valid terminator: 'aws4_request'."
          : day !== timestamp.slice(0, 8)
            ? `Date in Credential scope does not match YYYYMMDD from the request date ${timestamp}.`
            : undefined;
  if (scopeFault) throw new StsError('SignatureDoesNotMatch', scopeFault);
  const signed = fields.signedHeaders.toLowerCase().split(';');
  if (!signed.includes('host')) throw new StsError('IncompleteSignature', 'SignedHeaders must include host.');
  const credential = env.lookup(accessKeyId);
  if (!credential)
    throw new StsError('InvalidClientTokenId', 'The access key ID provided does not exist in our records.');
  if (credential.expiresAt !== undefined || credential.securityToken !== undefined)
    throw new StsError('AccessDenied', 'Temporary credentials cannot call AssumeRole on this STS.');
  const declared = lastHeader(req.rawHeaders, 'x-amz-content-sha256');
  const computed = createHash('sha256').update(body).digest('hex');
  if (declared && declared !== 'UNSIGNED-PAYLOAD' && declared.toLowerCase() !== computed)
    throw new StsError('SignatureDoesNotMatch', 'The x-amz-content-sha256 header does not match the body.');
  const base = {
    method: ctx.method,
    uri: canonicalUri(decodeKey(ctx.rawPath)),
    query: canonicalQuery(ctx.params),
    rawHeaders: req.rawHeaders,
    signedHeaders: fields.signedHeaders,
    payloadHash: declared || computed,
  };
  const scope = { secretPrefix: 'AWS4', secret: credential.secretAccessKey, date: day, region, service, terminator };
  const modes = env.headerWhitespace === 'either' ? [false, true] : [env.headerWhitespace === 'collapse'];
  /** @type {string[]} */
  const tried = [];
  for (const collapse of modes) {
    const canonical = canonicalRequest({ ...base, collapse });
    const sts = stringToSignV4(ALGORITHM, timestamp, parts.slice(1).join('/'), canonical);
    if (same(signV4(scope, sts), fields.signature)) return credential;
    tried.push(`The canonical request was '${canonical}'. The string to sign was '${sts}'.`);
  }
  // As AWS STS does: what was signed (nothing secret), never the expected signature.
  throw new StsError(
    'SignatureDoesNotMatch',
    `The request signature we calculated does not match the signature you provided. ${tried[0]}`,
  );
}
