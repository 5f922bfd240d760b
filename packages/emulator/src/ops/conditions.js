// @ts-check
/**
 * Conditional GET/HEAD (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since) with
 * S3's precedence: a true If-Match overrides a false If-Unmodified-Since, a false
 * If-None-Match overrides a true If-Modified-Since. Resumable downloads use If-Match.
 */
import { Ks3Error } from '../errors.js';

/**
 * @param {string} header comma-separated ETags or `*`
 * @param {string} etag without quotes
 */
function etagListMatches(header, etag) {
  return header.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === '*' || v.replace(/^"|"$/g, '') === etag;
  });
}

/**
 * @param {import('../context.js').Ctx} ctx
 * @param {import('../store/types.js').ObjectMeta} meta
 * @returns {'ok' | 'not-modified'}
 * @throws {Ks3Error} PreconditionFailed
 */
export function checkConditions(ctx, meta) {
  const h = ctx.req.headers;
  const seconds = Math.floor(meta.lastModified / 1000) * 1000; // HTTP dates have 1 s resolution
  const since = (/** @type {string | undefined} */ v) => (v === undefined ? Number.NaN : Date.parse(v));
  const ifMatch = h['if-match'];
  const ifNoneMatch = h['if-none-match'];
  const unmodifiedSince = since(h['if-unmodified-since']);
  const modifiedSince = since(h['if-modified-since']);
  if (ifMatch !== undefined ? !etagListMatches(ifMatch, meta.etag) : seconds > unmodifiedSince) {
    throw new Ks3Error('PreconditionFailed', undefined, {
      extra: { Condition: ifMatch !== undefined ? 'If-Match' : 'If-Unmodified-Since' },
    });
  }
  if (ifNoneMatch !== undefined ? etagListMatches(ifNoneMatch, meta.etag) : seconds <= modifiedSince)
    return 'not-modified';
  return 'ok';
}
