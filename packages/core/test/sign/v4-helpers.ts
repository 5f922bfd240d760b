/**
 * Turns a case of internal/vectors/v4-signing.json into the inputs of our V4 signer: the request
 * the pipeline would hand it (URL built with the V4 encodings, headers trimmed and lower-cased,
 * payload hash of the body), the signer's settings and the credentials.
 */
import vectors from '../../../../internal/vectors/v4-signing.json';
import type { QueryParam } from '@ks3/core';
import { encodePathV4, renderQueryV4 } from '@ks3/core/internal';
import type { Credentials, SignRequest } from '../../src/sign/types.js';
import { v4Config, type V4Config, type V4SignerOptions } from '../../src/sign/v4.js';
import { sha256Hex } from '../../src/sign/v4-key.js';

export interface V4Input {
  access_key_id: string;
  secret_access_key: string;
  security_token: string;
  addressing: string;
  endpoint: string;
  region: string;
  namespace: 'KSS4' | 'AWS4';
  mode: string;
  method: string | null;
  bucket: string;
  key: string;
  params: Record<string, string | null>;
  headers: Record<string, string>;
  body?: string | null;
  body_kind?: string | null;
  expires?: number;
  expired_in_sec?: number;
  policy?: string;
  time: string;
  sdk_config: { AuthVersion: string; ServiceName: string };
}

export interface V4Case {
  id: string;
  description: string;
  verifiable: boolean;
  why_not?: string;
  tags: string[];
  input: V4Input;
  output: Record<string, unknown> & {
    canonical_request: string;
    string_to_sign: string;
    signature: string;
  };
}

export const v4Cases = vectors.cases as unknown as V4Case[];

/** Every unverifiable case and why (checked: exactly these). */
export const NOT_VERIFIABLE: Record<string, string> = {
  'h-kss4-21-meta-headers': 'inner whitespace of header values: kept by KS3 Go, collapsed by AWS (UNVERIFIED)',
  'h-aws-03-meta-headers': 'the same whitespace question in the AWS namespace',
  'p-kss4-09-key-plus': "Go bug: '+' in a presigned key is signed as a space, double-encoded",
  'p-kss4-11-key-percent': "Go bug: '%' left raw in the presigned URL's path",
  'p-kss4-18-key-question-hash': "Go bug: '?' and '#' left raw in the presigned URL's path",
  'p-kss4-17-public-api-bucket-signurl': 'Go bug: an absolute expiry passed where a duration goes',
  'p-aws-07-public-api-bucket-signurl': 'the same expiry bug in the AWS namespace',
};

export const credentialsOf = (i: V4Input): Credentials => ({
  accessKeyId: i.access_key_id,
  secretAccessKey: i.secret_access_key,
  ...(i.security_token ? { securityToken: i.security_token } : {}),
});

/** The signer settings of a case; `extra` overrides them. */
export function configOf(i: V4Input, extra: Partial<V4SignerOptions> = {}): V4Config {
  return v4Config({
    credentials: async () => credentialsOf(i),
    region: i.region,
    namespace: i.namespace === 'AWS4' ? 'aws' : 'kss',
    ...(i.sdk_config.ServiceName ? { service: i.sdk_config.ServiceName } : {}),
    ...extra,
  });
}

export const queryOf = (i: V4Input): QueryParam[] =>
  Object.entries(i.params).map(([n, v]): QueryParam => (v === null ? [n] : [n, v]));

/** `scheme://host` of a case: the bucket goes into the host unless the case is path style. */
export function originOf(i: V4Input): { origin: string; virtual: boolean } {
  const virtual = i.addressing === 'virtual-hosted';
  const u = new URL(i.endpoint);
  return { origin: `${u.protocol}//${virtual && i.bucket ? `${i.bucket}.` : ''}${u.host}`, virtual };
}

/** The URL our pipeline would send: path and query with the V4 encodings. */
export function urlOf(i: V4Input): string {
  const { origin, virtual } = originOf(i);
  const q = renderQueryV4(queryOf(i));
  return origin + encodePathV4(i.bucket || undefined, i.key || undefined, virtual) + (q ? `?${q}` : '');
}

export async function payloadHashOf(i: V4Input): Promise<string> {
  if (
    i.mode !== 'header' ||
    i.body_kind === 'non-seekable-stream' ||
    i.sdk_config.AuthVersion === 'v4-unsigned-payload'
  )
    return 'UNSIGNED-PAYLOAD';
  return sha256Hex(i.body ?? '');
}

/** The request a case describes, as our pipeline would hand it to the signer. */
export async function requestOf(i: V4Input, url = urlOf(i)): Promise<SignRequest> {
  const time = Date.parse(i.time);
  return {
    method: i.method ?? 'GET',
    url,
    bucket: i.bucket || undefined,
    key: i.key || undefined,
    query: queryOf(i),
    headers: Object.fromEntries(Object.entries(i.headers).map(([n, v]) => [n.toLowerCase(), v.trim()])),
    payloadHash: await payloadHashOf(i),
    time,
    ...(i.expires !== undefined && i.mode === 'presign' ? { expires: Math.floor(time / 1000) + i.expires } : {}),
  };
}
