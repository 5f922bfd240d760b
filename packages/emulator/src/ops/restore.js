// @ts-check
/**
 * Archive storage classes and Restore Object (`POST /{key}?restore`, docs.ksyun.com/documents/42474).
 * An archived object's bytes can be read only while a restored copy exists: the first restore
 * request answers 202 and the copy becomes readable `restoreDelayMs` later on the emulator's
 * clock; a request while it is being prepared is `409 RestoreAlreadyInProgress`; a request on a
 * readable copy answers 200 and restarts its `Days` from now (KS3's rule). Days: 1–7 for ARCHIVE,
 * 1–365 for the cold classes (ks3sdklib/aws-sdk-go RestoreRequest), default 1. Restoring an object
 * of another class is `403 InvalidObjectState` (S3's answer; KS3 documents none).
 */
import { Ks3Error } from '../errors.js';
import { send } from '../respond.js';
import { versionOf } from '../store/versions.js';
import { childText } from '../xml-parse.js';
import { requireBucket } from './access.js';
import { requireVersion, versionHeaders } from './versions.js';
import { expectRoot, readCheckedXml } from './xml-body.js';

/** @typedef {import('../context.js').Ctx} Ctx */
/** @typedef {import('../store/types.js').ObjectMeta} ObjectMeta */

export const ARCHIVE_CLASSES = new Set(['ARCHIVE', 'COLD_ARCHIVE', 'DEEP_COLD_ARCHIVE']);
const DAY = 24 * 60 * 60 * 1000;
const TIERS = new Set(['Expedited', 'Standard', 'Bulk']);

/**
 * The clock restores follow: the emulator's (clock.js), so `clock.advance` makes a pending
 * restore ready and a restored copy expire.
 * @param {import('../context.js').Env} env
 */
export function restoreNow(env) {
  return env.clock.now();
}

/**
 * @param {ObjectMeta} meta
 * @param {number} now
 * @returns {'none' | 'ongoing' | 'restored'} `none` also once a restored copy expired
 */
export function restoreState(meta, now) {
  const r = meta.restore;
  if (!r) return 'none';
  if (now < r.readyAt) return 'ongoing';
  return now < r.readyAt + r.days * DAY ? 'restored' : 'none';
}

/**
 * The `x-kss-restore` header value (§4.7), or undefined when no restore is pending or live.
 * @param {ObjectMeta} meta
 * @param {number} now
 */
export function restoreHeader(meta, now) {
  const state = restoreState(meta, now);
  if (state === 'ongoing') return 'ongoing-request="true"';
  if (state === 'none' || !meta.restore) return undefined;
  const expiry = new Date(meta.restore.readyAt + meta.restore.days * DAY).toUTCString();
  return `ongoing-request="false", expiry-date="${expiry}"`;
}

/**
 * Refuses to serve the bytes of an archived object that is not restored (GET, copy source).
 * @param {Ctx} ctx
 * @param {ObjectMeta} meta
 * @throws {Ks3Error} InvalidObjectState
 */
export function requireReadable(ctx, meta) {
  if (!ARCHIVE_CLASSES.has(meta.storageClass) || restoreState(meta, restoreNow(ctx.env)) === 'restored') return;
  throw new Ks3Error('InvalidObjectState', 'The object is archived: restore it (POST ?restore) before reading it.', {
    extra: { StorageClass: meta.storageClass },
  });
}

/**
 * `<RestoreRequest><Days>n</Days>[<JobParameters><Tier>…</Tier></JobParameters>]</RestoreRequest>`
 * or no body at all.
 * @param {import('../xml-parse.js').XmlElement | undefined} root
 * @param {string} storageClass
 * @throws {Ks3Error} MalformedXML, InvalidArgument
 */
function requestedDays(root, storageClass) {
  if (!root) return 1;
  const req = expectRoot(root, 'RestoreRequest');
  const job = req.children.find((c) => c.local === 'JobParameters');
  const tier = job ? childText(job, 'Tier')?.trim() : undefined;
  if (job && (tier === undefined || !TIERS.has(tier)))
    throw new Ks3Error('MalformedXML', 'JobParameters/Tier must be Expedited, Standard or Bulk.');
  const raw = childText(req, 'Days')?.trim();
  if (raw === undefined) return 1;
  if (!/^\d{1,6}$/.test(raw)) throw new Ks3Error('MalformedXML', 'Days must be a whole number.');
  const max = storageClass === 'ARCHIVE' ? 7 : 365;
  const days = Number(raw);
  if (days < 1 || days > max)
    throw new Ks3Error('InvalidArgument', `Days must be from 1 to ${max} for ${storageClass} objects.`, {
      extra: { ArgumentName: 'Days', ArgumentValue: raw },
    });
  return days;
}

/** @param {Ctx} ctx */
export async function restoreObject(ctx) {
  const bucket = requireBucket(ctx, 'WRITE');
  const meta = requireVersion(ctx, bucket, ctx.target.key, 'READ');
  const root = await readCheckedXml(ctx);
  if (!ARCHIVE_CLASSES.has(meta.storageClass))
    throw new Ks3Error('InvalidObjectState', 'Restore is only for objects of an archive storage class.', {
      extra: { StorageClass: meta.storageClass },
    });
  const days = requestedDays(root, meta.storageClass);
  const now = restoreNow(ctx.env);
  const state = restoreState(meta, now);
  if (state === 'ongoing') throw new Ks3Error('RestoreAlreadyInProgress');
  const readyAt = state === 'restored' ? now : now + ctx.env.restoreDelayMs;
  const stored = await ctx.env.store.updateObject(
    bucket.info.name,
    meta.key,
    (m) => ({ ...m, restore: { readyAt, days } }),
    versionOf(meta),
  );
  send(ctx, state === 'restored' ? 200 : 202, versionHeaders(bucket, stored));
}
