/**
 * The V4 vectors (internal/vectors/v4-signing.json, KS3's own Go SDK signer) as requests to
 * replay against a running emulator, and the single-byte changes that must break them.
 */
import { readFileSync, rmSync } from 'node:fs';
import { type Emulator, type Options, start, tempDir } from './emulator.js';
import { type Creds, type RawRequest, send } from './ks3.js';

export interface V4Case {
  id: string;
  verifiable: boolean;
  input: {
    access_key_id: string;
    secret_access_key: string;
    security_token: string;
    endpoint: string;
    region: string;
    namespace: 'KSS4' | 'AWS4';
    mode: 'header' | 'presign' | 'share-url' | 'presign-public-api';
    method: string | null;
    bucket: string;
    key: string;
    params: Record<string, string | null>;
    body?: string | null;
    body_kind?: string;
    time: string;
    sdk_config: { ServiceName: string };
  };
  output: {
    signed_headers?: string;
    canonical_request: string;
    request?: { method: string; request_target: string; headers: Record<string, string>; body_sent: string | null };
    url?: string;
    headers_client_must_send?: Record<string, string>;
  };
}

export function loadV4Cases(): V4Case[] {
  const file = new URL('../../../../internal/vectors/v4-signing.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { cases: V4Case[] }).cases;
}

/** A path as a request line can carry it: bytes outside printable ASCII percent-encoded. */
function wirePath(path: string): string {
  let out = '';
  for (const ch of path) {
    if (/^[!-~]$/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export interface Replay {
  method: string;
  path: string;
  query: string;
  headers: [string, string][];
  body?: string;
}

/** The request a case describes, as sent on the wire. */
export function replayOf(c: V4Case): Replay {
  const req = c.output.request;
  if (c.input.mode === 'header' && req) {
    const q = req.request_target.indexOf('?');
    const body = req.body_sent ?? undefined;
    // The streamed case was captured with `Content-Length: 0` next to its body; send the real
    // length (Content-Length is not signed).
    const length = String(Buffer.byteLength(body ?? ''));
    return {
      method: req.method,
      path: q < 0 ? req.request_target : req.request_target.slice(0, q),
      query: q < 0 ? '' : req.request_target.slice(q + 1),
      headers: Object.entries(req.headers).map(([k, v]) => [k, k.toLowerCase() === 'content-length' ? length : v]),
      body,
    };
  }
  // Presigned and share URLs: the SDK emits raw keys (spaces, UTF-8); encode them for the wire.
  const url = c.output.url ?? '';
  const afterHost = url.slice(url.indexOf('/', url.indexOf('//') + 2));
  const q = afterHost.indexOf('?');
  const method = c.input.method ?? 'GET';
  const headers: [string, string][] = Object.entries(c.output.headers_client_must_send ?? {});
  if (!headers.some(([k]) => k.toLowerCase() === 'host')) headers.push(['Host', new URL(url).host]);
  return {
    method,
    path: wirePath(afterHost.slice(0, q)),
    query: afterHost.slice(q + 1),
    headers,
    body: method === 'PUT' ? 'presigned body' : undefined,
  };
}

export function toRaw(r: Replay): RawRequest {
  return { method: r.method, path: r.query ? `${r.path}?${r.query}` : r.path, headers: r.headers, body: r.body };
}

/** `s` with the character at `i` replaced by a different one of the same kind. */
function flip(s: string, i: number): string {
  const c = s[i] ?? '';
  const next = /[0-9]/.test(c)
    ? String((Number(c) + 1) % 10)
    : /[a-f]/.test(c)
      ? c === 'f'
        ? 'a'
        : 'f'
      : c === 'x'
        ? 'y'
        : 'x';
  return s.slice(0, i) + next + s.slice(i + 1);
}

export interface Mutation {
  what: string;
  request: Replay;
}

/**
 * Single-byte changes that must each be refused: the signature; a signed header value (one that
 * does not move the clock, else the host); the path and a query value (a share URL signs only
 * its X-* parameters, so there the expiry and the policy instead).
 */
export function mutationsOf(c: V4Case): Mutation[] {
  const base = replayOf(c);
  const out: Mutation[] = [];
  const share = c.input.mode === 'share-url';
  const withHeader = (name: string, change: (v: string) => string): Replay => ({
    ...base,
    headers: base.headers.map(([k, v]) => [k, k.toLowerCase() === name ? change(v) : v]),
  });
  const params = base.query.split('&').filter(Boolean);
  const withParam = (match: (name: string) => boolean, change: (v: string) => string): Replay => ({
    ...base,
    query: params
      .map((item) => {
        const eq = item.indexOf('=');
        return eq > 0 && match(item.slice(0, eq)) ? `${item.slice(0, eq)}=${change(item.slice(eq + 1))}` : item;
      })
      .join('&'),
  });
  const host = (): Mutation => ({
    what: 'signed header host',
    request: withHeader('host', (v) =>
      v.replace(/^([^.]*?)(.)\./, (_m, a: string, b: string) => `${a}${b === 'x' ? 'y' : 'x'}.`),
    ),
  });
  if (c.input.mode === 'header') {
    out.push({ what: 'signature', request: withHeader('authorization', (v) => flip(v, v.length - 1)) });
    const signed = (c.output.signed_headers ?? '').split(';');
    const target = signed.find((h) => !/^(host|x-(kss|amz)-(date|content-sha256))$/.test(h));
    out.push(
      target ? { what: `signed header ${target}`, request: withHeader(target, (v) => flip(v, v.length - 1)) } : host(),
    );
  } else {
    out.push({
      what: 'signature',
      request: withParam(
        (n) => /^X-(Kss|Amz)-Signature$/.test(n),
        (v) => flip(v, 0),
      ),
    });
    if (!share) out.push(host());
  }
  if (!share) {
    out.push({
      what: 'path',
      request: { ...base, path: base.path === '/' ? '/x' : flip(base.path, base.path.length - 1) },
    });
    const business = params.find((p) => p.includes('=') && !/^X-(Kss|Amz)-/.test(p) && !p.endsWith('='));
    if (business) {
      const name = business.slice(0, business.indexOf('='));
      out.push({
        what: `query ${name}`,
        request: withParam(
          (n) => n === name,
          (v) => flip(v, v.length - 1),
        ),
      });
    }
  }
  if (c.input.mode !== 'header') {
    out.push({
      what: 'query X-*-Expires',
      request: withParam(
        (n) => /^X-(Kss|Amz)-Expires$/.test(n),
        (v) => String(Number(v) > 1 ? Number(v) - 1 : 2),
      ),
    });
  }
  if (share) {
    out.push({
      what: 'query X-*-Policy',
      request: withParam(
        (n) => /^X-(Kss|Amz)-Policy$/.test(n),
        (v) => flip(v, 10),
      ),
    });
  }
  return out;
}

/**
 * An emulator for one case: its key, clock, region and endpoint, with the bucket, a source
 * bucket for copies and the object the case reads already there. Closing it removes its data.
 */
export async function emulatorFor(c: V4Case, extra: Options = {}): Promise<Emulator> {
  const { input } = c;
  const creds: Creds = {
    accessKeyId: input.access_key_id,
    secretAccessKey: input.secret_access_key,
    ...(input.security_token ? { securityToken: input.security_token } : {}),
  };
  const dir = tempDir();
  const emu = await start(
    {
      credentials: [creds],
      now: () => Date.parse(input.time),
      region: input.region,
      endpointNames: [new URL(input.endpoint).hostname],
      extraServices: input.sdk_config.ServiceName ? [input.sdk_config.ServiceName] : [],
      callbackTimeoutMs: 200,
      callbackRetries: 0,
      ...extra,
    },
    dir,
  );
  const close = emu.close;
  emu.close = async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  };
  // Set up with V2 and no Date (the emulator's clock is the vector's, not ours).
  const setup = async (r: Parameters<typeof send>[1]) => {
    const res = await send(emu.url, { ...r, creds, date: null });
    if (res.status >= 300) throw new Error(`setup ${r.method} ${r.bucket}/${r.key}: ${res.status} ${res.text}`);
  };
  await setup({ method: 'PUT', bucket: input.bucket, key: '' });
  await setup({ method: 'PUT', bucket: 'srcbucket', key: '' });
  await setup({ method: 'PUT', bucket: 'srcbucket', key: 'src key.txt', body: 'source' });
  if (input.key && ['GET', 'HEAD', 'PUT'].includes(input.method ?? 'GET')) {
    await setup({ method: 'PUT', bucket: input.bucket, key: input.key, body: 'existing object' });
  }
  return emu;
}
