// @ts-check
/**
 * Fault injection for retry and resume tests. A fault matches an operation (optionally a key
 * and a part number) and, for its next `times` matches, delays the request, answers an error
 * status, or resets the connection. Faults act after authentication and before the operation
 * touches storage.
 */
import { CONFIG_OPS } from './config/kinds.js';
import { Ks3Error } from './errors.js';

/** The operation names the router produces (KS3 API names). */
export const OPERATIONS = [
  'ListBuckets',
  'CreateBucket',
  'DeleteBucket',
  'HeadBucket',
  'GetBucketAcl',
  'PutBucketAcl',
  'GetBucketLocation',
  'GetBucketLogging',
  'PutBucketLogging',
  'ListObjects',
  'ListMultipartUploads',
  'PutObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
  'CopyObject',
  'GetObjectAcl',
  'PutObjectAcl',
  'InitiateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'ListParts',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'DeleteObjects',
  'ListObjectsV2',
  'ListObjectVersions',
  'GetBucketVersioning',
  'PutBucketVersioning',
  'GetBucketTagging',
  'PutBucketTagging',
  'DeleteBucketTagging',
  'GetObjectTagging',
  'PutObjectTagging',
  'DeleteObjectTagging',
  'RestoreObject',
  'AppendObject',
  'FetchObject',
  'PostObject',
  ...CONFIG_OPS.keys(),
];

/** @type {Record<number, string>} */
const CODES = {
  400: 'InvalidRequest',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  408: 'RequestTimeout',
  429: 'TooManyRequests',
  500: 'InternalError',
  501: 'NotImplemented',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/**
 * @typedef {object} FaultSpec
 * @property {string} op an operation name, or `*` for any
 * @property {string} [bucket]
 * @property {string} [key]
 * @property {number} [partNumber]
 * @property {number} [status] answer this status (with `code`, default from the status)
 * @property {string} [code]
 * @property {number} [times] how many matching requests it affects (default 1)
 * @property {number} [delayMs] wait this long first (alone: a pure delay)
 * @property {boolean} [reset] destroy the socket instead of answering (mid-body for uploads)
 * @property {'EMFILE' | 'ENFILE' | 'ENOSPC' | 'EDQUOT' | 'EIO'} [diskError] the body's write to disk
 *   fails with this error (EMFILE/ENFILE on open, the others after the first chunk): uploads only
 */

/** The write errors `diskError` can simulate. */
export const DISK_ERRORS = ['EMFILE', 'ENFILE', 'ENOSPC', 'EDQUOT', 'EIO'];

/** @typedef {Required<Pick<FaultSpec, 'op' | 'times'>> & FaultSpec & { id: number }} Fault */

export class Faults {
  constructor() {
    /** @type {Fault[]} */
    this.active = [];
    this.nextId = 1;
  }

  /**
   * Adds a fault.
   * @param {FaultSpec} spec
   * @returns {number} its id
   * @throws {TypeError} on an invalid spec
   */
  add(spec) {
    const s = /** @type {Record<string, unknown>} */ (spec ?? {});
    const int = (/** @type {string} */ k, /** @type {number} */ lo, /** @type {number} */ hi) => {
      const v = s[k];
      if (
        v !== undefined &&
        !(Number.isInteger(v) && /** @type {number} */ (v) >= lo && /** @type {number} */ (v) <= hi)
      ) {
        throw new TypeError(`fault ${k} must be an integer in ${lo}..${hi}`);
      }
    };
    if (typeof s.op !== 'string' || (s.op !== '*' && !OPERATIONS.includes(s.op))) {
      throw new TypeError(`fault op must be "*" or one of ${OPERATIONS.join(', ')}`);
    }
    int('status', 100, 599);
    int('times', 1, 1_000_000);
    int('delayMs', 0, 600_000);
    int('partNumber', 1, 10000);
    for (const k of ['bucket', 'key', 'code'])
      if (s[k] !== undefined && typeof s[k] !== 'string') throw new TypeError(`fault ${k} must be a string`);
    if (s.reset !== undefined && typeof s.reset !== 'boolean') throw new TypeError('fault reset must be a boolean');
    if (s.diskError !== undefined && !DISK_ERRORS.includes(/** @type {string} */ (s.diskError)))
      throw new TypeError(`fault diskError must be one of ${DISK_ERRORS.join(', ')}`);
    if (s.status === undefined && !s.reset && s.delayMs === undefined && s.diskError === undefined)
      throw new TypeError('a fault needs status, reset, delayMs or diskError');
    const fault = /** @type {Fault} */ ({ ...spec, times: spec.times ?? 1, id: this.nextId++ });
    this.active.push(fault);
    return fault.id;
  }

  /** Removes every fault. */
  clear() {
    this.active = [];
  }

  /** The faults still armed, with their remaining `times`. */
  list() {
    return this.active.map((f) => ({ ...f }));
  }

  /**
   * Takes the first fault matching a request, counting it down.
   * @param {string} op
   * @param {{ bucket: string, key: string, partNumber?: number }} target
   * @returns {Fault | undefined}
   */
  take(op, target) {
    const i = this.active.findIndex(
      (f) =>
        (f.op === '*' || f.op === op) &&
        (f.bucket === undefined || f.bucket === target.bucket) &&
        (f.key === undefined || f.key === target.key) &&
        (f.partNumber === undefined || f.partNumber === target.partNumber),
    );
    const fault = this.active[i];
    if (!fault) return undefined;
    fault.times--;
    if (fault.times <= 0) this.active.splice(i, 1);
    return fault;
  }
}

/**
 * The error a status fault answers with.
 * @param {Fault} fault
 */
export function faultError(fault) {
  const status = /** @type {number} */ (fault.status);
  return new Ks3Error(fault.code ?? CODES[status] ?? 'InjectedFault', `Injected fault #${fault.id} (${fault.op}).`, {
    status,
  });
}
