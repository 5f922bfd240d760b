// @ts-check
/** The HTTP server: options, listening, logging and a clean close. */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { createClock } from './clock.js';
import {
  DEFAULT_MAX_CONCURRENT_UPLOADS,
  DEFAULT_TIMEOUTS,
  UploadSlots,
  guardConnections,
  serverOptions,
} from './connections.js';
import { configureCors, createCorsSettings } from './cors.js';
import { Faults } from './faults.js';
import { handleRequest } from './handler.js';
import { advanceClock } from './lifecycle.js';
import { MAX_OBJECT_SIZE } from './limits.js';
import { logLine } from './log.js';
import { Sessions } from './sessions.js';
import { openStore } from './store/recover.js';
import { createStsSettings } from './sts/settings.js';

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
 * @typedef {object} Emulator
 * @property {string} url `http://127.0.0.1:PORT`
 * @property {number} port
 * @property {string} dataDir absolute
 * @property {{ add(spec: import('./faults.js').FaultSpec): number, clear(): void, list(): object[] }} faults
 * @property {{ configure(settings: { exposeHeadersOmit?: string[], bucket?: string }): void, reset(): void }} cors
 * @property {{ issue(options: { durationSeconds: number, parentAccessKeyId?: string }):
 *   import('./sessions.js').IssuedSession }} sessions temporary credentials acting as a configured identity
 * @property {{ now(): number, offsetMs(): number, advance(ms: number): Promise<AdvanceResult> }} clock the
 *   emulator's time (ms); `advance` moves it forward and applies every bucket's lifecycle rules
 * @property {() => void} reset clears faults and CORS tweaks (like `POST /__ks3emu/reset`); the clock stays
 * @property {() => Promise<void>} close stops listening, closes every socket, waits for in-flight requests
 */

/** @typedef {import('./auth.js').Credential} Credential */

/**
 * @typedef {object} AdvanceResult
 * @property {number} now the emulator's time after the step (ms)
 * @property {number} offsetMs how far it is ahead of the wall clock in total
 * @property {{ objects: number, uploads: number }} expired what lifecycle rules removed
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
 * Starts a KS3 emulator.
 * @param {EmulatorOptions} options
 * @returns {Promise<Emulator>}
 * @throws {TypeError} on invalid options
 * @example
 * const emu = await startEmulator({ dataDir: '/tmp/ks3', quiet: true });
 * // ... requests to emu.url ...
 * await emu.close();
 */
export async function startEmulator(options) {
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
  const clock = createClock(options.now ?? Date.now);
  const dataDir = resolve(options.dataDir);
  const store = await openStore(dataDir);
  const faults = new Faults();
  const closing = new AbortController();
  // Sessions expire on the wall clock, like presigned URLs (clock.js): advancing the emulator's
  // clock for lifecycle tests does not expire them.
  const sessions = new Sessions(
    (ak) => byKey.get(ak),
    clock.wallNow,
    /** @type {Credential} */ (credentials[0]).accessKeyId,
  );
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
  /** @type {import('./context.js').Env} */
  const env = {
    store,
    faults,
    cors,
    lookup: (ak) => byKey.get(ak) ?? sessions.lookup(ak),
    now: clock.now,
    clock,
    maxSkewMs: options.maxSkewMs ?? 15 * 60 * 1000,
    allowNoDate: options.allowNoDate ?? true,
    region: options.region ?? 'BEIJING',
    checkRegion: options.checkRegion ?? true,
    extraServices: options.extraServices ?? [],
    headerWhitespace: whitespace,
    sessions,
    sts,
    admin: options.admin ?? false,
    virtualHostedOnly: new Set(options.virtualHostedOnly ?? []),
    uploads: new UploadSlots(maxUploads),
    hooks: options.testHooks ?? {},
    domains: new Map(Object.entries(options.domains ?? {}).map(([h, b]) => [h.toLowerCase(), b])),
    endpointNames: ['127.0.0.1', 'localhost', ...(options.endpointNames ?? []).map((n) => n.toLowerCase())],
    callback: { timeoutMs: options.callbackTimeoutMs ?? 3000, retries: options.callbackRetries ?? 2 },
    restoreDelayMs,
    fetch: fetchLimits,
    signal: closing.signal,
  };

  /** @type {Set<Promise<unknown>>} */
  const inflight = new Set();
  // Only inactivity ends a request, so multi-GiB uploads are not cut (connections.js).
  const server = createServer(serverOptions(timeouts));
  guardConnections(server, timeouts.idleTimeoutMs);
  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  const onRequest = (req, res) => {
    const started = Date.now();
    if (!quiet) res.on('close', () => console.log(logLine(req, res, Date.now() - started)));
    const work = handleRequest(env, req, res).catch((err) => console.error('[ks3-emulator] unexpected', err));
    inflight.add(work);
    work.finally(() => inflight.delete(work));
  };
  server.on('request', onRequest);
  // §3: the reference sends `Expect: 100-Continue` and the body right away; answer 100 and go on.
  server.on('checkContinue', (req, res) => {
    res.writeContinue();
    onRequest(req, res);
  });
  // Malformed requests, and heads that did not arrive within headersTimeoutMs (slowloris).
  server.on('clientError', (/** @type {NodeJS.ErrnoException} */ err, socket) => {
    const status =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      ok(undefined);
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  /** @type {Promise<void> | undefined} */
  let closed;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    dataDir,
    faults: { add: (spec) => faults.add(spec), clear: () => faults.clear(), list: () => faults.list() },
    sessions: {
      issue: (o) => sessions.issue({ durationSeconds: o?.durationSeconds, parentAccessKeyId: o?.parentAccessKeyId }),
    },
    cors: { configure: (s) => configureCors(cors, s), reset: () => configureCors(cors, {}) },
    clock: { now: clock.now, offsetMs: clock.offsetMs, advance: (ms) => advanceClock(env, ms) },
    reset() {
      faults.clear();
      configureCors(cors, {});
    },
    close() {
      closed ??= (async () => {
        closing.abort();
        const stopped = new Promise((ok) => server.close(() => ok(undefined)));
        server.closeAllConnections();
        await stopped;
        await Promise.allSettled([...inflight]);
        await store.serial(async () => {});
      })();
      return closed;
    },
  };
}
