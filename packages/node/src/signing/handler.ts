/**
 * A backend signer that sees what it signs: a web `Request → Response` handler (usable from any
 * Node framework, and node:http through `toNodeListener`) that reads the structured requests
 * `createRemoteSigner` posts, re-derives each URL from the bucket, key and query it claims, judges
 * the request against a policy and signs only what the policy allows, with the SDK's own V4 or
 * V2 signer. One request, or an array of them (batch signing), per round trip.
 */
import {
  type Addressing,
  type ClientConfig,
  type CredentialsSource,
  createClient,
  createV2Signer,
  createV4Signer,
  type SignatureNamespace,
  type SignatureVersion,
  type SignedRequest,
  type Signer,
  type SignRequest,
} from '@ks3/core';
import { credentialsProvider, urlFor } from '@ks3/core/internal';
import { deriveOperation } from './operation.js';
import { judge, type ResolvedPolicy, resolvePolicy, type SigningPolicy } from './policy.js';
import { parseSignRequest, SignRefusal } from './sign-request.js';

/** Options of {@link createSigningHandler}. */
export interface SigningHandlerOptions {
  /** The KS3 endpoint the pages' clients use (their URLs must address it). */
  endpoint: string;
  /** The long-term key (or a provider of one); it never leaves the handler. */
  credentials: CredentialsSource;
  /** Region for V4 (inferred from KS3 endpoint names). */
  region?: string | undefined;
  /** `v4` (default when the region is known) or `v2`: what the pages' clients are configured with. */
  signatureVersion?: SignatureVersion | undefined;
  signatureNamespace?: SignatureNamespace | undefined;
  /** Accept only this addressing (default: path style, and virtual-hosted where the host allows it). */
  addressing?: Addressing | undefined;
  domainMode?: boolean | undefined;
  /** The client's UNVERIFIED V4 knobs, as in `createClient`. */
  v4?: ClientConfig['v4'];
  /**
   * What may be signed: a policy, or a function of the incoming HTTP request returning one (e.g.
   * from the caller's session: its own prefix). `undefined`/`null` refuses the caller (403).
   */
  policy:
    | SigningPolicy
    | ((request: Request) => SigningPolicy | null | undefined | Promise<SigningPolicy | null | undefined>);
  /** Most requests in one batch (default 64). */
  maxBatch?: number | undefined;
  /** How far a request's time may be from the handler's clock (default 15 minutes, as KS3). */
  maxSkewMs?: number | undefined;
  /** The clock for signatures (ms since the epoch; default `Date.now`). */
  now?: (() => number) | undefined;
}

/** A `Request → Response` function. */
export type SigningHandler = (request: Request) => Promise<Response>;

/** What one request to sign became: signed, or refused with a code. */
export type SignResult = SignedRequest | { error: { code: string; message: string } };

const MAX_BODY = 1 << 20;

const json = (status: number, body: unknown, extra: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra },
  });

const failure = (e: SignRefusal): Response => json(e.status, { error: { code: e.code, message: e.message } });

/** The body as text, refusing more than `MAX_BODY` bytes without reading them all. */
async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY) throw new SignRefusal(413, 'RequestTooLarge', `the body may hold at most ${MAX_BODY} bytes`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY) {
      await reader.cancel().catch(() => {});
      throw new SignRefusal(413, 'RequestTooLarge', `the body may hold at most ${MAX_BODY} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Creates the handler. Answers: `200 { url, headers }` for one request, `200 [ … ]` for an array
 * (each entry signed or `{ error: { code, message } }`); `400 InvalidSignRequest`, `403` with the
 * broken rule's code (`BucketNotAllowed`, `KeyNotAllowed`, `OperationNotAllowed`,
 * `PresignNotAllowed`, `EntityTooLarge`, `SizeRequired`, `HeaderNotAllowed`, `UrlMismatch`,
 * `RequestTimeSkewed`, `AccessDenied`), `405`, `413`, `415`, or `500 SigningFailed` (the
 * credentials provider failed; never with details). No answer carries the secret key.
 * @throws {Ks3InputError} for bad options or a bad static policy.
 * @example
 * const sign = createSigningHandler({
 *   endpoint: 'ks3-cn-beijing.ksyuncs.com', credentials: { accessKeyId, secretAccessKey },
 *   policy: { buckets: ['uploads'], keyPrefixes: ['users/42/'], maxSize: 100 << 20 },
 * });
 * http.createServer(toNodeListener(sign)).listen(8080);
 */
export function createSigningHandler(options: SigningHandlerOptions): SigningHandler {
  const now = options.now ?? Date.now;
  const client = createClient({
    endpoint: options.endpoint,
    region: options.region,
    signatureVersion: options.signatureVersion,
    signatureNamespace: options.signatureNamespace,
    domainMode: options.domainMode,
    addressing: options.addressing,
    anonymous: true,
    now,
  });
  const version = client.signatureVersion;
  const provider = credentialsProvider(options.credentials, now);
  const credentials = (signal?: AbortSignal) => provider.get(signal);
  // content-length is signed when the policy adds it (maxSize), so a page cannot send more.
  const signer: Signer =
    version === 'v4'
      ? createV4Signer({
          ...options.v4,
          credentials,
          region: client.region!,
          namespace: client.signatureNamespace,
          alsoSign: ['content-length'],
        })
      : createV2Signer({ credentials, dateHeader: 'x-kss-date' });
  const fixed = typeof options.policy === 'function' ? undefined : resolvePolicy(options.policy, version);
  const maxBatch = options.maxBatch ?? 64;
  const maxSkew = options.maxSkewMs ?? 15 * 60_000;
  const addressings: Addressing[] = options.addressing
    ? [options.addressing]
    : client.domainMode || /^[\d.]+$|^\[/.test(client.host)
      ? ['path']
      : ['path', 'virtual'];

  const signOne = async (policy: ResolvedPolicy, raw: unknown): Promise<SignedRequest> => {
    const r: SignRequest = parseSignRequest(raw);
    if (!addressings.some((a) => urlFor(client, r.bucket, r.key, r.query, a) === r.url))
      throw new SignRefusal(
        403,
        'UrlMismatch',
        `the URL does not address the bucket, key and query given, at ${urlFor(client, r.bucket, r.key, r.query)}`,
      );
    const skewed = (t: number): boolean => !(Math.abs(t - now()) <= maxSkew);
    const dated = r.headers['x-kss-date'] ?? r.headers['x-amz-date'] ?? r.headers.date;
    if (skewed(r.time) || (dated !== undefined && skewed(Date.parse(dated) || parseBasic(dated))))
      throw new SignRefusal(403, 'RequestTimeSkewed', `the request time is more than ${maxSkew} ms from the signer's`);
    const op = deriveOperation(
      r.method,
      r.bucket,
      r.key,
      r.query,
      !!(r.headers['x-kss-copy-source'] ?? r.headers['x-amz-copy-source']),
    );
    const headers = await judge(policy, r, op, version);
    try {
      return await signer({ ...r, headers });
    } catch {
      throw new SignRefusal(500, 'SigningFailed', 'the request could not be signed');
    }
  };

  return async (request) => {
    try {
      if (request.method !== 'POST')
        return json(
          405,
          { error: { code: 'MethodNotAllowed', message: 'POST the request(s) to sign' } },
          { allow: 'POST' },
        );
      if (!/^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? ''))
        throw new SignRefusal(415, 'UnsupportedMediaType', 'the body must be application/json');
      let body: unknown;
      try {
        body = JSON.parse(await readBody(request));
      } catch (e) {
        if (e instanceof SignRefusal) throw e;
        throw new SignRefusal(400, 'InvalidSignRequest', 'the body is not JSON');
      }
      let policy = fixed;
      if (!policy) {
        const p = await (options.policy as (r: Request) => SigningPolicy | null | undefined)(request);
        if (!p) throw new SignRefusal(403, 'AccessDenied', 'this caller may not sign requests');
        policy = resolvePolicy(p, version);
      }
      if (!Array.isArray(body)) return json(200, await signOne(policy, body));
      if (body.length === 0 || body.length > maxBatch)
        throw new SignRefusal(400, 'InvalidSignRequest', `a batch holds 1 to ${maxBatch} requests`);
      const results: SignResult[] = [];
      for (const item of body) {
        try {
          results.push(await signOne(policy, item));
        } catch (e) {
          if (!(e instanceof SignRefusal)) throw e;
          results.push({ error: { code: e.code, message: e.message } });
        }
      }
      return json(200, results);
    } catch (e) {
      if (e instanceof SignRefusal) return failure(e);
      // A policy function or provider failed: say nothing about why (it may quote a secret).
      return failure(new SignRefusal(500, 'SigningFailed', 'the signer failed'));
    }
  };
}

/** `YYYYMMDDTHHMMSSZ` in ms (NaN otherwise). */
function parseBasic(v: string): number {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(v);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}
