// @ts-check
/** The handlers of the object-level API breadth (routed by router-objects.js). */
import { appendObject } from './append.js';
import { deleteObjects } from './delete-objects.js';
import { fetchObject } from './fetch.js';
import { listObjectsV2 } from './list-objects-v2.js';
import { restoreObject } from './restore.js';
import {
  deleteBucketTagging,
  deleteObjectTagging,
  getBucketTagging,
  getObjectTagging,
  putBucketTagging,
  putObjectTagging,
} from './tagging.js';
import { getBucketVersioning, listObjectVersions, putBucketVersioning } from './versioning.js';

/** @type {Record<string, (ctx: import('../context.js').Ctx) => unknown>} */
export const OBJECT_API_HANDLERS = {
  DeleteObjects: deleteObjects,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: listObjectVersions,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  GetBucketTagging: getBucketTagging,
  PutBucketTagging: putBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  GetObjectTagging: getObjectTagging,
  PutObjectTagging: putObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  RestoreObject: restoreObject,
  AppendObject: appendObject,
  FetchObject: fetchObject,
};
