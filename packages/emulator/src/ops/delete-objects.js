// @ts-check
/**
 * Delete Multiple Objects (`POST /?delete`, S3's shape; KS3 lists `?delete` among its signed
 * sub-resources). Content-MD5 is required (missing → `400 MissingContentMD5`, malformed →
 * `400 InvalidDigest`, wrong → `400 BadDigest`); 1 to 1,000 `Object` entries, each a `Key` and
 * an optional `VersionId`, else `400 MalformedXML`. Each key is deleted as DELETE would (delete
 * markers in versioned buckets) and answered with a `Deleted` or an `Error` entry; `Quiet` true
 * leaves the `Deleted` ones out. A requester without WRITE on the bucket gets `AccessDenied`
 * per key, and so does each key the session policy of temporary credentials does not allow
 * `ks3:DeleteObject` on.
 */
import { Ks3Error } from '../errors.js';
import { MAX_KEY_LENGTH } from '../limits.js';
import { sessionAllows, sessionDenied } from '../policy/session.js';
import { sendXml } from '../respond.js';
import { S3NS, el, text } from '../xml.js';
import { childText, childrenNamed } from '../xml-parse.js';
import { actingOwner, existingBucket, mayOnBucket } from './access.js';
import { checkVersionId } from './versions.js';
import { expectRoot, readCheckedXml } from './xml-body.js';

/** @typedef {import('../context.js').Ctx} Ctx */

export const MAX_DELETE_KEYS = 1000;
/** 1,000 keys of up to 1,024 characters, written as character references at worst. */
const MAX_DELETE_BODY = 16 * 1024 * 1024;
/** Tags of a Delete document: 6 per Object with a VersionId (open and close), some to spare. */
const MAX_DELETE_TAGS = 6 * MAX_DELETE_KEYS + 100;

/**
 * @param {import('../xml-parse.js').XmlElement} root
 * @returns {{ quiet: boolean, objects: { key: string, versionId: string | undefined }[] }}
 * @throws {Ks3Error} MalformedXML
 */
function parseDelete(root) {
  const quiet = childText(root, 'Quiet')?.trim() ?? 'false';
  if (quiet !== 'true' && quiet !== 'false') throw new Ks3Error('MalformedXML', 'Quiet must be true or false.');
  const objects = childrenNamed(root, 'Object').map((o) => {
    const key = childText(o, 'Key');
    if (!key) throw new Ks3Error('MalformedXML', 'Each Object needs a non-empty Key.');
    return { key, versionId: childText(o, 'VersionId')?.trim() };
  });
  if (objects.length === 0) throw new Ks3Error('MalformedXML', 'The Delete document names no Object.');
  if (objects.length > MAX_DELETE_KEYS)
    throw new Ks3Error('MalformedXML', `At most ${MAX_DELETE_KEYS} objects can be deleted in one request.`);
  return { quiet: quiet === 'true', objects };
}

/** @param {Ctx} ctx */
export async function deleteObjects(ctx) {
  const bucket = existingBucket(ctx);
  const root = expectRoot(
    await readCheckedXml(ctx, { requireMd5: true, limit: MAX_DELETE_BODY, maxTags: MAX_DELETE_TAGS }),
    'Delete',
  );
  const { quiet, objects } = parseDelete(root);
  const may = mayOnBucket(ctx, bucket, 'WRITE');
  const owner = actingOwner(ctx, bucket).id;
  /** @type {string[]} */
  const results = [];
  for (const { key, versionId } of objects) {
    const version = versionId === undefined ? [] : [text('VersionId', versionId)];
    try {
      if (!may) throw new Ks3Error('AccessDenied');
      if (!sessionAllows(ctx, 'ks3:DeleteObject', bucket.info.name, key)) throw sessionDenied();
      if ([...key].length > MAX_KEY_LENGTH) throw new Ks3Error('KeyTooLong');
      if (versionId !== undefined) checkVersionId(versionId);
      const done = await ctx.env.store.deleteObject(bucket.info.name, key, {
        versionId,
        now: ctx.env.now(),
        ownerId: owner,
      });
      if (quiet) continue;
      const marker = done.deleteMarker
        ? [text('DeleteMarker', 'true'), text('DeleteMarkerVersionId', done.versionId ?? '')]
        : [];
      results.push(el('Deleted', [text('Key', key), ...version, ...marker]));
    } catch (err) {
      if (!(err instanceof Ks3Error)) throw err;
      results.push(el('Error', [text('Key', key), ...version, text('Code', err.code), text('Message', err.message)]));
    }
  }
  sendXml(ctx, 200, el('DeleteResult', results, { xmlns: S3NS }));
}
