/**
 * Turns a KS3 error response into a {@link Ks3ServiceError} (ks3-protocol.md §5.1), and judges
 * what to do about it: correct a skewed clock or forget refused credentials once and try again
 * at once, retry after a wait (Retry-After, when not beyond `maxRetryAfter`), or give up. The
 * request pipeline loads this module on the first error response, so the XML parser is not part
 * of the code an app loads up front unless it lists or parses something else.
 */
import type { Client } from '../client.js';
import type { ClientState } from '../client-state.js';
import { Ks3ServiceError, type Ks3ErrorContext } from '../errors.js';
import { childText, parseXml } from '../xml.js';
import type { RawResponse } from './attempt.js';
import type { Corrections, Outcome, RequestSpec } from './send.js';

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

const CREDENTIAL_CODES = new Set(['InvalidAccessKeyId', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired']);

/**
 * The delay a `Retry-After` value asks for, in ms: delta-seconds or an HTTP date (RFC 9110
 * §10.2.3), measured against `now`. Undefined when absent or unreadable.
 */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

// Codes that say "try again" whatever the status (a 200 whose body is an <Error>, a 400
// RequestTimeout): KS3's guidance, ks3-protocol.md §7, and S3's.
const RETRYABLE_CODES = new Set(['RequestTimeout', 'SlowDown', 'InternalError', 'ServiceUnavailable', 'Throttling']);

/** Whether a failed status or code is worth another attempt. */
export const isRetryableStatus = (status: number, code: string): boolean =>
  status >= 500 || status === 429 || RETRYABLE_CODES.has(code);

/**
 * Judges an error answer (or a 2xx whose body, `text`, is an `<Error>` document). Its body is
 * read only up to the cap (a hostile 64 MiB body stays out of memory).
 */
export async function judgeErrorAnswer(
  client: Client,
  state: ClientState,
  spec: RequestSpec,
  res: RawResponse,
  text: string | undefined,
  c: Corrections,
): Promise<Outcome> {
  const body = text ?? (spec.method === 'HEAD' ? '' : await readCapped(res.body));
  const error = serviceError(res.status, res.headers, body, spec.method, c.ctx);
  const retryAfter = res.headers.get('retry-after');
  const wait = retryAfter ? retryAfterMs(retryAfter, client.now()) : undefined;
  if (wait !== undefined) error.retryAfterMs = wait;
  if (error.code === 'RequestTimeTooSkewed' && !c.skewFixed && !c.explicitTime && c.replayable) {
    const server = Date.parse(res.headers.get('date') ?? '');
    if (Number.isFinite(server)) {
      state.clockOffset = server - client.now();
      c.skewFixed = true;
      return { error, again: true };
    }
  }
  if (CREDENTIAL_CODES.has(error.code) && !c.refreshed && res.credentials && c.replayable) {
    if (client.credentials?.expire(res.credentials)) {
      c.refreshed = true;
      return { error, again: true };
    }
  }
  const retry = c.replayable && isRetryableStatus(error.status, error.code) && (wait ?? 0) <= client.maxRetryAfter;
  return { error, retry, wait };
}
