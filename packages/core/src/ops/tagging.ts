/** Object tagging (`/{key}?tagging`) and bucket tagging (`/?tagging`), S3's Tagging document. */
import type { Client } from '../client.js';
import { send } from '../request/send.js';
import type { QueryParam } from '../sign/subresources.js';
import {
  type BucketOptions,
  type CallOptions,
  type Ks3Result,
  type ObjectOptions,
  type Target,
  target,
} from './common.js';
import { parseDocument } from './document.js';
import { versionQuery } from './get-object.js';
import { checkTags, type Tags } from './tags.js';
import { xmlDocument, xmlElement, xmlRequest } from './xml-body.js';
import { children, childText, type XmlNode } from '../xml.js';

/** Options of the object tagging operations. */
export interface ObjectTaggingOptions extends ObjectOptions {
  /** A version of the object, in a versioned bucket (default: the current one). */
  versionId?: string | undefined;
}

/** Options of {@link putObjectTagging}. */
export interface PutObjectTaggingOptions extends ObjectTaggingOptions {
  /** The new tag set (it replaces the old one): at most 10 tags, KS3's key and value rules. */
  tags: Tags;
}

/** Options of {@link putBucketTagging}. */
export interface PutBucketTaggingOptions extends BucketOptions {
  /** The new tag set (it replaces the old one). */
  tags: Tags;
}

/** What the object tagging operations return. */
export interface ObjectTaggingResult extends Ks3Result {
  /** The version the call applied to, in a versioned bucket. */
  versionId?: string | undefined;
}

/** What {@link getObjectTagging} returns. */
export interface GetObjectTaggingResult extends ObjectTaggingResult {
  tags: Record<string, string>;
}

/** What {@link getBucketTagging} returns. */
export interface GetBucketTaggingResult extends Ks3Result {
  tags: Record<string, string>;
}

/** A `Tagging` document. */
export function buildTaggingXml(entries: readonly (readonly [string, string])[]): string {
  const items = entries.map(([k, v]) => `<Tag>${xmlElement('Key', k)}${xmlElement('Value', v)}</Tag>`).join('');
  return xmlDocument('Tagging', `<TagSet>${items}</TagSet>`);
}

/** The tags of a `Tagging` root element. */
export function parseTagging(root: XmlNode): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const set of children(root, 'TagSet'))
    for (const t of children(set, 'Tag')) tags[childText(t, 'Key') ?? ''] = childText(t, 'Value') ?? '';
  return tags;
}

type Method = 'GET' | 'PUT' | 'DELETE';

async function tagging(
  client: Client,
  op: string,
  method: Method,
  o: CallOptions & { versionId?: unknown },
  ctx: Target,
  xml?: string,
) {
  // Only the object operations take a version.
  const query: QueryParam[] = [['tagging'], ...(ctx.key === undefined ? [] : versionQuery(o.versionId, ctx))];
  const doc = xml === undefined ? undefined : await xmlRequest(client, xml, o.headers, ctx);
  return send(client, {
    op,
    method,
    bucket: ctx.bucket,
    key: ctx.key,
    query,
    headers: doc ? doc.headers : o.headers,
    body: doc?.body,
    signal: o.signal,
    ok: method === 'GET' ? (s) => s === 200 : undefined,
    read: 'text',
  });
}

const withVersion = (res: { headers: Headers; requestId: string | undefined }): ObjectTaggingResult => {
  const v = res.headers.get('x-kss-version-id');
  return v ? { versionId: v, requestId: res.requestId } : { requestId: res.requestId };
};

/**
 * Replaces an object's tags. KS3's rules are checked first: at most 10 tags, keys 1–128 and
 * values 1–256 characters of `A-Z a-z 0-9`, space and `+ - = . _ : / @`, no `ksc:`/`kss:` keys.
 * @throws {Ks3InputError} for a tag set KS3 would refuse.
 * @example await putObjectTagging(client, { bucket, key, tags: { project: 'apollo', tier: 'hot' } });
 */
export async function putObjectTagging(client: Client, o: PutObjectTaggingOptions): Promise<ObjectTaggingResult> {
  const ctx = target('PutObjectTagging', client, o, true);
  const xml = buildTaggingXml(checkTags(o.tags, ctx, 'object'));
  return withVersion(await tagging(client, 'PutObjectTagging', 'PUT', o, ctx, xml));
}

/**
 * Reads an object's tags (`{}` when it has none).
 * @example const { tags } = await getObjectTagging(client, { bucket, key });
 */
export async function getObjectTagging(client: Client, o: ObjectTaggingOptions): Promise<GetObjectTaggingResult> {
  const ctx = target('GetObjectTagging', client, o, true);
  const res = await tagging(client, 'GetObjectTagging', 'GET', o, ctx);
  return { ...withVersion(res), tags: parseTagging(await parseDocument(res, 'Tagging', ctx)) };
}

/** Removes every tag of an object. */
export async function deleteObjectTagging(client: Client, o: ObjectTaggingOptions): Promise<ObjectTaggingResult> {
  const ctx = target('DeleteObjectTagging', client, o, true);
  return withVersion(await tagging(client, 'DeleteObjectTagging', 'DELETE', o, ctx));
}

/**
 * Replaces a bucket's tags. KS3 publishes no rules for bucket tags, so only well-formed text is
 * checked here and KS3 judges the rest (`InvalidTag`, `BadRequest`).
 * @example await putBucketTagging(client, { bucket, tags: { team: 'media' } });
 */
export async function putBucketTagging(client: Client, o: PutBucketTaggingOptions): Promise<Ks3Result> {
  const ctx = target('PutBucketTagging', client, o, false);
  const xml = buildTaggingXml(checkTags(o.tags, ctx, 'bucket'));
  return { requestId: (await tagging(client, 'PutBucketTagging', 'PUT', o, ctx, xml)).requestId };
}

/**
 * Reads a bucket's tags.
 * @throws {Ks3ServiceError} `NoSuchTagSet` (404) for a bucket without tags.
 */
export async function getBucketTagging(client: Client, o: BucketOptions): Promise<GetBucketTaggingResult> {
  const ctx = target('GetBucketTagging', client, o, false);
  const res = await tagging(client, 'GetBucketTagging', 'GET', o, ctx);
  return { tags: parseTagging(await parseDocument(res, 'Tagging', ctx)), requestId: res.requestId };
}

/** Removes every tag of a bucket. */
export async function deleteBucketTagging(client: Client, o: BucketOptions): Promise<Ks3Result> {
  const ctx = target('DeleteBucketTagging', client, o, false);
  return { requestId: (await tagging(client, 'DeleteBucketTagging', 'DELETE', o, ctx)).requestId };
}
