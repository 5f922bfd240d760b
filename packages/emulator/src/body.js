// @ts-check
/**
 * Request bodies: uploads streamed to a temp file with their MD5 computed on the way (never
 * buffered whole), small XML/JSON bodies read with a size limit.
 */
import { createHash } from 'node:crypto';
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
 * The Ks3Error for a failed write on the server's side: retryable (5xx), never IncompleteBody.
 * The unread rest of the body is not drained: the connection closes after the answer.
 * @param {unknown} err
 */
export function writeFailure(err) {
  const code = /** @type {NodeJS.ErrnoException} */ (err)?.code ?? '';
  const headers = { connection: 'close' };
  if (code === 'EMFILE' || code === 'ENFILE') return new Ks3Error('SlowDown', undefined, { headers });
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new Ks3Error('ServiceUnavailable', 'The server could not store the data (out of space); retry later.', {
      headers,
    });
  }
  return new Ks3Error('InternalError', undefined, { headers });
}

/**
 * A V4 payload hash that does not match the body.
 * @param {string} declared
 * @param {string} computed
 */
function sha256Mismatch(declared, computed) {
  return new Ks3Error('XAmzContentSHA256Mismatch', undefined, {
    extra: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: computed },
  });
}

/**
 * @typedef {object} BodySource
 * @property {AsyncGenerator<Buffer>} chunks the request body, read once
 * @property {() => boolean} clientFailed true once reading failed on the client's side (gone, reset)
 * @property {() => void} checkSha256 throws XAmzContentSHA256Mismatch when a V4 signature declared
 *   a payload hash the body read so far does not have; call it once the body was read whole
 */

/**
 * The request body as chunks, hashed with SHA-256 on the way when a V4 signature declared a
 * payload hash. Iterated without destroying the request on an early stop, so a server-side
 * failure can still be answered.
 * @param {Ctx} ctx
 * @returns {BodySource}
 */
export function bodySource(ctx) {
  const declared = ctx.auth.payloadSha256;
  const sha = declared === undefined ? undefined : createHash('sha256');
  let failed = false;
  const chunks = async function* () {
    try {
      for await (const chunk of ctx.req.iterator({ destroyOnReturn: false })) {
        sha?.update(chunk);
        yield/** @type {Buffer} */ (chunk);
      }
    } catch (err) {
      failed = true;
      throw err;
    }
  };
  return {
    chunks: chunks(),
    clientFailed: () => failed,
    checkSha256() {
      if (declared === undefined || !sha) return;
      const computed = sha.digest('hex');
      if (computed !== declared) throw sha256Mismatch(declared, computed);
    },
  };
}

/**
 * What to answer when storing a body failed: the client's failures are 400 IncompleteBody, the
 * server's (EMFILE, ENOSPC, EIO) 5xx so clients retry; a Ks3Error raised on the way is kept.
 * @param {Ctx} ctx
 * @param {BodySource} source
 * @param {unknown} err
 * @returns {Ks3Error}
 */
export function bodyFailure(ctx, source, err) {
  if (err instanceof Ks3Error) return err;
  // The client went away mid-body (or its socket was reset): nothing was stored.
  if (source.clientFailed()) return new Ks3Error('IncompleteBody');
  if (!ctx.diskError) console.error(`[ks3-emulator] writing ${ctx.method} ${ctx.rawPath} failed:`, err);
  return writeFailure(err);
}

/**
 * Streams the body into `path`, hashing it (MD5, and SHA-256 when a V4 signature declared one).
 * Deletes the file on any failure. The client's failures (gone, short body) are 400
 * IncompleteBody; the server's (EMFILE, ENOSPC, EIO) are 5xx so clients retry. At most
 * `maxConcurrentUploads` bodies are received at once.
 * @param {Ctx} ctx
 * @param {string} path a fresh temp path
 * @param {number} length the declared Content-Length
 * @param {Buffer | undefined} expectedMd5 from Content-MD5
 * @returns {Promise<{ size: number, md5: Buffer }>}
 * @throws {Ks3Error} IncompleteBody, BadDigest, XAmzContentSHA256Mismatch, SlowDown,
 *   ServiceUnavailable, InternalError
 */
export async function receiveToFile(ctx, path, length, expectedMd5) {
  const release = ctx.env.uploads.acquire();
  const source = bodySource(ctx);
  let received;
  try {
    received = await writeHashed(source.chunks, path, ctx.diskError);
  } catch (err) {
    throw bodyFailure(ctx, source, err);
  } finally {
    release();
  }
  const { size, md5 } = received;
  try {
    if (size !== length) throw new Ks3Error('IncompleteBody');
    source.checkSha256();
    if (expectedMd5 && !md5.equals(expectedMd5)) {
      throw new Ks3Error('BadDigest', undefined, {
        extra: { ExpectedDigest: expectedMd5.toString('base64'), CalculatedDigest: md5.toString('base64') },
      });
    }
  } catch (err) {
    await unlinkQuiet(path);
    throw err;
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
  const length = Number(ctx.req.headers['content-length'] ?? 0);
  if (length > limit) throw new Ks3Error(tooLargeCode, `The request body must be at most ${limit} bytes.`);
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  try {
    for await (const chunk of ctx.req) {
      size += chunk.length;
      if (size > limit) throw new Ks3Error(tooLargeCode, `The request body must be at most ${limit} bytes.`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof Ks3Error) throw err;
    throw new Ks3Error('IncompleteBody');
  }
  const body = Buffer.concat(chunks);
  const declared = ctx.auth.payloadSha256;
  if (declared !== undefined) {
    const computed = createHash('sha256').update(body).digest('hex');
    if (computed !== declared) throw sha256Mismatch(declared, computed);
  }
  return body;
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
