// @ts-check
/**
 * Temporary credentials: sessions the emulator mints (`emu.sessions.issue`, `POST
 * /__ks3emu/sessions`, the fake STS's AssumeRole in sts/), and the security-token rule every
 * signature version shares. A session acts as its parent's identity until it expires on the
 * wall clock; one minted by AssumeRole may also carry a session policy that every request made
 * with it must satisfy (policy/session.js), and the role it assumed.
 */
import { randomBytes } from 'node:crypto';
import { Ks3Error } from './errors.js';
import { uriEncode } from './v4-canonical.js';

/** @typedef {import('./auth.js').Credential} Credential */

/** The longest session: 36 hours, S3 GetSessionToken's maximum (KS3 STS's is unverified). */
export const MAX_SESSION_SECONDS = 129_600;
/** Sessions kept in memory; beyond this the oldest expired ones are forgotten. */
const MAX_SESSIONS = 10_000;

/**
 * @typedef {object} AssumedRole what an AssumeRole session answers as AssumedRoleUser
 * @property {string} krn `krn:ksc:iam::<account>:assumed-role/<role>/<session>`
 * @property {string} assumedRoleId `<role id>:<session>`
 */

/**
 * @typedef {object} IssuedSession
 * @property {string} accessKeyId
 * @property {string} secretAccessKey
 * @property {string} securityToken
 * @property {Date} expiration
 */

export class Sessions {
  /**
   * @param {(accessKeyId: string) => Credential | undefined} permanent the configured credentials
   * @param {() => number} now the emulator's clock (ms)
   * @param {string} defaultParent access key of the identity sessions act as by default
   */
  constructor(permanent, now, defaultParent) {
    this.permanent = permanent;
    this.now = now;
    this.defaultParent = defaultParent;
    /** @type {Map<string, Credential>} */
    this.byKey = new Map();
  }

  /**
   * Mints a session credential.
   * @param {{ durationSeconds: number, parentAccessKeyId?: string,
   *   sessionPolicy?: import('./policy/parse.js').Policy, role?: AssumedRole }} options
   *   `sessionPolicy` and `role` come from STS AssumeRole (sts/handler.js)
   * @returns {IssuedSession}
   * @throws {TypeError} on a duration that is not an integer in 1..129600, or an unknown parent
   */
  issue(options) {
    const { durationSeconds, parentAccessKeyId = this.defaultParent, sessionPolicy, role } = options ?? {};
    if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > MAX_SESSION_SECONDS) {
      throw new TypeError(`durationSeconds must be an integer in 1..${MAX_SESSION_SECONDS}`);
    }
    const parent = typeof parentAccessKeyId === 'string' ? this.permanent(parentAccessKeyId) : undefined;
    if (!parent || parent.securityToken !== undefined) {
      throw new TypeError('parentAccessKeyId must name a configured permanent credential');
    }
    const expiresAt = this.now() + durationSeconds * 1000;
    /** @type {Credential} */
    const session = {
      accessKeyId: `AKLTemuSession${randomBytes(9).toString('hex')}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      securityToken: `ks3emu-session/${randomBytes(32).toString('base64url')}`,
      ownerId: parent.ownerId,
      displayName: parent.displayName,
      expiresAt,
      ...(sessionPolicy ? { sessionPolicy } : {}),
      ...(role ? { role } : {}),
    };
    this.byKey.set(session.accessKeyId, session);
    this.prune();
    return {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      securityToken: /** @type {string} */ (session.securityToken),
      expiration: new Date(expiresAt),
    };
  }

  /** @param {string} accessKeyId */
  lookup(accessKeyId) {
    return this.byKey.get(accessKeyId);
  }

  /** Forgets the oldest expired sessions once there are too many (Map order = issue order). */
  prune() {
    const now = this.now();
    for (const [key, s] of this.byKey) {
      if (this.byKey.size <= MAX_SESSIONS) return;
      if ((s.expiresAt ?? Number.POSITIVE_INFINITY) <= now) this.byKey.delete(key);
    }
  }
}

/**
 * §2.9 and STS semantics: a temporary credential must present exactly its token and be
 * unexpired; a permanent one must present none.
 * @param {Credential} credential
 * @param {string | undefined} token what the request carried
 * @param {number} now
 * @throws {Ks3Error} InvalidToken, ExpiredToken
 */
export function checkToken(credential, token, now) {
  if (credential.securityToken === undefined ? token !== undefined : token !== credential.securityToken) {
    throw new Ks3Error('InvalidToken');
  }
  if (credential.expiresAt !== undefined && now >= credential.expiresAt) {
    throw new Ks3Error('ExpiredToken', undefined, {
      extra: { Expiration: new Date(credential.expiresAt).toISOString(), ServerTime: new Date(now).toISOString() },
    });
  }
}

/**
 * Replaces a security token in text echoed back in an error (canonical request, string to
 * sign), raw and percent-encoded, so tokens never travel back in error bodies.
 * @param {string} text
 * @param {string | undefined} token
 */
export function redactToken(text, token) {
  if (!token) return text;
  return text.split(token).join('REDACTED').split(uriEncode(token)).join('REDACTED');
}
