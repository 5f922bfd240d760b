/** Get Object and Head Object (ks3-protocol.md §4.7–4.8). */
import { DECODED_ENCODINGS } from '#platform';
import type { Client } from '../client.js';
import { Ks3InputError, Ks3ProtocolError, type Ks3ErrorContext } from '../errors.js';
import { send } from '../request/send.js';
import type { QueryParam } from '../sign/subresources.js';
import { checkText, type ObjectOptions, target, type TransferProgress } from './common.js';
import { type ObjectInfo, lengthHeader, parseObjectInfo } from './object-info.js';
import { readOnce } from './read-once.js';

/** Response header overrides (`response-*` parameters, signed as sub-resources). */
export interface ResponseOverrides {
  contentType?: string | undefined;
  contentLanguage?: string | undefined;
  expires?: string | undefined;
  cacheControl?: string | undefined;
  contentDisposition?: string | undefined;
  contentEncoding?: string | undefined;
}

/** A byte range, both ends inclusive; without `end`, to the end of the object. */
export interface ByteRange {
  start: number;
  end?: number | undefined;
}

/** Options of {@link getObject}. */
export interface GetObjectOptions extends ObjectOptions {
  range?: ByteRange | undefined;
  /** Headers KS3 should answer with instead of the stored ones. */
  response?: ResponseOverrides | undefined;
  versionId?: string | undefined;
  /** Download progress, as the body is read. */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  /** `false` reads the stored bytes as they are although the client encrypts. */
  encryption?: false | undefined;
}

/** An object being downloaded. Read it once: as a stream (`body`), as bytes or as text. */
export interface GetObjectResult extends ObjectInfo {
  /** HTTP status: 200, or 206 for a range. */
  status: number;
  /**
   * Bytes the body yields, when exactly known: not for an object stored with a Content-Encoding
   * that fetch decodes (`decoded`), nor for a decrypted object whose plaintext length was not
   * recorded.
   */
  contentLength: number | undefined;
  /** Inclusive bounds of a ranged read, and the object's total size when known. */
  range?: { start: number; end: number; total?: number | undefined } | undefined;
  /** True when the body was decrypted (client-side encryption). */
  encrypted?: boolean | undefined;
  /**
   * True when fetch decoded the stored Content-Encoding (gzip, deflate, br; browsers also zstd):
   * the body is the decoded data and its length is not checked (see the README).
   */
  decoded?: boolean | undefined;
  /** The body as a stream (taking it means `bytes()` and `text()` can no longer be used). */
  readonly body: ReadableStream<Uint8Array>;
  /** Reads the whole body; checks its length where it is known exactly. */
  bytes(): Promise<Uint8Array>;
  /** Reads the whole body as UTF-8. */
  text(): Promise<string>;
}

const OVERRIDES = [
  'contentType',
  'contentLanguage',
  'expires',
  'cacheControl',
  'contentDisposition',
  'contentEncoding',
];
const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `response-*` query parameters from overrides, in the caller's order. */
export function responseQuery(r: ResponseOverrides | undefined, ctx: Ks3ErrorContext): QueryParam[] {
  const out: QueryParam[] = [];
  if (r === undefined) return out;
  if (typeof r !== 'object' || r === null) throw new Ks3InputError('response', 'must be an object', ctx);
  for (const [name, value] of Object.entries(r)) {
    if (value === undefined) continue;
    if (!OVERRIDES.includes(name)) throw new Ks3InputError('response', `unknown override ${name}`, ctx);
    out.push([`response-${kebab(name)}`, checkText(`response.${name}`, value, ctx)]);
  }
  return out;
}

/** The `Range` header value for a range, checked. */
export function rangeHeader(range: ByteRange | undefined, ctx: Ks3ErrorContext): string | undefined {
  if (range === undefined) return undefined;
  const { start, end } = range ?? {};
  const int = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!int(start)) throw new Ks3InputError('range', `start must be an integer >= 0, got ${String(start)}`, ctx);
  if (end !== undefined && (!int(end) || end < start)) {
    throw new Ks3InputError('range', `end must be an integer >= start (${start}), got ${String(end)}`, ctx);
  }
  return `bytes=${start}-${end ?? ''}`;
}

/** The `versionId` parameter, checked. */
export function versionQuery(versionId: unknown, ctx: Ks3ErrorContext): QueryParam[] {
  return versionId === undefined ? [] : [['versionId', checkText('versionId', versionId, ctx, false)]];
}

/** Whether fetch decodes this Content-Encoding (every coding listed must be one it decodes). */
function isDecoded(encoding: string | null): boolean {
  if (!encoding) return false;
  const codings = encoding
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  return codings.length > 0 && codings.every((c) => DECODED_ENCODINGS.has(c));
}

/** The `Content-Range` of a 206, checked against the range asked for. */
function checkedRange(
  headers: Headers,
  status: number,
  range: ByteRange | undefined,
  ctx: Ks3ErrorContext,
): GetObjectResult['range'] {
  const cr = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(headers.get('content-range') ?? '');
  if (!range) return undefined;
  if (status === 200) {
    // A whole object is the right answer only for a range that starts at 0 and covers it.
    const size = lengthHeader(headers, 'content-length');
    if (range.start === 0 && (range.end === undefined || (size !== undefined && range.end >= size - 1)))
      return undefined;
    throw new Ks3ProtocolError(
      `GetObject: asked for bytes ${range.start}-${range.end ?? ''}, got the whole object`,
      ctx,
    );
  }
  const got = cr
    ? { start: Number(cr[1]), end: Number(cr[2]), total: cr[3] === '*' ? undefined : Number(cr[3]) }
    : undefined;
  if (!got || got.start !== range.start || (range.end !== undefined && got.end > range.end) || got.end < got.start) {
    throw new Ks3ProtocolError(
      `GetObject: asked for bytes ${range.start}-${range.end ?? ''}, got Content-Range ${headers.get('content-range')}`,
      ctx,
    );
  }
  return got;
}

/**
 * Downloads an object. The body streams; nothing is buffered unless you call `bytes()`/`text()`.
 * @throws {Ks3ServiceError} `NoSuchKey` (404), `InvalidRange` (416), …
 * @example
 * const obj = await getObject(client, { bucket: 'docs', key: 'a.txt' });
 * console.log(await obj.text());
 */
export async function getObject(client: Client, o: GetObjectOptions): Promise<GetObjectResult> {
  const ctx = target('GetObject', client, o, true);
  const range = rangeHeader(o.range, ctx);
  const query = [...responseQuery(o.response, ctx), ...versionQuery(o.versionId, ctx)];
  // A range addresses the stored bytes. Of an object stored with a Content-Encoding, fetch would
  // decode the slice (Node: a decoding error, or silently nothing; Chromium: "Failed to fetch"):
  // KS3 is asked to label it identity, so the stored bytes arrive as they are and their length
  // is checked. Signed requests only: S3-style servers refuse response-* on anonymous GETs.
  const raw = o.range !== undefined && client.signer !== undefined && o.response?.contentEncoding === undefined;
  if (raw) query.push(['response-content-encoding', 'identity']);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new Ks3InputError('onProgress', 'must be a function', ctx);
  }
  const enc = o.encryption === false ? undefined : client.encryption;
  const decrypt = enc && (await import('../encryption/get.js'));
  const headers = { ...o.headers, range: decrypt && o.range ? decrypt.cipherRange(o.range.start, o.range.end) : range };
  const res = await send(client, {
    op: 'GetObject',
    method: 'GET',
    bucket: ctx.bucket,
    key: ctx.key,
    query,
    headers,
    signal: o.signal,
  });
  const info = parseObjectInfo(res.headers);
  if (raw) delete info.contentEncoding; // our own override, not what the object stores
  let body = res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  const decoded = isDecoded(res.headers.get('content-encoding'));
  let length = decoded ? undefined : lengthHeader(res.headers, 'content-length');
  let byteRange: GetObjectResult['range'] = decrypt ? undefined : checkedRange(res.headers, res.status, o.range, ctx);
  if (byteRange) info.size = byteRange.total;
  if (decrypt) {
    const d = await decrypt.decryptResponse(enc!, res.headers, body, ctx, o.range);
    ({ body, length, range: byteRange } = d);
    info.size = lengthHeader(res.headers, 'x-kss-meta-unencrypted-content-length') ?? byteRange?.total;
  }
  const fields: Omit<GetObjectResult, 'body' | 'bytes' | 'text'> = {
    ...info,
    status: res.status,
    contentLength: length,
  };
  const result: GetObjectResult = readOnce(fields, body, length, ctx, o.onProgress);
  if (byteRange) result.range = byteRange;
  if (decrypt) result.encrypted = true;
  if (decoded) result.decoded = true;
  return result;
}

/** Options of {@link headObject}. */
export interface HeadObjectOptions extends ObjectOptions {
  versionId?: string | undefined;
  /** Headers KS3 should answer with instead of the stored ones. */
  response?: ResponseOverrides | undefined;
}

/** What {@link headObject} returns. */
export type HeadObjectResult = ObjectInfo;

/**
 * Reads an object's metadata without its body.
 * @throws {Ks3ServiceError} `NotFound` (404, HEAD responses name no cause), `Forbidden` (403).
 */
export async function headObject(client: Client, o: HeadObjectOptions): Promise<HeadObjectResult> {
  const ctx = target('HeadObject', client, o, true);
  const query = [...responseQuery(o.response, ctx), ...versionQuery(o.versionId, ctx)];
  const res = await send(client, {
    op: 'HeadObject',
    method: 'HEAD',
    bucket: ctx.bucket,
    key: ctx.key,
    query,
    headers: o.headers,
    signal: o.signal,
  });
  return parseObjectInfo(res.headers);
}
