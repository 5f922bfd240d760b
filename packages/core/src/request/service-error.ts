/**
 * Turns a KS3 error response into a {@link Ks3ServiceError} (ks3-protocol.md §5.1). The request
 * pipeline loads this module on the first error response, so the XML parser is not part of
 * the code an app loads up front unless it lists or parses something else.
 */
import { Ks3ServiceError, type Ks3ErrorContext } from '../errors.js';
import { childText, parseXml } from '../xml.js';

// Codes for responses that name none (HEAD has no body): honest names for the status, never a
// guess at a specific cause (a 404 may be a missing bucket or a missing key).
const STATUS_CODES: Record<number, string> = {
  301: 'PermanentRedirect',
  304: 'NotModified',
  307: 'TemporaryRedirect',
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  411: 'MissingContentLength',
  412: 'PreconditionFailed',
  416: 'InvalidRange',
  429: 'TooManyRequests',
  500: 'InternalError',
  501: 'NotImplemented',
  503: 'ServiceUnavailable',
};

const FIELDS = ['Code', 'Message', 'RequestId', 'RequestID', 'Resource'] as const;

/** An error body is read up to this size; the rest is discarded (a hostile 64 MiB body stays out of memory). */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** The fields of an `<Error>` document, or of KS3's JSON form `{"Error":{"Code","Message"},"RequestId"}`. */
function fieldsOf(body: string): Partial<Record<(typeof FIELDS)[number], unknown>> {
  const root = parseXml(body);
  if (root?.tagName.endsWith('Error')) return Object.fromEntries(FIELDS.map((f) => [f, childText(root, f)]));
  try {
    const j = JSON.parse(body) as { Error?: { Code?: unknown; Message?: unknown }; RequestId?: unknown };
    return { Code: j.Error?.Code, Message: j.Error?.Message, RequestId: j.RequestId };
  } catch {
    return {};
  }
}

const MAX_FIELD = 512;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v ? (v.length > MAX_FIELD ? `${v.slice(0, MAX_FIELD)}…` : v) : undefined;

/**
 * Builds the error for a failed response from its status, headers and body text. The XML
 * `<Error>` document wins; then KS3's JSON form; then the status alone (HEAD has no body).
 * Only Code, Message, Resource and RequestId are kept (each capped): never echoed signatures.
 */
export function serviceError(
  status: number,
  headers: Headers,
  body: string,
  method: string,
  ctx: Ks3ErrorContext,
): Ks3ServiceError {
  const f = fieldsOf(body);
  const message = str(f.Message);
  const requestId = str(f.RequestId) ?? str(f.RequestID) ?? headers.get('x-kss-request-id') ?? undefined;
  const resource = str(f.Resource);
  return new Ks3ServiceError({
    ...ctx,
    method,
    status,
    code: str(f.Code) ?? STATUS_CODES[status] ?? `Http${status}`,
    message,
    requestId,
    resource,
  });
}

/** Reads at most `limit` bytes of a body as text and cancels the rest. */
export async function readCapped(body: ReadableStream<Uint8Array> | null, limit = ERROR_BODY_LIMIT): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    while (n < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value.subarray(0, limit - n));
      n += value.length;
    }
  } finally {
    if (n >= limit) await reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
  const all = new Uint8Array(Math.min(n, limit));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return new TextDecoder().decode(all);
}
