// @ts-check
/**
 * A streaming multipart/form-data reader (RFC 7578) for POST Object. Parts are read in order:
 * small fields whole (with a byte limit), the file as a stream of chunks that are never
 * gathered in memory, so a multi-GiB upload goes to disk as it arrives. Anything that is not
 * well-formed is 400 MalformedPOSTRequest.
 */
import { configError } from '../config/errors.js';

/** Part headers larger than this are refused. */
const MAX_PART_HEADERS = 16 * 1024;

/**
 * @typedef {object} Part
 * @property {string} name the form field name, as sent
 * @property {string | undefined} filename set for file inputs
 * @property {string | undefined} contentType the part's own Content-Type
 */

/** @param {string} [why] */
const malformed = (why) =>
  configError(
    'MalformedPOSTRequest',
    why ? `The body of your POST request is not well-formed multipart/form-data: ${why}.` : undefined,
  );

/**
 * The boundary of a `multipart/form-data` Content-Type, or undefined for another type.
 * @param {string} contentType
 * @returns {string | undefined}
 * @throws {import('../errors.js').Ks3Error} MalformedPOSTRequest for a form without a usable boundary
 */
export function formBoundary(contentType) {
  if (!/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s"]{1,70}))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw malformed('the Content-Type has no boundary');
  return boundary;
}

/**
 * A `name="value"` parameter of a Content-Disposition header (quoted-string escapes undone).
 * @param {string} header
 * @param {string} param
 */
function dispositionParam(header, param) {
  const re = new RegExp(`;\\s*${param}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
  const m = re.exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

export class FormReader {
  /**
   * @param {AsyncIterable<Buffer>} source the request body
   * @param {string} boundary
   */
  constructor(source, boundary) {
    this.it = source[Symbol.asyncIterator]();
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    // A virtual CRLF lets the first delimiter be found like every other one.
    /** @type {Buffer} */
    this.buf = Buffer.from('\r\n');
    /** Body bytes consumed so far (the virtual CRLF excluded). */
    this.consumed = -2;
    this.ended = false;
    /** 'preamble' before the first part, 'body' inside one, 'between' after a delimiter. */
    this.state = 'preamble';
  }

  /** Reads one more chunk; false at the end of the body. */
  async pull() {
    const { value, done } = await this.it.next();
    if (done) return false;
    this.buf = this.buf.length === 0 ? value : Buffer.concat([this.buf, value]);
    return true;
  }

  /** @param {number} n */
  consume(n) {
    this.buf = this.buf.subarray(n);
    this.consumed += n;
  }

  /**
   * The current part's content (or the preamble), chunk by chunk, up to the next delimiter.
   * @returns {AsyncGenerator<Buffer>}
   */
  async *chunks() {
    const keep = this.delimiter.length - 1;
    for (;;) {
      const at = this.buf.indexOf(this.delimiter);
      if (at >= 0) {
        if (at > 0) yield this.buf.subarray(0, at);
        this.consume(at + this.delimiter.length);
        this.state = 'between';
        return;
      }
      // Everything but a possible partial delimiter at the end is content.
      const safe = this.buf.length - keep;
      if (safe > 0) {
        const chunk = this.buf.subarray(0, safe);
        this.consume(safe);
        yield chunk;
      }
      if (!(await this.pull())) throw malformed('the body ended inside a part');
    }
  }

  /** Skips what is left of the current part (or the preamble). */
  async skip() {
    for await (const _ of this.chunks());
  }

  /**
   * Moves to the next part and reads its headers; null after the closing delimiter.
   * @returns {Promise<Part | null>}
   */
  async next() {
    if (this.ended) return null;
    if (this.state !== 'between') await this.skip();
    while (this.buf.length < 2) if (!(await this.pull())) throw malformed('the body ended after a delimiter');
    if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
      this.ended = true;
      return null;
    }
    let end = this.buf.indexOf('\r\n\r\n');
    while (end < 0) {
      if (this.buf.length > MAX_PART_HEADERS) throw malformed('part headers are too large');
      if (!(await this.pull())) throw malformed('the body ended inside part headers');
      end = this.buf.indexOf('\r\n\r\n');
    }
    // After the delimiter: optional transport padding, CRLF, then the header lines.
    const block = this.buf.subarray(0, end).toString('utf8');
    this.consume(end + 4);
    const [first, ...lines] = block.split('\r\n');
    if ((first ?? '').trim() !== '') throw malformed('a delimiter is followed by garbage');
    /** @type {Record<string, string>} */
    const headers = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed(`bad part header "${line.slice(0, 40)}"`);
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const disposition = headers['content-disposition'] ?? '';
    if (!/^form-data\s*(;|$)/i.test(disposition)) throw malformed('a part has no Content-Disposition: form-data');
    const name = dispositionParam(disposition, 'name');
    if (!name) throw malformed('a part has no field name');
    this.state = 'body';
    return { name, filename: dispositionParam(disposition, 'filename'), contentType: headers['content-type'] };
  }

  /**
   * The current part's content as UTF-8 text.
   * @param {number} limit bytes
   * @param {() => Error} tooLarge the error when the value is longer
   */
  async text(limit, tooLarge) {
    /** @type {Buffer[]} */
    const parts = [];
    let size = 0;
    for await (const chunk of this.chunks()) {
      size += chunk.length;
      if (size > limit) throw tooLarge();
      parts.push(chunk);
    }
    return Buffer.concat(parts).toString('utf8');
  }

  /**
   * Reads and drops the rest of the body (fields after the file are ignored), at most `limit`
   * bytes; returns false when more was left (the connection is then not reused).
   * @param {number} limit
   */
  async drain(limit) {
    let read = this.buf.length;
    this.consume(this.buf.length);
    while (read <= limit) {
      if (!(await this.pull())) return true;
      read += this.buf.length;
      this.consume(this.buf.length);
    }
    return false;
  }
}
