// @ts-check
/**
 * The disk store. Layout under `dataDir`:
 *
 *   tmp/                                   every write starts here; cleared at startup
 *   buckets/<name>/bucket.json             bucket info (ACL, location, logging)
 *   buckets/<name>/objects/<hh>/<h>.json   object metadata, h = sha256(key): the commit point
 *   buckets/<name>/data/<id>               object bytes, named by a fresh id
 *   buckets/<name>/uploads/<uploadId>/     upload.json, part-<n>.json and part bytes
 *
 * Bytes are streamed to tmp/, renamed into data/, then the metadata JSON is renamed into place.
 * A crash at any point leaves either the old object or the new one; orphaned data files are
 * collected at startup (recover.js). Metadata changes run one at a time (`serial`), so the
 * in-memory index always matches the disk. A key's metadata file holds all its versions
 * (versions.js), so versioned writes keep the same single commit point.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { Ks3Error } from '../errors.js';
import { keyHash, newId, removeTree, unlinkQuiet, writeJsonAtomic } from './fsx.js';
import { SortedKeys } from './sorted-keys.js';
import { deleteCurrent, encodeStack, isDeleteMarker, pushVersion, removeVersion, versionOf } from './versions.js';

/** @typedef {import('./types.js').BucketState} BucketState */
/** @typedef {import('./types.js').BucketInfo} BucketInfo */
/** @typedef {import('./types.js').ObjectMeta} ObjectMeta */
/** @typedef {import('./types.js').Version} Version */

export class Store {
  /** @param {string} dataDir */
  constructor(dataDir) {
    this.dir = dataDir;
    this.tmpDir = join(dataDir, 'tmp');
    this.bucketsDir = join(dataDir, 'buckets');
    /** @type {Map<string, BucketState>} */
    this.buckets = new Map();
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
    /** Shard directories known to exist (saves a mkdir per write). @type {Set<string>} */
    this.shards = new Set();
  }

  /**
   * Runs metadata changes one at a time.
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  serial(fn) {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  /** A fresh path under tmp/ for streaming a body into. */
  tmpPath() {
    return join(this.tmpDir, newId());
  }

  /** @param {string} bucket */
  bucketDir(bucket) {
    return join(this.bucketsDir, bucket);
  }

  /** @param {string} bucket @param {string} dataId */
  dataPath(bucket, dataId) {
    return join(this.bucketsDir, bucket, 'data', dataId);
  }

  /** @param {string} bucket @param {string} key */
  metaPath(bucket, key) {
    const h = keyHash(key);
    return join(this.bucketsDir, bucket, 'objects', h.slice(0, 2), `${h}.json`);
  }

  /**
   * @param {BucketInfo} info
   * @param {(existing: BucketState | undefined, owned: number) => void} check throws to refuse
   *   (runs under the lock, so two creates of one name cannot both pass)
   */
  createBucket(info, check) {
    return this.serial(async () => {
      check(
        this.buckets.get(info.name),
        [...this.buckets.values()].filter((b) => b.info.ownerId === info.ownerId).length,
      );
      // Built in tmp/ and renamed: a bucket directory exists whole or not at all.
      const staging = join(this.tmpDir, `bucket-${newId()}`);
      for (const sub of ['objects', 'data', 'uploads']) await mkdir(join(staging, sub), { recursive: true });
      await writeJsonAtomic(this.tmpDir, join(staging, 'bucket.json'), info);
      await rename(staging, this.bucketDir(info.name));
      this.buckets.set(info.name, {
        info,
        objects: new Map(),
        keys: new SortedKeys(),
        uploads: new Map(),
        versions: new Map(),
        allKeys: new SortedKeys(),
      });
    });
  }

  /**
   * Deletes an empty bucket; in-progress multipart uploads go with it (§4.3: only objects,
   * including noncurrent versions and delete markers, count).
   * @param {string} name
   */
  deleteBucket(name) {
    return this.serial(async () => {
      const b = this.buckets.get(name);
      if (!b) throw new Ks3Error('NoSuchBucket', undefined, { extra: { BucketName: name } });
      if (b.versions.size > 0) throw new Ks3Error('BucketNotEmpty', undefined, { extra: { BucketName: name } });
      this.buckets.delete(name);
      for (const shard of this.shards) if (shard.startsWith(this.bucketDir(name) + sep)) this.shards.delete(shard);
      await removeTree(this.tmpDir, this.bucketDir(name));
    });
  }

  /**
   * Persists a changed bucket info (ACL, logging).
   * @param {string} name
   * @param {(info: BucketInfo) => BucketInfo} change
   */
  updateBucket(name, change) {
    return this.serial(async () => {
      const b = this.buckets.get(name);
      if (!b) throw new Ks3Error('NoSuchBucket', undefined, { extra: { BucketName: name } });
      const info = change(b.info);
      await writeJsonAtomic(this.tmpDir, join(this.bucketDir(name), 'bucket.json'), info);
      b.info = info;
    });
  }

  /**
   * Commits a fully received temp file as the object `key`: it replaces the previous object, or
   * becomes its newest version when the bucket is versioned. Only the metadata write runs under
   * the lock: until then the data file is referenced by nothing, so a crash (or a concurrent
   * bucket deletion) leaves garbage startup collects.
   * @param {string} bucket
   * @param {string} tmpData a file under tmp/; moved (or deleted on failure)
   * @param {Omit<ObjectMeta, 'dataId'>} meta
   * @param {{ expect?: (current: ObjectMeta | undefined) => void, inPlace?: boolean }} [options]
   *   `expect` runs under the lock and throws to refuse (Append checks the object it extended);
   *   `inPlace` replaces the current version keeping its version id
   * @returns {Promise<ObjectMeta>} as stored, with its version id when versioned
   */
  async commitObject(bucket, tmpData, meta, options = {}) {
    const noBucket = () => new Ks3Error('NoSuchBucket', undefined, { extra: { BucketName: bucket } });
    const state = this.buckets.get(bucket);
    const full = { ...meta, dataId: newId() };
    const dataPath = this.dataPath(bucket, full.dataId);
    const metaPath = this.metaPath(bucket, meta.key);
    // In an unversioned bucket the file is just `full`: written before taking the lock, so
    // parallel uploads only serialise on the rename.
    const early = state?.info.versioning === undefined && !options.inPlace ? join(this.tmpDir, `${newId()}.json`) : '';
    let dropped;
    let stored;
    try {
      if (!state) throw noBucket();
      await rename(tmpData, dataPath);
      await this.ensureShard(metaPath);
      if (early) await writeFile(early, JSON.stringify(full));
      ({ dropped, stored } = await this.serial(async () => {
        // The same bucket, not one deleted and re-created meanwhile.
        if (this.buckets.get(bucket) !== state) throw noBucket();
        options.expect?.(state.objects.get(meta.key));
        const next = pushVersion(state.versions.get(meta.key) ?? [], full, state.info.versioning, options.inPlace);
        // The commit point.
        if (early && next.stack.length === 1 && next.stack[0] === full) await rename(early, metaPath);
        else await this.writeStack(bucket, meta.key, next.stack);
        this.setStack(state, meta.key, next.stack);
        return { dropped: next.dropped, stored: /** @type {ObjectMeta} */ (next.stack[0]) };
      }));
    } catch (err) {
      await Promise.all([unlinkQuiet(tmpData), unlinkQuiet(dataPath)]);
      throw this.buckets.get(bucket) === state ? err : noBucket();
    } finally {
      if (early) await unlinkQuiet(early);
    }
    await this.unlinkData(bucket, dropped);
    return stored;
  }

  /**
   * Rewrites one version's metadata without touching its bytes (ACL, tagging, restore).
   * @param {string} bucket
   * @param {string} key
   * @param {(meta: ObjectMeta) => ObjectMeta} change
   * @param {string} [versionId] default: the current version
   * @returns {Promise<ObjectMeta>}
   */
  updateObject(bucket, key, change, versionId) {
    return this.serial(async () => {
      const b = this.buckets.get(bucket);
      const stack = b?.versions.get(key) ?? [];
      const i = versionId === undefined ? 0 : stack.findIndex((v) => versionOf(v) === versionId);
      const meta = stack[i];
      if (!b || !meta || isDeleteMarker(meta)) throw new Ks3Error('NoSuchKey', undefined, { extra: { Key: key } });
      const next = change(meta);
      const updated = stack.map((v, j) => (j === i ? next : v));
      await this.writeStack(bucket, key, updated);
      this.setStack(b, key, updated);
      return next;
    });
  }

  /**
   * DELETE of a key (§4.11): without a version id the current object goes (unversioned) or a
   * delete marker is added (versioned); with one, exactly that version goes. A missing key or
   * version is not an error.
   * @param {string} bucket
   * @param {string} key
   * @param {{ versionId?: string, now?: number, ownerId?: string }} [options] `now` and `ownerId`
   *   date and own a new delete marker
   * @returns {Promise<{ versionId?: string, deleteMarker?: boolean }>} for the response headers
   */
  deleteObject(bucket, key, options = {}) {
    return this.serial(async () => {
      const b = this.buckets.get(bucket);
      if (!b) return {};
      const stack = b.versions.get(key) ?? [];
      const next =
        options.versionId === undefined
          ? deleteCurrent(stack, b.info.versioning, {
              key,
              now: options.now ?? Date.now(),
              ownerId: options.ownerId ?? '',
            })
          : removeVersion(stack, options.versionId);
      if (next.stack === stack || next.stack.length + stack.length === 0) return next.result;
      await this.ensureShard(this.metaPath(bucket, key));
      await this.writeStack(bucket, key, next.stack);
      this.setStack(b, key, next.stack);
      await this.unlinkData(bucket, next.dropped);
      return next.result;
    });
  }

  /**
   * Writes (or removes, when empty) a key's metadata file atomically.
   * @param {string} bucket
   * @param {string} key
   * @param {Version[]} stack
   */
  async writeStack(bucket, key, stack) {
    const value = encodeStack(stack);
    if (value === undefined) await unlinkQuiet(this.metaPath(bucket, key));
    else await writeJsonAtomic(this.tmpDir, this.metaPath(bucket, key), value);
  }

  /**
   * Updates the in-memory indexes of a key to a new stack.
   * @param {BucketState} b
   * @param {string} key
   * @param {Version[]} stack
   */
  setStack(b, key, stack) {
    if (stack.length === 0) {
      if (b.versions.delete(key)) b.allKeys.remove(key);
    } else {
      if (!b.versions.has(key)) b.allKeys.insert(key);
      b.versions.set(key, stack);
    }
    const top = stack[0];
    if (top && !isDeleteMarker(top)) {
      if (!b.objects.has(key)) b.keys.insert(key);
      b.objects.set(key, top);
    } else if (b.objects.delete(key)) {
      b.keys.remove(key);
    }
  }

  /** @param {string} metaPath creates its shard directory once */
  async ensureShard(metaPath) {
    const shard = join(metaPath, '..');
    if (this.shards.has(shard)) return;
    await mkdir(shard, { recursive: true });
    this.shards.add(shard);
  }

  /**
   * Deletes the bytes of versions no metadata references any more.
   * @param {string} bucket
   * @param {Version[]} versions
   */
  async unlinkData(bucket, versions) {
    for (const v of versions) if (!isDeleteMarker(v)) await unlinkQuiet(this.dataPath(bucket, v.dataId));
  }
}
