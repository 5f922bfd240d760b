// @ts-check
/**
 * Error codes of the bucket-configuration, CORS and POST Object features, with their statuses
 * (kept here rather than in errors.js so those features stay in their own files). Codes and
 * statuses are S3's where KS3 documents none; the mirror code is this emulator's guess. Codes
 * other features use too (BadRequest, InvalidPolicyDocument, ...) live in errors.js only.
 */
import { Ks3Error, isKnownCode } from '../errors.js';

/** @type {Record<string, [number, string]>} */
const TABLE = {
  NoSuchCORSConfiguration: [404, 'The CORS configuration does not exist.'],
  NoSuchLifecycleConfiguration: [404, 'The lifecycle configuration does not exist.'],
  NoSuchBucketPolicy: [404, 'The bucket policy does not exist.'],
  NoSuchWebsiteConfiguration: [404, 'The specified bucket does not have a website configuration.'],
  ServerSideEncryptionConfigurationNotFoundError: [404, 'The server side encryption configuration was not found.'],
  ReplicationConfigurationNotFoundError: [404, 'The replication configuration was not found.'],
  NoSuchMirrorConfiguration: [404, 'The mirror (back-to-origin) configuration does not exist.'],
  MalformedPolicy: [400, 'Policies must be valid JSON and the first byte must be "{".'],
  MalformedPOSTRequest: [400, 'The body of your POST request is not well-formed multipart/form-data.'],
  MaxPostPreDataLengthExceeded: [400, 'Your POST request fields preceding the upload file were too large.'],
  AccessForbidden: [403, 'CORSResponse: This CORS request is not allowed.'],
};

/** The codes defined here (none of them is in errors.js). */
export const CONFIG_ERROR_CODES = Object.keys(TABLE);

/**
 * @param {string} code a key of the table above, or a code of errors.js (BadRequest,
 *   InvalidPolicyDocument, ...: each code is defined once)
 * @param {string} [message] overrides the default message
 * @param {{ extra?: Record<string, string>, headers?: Record<string, string> }} [options]
 * @throws {Error} for a code neither table knows (a programming error)
 */
export function configError(code, message, options = {}) {
  const row = TABLE[code];
  if (row) return new Ks3Error(code, message ?? row[1], { ...options, status: row[0] });
  if (!isKnownCode(code)) throw new Error(`unknown error code ${code}`);
  return new Ks3Error(code, message, options);
}
