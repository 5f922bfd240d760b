// @ts-check
/**
 * One request, start to end: request id → admin / STS / CORS preflight → addressing →
 * authentication → operation → session and bucket policies → fault injection → handler. Every
 * failure becomes a KS3 error response; nothing thrown here may crash the server.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAdmin, ADMIN_PREFIX } from './admin.js';
import { resolveTarget, splitTarget } from './address.js';
import { authenticate } from './auth.js';
import { trackRequest, whileBusy } from './connections.js';
import { corsPreflight } from './cors-rules.js';
import { Ks3Error } from './errors.js';
import { faultError } from './faults.js';
import { expireBeforeRequest } from './lifecycle.js';
import { ANONYMOUS_OPS } from './ops/access.js';
import { enforceBucketPolicy } from './policy/enforce.js';
import { enforceSessionPolicy } from './policy/session.js';
import { parseQuery } from './query.js';
import { send, sendError } from './respond.js';
import { HANDLERS, resolveOp } from './router.js';
import { checkShare } from './share-url.js';
import { handleSts, isStsRequest } from './sts/handler.js';
import { EMPTY_SHA256 } from './v4-canonical.js';

/** @typedef {import('./context.js').Ctx} Ctx */
/** @typedef {import('./context.js').Env} Env */

/**
 * @param {Env} env
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @returns {Ctx}
 */
function createContext(env, req, res) {
  const { rawPath, rawQuery } = splitTarget(req.url ?? '/');
  const params = parseQuery(rawQuery);
  /** @type {Map<string, string>} */
  const query = new Map();
  for (const p of params) if (!query.has(p.name)) query.set(p.name, p.value);
  return {
    env,
    req,
    res,
    requestId: randomBytes(12).toString('hex'),
    method: req.method ?? 'GET',
    rawPath,
    params,
    query,
    target: { style: 'path', bucket: '', key: '', resourcePath: rawPath },
    credential: null,
    kss: new Map(),
    auth: { version: 'anonymous', namespace: 'KSS' },
    op: '',
    admin: rawPath.startsWith(ADMIN_PREFIX),
    sts: isStsRequest(rawPath, req.headers.host),
    busy: 0,
    policyDecision: 'default',
  };
}

/**
 * Handles one request.
 * @param {Env} env
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @returns {Promise<Ctx>}
 */
export async function handleRequest(env, req, res) {
  const ctx = createContext(env, req, res);
  try {
    const pipelined = trackRequest(ctx);
    if (pipelined) throw pipelined;
    if (ctx.admin) {
      await handleAdmin(ctx);
    } else if (ctx.sts) {
      await handleSts(ctx);
    } else if (ctx.method === 'OPTIONS') {
      const { status, headers } = corsPreflight(ctx);
      send(ctx, status, headers);
    } else {
      ctx.target = resolveTarget(req.headers.host, ctx.rawPath, env);
      checkAddressing(ctx);
      const auth = authenticate(
        {
          method: ctx.method,
          rawPath: ctx.rawPath,
          resourcePath: ctx.target.resourcePath,
          params: ctx.params,
          rawHeaders: req.rawHeaders,
        },
        // Signatures, presigned expiry and session expiry follow the wall clock, not the
        // advanced one (clock.js).
        { ...env, now: env.clock.wallNow },
      );
      ctx.credential = auth.credential;
      ctx.kss = auth.kss;
      ctx.auth = auth.info;
      checkBodilessPayload(ctx);
      ctx.op = resolveOp(ctx);
      if (ctx.auth.share) checkShare(ctx, ctx.auth.share);
      // POST Object learns its identity from the form, and applies the policies then; a batch
      // delete checks the session policy per key.
      if (ctx.op !== 'PostObject') {
        if (ctx.op !== 'DeleteObjects') enforceSessionPolicy(ctx);
        enforceBucketPolicy(ctx);
        if (!ctx.credential && !ANONYMOUS_OPS.has(ctx.op) && ctx.policyDecision !== 'allow')
          throw new Ks3Error('AccessDenied', 'Anonymous access is not allowed for this operation.');
      }
      await expireBeforeRequest(ctx);
      if (await applyFault(ctx)) return ctx;
      await HANDLERS[ctx.op]?.(ctx);
    }
  } catch (err) {
    if (err instanceof Ks3Error) {
      if (res.headersSent) res.destroy();
      else sendError(ctx, err);
    } else {
      if (!env.signal.aborted) console.error(`[ks3-emulator] ${ctx.method} ${ctx.rawPath} failed:`, err);
      if (res.headersSent) res.destroy();
      else sendError(ctx, new Ks3Error('InternalError'));
    }
  }
  return ctx;
}

/**
 * `virtualHostedOnly`: KS3 refuses path-style requests for some buckets (ks3-v4.md §2.1).
 * @param {Ctx} ctx
 * @throws {Ks3Error} SecondLevelDomainForbidden
 */
function checkAddressing(ctx) {
  const { style, bucket } = ctx.target;
  const only = ctx.env.virtualHostedOnly;
  if (style === 'path' && bucket && (only.has(bucket) || only.has('*'))) {
    throw new Ks3Error('SecondLevelDomainForbidden', undefined, { extra: { BucketName: bucket } });
  }
}

/**
 * A V4 request declaring a payload SHA-256 but carrying no body must declare the empty one (a
 * body's hash is checked while it streams, body.js).
 * @param {Ctx} ctx
 * @throws {Ks3Error} XAmzContentSHA256Mismatch
 */
function checkBodilessPayload(ctx) {
  const declared = ctx.auth.payloadSha256;
  const { headers } = ctx.req;
  const bodiless = headers['transfer-encoding'] === undefined && Number(headers['content-length'] ?? 0) === 0;
  if (declared !== undefined && bodiless && declared !== EMPTY_SHA256) {
    throw new Ks3Error('XAmzContentSHA256Mismatch', undefined, {
      extra: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: EMPTY_SHA256 },
    });
  }
}

/**
 * Applies the first armed fault matching this request (§8 of the brief: after auth, before
 * storage). Returns true when the request is finished (socket reset).
 * @param {Ctx} ctx
 */
async function applyFault(ctx) {
  const pn = ctx.query.get('partNumber');
  const fault = ctx.env.faults.take(ctx.op, {
    bucket: ctx.target.bucket,
    key: ctx.target.key,
    partNumber: pn !== undefined && /^\d+$/.test(pn) ? Number(pn) : undefined,
  });
  if (!fault) return false;
  if (fault.diskError) ctx.diskError = fault.diskError;
  if (fault.delayMs)
    await whileBusy(
      ctx,
      sleep(fault.delayMs, undefined, { signal: ctx.env.signal }).catch(() => {}),
    );
  if (fault.reset) {
    await firstBodyChunk(ctx.req);
    ctx.req.socket.destroy();
    return true;
  }
  if (fault.status !== undefined) throw faultError(fault);
  return false;
}

/**
 * Waits until some of the body arrived (so a reset lands mid-upload), the body ended, or 2 s.
 * @param {import('node:http').IncomingMessage} req
 */
function firstBodyChunk(req) {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || req.complete) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 2000);
    const done = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    req.once('data', done).once('end', done).once('close', done);
  });
}
