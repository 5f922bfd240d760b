/** Pieces shared by operations: option shapes, result shape, target checks, document parsing. */
import { type Client, clientState } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { checkBucket, checkKey } from '../validate.js';

/** Options every operation accepts. */
export interface CallOptions {
  /** Aborts the call (all attempts, waits and body reads); rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * Extra request headers, sent as given (names are lower-cased). A header that contradicts an
   * option of the call is refused; `date`/`x-kss-date` set the request time.
   */
  headers?: Readonly<Record<string, string>> | undefined;
}

/** Options of an operation on one bucket. */
export interface BucketOptions extends CallOptions {
  bucket: string;
}

/** Options of an operation on one object. */
export interface ObjectOptions extends BucketOptions {
  key: string;
}

/** What every operation that sends a request resolves to, at least. */
export interface Ks3Result {
  /** KS3's `x-kss-request-id` of the (last) response, for support requests; undefined if none was sent. */
  requestId: string | undefined;
}

/** Progress of a transfer: bytes so far and, when known, in all. Never above `total`. */
export interface TransferProgress {
  loaded: number;
  total: number | undefined;
}

/** The checked context of a call: operation, bucket and (when the operation takes one) key. */
export type Target = Ks3ErrorContext & { operation: string; bucket: string; key?: string };

/**
 * Checks the arguments every operation shares (client, options object, signal, bucket and key
 * when the operation takes one) and returns the error context.
 * @throws {Ks3InputError}
 */
export function target(op: string, client: Client, o: unknown, withKey: boolean): Target & { key: string };
export function target(op: string, client: Client, o: unknown, withKey: false): Target;
export function target(op: string, client: Client, o: unknown, withKey: boolean): Target {
  const base = { operation: op };
  checkCall(op, client, o);
  const opts = o as { bucket?: unknown; key?: unknown };
  const bucket = checkBucket(opts.bucket, { ...base, key: typeof opts.key === 'string' ? opts.key : undefined });
  if (!withKey) return { operation: op, bucket };
  return { operation: op, bucket, key: checkKey(opts.key, { ...base, bucket }) };
}

/** The client and options object of a call (also for operations without a bucket). */
export function checkCall(op: string, client: unknown, o: unknown): void {
  const ctx = { operation: op };
  if (typeof client !== 'object' || client === null)
    throw new Ks3InputError('client', 'must be a client from createClient', ctx);
  clientState(client as Client);
  if (typeof o !== 'object' || o === null) throw new Ks3InputError('options', 'must be an object', ctx);
  const { signal } = o as { signal?: unknown };
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new Ks3InputError('signal', 'must be an AbortSignal', ctx);
}

/**
 * A string parameter that must be well-formed Unicode (URLs cannot carry a lone surrogate).
 * @throws {Ks3InputError}
 */
export function checkText(param: string, value: unknown, ctx: Ks3ErrorContext, allowEmpty = true): string {
  if (typeof value !== 'string') throw new Ks3InputError(param, 'must be a string', ctx);
  if (!allowEmpty && !value) throw new Ks3InputError(param, 'must be a non-empty string', ctx);
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    throw new Ks3InputError(param, 'contains a lone UTF-16 surrogate', ctx);
  }
  return value;
}
