// @ts-check
/**
 * Multipart uploads on disk: `buckets/<b>/uploads/<uploadId>/` holds `upload.json`, one
 * `part-<n>.json` per part (its commit point) and the part bytes under fresh ids.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Ks3Error } from '../errors.js';
import { newId, removeTree, unlinkQuiet, writeJsonAtomic } from './fsx.js';

/** @typedef {import('./store.js').Store} Store */
/** @typedef {import('./types.js').UploadState} UploadState */
/** @typedef {import('./types.js').PartInfo} PartInfo */

let sequence = 0;

/**
 * Upload ids sort in creation order (time, then a counter), so listing by id within a key is
 * listing by initiation time, as S3 does.
 */
function newUploadId() {
  sequence = (sequence + 1) & 0xffff;
  return (
    Date.now().toString(16).padStart(12, '0') + sequence.toString(16).padStart(4, '0') + randomBytes(8).toString('hex')
  );
}

/**
 * @param {Store} store
 * @param {string} bucket
 * @param {string} uploadId
 */
export function uploadDir(store, bucket, uploadId) {
  return join(store.bucketDir(bucket), 'uploads', uploadId);
}

/** @param {string} bucket @param {string} uploadId */
const noSuchUpload = (bucket, uploadId) =>
  new Ks3Error('NoSuchUpload', undefined, { extra: { UploadId: uploadId, BucketName: bucket } });

/**
 * @param {Store} store
 * @param {string} bucket
 * @param {Omit<import('./types.js').UploadInfo, 'uploadId'>} info
 * @returns {Promise<UploadState>}
 */
export function createUpload(store, bucket, info) {
  return store.serial(async () => {
    const b = store.buckets.get(bucket);
    if (!b) throw new Ks3Error('NoSuchBucket', undefined, { extra: { BucketName: bucket } });
    const full = { ...info, uploadId: newUploadId() };
    const staging = join(store.tmpDir, `upload-${newId()}`);
    await mkdir(staging);
    await writeJsonAtomic(store.tmpDir, join(staging, 'upload.json'), full);
    await rename(staging, uploadDir(store, bucket, full.uploadId));
    /** @type {UploadState} */
    const state = { info: full, parts: new Map(), completing: false };
    b.uploads.set(full.uploadId, state);
    return state;
  });
}

/**
 * Looks up an upload of `key` in `bucket`.
 * @param {Store} store
 * @param {string} bucket
 * @param {string} key
 * @param {string} uploadId
 * @throws {Ks3Error} NoSuchUpload (also for an upload of another key, or one being completed)
 */
export function getUpload(store, bucket, key, uploadId) {
  const u = store.buckets.get(bucket)?.uploads.get(uploadId);
  if (!u || u.info.key !== key || u.completing) throw noSuchUpload(bucket, uploadId);
  return u;
}

/**
 * Commits a received part; re-uploading a part number replaces it (§4.16).
 * @param {Store} store
 * @param {string} bucket
 * @param {string} key
 * @param {string} uploadId
 * @param {string} tmpData
 * @param {Omit<PartInfo, 'dataId'>} part
 */
export function commitPart(store, bucket, key, uploadId, tmpData, part) {
  return store.serial(async () => {
    let upload;
    try {
      upload = getUpload(store, bucket, key, uploadId);
    } catch (err) {
      await unlinkQuiet(tmpData);
      throw err;
    }
    const dir = uploadDir(store, bucket, uploadId);
    const full = { ...part, dataId: newId() };
    await rename(tmpData, join(dir, full.dataId));
    try {
      await writeJsonAtomic(store.tmpDir, join(dir, `part-${part.partNumber}.json`), full);
    } catch (err) {
      await unlinkQuiet(join(dir, full.dataId));
      throw err;
    }
    const previous = upload.parts.get(part.partNumber);
    upload.parts.set(part.partNumber, full);
    if (previous) await unlinkQuiet(join(dir, previous.dataId));
    return full;
  });
}

/**
 * Removes an upload and its parts (Abort, or the end of a successful Complete).
 * @param {Store} store
 * @param {string} bucket
 * @param {string} uploadId
 */
export function removeUpload(store, bucket, uploadId) {
  return store.serial(async () => {
    const b = store.buckets.get(bucket);
    if (!b?.uploads.has(uploadId)) throw noSuchUpload(bucket, uploadId);
    b.uploads.delete(uploadId);
    await removeTree(store.tmpDir, uploadDir(store, bucket, uploadId));
  });
}
