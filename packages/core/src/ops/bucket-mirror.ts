/**
 * Mirror / back-to-origin (`?mirror`): KS3's JSON document, field names as KS3 spells them
 * (ks3sdklib/aws-sdk-go service/s3/mirror.go; endocs.ksyun.com/documents/37550). On a miss, KS3
 * fetches the key from the origin (synchronously for `sync_mirror_rules`, in the background for
 * the `async_mirror_rule`) and stores it.
 */
import type { Client } from '../client.js';
import { Ks3InputError, Ks3ProtocolError, type Ks3ErrorContext } from '../errors.js';
import { configRequest } from './bucket-config-request.js';
import { type BucketOptions, type Ks3Result, target } from './common.js';

/** Where fetched objects get which ACL. */
export interface MirrorSavingSetting {
  acl: 'private' | 'public-read';
}

/** A synchronous back-to-origin rule. */
export interface SyncMirrorRule {
  match_condition?: { http_codes?: readonly string[]; key_prefixes?: readonly string[] } | undefined;
  mirror_url: string;
  mirror_request_setting?:
    | {
        pass_query_string?: boolean | undefined;
        follow3xx?: boolean | undefined;
        header_setting?:
          | {
              set_headers?: readonly { key: string; value: string }[] | undefined;
              remove_headers?: readonly { key: string }[] | undefined;
              pass_all?: boolean | undefined;
              pass_headers?: readonly { key: string }[] | undefined;
            }
          | undefined;
      }
    | undefined;
  saving_setting?: MirrorSavingSetting | undefined;
  [field: string]: unknown;
}

/** A bucket's mirror configuration, in KS3's JSON shape. */
export interface BucketMirror {
  version: string;
  use_default_robots?: boolean | undefined;
  async_mirror_rule?:
    | { mirror_urls: readonly string[]; saving_setting: MirrorSavingSetting; [field: string]: unknown }
    | undefined;
  sync_mirror_rules?: readonly SyncMirrorRule[] | undefined;
  [field: string]: unknown;
}

/** Options of {@link putBucketMirror}. */
export interface PutBucketMirrorOptions extends BucketOptions {
  mirror: BucketMirror;
}

/** What {@link getBucketMirror} returns. */
export interface GetBucketMirrorResult extends Ks3Result {
  mirror: BucketMirror;
}

const isUrl = (s: unknown): boolean => {
  try {
    const u = new URL(String(s));
    return typeof s === 'string' && (u.protocol === 'http:' || u.protocol === 'https:');
  } catch {
    return false;
  }
};

/** The JSON to send: its shape checked where KS3's SDK documents it. */
function mirrorJson(m: BucketMirror, ctx: Ks3ErrorContext): string {
  if (typeof m !== 'object' || m === null || Array.isArray(m))
    throw new Ks3InputError('mirror', 'must be an object', ctx);
  if (typeof m.version !== 'string' || !m.version)
    throw new Ks3InputError('mirror.version', 'must be a non-empty string', ctx);
  const a = m.async_mirror_rule;
  const sync = m.sync_mirror_rules ?? [];
  if (!Array.isArray(sync)) throw new Ks3InputError('mirror.sync_mirror_rules', 'must be an array', ctx);
  if (!a && !sync.length)
    throw new Ks3InputError('mirror', 'needs async_mirror_rule or at least one of sync_mirror_rules', ctx);
  if (a) {
    if (!Array.isArray(a.mirror_urls) || !a.mirror_urls.length || !a.mirror_urls.every(isUrl))
      throw new Ks3InputError('mirror.async_mirror_rule.mirror_urls', 'must be a non-empty array of http(s) URLs', ctx);
    if (typeof a.saving_setting?.acl !== 'string')
      throw new Ks3InputError('mirror.async_mirror_rule.saving_setting', 'needs an acl', ctx);
  }
  sync.forEach((r, i) => {
    if (!isUrl(r?.mirror_url))
      throw new Ks3InputError(`mirror.sync_mirror_rules[${i}].mirror_url`, 'must be an http(s) URL', ctx);
  });
  try {
    return JSON.stringify(m);
  } catch (cause) {
    throw new Ks3InputError('mirror', `cannot be written as JSON (${(cause as Error).message})`, ctx);
  }
}

/**
 * Sets a bucket's back-to-origin rules.
 * @throws {Ks3InputError} for a document without a version or rules, or origins that are not http(s) URLs.
 * @example
 * await putBucketMirror(client, {
 *   bucket,
 *   mirror: {
 *     version: 'V3',
 *     async_mirror_rule: { mirror_urls: ['https://origin.example.com'], saving_setting: { acl: 'private' } },
 *   },
 * });
 */
export async function putBucketMirror(client: Client, o: PutBucketMirrorOptions): Promise<Ks3Result> {
  const ctx = target('PutBucketMirror', client, o, false);
  const text = mirrorJson(o.mirror, ctx);
  const res = await configRequest(client, ctx, o, 'PUT', 'mirror', { text, contentType: 'application/json' });
  return { requestId: res.requestId };
}

/**
 * Reads a bucket's back-to-origin rules.
 * @throws {Ks3ServiceError} 404 when it has none.
 * @throws {Ks3ProtocolError} when the answer is not a JSON object.
 */
export async function getBucketMirror(client: Client, o: BucketOptions): Promise<GetBucketMirrorResult> {
  const ctx = target('GetBucketMirror', client, o, false);
  const res = await configRequest(client, ctx, o, 'GET', 'mirror');
  let mirror: unknown;
  try {
    mirror = JSON.parse(await res.text());
  } catch {
    mirror = undefined;
  }
  if (typeof mirror !== 'object' || mirror === null || Array.isArray(mirror))
    throw new Ks3ProtocolError('GetBucketMirror: the answer is not a JSON document', {
      ...ctx,
      requestId: res.requestId,
    });
  return { mirror: mirror as BucketMirror, requestId: res.requestId };
}

/** Removes a bucket's back-to-origin rules. */
export async function deleteBucketMirror(client: Client, o: BucketOptions): Promise<Ks3Result> {
  const ctx = target('DeleteBucketMirror', client, o, false);
  return { requestId: (await configRequest(client, ctx, o, 'DELETE', 'mirror')).requestId };
}
