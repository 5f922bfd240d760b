// @ts-check
/**
 * Upload callbacks (§4.9). The emulator calls back BEFORE the commit point: the object only
 * becomes visible when the callback server answered `{"result": true}`, so a refused or
 * unanswered callback leaves the key exactly as it was (the upload fails with 400 CallbackFail or
 * CallbackTimeout). The callback server's reply becomes the response body.
 */
import { Ks3Error } from './errors.js';

/** @typedef {import('./context.js').Ctx} Ctx */

/**
 * @typedef {object} CallbackRequest
 * @property {string} url
 * @property {string} body the `x-kss-callbackbody` template
 * @property {Record<string, string>} headers request headers starting with `kss-`
 */

/**
 * @typedef {object} UploadFacts values of the magic variables
 * @property {string} bucket
 * @property {string} key
 * @property {Buffer} md5 binary MD5 of the object bytes (`${etag}` is its Base64)
 * @property {number} size
 * @property {string} mimeType
 * @property {number} createTime ms
 */

/**
 * Reads the callback headers of a request; checks the URL up front so a bad one fails before
 * any byte is stored.
 * @param {Ctx} ctx
 * @returns {CallbackRequest | undefined}
 * @throws {Ks3Error} InvalidArgument for a URL that is not http(s)
 */
export function callbackRequest(ctx) {
  const url = ctx.kss.get('x-kss-callbackurl');
  if (url === undefined) return undefined;
  if (!/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) {
    throw new Ks3Error('InvalidArgument', 'x-kss-callbackurl must be an http or https URL.');
  }
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (name.startsWith('kss-') && typeof value === 'string') headers[name] = value;
  }
  return { url, body: ctx.kss.get('x-kss-callbackbody') ?? '', headers };
}

/**
 * Builds the JSON body: `k=v&k2=v2` with `${bucket}`, `${key}`, `${etag}`, `${objectSize}`,
 * `${mimeType}`, `${createTime}` (Unix seconds) substituted; `${kss-x}` takes the value of the
 * request header `kss-x`. Unknown variables stay literal. Every value is a JSON string.
 * @param {CallbackRequest} cb
 * @param {UploadFacts} facts
 */
export function callbackBody(cb, facts) {
  /** @type {Record<string, string>} */
  const vars = {
    bucket: facts.bucket,
    key: facts.key,
    etag: facts.md5.toString('base64'),
    objectSize: String(facts.size),
    mimeType: facts.mimeType,
    createTime: String(Math.floor(facts.createTime / 1000)),
    ...cb.headers,
  };
  /** @type {Record<string, string>} */
  const out = {};
  for (const pair of cb.body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const template = eq < 0 ? '' : pair.slice(eq + 1);
    out[name] = template.replace(/\$\{([^}]+)\}/g, (whole, v) => vars[v] ?? whole);
  }
  return JSON.stringify(out);
}

/**
 * Calls the callback server: `timeoutMs` per attempt, `retries` more attempts after a timeout or
 * network error. A reply that is not `{"result": true}` fails at once (no retry).
 * @param {Ctx} ctx
 * @param {CallbackRequest} cb
 * @param {UploadFacts} facts
 * @returns {Promise<Buffer>} the reply body, returned to the uploader
 * @throws {Ks3Error} CallbackFail, CallbackTimeout
 */
export async function invokeCallback(ctx, cb, facts) {
  const { timeoutMs, retries } = ctx.env.callback;
  const body = callbackBody(cb, facts);
  /** @type {unknown} */
  let lastError;
  for (let attempt = 0; attempt <= retries; attempt++) {
    let reply;
    // A timer of our own, cleared when done: a composite of AbortSignal.timeout() holds it only
    // weakly, and under load a collected timeout signal never fired (a callback test hung in CI).
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const stop = () => ac.abort(ctx.env.signal.reason);
    ctx.env.signal.addEventListener('abort', stop, { once: true });
    try {
      if (ctx.env.signal.aborted) stop();
      const res = await fetch(cb.url, {
        method: 'POST',
        headers: { ...cb.headers, 'content-type': 'application/json' },
        body,
        signal: ac.signal,
      });
      reply = { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
    } catch (err) {
      lastError = err;
      if (ctx.env.signal.aborted) break;
      continue;
    } finally {
      clearTimeout(timer);
      ctx.env.signal.removeEventListener('abort', stop);
    }
    let parsed;
    try {
      parsed = JSON.parse(reply.body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (reply.status >= 200 && reply.status < 300 && parsed?.result === true) return reply.body;
    throw new Ks3Error('CallbackFail', `The callback server answered ${reply.status} without "result": true.`);
  }
  throw new Ks3Error(
    'CallbackTimeout',
    `The callback server did not answer (${String(/** @type {Error} */ (lastError)?.message)}).`,
  );
}
