/**
 * A session policy for `assumeRole` that confines temporary credentials to one key prefix of one
 * bucket, in KS3's policy language (endocs.ksyun.com/documents/37380: Version 2015-11-01, `ks3:`
 * actions, `krn:ksc:ks3:::bucket/key` resources, `ks3:prefix` conditions on listings).
 */
import { Ks3InputError } from '@ks3/core';
import { checkBucket } from '@ks3/core/internal';

/** Options of {@link createSessionPolicy}. */
export interface SessionPolicyOptions {
  bucket: string;
  /** The only keys the credentials may touch start with this (e.g. `users/42/`). */
  prefix: string;
  /** Object actions on keys under the prefix (default: get, put — multipart included —, delete, abort, list parts). */
  objectActions?: readonly string[] | undefined;
  /** Listing the prefix (ListBucket, ListBucketMultipartUploads with `ks3:prefix` under it); default true. */
  list?: boolean | undefined;
}

/** Reading, writing (single and multipart) and deleting objects. */
export const DEFAULT_SESSION_ACTIONS: readonly string[] = [
  'ks3:GetObject',
  'ks3:PutObject',
  'ks3:DeleteObject',
  'ks3:AbortMultipartUpload',
  'ks3:ListMultipartUploadParts',
];

/**
 * Builds the policy document (an object; `assumeRole` sends it as JSON).
 * @throws {Ks3InputError} for a bad bucket, a prefix with the wildcards `*` or `?` (they would
 * widen it), or actions that are not `ks3:` names.
 * @example
 * const policy = createSessionPolicy({ bucket: 'uploads', prefix: `users/${userId}/` });
 */
export function createSessionPolicy(o: SessionPolicyOptions): Record<string, unknown> {
  const ctx = { operation: 'createSessionPolicy' };
  if (typeof o !== 'object' || o === null) throw new Ks3InputError('options', 'must be an object', ctx);
  const bucket = checkBucket(o.bucket, ctx);
  if (typeof o.prefix !== 'string' || /[*?]/.test(o.prefix))
    throw new Ks3InputError('prefix', 'must be a string without the policy wildcards * and ?', ctx);
  const actions = o.objectActions ?? DEFAULT_SESSION_ACTIONS;
  if (!Array.isArray(actions) || actions.some((a) => typeof a !== 'string' || !/^ks3:[A-Za-z*]+$/.test(a)))
    throw new Ks3InputError('objectActions', 'must be ks3: action names (e.g. ks3:GetObject)', ctx);
  const statements: Record<string, unknown>[] = [
    { Effect: 'Allow', Action: [...actions], Resource: [`krn:ksc:ks3:::${bucket}/${o.prefix}*`] },
  ];
  if (o.list !== false) {
    statements.push({
      Effect: 'Allow',
      Action: ['ks3:ListBucket', 'ks3:ListBucketMultipartUploads'],
      Resource: [`krn:ksc:ks3:::${bucket}`],
      Condition: { StringLike: { 'ks3:prefix': [`${o.prefix}*`] } },
    });
  }
  return { Version: '2015-11-01', Statement: statements };
}
