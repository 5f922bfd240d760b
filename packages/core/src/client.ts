/**
 * The client: a plain, frozen configuration object that every operation takes as its first
 * argument (`putObject(client, …)`). Operations are separate functions so bundles carry only
 * what an app calls.
 */
import { Ks3InputError } from './errors.js';
import { DEFAULT_DATE_HEADER } from '#platform';
import { createHmacSigner, type Signer } from './sign/hmac.js';
import { encryptionHandle, type EncryptionConfig, type EncryptionHandle } from './encryption/handle.js';

/** How a bucket is addressed in request URLs. */
export type Addressing = 'path' | 'virtual';

/** Options of {@link createClient}. */
export interface ClientConfig {
  /**
   * KS3 endpoint: a host (`ks3-cn-beijing.ksyuncs.com`), `host:port`, or a URL with scheme
   * (`http://127.0.0.1:9000`). With `domainMode`, the custom domain bound to one bucket.
   */
  endpoint: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Signs instead of a key pair (e.g. a backend signer in browsers). Omit all three for anonymous access. */
  signer?: Signer;
  /** STS token, sent and signed as `x-kss-security-token`. */
  securityToken?: string;
  /** Use https. Default: true, or the scheme of `endpoint` when it has one. */
  secure?: boolean;
  /** Port, when not the scheme's default; also given by `endpoint`. Always written into URLs when set. */
  port?: number;
  /** The endpoint is a custom domain bound to a bucket: paths omit the bucket (§1.3). */
  domainMode?: boolean;
  /** `path` (default, as the reference SDK) or `virtual` (`bucket.endpoint`) for requests. */
  addressing?: Addressing;
  /** Milliseconds an attempt may go without progress before it fails (default 60000; 0 = never). */
  timeout?: number;
  /** Retries after the first attempt for retryable failures (default 3). */
  retries?: number;
  /** Base of the exponential backoff in ms (default 200; full jitter, capped at 10 s). */
  retryDelay?: number;
  /** Sent as `User-Agent` where the platform allows it (Node); browsers keep their own. */
  userAgent?: string;
  /** The fetch to use; default `globalThis.fetch` looked up at call time. */
  fetch?: typeof fetch;
  /**
   * May request bodies be handed to fetch as ReadableStreams? Node's own fetch streams large
   * uploads that way (much faster, bounded memory). Default: true for the global fetch, false
   * for an injected one: fetch-ponyfill / node-fetch 2 silently send a stream as the text
   * "[object ReadableStream]", so with them every body is sent from memory. Browsers never
   * stream request bodies (HTTP/1.1 cannot).
   */
  streaming?: boolean;
  /** Clock in milliseconds since the epoch (default `Date.now`). Signatures and expiry use it. */
  now?: () => number;
  /**
   * Which header carries the request time: `date` (as the reference) or `x-kss-date` (§2.5).
   * Default: `x-kss-date` in browsers, which cannot send `Date`; `date` elsewhere.
   */
  dateHeader?: 'date' | 'x-kss-date';
  /**
   * Makes MD5 hashers for Content-MD5, encryption metadata and checks. Default: the SDK's own
   * portable MD5, loaded on first use; @ks3/node passes `node:crypto`'s, which is faster.
   */
  md5?: () => Hasher;
  /**
   * Client-side encryption of every put, get and multipart upload, in the Python SDK's format
   * (its `local_encrypt`). Calls can opt out with `encryption: false`.
   */
  encryption?: EncryptionConfig;
}

/** An incremental hash (MD5), as `createMd5()` of `@ks3/core/crypto` makes them. */
export interface Hasher {
  update(bytes: Uint8Array): Hasher;
  digest(): Uint8Array;
}

/** A validated client. Holds no secret: only the signer closure does. */
export interface Client {
  readonly scheme: 'http' | 'https';
  /** Host name without port (IPv6 in brackets). */
  readonly host: string;
  readonly port: number | undefined;
  readonly signer: Signer | undefined;
  /** The STS token, behind a function so that inspecting a client never prints it. */
  readonly securityToken: (() => string) | undefined;
  readonly domainMode: boolean;
  readonly addressing: Addressing;
  readonly timeout: number;
  readonly retries: number;
  readonly retryDelay: number;
  readonly userAgent: string | undefined;
  readonly fetch: typeof fetch;
  readonly streaming: boolean;
  readonly now: () => number;
  readonly dateHeader: 'date' | 'x-kss-date';
  readonly encryption: EncryptionHandle | undefined;
  readonly md5: (() => Hasher) | undefined;
}

const bad = (param: string, msg: string): never => {
  throw new Ks3InputError(param, msg, { operation: 'createClient' });
};

function count(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    bad(name, `must be a finite number >= 0, got ${String(v)}`);
  return v;
}

function parseEndpoint(endpoint: unknown, secure: boolean | undefined): URL {
  if (typeof endpoint !== 'string' || !endpoint.trim()) return bad('endpoint', 'must be a non-empty host name or URL');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)
    ? endpoint
    : `${secure === false ? 'http' : 'https'}://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return bad('endpoint', `is not a valid host or URL: ${endpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') bad('endpoint', 'scheme must be http or https');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    bad('endpoint', 'must be a host (optionally with scheme and port), without path, query or credentials');
  }
  return url;
}

/**
 * Creates a client from a plain configuration. Nothing is sent.
 * @throws {Ks3InputError} on an invalid option.
 * @example
 * const client = createClient({ endpoint: 'ks3-cn-beijing.ksyuncs.com', accessKeyId, secretAccessKey });
 */
export function createClient(config: ClientConfig): Client {
  if (typeof config !== 'object' || config === null) return bad('config', 'must be an object');
  const url = parseEndpoint(config.endpoint, config.secure);
  const scheme = url.protocol === 'http:' ? 'http' : 'https';
  if (config.secure !== undefined && config.secure !== (scheme === 'https'))
    bad('secure', 'contradicts the scheme of endpoint');
  let port = url.port ? Number(url.port) : undefined;
  if (config.port !== undefined) {
    if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65535)
      bad('port', 'must be an integer in 1..65535');
    if (port !== undefined && port !== config.port) bad('port', 'contradicts the port of endpoint');
    port = config.port;
  }
  const { accessKeyId, secretAccessKey } = config;
  let signer = config.signer;
  if (signer !== undefined && typeof signer !== 'function') bad('signer', 'must be a function');
  if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    if (signer) bad('signer', 'give either a signer or accessKeyId/secretAccessKey, not both');
    if (typeof accessKeyId !== 'string' || !accessKeyId) bad('accessKeyId', 'must be a non-empty string');
    if (typeof secretAccessKey !== 'string' || !secretAccessKey) bad('secretAccessKey', 'must be a non-empty string');
    signer = createHmacSigner({ accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! });
  }
  if (config.securityToken !== undefined && (typeof config.securityToken !== 'string' || !config.securityToken)) {
    bad('securityToken', 'must be a non-empty string');
  }
  const addressing = config.addressing ?? 'path';
  if (addressing !== 'path' && addressing !== 'virtual') bad('addressing', "must be 'path' or 'virtual'");
  const dateHeader = config.dateHeader ?? DEFAULT_DATE_HEADER;
  if (dateHeader !== 'date' && dateHeader !== 'x-kss-date') bad('dateHeader', "must be 'date' or 'x-kss-date'");
  if (config.fetch !== undefined && typeof config.fetch !== 'function') bad('fetch', 'must be a function');
  if (config.now !== undefined && typeof config.now !== 'function')
    bad('now', 'must be a function returning milliseconds');
  if (config.md5 !== undefined && typeof config.md5 !== 'function') bad('md5', 'must be a function returning a hasher');
  const injected = config.fetch;
  return Object.freeze({
    scheme,
    host: url.hostname,
    port,
    signer,
    securityToken: config.securityToken === undefined ? undefined : () => config.securityToken!,
    domainMode: config.domainMode === true,
    addressing,
    timeout: count('timeout', config.timeout, 60_000),
    retries: Math.floor(count('retries', config.retries, 3)),
    retryDelay: count('retryDelay', config.retryDelay, 200),
    userAgent: config.userAgent,
    fetch: injected ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    streaming: config.streaming ?? !injected,
    now: config.now ?? Date.now,
    dateHeader,
    encryption: config.encryption === undefined ? undefined : encryptionHandle(config.encryption, config.md5),
    md5: config.md5,
  });
}
