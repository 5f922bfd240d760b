/**
 * A signer that asks your backend to sign, so the secret key never reaches the page. The
 * backend receives the whole request as JSON (method, URL, bucket, key, query, headers, payload
 * hash, size, time, expiry), can check that it is a request it allows (`createSigningHandler` of
 * @ks3/node does), and answers the signed request `{ "url": "...", "headers": { ... } }`, or
 * `{ "error": { "code", "message" } }` with a 4xx/5xx status. With `batch`, requests made at about
 * the same time (a page of presigned links, the first parts of an upload) go in one POST of an
 * array, answered by an array.
 */
import { type Fetch, Ks3CredentialsError, type SignedRequest, type Signer, type SignRequest } from '@ks3/core';
import { raceAbort } from '@ks3/core/internal';

/** Options of {@link createRemoteSigner}. */
export interface RemoteSignerOptions {
  /** Extra request headers, e.g. your app's session token. */
  headers?: Record<string, string>;
  /** The fetch that calls your backend (default: the global fetch). */
  fetch?: Fetch | undefined;
  /**
   * Collect requests to sign into one POST of an array (default off; the backend must answer
   * arrays, as `createSigningHandler` does). `true`, or `{ maxSize: 32, waitMs: 0 }`: at most
   * `maxSize` per POST, sent `waitMs` after the first one was asked for.
   */
  batch?: boolean | { maxSize?: number; waitMs?: number };
}

interface Pending {
  request: SignRequest;
  resolve: (s: SignedRequest) => void;
  reject: (e: unknown) => void;
}

type Answer = SignedRequest | { error?: { code?: unknown; message?: unknown } };

const clip = (v: unknown): string => String(v ?? '').slice(0, 200);

/** The typed error of a refusal or a broken answer; 5xx and 429 are worth retrying. */
function refused(url: string, status: number, answer: Answer | undefined, op?: string): Ks3CredentialsError {
  const err = answer && 'error' in answer ? answer.error : undefined;
  const code = err?.code ? clip(err.code) : `SignerAnswered${status}`;
  const why = err?.message ? `: ${clip(err.message)}` : '';
  return new Ks3CredentialsError(`the signer at ${url} refused ${op ?? 'the request'} (${status} ${code})${why}`, {
    operation: op,
    status,
    code,
    retryable: status >= 500 || status === 429,
  });
}

function signedOf(url: string, a: Answer | undefined, status: number, op?: string): SignedRequest {
  const s = a as Partial<SignedRequest> | undefined;
  if (s && typeof s.url === 'string' && typeof s.headers === 'object' && s.headers !== null)
    return { url: s.url, headers: s.headers as Record<string, string> };
  if (a && 'error' in a) throw refused(url, status >= 400 ? status : 403, a, op);
  throw new Ks3CredentialsError(`the signer at ${url} did not answer { url, headers }`, { operation: op });
}

/**
 * Creates a signer that POSTs each request to sign (as JSON) to `url`.
 * @throws (from the signer) {@link Ks3CredentialsError} with the backend's code when it refuses
 * (`retryable` for 5xx and 429), or when its answer is not a signed request.
 * @example
 * const client = createClient({ endpoint, region: 'BEIJING', signer: createRemoteSigner('/api/ks3-sign', { batch: true }) });
 */
export function createRemoteSigner(url: string, options: RemoteSignerOptions = {}): Signer {
  const post = async (body: unknown, signal?: AbortSignal): Promise<{ status: number; json: unknown }> => {
    const f = options.fetch ?? globalThis.fetch;
    const res = await f(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      json = undefined;
    }
    if (!res.ok) throw refused(url, res.status, json as Answer | undefined);
    return { status: res.status, json };
  };
  if (!options.batch) {
    return async (request, signal) => {
      const { status, json } = await post(request, signal);
      return signedOf(url, json as Answer, status, request.operation);
    };
  }
  const { maxSize = 32, waitMs = 0 } = options.batch === true ? {} : options.batch;
  let queue: Pending[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      // One request goes alone (any backend understands it); several as an array.
      const { status, json } = await post(batch.length === 1 ? batch[0]!.request : batch.map((p) => p.request));
      const answers = batch.length === 1 ? [json] : json;
      if (!Array.isArray(answers) || answers.length !== batch.length)
        throw new Ks3CredentialsError(`the signer at ${url} did not answer the batch with an array of ${batch.length}`);
      batch.forEach((p, i) => {
        try {
          p.resolve(signedOf(url, answers[i] as Answer, status, p.request.operation));
        } catch (e) {
          p.reject(e);
        }
      });
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  };
  return (request, signal) => {
    signal?.throwIfAborted();
    // The POST is shared, so it takes no caller's signal: each caller stops waiting on its own abort.
    const p = new Promise<SignedRequest>((resolve, reject) => queue.push({ request, resolve, reject }));
    if (queue.length >= maxSize) void flush();
    else timer ??= setTimeout(() => void flush(), waitMs);
    return raceAbort(p, signal);
  };
}
