// @ts-check
/**
 * KS3 service errors: one class carrying the code, the HTTP status and optional extra XML
 * elements, plus the code → status/message table of protocol §5.3.
 */

/** @type {Record<string, [number, string]>} §5.3 (statuses marked "(S3)" there follow S3). */
const TABLE = {
  AccessDenied: [403, 'Access Denied'],
  InvalidAccessKeyId: [403, 'The KS3 access key Id you provided does not exist in our records.'],
  SignatureDoesNotMatch: [
    403,
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  ],
  RequestTimeTooSkewed: [403, 'The difference between the request time and the current time is too large.'],
  InvalidToken: [403, 'The provided token is malformed or otherwise invalid.'],
  // S3's statuses for the V4 and temporary-credential errors (KS3's are unverified).
  ExpiredToken: [400, 'The provided token has expired.'],
  AuthorizationHeaderMalformed: [400, 'The authorization header is malformed.'],
  AuthorizationQueryParametersError: [400, 'Error parsing the query-string authentication parameters.'],
  XAmzContentSHA256Mismatch: [400, 'The provided content SHA-256 header does not match what was computed.'],
  InvalidPolicyDocument: [400, 'The content of the policy document is not valid.'],
  SecondLevelDomainForbidden: [
    403,
    'The bucket you are attempting to access must be addressed using KS3 third level domain.',
  ],
  NoSuchBucket: [404, 'The specified bucket does not exist.'],
  NoSuchKey: [404, 'The specified key does not exist.'],
  NoSuchUpload: [
    404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  ],
  BucketAlreadyExists: [
    409,
    'The requested bucket name is not available. Please select a different name and try again.',
  ],
  BucketAlreadyOwnedByYou: [409, 'Your previous request to create the named bucket succeeded and you already own it.'],
  BucketNotEmpty: [409, 'The bucket you tried to delete is not empty.'],
  InvalidBucketName: [400, 'The specified bucket is not valid.'],
  TooManyBuckets: [400, 'You have attempted to create more buckets than allowed.'],
  InvalidLocationConstraint: [400, 'The specified location constraint is not valid.'],
  InvalidKey: [400, 'The specified object key is not valid.'],
  KeyTooLong: [400, 'Your key is too long.'],
  InvalidURI: [400, "Couldn't parse the specified URI."],
  InvalidDigest: [400, 'The Content-MD5 you specified is not valid.'],
  BadDigest: [400, 'The Content-MD5 you specified did not match what we received.'],
  EntityTooLarge: [400, 'Your proposed upload exceeds the maximum allowed object size.'],
  EntityTooSmall: [400, 'Your proposed upload is smaller than the minimum allowed object size.'],
  InvalidPartNum: [400, 'Part number must be an integer between 1 and 10000, inclusive.'],
  InvalidPart: [
    400,
    "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
  ],
  InvalidPartOrder: [400, 'The list of parts was not in ascending order. Parts must be ordered by part number.'],
  InvalidRange: [416, 'The requested range is not satisfiable.'],
  InvalidArgument: [400, 'Invalid Argument'],
  InvalidRequest: [400, 'Invalid Request'],
  InvalidStorageClass: [400, 'The storage class you specified is not valid.'],
  InvalidACLString: [400, 'The canned ACL you specified is not valid.'],
  MalformedACLError: [
    400,
    'The XML you provided was not well-formed or did not validate against our published schema.',
  ],
  InvalidTargetBucketForLogging: [400, 'The target bucket for logging does not exist or is not owned by you.'],
  MalformedXML: [400, 'The XML you provided was not well-formed or did not validate against our published schema.'],
  MissingContentLength: [411, 'You must provide the Content-Length HTTP header.'],
  MethodNotAllowed: [405, 'The specified method is not allowed against this resource.'],
  MetadataTooLarge: [400, 'Your metadata headers exceed the maximum allowed metadata size.'],
  IncompleteBody: [400, 'You did not provide the number of bytes specified by the Content-Length HTTP header.'],
  RequestTimeout: [
    400,
    'Your socket connection to the server was not read from or written to within the timeout period.',
  ],
  PreconditionFailed: [412, 'At least one of the preconditions you specified did not hold.'],
  NoSuchVersion: [404, 'The specified version does not exist.'],
  NoSuchTagSet: [404, 'The TagSet does not exist.'],
  InvalidTag: [400, 'The tag provided was not a valid tag.'],
  BadRequest: [400, 'Bad Request'],
  MissingContentMD5: [400, 'Missing required header for this request: Content-MD5.'],
  InvalidObjectState: [403, "The operation is not valid for the object's storage class or state."],
  RestoreAlreadyInProgress: [409, 'Object restore is already in progress.'],
  ObjectNotAppendable: [409, 'The object is not appendable.'],
  PositionNotEqualToLength: [409, 'The position is not equal to the length of the object.'],
  CallbackFail: [400, 'The callback server did not accept the upload.'],
  CallbackTimeout: [400, 'The callback server did not answer in time.'],
  InternalError: [500, 'We encountered an internal error. Please try again.'],
  NotImplemented: [501, 'A header or query you provided implies functionality that is not implemented.'],
  ServiceUnavailable: [503, 'Please reduce your request rate.'],
  SlowDown: [503, 'Please reduce your request rate.'],
  TooManyRequests: [429, 'Too many requests.'],
};

/**
 * Is the code in the table above (its status and message are defined here)?
 * @param {string} code
 */
export function isKnownCode(code) {
  return Object.hasOwn(TABLE, code);
}

/** A KS3 error answered as the §5.1 XML document. */
export class Ks3Error extends Error {
  /**
   * @param {string} code KS3 error code (§5.3)
   * @param {string} [message] overrides the table's message
   * @param {{ status?: number, extra?: Record<string, string>, headers?: Record<string, string> }} [options]
   *   `extra` adds elements after `RequestId` (e.g. `StringToSign`); `headers` adds response headers.
   */
  constructor(code, message, options = {}) {
    const row = TABLE[code];
    super(message ?? row?.[1] ?? code);
    this.name = 'Ks3Error';
    this.code = code;
    this.status = options.status ?? row?.[0] ?? 500;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}
