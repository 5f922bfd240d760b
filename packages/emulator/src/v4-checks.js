// @ts-check
/**
 * V4 checks besides the signature itself: the payload-hash mode (ks3-v4.md §1.2, §2.1) and the
 * request time (skew for signed headers, validity window for presigned URLs).
 */
import { Ks3Error } from './errors.js';
import { lastHeader } from './headers.js';

/** @typedef {import('./auth-v4.js').V4Kind} V4Kind */

/** The largest X-*-Expires: 7 days (ks3-v4.md §1, as S3). */
export const MAX_PRESIGN_SECONDS = 604_800;

/**
 * The payload hash a request declares. Returns the line for the canonical request and, when it
 * is a SHA-256, the lower-case hex the body must match. aws-chunked / STREAMING-* uploads are
 * refused: no KS3 SDK sends them and KS3 support is unverified (ks3-v4.md §2.1).
 * @param {string[]} rawHeaders
 * @param {V4Kind} kind
 * @param {string | undefined} declared the x-*-content-sha256 header
 * @returns {{ line: string, sha256: string | undefined }}
 * @throws {Ks3Error} InvalidRequest (missing), NotImplemented (streaming), InvalidArgument
 */
export function checkPayloadMode(rawHeaders, kind, declared) {
  const name = `${kind.ns.header}content-sha256`;
  const encoding = lastHeader(rawHeaders, 'content-encoding').toLowerCase();
  const streaming =
    declared?.startsWith('STREAMING-') ||
    encoding.split(',').some((e) => e.trim() === 'aws-chunked') ||
    ['x-amz-decoded-content-length', 'x-kss-decoded-content-length', 'x-amz-trailer'].some((h) =>
      lastHeader(rawHeaders, h),
    );
  if (streaming) {
    throw new Ks3Error(
      'NotImplemented',
      'Chunked (aws-chunked / STREAMING-*) payload signing is not supported by KS3; ' +
        `send ${name}: UNSIGNED-PAYLOAD or the hex SHA-256 of the body.`,
    );
  }
  if (declared === undefined) {
    if (kind.mode === 'header')
      throw new Ks3Error('InvalidRequest', `Missing required header for this request: ${name}`);
    return { line: 'UNSIGNED-PAYLOAD', sha256: undefined };
  }
  if (declared === 'UNSIGNED-PAYLOAD') return { line: declared, sha256: undefined };
  if (/^[0-9a-fA-F]{64}$/.test(declared)) return { line: declared, sha256: declared.toLowerCase() };
  throw new Ks3Error('InvalidArgument', `${name} must be UNSIGNED-PAYLOAD or the hex SHA-256 of the body.`, {
    extra: { ArgumentName: name, ArgumentValue: declared },
  });
}

/**
 * `YYYYMMDDTHHMMSSZ` → ms since the epoch, or NaN.
 * @param {string} s
 */
export function parseBasicIso(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  return formatBasicIso(ms) === s ? ms : Number.NaN;
}

/** @param {number} ms */
export function formatBasicIso(ms) {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * The request time: for header signing the x-*-date header (else Date), skew-checked; for
 * presigned and share URLs X-*-Date, inside its X-*-Expires window.
 * @param {import('./auth.js').AuthRequest} req
 * @param {import('./auth.js').AuthOptions} opts
 * @param {V4Kind} kind
 * @param {(name: string) => string | undefined} q namespaced query parameter
 * @param {(name: string) => string | undefined} header namespaced header
 * @returns {{ timestamp: string, ms: number }}
 * @throws {Ks3Error} AccessDenied, RequestTimeTooSkewed, AuthorizationQueryParametersError
 */
export function requestTime(req, opts, kind, q, header) {
  const { ns } = kind;
  const now = opts.now();
  if (kind.mode === 'header') {
    const amz = header('date');
    const date = lastHeader(req.rawHeaders, 'date');
    const ms = amz !== undefined ? parseBasicIso(amz) : date ? Date.parse(date) : Number.NaN;
    if (Number.isNaN(ms)) {
      throw new Ks3Error('AccessDenied', `KS3 authentication requires a valid Date or ${ns.header}date header.`);
    }
    if (Math.abs(ms - now) > opts.maxSkewMs) {
      throw new Ks3Error('RequestTimeTooSkewed', undefined, {
        extra: {
          RequestTime: amz ?? date,
          ServerTime: new Date(now).toISOString(),
          MaxAllowedSkewMilliseconds: String(opts.maxSkewMs),
        },
      });
    }
    return { timestamp: amz ?? formatBasicIso(ms), ms };
  }
  const timestamp = q('Date') ?? '';
  const ms = parseBasicIso(timestamp);
  const bad = (/** @type {string} */ m) => new Ks3Error('AuthorizationQueryParametersError', m);
  if (Number.isNaN(ms)) throw bad(`${ns.query}Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  const expires = q('Expires') ?? '';
  if (!/^\d{1,10}$/.test(expires)) throw bad(`${ns.query}Expires must be a whole number of seconds`);
  const seconds = Number(expires);
  if (seconds < 1) throw bad(`${ns.query}Expires must be at least 1 second`);
  if (seconds > MAX_PRESIGN_SECONDS) {
    throw bad(`${ns.query}Expires must be less than a week (in seconds) that is; ${MAX_PRESIGN_SECONDS}`);
  }
  if (now > ms + seconds * 1000) {
    throw new Ks3Error('AccessDenied', 'Request has expired', {
      extra: {
        [`${ns.query}Expires`]: expires,
        Expires: new Date(ms + seconds * 1000).toISOString(),
        ServerTime: new Date(now).toISOString(),
      },
    });
  }
  if (ms - now > opts.maxSkewMs) {
    throw new Ks3Error('AccessDenied', 'Request is not valid yet', {
      extra: { [`${ns.query}Date`]: timestamp, ServerTime: new Date(now).toISOString() },
    });
  }
  return { timestamp, ms };
}
