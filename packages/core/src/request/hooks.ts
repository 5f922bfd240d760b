/**
 * Request hooks: the way to log, measure or trace requests without wrapping `fetch` (which
 * would hide the platform's fetch and lose its streaming). Hooks never see a secret: URLs lose
 * every credential-bearing parameter and headers are not passed.
 */

/** One HTTP attempt, as a hook sees it. */
export interface RequestEvent {
  /** SDK operation, e.g. `PutObject`. */
  operation: string;
  method: string;
  /** The URL without credentials (signature, token and credential parameters removed). */
  url: string;
  bucket?: string | undefined;
  key?: string | undefined;
  /** 1 for the first attempt. */
  attempt: number;
}

/** The end of an attempt: a response, or the error that ended it. */
export interface ResponseEvent extends RequestEvent {
  /** HTTP status, when a response arrived. */
  status?: number | undefined;
  /** Milliseconds from the start of the attempt to the response headers (or the failure). */
  durationMs: number;
  /** Request body bytes handed to the network. */
  bytesSent: number;
  requestId?: string | undefined;
  /** The failure, when there was no response (network error, timeout, abort). */
  error?: unknown;
}

/** Client option `hooks`. Errors thrown by a hook are ignored: hooks cannot break requests. */
export interface RequestHooks {
  /** Before each attempt is sent (after signing). */
  request?: ((event: RequestEvent) => void) | undefined;
  /** When each attempt got its response headers, or failed without one. */
  response?: ((event: ResponseEvent) => void) | undefined;
}

const SECRET_PARAM =
  /^(signature|x-(kss|amz)-(signature|security-token|credential)|security-token|kssaccesskeyid|awsaccesskeyid|policy)$/i;

/** A URL with every credential-bearing query parameter removed (for logs and hooks). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((p) => !SECRET_PARAM.test(decodeURIComponentSafe(p.split('=')[0]!)));
  return kept.length ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Calls a hook, ignoring what it throws. */
export function callHook<E>(hook: ((e: E) => void) | undefined, event: E): void {
  if (!hook) return;
  try {
    hook(event);
  } catch {
    // A logging hook must not turn a successful request into a failure.
  }
}
