// @ts-check
/**
 * Request → KS3 operation. Unknown query parameters are ignored (§1.6); a signed sub-resource
 * this emulator does not implement (cors, lifecycle, policy, ...) answers 501 NotImplemented
 * rather than being silently treated as a plain GET/PUT.
 */
import { SUB_RESOURCES } from './auth.js';
import { Ks3Error } from './errors.js';
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './ops/acl.js';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  getBucketLogging,
  headBucket,
  listBuckets,
  putBucketLogging,
} from './ops/bucket.js';
import { CONFIG_KINDS, CONFIG_OPS } from './config/kinds.js';
import {
  deleteBucketConfig,
  getBucketConfig,
  namesConfig,
  putBucketConfig,
  resolveConfigOp,
} from './ops/bucket-config.js';
import { copyObject } from './ops/copy.js';
import { listObjects } from './ops/list-objects.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  uploadPart,
  uploadPartCopy,
} from './ops/multipart.js';
import { listMultipartUploads, listParts } from './ops/multipart-list.js';
import { deleteObject, getObject, putObject } from './ops/object.js';
import { OBJECT_API_HANDLERS } from './ops/object-api.js';
import { OBJECT_API_SUB_RESOURCES, resolveObjectApiOp } from './router-objects.js';
import { postObject } from './ops/post-object.js';

/** @typedef {import('./context.js').Ctx} Ctx */

/** @type {Record<string, (ctx: Ctx) => unknown>} */
export const HANDLERS = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetBucketLocation: getBucketLocation,
  GetBucketLogging: getBucketLogging,
  PutBucketLogging: putBucketLogging,
  ListObjects: listObjects,
  ListMultipartUploads: listMultipartUploads,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: getObject,
  DeleteObject: deleteObject,
  CopyObject: copyObject,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  ListParts: listParts,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ...OBJECT_API_HANDLERS,
  PostObject: postObject,
  ...Object.fromEntries(
    [...CONFIG_OPS.keys()].map((op) => [
      op,
      op.startsWith('Get') ? getBucketConfig : op.startsWith('Put') ? putBucketConfig : deleteBucketConfig,
    ]),
  ),
};

/** Sub-resources some operation here understands. */
const HANDLED = new Set([
  'acl',
  'location',
  'logging',
  'uploads',
  'uploadId',
  'partNumber',
  'versionId',
  'position',
  // A V2 presigned URL's token (auth.js), not an operation.
  'security-token',
  ...OBJECT_API_SUB_RESOURCES,
  ...CONFIG_KINDS.keys(),
]);

const notAllowed = () => new Ks3Error('MethodNotAllowed');

/**
 * @param {Ctx} ctx
 * @returns {string} an operation name (a key of HANDLERS)
 * @throws {Ks3Error} MethodNotAllowed, NotImplemented
 */
export function resolveOp(ctx) {
  const { bucket, key } = ctx.target;
  const has = (/** @type {string} */ name) => ctx.query.has(name);
  const m = ctx.method;
  if (!bucket) {
    if (m === 'GET') return 'ListBuckets';
    throw notAllowed();
  }
  for (const name of ctx.query.keys()) {
    if (SUB_RESOURCES.has(name) && !HANDLED.has(name) && !name.startsWith('response-')) {
      throw new Ks3Error('NotImplemented', `The ?${name} sub-resource is not implemented by the KS3 emulator.`);
    }
  }
  const objectApiOp = resolveObjectApiOp(ctx);
  if (objectApiOp) return objectApiOp;
  if (!key) {
    const config = resolveConfigOp(m, has);
    if (config) return config;
    if (m === 'GET')
      return has('acl')
        ? 'GetBucketAcl'
        : has('location')
          ? 'GetBucketLocation'
          : has('logging')
            ? 'GetBucketLogging'
            : has('uploads')
              ? 'ListMultipartUploads'
              : 'ListObjects';
    if (m === 'PUT') {
      if (has('acl')) return 'PutBucketAcl';
      if (has('logging')) return 'PutBucketLogging';
      if (has('location') || has('uploads')) throw notAllowed();
      return 'CreateBucket';
    }
    if (m === 'HEAD') return 'HeadBucket';
    if (m === 'DELETE') return 'DeleteBucket';
    // Browser form uploads (ops/post-object.js); the form names the key.
    if (m === 'POST') return 'PostObject';
    throw notAllowed();
  }
  // Bucket-only sub-resources make no sense on an object.
  if (has('location') || has('logging') || namesConfig(has)) throw notAllowed();
  if (m === 'GET') return has('acl') ? 'GetObjectAcl' : has('uploadId') ? 'ListParts' : 'GetObject';
  if (m === 'HEAD') return 'HeadObject';
  if (m === 'PUT') {
    if (has('acl')) return 'PutObjectAcl';
    const copy = ctx.kss.has('x-kss-copy-source');
    if (has('partNumber') || has('uploadId')) return copy ? 'UploadPartCopy' : 'UploadPart';
    if (has('uploads')) throw notAllowed();
    return copy ? 'CopyObject' : 'PutObject';
  }
  if (m === 'DELETE') return has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  if (m === 'POST') {
    if (has('uploads')) return 'InitiateMultipartUpload';
    if (has('uploadId')) return 'CompleteMultipartUpload';
  }
  throw notAllowed();
}
