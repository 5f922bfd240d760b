// @ts-check
/**
 * Startup: clear tmp/, load every bucket, object and upload into memory, and delete what no
 * committed metadata references (data of writes that crashed before their commit point, or
 * whose old version was being replaced). A multipart upload whose Complete committed (the
 * object's metadata names it) is removed; one whose Complete did not commit stays in progress.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Store } from './store.js';
import { SortedKeys } from './sorted-keys.js';
import { unlinkQuiet } from './fsx.js';
import { decodeStack, isDeleteMarker } from './versions.js';

/** @typedef {import('./types.js').ObjectMeta} ObjectMeta */
/** @typedef {import('./types.js').Version} Version */
/** @typedef {import('./types.js').UploadState} UploadState */

/**
 * @param {string} path
 * @returns {Promise<string[]>}
 */
async function list(path) {
  try {
    return await readdir(path);
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * @template T
 * @param {string} path
 * @returns {Promise<T | undefined>} undefined when missing or unreadable
 */
async function readJson(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Opens (creating if needed) the store in `dataDir`.
 * @param {string} dataDir
 */
export async function openStore(dataDir) {
  const store = new Store(dataDir);
  await rm(store.tmpDir, { recursive: true, force: true });
  await mkdir(store.tmpDir, { recursive: true });
  await mkdir(store.bucketsDir, { recursive: true });
  for (const name of await list(store.bucketsDir)) {
    const dir = store.bucketDir(name);
    /** @type {import('./types.js').BucketInfo | undefined} */
    const info = await readJson(join(dir, 'bucket.json'));
    if (!info || info.name !== name) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    const { objects, versions } = await loadObjects(store, name);
    const uploads = await loadUploads(store, name);
    // A Complete that committed its object but crashed before removing the upload: finish it.
    for (const meta of objects.values()) {
      if (meta.uploadId !== undefined && uploads.delete(meta.uploadId)) {
        await rm(join(dir, 'uploads', meta.uploadId), { recursive: true, force: true });
      }
    }
    store.buckets.set(name, {
      info,
      objects,
      keys: new SortedKeys([...objects.keys()]),
      uploads,
      versions,
      allKeys: new SortedKeys([...versions.keys()]),
    });
  }
  return store;
}

/**
 * @param {Store} store
 * @param {string} bucket
 */
async function loadObjects(store, bucket) {
  /** @type {Map<string, ObjectMeta>} */
  const objects = new Map();
  /** @type {Map<string, Version[]>} */
  const versions = new Map();
  const objectsDir = join(store.bucketDir(bucket), 'objects');
  const dataDir = join(store.bucketDir(bucket), 'data');
  const dataFiles = new Set(await list(dataDir));
  for (const shard of await list(objectsDir)) {
    for (const file of await list(join(objectsDir, shard))) {
      const path = join(objectsDir, shard, file);
      const stack = decodeStack(await readJson(path));
      const key = stack?.[0]?.key;
      // A version whose bytes are missing cannot be served: it is dropped (never expected).
      const kept = (stack ?? []).filter((v) => isDeleteMarker(v) || dataFiles.has(v.dataId));
      const top = kept[0];
      if (typeof key !== 'string' || !top || store.metaPath(bucket, key) !== path) {
        await unlinkQuiet(path);
        continue;
      }
      versions.set(key, kept);
      if (!isDeleteMarker(top)) objects.set(key, top);
    }
  }
  const referenced = new Set();
  for (const stack of versions.values()) for (const v of stack) if (!isDeleteMarker(v)) referenced.add(v.dataId);
  for (const file of dataFiles) if (!referenced.has(file)) await unlinkQuiet(join(dataDir, file));
  return { objects, versions };
}

/**
 * @param {Store} store
 * @param {string} bucket
 */
async function loadUploads(store, bucket) {
  /** @type {Map<string, UploadState>} */
  const uploads = new Map();
  const root = join(store.bucketDir(bucket), 'uploads');
  for (const id of await list(root)) {
    const dir = join(root, id);
    /** @type {import('./types.js').UploadInfo | undefined} */
    const info = await readJson(join(dir, 'upload.json'));
    if (!info || info.uploadId !== id) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    const files = await list(dir);
    /** @type {UploadState} */
    const state = { info, parts: new Map(), completing: false };
    for (const file of files.filter((f) => /^part-\d+\.json$/.test(f))) {
      /** @type {import('./types.js').PartInfo | undefined} */
      const part = await readJson(join(dir, file));
      if (part && files.includes(part.dataId)) state.parts.set(part.partNumber, part);
      else await unlinkQuiet(join(dir, file));
    }
    const referenced = new Set([...state.parts.values()].map((p) => p.dataId));
    for (const file of files) {
      if (file !== 'upload.json' && !file.startsWith('part-') && !referenced.has(file))
        await unlinkQuiet(join(dir, file));
    }
    uploads.set(id, state);
  }
  return uploads;
}
