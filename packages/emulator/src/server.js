// @ts-check
/** The HTTP server: options, listening, logging and a clean close. */
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { createClock } from './clock.js';
import { UploadSlots, guardConnections, serverOptions } from './connections.js';
import { configureCors } from './cors.js';
import { Faults } from './faults.js';
import { handleRequest } from './handler.js';
import { advanceClock } from './lifecycle.js';
import { logLine } from './log.js';
import { Sessions } from './sessions.js';
import { checkOptions } from './options.js';
import { openStore } from './store/recover.js';

export { DEFAULT_CREDENTIALS } from './options.js';

/** @typedef {import('./options.js').EmulatorOptions} EmulatorOptions */
/** @typedef {import('./options.js').CredentialOption} CredentialOption */

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
  const { credentials, byKey, quiet, restoreDelayMs, fetchLimits, cors, sts, timeouts, maxUploads, whitespace } =
    checkOptions(options);
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
