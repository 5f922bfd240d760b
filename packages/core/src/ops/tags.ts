/**
 * Tag sets: KS3's object tag rules, checked before any request (docs.ksyun.com/documents/39576,
 * /42341): at most 10 tags; keys 1–128 and values 1–256 bytes of `A-Z a-z 0-9`, space and
 * `+ - = . _ : / @`, neither starting nor ending with a space; no key starting with `ksc:` or
 * `kss:`. KS3 publishes no rules for bucket tags: those are checked only for well-formed text,
 * and KS3 judges the rest. No XML here: uploads import this, and must not carry the parser.
 */
import { encodeQueryValue } from '../encoding.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { checkText } from './common.js';

/** A tag set: tag keys to values. */
export type Tags = Readonly<Record<string, string>>;

/** The most tags KS3 allows on an object. */
export const MAX_OBJECT_TAGS = 10;
const ALLOWED = /^[A-Za-z0-9 +\-=._:/@]+$/;

function checkTagText(param: string, what: 'key' | 'value', s: string, max: number, ctx: Ks3ErrorContext): void {
  const bytes = new TextEncoder().encode(s).length;
  if (bytes < 1 || bytes > max)
    throw new Ks3InputError(param, `tag ${what} ${JSON.stringify(s)} is not 1 to ${max} bytes`, ctx);
  if (!ALLOWED.test(s)) {
    throw new Ks3InputError(
      param,
      `tag ${what} ${JSON.stringify(s)} may hold only A-Z a-z 0-9, space and + - = . _ : / @ (KS3's rule)`,
      ctx,
    );
  }
  if (s.startsWith(' ') || s.endsWith(' '))
    throw new Ks3InputError(param, `tag ${what} ${JSON.stringify(s)} must not start or end with a space`, ctx);
}

/**
 * A tag set, checked: object tags against KS3's rules, bucket tags for well-formed text only.
 * @throws {Ks3InputError} naming `param`.
 */
export function checkTags(
  tags: unknown,
  ctx: Ks3ErrorContext,
  kind: 'object' | 'bucket',
  param = 'tags',
): [string, string][] {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags))
    throw new Ks3InputError(param, 'must be an object of tag keys to string values', ctx);
  const entries = Object.entries(tags as Record<string, unknown>);
  if (kind === 'object' && entries.length > MAX_OBJECT_TAGS)
    throw new Ks3InputError(param, `has ${entries.length} tags; KS3 allows at most ${MAX_OBJECT_TAGS} per object`, ctx);
  for (const [key, value] of entries) {
    checkText(param, key, ctx, false);
    if (typeof value !== 'string')
      throw new Ks3InputError(param, `the value of ${JSON.stringify(key)} must be a string`, ctx);
    checkText(param, value, ctx);
    if (kind === 'bucket') continue;
    checkTagText(param, 'key', key, 128, ctx);
    if (/^(ksc|kss):/i.test(key))
      throw new Ks3InputError(param, `tag key ${JSON.stringify(key)} uses a reserved prefix`, ctx);
    checkTagText(param, 'value', value, 256, ctx);
  }
  return entries as [string, string][];
}

/** The `x-kss-tagging` header of an upload: `k=v&k2=v2`, URL-encoded; undefined without tags. */
export function tagsHeader(tags: Tags | undefined, ctx: Ks3ErrorContext): string | undefined {
  if (tags === undefined) return undefined;
  const entries = checkTags(tags, ctx, 'object');
  return entries.map(([k, v]) => `${encodeQueryValue(k)}=${encodeQueryValue(v)}`).join('&');
}
