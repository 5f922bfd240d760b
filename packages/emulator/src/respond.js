// @ts-check
/**
 * Every response goes through here, so each one gets its `x-kss-request-id`, its CORS headers
 * and an exact Content-Length (§10 item 7: no chunked encoding).
 */
import { corsHeaders } from './cors-rules.js';
import { XML_DECL, text } from './xml.js';

/** @typedef {import('./context.js').Ctx} Ctx */

/** Bodies left unread beyond this are not drained: the connection is closed instead. */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/**
 * Completes the headers of a response (request id, CORS, connection handling).
 * @param {Ctx} ctx
 * @param {Record<string, string>} headers lower-case names
 */
export function finishHeaders(ctx, headers) {
  headers['x-kss-request-id'] = ctx.requestId;
  // The wall clock signatures are checked against (option `now`, not the advanced clock.js
  // time), so a client can correct its skew from any answer.
  headers.date ??= new Date(ctx.env.clock.wallNow()).toUTCString();
  if (ctx.auth.namespace === 'AWS4') awsTwins(headers);
  // Answering before the request body was read (an error, a fault): Node drains what is left
  // before reading the next request; for a huge body that would mean reading gigabytes.
  const { req } = ctx;
  if (
    !req.complete &&
    (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > DRAIN_LIMIT)
  ) {
    headers.connection = 'close';
  }
  // The admin endpoint and the STS never answer cross-origin (admin.js, sts/handler.js).
  if (!ctx.admin && !ctx.sts) corsHeaders(ctx, headers);
  return headers;
}

/**
 * A request signed in the AWS namespace gets the x-amz-* names S3 clients read next to the x-kss-*
 * ones (metadata, request id, storage class, encryption).
 * @param {Record<string, string>} headers
 */
function awsTwins(headers) {
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-kss-')) headers[`x-amz-${name.slice(6)}`] ??= value;
  }
}

/**
 * Sends a complete response.
 * @param {Ctx} ctx
 * @param {number} status
 * @param {Record<string, string>} [headers]
 * @param {string | Buffer} [body]
 */
export function send(ctx, status, headers = {}, body = '') {
  const { res } = ctx;
  if (res.headersSent || res.destroyed) return;
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  // 204/304 carry no body and no length; HEAD keeps the length its handler set.
  if (status !== 204 && status !== 304 && !(ctx.method === 'HEAD' && 'content-length' in headers)) {
    headers['content-length'] = String(buf.length);
  }
  res.writeHead(status, finishHeaders(ctx, headers));
  res.end(ctx.method === 'HEAD' ? undefined : buf);
}

/**
 * Sends an XML document (§4: declaration first, `application/xml`).
 * @param {Ctx} ctx
 * @param {number} status
 * @param {string} root the root element
 * @param {Record<string, string>} [headers]
 * @param {string} [declaration]
 */
export function sendXml(ctx, status, root, headers = {}, declaration = XML_DECL) {
  send(ctx, status, { 'content-type': 'application/xml', ...headers }, declaration + root);
}

/**
 * Sends a KS3 error (§5.1). HEAD errors carry no body.
 * @param {Ctx} ctx
 * @param {import('./errors.js').Ks3Error} err
 */
export function sendError(ctx, err) {
  const t = ctx.target;
  const resource = t.bucket ? `/${t.bucket}/${t.key}` : ctx.rawPath;
  const extra = Object.entries(err.extra)
    .map(([k, v]) => text(k, v))
    .join('');
  const xml = `<Error>${text('Code', err.code)}${text('Message', err.message)}${text('Resource', resource)}${text('RequestId', ctx.requestId)}${extra}</Error>`;
  if (ctx.method === 'HEAD') send(ctx, err.status, { ...err.headers });
  else sendXml(ctx, err.status, xml, { ...err.headers });
}

/**
 * Sends JSON (admin endpoint, callback replies).
 * @param {Ctx} ctx
 * @param {number} status
 * @param {unknown} value
 */
export function sendJson(ctx, status, value) {
  send(ctx, status, { 'content-type': 'application/json' }, JSON.stringify(value));
}
