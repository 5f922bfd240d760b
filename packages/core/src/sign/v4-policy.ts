/**
 * KS3's V4 "share URL" (ks3-v4.md §1.2, vectors s-*): a bucket URL carrying a Base64 policy in
 * `X-Kss-Policy` (`X-Amz-Policy` in the AWS namespace). Its canonical request is only the
 * canonical query of the share parameters and `UNSIGNED-PAYLOAD`: no method, path or headers.
 */
import { toBase64, utf8 } from '../bytes.js';
import { Ks3InputError } from '../errors.js';
import { fetchCredentials } from './signer-credentials.js';
import type { QueryParam } from './subresources.js';
import type { Credentials, CredentialsSource, SignatureNamespace, SignRequest } from './types.js';
import { amzDate, scopeV4, stringToSignV4 } from './v4-canonical.js';
import { canonicalQueryV4, renderQueryV4, splitUrl } from './v4-encoding.js';
import { hmacHex, sha256Hex } from './v4-key.js';
import { presignSeconds, v4Config, type V4Config } from './v4.js';

/** Options of {@link presignPolicyUrlV4}. */
export interface PolicyUrlOptions {
  credentials: CredentialsSource;
  region: string;
  namespace?: SignatureNamespace;
  service?: string;
  /** See `V4SignerOptions.presignTokenParam` (UNVERIFIED for KSS4). */
  presignTokenParam?: string;
  /** The bucket URL, e.g. `https://bucket.ks3-cn-beijing.ksyuncs.com/`; a query it has stays, unsigned. */
  url: string;
  /** The policy document: JSON text, or an object to serialise. */
  policy: string | object;
  /** The signing time in milliseconds since the epoch. */
  time: number;
  /** Absolute expiry in Unix seconds, 1 s to 7 days after `time`. */
  expires: number;
  /** Parameters appended after the signature, unsigned (e.g. `prefix`). */
  query?: readonly QueryParam[];
}

/** What {@link signPolicyV4} computed, for tests and debugging. */
export interface PolicySignature {
  url: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/**
 * Signs a share URL with given credentials.
 * @throws {Ks3InputError} for an empty policy or an expiry out of range.
 */
export async function signPolicyV4(c: V4Config, o: PolicyUrlOptions, creds: Credentials): Promise<PolicySignature> {
  const json = typeof o.policy === 'string' ? o.policy : JSON.stringify(o.policy);
  if (!json) throw new Ks3InputError('policy', 'must be a non-empty JSON document');
  const url = splitUrl(o.url);
  const date = amzDate(o.time);
  const seconds = presignSeconds({ time: o.time, expires: o.expires } as SignRequest);
  const scope = scopeV4(date, c.region, c.service, c.ns);
  const q = c.ns.query;
  const share: QueryParam[] = [
    [`${q}Algorithm`, c.ns.algorithm],
    [`${q}Credential`, `${creds.accessKeyId}/${scope}`],
    [`${q}Date`, date],
    [`${q}Expires`, String(seconds)],
    [`${q}Policy`, toBase64(utf8(json))],
  ];
  if (creds.securityToken) share.push([c.tokenParam, creds.securityToken]);
  const canonicalRequest = `${canonicalQueryV4(share)}\nUNSIGNED-PAYLOAD`;
  const stringToSign = stringToSignV4(c.ns, date, scope, await sha256Hex(canonicalRequest, c.sha256));
  const key = await c.keys.get(creds.secretAccessKey, date, c.region, c.service, c.ns);
  const signature = await hmacHex(key, stringToSign);
  share.push([`${q}Signature`, signature]);
  share.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const extra = [url.query, renderQueryV4(o.query ?? [])].filter(Boolean).join('&');
  return {
    url: `${url.origin}${url.path || '/'}?${renderQueryV4(share)}${extra ? `&${extra}` : ''}`,
    canonicalRequest,
    stringToSign,
    signature,
  };
}

/**
 * Builds a share URL: anyone holding it may do what the policy allows on the bucket until it
 * expires. The credentials are fetched once (a function gets `signal`).
 * @throws {Ks3InputError} for bad options, an empty policy or an expiry out of range; the
 * signal's reason when it aborts.
 * @example
 * const url = await presignPolicyUrlV4({ credentials, region: 'BEIJING', url: 'https://b.ks3-cn-beijing.ksyuncs.com/',
 *   policy: { expiration: '2030-01-01T00:00:00Z' }, time: Date.now(), expires: Math.floor(Date.now() / 1000) + 3600 });
 */
export async function presignPolicyUrlV4(o: PolicyUrlOptions, signal?: AbortSignal): Promise<string> {
  const given = o.credentials;
  const provider = typeof given === 'function' ? given : async (): Promise<Credentials> => given;
  const c = v4Config({ ...o, credentials: provider });
  return (await signPolicyV4(c, o, await fetchCredentials(provider, signal))).url;
}
