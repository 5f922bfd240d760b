/**
 * A small V4 signer for the emulator's tests, written from ks3-v4.md §1.2 and AWS's SigV4
 * description with node:crypto, sharing no code with the emulator or the SDK. Both namespaces,
 * Authorization header and presigned query.
 */
import { createHash, createHmac } from 'node:crypto';
import { rawRequest, type Creds, type Res } from './ks3.js';

export type Ns = 'KSS4' | 'AWS4';
const NS = {
  KSS4: { alg: 'KSS4-HMAC-SHA256', prefix: 'KSS4', service: 'ks3', term: 'kss4_request', h: 'x-kss-', q: 'X-Kss-' },
  AWS4: { alg: 'AWS4-HMAC-SHA256', prefix: 'AWS4', service: 's3', term: 'aws4_request', h: 'x-amz-', q: 'X-Amz-' },
} as const;

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** RFC 3986: unreserved kept, the rest %XX of UTF-8; `/` kept in paths. */
export function enc(s: string, path = false): string {
  const e = encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return path ? e.replace(/%2F/g, '/') : e;
}

export interface V4Options {
  ns?: Ns;
  method: string;
  /** path-style: `/bucket/key` (key already the decoded text) */
  bucket?: string;
  key?: string;
  /** decoded query pairs */
  query?: [string, string][];
  headers?: Record<string, string>;
  body?: string | Buffer;
  creds: Creds;
  region?: string;
  service?: string;
  /** request time, default now */
  time?: Date;
  /** payload hash line, default the body's SHA-256 (header mode) */
  payload?: string;
  /** header names to sign besides host, the date, the payload hash and x-*-* headers */
  sign?: string[];
  /** presigned URL instead of the Authorization header, with this expiry in seconds */
  presign?: number;
  /** where a presigned URL carries the token: X-*-Security-Token (default) or security-token */
  tokenParam?: 'namespaced' | 'security-token';
  /** mutate the Credential scope for negative tests */
  scope?: (parts: string[]) => string[];
  /** collapse inner whitespace of header values (AWS) instead of keeping it (KS3 Go SDK) */
  collapse?: boolean;
  /** header mode: leave out the x-*-content-sha256 header (Kingsoft OpenAPI signers, e.g. STS) */
  noPayloadHeader?: boolean;
}

export interface Signed {
  path: string;
  headers: [string, string][];
  body?: string | Buffer;
  canonical: string;
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** Builds the signed request (does not send it). */
export function signV4(o: V4Options, host: string): Signed {
  const n = NS[o.ns ?? 'KSS4'];
  const time = stamp(o.time ?? new Date());
  const date = time.slice(0, 8);
  const scopeParts = o.scope?.([date, o.region ?? 'BEIJING', o.service ?? n.service, n.term]) ?? [
    date,
    o.region ?? 'BEIJING',
    o.service ?? n.service,
    n.term,
  ];
  const scope = scopeParts.join('/');
  const path = o.bucket ? `/${o.bucket}/${o.key ?? ''}` : '/';
  const headers: Record<string, string> = { host, ...o.headers };
  const query: [string, string][] = [...(o.query ?? [])];
  const token = o.creds.securityToken;
  let payload = o.payload ?? (o.presign ? 'UNSIGNED-PAYLOAD' : sha256(o.body ?? ''));
  if (o.presign === undefined) {
    headers[`${n.h}date`] = time;
    if (!o.noPayloadHeader) headers[`${n.h}content-sha256`] = payload;
    if (token) headers[`${n.h}security-token`] = token;
  }
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const signed = Object.keys(lower)
    .filter((k) => k === 'host' || k === 'content-type' || k.startsWith(n.h) || (o.sign ?? []).includes(k))
    .sort();
  if (o.presign !== undefined) {
    query.push(
      [`${n.q}Algorithm`, n.alg],
      [`${n.q}Credential`, `${o.creds.accessKeyId}/${scope}`],
      [`${n.q}Date`, time],
      [`${n.q}Expires`, String(o.presign)],
      [`${n.q}SignedHeaders`, signed.join(';')],
    );
    if (token) query.push([o.tokenParam === 'security-token' ? 'security-token' : `${n.q}Security-Token`, token]);
    payload = o.payload ?? 'UNSIGNED-PAYLOAD';
  }
  const canonicalQuery = query
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .sort()
    .join('&');
  const value = (v: string) => (o.collapse ? v.trim().replace(/\s+/g, ' ') : v.trim());
  const canonical = [
    o.method,
    enc(path, true),
    canonicalQuery,
    signed.map((k) => `${k}:${value(lower[k] ?? '')}\n`).join(''),
    signed.join(';'),
    payload,
  ].join('\n');
  const sts = [n.alg, time, scope, sha256(canonical)].join('\n');
  let key = Buffer.from(n.prefix + o.creds.secretAccessKey);
  for (const part of scopeParts) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(sts).digest('hex');
  let target = enc(path, true);
  if (o.presign !== undefined) query.push([`${n.q}Signature`, signature]);
  else {
    const credential = `${o.creds.accessKeyId}/${scope}`;
    const list = signed.join(';');
    headers.authorization = `${n.alg} Credential=${credential}, SignedHeaders=${list}, Signature=${signature}`;
  }
  if (query.length) target += `?${query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}`;
  return { path: target, headers: Object.entries(headers), body: o.body, canonical };
}

/** Signs and sends a V4 request to the emulator at `url`. */
export function sendV4(url: string, o: V4Options): Promise<Res> {
  const host = new URL(url).host;
  const s = signV4(o, host);
  return rawRequest(url, { method: o.method, path: s.path, headers: s.headers, body: s.body });
}
