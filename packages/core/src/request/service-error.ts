/** Turns a KS3 error response into a {@link Ks3ServiceError} (ks3-protocol.md §5.1). */
import { Ks3ServiceError, type Ks3ErrorContext } from '../errors.js';
import { childText, parseXml } from '../xml.js';

// Codes for responses without a body (HEAD) or with an unreadable one.
const STATUS_CODES: Record<number, string> = {
  301: 'PermanentRedirect', 304: 'NotModified', 307: 'TemporaryRedirect', 400: 'BadRequest', 403: 'AccessDenied',
  405: 'MethodNotAllowed', 409: 'Conflict', 411: 'MissingContentLength', 412: 'PreconditionFailed',
  416: 'InvalidRange', 429: 'SlowDown', 500: 'InternalError', 501: 'NotImplemented', 503: 'ServiceUnavailable',
};

function fromJson(body: string): { code?: string; message?: string; requestId?: string } | undefined {
  try {
    const j = JSON.parse(body) as { Error?: { Code?: unknown; Message?: unknown }; RequestId?: unknown };
    if (!j?.Error || typeof j.Error.Code !== 'string') return undefined;
    return {
      code: j.Error.Code,
      ...(typeof j.Error.Message === 'string' ? { message: j.Error.Message } : {}),
      ...(typeof j.RequestId === 'string' ? { requestId: j.RequestId } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Builds the error for a failed response from its status, headers and body text. The XML
 * `<Error>` document wins; then KS3's JSON form; then the status alone (HEAD has no body).
 * Only Code, Message, Resource and RequestId are kept: never echoed signatures.
 */
export function serviceError(status: number, headers: Headers, body: string, method: string, ctx: Ks3ErrorContext): Ks3ServiceError {
  const root = parseXml(body);
  const err = root && root.tagName.endsWith('Error') ? root : undefined;
  const json = err ? undefined : fromJson(body);
  const headerId = headers.get('x-kss-request-id') ?? undefined;
  const fallback = status === 404 ? (ctx.key !== undefined ? 'NoSuchKey' : 'NoSuchBucket') : (STATUS_CODES[status] ?? `Http${status}`);
  const message = err ? childText(err, 'Message') : json?.message;
  const requestId = (err ? (childText(err, 'RequestId') ?? childText(err, 'RequestID')) : json?.requestId) ?? headerId;
  const resource = err ? childText(err, 'Resource') : undefined;
  return new Ks3ServiceError({
    ...ctx,
    method,
    status,
    code: (err ? childText(err, 'Code') : json?.code) || fallback,
    ...(message ? { message } : {}),
    ...(requestId ? { requestId } : {}),
    ...(resource ? { resource } : {}),
  });
}

/** Whether a failed status or code is worth another attempt (KS3's guidance, §7). */
export const isRetryableStatus = (status: number, code: string): boolean =>
  status >= 500 || status === 429 || code === 'RequestTimeout' || code === 'SlowDown';
