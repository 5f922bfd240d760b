/**
 * @ks3/core/internal — plumbing shared by the SDK's own packages (@ks3/node, @ks3/browser,
 * @ks3/multipart): the request pipeline, body and byte helpers, encodings, canonical V2
 * functions and parsers. Not part of the public API: it may change in any release.
 */
export { type Client, clientState } from './client.js';
export { concatBytes, fromBase64, fromUtf8, toBase64, toHex, utf8 } from './bytes.js';
export { encodeForm, encodeKey, encodePath, encodeQueryValue, escapeDoubleSlashes } from './encoding.js';
export { encodePathV4, renderQueryV4, uriEncodeV4 } from './sign/v4-encoding.js';
export {
  canonicalKssHeaders,
  canonicalResource,
  type HeaderList,
  headerValue,
  type ResourceParts,
  type StringToSignParts,
  stringToSign,
  stringToSignForHeaders,
} from './sign/canonical.js';
export { canonicalSubresources, SUBRESOURCES } from './sign/subresources.js';
export { hmacSha1Base64, importHmacKey } from './sign/hmac.js';
export { formatHttpDate } from './sign/date.js';
export { type CredentialsProvider, checkCredentials, credentialsProvider, raceAbort } from './sign/credentials.js';
export { inHost, originFor, pathFor, renderQuery, urlFor } from './request/url.js';
export { type Ks3Response, type RequestSpec, send } from './request/send.js';
export { backoffDelay, sleep } from './request/retry.js';
export {
  isBodySource,
  type PreparedBody,
  prepareBody,
  readAllBytes,
  readAllText,
  unsupportedBody,
} from './request/body.js';
export { bodyMd5 } from './request/body-md5.js';
export { isRetryableStatus, readCapped, retryAfterMs, serviceError } from './request/service-error.js';
export { checkHeaders, mergeHeaders } from './request/headers.js';
export { EMPTY_SHA256, payloadHash, UNSIGNED_PAYLOAD } from './request/payload.js';
export { guessContentType } from './mime.js';
export { checkBucket, checkCount, checkKey, metadataHeaders } from './validate.js';
export { checkCall, checkText, target } from './ops/common.js';
export { numberField, parseDocument } from './ops/document.js';
export { readOnce } from './ops/read-once.js';
export { decryptStoredBody } from './encryption/decrypt-lazy.js';
export { callbackHeaders, etagOf, uploadHeaders } from './ops/put-object.js';
export { parseListObjects } from './ops/list-objects.js';
export { parseListVersions } from './ops/list-object-versions.js';
export { buildDeleteXml, parseDeleteResult } from './ops/delete-objects.js';
export { checkTags, tagsHeader } from './ops/tags.js';
export { buildTaggingXml, parseTagging } from './ops/tagging.js';
export { xmlRequest, xmlText } from './ops/xml-body.js';
export { buildLifecycleXml, parseLifecycle } from './ops/lifecycle-xml.js';
export { buildCorsXml, parseCors } from './ops/bucket-cors.js';
export { buildWebsiteXml, parseWebsite } from './ops/bucket-website.js';
export { buildReplicationXml, parseReplication } from './ops/bucket-replication.js';
export { parseListParts, parseListUploads } from './ops/list-uploads.js';
export { parseListBuckets } from './ops/list-buckets.js';
export { buildAclXml, parseAcl } from './ops/acl.js';
export { buildCompleteXml } from './ops/complete.js';
export { parseXml } from './xml.js';
export { DECODED_ENCODINGS, DEFAULT_MAX_CONCURRENCY, PREFER_BLOB_BODIES } from '#platform';
