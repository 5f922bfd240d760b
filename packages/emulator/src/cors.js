// @ts-check
/**
 * The permissive CORS mode (`cors: 'any'`, CLI `--cors any`) and the settings shared by both
 * modes. In 'any' mode every origin is allowed, preflights are answered for any path, and every
 * response header is exposed, minus names a test removes on purpose to play a bucket whose CORS
 * rule forgot them (e.g. `etag`). The default mode, 'rules', answers from each bucket's
 * `?cors` configuration only (cors-rules.js). Admin routes get no CORS headers in either (admin.js).
 */

/** @typedef {'any' | 'rules'} CorsMode */
export const CORS_MODES = /** @type {const} */ (['any', 'rules']);

/**
 * @typedef {object} CorsSettings
 * @property {CorsMode} mode
 * @property {Map<string, Set<string>>} exposeHeadersOmit per bucket ('' = every bucket): lower-case
 *   names left out of Access-Control-Expose-Headers ('any' mode only)
 */

/**
 * @param {unknown} [mode] default 'rules'
 * @returns {CorsSettings}
 * @throws {TypeError} for a mode other than 'any' or 'rules'
 */
export function createCorsSettings(mode = 'rules') {
  if (!CORS_MODES.includes(/** @type {CorsMode} */ (mode)))
    throw new TypeError(`cors must be 'any' or 'rules', not ${JSON.stringify(mode)}`);
  return { mode: /** @type {CorsMode} */ (mode), exposeHeadersOmit: new Map() };
}

/**
 * Applies `{ exposeHeadersOmit: [...], bucket? }` (admin endpoint and `emu.cors.configure`): for
 * one bucket when `bucket` is given (so parallel tests do not disturb each other), else for all.
 * An empty object clears every setting.
 * @param {CorsSettings} settings
 * @param {unknown} input
 * @throws {TypeError} on a malformed setting
 */
export function configureCors(settings, input) {
  const { exposeHeadersOmit: omit, bucket } = /** @type {{ exposeHeadersOmit?: unknown, bucket?: unknown }} */ (
    input ?? {}
  );
  if (omit !== undefined && !(Array.isArray(omit) && omit.every((n) => typeof n === 'string'))) {
    throw new TypeError('exposeHeadersOmit must be an array of header names');
  }
  if (bucket !== undefined && typeof bucket !== 'string') throw new TypeError('bucket must be a string');
  if (omit === undefined && bucket === undefined) settings.exposeHeadersOmit.clear();
  else settings.exposeHeadersOmit.set(bucket ?? '', new Set((omit ?? []).map((n) => n.toLowerCase())));
}

/**
 * Headers of a preflight answer (204) in 'any' mode.
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
 * Adds the CORS headers of an actual response in 'any' mode; `headers` must already hold
 * everything else.
 * @param {Record<string, string>} headers lower-case names
 * @param {string | undefined} origin
 * @param {CorsSettings} settings
 * @param {string} bucket the request's bucket ('' when none)
 */
export function addCorsHeaders(headers, origin, settings, bucket) {
  if (!origin) return;
  const all = settings.exposeHeadersOmit.get('');
  const mine = settings.exposeHeadersOmit.get(bucket);
  const exposed = Object.keys(headers).filter((n) => !n.startsWith('access-control-') && !all?.has(n) && !mine?.has(n));
  headers['access-control-allow-origin'] = origin;
  headers.vary = 'Origin';
  if (exposed.length > 0) headers['access-control-expose-headers'] = exposed.join(', ');
}
