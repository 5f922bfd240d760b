/**
 * Platform strategy for browsers (the `browser` export condition). Its twin is `platform.ts`;
 * both export the same names.
 */
import type { PreparedBody } from './request/body.js';
import type { FetchBody } from './platform.js';

export type { FetchBody } from './platform.js';

/** `Date` is a forbidden request header in browsers: sign with `x-kss-date` instead (§2.5). */
export const DEFAULT_DATE_HEADER: 'date' | 'x-kss-date' = 'x-kss-date';

/** Browsers keep their own `User-Agent`. */
export const CAN_SET_USER_AGENT = false;

/**
 * Browsers send fixed bodies only: Chromium cannot stream a request body over HTTP/1.1
 * (toolchain.md §3), so a ReadableStream is collected into a Blob first (the upload manager of
 * @ks3/multipart keeps large streams to one part in memory instead). Fetch reports no upload
 * progress; the caller counts the body as sent when the response arrives.
 */
export async function toFetchBody(
  b: PreparedBody,
  _onChunk: (n: number) => void,
  _streaming = false,
): Promise<FetchBody> {
  const { data } = b;
  if (data instanceof Uint8Array || data instanceof Blob) return { body: data, stream: false };
  return { body: await new Response(data instanceof ReadableStream ? data : data.stream()).blob(), stream: false };
}
