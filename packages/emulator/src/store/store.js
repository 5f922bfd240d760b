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
 * in-memory index always matches the disk.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { Ks3Error } from '../errors.js';
import { keyHash, newId, removeTree, unlinkQuiet, writeJsonAtomic } from './fsx.js';
import { SortedKeys } from './sorted-keys.js';

/** @typedef {import('./types.js').BucketState} BucketState */
/** @typedef {import('./types.js').BucketInfo} BucketInfo */
/** @typedef {import('./types.js').ObjectMeta} ObjectMeta */

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
      this.buckets.set(info.name, { info, objects: new Map(), keys: new SortedKeys(), uploads: new Map() });
    });
  }

  /**
   * Deletes an empty bucket; in-progress multipart uploads go with it (§4.3: only objects count).
   * @param {string} name
   */
  deleteBucket(name) {
    return this.serial(async () => {
      const b = this.buckets.get(name);
      if (!b) throw new Ks3Error('NoSuchBucket', undefined, { extra: { BucketName: name } });
      if (b.objects.size > 0) throw new Ks3Error('BucketNotEmpty', undefined, { extra: { BucketName: name } });
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
   * Commits a fully received temp file as the object `key`, replacing any previous version.
   * Only the final metadata rename runs under the lock: until then the data file is referenced
   * by nothing, so a crash (or a concurrent bucket deletion) leaves garbage startup collects.
   * @param {string} bucket
   * @param {string} tmpData a file under tmp/; moved (or deleted on failure)
   * @param {Omit<ObjectMeta, 'dataId'>} meta
   * @returns {Promise<ObjectMeta>}
   */
  async commitObject(bucket, tmpData, meta) {
    const noBucket = () => new Ks3Error('NoSuchBucket', undefined, { extra: { BucketName: bucket } });
    const state = this.buckets.get(bucket);
    const full = { ...meta, dataId: newId() };
    const dataPath = this.dataPath(bucket, full.dataId);
    const metaPath = this.metaPath(bucket, meta.key);
    const metaTmp = join(this.tmpDir, `${newId()}.json`);
    const cleanup = () => Promise.all([unlinkQuiet(tmpData), unlinkQuiet(dataPath), unlinkQuiet(metaTmp)]);
    let previous;
    try {
      if (!state) throw noBucket();
      await rename(tmpData, dataPath);
      const shard = join(metaPath, '..');
      if (!this.shards.has(shard)) {
        await mkdir(shard, { recursive: true });
        this.shards.add(shard);
      }
      await writeFile(metaTmp, JSON.stringify(full));
      previous = await this.serial(async () => {
        // The same bucket, not one deleted and re-created meanwhile.
        if (this.buckets.get(bucket) !== state) throw noBucket();
        await rename(metaTmp, metaPath); // the commit point
        const prev = state.objects.get(meta.key);
        state.objects.set(meta.key, full);
        if (!prev) state.keys.insert(meta.key);
        return prev;
      });
    } catch (err) {
      await cleanup();
      throw this.buckets.get(bucket) === state ? err : noBucket();
    }
    if (previous) await unlinkQuiet(this.dataPath(bucket, previous.dataId));
    return full;
  }

  /**
   * Rewrites an object's metadata without touching its bytes (object ACL).
   * @param {string} bucket
   * @param {string} key
   * @param {(meta: ObjectMeta) => ObjectMeta} change
   */
  updateObject(bucket, key, change) {
    return this.serial(async () => {
      const meta = this.buckets.get(bucket)?.objects.get(key);
      if (!meta) throw new Ks3Error('NoSuchKey', undefined, { extra: { Key: key } });
      const next = change(meta);
      await writeJsonAtomic(this.tmpDir, this.metaPath(bucket, key), next);
      /** @type {BucketState} */ (this.buckets.get(bucket)).objects.set(key, next);
    });
  }

  /**
   * Deletes an object; a missing one is not an error (§4.11).
   * @param {string} bucket
   * @param {string} key
   */
  deleteObject(bucket, key) {
    return this.serial(async () => {
      const b = this.buckets.get(bucket);
      const meta = b?.objects.get(key);
      if (!b || !meta) return;
      await unlinkQuiet(this.metaPath(bucket, key));
      b.objects.delete(key);
      b.keys.remove(key);
      await unlinkQuiet(this.dataPath(bucket, meta.dataId));
    });
  }
}
