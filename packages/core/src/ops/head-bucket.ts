/** Head Bucket (`HEAD /{bucket}`, docs.ksyun.com/documents/27890): does it exist, where, of what type. */
import type { Client } from '../client.js';
import { send } from '../request/send.js';
import { type BucketOptions, type Ks3Result, target } from './common.js';

/** What {@link headBucket} returns. */
export interface HeadBucketResult extends Ks3Result {
  /** False when KS3 answered 404 (no such bucket). */
  exists: boolean;
  /**
   * The bucket's region (`x-kss-bucket-region`) when KS3 sends it. KS3 does not document this
   * header (S3 sends `x-amz-bucket-region`); use `getBucketLocation` where it is missing.
   */
  region: string | undefined;
  /** `x-kss-bucket-type`: `NORMAL`, `IA`, `ARCHIVE`, … (KS3 doc 27890), when KS3 sends it. */
  bucketType: string | undefined;
}

/**
 * Checks that a bucket exists and may be accessed. A missing bucket is not an error:
 * `exists` is false. A bucket that exists but is someone else's answers 403, which is thrown
 * (HEAD answers carry no body, so the code is `Forbidden`).
 * @throws {Ks3ServiceError} `Forbidden` (403), or any other error status.
 * @example if (!(await headBucket(client, { bucket })).exists) await createBucket(client, { bucket });
 */
export async function headBucket(client: Client, o: BucketOptions): Promise<HeadBucketResult> {
  const ctx = target('HeadBucket', client, o, false);
  const res = await send(client, {
    op: 'HeadBucket',
    method: 'HEAD',
    bucket: ctx.bucket,
    headers: o.headers,
    signal: o.signal,
    ok: (s) => (s >= 200 && s < 300) || s === 404,
  });
  await res.body?.cancel().catch(() => {});
  return {
    exists: res.status !== 404,
    region: res.headers.get('x-kss-bucket-region') ?? undefined,
    bucketType: res.headers.get('x-kss-bucket-type') ?? undefined,
    requestId: res.requestId,
  };
}
