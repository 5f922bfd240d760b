// @ts-check
/**
 * Applying lifecycle rules: Expiration removes objects, AbortIncompleteMultipartUpload removes
 * uploads, at the emulator's time (clock.js). The store is swept when the clock is advanced
 * (`emu.clock.advance`, `POST /__ks3emu/clock`), and lazily before a request reads what a rule
 * may have expired since (its key or upload, or the whole bucket for listings), so time that
 * passes on its own (an injected `now`) is honoured too.
 *
 * In a versioned bucket an expired object gets a delete marker and its versions stay
 * (NoncurrentVersionExpiration is not supported).
 *
 * Choices where KS3 is silent: "Days" means exactly N × 24 h after the object's Last-Modified
 * (or the upload's initiation), without KS3's rounding to the next midnight; a Date applies from
 * that instant on. Transitions are stored but not applied (the emulator keeps every object in
 * its storage class). Tag filters match `ObjectMeta.tags` (a `{ key, value }` list, as object
 * tagging stores them); objects without tags never match a rule with Tag filters.
 */
import { rulePrefix } from './config/lifecycle-xml.js';
import { removeUpload } from './store/uploads.js';

/** @typedef {import('./config/lifecycle-xml.js').LifecycleRule} LifecycleRule */
/** @typedef {import('./config/lifecycle-xml.js').LifecycleConfig} LifecycleConfig */
/** @typedef {import('./config/lifecycle-xml.js').Tag} Tag */
/** @typedef {import('./store/types.js').ObjectMeta} ObjectMeta */
/** @typedef {import('./store/types.js').UploadState} UploadState */
/** @typedef {import('./store/types.js').BucketState} BucketState */
/** @typedef {import('./store/store.js').Store} Store */

const DAY_MS = 24 * 3600 * 1000;
/** Bucket listings, before which the whole bucket is swept. */
const SWEEPING_OPS = new Set(['ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'ListMultipartUploads']);

/**
 * The object's tags as a record. Object tagging keeps them as `ObjectMeta.tags`, a list of
 * `{ key, value }` (a key → value record is read too).
 * @param {ObjectMeta} meta
 * @returns {Record<string, string>}
 */
function objectTags(meta) {
  const tags = /** @type {{ tags?: unknown }} */ (meta).tags;
  if (Array.isArray(tags))
    return Object.fromEntries(tags.map((/** @type {{ key: string, value: string }} */ t) => [t.key, t.value]));
  return tags && typeof tags === 'object' ? /** @type {Record<string, string>} */ (tags) : {};
}

/** @param {Tag} t @param {Record<string, string>} tags */
const hasTag = (t, tags) => Object.hasOwn(tags, t.key) && tags[t.key] === t.value;

/**
 * Does an enabled rule's filter select this object?
 * @param {LifecycleRule} rule
 * @param {ObjectMeta} meta
 */
export function ruleSelectsObject(rule, meta) {
  if (rule.status !== 'Enabled' || !meta.key.startsWith(rulePrefix(rule))) return false;
  const f = rule.filter;
  if (!f) return true;
  const tags = objectTags(meta);
  if (f.and && !f.and.tags.every((t) => hasTag(t, tags))) return false;
  if (f.objectSizeGreaterThan !== undefined && !(meta.size > f.objectSizeGreaterThan)) return false;
  if (f.objectSizeLessThan !== undefined && !(meta.size < f.objectSizeLessThan)) return false;
  const excluded = (f.nots ?? []).some(
    (n) => (n.prefix === undefined || meta.key.startsWith(n.prefix)) && (!n.tag || hasTag(n.tag, tags)),
  );
  return !excluded;
}

/**
 * @param {{ days?: number, date?: string }} when
 * @param {number} since ms
 * @param {number} now ms
 */
function due(when, since, now) {
  return when.days !== undefined ? now >= since + when.days * DAY_MS : now >= Date.parse(when.date ?? '');
}

/**
 * Has some rule expired this object at `now`?
 * @param {LifecycleConfig} config
 * @param {ObjectMeta} meta
 * @param {number} now
 */
export function objectExpired(config, meta, now) {
  return config.rules.some(
    (r) => r.expiration && ruleSelectsObject(r, meta) && due(r.expiration, meta.lastModified, now),
  );
}

/**
 * Has some rule aborted this upload at `now`? Uploads have a key but no tags or size, so only
 * the prefix (and prefix-only Nots) select them.
 * @param {LifecycleConfig} config
 * @param {UploadState} upload
 * @param {number} now
 */
export function uploadExpired(config, upload, now) {
  const { key, initiated } = upload.info;
  return config.rules.some((r) => {
    const a = r.abortIncomplete;
    if (!a || r.status !== 'Enabled' || !key.startsWith(rulePrefix(r))) return false;
    if ((r.filter?.nots ?? []).some((n) => !n.tag && n.prefix !== undefined && key.startsWith(n.prefix))) return false;
    return due({ days: a.daysAfterInitiation, date: a.date }, initiated, now);
  });
}

/**
 * Expires the current version of a key as DELETE would: gone in an unversioned bucket, a delete
 * marker (dated `now` on the emulator's clock, owned by the bucket owner, as S3's lifecycle
 * markers are) in a versioned one.
 * @param {Store} store
 * @param {BucketState} bucket
 * @param {string} key
 * @param {number} now
 */
function expireObject(store, bucket, key, now) {
  return store.deleteObject(bucket.info.name, key, { now, ownerId: bucket.info.ownerId });
}

/**
 * Removes what the bucket's rules expired.
 * @param {Store} store
 * @param {BucketState} bucket
 * @param {number} now
 * @returns {Promise<{ objects: number, uploads: number }>}
 */
export async function sweepBucket(store, bucket, now) {
  /** @type {LifecycleConfig | undefined} */
  const config = bucket.info.config?.lifecycle;
  const removed = { objects: 0, uploads: 0 };
  if (!config) return removed;
  const name = bucket.info.name;
  for (const meta of [...bucket.objects.values()]) {
    if (objectExpired(config, meta, now)) {
      await expireObject(store, bucket, meta.key, now);
      removed.objects++;
    }
  }
  for (const upload of [...bucket.uploads.values()]) {
    if (!upload.completing && uploadExpired(config, upload, now)) {
      await removeUpload(store, name, upload.info.uploadId).catch(() => {});
      removed.uploads++;
    }
  }
  return removed;
}

/**
 * Moves the emulator's clock forward and applies every bucket's rules at the new time.
 * @param {import('./context.js').Env} env
 * @param {number} ms
 * @throws {TypeError} for a negative, fractional or huge step
 */
export async function advanceClock(env, ms) {
  const now = env.clock.advance(ms);
  const expired = { objects: 0, uploads: 0 };
  for (const bucket of [...env.store.buckets.values()]) {
    const r = await sweepBucket(env.store, bucket, now);
    expired.objects += r.objects;
    expired.uploads += r.uploads;
  }
  return { now, offsetMs: env.clock.offsetMs(), expired };
}

/**
 * Lazy expiry before a request is served: the object (and upload) it names, or the whole bucket
 * for listings.
 * @param {import('./context.js').Ctx} ctx
 */
export async function expireBeforeRequest(ctx) {
  const { store } = ctx.env;
  const bucket = ctx.target.bucket ? store.buckets.get(ctx.target.bucket) : undefined;
  /** @type {LifecycleConfig | undefined} */
  const config = bucket?.info.config?.lifecycle;
  if (!bucket || !config) return;
  const now = ctx.env.now();
  const { key } = ctx.target;
  if (!key) {
    if (SWEEPING_OPS.has(ctx.op)) await sweepBucket(store, bucket, now);
    return;
  }
  const meta = bucket.objects.get(key);
  if (meta && objectExpired(config, meta, now)) await expireObject(store, bucket, key, now);
  const uploadId = ctx.query.get('uploadId');
  const upload = uploadId === undefined ? undefined : bucket.uploads.get(uploadId);
  if (upload && !upload.completing && uploadExpired(config, upload, now))
    await removeUpload(store, bucket.info.name, upload.info.uploadId).catch(() => {});
}
