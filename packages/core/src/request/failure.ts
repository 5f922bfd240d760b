/**
 * Messages for requests that got no answer: name the host and the cause (ECONNREFUSED, a TLS
 * failure, a reset), never a header value. fetch may quote request headers in its errors (an
 * invalid value, with the Authorization or token it contains), so every message is scrubbed of
 * the secrets of the request.
 */

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
