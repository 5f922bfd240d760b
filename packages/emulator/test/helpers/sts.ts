/**
 * AssumeRole calls to the emulator's fake STS, signed with the tests' own V4 signer
 * (v4-client.ts: AWS4-HMAC-SHA256, service `sts`), as GET query parameters or a POST form.
 */
import { CREDS, type Creds, rawRequest, type Res } from './ks3.js';
import { signV4, type V4Options } from './v4-client.js';

export const ROLE = (account: string, name = 'uploader') => `krn:ksc:iam::${account}:role/${name}`;

export interface AssumeOptions {
  creds?: Creds;
  /** API parameters besides Action and Version (given ones replace those two) */
  params: Record<string, string>;
  method?: 'GET' | 'POST';
  /** Host header, default the emulator's `127.0.0.1:PORT` */
  host?: string;
  /** default `/__sts/` (or `/` when a host is given) */
  path?: string;
  region?: string;
  service?: string;
  time?: Date;
  /** leave out x-amz-content-sha256 (the STS then hashes the body itself) */
  noPayloadHeader?: boolean;
  headers?: Record<string, string>;
  /** send this body instead of the signed one (tampering tests) */
  sendBody?: string;
}

export interface StsAnswer {
  res: Res;
  json: {
    RequestId?: string;
    Error?: { Type: string; Code: string; Message: string };
    AssumeRoleResult?: {
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SecurityToken: string; Expiration: string };
      AssumedRoleUser: { Krn: string; AssumedRoleId: string };
    };
  };
}

/** Calls AssumeRole (or whatever `params.Action` says) and parses the JSON answer. */
export async function callSts(url: string, o: AssumeOptions): Promise<StsAnswer> {
  const host = o.host ?? new URL(url).host;
  const path = o.path ?? (o.host ? '/' : '/__sts/');
  const params: [string, string][] = Object.entries({ Action: 'AssumeRole', Version: '2015-11-01', ...o.params });
  const post = o.method === 'POST';
  const body = post ? new URLSearchParams(params).toString() : undefined;
  const v4: V4Options = {
    ns: 'AWS4',
    method: o.method ?? 'GET',
    bucket: path.slice(1).replace(/\/$/, '') || undefined,
    key: '',
    query: post ? [] : params,
    headers: { ...(post ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...o.headers },
    body,
    creds: o.creds ?? CREDS,
    region: o.region ?? 'cn-beijing-6',
    service: o.service ?? 'sts',
    time: o.time,
    noPayloadHeader: o.noPayloadHeader,
  };
  const signed = signV4(v4, host);
  const res = await rawRequest(url, {
    method: v4.method,
    path: signed.path,
    headers: signed.headers,
    body: o.sendBody ?? body,
  });
  let json = {};
  try {
    json = JSON.parse(res.text);
  } catch {
    // left empty: the test sees the status and text
  }
  return { res, json };
}

/** The temporary credentials of a successful answer, as the tests' V2 client takes them. */
export function sessionCreds(a: StsAnswer): Creds {
  const c = a.json.AssumeRoleResult?.Credentials;
  if (!c) throw new Error(`AssumeRole failed: ${a.res.status} ${a.res.text}`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, securityToken: c.SecurityToken };
}
