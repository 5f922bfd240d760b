/**
 * Temporary credentials from KS3's STS (ks3-v4.md §3): `AssumeRole` on Kingsoft Cloud's OpenAPI
 * (`sts.api.ksyun.com`, Version 2015-11-01), signed AWS4-HMAC-SHA256 for service `sts` with the
 * SDK's own V4 signer, answered in JSON. For a backend that holds the long-term key and hands a
 * page short-lived credentials narrowed by a session policy (see `createSessionPolicy`). Details
 * no KS3 document settles (the scope's service, the HTTP method, the API version, the region
 * names) are options, with the values of Kingsoft's generated SDKs as defaults (UNVERIFIED).
 */
import {
  type Credentials,
  createV4Signer,
  Ks3InputError,
  Ks3NetworkError,
  Ks3ProtocolError,
  type Ks3Result,
} from '@ks3/core';
import { checkCredentials, readCapped, renderQueryV4, serviceError } from '@ks3/core/internal';
import { createHash } from 'node:crypto';

/** Options of {@link assumeRole}. */
export interface AssumeRoleOptions {
  /** The long-term key calling the STS (temporary credentials cannot assume roles). */
  credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>;
  /** `krn:ksc:iam::<account>:role/<name>`. */
  roleKrn: string;
  /** 2–64 of `A-Z a-z 0-9 +=,.@_-`: names the session in KS3's logs. */
  roleSessionName: string;
  /** Lifetime of the credentials in seconds (default 3600; the STS decides the range). */
  durationSeconds?: number | undefined;
  /** A session policy (object or JSON text): the credentials can do only what it allows. */
  policy?: string | object | undefined;
  /** Default `https://sts.api.ksyun.com` (internal: `https://sts.inner.api.ksyun.com`); a path is kept. */
  endpoint?: string | undefined;
  /** The V4 scope's region (default `cn-beijing-6`; KSC's clients also use `cn-shanghai-3`). UNVERIFIED. */
  region?: string | undefined;
  /** The V4 scope's service (default `sts`). UNVERIFIED. */
  service?: string | undefined;
  /** The API version (default `2015-11-01`). */
  version?: string | undefined;
  /** `GET` with query parameters (default, as KSC's Node SDK) or `POST` with a form body. */
  method?: 'GET' | 'POST' | undefined;
  /** Milliseconds before the call fails (default 10000). */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The fetch to call the STS with (default: the global one). */
  fetch?: typeof fetch | undefined;
  /** The clock for the STS request's signature (ms since the epoch; default `Date.now`). */
  now?: (() => number) | undefined;
}

/** Temporary credentials: always with a token and an expiry. */
export interface TemporaryCredentials extends Credentials {
  securityToken: string;
  expiration: Date;
}

/** What {@link assumeRole} returns. */
export interface AssumeRoleResult extends Ks3Result {
  credentials: TemporaryCredentials;
  /** The assumed role's KRN and id, when the STS names them. */
  assumedRoleUser?: { krn: string; assumedRoleId: string } | undefined;
}

const ctx = { operation: 'AssumeRole' };
const bad = (param: string, why: string): never => {
  throw new Ks3InputError(param, why, ctx);
};

function checkOptions(o: AssumeRoleOptions): { query: [string, string][]; url: URL } {
  if (typeof o !== 'object' || o === null) bad('options', 'must be an object');
  try {
    checkCredentials(o.credentials, false);
  } catch (e) {
    bad('credentials', (e as Error).message.replace(/^\[ks3\] invalid credentials: /, ''));
  }
  if (typeof o.roleKrn !== 'string' || !/^krn:ksc:iam::[^:/\s]+:role\/[\w+=,.@-]{1,64}$/.test(o.roleKrn))
    bad('roleKrn', 'must be krn:ksc:iam::<account>:role/<name>');
  if (typeof o.roleSessionName !== 'string' || !/^[\w+=,.@-]{2,64}$/.test(o.roleSessionName))
    bad('roleSessionName', 'must be 2 to 64 of A-Z a-z 0-9 and +=,.@_-');
  const seconds = o.durationSeconds ?? 3600;
  if (!Number.isSafeInteger(seconds) || seconds < 1) bad('durationSeconds', 'must be a whole number of seconds ≥ 1');
  let policy: string | undefined;
  if (o.policy !== undefined) {
    policy = typeof o.policy === 'string' ? o.policy : JSON.stringify(o.policy);
    if (typeof policy !== 'string' || !policy) bad('policy', 'must be a policy object or its JSON text');
  }
  let url: URL;
  try {
    url = new URL(o.endpoint ?? 'https://sts.api.ksyun.com');
  } catch {
    return bad('endpoint', 'must be a URL such as https://sts.api.ksyun.com');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash)
    bad('endpoint', 'must be an http(s) URL without a query');
  if (o.method !== undefined && o.method !== 'GET' && o.method !== 'POST') bad('method', "must be 'GET' or 'POST'");
  const query: [string, string][] = [
    ['Action', 'AssumeRole'],
    ['Version', o.version ?? '2015-11-01'],
    ['RoleKrn', o.roleKrn],
    ['RoleSessionName', o.roleSessionName],
    ['DurationSeconds', String(seconds)],
  ];
  if (policy) query.push(['Policy', policy]);
  return { query, url };
}

/** The credentials of a successful answer. */
function parseAnswer(text: string, status: number, requestIdHeader: string | null): AssumeRoleResult {
  const fail = (why: string): never => {
    throw new Ks3ProtocolError(`the STS answered ${status} but ${why}`, ctx);
  };
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return fail('not with JSON');
  }
  const result = (doc?.AssumeRoleResult ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const c = result.Credentials ?? {};
  const expiration = new Date(String(c.Expiration));
  if (typeof c.AccessKeyId !== 'string' || typeof c.SecretAccessKey !== 'string' || typeof c.SecurityToken !== 'string')
    fail('without AssumeRoleResult.Credentials');
  if (Number.isNaN(expiration.getTime())) fail('with an Expiration that is not a date');
  const user = result.AssumedRoleUser;
  return {
    credentials: {
      accessKeyId: c.AccessKeyId as string,
      secretAccessKey: c.SecretAccessKey as string,
      securityToken: c.SecurityToken as string,
      expiration,
    },
    assumedRoleUser:
      typeof user?.Krn === 'string' && typeof user.AssumedRoleId === 'string'
        ? { krn: user.Krn, assumedRoleId: user.AssumedRoleId }
        : undefined,
    requestId: typeof doc.RequestId === 'string' ? doc.RequestId : (requestIdHeader ?? undefined),
  };
}

/**
 * Asks KS3's STS for temporary credentials (`AssumeRole`). Node only: it needs the long-term key.
 * @throws {Ks3InputError} for bad options; {@link Ks3ServiceError} with the STS's code
 * (`SignatureDoesNotMatch`, `AccessDenied`, `InvalidParameterValue`, `MalformedPolicyDocument`, …);
 * {@link Ks3NetworkError} when no answer came in time; {@link Ks3ProtocolError} for an answer
 * without credentials; the signal's reason when it aborts.
 * @example
 * const { credentials } = await assumeRole({
 *   credentials: { accessKeyId, secretAccessKey },
 *   roleKrn: 'krn:ksc:iam::2000000001:role/uploader',
 *   roleSessionName: 'web-42',
 *   durationSeconds: 900,
 *   policy: createSessionPolicy({ bucket: 'uploads', prefix: 'users/42/' }),
 * });
 */
export async function assumeRole(o: AssumeRoleOptions): Promise<AssumeRoleResult> {
  const { query, url } = checkOptions(o);
  const method = o.method ?? 'GET';
  const base = `${url.origin}${url.pathname}`;
  const form = renderQueryV4(query);
  const body = method === 'POST' ? form : '';
  const creds = { accessKeyId: o.credentials.accessKeyId, secretAccessKey: o.credentials.secretAccessKey };
  const sign = createV4Signer({
    credentials: async () => creds,
    region: o.region ?? 'cn-beijing-6',
    service: o.service ?? 'sts',
    namespace: 'aws',
  });
  const headers: Record<string, string> =
    method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
  const signed = await sign({
    method,
    url: method === 'GET' ? `${base}?${form}` : base,
    query: method === 'GET' ? query : [],
    headers,
    payloadHash: createHash('sha256').update(body).digest('hex'),
    time: (o.now ?? Date.now)(),
  });
  const timeout = AbortSignal.timeout(o.timeout ?? 10_000);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await (o.fetch ?? globalThis.fetch)(signed.url, {
      method,
      headers: signed.headers,
      ...(method === 'POST' ? { body } : {}),
      signal,
      redirect: 'error',
    });
    text = await readCapped(res.body);
  } catch (e) {
    if (o.signal?.aborted) throw o.signal.reason;
    const timedOut = timeout.aborted;
    throw new Ks3NetworkError(`AssumeRole ${timedOut ? 'timed out' : `failed: ${(e as Error).name}`}`, {
      ...ctx,
      timeout: timedOut,
      cause: e,
    });
  }
  if (!res.ok) throw serviceError(res.status, res.headers, text, method, ctx);
  return parseAnswer(text, res.status, res.headers.get('x-kss-request-id'));
}
