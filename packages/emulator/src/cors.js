// @ts-check
/**
 * CORS for browser tests: every origin is allowed, preflights are answered for any path, and
 * every response header is exposed, minus names a test removes on purpose to play a bucket
 * whose CORS rule forgot them (e.g. `etag`).
 */

/**
 * @typedef {object} CorsSettings
 * @property {Set<string>} exposeHeadersOmit lower-case names left out of Access-Control-Expose-Headers
 */

/** @returns {CorsSettings} */
export function createCorsSettings() {
  return { exposeHeadersOmit: new Set() };
}

/**
 * Applies `{ exposeHeadersOmit: [...] }` (admin endpoint and `emu.cors.configure`).
 * @param {CorsSettings} settings
 * @param {unknown} input
 * @throws {TypeError} on a malformed setting
 */
export function configureCors(settings, input) {
  const omit = /** @type {{ exposeHeadersOmit?: unknown }} */ (input ?? {}).exposeHeadersOmit;
  if (omit !== undefined && !(Array.isArray(omit) && omit.every((n) => typeof n === 'string'))) {
    throw new TypeError('exposeHeadersOmit must be an array of header names');
  }
  settings.exposeHeadersOmit = new Set((omit ?? []).map((n) => n.toLowerCase()));
}

/**
 * Headers of a preflight answer (204).
 * @param {string | undefined} origin
 * @param {string | undefined} requestHeaders Access-Control-Request-Headers
 * @returns {Record<string, string>}
 */
export function preflightHeaders(origin, requestHeaders) {
  /** @type {Record<string, string>} */
  const h = {
    'access-control-allow-origin': origin ?? '*',
    'access-control-allow-methods': 'GET, PUT, POST, DELETE, HEAD',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
  if (requestHeaders) h['access-control-allow-headers'] = requestHeaders;
  return h;
}

/**
 * Adds the CORS headers of an actual response; `headers` must already hold everything else.
 * @param {Record<string, string>} headers lower-case names
 * @param {string | undefined} origin
 * @param {CorsSettings} settings
 */
export function addCorsHeaders(headers, origin, settings) {
  if (!origin) return;
  const exposed = Object.keys(headers).filter((n) => !n.startsWith('access-control-') && !settings.exposeHeadersOmit.has(n));
  headers['access-control-allow-origin'] = origin;
  headers.vary = 'Origin';
  if (exposed.length > 0) headers['access-control-expose-headers'] = exposed.join(', ');
}
