/** Get Object and Head Object (ks3-protocol.md §4.7–4.8). */
import type { Client } from '../client.js';
import { Ks3InputError, type Ks3ErrorContext } from '../errors.js';
import { fromUtf8 } from '../bytes.js';
import { readAllBytes } from '../request/body.js';
import { send } from '../request/send.js';
import type { QueryParam } from '../sign/subresources.js';
import { target, type ObjectOptions } from './common.js';
import { parseObjectInfo, type ObjectInfo } from './object-info.js';

/** Response header overrides (`response-*` parameters, signed as sub-resources). */
export interface ResponseOverrides {
  contentType?: string;
  contentLanguage?: string;
  expires?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
}

/** A byte range, both ends inclusive; without `end`, to the end of the object. */
export interface ByteRange {
  start: number;
  end?: number;
}

/** Options of {@link getObject}. */
export interface GetObjectOptions extends ObjectOptions {
  range?: ByteRange;
  /** Headers KS3 should answer with instead of the stored ones. */
  response?: ResponseOverrides;
  versionId?: string;
  /** `false` reads the stored bytes as they are although the client encrypts. */
  encryption?: false;
}

/** An object being downloaded. Read it once: as a stream, as bytes or as text. */
export interface GetObjectResult extends ObjectInfo {
  /** HTTP status: 200, or 206 for a range. */
  status: number;
  /**
   * From `Content-Range` for ranged reads: inclusive bounds and the object's total size (for a
   * decrypted range, `total` is known when the object records its plaintext length).
   */
  range?: { start: number; end: number; total?: number };
  /** True when the body was decrypted (client-side encryption). */
  encrypted?: boolean;
  body: ReadableStream<Uint8Array>;
  /** Reads the whole body; checks its length against Content-Length. */
  bytes(): Promise<Uint8Array>;
  /** Reads the whole body as UTF-8. */
  text(): Promise<string>;
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `response-*` query parameters from overrides, in the caller's order. */
export function responseQuery(r: ResponseOverrides | undefined, ctx: Ks3ErrorContext): QueryParam[] {
  const out: QueryParam[] = [];
  for (const [name, value] of Object.entries(r ?? {})) {
    if (value === undefined) continue;
    const param = `response-${kebab(name)}`;
    if (
      !['contentType', 'contentLanguage', 'expires', 'cacheControl', 'contentDisposition', 'contentEncoding'].includes(
        name,
      )
    ) {
      throw new Ks3InputError('response', `unknown override ${name}`, ctx);
    }
    if (typeof value !== 'string') throw new Ks3InputError('response', `${name} must be a string`, ctx);
    out.push([param, value]);
  }
  return out;
}

/** The `Range` header value for a range, checked. */
export function rangeHeader(range: ByteRange | undefined, ctx: Ks3ErrorContext): string | undefined {
  if (range === undefined) return undefined;
  const { start, end } = range ?? {};
  const int = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!int(start)) throw new Ks3InputError('range', `start must be an integer >= 0, got ${String(start)}`, ctx);
  if (end !== undefined && (!int(end) || end < start))
    throw new Ks3InputError('range', `end must be an integer >= start (${start}), got ${String(end)}`, ctx);
  return `bytes=${start}-${end ?? ''}`;
}

function objectQuery(o: GetObjectOptions, ctx: Ks3ErrorContext): QueryParam[] {
  const q = responseQuery(o.response, ctx);
  if (o.versionId !== undefined) q.push(['versionId', o.versionId]);
  return q;
}

/**
 * Downloads an object. The body streams; nothing is buffered unless you call `bytes()`/`text()`.
 * @throws {Ks3ServiceError} `NoSuchKey` (404), `InvalidRange` (416), …
 * @example
 * const obj = await getObject(client, { bucket: 'docs', key: 'a.txt' });
 * console.log(await obj.text());
 */
export async function getObject(client: Client, o: GetObjectOptions): Promise<GetObjectResult> {
  const ctx = target('GetObject', o, true);
  const enc = o.encryption === false ? undefined : client.encryption;
  const decrypt = enc && (await import('../encryption/get.js'));
  const range = rangeHeader(o.range, ctx);
  const headers = { range: decrypt && o.range ? decrypt.cipherRange(o.range.start, o.range.end) : range };
  const res = await send(client, {
    op: 'GetObject',
    method: 'GET',
    bucket: ctx.bucket,
    key: ctx.key,
    query: objectQuery(o, ctx),
    headers,
    signal: o.signal,
  });
  const info = parseObjectInfo(res.headers);
  let body = res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  let length: number | undefined = res.headers.has('content-length') ? info.contentLength : undefined;
  const cr = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  let byteRange: GetObjectResult['range'] = cr
    ? { start: Number(cr[1]), end: Number(cr[2]), total: Number(cr[3]) }
    : undefined;
  if (decrypt) {
    const d = await decrypt.decryptResponse(enc!, res.headers, body, ctx, o.range);
    ({ body, length, range: byteRange } = d);
    // Without a recorded length (multipart uploads) the plaintext is 1-16 bytes shorter than this.
    info.contentLength = length ?? Math.max(0, info.contentLength - 16);
  }
  const result: GetObjectResult = {
    ...info,
    status: res.status,
    body,
    bytes: () => readAllBytes(body, length, ctx),
    text: async () => fromUtf8(await result.bytes()),
  };
  if (byteRange) result.range = byteRange;
  if (decrypt) result.encrypted = true;
  return result;
}

/** Options of {@link headObject}. */
export interface HeadObjectOptions extends ObjectOptions {
  versionId?: string;
}

/**
 * Reads an object's metadata without its body.
 * @throws {Ks3ServiceError} `NoSuchKey` (404) when there is no such object.
 */
export async function headObject(client: Client, o: HeadObjectOptions): Promise<ObjectInfo> {
  const ctx = target('HeadObject', o, true);
  const query: QueryParam[] = o.versionId === undefined ? [] : [['versionId', o.versionId]];
  const res = await send(client, {
    op: 'HeadObject',
    method: 'HEAD',
    bucket: ctx.bucket,
    key: ctx.key,
    query,
    signal: o.signal,
  });
  return parseObjectInfo(res.headers);
}
