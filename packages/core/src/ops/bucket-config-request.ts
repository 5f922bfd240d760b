/**
 * The one request shape of every bucket configuration (`?lifecycle`, `?cors`, `?policy`,
 * `?website`, `?encryption`, `?crr`, `?mirror`): GET answers the document, PUT replaces it
 * (sent with its Content-MD5), DELETE removes it.
 */
import type { Client } from '../client.js';
import type { Ks3Response } from '../request/send.js';
import { send } from '../request/send.js';
import { mergeHeaders } from '../request/headers.js';
import type { CallOptions, Target } from './common.js';
import { xmlRequest } from './xml-body.js';

/** What a PUT sends: the document and its Content-Type. */
export interface ConfigDocument {
  text: string;
  contentType: 'application/xml' | 'application/json';
  /** Headers the operation derives from its options (e.g. lifecycle's overlap switch). */
  headers?: Record<string, string | undefined>;
}

/**
 * Sends one configuration request. GET must answer 200; PUT and DELETE any 2xx (KS3 answers
 * 200 or 204 depending on the sub-resource).
 * @throws {Ks3ServiceError} e.g. `NoSuchLifecycleConfiguration` (404) for a GET of nothing.
 */
export async function configRequest(
  client: Client,
  ctx: Target,
  o: CallOptions,
  method: 'GET' | 'PUT' | 'DELETE',
  subresource: string,
  doc?: ConfigDocument,
): Promise<Ks3Response> {
  let prepared: Awaited<ReturnType<typeof xmlRequest>> | undefined;
  if (doc) {
    const headers = mergeHeaders(doc.headers ?? {}, o.headers, ctx);
    prepared = await xmlRequest(client, doc.text, headers, ctx, doc.contentType);
  }
  return send(client, {
    op: ctx.operation,
    method,
    bucket: ctx.bucket,
    query: [[subresource]],
    headers: prepared ? prepared.headers : o.headers,
    body: prepared?.body,
    signal: o.signal,
    ok: method === 'GET' ? (s) => s === 200 : undefined,
    read: 'text',
  });
}
