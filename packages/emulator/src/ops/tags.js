// @ts-check
/**
 * Tag sets: KS3's rules (docs.ksyun.com/documents/42341, /39576): at most 10 tags per object,
 * unique keys; keys 1–128 and values 1–256 bytes of letters, digits, space and the symbols
 * + - = . _ : / and the at sign, not starting or ending with a space; keys must not start with
 * the reserved `ksc:` / `kss:`. KS3 publishes no bucket limit: buckets take S3's 50. Counts over
 * the limit answer `400 BadRequest` (S3's code for it), other violations `400 InvalidTag`.
 */
import { Ks3Error } from '../errors.js';
import { decodeQueryComponent } from '../query.js';
import { S3NS, el, text } from '../xml.js';
import { childText, childrenNamed } from '../xml-parse.js';

/** @typedef {import('../store/types.js').Tag} Tag */

export const MAX_OBJECT_TAGS = 10;
export const MAX_BUCKET_TAGS = 50;
const KEY_MAX = 128;
const VALUE_MAX = 256;
const ALLOWED = /^[A-Za-z0-9 +\-=._:/@]*$/;

/**
 * @param {string} what `key` or `value`
 * @param {string} s
 * @param {number} max bytes
 */
function checkPart(what, s, max) {
  const bytes = Buffer.byteLength(s);
  if (bytes < 1 || bytes > max) throw new Ks3Error('InvalidTag', `A tag ${what} must be 1 to ${max} bytes long.`);
  if (!ALLOWED.test(s))
    throw new Ks3Error('InvalidTag', `A tag ${what} may only hold letters, digits, spaces and + - = . _ : / @.`);
  if (s.startsWith(' ') || s.endsWith(' '))
    throw new Ks3Error('InvalidTag', `A tag ${what} must not start or end with a space.`);
}

/**
 * Checks a whole tag set.
 * @param {Tag[]} tags
 * @param {number} max tags allowed (10 for objects, 50 for buckets)
 * @throws {Ks3Error} BadRequest, InvalidTag
 */
export function checkTags(tags, max) {
  if (tags.length > max)
    throw new Ks3Error(
      'BadRequest',
      `${max === MAX_OBJECT_TAGS ? 'Object' : 'Bucket'} tags cannot be greater than ${max}.`,
    );
  const seen = new Set();
  for (const { key, value } of tags) {
    checkPart('key', key, KEY_MAX);
    if (/^(ksc|kss):/i.test(key)) throw new Ks3Error('InvalidTag', 'Tag keys starting with ksc: or kss: are reserved.');
    checkPart('value', value, VALUE_MAX);
    if (seen.has(key)) throw new Ks3Error('InvalidTag', 'Cannot provide multiple Tags with the same key.');
    seen.add(key);
  }
  return tags;
}

/**
 * The `x-kss-tagging` header (`k=v&k2=v2`, URL-encoded) of PUT, Initiate, Append and Fetch;
 * undefined when absent.
 * @param {import('../context.js').Ctx} ctx
 * @returns {Tag[] | undefined}
 * @throws {Ks3Error} BadRequest, InvalidTag
 */
export function tagsFromHeader(ctx) {
  const raw = ctx.kss.get('x-kss-tagging');
  if (raw === undefined) return undefined;
  const tags = raw
    .split('&')
    .filter((item) => item !== '')
    .map((item) => {
      const eq = item.indexOf('=');
      return eq < 0
        ? { key: decodeQueryComponent(item), value: '' }
        : { key: decodeQueryComponent(item.slice(0, eq)), value: decodeQueryComponent(item.slice(eq + 1)) };
    });
  return checkTags(tags, MAX_OBJECT_TAGS);
}

/**
 * A `<Tagging><TagSet><Tag><Key/><Value/></Tag>…` body.
 * @param {import('../xml-parse.js').XmlElement} root
 * @param {number} max
 * @throws {Ks3Error} MalformedXML, BadRequest, InvalidTag
 */
export function tagsFromXml(root, max) {
  const set = root.local === 'Tagging' ? childrenNamed(root, 'TagSet') : [];
  if (set.length !== 1) throw new Ks3Error('MalformedXML', 'Expected a Tagging document with one TagSet.');
  const tags = childrenNamed(/** @type {import('../xml-parse.js').XmlElement} */ (set[0]), 'Tag').map((t) => {
    const key = childText(t, 'Key');
    const value = childText(t, 'Value');
    if (key === undefined || value === undefined)
      throw new Ks3Error('MalformedXML', 'Each Tag needs a Key and a Value.');
    return { key, value };
  });
  return checkTags(tags, max);
}

/**
 * @param {Tag[]} tags
 */
export function taggingXml(tags) {
  const items = tags.map((t) => el('Tag', [text('Key', t.key), text('Value', t.value)]));
  return el('Tagging', el('TagSet', items), { xmlns: S3NS });
}

/**
 * The tags a copy gets (`x-kss-tagging-directive`): the source's (COPY, the default) or the
 * request's `x-kss-tagging` (REPLACE).
 * @param {import('../context.js').Ctx} ctx
 * @param {import('../store/types.js').ObjectMeta} source
 * @throws {Ks3Error} InvalidArgument, BadRequest, InvalidTag
 */
export function copiedTags(ctx, source) {
  const directive = ctx.kss.get('x-kss-tagging-directive') ?? 'COPY';
  if (directive === 'COPY') return source.tags;
  if (directive === 'REPLACE') return tagsFromHeader(ctx);
  throw new Ks3Error('InvalidArgument', 'x-kss-tagging-directive must be COPY or REPLACE.');
}
