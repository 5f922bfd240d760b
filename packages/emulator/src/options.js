// @ts-check
/** The options of `startEmulator`, and their validation (all of it before anything starts). */
import { createHash } from 'node:crypto';
import { DEFAULT_MAX_CONCURRENT_UPLOADS, DEFAULT_TIMEOUTS } from './connections.js';
import { createCorsSettings } from './cors.js';
import { MAX_OBJECT_SIZE } from './limits.js';
import { createStsSettings } from './sts/settings.js';

/** @typedef {import('./auth.js').Credential} Credential */

/**
 * The identity used when no credentials are given. A local test default, not a secret.
 */
export const DEFAULT_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKLTks3EmulatorLocal01',
  secretAccessKey: 'ks3emulator/local+secret=0000',
});

/**
 * @typedef {object} CredentialOption
 * @property {string} accessKeyId
 * @property {string} secretAccessKey
 * @property {string} [securityToken] requests must then carry `x-kss-security-token` (§2.9)
 * @property {string} [ownerId] identities sharing an ownerId share buckets (e.g. a temporary
 *   key of the same account); default: derived from the access key
 * @property {string} [displayName]
 */

/**
 * @typedef {object} EmulatorOptions
 * @property {string} dataDir directory holding all state; created if missing
 * @property {number} [port] default 0 (any free port)
 * @property {string} [host] default 127.0.0.1
 * @property {CredentialOption[]} [credentials] default: DEFAULT_CREDENTIALS (printed unless quiet)
 * @property {Record<string, string>} [domains] custom host → bucket bindings (§1.3)
 * @property {string[]} [endpointNames] extra hosts for virtual-host style, besides 127.0.0.1 and localhost
 * @property {boolean} [allowNoDate] accept signed requests with neither Date nor x-kss-date (§2.5); default true
 * @property {number} [maxSkewMs] default 15 minutes
 * @property {() => number} [now] wall clock in ms, default Date.now; the emulator's time is this plus
 *   what `clock.advance` added (clock.js)
 * @property {'any' | 'rules'} [cors] 'rules' (default): CORS from each bucket's `?cors` rules only;
 *   'any': every origin allowed and every header exposed (quick local use, the SDK's browser tests)
 * @property {boolean} [quiet] no request log
 * @property {number} [callbackTimeoutMs] per callback attempt, default 3000 (§4.9)
 * @property {number} [callbackRetries] default 2
 * @property {number} [restoreDelayMs] time from the first restore request of an archived object
 *   until it is readable, on the `now` clock; default 0 (KS3 takes 1 to 10 minutes)
 * @property {number} [fetchTimeoutMs] PUT Fetch: whole download, default 30000
 * @property {number} [fetchMaxBytes] PUT Fetch: largest source, default 5 GiB
 * @property {string} [region] the region V4 scopes must name, default 'BEIJING'
 * @property {boolean} [checkRegion] refuse V4 scopes naming another region, default true
 * @property {string[]} [extraServices] V4 scope services accepted besides ks3 / s3 (e.g. 's3vectors')
 * @property {'either' | 'keep' | 'collapse'} [headerWhitespace] inner whitespace of V4 header values,
 *   default 'either' (KS3's Go SDK keeps it, AWS collapses it; which KS3 servers use is unverified)
 * @property {boolean} [admin] answer the /__ks3emu/ endpoint, default false
 * @property {string[]} [virtualHostedOnly] buckets (or '*') whose path-style requests get
 *   403 SecondLevelDomainForbidden
 * @property {number} [headersTimeoutMs] default 20 s (connections.js)
 * @property {number} [idleTimeoutMs] default 30 s
 * @property {number} [keepAliveTimeoutMs] default 5 s
 * @property {number} [maxConcurrentUploads] default 128; beyond it 503 SlowDown
 * @property {Record<string, string>} [roles] STS: role KRN → the access key its sessions act as;
 *   default: every credential may assume `krn:ksc:iam::<its ownerId>:role/*` (sts/handler.js)
 * @property {string} [stsRegion] STS: the V4 scope region, default 'cn-beijing-6'
 * @property {number} [stsMinDurationSeconds] STS: default 1 (KS3's own minimum is UNVERIFIED; AWS: 900)
 * @property {number} [stsMaxDurationSeconds] STS: default 43200
 * @property {{ afterCompleteCommit?: () => unknown }} [testHooks] crash-simulation seams for tests
 */

/**
 * @param {CredentialOption} c
 * @returns {Credential}
 */
function normalizeCredential(c) {
  if (
    !c ||
    typeof c.accessKeyId !== 'string' ||
    !c.accessKeyId ||
    typeof c.secretAccessKey !== 'string' ||
    !c.secretAccessKey
  ) {
    throw new TypeError('each credential needs a non-empty accessKeyId and secretAccessKey');
  }
  const ownerId = c.ownerId ?? `ks3emu-${createHash('sha256').update(c.accessKeyId).digest('hex').slice(0, 24)}`;
  return { ...c, ownerId, displayName: c.displayName ?? ownerId };
}

/**
 * @param {number | undefined} value
 * @param {number} fallback
 * @param {string} name
 * @throws {TypeError} for a negative or non-finite number
 */
function nonNegative(value, fallback, name) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TypeError(`startEmulator: ${name} must be a non-negative number`);
  return value;
}

/**
 * Checks every option and derives the settings the server runs with.
 * @param {EmulatorOptions} options
 * @throws {TypeError} naming the option at fault
 */
export function checkOptions(options) {
  if (!options || typeof options.dataDir !== 'string' || options.dataDir === '')
    throw new TypeError('startEmulator: dataDir is required');
  const credentials = (options.credentials ?? [DEFAULT_CREDENTIALS]).map(normalizeCredential);
  const byKey = new Map(credentials.map((c) => [c.accessKeyId, c]));
  if (byKey.size !== credentials.length) throw new TypeError('startEmulator: duplicate accessKeyId');
  const quiet = options.quiet ?? false;
  if (!options.credentials && !quiet) {
    console.log(
      `KS3 emulator default credentials: accessKeyId=${DEFAULT_CREDENTIALS.accessKeyId} secretAccessKey=${DEFAULT_CREDENTIALS.secretAccessKey}`,
    );
  }
  const restoreDelayMs = nonNegative(options.restoreDelayMs, 0, 'restoreDelayMs');
  const fetchLimits = {
    timeoutMs: nonNegative(options.fetchTimeoutMs, 30_000, 'fetchTimeoutMs'),
    maxBytes: nonNegative(options.fetchMaxBytes, MAX_OBJECT_SIZE, 'fetchMaxBytes'),
  };
  let cors;
  try {
    cors = createCorsSettings(options.cors ?? 'rules');
  } catch (err) {
    throw new TypeError(`startEmulator: ${/** @type {Error} */ (err).message}`);
  }
  const sts = createStsSettings(options, (ak) => byKey.get(ak));
  /** @type {Record<keyof typeof DEFAULT_TIMEOUTS, number>} */
  const timeouts = { ...DEFAULT_TIMEOUTS };
  for (const k of /** @type {(keyof typeof DEFAULT_TIMEOUTS)[]} */ (Object.keys(DEFAULT_TIMEOUTS))) {
    const v = options[k];
    if (v !== undefined && !(Number.isInteger(v) && v > 0))
      throw new TypeError(`startEmulator: ${k} must be a positive integer`);
    timeouts[k] = v ?? DEFAULT_TIMEOUTS[k];
  }
  const maxUploads = options.maxConcurrentUploads ?? DEFAULT_MAX_CONCURRENT_UPLOADS;
  if (!(Number.isInteger(maxUploads) && maxUploads > 0))
    throw new TypeError('startEmulator: maxConcurrentUploads must be a positive integer');
  const whitespace = options.headerWhitespace ?? 'either';
  if (!['either', 'keep', 'collapse'].includes(whitespace))
    throw new TypeError("startEmulator: headerWhitespace must be 'either', 'keep' or 'collapse'");
  return { credentials, byKey, quiet, restoreDelayMs, fetchLimits, cors, sts, timeouts, maxUploads, whitespace };
}
