// @ts-check
/**
 * The test-control endpoint under `/__ks3emu/` (not a valid bucket name, so it never shadows
 * one). Never signed; loopback clients only.
 *
 *   POST   /__ks3emu/faults   add a fault (JSON spec or array of specs) → { ids }
 *   GET    /__ks3emu/faults   the armed faults
 *   DELETE /__ks3emu/faults   remove all faults
 *   POST   /__ks3emu/cors     { "exposeHeadersOmit": ["etag"], "bucket"?: "b" }
 *   POST   /__ks3emu/reset    clear faults and CORS tweaks
 *   POST   /__ks3emu/clock    { "advanceMs": n } moves the emulator's clock, applies lifecycle rules
 *   GET    /__ks3emu/clock    { now, offsetMs }
 *   GET    /__ks3emu/health   { ok: true }
 */
import { ADMIN_PREFIX } from './admin-prefix.js';
import { readSmallBody } from './body.js';
import { configureCors } from './cors.js';
import { advanceClock } from './lifecycle.js';
import { send, sendJson } from './respond.js';

/** @typedef {import('./context.js').Ctx} Ctx */

export { ADMIN_PREFIX };

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

/** @param {Ctx} ctx */
export async function handleAdmin(ctx) {
  if (!isLoopback(ctx.req.socket.remoteAddress)) {
    sendJson(ctx, 403, { error: 'the admin endpoint only answers loopback clients' });
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
