// @ts-check
/**
 * CORS answered from a bucket's `?cors` rules, as KS3 and S3 do (docs.ksyun.com/documents/42309,
 * OPTIONS Object): the first rule whose AllowedOrigin matches the Origin, whose AllowedMethod
 * holds the (requested) method and, for a preflight, whose AllowedHeader patterns cover every
 * Access-Control-Request-Headers name decides. A preflight no rule allows is 403; an actual
 * request no rule allows is served without CORS headers. In 'any' mode cors.js's permissive
 * answers are used instead. The admin routes never answer with CORS headers (admin.js).
 */
import { resolveTarget } from './address.js';
import { configError } from './config/errors.js';
import { addCorsHeaders, preflightHeaders } from './cors.js';

/** @typedef {import('./context.js').Ctx} Ctx */
/** @typedef {import('./config/cors-xml.js').CorsRule} CorsRule */
/** @typedef {import('./config/cors-xml.js').CorsConfig} CorsConfig */

const NOT_ALLOWED =
  'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / ' +
  "Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

/**
 * Does a pattern with at most one `*` (any run of characters) match the value?
 * @param {string} pattern
 * @param {string} value
 */
export function wildcardMatch(pattern, value) {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

/**
 * The first rule allowing this origin, method and (for preflights) request headers.
 * @param {CorsConfig} config
 * @param {string} origin
 * @param {string} method
 * @param {string[]} [requestHeaders] lower-case names; undefined for actual requests
 * @returns {CorsRule | undefined}
 */
export function findCorsRule(config, origin, method, requestHeaders) {
  return config.rules.find(
    (rule) =>
      rule.allowedOrigins.some((o) => wildcardMatch(o, origin)) &&
      rule.allowedMethods.includes(method) &&
      (requestHeaders ?? []).every((h) => rule.allowedHeaders.some((p) => wildcardMatch(p.toLowerCase(), h))),
  );
}

/** @param {Ctx} ctx */
const permissive = (ctx) => ctx.env.cors.mode === 'any';

/**
 * @param {Ctx} ctx
 * @returns {CorsConfig | undefined}
 */
function bucketCors(ctx) {
  return ctx.target.bucket ? ctx.env.store.buckets.get(ctx.target.bucket)?.info.config?.cors : undefined;
}

/**
 * The headers a matching rule adds.
 * @param {CorsRule} rule
 * @param {string} origin
 */
function ruleHeaders(rule, origin) {
  const any = rule.allowedOrigins.includes('*');
  /** @type {Record<string, string>} */
  const h = {
    'access-control-allow-origin': any ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    vary: VARY,
  };
  if (!any) h['access-control-allow-credentials'] = 'true';
  if (rule.exposeHeaders.length > 0) h['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) h['access-control-max-age'] = String(rule.maxAgeSeconds);
  return h;
}

/**
 * Answers a preflight (OPTIONS): status and headers, or a KS3 error to send.
 * @param {Ctx} ctx
 * @returns {{ status: number, headers: Record<string, string> }}
 * @throws {import('./errors.js').Ks3Error} BadRequest, AccessForbidden, InvalidURI
 */
export function corsPreflight(ctx) {
  const { headers } = ctx.req;
  if (permissive(ctx)) {
    const requested = /** @type {string | undefined} */ (headers['access-control-request-headers']);
    return { status: 204, headers: preflightHeaders(headers.origin, requested) };
  }
  const origin = headers.origin;
  const method = /** @type {string | undefined} */ (headers['access-control-request-method']);
  if (!origin) throw configError('BadRequest', 'Insufficient information. Origin request header needed.');
  if (!method)
    throw configError('BadRequest', 'Insufficient information. Access-Control-Request-Method request header needed.');
  ctx.target = resolveTarget(headers.host, ctx.rawPath, ctx.env);
  const bucket = ctx.target.bucket ? ctx.env.store.buckets.get(ctx.target.bucket) : undefined;
  if (!bucket) throw configError('AccessForbidden', 'CORSResponse: Bucket not found');
  const config = bucket.info.config?.cors;
  if (!config) throw configError('AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.');
  const requested = String(headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const rule = findCorsRule(config, origin, method, requested);
  if (!rule) throw configError('AccessForbidden', NOT_ALLOWED);
  const answer = ruleHeaders(rule, origin);
  if (requested.length > 0) answer['access-control-allow-headers'] = requested.join(', ');
  return { status: 200, headers: answer };
}

/**
 * Adds the CORS headers of an actual response (every response goes through here).
 * @param {Ctx} ctx
 * @param {Record<string, string>} headers lower-case names; everything else is already set
 */
export function corsHeaders(ctx, headers) {
  const origin = ctx.req.headers.origin;
  if (permissive(ctx)) {
    addCorsHeaders(headers, origin, ctx.env.cors, ctx.target?.bucket ?? '');
    return;
  }
  // A preflight's answer is complete (and its errors carry no CORS headers, as in S3).
  if (ctx.method === 'OPTIONS') return;
  const config = bucketCors(ctx);
  if (!config) return;
  if (!origin) {
    if (config.nonCrossOriginResponseVary) headers.vary = headers.vary ? `${headers.vary}, Origin` : 'Origin';
    return;
  }
  const rule = findCorsRule(config, origin, ctx.method);
  if (rule) Object.assign(headers, ruleHeaders(rule, origin));
  else headers.vary = VARY;
}
