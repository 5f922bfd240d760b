// @ts-check
/**
 * Authentication: which scheme a request uses, and KSS V2 verification (§2.1–2.9); V4 lives in
 * auth-v4.js. Written against node:crypto and nothing else: the emulator must never share
 * signing code with the SDK it tests.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { detectV4, verifyV4 } from './auth-v4.js';
import { Ks3Error } from './errors.js';
import { headerText, lastHeader } from './headers.js';
import { checkToken, redactToken } from './sessions.js';

/** §2.4: the 35 query names that are signed (case-sensitive). */
export const SUB_RESOURCES = new Set(
  (
    'acl cors defaultObjectAcl location logging partNumber policy requestPayment torrent versioning ' +
    'versionId versions website uploads uploadId response-content-type response-content-language ' +
    'response-expires response-cache-control response-content-disposition response-content-encoding ' +
    'delete lifecycle tagging restore notification thumbnail queryadp adp asyntask querytask domain ' +
    'storageClass websiteConfig compose'
  ).split(' '),
);
// KS3's own Go SDK signs these too for V2 (ksyun-ks3-go-sdk ks3/signer.go `subResource` and
// `queryParam`): Append/Fetch, the bucket configurations, the recycle bin, inventory, QoS, WORM, …,
// and a presigned URL's `security-token`. Those the emulator does not route answer 501 (router.js)
// instead of being taken for a plain request.
const KS3_SIGNED = `batchshadowcopy encryption crr pfop querypfop fetch transfer mirror append position recover clear retention recycle x-kss-process decompresspolicy inventory id accessmonitor transferAcceleration dataRedundancySwitch VpcAccessBlock migration bucketqos requesterqos jobs jobId action priority quota dataRedundancyTransition PublicNetworkBlock BucketPublicnetworkBlock dataAccelerator worm wormId wormExtend http2 archiveDirectRead security-token`;
for (const name of KS3_SIGNED.split(' ')) SUB_RESOURCES.add(name);

/**
 * @typedef {object} Credential
 * @property {string} accessKeyId
 * @property {string} secretAccessKey
 * @property {string} [securityToken] when set, requests must carry it (§2.9)
 * @property {string} ownerId canonical user ID of the identity that owns what this key creates
 * @property {string} displayName
 * @property {number} [expiresAt] sessions: ms since the epoch on the wall clock
 * @property {import('./policy/parse.js').Policy} [sessionPolicy] STS sessions: what every request
 *   made with them must be allowed by (policy/session.js), on top of the parent's rights
 * @property {import('./sessions.js').AssumedRole} [role] STS sessions: the role they assumed
 */

/**
 * @typedef {object} AuthOptions
 * @property {(accessKeyId: string) => Credential | undefined} lookup
 * @property {() => number} now
 * @property {number} maxSkewMs
 * @property {boolean} allowNoDate
 * @property {string} region V4 scope region the emulator answers for
 * @property {boolean} checkRegion refuse a V4 scope naming another region (KS3's check is unverified)
 * @property {string[]} extraServices V4 scope services accepted besides `ks3` / `s3`
 * @property {'either' | 'keep' | 'collapse'} headerWhitespace V4 inner whitespace of header values
 */

/**
 * @typedef {object} AuthInfo how a request was authenticated
 * @property {'anonymous' | 'V2' | 'V4'} version
 * @property {'KSS' | 'KSS4' | 'AWS4'} namespace
 * @property {string} [payloadSha256] V4: the hex SHA-256 the body must have
 * @property {import('./share-url.js').SharePolicy} [share] V4 share URL: what it may do
 */

/**
 * @typedef {object} AuthResult
 * @property {Credential | null} credential null for anonymous requests
 * @property {Map<string, string>} kss the x-kss-* headers (x-amz-* aliases folded in for AWS4)
 * @property {AuthInfo} info
 */

/**
 * @typedef {object} AuthRequest
 * @property {string} method
 * @property {string} rawPath the request path as received (V4 signs it)
 * @property {string} resourcePath raw path (§2.6), `/bucket`-prefixed for virtual-host/custom domains
 * @property {import('./query.js').QueryParam[]} params
 * @property {string[]} rawHeaders Node's flat `[name, value, ...]` list, duplicates and order kept
 */

/**
 * The x-kss-* headers a request carries: names lower-cased, the last duplicate wins (§2.3, the
 * rawHeaders list keeps what `req.headers` would join with ", "). For query authentication the
 * decoded `x-kss-*` query parameters join them (§2.7), so presigned PUTs carry ACL/metadata too.
 * @param {string[]} rawHeaders
 * @param {import('./query.js').QueryParam[]} params
 * @param {boolean} presigned
 */
export function kssHeaders(rawHeaders, params, presigned) {
  /** @type {Map<string, string>} */
  const map = new Map();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = /** @type {string} */ (rawHeaders[i]).toLowerCase();
    if (name.startsWith('x-kss-')) map.set(name, headerText(/** @type {string} */ (rawHeaders[i + 1])));
  }
  if (presigned) {
    for (const p of params) if (p.name.toLowerCase().startsWith('x-kss-')) map.set(p.name.toLowerCase(), p.value);
  }
  return map;
}

/**
 * CanonicalizedResource (§2.4, §2.6): the path as received plus the signed sub-resources,
 * sorted by name, values percent-decoded once. With `rawResponseValues`, `response-*` values are
 * taken as they appear in the URL instead (the documented leniency of §2.6).
 * @param {string} resourcePath
 * @param {import('./query.js').QueryParam[]} params
 * @param {boolean} [rawResponseValues]
 */
export function canonicalResource(resourcePath, params, rawResponseValues = false) {
  const signed = params
    .filter((p) => SUB_RESOURCES.has(p.name))
    .map((p) => ({ name: p.name, value: rawResponseValues && p.name.startsWith('response-') ? p.rawValue : p.value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (signed.length === 0) return resourcePath;
  return `${resourcePath}?${signed.map((p) => (p.value === '' ? p.name : `${p.name}=${p.value}`)).join('&')}`;
}

/**
 * StringToSign (§2.2). The x-kss block is present only when there is at least one such header.
 * @param {{ method: string, contentMd5: string, contentType: string, dateLine: string,
 *   kss: Map<string, string>, resource: string }} parts
 */
export function stringToSign(parts) {
  const names = [...parts.kss.keys()].sort();
  const headerLines = names.map((n) => `${n}:${parts.kss.get(n)}\n`).join('');
  return `${parts.method}\n${parts.contentMd5}\n${parts.contentType}\n${parts.dateLine}\n${headerLines}${parts.resource}`;
}

/**
 * Base64(HMAC-SHA1(UTF-8 secret, UTF-8 string to sign)) (§2.1).
 * @param {string} secret
 * @param {string} sts
 */
export function signV2(secret, sts) {
  return createHmac('sha1', Buffer.from(secret, 'utf8')).update(sts, 'utf8').digest('base64');
}

/** @param {string} a @param {string} b */
function sameSignature(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Authenticates a request. Anonymous requests (no Authorization, no signature parameters) return
 * `credential: null`; ACLs decide what they may do (§2.8).
 * @param {AuthRequest} req
 * @param {AuthOptions} opts
 * @returns {AuthResult}
 * @throws {Ks3Error} InvalidArgument, AccessDenied, InvalidAccessKeyId, RequestTimeTooSkewed,
 *   SignatureDoesNotMatch, InvalidToken, ExpiredToken, and the V4 errors of auth-v4.js
 */
export function authenticate(req, opts) {
  const param = (/** @type {string} */ name) => req.params.find((p) => p.name === name);
  const authorization = lastHeader(req.rawHeaders, 'authorization');
  const sig = param('Signature');
  const ak = param('KSSAccessKeyId');
  const expires = param('Expires');
  const v4 = detectV4(authorization, req.params);
  const mechanisms = [authorization !== '', Boolean(sig || ak), v4 !== undefined && v4.mode !== 'header'];
  if (mechanisms.filter(Boolean).length > 1) throw new Ks3Error('InvalidArgument', 'Only one auth mechanism allowed.');
  if (v4) return verifyV4(req, opts, v4);
  if (authorization) {
    const m = /^KSS ([^\s:]+):(\S+)$/.exec(authorization);
    if (!m)
      throw new Ks3Error(
        'InvalidArgument',
        'Authorization header is invalid: expected "KSS <AccessKeyId>:<Signature>" or a V4 signature.',
      );
    return verify(req, opts, /** @type {string} */ (m[1]), /** @type {string} */ (m[2]), undefined);
  }
  if (sig || ak || expires) {
    if (!sig || !ak || !expires) {
      throw new Ks3Error(
        'AccessDenied',
        'Query-string authentication requires the Signature, Expires and KSSAccessKeyId parameters.',
      );
    }
    // A raw `+` in an unencoded Base64 signature was decoded as a space: put it back.
    return verify(req, opts, ak.value, sig.value.replace(/ /g, '+'), expires.value);
  }
  return {
    credential: null,
    kss: kssHeaders(req.rawHeaders, req.params, false),
    info: { version: /** @type {const} */ ('anonymous'), namespace: /** @type {const} */ ('KSS') },
  };
}

/**
 * @param {AuthRequest} req
 * @param {AuthOptions} opts
 * @param {string} accessKeyId
 * @param {string} signature
 * @param {string | undefined} expires set for query authentication
 */
function verify(req, opts, accessKeyId, signature, expires) {
  const presigned = expires !== undefined;
  const kss = kssHeaders(req.rawHeaders, req.params, presigned);
  const token = kss.get('x-kss-security-token') ?? req.params.find((p) => p.name === 'security-token')?.value;
  const credential = opts.lookup(accessKeyId);
  if (!credential) {
    if (token !== undefined) throw new Ks3Error('InvalidToken');
    throw new Ks3Error('InvalidAccessKeyId', undefined, { extra: { KSSAccessKeyId: accessKeyId } });
  }
  const dateLines = presigned ? [checkExpires(expires, opts)] : dateLinesFor(req, kss, opts);
  const params = presigned
    ? req.params.filter((p) => !['Signature', 'Expires', 'KSSAccessKeyId'].includes(p.name))
    : req.params;
  const resources = new Set([
    canonicalResource(req.resourcePath, params),
    canonicalResource(req.resourcePath, params, true),
  ]);
  const base = {
    method: req.method,
    contentMd5: lastHeader(req.rawHeaders, 'content-md5'),
    contentType: lastHeader(req.rawHeaders, 'content-type'),
    kss,
  };
  /** @type {string | undefined} */
  let first;
  for (const dateLine of dateLines) {
    for (const resource of resources) {
      const sts = stringToSign({ ...base, dateLine, resource });
      first ??= sts;
      if (sameSignature(signV2(credential.secretAccessKey, sts), signature)) {
        checkToken(credential, token, opts.now());
        return {
          credential,
          kss,
          info: { version: /** @type {const} */ ('V2'), namespace: /** @type {const} */ ('KSS') },
        };
      }
    }
  }
  const sts = redactToken(/** @type {string} */ (first), token);
  // Like S3, say what we signed (not secret) so client bugs are easy to see; never the expected signature.
  throw new Ks3Error('SignatureDoesNotMatch', undefined, {
    extra: {
      KSSAccessKeyId: accessKeyId,
      StringToSign: sts,
      SignatureProvided: signature,
      StringToSignBytes: [...Buffer.from(sts, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' '),
    },
  });
}

/**
 * §2.7: the Date line of a presigned request is Expires; an expired URL is refused.
 * @param {string} expires
 * @param {AuthOptions} opts
 */
function checkExpires(expires, opts) {
  if (!/^\d{1,15}$/.test(expires))
    throw new Ks3Error('AccessDenied', 'Invalid Expires: expected seconds since the epoch.');
  if (Number(expires) * 1000 < opts.now()) {
    throw new Ks3Error('AccessDenied', 'Request has expired', {
      extra: {
        Expires: new Date(Number(expires) * 1000).toISOString(),
        ServerTime: new Date(opts.now()).toISOString(),
      },
    });
  }
  return expires;
}

/**
 * §2.5 (normative paragraph): with x-kss-date the Date line may be that value or empty and the
 * skew check uses it; else the Date header; with neither, an empty Date line if allowed.
 * @param {AuthRequest} req
 * @param {Map<string, string>} kss
 * @param {AuthOptions} opts
 */
function dateLinesFor(req, kss, opts) {
  const kssDate = kss.get('x-kss-date');
  if (kssDate !== undefined) {
    checkSkew(kssDate, opts);
    return [kssDate, ''];
  }
  const date = lastHeader(req.rawHeaders, 'date');
  if (date) {
    checkSkew(date, opts);
    return [date];
  }
  if (!opts.allowNoDate)
    throw new Ks3Error('AccessDenied', 'KS3 authentication requires a valid Date or x-kss-date header.');
  return [''];
}

/**
 * @param {string} value
 * @param {AuthOptions} opts
 */
function checkSkew(value, opts) {
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new Ks3Error('AccessDenied', 'KS3 authentication requires a valid Date or x-kss-date header.');
  const now = opts.now();
  if (Math.abs(t - now) > opts.maxSkewMs) {
    throw new Ks3Error('RequestTimeTooSkewed', undefined, {
      extra: {
        RequestTime: value,
        ServerTime: new Date(now).toISOString(),
        MaxAllowedSkewMilliseconds: String(opts.maxSkewMs),
      },
    });
  }
}
