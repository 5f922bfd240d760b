/**
 * Browser-style POST Object forms for the emulator's tests: multipart/form-data bodies built by
 * hand (so field order, duplicates and malformed bodies can be tested) and V2 POST policies
 * signed with node:crypto, independently of the emulator's code.
 */
import { randomBytes } from 'node:crypto';
import type { Fixture } from './emulator.js';
import { CREDS, type Creds, hmac, rawRequest, type Res } from './ks3.js';

export interface FormField {
  name: string;
  value: string | Buffer;
  /** makes the part a file input */
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body with the fields in the given order. */
export function multipart(fields: FormField[], boundary = `----ks3test${randomBytes(8).toString('hex')}`) {
  const parts: Buffer[] = [];
  for (const f of fields) {
    const disposition = `form-data; name="${f.name}"${f.filename === undefined ? '' : `; filename="${f.filename}"`}`;
    const type = f.contentType ? `\r\nContent-Type: ${f.contentType}` : '';
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`),
      Buffer.from(f.value),
    );
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Base64 policy and its signature: Base64(HMAC-SHA1(secret, Base64 policy)). */
export function signPolicy(doc: unknown, creds: Creds = CREDS) {
  const policy = Buffer.from(JSON.stringify(doc), 'utf8').toString('base64');
  return { policy, signature: hmac(creds.secretAccessKey, policy) };
}

/** The signed fields of a form: KSSAccessKeyId, Policy, Signature. */
export function signedFields(doc: unknown, creds: Creds = CREDS): FormField[] {
  const { policy, signature } = signPolicy(doc, creds);
  return [
    { name: 'KSSAccessKeyId', value: creds.accessKeyId },
    { name: 'Policy', value: policy },
    { name: 'Signature', value: signature },
  ];
}

/** An expiration an hour from now. */
export const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

export interface PostOptions {
  /** virtual-hosted: POST / with Host `<bucket>.localhost` */
  vhost?: boolean;
  headers?: Record<string, string>;
  /** send this body instead of building one */
  raw?: { body: Buffer; contentType: string };
}

/** Sends a form to the bucket, unsigned (the form carries the authentication). */
export function postForm(f: Fixture, bucket: string, fields: FormField[], o: PostOptions = {}): Promise<Res> {
  const { body, contentType } = o.raw ?? multipart(fields);
  const port = new URL(f.url).port;
  return rawRequest(f.url, {
    method: 'POST',
    path: o.vhost ? '/' : `/${bucket}`,
    host: o.vhost ? `${bucket}.localhost:${port}` : undefined,
    headers: { 'Content-Type': contentType, ...o.headers },
    body,
  });
}
