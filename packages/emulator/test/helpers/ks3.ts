/**
 * A tiny independent KS3 V2 client for the emulator's tests: node:crypto HMAC-SHA1 and node:http
 * (which sends the path verbatim, unlike fetch). Written from the protocol document, sharing no
 * code with the emulator or the SDK.
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { Readable } from 'node:stream';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  securityToken?: string;
}

export const CREDS: Creds = { accessKeyId: 'AKLTemulatorTest0001', secretAccessKey: 'emulator/test+secret=0001' };
export const OTHER: Creds = { accessKeyId: 'AKLTemulatorTest0002', secretAccessKey: 'emulator/test+secret=0002' };

const SUB_RESOURCES = new Set(
  (
    'acl cors defaultObjectAcl location logging partNumber policy requestPayment torrent versioning versionId versions ' +
    'website uploads uploadId response-content-type response-content-language response-expires response-cache-control ' +
    'response-content-disposition response-content-encoding delete lifecycle tagging restore notification thumbnail ' +
    'queryadp adp asyntask querytask domain storageClass websiteConfig compose ' +
    // KS3's own SDKs also sign these (Append Object, PUT Fetch, bucket configurations, a presigned token).
    'append position fetch crr mirror encryption security-token'
  ).split(' '),
);

/** Encoding K of §1.5: the path the reference sends and signs. */
export function encodeKey(key: string): string {
  let out = '';
  for (const b of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9_.\-~*/]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out.replace(/\/\//g, '/%2F');
}

/** Percent-encoding for query values (Q of §1.5). */
export function q(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeValue(v: string): string {
  return decodeURIComponent(v.replace(/\+/g, ' '));
}

/** CanonicalizedResource of §2.4 for a path and raw query (values decoded, AWS rule). */
export function resourceOf(path: string, rawQuery: string): string {
  const subs = rawQuery
    .split('&')
    .filter(Boolean)
    .map((item) => {
      const eq = item.indexOf('=');
      return eq < 0
        ? { name: item, value: '' }
        : { name: decodeValue(item.slice(0, eq)), value: decodeValue(item.slice(eq + 1)) };
    })
    .filter((p) => SUB_RESOURCES.has(p.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return subs.length ? `${path}?${subs.map((p) => (p.value ? `${p.name}=${p.value}` : p.name)).join('&')}` : path;
}

export function stringToSign(
  method: string,
  headers: Record<string, string>,
  dateLine: string,
  resource: string,
): string {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) lower.set(k.toLowerCase(), v);
  const kss = [...lower.keys()]
    .filter((k) => k.startsWith('x-kss-'))
    .sort()
    .map((k) => `${k}:${lower.get(k)}\n`)
    .join('');
  return `${method}\n${lower.get('content-md5') ?? ''}\n${lower.get('content-type') ?? ''}\n${dateLine}\n${kss}${resource}`;
}

export function hmac(secret: string, sts: string): string {
  return createHmac('sha1', Buffer.from(secret, 'utf8')).update(sts, 'utf8').digest('base64');
}

export function md5b64(data: Buffer | string): string {
  return createHash('md5').update(data).digest('base64');
}

export function md5hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

export interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  text: string;
}

export interface RawRequest {
  method: string;
  /** request-target exactly as sent */
  path: string;
  headers?: Record<string, string> | [string, string][];
  body?: Buffer | string | Readable;
  host?: string;
  /** default: a new connection per request */
  agent?: http.Agent;
}

/** Sends a request with node:http (raw path, exact headers) and reads the whole answer. */
export function rawRequest(baseUrl: string, r: RawRequest): Promise<Res> {
  const u = new URL(baseUrl);
  const headers: [string, string][] = Array.isArray(r.headers) ? [...r.headers] : Object.entries(r.headers ?? {});
  // node:http adds no Host when headers come as a list; HTTP/1.1 requires one.
  if (!headers.some(([k]) => k.toLowerCase() === 'host')) headers.unshift(['Host', r.host ?? u.host]);
  const fixed = typeof r.body === 'string' || Buffer.isBuffer(r.body);
  if (fixed && !headers.some(([k]) => k.toLowerCase() === 'content-length'))
    headers.push(['Content-Length', String(Buffer.byteLength(r.body as string | Buffer))]);
  const flat = headers.flat();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, method: r.method, path: r.path, headers: flat, agent: r.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body,
            text: body.toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (r.body === undefined || typeof r.body === 'string' || Buffer.isBuffer(r.body)) req.end(r.body);
    else r.body.pipe(req);
  });
}

export interface SignedRequest {
  method: string;
  bucket?: string;
  key?: string;
  /** raw query string without `?` */
  query?: string;
  headers?: Record<string, string>;
  body?: Buffer | string | Readable;
  /** Date header value; null sends none */
  date?: string | null;
  creds?: Creds | null;
  /** virtual-host style: Host `<bucket>.<vhost>` */
  vhost?: string;
  agent?: http.Agent;
}

/** Builds, signs (unless creds is null) and sends a request. */
export function send(baseUrl: string, r: SignedRequest): Promise<Res> {
  const bucket = r.bucket ?? '';
  const keyPath = r.key === undefined ? '' : encodeKey(r.key);
  const resourcePath = bucket ? `/${bucket}/${keyPath}` : '/';
  const path = r.vhost ? `/${keyPath}` : resourcePath;
  const query = r.query ?? '';
  const headers: Record<string, string> = { ...r.headers };
  const creds = r.creds === undefined ? CREDS : r.creds;
  if (creds) {
    const date = r.date === undefined ? new Date().toUTCString() : r.date;
    if (date !== null) headers.Date = date;
    if (creds.securityToken) headers['x-kss-security-token'] = creds.securityToken;
    const sts = stringToSign(r.method, headers, date ?? '', resourceOf(resourcePath, query));
    headers.Authorization = `KSS ${creds.accessKeyId}:${hmac(creds.secretAccessKey, sts)}`;
  }
  if (r.body === undefined && !('Content-Length' in headers)) headers['Content-Length'] = '0';
  if (typeof r.body === 'string' || Buffer.isBuffer(r.body))
    headers['Content-Length'] = String(Buffer.byteLength(r.body));
  return rawRequest(baseUrl, {
    method: r.method,
    path: query ? `${path}?${query}` : path,
    headers,
    body: r.body,
    host: r.vhost ? `${bucket}.${r.vhost}` : undefined,
    agent: r.agent,
  });
}

/** A presigned URL path+query (§2.7) signed over the K-encoded path, as the TS client should. */
export function presign(opts: {
  method: string;
  bucket: string;
  key: string;
  expires: number;
  creds?: Creds;
  headers?: Record<string, string>;
  /** extra raw query items, e.g. `x-kss-acl=public-read` or `response-content-type=...` */
  extra?: string[];
}): string {
  const creds = opts.creds ?? CREDS;
  const path = `/${opts.bucket}/${encodeKey(opts.key)}`;
  const extra = opts.extra ?? [];
  const headers: Record<string, string> = { ...opts.headers };
  for (const item of extra) {
    const eq = item.indexOf('=');
    const name = decodeValue(item.slice(0, eq));
    if (name.startsWith('x-kss-')) headers[name] = decodeValue(item.slice(eq + 1));
  }
  const sts = stringToSign(opts.method, headers, String(opts.expires), resourceOf(path, extra.join('&')));
  const sig = encodeURIComponent(hmac(creds.secretAccessKey, sts));
  return `${path}?Signature=${sig}&Expires=${opts.expires}&KSSAccessKeyId=${creds.accessKeyId}${extra.map((e) => `&${e}`).join('')}`;
}

/** Text of every `<tag>…</tag>` in an XML string (entity-decoded for the common ones). */
export function xmlAll(xml: string, tag: string): string[] {
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  return [...xml.matchAll(re)].map((m) =>
    (m[1] ?? '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

export function xml1(xml: string, tag: string): string | undefined {
  return xmlAll(xml, tag)[0];
}

/** The `<Code>` of an error body. */
export function code(res: Res): string | undefined {
  return xml1(res.text, 'Code');
}
