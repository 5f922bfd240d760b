/**
 * The client: a plain, frozen configuration object that every operation takes as its first
 * argument (`putObject(client, …)`). Operations are separate functions so bundles carry only
 * what an app calls. Secrets live only in closures (the credentials provider, the signer, the
 * encryption key): inspecting or serialising a client shows none of them.
 */
import { CAN_SET_USER_AGENT, DEFAULT_DATE_HEADER, PLATFORM_AGENT } from '#platform';
import type { AesCbcCipher } from './crypto/cipher.js';
import type { Md5Pool } from './crypto/md5-pool.js';
import { type EncryptionConfig, type EncryptionHandle, encryptionHandle } from './encryption/handle.js';
import { Ks3InputError } from './errors.js';
import type { RequestHooks } from './request/hooks.js';
import type { Addressing } from './request/url.js';
import { type CredentialsProvider, credentialsProvider } from './sign/credentials.js';
import { createV2Signer } from './sign/v2-signer.js';
import { createV4Signer } from './sign/v4.js';
import type { HeaderWhitespace } from './sign/v4-canonical.js';
import type { HmacFactory } from './sign/v4-key.js';
import { inferRegion } from './sign/regions.js';
import type { CredentialsSource, SignatureNamespace, SignatureVersion, Signer } from './sign/types.js';
import { parseEndpoint } from './endpoint.js';
import { VERSION } from './version.js';
import { STATE } from './client-state.js';

export { clientState } from './client-state.js';
import type { Fetch } from './web-types.js';

/** Options of {@link createClient}. */
export interface ClientConfig {
  /**
   * KS3 endpoint: a host (`ks3-cn-beijing.ksyuncs.com`), `host:port`, or a URL with scheme
   * (`http://127.0.0.1:9000`). With `domainMode`, the custom domain bound to one bucket.
   */
  endpoint: string;
  /**
   * Region for V4 signatures, e.g. `BEIJING`. Inferred from KS3's own endpoint names; required
   * for V4 with any other endpoint.
   */
  region?: string | undefined;
  /** `v4` (KS3's recommendation; the default whenever the region is known) or `v2`. */
  signatureVersion?: SignatureVersion | undefined;
  /** V4 constants: KS3's own `kss` (`KSS4-HMAC-SHA256`, default) or the AWS-compatible `aws`. */
  signatureNamespace?: SignatureNamespace | undefined;
  /**
   * V4 details no source settles (ks3-v4.md, UNVERIFIED): the scope's service (default `ks3`,
   * or `s3` in the AWS namespace), how inner spaces of signed header values are canonicalised
   * (`collapse` as AWS, default; `trim` as KS3's Go SDK), and the presigned-URL parameter of a
   * security token (default `X-Kss-Security-Token`; KS3's Java SDK sends `security-token`).
   */
  v4?: { service?: string; headerWhitespace?: HeaderWhitespace; presignTokenParam?: string } | undefined;
  /** Credentials, or an async function returning them (refreshed before `expiration`). */
  credentials?: CredentialsSource | undefined;
  /** Shorthand for `credentials`: both keys must then be non-empty strings. */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** STS token, with `accessKeyId`/`secretAccessKey`. */
  securityToken?: string | undefined;
  /** Signs instead of credentials (e.g. a backend signer in browsers). */
  signer?: Signer | undefined;
  /** Send unsigned requests. Also the case when no credentials option is present at all. */
  anonymous?: boolean | undefined;
  /** Use https. Default: true, or the scheme of `endpoint` when it has one. */
  secure?: boolean | undefined;
  /** Port, when not the scheme's default; also given by `endpoint`. */
  port?: number | undefined;
  /** The endpoint is a custom domain bound to a bucket: paths omit the bucket (§1.3). */
  domainMode?: boolean | undefined;
  /**
   * `virtual` (`bucket.endpoint`; default for KS3 endpoints and V4) or `path`
   * (`endpoint/bucket`; default elsewhere, and always for IP addresses and localhost).
   */
  addressing?: Addressing | undefined;
  /** Milliseconds an attempt may go without progress before it fails (default 60000; 0 = never). */
  timeout?: number | undefined;
  /** Retries after the first attempt for retryable failures (default 3). */
  retries?: number | undefined;
  /** Base of the exponential backoff in ms (default 200; full jitter, capped at 10 s). */
  retryDelay?: number | undefined;
  /**
   * The longest `Retry-After` (ms) the SDK waits for (default 30000). A server asking for longer
   * fails the call at once with its error (`retryAfterMs` says what it asked).
   */
  maxRetryAfter?: number | undefined;
  /** Sent as `User-Agent` where the platform allows it (Node); default `ks3-js/<version> node/<v>`. */
  userAgent?: string | undefined;
  /** The fetch to use; default `globalThis.fetch` looked up at call time. */
  fetch?: Fetch | undefined;
  /**
   * May request bodies be handed to fetch as streams? Default: yes for the global fetch; for an
   * injected fetch it is detected once, with a harmless OPTIONS request whose stream body the
   * fetch either reads or not. Browsers never stream request bodies (HTTP/1.1 cannot).
   */
  streaming?: boolean | undefined;
  /** Clock in milliseconds since the epoch (default `Date.now`). Signatures and expiry use it. */
  now?: (() => number) | undefined;
  /**
   * V2: which header carries the request time: `date` (as the reference) or `x-kss-date` (§2.5).
   * Default: `x-kss-date` in browsers, which cannot send `Date`; `date` elsewhere.
   */
  dateHeader?: 'date' | 'x-kss-date' | undefined;
  /** Makes MD5 hashers; default the SDK's portable MD5, loaded on first use (@ks3/node: node:crypto). */
  md5?: (() => Hasher) | undefined;
  /**
   * Makes the AES-128-CBC cipher of client-side encryption from the raw key; default WebCrypto
   * (@ks3/node: node:crypto, several times faster). The bytes are the same either way.
   */
  aesCbc?: ((rawKey: Uint8Array) => AesCbcCipher) | undefined;
  /** Makes keyed HMAC hashers for signatures; default WebCrypto (@ks3/node: node:crypto). */
  hmac?: HmacFactory | undefined;
  /** Makes SHA-256 hashers for V4 signatures; default WebCrypto (@ks3/node: node:crypto). */
  sha256?: (() => Hasher) | undefined;
  /**
   * Computes large MD5s off this thread (client-side encryption's, and the upload manager's
   * part MD5s); default none (@ks3/node: worker threads).
   */
  md5Pool?: Md5Pool | undefined;
  /** Client-side encryption of every put, get and multipart upload (the Python SDK's format). */
  encryption?: EncryptionConfig | undefined;
  /** Called around every HTTP attempt, for logs, metrics and tracing; never given a secret. */
  hooks?: RequestHooks | undefined;
}

/** An incremental hash (MD5), as `createMd5()` of `@ks3/core/crypto` makes them. */
export interface Hasher {
  /** Hashes more bytes; returns the same hasher. */
  update(bytes: Uint8Array): Hasher;
  /** The hash of everything given so far. */
  digest(): Uint8Array;
}

/** A validated client. Holds no secret: only closures do. */
export interface Client {
  readonly scheme: 'http' | 'https';
  /** Host name without port (IPv6 in brackets). */
  readonly host: string;
  readonly port: number | undefined;
  readonly region: string | undefined;
  readonly signatureVersion: SignatureVersion;
  readonly signatureNamespace: SignatureNamespace;
  /** Undefined for an anonymous client. */
  readonly signer: Signer | undefined;
  /** The credentials behind the built-in signer (undefined with a custom signer or anonymous). */
  readonly credentials: CredentialsProvider | undefined;
  readonly domainMode: boolean;
  readonly addressing: Addressing;
  readonly timeout: number;
  readonly retries: number;
  readonly retryDelay: number;
  readonly maxRetryAfter: number;
  readonly userAgent: string | undefined;
  /** The fetch every request goes through (`config.fetch`, or the global one at call time). */
  readonly fetch: Fetch;
  /** Whether bodies may go to fetch as streams; `undefined` until detected for an injected fetch. */
  readonly streaming: boolean | undefined;
  /** The configured clock. */
  readonly now: () => number;
  /**
   * Milliseconds added to `now()` for signing: set from KS3's `Date` after a
   * `RequestTimeTooSkewed` answer, so a client whose clock is off works after one retry.
   */
  readonly clockOffset: number;
  readonly dateHeader: 'date' | 'x-kss-date';
  readonly encryption: EncryptionHandle | undefined;
  /** The configured MD5 hasher factory (`undefined`: the portable one, loaded on first use). */
  readonly md5: (() => Hasher) | undefined;
  readonly md5Pool: Md5Pool | undefined;
  readonly hooks: RequestHooks | undefined;
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

const KEY_OPTIONS = ['accessKeyId', 'secretAccessKey', 'securityToken'] as const;

/** The credentials a config asks for, validated; undefined for anonymous or a custom signer. */
function credentialsOf(config: ClientConfig): CredentialsSource | undefined {
  const keyed = KEY_OPTIONS.filter((k) => k in config);
  const ways = [keyed.length > 0, config.credentials !== undefined, config.signer !== undefined];
  if (ways.filter(Boolean).length > 1)
    bad('credentials', 'give one of accessKeyId/secretAccessKey, credentials or signer');
  if (config.anonymous === true && ways.some(Boolean)) bad('anonymous', 'an anonymous client takes no credentials');
  if (config.anonymous !== undefined && typeof config.anonymous !== 'boolean') bad('anonymous', 'must be a boolean');
  if (config.signer !== undefined && typeof config.signer !== 'function') bad('signer', 'must be a function');
  if (config.credentials !== undefined) return config.credentials;
  if (!keyed.length) return undefined;
  // Present but empty or undefined keys are a mistake (an unset environment variable), never a
  // request for anonymous access: name them.
  for (const name of ['accessKeyId', 'secretAccessKey'] as const) {
    const v = config[name];
    if (typeof v !== 'string' || !v) {
      bad(
        name,
        `is ${v === '' ? 'empty' : String(v)}: give a key (is its environment variable set?), or anonymous: true`,
      );
    }
  }
  const token = config.securityToken;
  if (token !== undefined && (typeof token !== 'string' || !token)) bad('securityToken', 'must be a non-empty string');
  return { accessKeyId: config.accessKeyId!, secretAccessKey: config.secretAccessKey!, securityToken: token };
}

const IP_OR_LOCAL = (host: string): boolean =>
  host === 'localhost' || host.endsWith('.localhost') || /^[\d.]+$/.test(host) || host.startsWith('[');

/**
 * Creates a client from a plain configuration. Nothing is sent.
 * @throws {Ks3InputError} on an invalid option.
 * @example
 * const client = createClient({ endpoint: 'ks3-cn-beijing.ksyuncs.com', accessKeyId, secretAccessKey });
 */
export function createClient(config: ClientConfig): Client {
  if (typeof config !== 'object' || config === null) return bad('config', 'must be an object');
  const { scheme, host, port } = parseEndpoint(config);
  const now = config.now ?? Date.now;
  if (typeof now !== 'function') bad('now', 'must be a function returning milliseconds');
  const source = credentialsOf(config);
  const credentials = source === undefined ? undefined : credentialsProvider(source, now);
  const region = config.region ?? inferRegion(host);
  if (region !== undefined && (typeof region !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(region))) {
    bad('region', `must be a region name such as BEIJING, got ${JSON.stringify(region)}`);
  }
  const version = config.signatureVersion ?? (region ? 'v4' : 'v2');
  if (version !== 'v4' && version !== 'v2') bad('signatureVersion', "must be 'v4' or 'v2'");
  if (version === 'v4' && !region) {
    bad(
      'region',
      `V4 signing needs one and none can be inferred from ${host}: pass region (e.g. 'BEIJING') or signatureVersion: 'v2'`,
    );
  }
  const namespace = config.signatureNamespace ?? 'kss';
  if (namespace !== 'kss' && namespace !== 'aws') bad('signatureNamespace', "must be 'kss' or 'aws'");
  const dateHeader = config.dateHeader ?? DEFAULT_DATE_HEADER;
  if (dateHeader !== 'date' && dateHeader !== 'x-kss-date') bad('dateHeader', "must be 'date' or 'x-kss-date'");
  for (const name of ['md5', 'aesCbc', 'hmac', 'sha256'] as const)
    if (config[name] !== undefined && typeof config[name] !== 'function') bad(name, 'must be a function');
  if (config.md5Pool !== undefined && typeof config.md5Pool?.session !== 'function')
    bad('md5Pool', 'must be an object with a session() method');
  let signer = config.signer;
  if (credentials) {
    const get = (signal?: AbortSignal) => credentials.get(signal);
    const { hmac, sha256 } = config;
    signer =
      version === 'v4'
        ? createV4Signer({ ...config.v4, credentials: get, region: region!, namespace, hmac, sha256 })
        : createV2Signer({ credentials: get, dateHeader, hmac });
  }
  const addressing = chooseAddressing(config, host, version);
  if (config.fetch !== undefined && typeof config.fetch !== 'function') bad('fetch', 'must be a function');
  if (config.streaming !== undefined && typeof config.streaming !== 'boolean') bad('streaming', 'must be a boolean');
  checkHooks(config.hooks);
  const userAgent = config.userAgent ?? (CAN_SET_USER_AGENT ? `ks3-js/${VERSION} ${PLATFORM_AGENT}` : undefined);
  if (userAgent !== undefined && (typeof userAgent !== 'string' || !/^[\x20-\x7e]+$/.test(userAgent))) {
    bad('userAgent', 'must be printable ASCII');
  }
  const injected = config.fetch;
  const state = {
    clockOffset: 0,
    streaming: config.streaming ?? (injected ? undefined : true),
    fetchInjected: !!injected,
  };
  const client = {
    scheme,
    host,
    port,
    region,
    signatureVersion: version,
    signatureNamespace: namespace,
    signer,
    credentials,
    domainMode: config.domainMode === true,
    addressing,
    timeout: count('timeout', config.timeout, 60_000),
    retries: Math.floor(count('retries', config.retries, 3)),
    retryDelay: count('retryDelay', config.retryDelay, 200),
    maxRetryAfter: count('maxRetryAfter', config.maxRetryAfter, 30_000),
    userAgent,
    fetch: injected ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    get streaming() {
      return state.streaming;
    },
    now,
    get clockOffset() {
      return state.clockOffset;
    },
    dateHeader,
    encryption:
      config.encryption === undefined
        ? undefined
        : encryptionHandle(config.encryption, config.md5, config.aesCbc, config.md5Pool),
    md5: config.md5,
    md5Pool: config.md5Pool,
    hooks: config.hooks,
  };
  STATE.set(client, state);
  return Object.freeze(client);
}

function chooseAddressing(config: ClientConfig, host: string, version: SignatureVersion): Addressing {
  const a = config.addressing;
  if (a !== undefined && a !== 'path' && a !== 'virtual') bad('addressing', "must be 'path' or 'virtual'");
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) {
    if (a === 'virtual') bad('addressing', `'virtual' needs a host name; ${host} is an IP address`);
    return 'path';
  }
  if (a) return a;
  if (IP_OR_LOCAL(host)) return 'path';
  return version === 'v4' || /(^|\.)ksyuncs\.com$/.test(host) ? 'virtual' : 'path';
}

function checkHooks(hooks: RequestHooks | undefined): void {
  if (hooks === undefined) return;
  if (typeof hooks !== 'object' || hooks === null) bad('hooks', 'must be an object of functions');
  for (const [name, fn] of Object.entries(hooks)) {
    if (name !== 'request' && name !== 'response') bad('hooks', `unknown hook ${name} (request, response)`);
    if (typeof fn !== 'function') bad('hooks', `${name} must be a function`);
  }
}
