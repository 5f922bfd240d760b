/**
 * Error classes. Every error the SDK raises is a `Ks3Error`; the guards match by brand and name
 * as well as by prototype, so they work across realms and duplicated package copies (ky does the
 * same). Messages never contain secrets, signatures or Authorization values.
 */

/** What an error knows about the call that failed. All fields are optional. */
export interface Ks3ErrorContext {
  /** The SDK operation, e.g. `PutObject`. */
  operation?: string;
  bucket?: string;
  key?: string;
  cause?: unknown;
}

/** Base class of every error thrown by the SDK. */
export class Ks3Error extends Error {
  /** Brand for realm-safe checks; see {@link isKs3Error}. */
  readonly isKs3Error = true;
  operation?: string;
  bucket?: string;
  key?: string;

  constructor(message: string, context: Ks3ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'Ks3Error';
    if (context.operation !== undefined) this.operation = context.operation;
    if (context.bucket !== undefined) this.bucket = context.bucket;
    if (context.key !== undefined) this.key = context.key;
  }
}

/** Bad input, detected before any request was sent. */
export class Ks3InputError extends Ks3Error {
  /** The option or argument at fault, e.g. `bucket` or `range`. */
  readonly param: string;
  constructor(param: string, message: string, context: Ks3ErrorContext = {}) {
    super(`[ks3] invalid ${param}: ${message}`, context);
    this.name = 'Ks3InputError';
    this.param = param;
  }
}

/** Fields parsed from a KS3 error response. */
export interface Ks3ServiceErrorDetails extends Ks3ErrorContext {
  status: number;
  code: string;
  message?: string;
  requestId?: string;
  resource?: string;
  method?: string;
}

/** KS3 answered with an error status (4xx/5xx), parsed from its `<Error>` document. */
export class Ks3ServiceError extends Ks3Error {
  readonly status: number;
  /** KS3 error code, e.g. `NoSuchKey`; derived from the status when the body has none (HEAD). */
  readonly code: string;
  readonly requestId?: string;
  readonly resource?: string;
  /** The message KS3 sent, without the SDK's prefix. */
  readonly serviceMessage?: string;

  constructor(d: Ks3ServiceErrorDetails) {
    const where = d.bucket ? `/${d.bucket}${d.key !== undefined ? `/${d.key}` : '/'}` : '/';
    const id = d.requestId ? ` (request-id ${d.requestId})` : '';
    const text = d.message ? `: ${d.message}` : '';
    super(
      `[ks3] ${d.operation ?? 'request'} ${d.method ?? ''} ${where} → ${d.status} ${d.code}${text}${id}`.replace(
        '  ',
        ' ',
      ),
      d,
    );
    this.name = 'Ks3ServiceError';
    this.status = d.status;
    this.code = d.code;
    if (d.requestId !== undefined) this.requestId = d.requestId;
    if (d.resource !== undefined) this.resource = d.resource;
    if (d.message !== undefined) this.serviceMessage = d.message;
  }
}

/** The request never got an HTTP answer: DNS, connection, TLS, reset, or the per-attempt timeout. */
export class Ks3NetworkError extends Ks3Error {
  /** True when the SDK's own timeout fired (not the caller's AbortSignal). */
  readonly timeout: boolean;
  constructor(message: string, context: Ks3ErrorContext & { timeout?: boolean } = {}) {
    super(`[ks3] ${message}`, context);
    this.name = 'Ks3NetworkError';
    this.timeout = context.timeout === true;
  }
}

/** Data failed a check: ETag/MD5 mismatch, truncated body, wrong decryption key, bad padding. */
export class Ks3IntegrityError extends Ks3Error {
  constructor(message: string, context: Ks3ErrorContext = {}) {
    super(`[ks3] ${message}`, context);
    this.name = 'Ks3IntegrityError';
  }
}

function branded(e: unknown, name?: string): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { isKs3Error?: unknown; name?: unknown };
  return err.isKs3Error === true && (name === undefined || err.name === name);
}

/** True for any SDK error, from any realm or package copy. */
export const isKs3Error = (e: unknown): e is Ks3Error => branded(e);
/** True for {@link Ks3ServiceError}. */
export const isKs3ServiceError = (e: unknown): e is Ks3ServiceError => branded(e, 'Ks3ServiceError');
/** True for {@link Ks3NetworkError}. */
export const isKs3NetworkError = (e: unknown): e is Ks3NetworkError => branded(e, 'Ks3NetworkError');
/** True for {@link Ks3IntegrityError}. */
export const isKs3IntegrityError = (e: unknown): e is Ks3IntegrityError => branded(e, 'Ks3IntegrityError');
/** True for {@link Ks3InputError}. */
export const isKs3InputError = (e: unknown): e is Ks3InputError => branded(e, 'Ks3InputError');
