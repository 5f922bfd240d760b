// @ts-check
/**
 * Small XML request bodies whose Content-MD5 is checked when given (tagging, versioning,
 * restore) or required (Delete Multiple Objects, as S3 requires it).
 */
import { createHash } from 'node:crypto';
import { bodyText, contentMd5, readSmallBody } from '../body.js';
import { Ks3Error } from '../errors.js';
import { MAX_XML_BODY } from '../limits.js';
import { XmlSyntaxError, parseXml } from '../xml-parse.js';

/**
 * @param {import('../context.js').Ctx} ctx
 * @param {{ requireMd5?: boolean, limit?: number, maxTags?: number }} [options] `maxTags` bounds the
 *   markup (`<` characters) before parsing, so a large body of tiny elements cannot exhaust memory
 * @returns {Promise<import('../xml-parse.js').XmlElement | undefined>} undefined for an empty body
 * @throws {Ks3Error} MissingContentMD5, InvalidDigest, BadDigest, MalformedXML
 */
export async function readCheckedXml(ctx, options = {}) {
  const expected = contentMd5(ctx);
  if (!expected && options.requireMd5) throw new Ks3Error('MissingContentMD5');
  const raw = await readSmallBody(ctx, options.limit ?? MAX_XML_BODY, 'MalformedXML');
  if (expected) {
    const md5 = createHash('md5').update(raw).digest();
    if (!md5.equals(expected))
      throw new Ks3Error('BadDigest', undefined, {
        extra: { ExpectedDigest: expected.toString('base64'), CalculatedDigest: md5.toString('base64') },
      });
  }
  const text = bodyText(raw);
  if (text.trim() === '') return undefined;
  if (options.maxTags !== undefined && text.split('<', options.maxTags + 2).length > options.maxTags + 1)
    throw new Ks3Error('MalformedXML', `The document has more than ${options.maxTags} tags.`);
  try {
    return parseXml(text);
  } catch (err) {
    if (err instanceof XmlSyntaxError)
      throw new Ks3Error('MalformedXML', `${new Ks3Error('MalformedXML').message} (${err.message})`);
    throw err;
  }
}

/**
 * The root of a required body with the expected element name.
 * @param {import('../xml-parse.js').XmlElement | undefined} root
 * @param {string} name
 * @throws {Ks3Error} MalformedXML
 */
export function expectRoot(root, name) {
  if (root?.local !== name) throw new Ks3Error('MalformedXML', `Expected a ${name} document.`);
  return root;
}
