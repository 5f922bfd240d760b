/**
 * @ks3/core — KS3 object storage for JavaScript on fetch and WebCrypto.
 * Every operation is a function taking a client from {@link createClient}.
 */
export { createClient, type Addressing, type Client, type ClientConfig, type Hasher } from './client.js';
export * from './errors.js';
export { concatBytes, fromBase64, fromUtf8, toBase64, toHex, utf8 } from './bytes.js';
export { encodeKey, encodeForm, encodeQueryValue, encodePath, escapeDoubleSlashes } from './encoding.js';
export {
  canonicalKssHeaders,
  canonicalResource,
  headerValue,
  stringToSign,
  stringToSignForHeaders,
  type HeaderList,
  type ResourceParts,
  type StringToSignParts,
} from './sign/canonical.js';
export { canonicalSubresources, SUBRESOURCES, type QueryParam } from './sign/subresources.js';
export {
  authorization,
  createHmacSigner,
  hmacSha1Base64,
  importHmacKey,
  type Credentials,
  type SignResult,
  type Signer,
} from './sign/hmac.js';
export { formatHttpDate } from './sign/date.js';
export { presignUrl, type PresignOptions } from './sign/presign.js';
export { renderQuery, urlFor } from './request/url.js';
export { send, type Ks3Response, type Method, type RequestSpec } from './request/send.js';
export { backoffDelay, isRetryableStatus, sleep } from './request/retry.js';
export {
  isBodySource,
  prepareBody,
  readAllBytes,
  type Body,
  type BodySource,
  type PreparedBody,
} from './request/body.js';
export { bodyMd5 } from './request/body-md5.js';
export { guessContentType } from './mime.js';
export { CANNED_ACLS, STORAGE_CLASSES, type CannedAcl, type StorageClass } from './validate.js';
export type { BucketOptions, CallOptions, ObjectOptions } from './ops/common.js';
export type { ObjectInfo } from './ops/object-info.js';
export { createBucket, deleteBucket, type CreateBucketOptions } from './ops/buckets.js';
export { listBuckets, parseListBuckets, type BucketSummary, type ListBucketsResult } from './ops/list-buckets.js';
export { emptyAndDeleteBucket, emptyBucket } from './ops/empty-bucket.js';
export {
  ALL_USERS,
  buildAclXml,
  getAcl,
  getBucketAcl,
  getObjectAcl,
  parseAcl,
  putAcl,
  putBucketAcl,
  putObjectAcl,
  type AccessControlPolicy,
  type AclTarget,
  type Grant,
  type Grantee,
  type Permission,
  type PutAclOptions,
} from './ops/acl.js';
export {
  disableBucketLogging,
  enableBucketLogging,
  getBucketLocation,
  getBucketLogging,
  type BucketLogging,
  type EnableLoggingOptions,
} from './ops/bucket-config.js';
export { putObject, type PutObjectOptions, type PutObjectResult } from './ops/put-object.js';
export {
  getObject,
  headObject,
  type ByteRange,
  type GetObjectOptions,
  type GetObjectResult,
  type HeadObjectOptions,
  type ResponseOverrides,
} from './ops/get-object.js';
export { copyObject, type CopyObjectOptions, type CopyResult } from './ops/copy-object.js';
export { deleteObject } from './ops/delete-object.js';
export {
  listObjects,
  parseListObjects,
  type CommonPrefix,
  type ListObjectsOptions,
  type ListObjectsResult,
  type ObjectSummary,
} from './ops/list-objects.js';
export {
  listAllMultipartUploads,
  listAllObjects,
  listAllParts,
  listObjectsInTimeRange,
  type TimeInput,
  type TimeRangeOptions,
} from './ops/list-all.js';
export {
  abortMultipartUpload,
  buildCompleteXml,
  completeMultipartUpload,
  encryptPart,
  initiateMultipartUpload,
  uploadPart,
  uploadPartCopy,
  type CompletedPart,
  type CompleteMultipartOptions,
  type EncryptPartOptions,
  type InitiateMultipartOptions,
  type InitiateResult,
  type UploadPartCopyOptions,
  type UploadPartOptions,
  type UploadTarget,
} from './ops/multipart.js';
export type { EncryptedPart, PartEncryptionState } from './encryption/multipart.js';
export type { EncryptionConfig, EncryptionHandle } from './encryption/handle.js';
// MD5 and the AES-CBC primitives are a separate entry, `@ks3/core/crypto`: re-exporting them
// here would tie them to the code every app loads (encryption itself loads them on first use).
export {
  listMultipartUploads,
  listParts,
  parseListParts,
  parseListUploads,
  type ListPartsOptions,
  type ListPartsResult,
  type ListUploadsOptions,
  type ListUploadsResult,
  type PartSummary,
  type UploadSummary,
} from './ops/list-uploads.js';

// ---------------------------------------------------------------------------------------------
// Request-level signing (branch core-v4): the V4 and V2 signers of the seam in sign/types.ts,
// KS3's V4 share URL, the V4 URL encodings and region inference. `Signer` and `Credentials` of
// sign/types.ts are not re-exported here: their names are still taken by sign/hmac.ts above.
export type {
  CredentialsSource,
  SignatureNamespace,
  SignatureVersion,
  SignedRequest,
  SignRequest,
} from './sign/types.js';
export { createV4Signer, MAX_PRESIGN_SECONDS, type V4SignerOptions } from './sign/v4.js';
export type { HeaderWhitespace } from './sign/v4-canonical.js';
export { presignPolicyUrlV4, type PolicyUrlOptions } from './sign/v4-policy.js';
export { createV2Signer, V2_PRESIGN_TOKEN_PARAM, type V2SignerOptions } from './sign/v2.js';
export { encodePathV4, renderQueryV4, uriEncodeV4 } from './sign/v4-encoding.js';
export { inferRegion, KS3_ENDPOINT_REGIONS } from './sign/regions.js';
