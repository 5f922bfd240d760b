/**
 * Messages for requests that got no answer: name the host and the cause (ECONNREFUSED, a TLS
 * failure, a reset), never a header value. fetch may quote request headers in its errors (an
 * invalid value, with the Authorization or token it contains), so every message is scrubbed of
 * the secrets of the request.
 */
import { Ks3CredentialsError, Ks3Error, type Ks3ErrorContext, Ks3NetworkError } from '../errors.js';

interface CauseLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

const TLS = /SSL|TLS|EPROTO|wrong version number|certificate|CERT_|self.signed/i;

/** The innermost cause's code and message of a fetch error. */
function rootCause(e: unknown): { code?: string; message: string } {
  let cur: unknown = e;
  let code: string | undefined;
  let message = e instanceof Error ? e.message : String(e);
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const c = cur as CauseLike;
    if (typeof c.code === 'string') code = c.code;
    if (typeof c.message === 'string' && c.message) message = c.message;
    cur = c.cause;
  }
  return code === undefined ? { message } : { code, message };
}

/**
 * Describes why a request to `url` failed: `connect ECONNREFUSED 127.0.0.1:9 (http://127.0.0.1:9)`,
 * with a hint for TLS failures (e.g. https to an http port).
 */
export function describeFailure(e: unknown, url: string): string {
  let origin = url;
  try {
    const u = new URL(url);
    origin = u.origin;
  } catch {
    // keep the raw text
  }
  const { code, message } = rootCause(e);
  let text = code && !message.includes(code) ? `${code}: ${message}` : message;
  if (TLS.test(`${code ?? ''} ${message}`)) {
    text += url.startsWith('https:')
      ? ' (TLS failed: is the endpoint plain http? then use an http:// endpoint or secure: false)'
      : ' (TLS failure)';
  }
  return `${text} (${origin})`;
}

/** Removes every occurrence of the given secrets from a message. */
export function scrub(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/** The secret parts of a signed request's headers: the Authorization value, its signature and any token. */
export function secretsOf(headers: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'authorization') {
      out.push(value);
      const sig = /Signature=([0-9a-f]+)|:([A-Za-z0-9+/=]+)$/.exec(value);
      if (sig) out.push((sig[1] ?? sig[2])!);
    } else if (/security-token$/.test(name)) out.push(value);
  }
  return out;
}

/**
 * The cause to keep on an error: `e` itself, or, when anything it shows (message, stack, code,
 * nested causes) holds one of the secrets, a copy of it with the secrets removed. `util.inspect`
 * and loggers print causes, so scrubbing the message alone is not enough.
 */
export function scrubCause(e: unknown, secrets: readonly (string | undefined)[], depth = 0): unknown {
  const live = secrets.filter((s): s is string => !!s && s.length >= 4);
  if (!live.length || typeof e !== 'object' || e === null || depth > 4) return e;
  const c = e as CauseLike & { name?: unknown; stack?: unknown };
  const text = [c.message, c.stack, c.code].filter((v) => typeof v === 'string').join('\n');
  const inner = c.cause === undefined ? undefined : scrubCause(c.cause, live, depth + 1);
  if (!live.some((s) => text.includes(s)) && inner === c.cause) return e;
  const copy = new Error(scrub(String(c.message ?? ''), live), inner === undefined ? undefined : { cause: inner });
  copy.name = typeof c.name === 'string' ? c.name : 'Error';
  copy.stack = scrub(typeof c.stack === 'string' ? c.stack : '', live);
  if (typeof c.code === 'string') (copy as Error & { code?: string }).code = scrub(c.code, live);
  return copy;
}

/** An attempt that got no answer, as {@link attemptFailure} needs it. */
export interface AttemptFailure {
  /** The operation, e.g. `PutObject`. */
  op: string;
  method: string;
  /** `request` or `response body`. */
  phase: string;
  url: string;
  /** The headers sent (signed): their secrets are scrubbed from what the error shows. */
  sentHeaders: Readonly<Record<string, string>>;
  timeout: number;
  /** The SDK's idle timeout fired. */
  timedOut: boolean;
  ctx: Ks3ErrorContext;
}

/**
 * What an attempt that got no answer fails with (attempt.ts; the caller's abort is handled
 * there): a timeout or network error naming the cause with the request's secrets scrubbed, a
 * signing failure as it is, or the request body's own typed error (a file that shrank, an
 * unreadable source), which is the cause and is not retried.
 */
export function attemptFailure(e: unknown, f: AttemptFailure): unknown {
  const { op, phase, url, sentHeaders, ctx } = f;
  if (f.timedOut) {
    return new Ks3NetworkError(`${op} ${phase} timed out after ${f.timeout} ms without progress`, {
      ...ctx,
      timeout: true,
      cause: scrubCause(e, secretsOf(sentHeaders)),
    });
  }
  if (e instanceof Ks3CredentialsError) return e;
  const own = bodyError(e);
  // The request body's own typed error (a file that shrank, an unreadable source) is the
  // cause, not the network: report it as it is, and do not retry it.
  if (own) {
    own.operation ??= ctx.operation;
    own.bucket ??= ctx.bucket;
    own.key ??= ctx.key;
    return own;
  }
  const secrets = secretsOf(sentHeaders);
  const why = scrub(describeFailure(e, url), secrets);
  return new Ks3NetworkError(`${op} ${f.method} ${phase} failed: ${why}`, {
    ...ctx,
    cause: scrubCause(e, secrets),
  });
}

/** A Ks3Error in the cause chain of a fetch failure: a request body stream failed with it. */
function bodyError(e: unknown): Ks3Error | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    if (cur instanceof Ks3Error) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
