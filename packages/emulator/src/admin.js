// @ts-check
/**
 * The test-control endpoint under `/__ks3emu/` (not a valid bucket name, so it never shadows
 * one). Off unless the emulator was started with `admin: true` (`--admin`). Never signed, so it
 * must never be reachable from a web page: loopback clients and loopback Host names only, no
 * CORS answer at all, any request carrying `Origin` (or a cross-site `Sec-Fetch-Site`) refused,
 * and POST bodies only as `application/json` (which a page cannot send cross-origin without a
 * preflight, and preflights get no CORS answer).
 *
 *   POST   /__ks3emu/faults    add a fault (JSON spec or array of specs) → { ids }
 *   GET    /__ks3emu/faults    the armed faults
 *   DELETE /__ks3emu/faults    remove all faults
 *   POST   /__ks3emu/cors      { "exposeHeadersOmit": ["etag"], "bucket"?: "b" }
 *   POST   /__ks3emu/sessions  { "durationSeconds": n, "parentAccessKeyId"?: ak } → temporary credentials
 *   POST   /__ks3emu/reset     clear faults and CORS tweaks
 *   POST   /__ks3emu/clock     { "advanceMs": n } moves the emulator's clock, applies lifecycle rules
 *   GET    /__ks3emu/clock     { now, offsetMs }
 *   GET    /__ks3emu/health    { ok: true }
 */
import { hostName } from './address.js';
import { readSmallBody } from './body.js';
import { configureCors } from './cors.js';
import { advanceClock } from './lifecycle.js';
import { send, sendJson } from './respond.js';

/** @typedef {import('./context.js').Ctx} Ctx */

/** Path prefix of the endpoint: not a valid bucket name, so it never shadows one. */
export const ADMIN_PREFIX = '/__ks3emu/';

/**
 * @param {string | undefined} address a socket's remote address
 */
export function isLoopback(address) {
  return address !== undefined && (/^(::ffff:)?127\./.test(address) || address === '::1');
}

/**
 * @param {Ctx} ctx
 * @returns {Promise<unknown>}
 */
async function readJson(ctx) {
  const text = (await readSmallBody(ctx, 64 * 1024, 'InvalidRequest')).toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
}

/**
 * Why a request may not use the admin endpoint, or undefined.
 * @param {Ctx} ctx
 */
export function adminRefusal(ctx) {
  const { headers } = ctx.req;
  if (!isLoopback(ctx.req.socket.remoteAddress)) return 'the admin endpoint only answers loopback clients';
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostName(headers.host))) {
    return 'the admin endpoint only answers requests addressed to 127.0.0.1, localhost or [::1]';
  }
  const site = headers['sec-fetch-site'];
  if (headers.origin !== undefined || (site !== undefined && site !== 'none' && site !== 'same-origin')) {
    return 'the admin endpoint does not answer web pages (a request carrying Origin or a cross-site Sec-Fetch-Site)';
  }
  if (ctx.method === 'POST' && !/^application\/json\s*(;|$)/i.test(headers['content-type'] ?? '')) {
    return 'admin POST bodies must be sent as Content-Type: application/json';
  }
  return undefined;
}

/** @param {Ctx} ctx */
export async function handleAdmin(ctx) {
  if (!ctx.env.admin) {
    sendJson(ctx, 404, { error: 'the admin endpoint is off: start the emulator with admin: true (CLI --admin)' });
    return;
  }
  const refusal = adminRefusal(ctx);
  if (refusal) {
    sendJson(ctx, ctx.method === 'POST' && refusal.includes('Content-Type') ? 415 : 403, { error: refusal });
    return;
  }
  const { faults, cors } = ctx.env;
  const route = `${ctx.method} ${ctx.rawPath.slice(ADMIN_PREFIX.length).replace(/\/$/, '')}`;
  try {
    switch (route) {
      case 'POST faults': {
        const body = await readJson(ctx);
        const specs = Array.isArray(body) ? body : [body];
        sendJson(ctx, 200, { ids: specs.map((s) => faults.add(s)) });
        return;
      }
      case 'GET faults':
        sendJson(ctx, 200, faults.list());
        return;
      case 'DELETE faults':
        faults.clear();
        send(ctx, 204);
        return;
      case 'POST cors':
        configureCors(cors, await readJson(ctx));
        send(ctx, 204);
        return;
      case 'POST sessions': {
        // Only these two: session policies and roles come from the STS (sts/handler.js).
        const { durationSeconds, parentAccessKeyId } = /** @type {any} */ ((await readJson(ctx)) ?? {});
        const session = ctx.env.sessions.issue({ durationSeconds, parentAccessKeyId });
        sendJson(ctx, 200, { ...session, expiration: session.expiration.toISOString() });
        return;
      }
      case 'POST reset':
        faults.clear();
        configureCors(cors, {});
        send(ctx, 204);
        return;
      case 'POST clock': {
        const { advanceMs } = /** @type {{ advanceMs?: unknown }} */ ((await readJson(ctx)) ?? {});
        const r = await advanceClock(ctx.env, /** @type {number} */ (advanceMs));
        sendJson(ctx, 200, { now: new Date(r.now).toISOString(), offsetMs: r.offsetMs, expired: r.expired });
        return;
      }
      case 'GET clock':
        sendJson(ctx, 200, { now: new Date(ctx.env.now()).toISOString(), offsetMs: ctx.env.clock.offsetMs() });
        return;
      case 'GET health':
        sendJson(ctx, 200, { ok: true });
        return;
      default:
        sendJson(ctx, 404, { error: `no admin route ${route}` });
    }
  } catch (err) {
    // Bad JSON or an invalid spec: say what is wrong.
    if (err instanceof SyntaxError || err instanceof TypeError) sendJson(ctx, 400, { error: err.message });
    else throw err;
  }
}
