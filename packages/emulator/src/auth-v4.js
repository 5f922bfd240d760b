// @ts-check
/**
 * KS3 V4 verification (ks3-v4.md §1) in both namespaces — `KSS4-HMAC-SHA256` (ks3,
 * kss4_request, x-kss-*, X-Kss-*) and `AWS4-HMAC-SHA256` (s3, aws4_request, x-amz-*, X-Amz-*) —
 * signed in the Authorization header, presigned in the query, or as a share URL. Written against
 * node:crypto only: the emulator never shares signing code with the SDK it tests.
 */
import { timingSafeEqual } from 'node:crypto';
import { Ks3Error } from './errors.js';
import { headerText, lastHeader } from './headers.js';
import { decodeKey } from './query.js';
import { checkToken, redactToken } from './sessions.js';
import { parseSharePolicy } from './share-url.js';
import { canonicalQuery, canonicalRequest, canonicalUri, signV4, stringToSignV4 } from './v4-canonical.js';
import { checkPayloadMode, requestTime } from './v4-checks.js';

/** @typedef {import('./auth.js').AuthRequest} AuthRequest */
/** @typedef {import('./auth.js').AuthOptions} AuthOptions */
/** @typedef {import('./auth.js').AuthResult} AuthResult */

/**
 * @typedef {object} Namespace
 * @property {'KSS4' | 'AWS4'} name
 * @property {string} algorithm
 * @property {string} secretPrefix
 * @property {string} service
 * @property {string} terminator
 * @property {string} header lower-case header prefix (`x-kss-`)
 * @property {string} query query parameter prefix (`X-Kss-`)
 * @property {string} akElement the element naming the access key in error XML
 */

/** @type {Namespace[]} */
export const NAMESPACES = [
  {
    name: 'KSS4',
    algorithm: 'KSS4-HMAC-SHA256',
    secretPrefix: 'KSS4',
    service: 'ks3',
    terminator: 'kss4_request',
    header: 'x-kss-',
    query: 'X-Kss-',
    akElement: 'KSSAccessKeyId',
  },
  {
    name: 'AWS4',
    algorithm: 'AWS4-HMAC-SHA256',
    secretPrefix: 'AWS4',
    service: 's3',
    terminator: 'aws4_request',
    header: 'x-amz-',
    query: 'X-Amz-',
    akElement: 'AWSAccessKeyId',
  },
];

/** @typedef {{ ns: Namespace, mode: 'header' | 'presign' | 'share' }} V4Kind */

/**
 * Is this a V4 request, and which kind?
 * @param {string} authorization
 * @param {import('./query.js').QueryParam[]} params
 * @returns {V4Kind | undefined}
 */
export function detectV4(authorization, params) {
  for (const ns of NAMESPACES) {
    if (authorization === ns.algorithm || authorization.startsWith(`${ns.algorithm} `)) return { ns, mode: 'header' };
  }
  for (const ns of NAMESPACES) {
    const has = (/** @type {string} */ n) => params.some((p) => p.name === ns.query + n);
    if (has('Algorithm') || has('Credential') || has('Signature')) {
      return { ns, mode: has('Policy') && !has('SignedHeaders') ? 'share' : 'presign' };
    }
  }
  return undefined;
}

/**
 * @param {V4Kind} kind
 * @param {string} message
 * @param {Record<string, string>} [extra]
 */
function malformed(kind, message, extra) {
  return kind.mode === 'header'
    ? new Ks3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${message}`, { extra })
    : new Ks3Error('AuthorizationQueryParametersError', message, { extra });
}

/**
 * `AK/YYYYMMDD/REGION/SERVICE/TERMINATOR`, checked against the namespace and the emulator's region.
 * @param {string} value
 * @param {V4Kind} kind
 * @param {AuthOptions} opts
 */
function parseCredential(value, kind, opts) {
  const { ns } = kind;
  const where = kind.mode === 'header' ? '' : `Error parsing the ${ns.query}Credential parameter; `;
  const parts = value.split('/');
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = parts;
  if (parts.length !== 5 || !accessKeyId || !/^\d{8}$/.test(date) || !region) {
    throw malformed(
      kind,
      `${where}the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/${ns.terminator}".`,
    );
  }
  if (opts.checkRegion && region !== opts.region) {
    throw malformed(kind, `${where}the region '${region}' is wrong; expecting '${opts.region}'`, {
      Region: opts.region,
    });
  }
  if (service !== ns.service && !opts.extraServices.includes(service)) {
    throw malformed(kind, `${where}incorrect service "${service}". This endpoint belongs to "${ns.service}".`);
  }
  if (terminator !== ns.terminator) {
    throw malformed(kind, `${where}incorrect terminal "${terminator}". This endpoint uses "${ns.terminator}".`);
  }
  return { accessKeyId, date, region, service, terminator, scope: parts.slice(1).join('/') };
}

/**
 * `Credential=…, SignedHeaders=…, Signature=…` after the algorithm name.
 * @param {string} authorization
 * @param {V4Kind} kind
 */
function parseAuthorization(authorization, kind) {
  /** @type {Record<string, string>} */
  const fields = {};
  for (const item of authorization.slice(kind.ns.algorithm.length).split(',')) {
    const eq = item.indexOf('=');
    if (eq > 0) fields[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = fields;
  if (!credential || !signedHeaders || !signature) {
    throw malformed(
      kind,
      'the authorization header requires three components: Credential, SignedHeaders, and Signature.',
    );
  }
  return { credential, signedHeaders, signature };
}

/**
 * The access key's credential. An unknown key that comes with a token is an unknown token (an
 * expired-and-forgotten session, say); without one, an unknown key.
 * @param {string} accessKeyId
 * @param {string | undefined} token
 * @param {Namespace} ns
 * @param {AuthOptions} opts
 */
function credentialFor(accessKeyId, token, ns, opts) {
  const credential = opts.lookup(accessKeyId);
  if (credential) return credential;
  if (token !== undefined) throw new Ks3Error('InvalidToken');
  throw new Ks3Error('InvalidAccessKeyId', undefined, { extra: { [ns.akElement]: accessKeyId } });
}

/**
 * Headers in the namespace that are present but not signed: S3 refuses them, so a header a
 * proxy or page adds (an ACL, metadata) cannot ride on someone else's signature.
 * @param {string[]} rawHeaders
 * @param {string} signedHeaders
 * @param {Namespace} ns
 */
function checkAllSigned(rawHeaders, signedHeaders, ns) {
  const signed = new Set(signedHeaders.toLowerCase().split(';'));
  if (!signed.has('host')) return 'host';
  const missing = new Set();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = /** @type {string} */ (rawHeaders[i]).toLowerCase();
    if (name.startsWith(ns.header) && !signed.has(name)) missing.add(name);
  }
  if (missing.size > 0) {
    throw new Ks3Error('AccessDenied', 'There were headers present in the request which were not signed', {
      extra: { HeadersNotSigned: [...missing].join(', ') },
    });
  }
  return undefined;
}

/**
 * Verifies a V4 request.
 * @param {AuthRequest} req
 * @param {AuthOptions} opts
 * @param {V4Kind} kind
 * @returns {AuthResult}
 * @throws {Ks3Error}
 */
export function verifyV4(req, opts, kind) {
  const { ns } = kind;
  const q = (/** @type {string} */ name) => req.params.find((p) => p.name === ns.query + name)?.value;
  const header = (/** @type {string} */ name) => lastHeader(req.rawHeaders, ns.header + name) || undefined;
  let fields;
  if (kind.mode === 'header') {
    fields = parseAuthorization(lastHeader(req.rawHeaders, 'authorization'), kind);
  } else {
    const need =
      kind.mode === 'share'
        ? ['Credential', 'Date', 'Expires', 'Policy', 'Signature']
        : ['Credential', 'Date', 'Expires', 'SignedHeaders', 'Signature'];
    if (q('Algorithm') === undefined || need.some((n) => !q(n))) {
      throw malformed(
        kind,
        `Query-string authentication version 4 requires the ${['Algorithm', ...need]
          .map((n) => ns.query + n)
          .join(', ')} parameters.`,
      );
    }
    if (q('Algorithm') !== ns.algorithm) throw malformed(kind, `${ns.query}Algorithm only supports "${ns.algorithm}"`);
    fields = {
      credential: q('Credential') ?? '',
      signedHeaders: q('SignedHeaders') ?? '',
      signature: q('Signature') ?? '',
    };
  }
  const token =
    kind.mode === 'header'
      ? header('security-token')
      : (q('Security-Token') ?? req.params.find((p) => p.name === 'security-token')?.value ?? header('security-token'));
  const cred = parseCredential(fields.credential, kind, opts);
  const payload = checkPayloadMode(req.rawHeaders, kind, header('content-sha256'));
  const time = requestTime(req, opts, kind, q, header);
  if (time.timestamp.slice(0, 8) !== cred.date) {
    throw malformed(
      kind,
      `Invalid credential date "${cred.date}". This date is not the same as ` +
        `${kind.mode === 'header' ? `${ns.header}date` : `${ns.query}Date`}: "${time.timestamp.slice(0, 8)}".`,
    );
  }
  const credential = credentialFor(cred.accessKeyId, token, ns, opts);
  if (kind.mode !== 'share' && checkAllSigned(req.rawHeaders, fields.signedHeaders, ns) === 'host') {
    throw malformed(
      kind,
      `${kind.mode === 'header' ? 'SignedHeaders' : `${ns.query}SignedHeaders`} must include host.`,
    );
  }
  const canonicals = canonicalForms(req, opts, kind, fields.signedHeaders, payload.line, q);
  /** @type {string[]} */
  const tried = [];
  for (const canonical of canonicals) {
    const sts = stringToSignV4(ns.algorithm, time.timestamp, cred.scope, canonical);
    tried.push(sts);
    const expected = signV4({ secretPrefix: ns.secretPrefix, secret: credential.secretAccessKey, ...cred }, sts);
    if (sameSignature(expected, fields.signature)) {
      checkToken(credential, token, opts.now());
      const share = kind.mode === 'share' ? parseSharePolicy(q('Policy') ?? '', opts.now()) : undefined;
      return {
        credential,
        kss: namespacedHeaders(req, ns, kind.mode !== 'header'),
        info: { version: 'V4', namespace: ns.name, payloadSha256: payload.sha256, share },
      };
    }
  }
  const sts = /** @type {string} */ (tried[0]);
  const canonical = redactToken(/** @type {string} */ (canonicals[0]), token);
  const bytes = (/** @type {string} */ s) =>
    [...Buffer.from(s, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  // Like S3: what was signed (not secret; a token is masked), never the expected signature.
  throw new Ks3Error('SignatureDoesNotMatch', undefined, {
    extra: {
      [ns.akElement]: cred.accessKeyId,
      StringToSign: sts,
      SignatureProvided: fields.signature,
      StringToSignBytes: bytes(sts),
      CanonicalRequest: canonical,
      CanonicalRequestBytes: bytes(canonical),
    },
  });
}

/**
 * The canonical request(s) to try: one, or two when header whitespace may be kept or collapsed.
 * @param {AuthRequest} req
 * @param {AuthOptions} opts
 * @param {V4Kind} kind
 * @param {string} signedHeaders
 * @param {string} payloadHash
 * @param {(name: string) => string | undefined} q
 */
function canonicalForms(req, opts, kind, signedHeaders, payloadHash, q) {
  const { ns } = kind;
  if (kind.mode === 'share') {
    const names = ['Algorithm', 'Credential', 'Date', 'Expires', 'Policy', 'Security-Token'];
    const pairs = names.flatMap((n) => {
      const value = q(n);
      return value === undefined ? [] : [{ name: ns.query + n, value }];
    });
    return [`${canonicalQuery(pairs)}\nUNSIGNED-PAYLOAD`];
  }
  const pairs = kind.mode === 'presign' ? req.params.filter((p) => p.name !== `${ns.query}Signature`) : req.params;
  const base = {
    method: req.method,
    uri: canonicalUri(decodeKey(req.rawPath)),
    query: canonicalQuery(pairs),
    rawHeaders: req.rawHeaders,
    signedHeaders,
    payloadHash,
  };
  const modes = opts.headerWhitespace === 'either' ? [false, true] : [opts.headerWhitespace === 'collapse'];
  return [...new Set(modes.map((collapse) => canonicalRequest({ ...base, collapse })))];
}

/** @param {string} a @param {string} b */
function sameSignature(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The x-kss-* view of the request's headers handlers read: in the AWS namespace x-amz-* names
 * are aliases of their x-kss-* counterparts (KS3-only headers keep x-kss- there, §2.2). For a
 * presigned URL, x-kss-* / x-amz-* query parameters other than the auth ones act as headers.
 * @param {AuthRequest} req
 * @param {Namespace} ns
 * @param {boolean} fromQuery
 */
export function namespacedHeaders(req, ns, fromQuery) {
  /** @type {Map<string, string>} */
  const map = new Map();
  const put = (/** @type {string} */ lower, /** @type {string} */ value) => {
    if (lower.startsWith('x-kss-')) map.set(lower, value);
    else if (ns.name === 'AWS4' && lower.startsWith('x-amz-')) map.set(`x-kss-${lower.slice(6)}`, value);
  };
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    put(
      /** @type {string} */ (req.rawHeaders[i]).toLowerCase(),
      headerText(/** @type {string} */ (req.rawHeaders[i + 1])),
    );
  }
  if (fromQuery) {
    for (const p of req.params) if (!p.name.startsWith(ns.query)) put(p.name.toLowerCase(), p.value);
  }
  return map;
}
