/**
 * @ks3/node — the KS3 SDK for Node.js: everything in @ks3/core plus file paths and streams.
 */
export * from '@ks3/core';
export { createMd5, keyFingerprint, md5, parseKey, parseKeyFile, type Md5 } from '@ks3/core/crypto';
export { fileSource, type FileSource } from './file-source.js';
export {
  getObjectToFile,
  putObjectFromFile,
  type GetObjectToFileOptions,
  type PutObjectFromFileOptions,
} from './files.js';
export { listObjectsToFile, writeLinesToFile, type ListObjectsToFileOptions } from './list-to-file.js';
export { generateKeyFile, loadKeyFile } from './key-file.js';
// The upload manager, with Node's own `upload`/`createUpload` (Readable bodies, checkpoint
// files, node:crypto MD5) in place of the portable ones.
export * from '@ks3/multipart';
export { createUpload, upload, uploadFile, type NodeUploadOptions, type UploadFileOptions } from './upload.js';
export { createClient, nodeAesCbc, nodeHmac, nodeMd5, nodeSha256 } from './client.js';
export { fileCheckpoint } from './file-checkpoint.js';
export { createMd5Pool, defaultMd5Pool, type Md5PoolOptions } from './md5-pool.js';
