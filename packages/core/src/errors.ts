/**
 * Error classes. Every error the SDK raises is a `Ks3Error`; the guards match by brand and name
 * as well as by prototype, so they work across realms and duplicated package copies (ky does the
 * same). Messages never contain secrets, signatures or Authorization values.
 */

/** What an error knows about the call that failed. All fields are optional. */
export interface Ks3ErrorContext {
  /** The SDK operation, e.g. `PutObject`. */
  operation?: string | undefined;
  bucket?: string | undefined;
  key?: string | undefined;
  /** HTTP status of the response the error is about, if there was one. */
  status?: number | undefined;
  /** KS3's error code, or the SDK's own code for errors KS3 did not name. */
  code?: string | undefined;
  requestId?: string | undefined;
  cause?: unknown;
}

const FIELDS = ['operation', 'bucket', 'key', 'status', 'code', 'requestId'] as const;

/** Base class of every error thrown by the SDK. */
export class Ks3Error extends Error {
  /** Brand for realm-safe checks; see {@link isKs3Error}. */
  readonly isKs3Error = true;
  operation?: string;
  bucket?: string;
  key?: string;
  status?: number;
  code?: string;
  requestId?: string;
  /** How many requests the call sent before it failed (set by the request pipeline). */
  attempts?: number;

  constructor(message: string, context: Ks3ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'Ks3Error';
    for (const f of FIELDS) if (context[f] !== undefined) (this as Record<string, unknown>)[f] = context[f];
  }

  /** The fields a log or a JSON API should carry; never a secret. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const f of [...FIELDS, 'attempts'] as const) if (this[f] !== undefined) out[f] = this[f];
    return out;
  }
}

/** Bad input, detected before any request was sent. */
export class Ks3InputError extends Ks3Error {
  /** The option or argument at fault, e.g. `bucket` or `range`. */
  readonly param: string;
  constructor(param: string, message: string, context: Ks3ErrorContext = {}) {
    super(`[ks3] invalid ${param}: ${message}`, { code: 'InvalidInput', ...context });
    this.name = 'Ks3InputError';
    this.param = param;
  }
}

/** Fields parsed from a KS3 error response. */
export interface Ks3ServiceErrorDetails extends Ks3ErrorContext {
  status: number;
  code: string;
  message?: string | undefined;
  resource?: string | undefined;
  method?: string | undefined;
}

/** KS3 answered with an error status (4xx/5xx), parsed from its `<Error>` document. */
export class Ks3ServiceError extends Ks3Error {
  declare readonly status: number;
  /** KS3 error code, e.g. `NoSuchKey`; from the status when the response names none (HEAD). */
  declare readonly code: string;
  readonly resource?: string;
  /** The message KS3 sent, without the SDK's prefix. */
  readonly serviceMessage?: string;
  /** What `Retry-After` asked for, in milliseconds, when the response had one. */
  retryAfterMs?: number;

  constructor(d: Ks3ServiceErrorDetails) {
    const where = d.bucket ? `/${d.bucket}${d.key !== undefined ? `/${d.key}` : '/'}` : '/';
    const id = d.requestId ? ` (request-id ${d.requestId})` : '';
    const text = d.message ? `: ${d.message}` : '';
    const method = d.method ? ` ${d.method}` : '';
    super(`[ks3] ${d.operation ?? 'request'}${method} ${where} → ${d.status} ${d.code}${text}${id}`, d);
    this.name = 'Ks3ServiceError';
    if (d.resource !== undefined) this.resource = d.resource;
    if (d.message !== undefined) this.serviceMessage = d.message;
  }
}

/** The request never got an HTTP answer: DNS, connection, TLS, reset, or the per-attempt timeout. */
export class Ks3NetworkError extends Ks3Error {
  /** True when the SDK's own timeout fired (not the caller's AbortSignal). */
  readonly timeout: boolean;
  constructor(message: string, context: Ks3ErrorContext & { timeout?: boolean } = {}) {
    super(`[ks3] ${message}`, { code: context.timeout ? 'Timeout' : 'NetworkError', ...context });
    this.name = 'Ks3NetworkError';
    this.timeout = context.timeout === true;
  }
}

/** Data failed a check: ETag/MD5 mismatch, truncated body, wrong decryption key, bad padding. */
export class Ks3IntegrityError extends Ks3Error {
  constructor(message: string, context: Ks3ErrorContext = {}) {
    super(`[ks3] ${message}`, { code: 'IntegrityError', ...context });
    this.name = 'Ks3IntegrityError';
  }
}

/** A response KS3 would not send: a 2xx whose body is not the document the operation expects. */
export class Ks3ProtocolError extends Ks3Error {
  constructor(message: string, context: Ks3ErrorContext = {}) {
    super(`[ks3] ${message}`, { code: 'ProtocolError', ...context });
    this.name = 'Ks3ProtocolError';
  }
}

/**
 * Signing failed: the credentials provider or the signer threw, or returned something unusable.
 * `retryable` is true when the cause looks transient (a network failure, a 5xx from a backend).
 */
export class Ks3CredentialsError extends Ks3Error {
  readonly retryable: boolean;
  constructor(message: string, context: Ks3ErrorContext & { retryable?: boolean } = {}) {
    super(`[ks3] ${message}`, { code: 'CredentialsError', ...context });
    this.name = 'Ks3CredentialsError';
    this.retryable = context.retryable === true;
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
/** True for {@link Ks3ProtocolError}. */
export const isKs3ProtocolError = (e: unknown): e is Ks3ProtocolError => branded(e, 'Ks3ProtocolError');
/** True for {@link Ks3CredentialsError}. */
export const isKs3CredentialsError = (e: unknown): e is Ks3CredentialsError => branded(e, 'Ks3CredentialsError');
