// @ts-check
/**
 * Shapes of what the store keeps on disk (JSON) and in memory.
 * @module
 */

/**
 * @typedef {object} BucketInfo persisted as `buckets/<name>/bucket.json`
 * @property {string} name
 * @property {string} ownerId
 * @property {string} ownerName
 * @property {number} created ms since the epoch
 * @property {string} location §4.5, `BEIJING` unless given at creation
 * @property {import('../acl.js').Acl} acl
 * @property {Logging | null} logging
 * @property {'Enabled' | 'Suspended'} [versioning] absent until `PUT ?versioning` first ran
 * @property {Tag[]} [tags] bucket tagging (`?tagging`); absent when none is set
 * @property {string} [type] `x-kss-bucket-type` given at creation (default NORMAL)
 * @property {Record<string, any>} [config] bucket configuration by sub-resource (`cors`,
 *   `lifecycle`, `policy`, ...), as validated by config/kinds.js; absent when none is set
 */

/**
 * @typedef {object} Logging §4.6
 * @property {string} targetBucket
 * @property {string} targetPrefix
 * @property {import('../acl.js').Grant[]} targetGrants
 */

/**
 * @typedef {object} ObjectMeta persisted as `buckets/<b>/objects/<hh>/<sha256(key)>.json`; its
 *   rename into place is the commit point of a write
 * @property {string} key
 * @property {string} dataId file name of the bytes under `buckets/<b>/data/`
 * @property {number} size
 * @property {string} etag without quotes: MD5 hex, or `<hex>-<n>` for multipart
 * @property {number} lastModified ms since the epoch
 * @property {string} contentType
 * @property {Record<string, string>} headers stored standard headers (cache-control, ...)
 * @property {Record<string, string>} meta user metadata, lower-case names without `x-kss-meta-`
 * @property {string} storageClass
 * @property {import('../acl.js').Acl | null} acl null: no explicit ACL (reads inherit the bucket's)
 * @property {string} ownerId
 * @property {string | null} sse `AES256` when server-side encryption was asked for
 * @property {string} [versionId] absent for objects written while versioning was never
 *   configured (they read as the `null` version)
 * @property {Tag[]} [tags] object tagging, in the order given
 * @property {RestoreState} [restore] archive classes: the last restore request
 * @property {'Appendable'} [objectType] objects created by Append Object
 * @property {string} [uploadId] set by Complete Multipart Upload: the upload this object
 *   completed, so startup can finish removing an upload whose Complete committed (recover.js)
 */

/**
 * @typedef {object} DeleteMarker a version that marks a key deleted (versioned buckets)
 * @property {string} key
 * @property {string} versionId
 * @property {true} deleteMarker
 * @property {number} lastModified
 * @property {string} ownerId
 */

/** @typedef {ObjectMeta | DeleteMarker} Version */

/** @typedef {{ key: string, value: string }} Tag */

/**
 * @typedef {object} RestoreState
 * @property {number} readyAt when the restored copy becomes readable (ms)
 * @property {number} days how long it stays readable once ready
 */

/**
 * @typedef {Omit<ObjectMeta, 'key' | 'dataId' | 'size' | 'etag' | 'lastModified' | 'versionId'>} ObjectAttrs what
 *   a write decides besides the bytes
 */

/**
 * @typedef {object} UploadInfo persisted as `buckets/<b>/uploads/<id>/upload.json`
 * @property {string} uploadId
 * @property {string} key
 * @property {number} initiated
 * @property {string} initiatorId
 * @property {string} initiatorName
 * @property {ObjectAttrs} attrs what the object will carry (§4.15)
 */

/**
 * @typedef {object} PartInfo persisted as `part-<n>.json` in the upload's directory
 * @property {number} partNumber
 * @property {string} etag MD5 hex
 * @property {number} size
 * @property {number} lastModified
 * @property {string} dataId file name in the upload's directory
 */

/**
 * @typedef {object} UploadState
 * @property {UploadInfo} info
 * @property {Map<number, PartInfo>} parts
 * @property {boolean} completing set while Complete assembles the object
 */

/**
 * @typedef {object} BucketState
 * @property {BucketInfo} info
 * @property {Map<string, ObjectMeta>} objects the current version of every key whose current
 *   version is not a delete marker
 * @property {import('./sorted-keys.js').SortedKeys} keys the keys of `objects`
 * @property {Map<string, UploadState>} uploads
 * @property {Map<string, Version[]>} versions every key's versions, newest first (versions.js)
 * @property {import('./sorted-keys.js').SortedKeys} allKeys the keys of `versions`
 */

export {};
