// @ts-check
/**
 * The request log: method, target, status, time. Headers (Authorization, tokens) are never
 * printed; query parameters that carry a credential are replaced by `REDACTED`. An access key
 * id alone is not a secret and stays visible.
 */

/** Lower-cased names of the query parameters that are secrets (signatures, tokens). */
export const SECRET_PARAMS = new Set([
  'signature',
  'x-kss-signature',
  'x-amz-signature',
  'security-token',
  'x-kss-security-token',
  'x-amz-security-token',
]);

/**
 * The request-target with every secret query value replaced.
 * @param {string} target `req.url`
 */
export function redactTarget(target) {
  const q = target.indexOf('?');
  if (q < 0) return target;
  const items = target
    .slice(q + 1)
    .split('&')
    .map((item) => {
      const eq = item.indexOf('=');
      const rawName = eq < 0 ? item : item.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: compare as sent
      }
      return eq >= 0 && SECRET_PARAMS.has(name.toLowerCase()) ? `${rawName}=REDACTED` : item;
    });
  return `${target.slice(0, q)}?${items.join('&')}`;
}

/**
 * One log line for a finished (or aborted) exchange.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {number} ms
 */
export function logLine(req, res, ms) {
  const aborted = res.writableFinished ? '' : ' (aborted)';
  return `${req.method} ${redactTarget(req.url ?? '')} ${res.statusCode}${aborted} ${ms}ms`;
}
