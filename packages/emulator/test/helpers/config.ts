/** Bucket configuration requests (`?cors`, `?lifecycle`, `?policy`, ...) for the emulator's tests. */
import type { Fixture } from './emulator.js';
import { type Creds, md5b64, type Res } from './ks3.js';

export interface ConfigOptions {
  /** send Content-MD5 (default true) */
  md5?: boolean;
  headers?: Record<string, string>;
  creds?: Creds | null;
}

/** PUT /bucket?<sub> with a body (and its Content-MD5 unless told not to). */
export function putConfig(f: Fixture, bucket: string, sub: string, body: string, o: ConfigOptions = {}): Promise<Res> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.md5 !== false) headers['Content-MD5'] = md5b64(body);
  return f.send({ method: 'PUT', bucket, key: '', query: sub, body, headers, creds: o.creds });
}

export function getConfig(f: Fixture, bucket: string, sub: string, creds?: Creds | null): Promise<Res> {
  return f.send({ method: 'GET', bucket, key: '', query: sub, creds });
}

export function deleteConfig(f: Fixture, bucket: string, sub: string, creds?: Creds | null): Promise<Res> {
  return f.send({ method: 'DELETE', bucket, key: '', query: sub, creds });
}

/** A CORSConfiguration document from rule bodies (inner XML of each CORSRule). */
export function corsDoc(rules: string[], extra = ''): string {
  return `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules
    .map((r) => `<CORSRule>${r}</CORSRule>`)
    .join('')}${extra}</CORSConfiguration>`;
}
