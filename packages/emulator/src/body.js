// @ts-check
/**
 * Request bodies: uploads streamed to a temp file with their MD5 computed on the way (never
 * buffered whole), small XML/JSON bodies read with a size limit.
 */
import { Ks3Error } from './errors.js';
import { lastHeader } from './headers.js';
import { MAX_OBJECT_SIZE, MAX_XML_BODY } from './limits.js';
import { XmlSyntaxError, parseXml } from './xml-parse.js';
import { unlinkQuiet, writeHashed } from './store/fsx.js';

/** @typedef {import('./context.js').Ctx} Ctx */

/**
 * The declared Content-Length of an upload (§4.9: required, at most 5 GB).
 * @param {Ctx} ctx
 * @param {number} [max]
 * @throws {Ks3Error} MissingContentLength, EntityTooLarge
 */
export function uploadLength(ctx, max = MAX_OBJECT_SIZE) {
  const raw = ctx.req.headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) throw new Ks3Error('MissingContentLength');
  const length = Number(raw);
  if (length > max)
    throw new Ks3Error('EntityTooLarge', undefined, { extra: { ProposedSize: raw, MaxSizeAllowed: String(max) } });
  return length;
}

/**
 * The Content-MD5 header decoded, or undefined when absent.
 * @param {Ctx} ctx
 * @throws {Ks3Error} InvalidDigest when it is not the Base64 of 16 bytes
 */
export function contentMd5(ctx) {
  const raw = lastHeader(ctx.req.rawHeaders, 'content-md5');
  if (raw === '') return undefined;
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== raw) throw new Ks3Error('InvalidDigest');
  return bytes;
}

/**
 * Streams the body into `path`, hashing it. Deletes the file on any failure.
 * @param {Ctx} ctx
 * @param {string} path a fresh temp path
 * @param {number} length the declared Content-Length
 * @param {Buffer | undefined} expectedMd5 from Content-MD5
 * @returns {Promise<{ size: number, md5: Buffer }>}
 * @throws {Ks3Error} IncompleteBody (short body or client gone), BadDigest
 */
export async function receiveToFile(ctx, path, length, expectedMd5) {
  let received;
  try {
    received = await writeHashed(ctx.req, path);
  } catch (err) {
    // The client went away mid-body (or its socket was reset): nothing was stored.
    throw new Ks3Error('IncompleteBody', undefined, { extra: { Cause: String(/** @type {Error} */ (err).message) } });
  }
  const { size, md5 } = received;
  if (size !== length) {
    await unlinkQuiet(path);
    throw new Ks3Error('IncompleteBody');
  }
  if (expectedMd5 && !md5.equals(expectedMd5)) {
    await unlinkQuiet(path);
    throw new Ks3Error('BadDigest', undefined, {
      extra: { ExpectedDigest: expectedMd5.toString('base64'), CalculatedDigest: md5.toString('base64') },
    });
  }
  return { size, md5 };
}

/**
 * Reads a small body whole.
 * @param {Ctx} ctx
 * @param {number} limit bytes
 * @param {string} tooLargeCode error code when the body is bigger
 * @returns {Promise<Buffer>}
 */
export async function readSmallBody(ctx, limit, tooLargeCode) {
  const declared = Number(ctx.req.headers['content-length'] ?? 0);
  if (declared > limit) throw new Ks3Error(tooLargeCode, `The request body must be at most ${limit} bytes.`);
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += chunk.length;
    if (size > limit) throw new Ks3Error(tooLargeCode, `The request body must be at most ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A small text body: UTF-8, or ISO-8859-1 when it is not valid UTF-8 (the reference sends
 * create-bucket and complete XML as ISO-8859-1 bytes, §3).
 * @param {Buffer} body
 */
export function bodyText(body) {
  try {
    return utf8.decode(body);
  } catch {
    return body.toString('latin1');
  }
}

/**
 * Reads and parses a small XML body.
 * @param {Ctx} ctx
 * @param {string} malformedCode error code for a body that is not well-formed
 * @returns {Promise<import('./xml-parse.js').XmlElement | undefined>} undefined for an empty body
 * @throws {Ks3Error}
 */
export async function readXmlBody(ctx, malformedCode) {
  const text = bodyText(await readSmallBody(ctx, MAX_XML_BODY, malformedCode));
  if (text.trim() === '') return undefined;
  try {
    return parseXml(text);
  } catch (err) {
    if (err instanceof XmlSyntaxError)
      throw new Ks3Error(malformedCode, `${new Ks3Error(malformedCode).message} (${err.message})`);
    throw err;
  }
}
