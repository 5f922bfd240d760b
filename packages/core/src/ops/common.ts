/** Pieces shared by operations. */
import type { Ks3ErrorContext } from '../errors.js';
import type { Ks3Response } from '../request/send.js';
import { checkBucket, checkKey } from '../validate.js';

/** Options every operation accepts. */
export interface CallOptions {
  /** Aborts the call (all attempts, waits and body reads); rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of an operation on one bucket. */
export interface BucketOptions extends CallOptions {
  bucket: string;
}

/** Options of an operation on one object. */
export interface ObjectOptions extends BucketOptions {
  key: string;
}

/** Validates bucket (and key when `op` takes one) and returns the error context. */
export function target(
  op: string,
  o: { bucket?: unknown; key?: unknown },
  withKey: boolean,
): Ks3ErrorContext & { bucket: string; key?: string } {
  const base = { operation: op };
  if (typeof o !== 'object' || o === null) checkBucket(undefined, base);
  const bucket = checkBucket(o.bucket, { ...base, key: typeof o.key === 'string' ? o.key : undefined });
  if (!withKey) return { operation: op, bucket };
  return { operation: op, bucket, key: checkKey(o.key, { ...base, bucket }) };
}

/** Reads the (empty or tiny) body of a response we do not parse, so the connection is reused. */
export async function discard(res: Ks3Response): Promise<void> {
  await res.text();
}

/** The request id KS3 returned, if any. */
export const requestIdOf = (res: Ks3Response): string | undefined => res.headers.get('x-kss-request-id') ?? undefined;
