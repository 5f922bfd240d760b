/**
 * Default bucket encryption (`?encryption`): S3's ServerSideEncryptionConfiguration with one
 * rule, as KS3's SDK sends it (ks3sdklib/aws-sdk-go service/s3/bucket_encryption.go), whose
 * algorithms are `AES256` and `SM4`.
 */
import type { Client } from '../client.js';
import { child, childText } from '../xml.js';
import { configRequest } from './bucket-config-request.js';
import { type BucketOptions, type Ks3Result, target } from './common.js';
import { parseDocument } from './document.js';
import { checkOneOf } from '../validate.js';
import { xmlDocument, xmlElement } from './xml-body.js';

/** Server-side algorithms KS3 offers for default encryption. */
export const SSE_ALGORITHMS = ['AES256', 'SM4'] as const;
/** A default-encryption algorithm. */
export type SseAlgorithm = (typeof SSE_ALGORITHMS)[number];

/** Options of {@link putBucketEncryption}. */
export interface PutBucketEncryptionOptions extends BucketOptions {
  /** What KS3 encrypts new objects with when a request does not say. */
  sseAlgorithm: SseAlgorithm;
}

/** What {@link getBucketEncryption} returns. */
export interface GetBucketEncryptionResult extends Ks3Result {
  sseAlgorithm: string;
}

/**
 * Sets a bucket's default server-side encryption.
 * @throws {Ks3InputError} for an algorithm other than `AES256` or `SM4`.
 * @example await putBucketEncryption(client, { bucket, sseAlgorithm: 'AES256' });
 */
export async function putBucketEncryption(client: Client, o: PutBucketEncryptionOptions): Promise<Ks3Result> {
  const ctx = target('PutBucketEncryption', client, o, false);
  const algorithm = checkOneOf('sseAlgorithm', o.sseAlgorithm, SSE_ALGORITHMS, ctx);
  const apply = xmlElement('SSEAlgorithm', algorithm);
  const rule = `<Rule><ApplyServerSideEncryptionByDefault>${apply}</ApplyServerSideEncryptionByDefault></Rule>`;
  const text = xmlDocument('ServerSideEncryptionConfiguration', rule);
  const res = await configRequest(client, ctx, o, 'PUT', 'encryption', { text, contentType: 'application/xml' });
  return { requestId: res.requestId };
}

/**
 * Reads a bucket's default encryption.
 * @throws {Ks3ServiceError} `ServerSideEncryptionConfigurationNotFoundError` (404) when it has none.
 */
export async function getBucketEncryption(client: Client, o: BucketOptions): Promise<GetBucketEncryptionResult> {
  const ctx = target('GetBucketEncryption', client, o, false);
  const res = await configRequest(client, ctx, o, 'GET', 'encryption');
  const root = await parseDocument(res, 'ServerSideEncryptionConfiguration', ctx);
  const algorithm = childText(child(child(root, 'Rule'), 'ApplyServerSideEncryptionByDefault'), 'SSEAlgorithm');
  return { sseAlgorithm: algorithm ?? '', requestId: res.requestId };
}

/** Removes a bucket's default encryption. */
export async function deleteBucketEncryption(client: Client, o: BucketOptions): Promise<Ks3Result> {
  const ctx = target('DeleteBucketEncryption', client, o, false);
  return { requestId: (await configRequest(client, ctx, o, 'DELETE', 'encryption')).requestId };
}
