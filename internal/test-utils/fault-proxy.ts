/**
 * A loopback fault-injection proxy for reliability tests and the soak: it forwards HTTP
 * requests to an upstream server (the emulator) and, per request, injects one fault chosen by a
 * seeded generator (or scripted by a test). Every fault is applied where it hurts: answers that
 * are lost are lost *after* the upstream did the work, and cut uploads never reach the upstream
 * whole, so a test knows what the server saw. Counters record the faults actually applied.
 */
import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The faults, by where they strike. */
export const FAULT_KINDS = [
  /** The upstream answered; the client's connection is reset before any byte of the answer. */
  'reset-before-headers',
  /** The request body is cut: half of it reaches the upstream, then both sides are reset. */
  'reset-upload',
  /** Headers and half of the body reach the client, then its connection is reset. */
  'reset-download',
  /** Headers and part of the body, then a clean close (FIN) short of Content-Length. */
  'truncate',
  /** 500 InternalError, not forwarded. */
  'error-500',
  /** 503 ServiceUnavailable without Retry-After, not forwarded. */
  'error-503',
  /** 503 SlowDown with Retry-After in seconds (0 or 1, sometimes 3600: beyond any sane wait). */
  'retry-after-seconds',
  /** 503 SlowDown with Retry-After as an HTTP date about a second ahead. */
  'retry-after-date',
  /** 429 TooManyRequests, not forwarded. */
  'throttle-429',
  /** Forwarded and done upstream, then answered 502 BadGateway (a gateway that lost the answer). */
  'gateway-502',
  /** The answer trickles: small chunks with pauses (it completes). */
  'drip',
  /** The upstream answered; the client gets nothing until it gives up (past its timeout). */
  'stall',
  /**
   * The upstream answered with an XML document; the client gets the status and an HTML page
   * instead (a portal or gateway in the way). Answers without an XML body pass untouched.
   */
  'garble',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The report's groups of fault kinds. */
export const FAULT_GROUP: Record<FaultKind, 'reset' | '5xx' | '429' | 'truncated' | 'slow drip' | 'stall' | 'garbled'> =
  {
    'reset-before-headers': 'reset',
    'reset-upload': 'reset',
    'reset-download': 'reset',
    truncate: 'truncated',
    'error-500': '5xx',
    'error-503': '5xx',
    'retry-after-seconds': '5xx',
    'retry-after-date': '5xx',
    'throttle-429': '429',
    'gateway-502': '5xx',
    drip: 'slow drip',
    stall: 'stall',
    garble: 'garbled',
  };

/** What a fault decision sees of a request. */
export interface ProxyRequest {
  /** 1-based sequence number. */
  n: number;
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingMessage['headers'];
}

export interface ScriptedFault {
  kind: FaultKind;
  match?: (r: ProxyRequest) => boolean;
  /** Matching requests it applies to (default 1). */
  times?: number;
}

export interface FaultProxyOptions {
  /** Upstream origin, `http://127.0.0.1:PORT`. */
  target: string;
  /** Seed of the fault generator (default 1): the same seed gives the same sequence of decisions. */
  seed?: number;
  /** Probability of each fault per request (their sum at most 1). */
  rates?: Partial<Record<FaultKind, number>>;
  /** Requests that may get a random fault (default: all). Scripted faults ignore it. */
  eligible?: (r: ProxyRequest) => boolean;
  /** Longest hold of a stall before the proxy resets it itself (default 10 s). */
  stallMs?: number;
  /** Sees every request with the fault applied to it (the log keeps only the last 10,000). */
  observe?: (r: ProxyRequest & { fault: FaultKind | 'none' }) => void;
}

export interface FaultProxy {
  readonly url: string;
  /** Requests received. */
  readonly requests: number;
  /** Faults applied, by kind. */
  readonly counts: Readonly<Record<FaultKind, number>>;
  /** The last 10,000 requests with the fault applied to each (`none` for a clean pass). */
  readonly log: readonly (ProxyRequest & { fault: FaultKind | 'none' })[];
  /** Queues a fault for the next matching request(s); scripted faults win over random ones. */
  inject(f: ScriptedFault): void;
  setRates(rates: Partial<Record<FaultKind, number>>): void;
  close(): Promise<void>;
}

/** A small seeded generator (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer']);
const forwardable = (h: IncomingMessage['headers']): IncomingMessage['headers'] =>
  Object.fromEntries(Object.entries(h).filter(([k]) => !HOP.has(k)));

const ERRORS: Partial<Record<FaultKind, [number, string]>> = {
  'error-500': [500, 'InternalError'],
  'error-503': [503, 'ServiceUnavailable'],
  'retry-after-seconds': [503, 'SlowDown'],
  'retry-after-date': [503, 'SlowDown'],
  'throttle-429': [429, 'TooManyRequests'],
  'gateway-502': [502, 'BadGateway'],
};

const reset = (s: Socket | null | undefined): void => {
  if (s && !s.destroyed) s.resetAndDestroy();
};

/** Starts a proxy on 127.0.0.1:0 in front of `target`. */
export async function startFaultProxy(o: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(o.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const random = seededRandom(o.seed ?? 1);
  let rates: Partial<Record<FaultKind, number>> = { ...o.rates };
  const scripted: (ScriptedFault & { left: number })[] = [];
  const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const log: (ProxyRequest & { fault: FaultKind | 'none' })[] = [];
  const sockets = new Set<Socket>();
  let requests = 0;

  const choose = (r: ProxyRequest): FaultKind | 'none' => {
    const s = scripted.find((f) => f.left > 0 && (f.match?.(r) ?? true));
    if (s) {
      s.left--;
      return s.kind;
    }
    // One draw per request whether or not it is eligible, so the sequence depends only on the seed
    // and the order of requests.
    let x = random();
    if (o.eligible && !o.eligible(r)) return 'none';
    for (const k of FAULT_KINDS) {
      x -= rates[k] ?? 0;
      if (x < 0) return k;
    }
    return 'none';
  };

  const answerError = (req: IncomingMessage, res: ServerResponse, kind: FaultKind): void => {
    const [status, code] = ERRORS[kind]!;
    const headers: Record<string, string> = { 'content-type': 'application/xml' };
    if (kind === 'retry-after-seconds') headers['retry-after'] = random() < 0.1 ? '3600' : random() < 0.5 ? '0' : '1';
    if (kind === 'retry-after-date') headers['retry-after'] = new Date(Date.now() + 1000).toUTCString();
    const resource = req.url?.replace(/[<&]/g, '');
    const body =
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected ${kind}</Message>` +
      `<Resource>${resource}</Resource><RequestId>fault-proxy</RequestId></Error>`;
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(status, headers).end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const r: ProxyRequest = { n: ++requests, method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    let kind = choose(r);
    const record = (k: FaultKind | 'none'): void => {
      if (k !== 'none') counts[k]++;
      const entry = { ...r, fault: k };
      log.push(entry);
      if (log.length > 10_000) log.shift();
      o.observe?.(entry);
    };
    const client = req.socket;
    const declared = Number(req.headers['content-length'] ?? 0);
    const hasBody = declared > 0 || req.headers['transfer-encoding'] !== undefined;

    if (kind !== 'none' && kind in ERRORS && kind !== 'gateway-502') {
      const error = kind;
      record(error);
      // Read the request first, so the client is not cut off while it sends.
      req.resume();
      req.on('end', () => answerError(req, res, error));
      return;
    }
    if (kind === 'reset-upload' && !hasBody) {
      record(kind);
      reset(client);
      return;
    }
    const up = httpRequest({
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: forwardable(req.headers),
      agent,
    });
    up.on('error', () => reset(client));
    // The client went away (it gave up, or a fault reset it): so does the upstream request.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    if (kind === 'reset-upload') {
      record(kind);
      // Forward half of the body (at least one byte short of all of it), then cut both sides.
      const limit = declared > 0 ? Math.min(Math.floor(declared / 2), declared - 1) : 1024;
      let sent = 0;
      req.on('data', (chunk: Buffer) => {
        const take = Math.max(0, Math.min(chunk.length, limit - sent));
        if (take) up.write(chunk.subarray(0, take));
        sent += take;
        if (sent >= limit) {
          up.destroy();
          reset(client);
        }
      });
      req.on('end', () => {
        up.destroy();
        reset(client);
      });
      return;
    }
    req.pipe(up);
    up.on('response', (ures) => {
      const status = ures.statusCode ?? 502;
      const headers = forwardable(ures.headers);
      const bodyless =
        req.method === 'HEAD' || status === 204 || status === 304 || ures.headers['content-length'] === '0';
      if ((kind === 'reset-download' || kind === 'truncate' || kind === 'drip') && bodyless)
        kind = 'reset-before-headers';
      if (kind === 'garble' && (bodyless || !/xml/.test(String(ures.headers['content-type'])))) kind = 'none';
      if (kind === 'none') {
        record(kind);
        res.writeHead(status, headers);
        ures.pipe(res);
        return;
      }
      record(kind);
      const chunks: Buffer[] = [];
      ures.on('data', (c: Buffer) => chunks.push(c));
      ures.on('end', () => {
        // The upstream is done: the work happened whatever the client gets now.
        const body = Buffer.concat(chunks);
        if (kind === 'reset-before-headers') return reset(client);
        if (kind === 'gateway-502') return answerError(req, res, kind);
        if (kind === 'stall') {
          const t = setTimeout(() => reset(client), o.stallMs ?? 10_000);
          res.once('close', () => clearTimeout(t));
          return;
        }
        if (kind === 'garble') {
          const page = Buffer.from('<html><body>Please sign in to the network</body></html>');
          headers['content-type'] = 'text/html';
          headers['content-length'] = String(page.length);
          delete headers['transfer-encoding'];
          return void res.writeHead(status, headers).end(page);
        }
        res.writeHead(status, headers);
        if (kind === 'drip') return drip(res, body);
        // reset-download and truncate: part of the body, then the connection ends. The reset
        // waits a moment: a reset drops what the client has not read yet, and the fault is
        // meant to strike mid-body, not before the headers.
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
          if (kind === 'truncate') client.end();
          else setTimeout(() => reset(client), 15);
        });
      });
    });
  };

  const server = createServer({ keepAliveTimeout: 5000 }, handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_e, s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    counts,
    log,
    inject(f) {
      scripted.push({ ...f, left: f.times ?? 1 });
    },
    setRates(next) {
      rates = { ...next };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends `body` in 256-byte chunks 2 ms apart (at most 16 of them, then the rest at once). */
function drip(res: ServerResponse, body: Buffer): void {
  let at = 0;
  let n = 0;
  const next = (): void => {
    if (res.destroyed) return;
    if (at >= body.length) return void res.end();
    const size = n++ < 16 ? 256 : body.length - at;
    res.write(body.subarray(at, at + size));
    at += size;
    setTimeout(next, 2);
  };
  next();
}
