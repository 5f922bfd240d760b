/**
 * POST-policy uploads, the server half (KS3 V2, docs.ksyun.com/documents/42322; ks3-v4.md §4.1):
 * a policy document stating what a browser form may upload (bucket, key or key prefix, size
 * range, content type, ACL, metadata, success answer, callback, expiry), Base64-encoded and
 * signed `Base64(HMAC-SHA1(secret, policy))`, returned as the form's fields. The page posts them
 * with the file (`postObject` of @ks3/browser); KS3 checks every condition. V4 POST forms exist,
 * but their field names are not documented anywhere (ks3-v4.md §1.5): not offered. Web APIs
 * only, so any server runtime can use it.
 */
import {
  type Addressing,
  type CannedAcl,
  CANNED_ACLS,
  type Credentials,
  createClient,
  Ks3InputError,
  type UploadCallback,
} from '@ks3/core';
import {
  callbackHeaders,
  checkBucket,
  checkCredentials,
  checkKey,
  hmacSha1Base64,
  importHmacKey,
  metadataHeaders,
  originFor,
  toBase64,
  utf8,
} from '@ks3/core/internal';

/** Options of {@link createPostPolicy}: give `key` or `keyPrefix`. */
export interface PostPolicyOptions {
  /** The KS3 endpoint (builds the form's URL). */
  endpoint: string;
  /** The key that signs (temporary credentials add their token as a field). */
  credentials: Credentials;
  bucket: string;
  /** The exact key; `${filename}` in it becomes the uploaded file's name. */
  key?: string | undefined;
  /** Any key starting with this; the `key` field defaults to `<keyPrefix>${filename}`. */
  keyPrefix?: string | undefined;
  /** `[min, max]` bytes of the file. */
  contentLengthRange?: readonly [number, number] | undefined;
  /** The exact Content-Type of the object. */
  contentType?: string | undefined;
  /** The object's Content-Type must start with this (e.g. `image/`); the page sends the file's type. */
  contentTypePrefix?: string | undefined;
  acl?: CannedAcl | undefined;
  /** Metadata the object gets (`x-kss-meta-*`, exact values). */
  metadata?: Record<string, string> | undefined;
  /** Lifetime of the policy in seconds (default 600; at most 7 days). */
  expiresIn?: number | undefined;
  /** KS3's answer on success: 204 (KS3's default), 200 or 201 (with a `<PostResponse>`). */
  successActionStatus?: 200 | 201 | 204 | undefined;
  /** Or a page the browser is redirected to (303) with bucket, key and etag in its query. */
  successActionRedirect?: string | undefined;
  /** Upload callback (KS3 calls `url` after storing the object). */
  callback?: UploadCallback | undefined;
  addressing?: Addressing | undefined;
  /** The clock for the policy's expiration (ms since the epoch; default `Date.now`). */
  now?: (() => number) | undefined;
}

/** What {@link createPostPolicy} returns: where to post, and the fields to post before the file. */
export interface PostPolicy {
  url: string;
  /** In order: `key` first, then the others, `Policy` and `Signature` last. The file goes after them. */
  fields: Record<string, string>;
  expiration: Date;
  /** The decoded policy document, as signed (for logs and tests). */
  policy: { expiration: string; conditions: unknown[] };
}

const MAX_SECONDS = 7 * 86_400;

/**
 * Builds and signs a POST policy.
 * @throws {Ks3InputError} for a bad bucket, key, prefix, range, ACL, metadata, callback, expiry or
 * success option, or both `key` and `keyPrefix` (or neither).
 * @example
 * const { url, fields } = await createPostPolicy({
 *   endpoint, credentials, bucket: 'uploads', keyPrefix: 'users/42/',
 *   contentLengthRange: [1, 10 << 20], contentTypePrefix: 'image/', expiresIn: 300,
 * });
 * // hand { url, fields } to the page: postObject({ url, fields, file })
 */
export async function createPostPolicy(o: PostPolicyOptions): Promise<PostPolicy> {
  const ctx = { operation: 'CreatePostPolicy', bucket: o?.bucket };
  const bad = (param: string, why: string): never => {
    throw new Ks3InputError(param, why, ctx);
  };
  if (typeof o !== 'object' || o === null) bad('options', 'must be an object');
  const creds = checkCredentials(o.credentials, false);
  const client = createClient({
    endpoint: o.endpoint,
    signatureVersion: 'v2',
    anonymous: true,
    addressing: o.addressing,
  });
  const bucket = checkBucket(o.bucket, ctx);
  if ((o.key === undefined) === (o.keyPrefix === undefined)) bad('key', 'give exactly one of key or keyPrefix');
  const conditions: unknown[] = [{ bucket }];
  const fields: Record<string, string> = {};
  if (o.key !== undefined) {
    fields.key = checkKey(o.key, ctx);
    conditions.push(['eq', '$key', fields.key]);
  } else {
    if (typeof o.keyPrefix !== 'string') bad('keyPrefix', 'must be a string');
    fields.key = checkKey(`${o.keyPrefix}\${filename}`, ctx);
    conditions.push(['starts-with', '$key', o.keyPrefix]);
  }
  if (o.contentLengthRange !== undefined) {
    const [min, max] = Array.isArray(o.contentLengthRange) ? o.contentLengthRange : [];
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min! < 0 || min! > max!)
      bad('contentLengthRange', 'must be [min, max] whole bytes with 0 ≤ min ≤ max');
    conditions.push(['content-length-range', min, max]);
  }
  if (o.contentType !== undefined && o.contentTypePrefix !== undefined)
    bad('contentType', 'give contentType or contentTypePrefix, not both');
  const type = o.contentType ?? o.contentTypePrefix;
  if (type !== undefined) {
    if (typeof type !== 'string' || !/^[\x21-\x7e][\x20-\x7e]*$/.test(type))
      bad('contentType', 'must be printable ASCII');
    fields['Content-Type'] = type;
    conditions.push([o.contentType !== undefined ? 'eq' : 'starts-with', '$Content-Type', type]);
  }
  if (o.acl !== undefined) {
    if (!(CANNED_ACLS as readonly string[]).includes(o.acl)) bad('acl', `must be one of ${CANNED_ACLS.join(', ')}`);
    fields.acl = o.acl;
    conditions.push({ acl: o.acl });
  }
  if (o.successActionStatus !== undefined && o.successActionRedirect !== undefined)
    bad('successActionStatus', 'give successActionStatus or successActionRedirect, not both');
  if (o.successActionStatus !== undefined) {
    if (![200, 201, 204].includes(o.successActionStatus)) bad('successActionStatus', 'must be 200, 201 or 204');
    fields.success_action_status = String(o.successActionStatus);
    conditions.push({ success_action_status: fields.success_action_status });
  }
  if (o.successActionRedirect !== undefined) {
    if (typeof o.successActionRedirect !== 'string' || !/^https?:\/\/\S+$/.test(o.successActionRedirect))
      bad('successActionRedirect', 'must be an http(s) URL');
    fields.success_action_redirect = o.successActionRedirect;
    conditions.push({ success_action_redirect: o.successActionRedirect });
  }
  const extra = { ...metadataHeaders(o.metadata, ctx), ...callbackHeaders(o.callback, ctx) };
  if (creds.securityToken) extra['x-kss-security-token'] = creds.securityToken;
  for (const [name, value] of Object.entries(extra)) {
    fields[name] = value;
    conditions.push({ [name]: value });
  }
  const now = (o.now ?? Date.now)();
  const seconds = o.expiresIn ?? 600;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_SECONDS)
    bad('expiresIn', `must be whole seconds in 1..${MAX_SECONDS} (7 days)`);
  const expiration = new Date(Math.floor(now / 1000) * 1000 + seconds * 1000);
  const policy = { expiration: expiration.toISOString(), conditions };
  const encoded = toBase64(utf8(JSON.stringify(policy)));
  fields.KSSAccessKeyId = creds.accessKeyId;
  fields.Policy = encoded;
  fields.Signature = await hmacSha1Base64(await importHmacKey(creds.secretAccessKey), encoded);
  const virtual = client.addressing === 'virtual' && !client.domainMode;
  const url = `${originFor(client, bucket)}${virtual ? '/' : `/${bucket}`}`;
  return { url, fields, expiration, policy };
}
