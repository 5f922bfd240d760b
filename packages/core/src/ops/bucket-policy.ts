/**
 * Bucket policy (`?policy`): KS3's JSON policy language (endocs.ksyun.com/documents/37379,
 * 37380): `Statement`s of `Effect`, `Principal`, `Action`, `Resource` and `Condition`.
 */
import type { Client } from '../client.js';
import { Ks3InputError, Ks3ProtocolError } from '../errors.js';
import { configRequest } from './bucket-config-request.js';
import { type BucketOptions, checkText, type Ks3Result, target } from './common.js';

/** A policy document: KS3 reads `Version` (`2015-11-01`) and `Statement`. */
export interface BucketPolicy {
  Version?: string | undefined;
  Statement: readonly Record<string, unknown>[];
  [field: string]: unknown;
}

/** Options of {@link putBucketPolicy}. */
export interface PutBucketPolicyOptions extends BucketOptions {
  /** The policy: an object (sent as JSON) or JSON text (sent as given, after checking it parses). */
  policy: BucketPolicy | string;
}

/** What {@link getBucketPolicy} returns. */
export interface GetBucketPolicyResult extends Ks3Result {
  /** The policy, parsed. */
  policy: BucketPolicy;
  /** The JSON exactly as KS3 returned it. */
  text: string;
}

/** The JSON to send, checked to be an object with a `Statement` array. */
function policyJson(policy: unknown, ctx: { operation: string }): string {
  let text: string;
  if (typeof policy === 'string') text = checkText('policy', policy, ctx, false);
  else if (typeof policy === 'object' && policy !== null && !Array.isArray(policy)) {
    try {
      text = JSON.stringify(policy);
    } catch (cause) {
      throw new Ks3InputError('policy', `cannot be written as JSON (${(cause as Error).message})`, ctx);
    }
  } else throw new Ks3InputError('policy', 'must be a policy object or its JSON text', ctx);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Ks3InputError('policy', 'is not valid JSON', ctx);
  }
  const statement = (doc as { Statement?: unknown } | null)?.Statement;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Array.isArray(statement) || !statement.length)
    throw new Ks3InputError('policy', 'must be a JSON object with a non-empty Statement array', ctx);
  return text;
}

/**
 * Replaces a bucket's policy. The document is checked to be JSON with statements; KS3 judges
 * the rest (`MalformedPolicy`).
 * @throws {Ks3InputError} for text that is not JSON, or no `Statement` array.
 * @example
 * await putBucketPolicy(client, {
 *   bucket,
 *   policy: {
 *     Version: '2015-11-01',
 *     Statement: [
 *       {
 *         Effect: 'Allow',
 *         Principal: { KSC: ['*'] },
 *         Action: ['ks3:GetObject'],
 *         Resource: [`krn:ksc:ks3:::${bucket}/public/*`],
 *       },
 *     ],
 *   },
 * });
 */
export async function putBucketPolicy(client: Client, o: PutBucketPolicyOptions): Promise<Ks3Result> {
  const ctx = target('PutBucketPolicy', client, o, false);
  const text = policyJson(o.policy, ctx);
  const res = await configRequest(client, ctx, o, 'PUT', 'policy', { text, contentType: 'application/json' });
  return { requestId: res.requestId };
}

/**
 * Reads a bucket's policy.
 * @throws {Ks3ServiceError} `NoSuchBucketPolicy` (404) when it has none.
 * @throws {Ks3ProtocolError} when the answer is not a JSON object.
 */
export async function getBucketPolicy(client: Client, o: BucketOptions): Promise<GetBucketPolicyResult> {
  const ctx = target('GetBucketPolicy', client, o, false);
  const res = await configRequest(client, ctx, o, 'GET', 'policy');
  const text = await res.text();
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    policy = undefined;
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy))
    throw new Ks3ProtocolError('GetBucketPolicy: the answer is not a JSON policy', {
      ...ctx,
      requestId: res.requestId,
    });
  return { policy: policy as BucketPolicy, text, requestId: res.requestId };
}

/** Removes a bucket's policy. */
export async function deleteBucketPolicy(client: Client, o: BucketOptions): Promise<Ks3Result> {
  const ctx = target('DeleteBucketPolicy', client, o, false);
  return { requestId: (await configRequest(client, ctx, o, 'DELETE', 'policy')).requestId };
}
