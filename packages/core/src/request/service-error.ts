/**
 * Turns a KS3 error response into a {@link Ks3ServiceError} (ks3-protocol.md §5.1). The request
 * pipeline loads this module on the first error response, so the XML parser is not part of
 * the code an app loads up front unless it lists or parses something else.
 */
import { Ks3ServiceError, type Ks3ErrorContext } from '../errors.js';
import { childText, parseXml } from '../xml.js';

// Codes for responses without a body (HEAD) or with an unreadable one.
const STATUS_CODES: Record<number, string> = {
  301: 'PermanentRedirect',
  304: 'NotModified',
  307: 'TemporaryRedirect',
  400: 'BadRequest',
  403: 'AccessDenied',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  411: 'MissingContentLength',
  412: 'PreconditionFailed',
  416: 'InvalidRange',
  429: 'SlowDown',
  500: 'InternalError',
  501: 'NotImplemented',
  503: 'ServiceUnavailable',
};

const FIELDS = ['Code', 'Message', 'RequestId', 'RequestID', 'Resource'] as const;

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

/**
 * Builds the error for a failed response from its status, headers and body text. The XML
 * `<Error>` document wins; then KS3's JSON form; then the status alone (HEAD has no body).
 * Only Code, Message, Resource and RequestId are kept: never echoed signatures.
 */
export function serviceError(
  status: number,
  headers: Headers,
  body: string,
  method: string,
  ctx: Ks3ErrorContext,
): Ks3ServiceError {
  const f = fieldsOf(body);
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const message = str(f.Message);
  const requestId = str(f.RequestId) ?? str(f.RequestID) ?? headers.get('x-kss-request-id') ?? undefined;
  const resource = str(f.Resource);
  const fallback =
    status === 404 ? (ctx.key !== undefined ? 'NoSuchKey' : 'NoSuchBucket') : (STATUS_CODES[status] ?? `Http${status}`);
  return new Ks3ServiceError({
    ...ctx,
    method,
    status,
    code: str(f.Code) ?? fallback,
    ...(message ? { message } : {}),
    ...(requestId ? { requestId } : {}),
    ...(resource ? { resource } : {}),
  });
}
