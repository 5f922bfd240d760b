/**
 * Will a page on `origin` get through the bucket's CORS rules? Rules are judged as KS3 and S3
 * apply them (docs.ksyun.com/documents/42309): for each method, the first rule whose
 * AllowedOrigin matches and whose AllowedMethod holds the method answers the request (for a
 * preflight also its AllowedHeader patterns must cover every request header), and only what its
 * ExposeHeader lists can be read. `checkCors` names what is missing before an upload fails with
 * an opaque "Failed to fetch" or an unreadable ETag.
 */
import type { Client } from '../client.js';
import { Ks3InputError, isKs3ServiceError } from '../errors.js';
import { type CorsMethod, type CorsRule, CORS_METHODS, getBucketCors } from './bucket-cors.js';
import { type BucketOptions, checkText, type Ks3Result, target } from './common.js';

/** What the page does: its origin, the methods, request headers and response headers it needs. */
export interface CorsNeeds {
  /** The page's origin, e.g. `https://app.example.com` (scheme, host and port; no path). */
  origin: string;
  /** Default: GET, HEAD, PUT, POST, DELETE (everything the SDK's object operations use). */
  methods?: readonly CorsMethod[] | undefined;
  /** Request headers the page sends besides the SDK's own ({@link sdkRequestHeaders}). */
  requestHeaders?: readonly string[] | undefined;
  /** Response headers the page must read besides ETag and x-kss-request-id. */
  exposeHeaders?: readonly string[] | undefined;
  /** The page decrypts client-side encrypted objects: x-kss-meta-key/-iv/-unencrypted-* must be exposed. */
  encryption?: boolean | undefined;
}

/** One thing a rule set lacks. */
export interface CorsProblem {
  /** The method concerned (absent when no rule names the origin at all). */
  method?: CorsMethod | undefined;
  kind: 'origin' | 'method' | 'headers' | 'expose';
  /** The origin, method, request headers or response headers missing. */
  missing: string[];
  /** One sentence naming the fix. */
  message: string;
}

/** Options of {@link checkCors}. */
export interface CheckCorsOptions extends BucketOptions, CorsNeeds {}

/** What {@link checkCors} returns. */
export interface CheckCorsResult extends Ks3Result {
  ok: boolean;
  problems: CorsProblem[];
}

const ENCRYPTION_HEADERS = [
  'x-kss-meta-key',
  'x-kss-meta-iv',
  'x-kss-meta-unencrypted-content-length',
  'x-kss-meta-unencrypted-content-md5',
];

/**
 * The request headers the client sends for a method (lower case): the signature's
 * (`authorization`, the date, V4's payload hash, a security token), and for uploads
 * `content-type`, `content-md5` and, when encrypting, the encryption metadata.
 */
export function sdkRequestHeaders(
  client: Pick<Client, 'signatureVersion' | 'signatureNamespace'>,
  method: CorsMethod,
  o: { securityToken?: boolean; encryption?: boolean } = {},
): string[] {
  const p = client.signatureVersion === 'v4' && client.signatureNamespace === 'aws' ? 'x-amz-' : 'x-kss-';
  const h = ['authorization', `${p}date`];
  if (client.signatureVersion === 'v4') h.push(`${p}content-sha256`);
  if (o.securityToken) h.push(`${p}security-token`);
  if (method === 'PUT' || method === 'POST') {
    h.push('content-type', 'content-md5');
    if (o.encryption) h.push(...ENCRYPTION_HEADERS.map((n) => p + n.slice(6)));
  }
  return h;
}

/** KS3's patterns: at most one `*`, matching any run of characters. */
function matches(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const [head, tail] = [pattern.slice(0, star), pattern.slice(star + 1)];
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

/**
 * Judges rules against what a page needs (no request): the pure half of {@link checkCors}.
 * `sdkHeaders(method)` gives the headers the SDK sends per method (see {@link sdkRequestHeaders}).
 */
export function checkCorsRules(
  rules: readonly CorsRule[],
  needs: CorsNeeds,
  sdkHeaders: (method: CorsMethod) => readonly string[] = () => [],
): CorsProblem[] {
  const { origin } = needs;
  const forOrigin = rules.filter((r) => r.allowedOrigins.some((o) => matches(o, origin)));
  if (forOrigin.length === 0) {
    const message = `no CORS rule allows the origin ${origin}: add <AllowedOrigin>${origin}</AllowedOrigin>`;
    return [{ kind: 'origin', missing: [origin], message }];
  }
  const problems: CorsProblem[] = [];
  const expose = ['etag', 'x-kss-request-id', ...(needs.exposeHeaders ?? []).map((h) => h.toLowerCase())];
  if (needs.encryption) expose.push(...ENCRYPTION_HEADERS);
  for (const method of needs.methods ?? CORS_METHODS) {
    const withMethod = forOrigin.filter((r) => r.allowedMethods.includes(method));
    if (withMethod.length === 0) {
      const message = `no CORS rule for ${origin} allows ${method}: add <AllowedMethod>${method}</AllowedMethod>`;
      problems.push({ method, kind: 'method', missing: [method], message });
      continue;
    }
    const wanted = [...new Set([...sdkHeaders(method), ...(needs.requestHeaders ?? [])].map((h) => h.toLowerCase()))];
    const covers = (r: CorsRule, h: string) => (r.allowedHeaders ?? []).some((p) => matches(p.toLowerCase(), h));
    if (!withMethod.some((r) => wanted.every((h) => covers(r, h)))) {
      const missing = wanted.filter((h) => !covers(withMethod[0]!, h));
      const message =
        `the CORS rule for ${method} from ${origin} does not allow the request headers ${missing.join(', ')}: ` +
        'add <AllowedHeader> entries for them (e.g. <AllowedHeader>*</AllowedHeader>)';
      problems.push({ method, kind: 'headers', missing, message });
    }
    // An actual request is answered by the first rule allowing origin and method.
    const exposed = new Set((withMethod[0]!.exposeHeaders ?? []).map((h) => h.toLowerCase()));
    const need = method === 'GET' || method === 'HEAD' ? expose : expose.filter((h) => !h.startsWith('x-kss-meta-'));
    const hidden = need.filter((h) => !exposed.has(h));
    if (hidden.length) {
      const message =
        `the CORS rule for ${method} from ${origin} hides ${hidden.join(', ')} from the page: ` +
        `add ${hidden.map((h) => `<ExposeHeader>${h === 'etag' ? 'ETag' : h}</ExposeHeader>`).join('')}`;
      problems.push({ method, kind: 'expose', missing: hidden, message });
    }
  }
  return problems;
}

/**
 * Reads the bucket's CORS rules and names what they lack for a page on `origin` using this
 * client: the origin, the methods, the request headers the SDK will send (its signature's, a
 * security token when the client's credentials carry one, upload headers), and the exposure of
 * ETag, x-kss-request-id and, with `encryption` (default: whether the client encrypts), the
 * encryption metadata. A bucket without CORS rules is one problem, not an error.
 * @throws {Ks3InputError} for a bad bucket or origin; errors of getBucketCors other than 404.
 * @example
 * const { ok, problems } = await checkCors(client, { bucket: 'uploads', origin: 'https://app.example.com' });
 * if (!ok) console.warn(problems.map((p) => p.message).join('\n'));
 */
export async function checkCors(client: Client, o: CheckCorsOptions): Promise<CheckCorsResult> {
  const ctx = target('CheckCors', client, o, false);
  const origin = checkText('origin', o.origin, ctx, false);
  if (!/^https?:\/\/[^/?#\s]+$/.test(origin))
    throw new Ks3InputError('origin', 'must be scheme://host[:port], as a browser sends it', ctx);
  let rules: CorsRule[];
  let requestId: string | undefined;
  try {
    ({ rules, requestId } = await getBucketCors(client, { bucket: o.bucket, signal: o.signal, headers: o.headers }));
  } catch (e) {
    if (!isKs3ServiceError(e) || e.status !== 404) throw e;
    const message = `the bucket ${o.bucket} has no CORS configuration: pages on other origins cannot use it`;
    return { ok: false, problems: [{ kind: 'origin', missing: [origin], message }], requestId: e.requestId };
  }
  const securityToken = !!(client.credentials && (await client.credentials.get(o.signal)).securityToken);
  const encryption = o.encryption ?? client.encryption !== undefined;
  const needs: CorsNeeds = {
    origin,
    methods: o.methods,
    requestHeaders: o.requestHeaders,
    exposeHeaders: o.exposeHeaders,
    encryption,
  };
  const problems = checkCorsRules(rules, needs, (m) => sdkRequestHeaders(client, m, { securityToken, encryption }));
  return { ok: problems.length === 0, problems, requestId };
}
