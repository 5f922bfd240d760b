// @ts-check
/**
 * Connection hygiene (issue 11, points 11 and 16): timeouts for slow headers, stalled bodies,
 * stalled readers and idle sockets; a bound on bodies being received at once; and no pipelined
 * requests, so bytes sent beyond a declared Content-Length are never run as a second request.
 *
 * Node's http server reads a connection's next request while the previous one is still being
 * answered, and emits it at once: a `PUT` with `Content-Length: 5` followed by ten bytes whose
 * last five spell `GET /…` runs that GET. Clients here never pipeline (fetch/undici and browsers
 * wait for each response), so a request arriving before the previous answer was finished is
 * answered `400 InvalidRequest` without being run, and the connection is closed after it.
 */
import { Ks3Error } from './errors.js';
import { sendError } from './respond.js';

/** @typedef {import('./context.js').Ctx} Ctx */

/** Defaults (ms); every one is an emulator option of the same name. */
export const DEFAULT_TIMEOUTS = Object.freeze({
  /** The whole request head must arrive within this (slowloris). */
  headersTimeoutMs: 20_000,
  /** No byte in either direction for this long while a request is in progress (or on a fresh
   *  connection): a stalled body, an `Expect: 100-continue` never followed by its body, a client
   *  no longer reading its response. The server's own work (callbacks, injected delays) does not count. */
  idleTimeoutMs: 30_000,
  /** An idle connection between requests is closed after this. */
  keepAliveTimeoutMs: 5_000,
});

/** Bodies received at once (PUT, Upload Part); each holds a socket and a temp file. */
export const DEFAULT_MAX_CONCURRENT_UPLOADS = 128;

const CURRENT = Symbol('ks3emu.currentRequest');

/** @typedef {import('node:net').Socket & { [CURRENT]?: Ctx }} TrackedSocket */

/**
 * `node:http` server options for the timeouts.
 * @param {{ headersTimeoutMs: number, keepAliveTimeoutMs: number }} t
 * @returns {import('node:http').ServerOptions}
 */
export function serverOptions(t) {
  return {
    // A multi-GiB upload may take long: only inactivity ends a request (idleTimeoutMs).
    requestTimeout: 0,
    headersTimeout: t.headersTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    // Node checks header deadlines on this period (default 30 s); make short timeouts precise.
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(t.headersTimeoutMs / 4))),
  };
}

/**
 * Arms the inactivity timeout on every socket of `server`.
 * @param {import('node:http').Server} server
 * @param {number} idleTimeoutMs
 */
export function guardConnections(server, idleTimeoutMs) {
  server.timeout = idleTimeoutMs;
  // With a listener, Node leaves the decision to us (also for keep-alive timeouts).
  server.on('timeout', (/** @type {TrackedSocket} */ socket) => onIdle(socket, idleTimeoutMs));
}

/**
 * @param {TrackedSocket} socket
 * @param {number} idleTimeoutMs
 */
function onIdle(socket, idleTimeoutMs) {
  const ctx = socket[CURRENT];
  const answering = ctx !== undefined && !ctx.res.writableEnded;
  if (answering && (ctx.busy > 0 || (ctx.req.complete && socket.writableLength === 0))) {
    // The server is working on a received request: not the client's fault; wait again.
    socket.setTimeout(idleTimeoutMs);
    return;
  }
  if (answering && !ctx.req.complete && !ctx.res.headersSent) {
    // Waiting for body bytes that do not come: say so (S3's code), then close. Once answered,
    // Node no longer ties the request to its socket, so end the request too: the handler
    // reading it fails and cleans up (temp file, upload slot).
    ctx.res.once('finish', () => ctx.req.destroy());
    sendError(ctx, new Ks3Error('RequestTimeout', undefined, { headers: { connection: 'close' } }));
    setTimeout(() => socket.destroy(), 1000).unref();
    return;
  }
  ctx?.req.destroy();
  socket.destroy();
}

/**
 * Registers the request a socket is answering. Returns an error when the previous request on
 * the socket is still being answered (pipelining, or bytes beyond a Content-Length).
 * @param {Ctx} ctx
 * @returns {Ks3Error | undefined}
 */
export function trackRequest(ctx) {
  const socket = /** @type {TrackedSocket} */ (ctx.req.socket);
  const previous = socket[CURRENT];
  if (previous && !previous.res.writableEnded) {
    return new Ks3Error(
      'InvalidRequest',
      'A request arrived before the previous response on this connection was sent (HTTP pipelining, or ' +
        'body bytes beyond Content-Length); it was not run and the connection is closed.',
      { headers: { connection: 'close' } },
    );
  }
  socket[CURRENT] = ctx;
  return undefined;
}

/**
 * Marks the server busy on behalf of the request (an injected delay) while `work` runs, so the
 * idle timeout does not blame the client.
 * @template T
 * @param {Ctx} ctx
 * @param {Promise<T>} work
 */
export async function whileBusy(ctx, work) {
  ctx.busy++;
  try {
    return await work;
  } finally {
    ctx.busy--;
  }
}

/** Counts bodies being received; beyond the bound, `503 SlowDown` (retryable) and close. */
export class UploadSlots {
  /** @param {number} max */
  constructor(max) {
    this.max = max;
    this.active = 0;
  }

  /**
   * @returns {() => void} releases the slot (idempotent)
   * @throws {Ks3Error} SlowDown
   */
  acquire() {
    if (this.active >= this.max) {
      throw new Ks3Error('SlowDown', `More than ${this.max} uploads are in progress; retry later.`, {
        headers: { connection: 'close' },
      });
    }
    this.active++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.active--;
      }
    };
  }
}
