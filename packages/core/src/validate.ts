/**
 * Input checks that run before any request (KS3 limits from ks3-protocol.md §1.4, §1.5, §8).
 * Each throws a {@link Ks3InputError} naming the parameter and the rule.
 */
import { Ks3InputError, type Ks3ErrorContext } from './errors.js';

/** Canned ACLs KS3 accepts (§4.4). */
export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
] as const;
/** A canned ACL name (`x-kss-acl`), one of {@link CANNED_ACLS}. */
export type CannedAcl = (typeof CANNED_ACLS)[number];

/**
 * Storage classes KS3 documents (§4.9; the reference SDK also sends DEEP_IA and ARCHIVE).
 * `StorageClass` also takes any other upper-case name, so a class KS3 adds later can be used
 * before the SDK knows it.
 */
export const STORAGE_CLASSES = ['STANDARD', 'STANDARD_IA', 'DEEP_IA', 'ARCHIVE'] as const;
/** A storage class this SDK knows, one of {@link STORAGE_CLASSES}. */
export type KnownStorageClass = (typeof STORAGE_CLASSES)[number];
/**
 * A storage class: a known name, or any upper-case name KS3 may add later. (`string & {}` keeps
 * editor completion for the known names while accepting others.)
 */
export type StorageClass = KnownStorageClass | (string & {});

/** A storage class: a known one, or a name shaped like one (`[A-Z][A-Z0-9_]*`). */
export function checkStorageClass(value: unknown, ctx: Ks3ErrorContext): StorageClass {
  if (typeof value !== 'string' || !/^[A-Z][A-Z0-9_]{1,63}$/.test(value)) {
    throw new Ks3InputError(
      'storageClass',
      `${JSON.stringify(value)} is not a storage class (${STORAGE_CLASSES.join(', ')}, or another upper-case name)`,
      ctx,
    );
  }
  return value;
}

const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** KS3 bucket names: 3–63 of `a-z 0-9 -`, not starting or ending with `-`, no dots (§1.4). */
export function checkBucket(bucket: unknown, ctx: Ks3ErrorContext, param = 'bucket'): string {
  if (typeof bucket !== 'string' || !BUCKET.test(bucket)) {
    throw new Ks3InputError(
      param,
      `${JSON.stringify(bucket)} is not a KS3 bucket name (3-63 characters of a-z, 0-9 and '-', not starting or ending with '-')`,
      ctx,
    );
  }
  return bucket;
}

/**
 * Object keys: 1–1024 characters, well-formed Unicode, no `@base@`/`@style@` (§8), and no `.`
 * or `..` path segment: fetch's URL parser would resolve it and address another key (§1.5).
 */
export function checkKey(key: unknown, ctx: Ks3ErrorContext, param = 'key'): string {
  const bad = (why: string): never => {
    throw new Ks3InputError(param, why, ctx);
  };
  if (typeof key !== 'string' || key.length === 0) return bad('must be a non-empty string');
  let chars = 0;
  for (const _ of key) chars++;
  if (chars > 1024) bad(`is ${chars} characters long; KS3 allows at most 1024`);
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(key))
    bad('contains a lone UTF-16 surrogate');
  if (key.includes('@base@') || key.includes('@style@')) bad("must not contain '@base@' or '@style@'");
  if (key.split('/').some((s) => s === '.' || s === '..'))
    bad(`${JSON.stringify(key)} has a '.' or '..' segment, which URLs cannot carry verbatim`);
  return key;
}

/** One of a fixed list of strings. */
export function checkOneOf<T extends string>(
  param: string,
  value: unknown,
  allowed: readonly T[],
  ctx: Ks3ErrorContext,
): T {
  if (!allowed.includes(value as T))
    throw new Ks3InputError(param, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`, ctx);
  return value as T;
}

/** A non-negative safe integer (sizes, offsets, counts). */
export function checkCount(
  param: string,
  value: unknown,
  ctx: Ks3ErrorContext,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Ks3InputError(param, `must be an integer in ${min}..${max}, got ${String(value)}`, ctx);
  }
  return value;
}

/** User metadata: names of `[a-z0-9-_.]`, values printable ASCII; returned as x-kss-meta-* headers. */
export function metadataHeaders(
  meta: Record<string, string> | undefined,
  ctx: Ks3ErrorContext,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (meta === undefined) return out;
  if (typeof meta !== 'object' || meta === null)
    throw new Ks3InputError('metadata', 'must be an object of strings', ctx);
  for (const [name, value] of Object.entries(meta)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name))
      throw new Ks3InputError(
        'metadata',
        `name ${JSON.stringify(name)} must use only letters, digits, '-', '_' and '.'`,
        ctx,
      );
    if (typeof value !== 'string' || !/^[\t\x20-\x7e]*$/.test(value)) {
      throw new Ks3InputError(
        'metadata',
        `value of ${name} must be a printable ASCII string (encode other text, e.g. with encodeURIComponent)`,
        ctx,
      );
    }
    out[`x-kss-meta-${name.toLowerCase()}`] = value;
  }
  return out;
}
