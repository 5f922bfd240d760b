/**
 * @ks3/core — KS3 object storage for JavaScript on fetch and WebCrypto.
 * Every operation is a function taking a client from {@link createClient}:
 * `op(client, <Op>Options) → Promise<<Op>Result>`, every result carrying `requestId`.
 * Plumbing for the SDK's own packages is in `@ks3/core/internal`; MD5 and AES-CBC in `@ks3/core/crypto`.
 * @module @ks3/core
 */
export { type Client, type ClientConfig, createClient, type Hasher } from './client.js';
export type { AesCbcCipher, AesKey, CbcBlocks } from './crypto/cipher.js';
export type { Md5Pool, Md5Session } from './crypto/md5-pool.js';
export type { HmacFactory } from './sign/v4-key.js';
export { VERSION } from './version.js';
export * from './errors.js';
export type { Addressing } from './request/url.js';
export type { RequestEvent, RequestHooks, ResponseEvent } from './request/hooks.js';
export type { Body, BodySource } from './request/body.js';
export type { BlobBody, Fetch, StreamBody } from './web-types.js';
export type { Method } from './request/send.js';
export type {
  Credentials,
  CredentialsSource,
  SignatureNamespace,
  SignatureVersion,
  SignedRequest,
  Signer,
  SignRequest,
} from './sign/types.js';
export type { QueryParam } from './sign/subresources.js';
export { createV4Signer, MAX_PRESIGN_SECONDS, type V4SignerOptions } from './sign/v4.js';
export type { HeaderWhitespace } from './sign/v4-canonical.js';
export { presignPolicyUrlV4, type PolicyUrlOptions } from './sign/v4-policy.js';
export { createV2Signer, V2_PRESIGN_TOKEN_PARAM, type V2SignerOptions } from './sign/v2-signer.js';
export { inferRegion, KS3_ENDPOINT_REGIONS } from './sign/regions.js';
export { presignUrl, type PresignUrlOptions, type PresignUrlResult } from './sign/presign.js';
export {
  CANNED_ACLS,
  type CannedAcl,
  type KnownStorageClass,
  STORAGE_CLASSES,
  type StorageClass,
} from './validate.js';
export type { BucketOptions, CallOptions, Ks3Result, ObjectOptions, TransferProgress } from './ops/common.js';
export type { ObjectInfo } from './ops/object-info.js';
export { createBucket, type CreateBucketOptions, deleteBucket } from './ops/buckets.js';
export {
  type BucketSummary,
  listBuckets,
  type ListBucketsOptions,
  type ListBucketsResult,
} from './ops/list-buckets.js';
export { emptyAndDeleteBucket, emptyBucket, type EmptyBucketResult } from './ops/empty-bucket.js';
export { headBucket, type HeadBucketResult } from './ops/head-bucket.js';
export {
  type DeletedObject,
  type DeleteObjectError,
  deleteObjects,
  type DeleteObjectsOptions,
  type DeleteObjectsResult,
  MAX_DELETE_OBJECTS,
  type ObjectIdentifier,
} from './ops/delete-objects.js';
export { MAX_OBJECT_TAGS, type Tags } from './ops/tags.js';
export {
  deleteBucketTagging,
  deleteObjectTagging,
  type GetBucketTaggingResult,
  type GetObjectTaggingResult,
  getBucketTagging,
  getObjectTagging,
  type ObjectTaggingOptions,
  type ObjectTaggingResult,
  type PutBucketTaggingOptions,
  type PutObjectTaggingOptions,
  putBucketTagging,
  putObjectTagging,
} from './ops/tagging.js';
export {
  type GetBucketVersioningResult,
  getBucketVersioning,
  type PutBucketVersioningOptions,
  putBucketVersioning,
  type VersioningStatus,
} from './ops/versioning.js';
export {
  type ListObjectVersionsOptions,
  type ListObjectVersionsResult,
  listObjectVersions,
  type ObjectVersion,
} from './ops/list-object-versions.js';
export { listObjectsV2, type ListObjectsV2Options, type ListObjectsV2Result } from './ops/list-objects-v2.js';
export { restoreObject, type RestoreObjectOptions, type RestoreObjectResult } from './ops/restore-object.js';
export {
  type AppendObjectOptions,
  type AppendObjectResult,
  type AppendPositionError,
  appendObject,
} from './ops/append-object.js';
export { fetchObject, type FetchObjectOptions, type FetchObjectResult } from './ops/fetch-object.js';
export {
  type LifecycleFilter,
  type LifecycleRule,
  type LifecycleTime,
  type LifecycleTransition,
  MAX_LIFECYCLE_RULES,
  TRANSITION_STORAGE_CLASSES,
  type TransitionStorageClass,
} from './ops/lifecycle-xml.js';
export {
  deleteBucketLifecycle,
  type GetBucketLifecycleResult,
  getBucketLifecycle,
  type PutBucketLifecycleOptions,
  putBucketLifecycle,
} from './ops/bucket-lifecycle.js';
export {
  type BucketCors,
  CORS_METHODS,
  type CorsMethod,
  type CorsRule,
  deleteBucketCors,
  type GetBucketCorsResult,
  getBucketCors,
  MAX_CORS_RULES,
  type PutBucketCorsOptions,
  putBucketCors,
} from './ops/bucket-cors.js';
export {
  type CheckCorsOptions,
  type CheckCorsResult,
  checkCors,
  checkCorsRules,
  type CorsNeeds,
  type CorsProblem,
  sdkRequestHeaders,
} from './ops/check-cors.js';
export {
  type BucketPolicy,
  deleteBucketPolicy,
  type GetBucketPolicyResult,
  getBucketPolicy,
  type PutBucketPolicyOptions,
  putBucketPolicy,
} from './ops/bucket-policy.js';
export {
  type BucketWebsite,
  deleteBucketWebsite,
  type GetBucketWebsiteResult,
  getBucketWebsite,
  type PutBucketWebsiteOptions,
  putBucketWebsite,
  type WebsiteRoutingRule,
} from './ops/bucket-website.js';
export {
  deleteBucketEncryption,
  type GetBucketEncryptionResult,
  getBucketEncryption,
  type PutBucketEncryptionOptions,
  putBucketEncryption,
  SSE_ALGORITHMS,
  type SseAlgorithm,
} from './ops/bucket-encryption.js';
export {
  type BucketReplication,
  deleteBucketReplication,
  type GetBucketReplicationResult,
  getBucketReplication,
  MAX_REPLICATION_PREFIXES,
  type PutBucketReplicationOptions,
  putBucketReplication,
} from './ops/bucket-replication.js';
export {
  type BucketMirror,
  deleteBucketMirror,
  type GetBucketMirrorResult,
  getBucketMirror,
  type MirrorSavingSetting,
  type PutBucketMirrorOptions,
  putBucketMirror,
  type SyncMirrorRule,
} from './ops/bucket-mirror.js';
export {
  type AccessControlPolicy,
  type Acl,
  ALL_USERS,
  type GetAclResult,
  type GetBucketAclOptions,
  type GetObjectAclOptions,
  type Grant,
  type Grantee,
  getBucketAcl,
  getObjectAcl,
  type Permission,
  type PutBucketAclOptions,
  type PutObjectAclOptions,
  putBucketAcl,
  putObjectAcl,
} from './ops/acl.js';
export {
  type BucketLogging,
  type GetBucketLocationResult,
  type GetBucketLoggingResult,
  getBucketLocation,
  getBucketLogging,
  type PutBucketLoggingOptions,
  putBucketLogging,
} from './ops/bucket-config.js';
export {
  type ObjectAttributes,
  putObject,
  type PutObjectOptions,
  type PutObjectResult,
  type UploadCallback,
} from './ops/put-object.js';
export {
  type ByteRange,
  type GetObjectOptions,
  type GetObjectResult,
  getObject,
  type HeadObjectOptions,
  type HeadObjectResult,
  headObject,
  type ResponseOverrides,
} from './ops/get-object.js';
export { copyObject, type CopyObjectOptions, type CopyObjectResult } from './ops/copy-object.js';
export { deleteObject, type DeleteObjectOptions, type DeleteObjectResult } from './ops/delete-object.js';
export {
  type CommonPrefix,
  listObjects,
  type ListObjectsOptions,
  type ListObjectsResult,
  type ObjectSummary,
} from './ops/list-objects.js';
export {
  type ListAllObjectsOptions,
  listAllMultipartUploads,
  listAllObjects,
  listAllObjectVersions,
  listAllParts,
  type ListObjectsInTimeRangeOptions,
  listObjectsInTimeRange,
  type TimeInput,
} from './ops/list-all.js';
export {
  type AbortMultipartUploadOptions,
  type AbortMultipartUploadResult,
  abortMultipartUpload,
  type CompletedPart,
  type CompleteMultipartUploadOptions,
  type CompleteMultipartUploadResult,
  completeMultipartUpload,
  type EncryptPartOptions,
  encryptPart,
  type InitiateMultipartUploadOptions,
  type InitiateMultipartUploadResult,
  initiateMultipartUpload,
  type UploadPartCopyOptions,
  type UploadPartCopyResult,
  type UploadPartOptions,
  type UploadPartResult,
  type UploadTarget,
  uploadPart,
  uploadPartCopy,
} from './ops/multipart.js';
export type { EncryptedPart, PartEncryptionState } from './encryption/multipart.js';
export type { EncryptionConfig } from './encryption/handle.js';
export {
  type ListMultipartUploadsOptions,
  type ListMultipartUploadsResult,
  type ListPartsOptions,
  type ListPartsResult,
  listMultipartUploads,
  listParts,
  type PartSummary,
  type UploadSummary,
} from './ops/list-uploads.js';
export { request, type RequestOptions, type RequestResult } from './ops/request.js';
