// @ts-check
/**
 * Version stacks: every key of a bucket has its versions newest first. A bucket whose versioning
 * was never configured keeps at most one entry per key (without a `versionId`, which reads as
 * `null`), so it behaves exactly as before versioning existed. With versioning `Enabled` each
 * write pushes a version with a fresh id and a delete without `versionId` pushes a delete marker;
 * `Suspended` writes and deletes replace the `null` version (S3's rules).
 *
 * On disk a key's metadata file holds a plain ObjectMeta when the stack is one unversioned
 * object (the format from before versioning), else `{ key, stack }`. Either way that one file's
 * rename is the commit point of a change to the key.
 */
import { randomBytes } from 'node:crypto';

/** @typedef {import('./types.js').ObjectMeta} ObjectMeta */
/** @typedef {import('./types.js').DeleteMarker} DeleteMarker */
/** @typedef {import('./types.js').Version} Version */
/** @typedef {'Enabled' | 'Suspended' | undefined} VersioningStatus */

/** Version ids this emulator hands out: 32 lower-case hex digits (or the literal `null`). */
export const VERSION_ID = /^[0-9a-f]{32}$/;

export function newVersionId() {
  return randomBytes(16).toString('hex');
}

/** @param {Version} v */
export const versionOf = (v) => v.versionId ?? 'null';

/**
 * @param {Version | undefined} v
 * @returns {v is DeleteMarker}
 */
export const isDeleteMarker = (v) => v !== undefined && 'deleteMarker' in v && v.deleteMarker === true;

/**
 * The stack after a write of `meta` under the bucket's versioning status, and the versions it
 * pushed out (whose bytes the caller deletes after the commit).
 * @param {Version[]} stack
 * @param {ObjectMeta} meta
 * @param {VersioningStatus} status
 * @param {boolean} [inPlace] replace the current version keeping its id (Append Object)
 * @returns {{ stack: Version[], dropped: Version[] }}
 */
export function pushVersion(stack, meta, status, inPlace = false) {
  const [top, ...rest] = stack;
  if (inPlace && top && !isDeleteMarker(top)) {
    const kept = top.versionId === undefined ? meta : { ...meta, versionId: top.versionId };
    return { stack: [kept, ...rest], dropped: [top] };
  }
  if (status === undefined) return { stack: [meta], dropped: stack };
  if (status === 'Enabled') return { stack: [{ ...meta, versionId: newVersionId() }, ...stack], dropped: [] };
  return {
    stack: [{ ...meta, versionId: 'null' }, ...stack.filter((v) => versionOf(v) !== 'null')],
    dropped: stack.filter((v) => versionOf(v) === 'null'),
  };
}

/**
 * DELETE without a version id: removes the object of an unversioned bucket, else puts a delete
 * marker on top (with a fresh id, or `null` replacing the null version when suspended).
 * @param {Version[]} stack
 * @param {VersioningStatus} status
 * @param {{ key: string, now: number, ownerId: string }} who
 * @returns {{ stack: Version[], dropped: Version[], result: { versionId?: string, deleteMarker?: boolean } }}
 */
export function deleteCurrent(stack, status, who) {
  if (status === undefined) return { stack: [], dropped: stack, result: {} };
  /** @type {DeleteMarker} */
  const marker = {
    key: who.key,
    versionId: status === 'Enabled' ? newVersionId() : 'null',
    deleteMarker: true,
    lastModified: who.now,
    ownerId: who.ownerId,
  };
  const dropped = status === 'Enabled' ? [] : stack.filter((v) => versionOf(v) === 'null');
  const kept = status === 'Enabled' ? stack : stack.filter((v) => versionOf(v) !== 'null');
  return { stack: [marker, ...kept], dropped, result: { versionId: marker.versionId, deleteMarker: true } };
}

/**
 * DELETE with a version id: removes exactly that version (object or delete marker); a version
 * that does not exist is not an error.
 * @param {Version[]} stack
 * @param {string} versionId
 */
export function removeVersion(stack, versionId) {
  const found = stack.find((v) => versionOf(v) === versionId);
  return {
    stack: found ? stack.filter((v) => v !== found) : stack,
    dropped: found ? [found] : [],
    result: found && isDeleteMarker(found) ? { versionId, deleteMarker: true } : { versionId },
  };
}

/**
 * What a key's metadata file holds; undefined when the stack is empty (the file is removed).
 * @param {Version[]} stack
 */
export function encodeStack(stack) {
  const top = stack[0];
  if (!top) return undefined;
  if (stack.length === 1 && !isDeleteMarker(top) && top.versionId === undefined) return top;
  return { key: top.key, stack };
}

/**
 * Reads either file format back; undefined when it is neither.
 * @param {unknown} value parsed JSON
 * @returns {Version[] | undefined}
 */
export function decodeStack(value) {
  if (!value || typeof value !== 'object') return undefined;
  const v = /** @type {{ key?: unknown, stack?: unknown }} */ (value);
  if (typeof v.key !== 'string') return undefined;
  if (v.stack === undefined) return [/** @type {ObjectMeta} */ (value)];
  if (!Array.isArray(v.stack)) return undefined;
  return v.stack.filter((e) => e && typeof e === 'object' && e.key === v.key);
}
