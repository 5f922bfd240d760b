/**
 * A plain `node:http` server that records every request exactly as it arrived (request line,
 * raw header list in order, body bytes) and answers from a small route table. It is what the
 * wire tests compare against: what fetch really sends is part of the contract, and this server
 * knows nothing about KS3, so nothing the SDK or the emulator does can hide a header.
 *
 * Browsers reach it cross-origin: it answers CORS preflights (recorded apart from the requests)
 * and exposes every response header unless a route says otherwise.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer. `bodyBase64` carries bytes (e.g. gzip) through the browser command channel. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  bodyBase64?: string;
  /** Response headers left out of Access-Control-Expose-Headers (lower case). */
  hideFromCors?: string[];
}

/** A route: the first one whose method and path pattern match (and that has uses left) answers. */
export interface Route {
  method?: string;
  /** A regular expression (source text) matched against the request target (path and query). */
  path?: string;
  /** How many requests it answers (default: any number). */
  times?: number;
  reply: Reply;
}

/** A request as it arrived. */
export interface RecordedRequest {
  /** `PUT /bucket/key?x HTTP/1.1` */
  requestLine: string;
  method: string;
  /** Path and query as sent. */
  target: string;
  /** Header names and values in the order and case they arrived. */
  rawHeaders: [string, string][];
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  bodyLength: number;
  bodyBase64: string;
}

export interface RecordingServerOptions {
  routes?: Route[];
  /** The answer when no route matches; default 200 with an ETag and a request id, no body. */
  fallback?: Reply;
}

export interface RecordingServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** CORS preflights, kept apart from `requests`. */
  preflights: RecordedRequest[];
  /** Replaces the route table. */
  setRoutes(routes: Route[], fallback?: Reply): void;
  close(): Promise<void>;
}

const DEFAULT_REPLY: Reply = { status: 200, headers: { etag: '"d41d8cd98f00b204e9800998ecf8427e"' } };

function record(req: IncomingMessage, body: Buffer): RecordedRequest {
  const raw: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) raw.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const headers: Record<string, string> = {};
  for (const [name, value] of raw) {
    const n = name.toLowerCase();
    headers[n] = headers[n] === undefined ? value : `${headers[n]}, ${value}`;
  }
  return {
    requestLine: `${req.method} ${req.url} HTTP/${req.httpVersion}`,
    method: req.method ?? '',
    target: req.url ?? '',
    rawHeaders: raw,
    headers,
    bodyLength: body.length,
    bodyBase64: body.toString('base64'),
  };
}

function answer(res: ServerResponse, reply: Reply, origin: string | undefined, n: number): void {
  const body = reply.bodyBase64 !== undefined ? Buffer.from(reply.bodyBase64, 'base64') : Buffer.from(reply.body ?? '');
  const headers: Record<string, string> = {
    'x-kss-request-id': `rec-${n}`,
    'content-length': String(body.length),
    ...reply.headers,
  };
  if (origin) {
    const hidden = new Set(reply.hideFromCors ?? []);
    headers['access-control-allow-origin'] = origin;
    headers['access-control-expose-headers'] = Object.keys(headers)
      .filter((h) => !hidden.has(h) && !h.startsWith('access-control-'))
      .join(', ');
    headers.vary = 'Origin';
  }
  res.writeHead(reply.status ?? 200, headers);
  res.end(body);
}

/** Starts a recording server on 127.0.0.1:0. */
export async function startRecordingServer(options: RecordingServerOptions = {}): Promise<RecordingServer> {
  let routes = (options.routes ?? []).map((r) => ({ ...r }));
  let fallback = options.fallback ?? DEFAULT_REPLY;
  const requests: RecordedRequest[] = [];
  const preflights: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = record(req, Buffer.concat(chunks));
      const origin = req.headers.origin;
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        preflights.push(rec);
        res.writeHead(204, {
          'access-control-allow-origin': origin ?? '*',
          'access-control-allow-methods': 'GET, PUT, POST, DELETE, HEAD',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
          'access-control-max-age': '0',
        });
        res.end();
        return;
      }
      requests.push(rec);
      const route = routes.find(
        (r) =>
          (r.method === undefined || r.method === req.method) &&
          (r.path === undefined || new RegExp(r.path).test(req.url ?? '')) &&
          (r.times === undefined || r.times > 0),
      );
      if (route?.times !== undefined) route.times--;
      answer(res, route?.reply ?? fallback, origin, requests.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    preflights,
    setRoutes(next, fb) {
      routes = next.map((r) => ({ ...r }));
      if (fb) fallback = fb;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Servers started for browser pages, by id (the Node side of the `ks3Recorder` command).
const servers = new Map<number, RecordingServer>();
let nextId = 1;

/** The Node side of the `ks3Recorder` browser command (vitest.config.ts; see recorder.ts). */
export async function recorderCommand(action: string, id: number, arg?: unknown): Promise<unknown> {
  if (action === 'start') {
    const s = await startRecordingServer(arg as RecordingServerOptions);
    const n = nextId++;
    servers.set(n, s);
    return { id: n, url: s.url, port: s.port };
  }
  const s = servers.get(id);
  if (!s) throw new Error(`no recording server ${id}`);
  if (action === 'requests') return s.requests;
  if (action === 'preflights') return s.preflights;
  if (action === 'routes') {
    const { routes, fallback } = arg as { routes: Route[]; fallback?: Reply };
    s.setRoutes(routes, fallback);
    return undefined;
  }
  if (action !== 'close') throw new Error(`unknown recorder action ${action}`);
  servers.delete(id);
  await s.close();
  return undefined;
}
