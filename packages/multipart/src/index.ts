/**
 * @ks3/multipart — the upload manager: any body, any size, bounded memory, parallel parts,
 * pipelined client-side encryption, progress, pause, abort and resume from a checkpoint.
 * @module @ks3/multipart
 */
export { createUpload, upload } from './upload.js';
export type { CheckpointStore, UploadHandle, UploadOptions, UploadProgress, UploadResult } from './types.js';
export type { CheckpointPart, CheckpointSource, UploadCheckpoint } from './checkpoint.js';
export type { Md5Pool, Md5Session } from './hash.js';
export { choosePartSize, DEFAULT_PART_SIZE, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE } from './limits.js';
