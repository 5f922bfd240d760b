/** node:http ↔ web `Request → Response` handlers (the signing handler, or any other). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * Turns a `Request → Response` handler into a node:http request listener. The request body is
 * streamed to the handler; a handler that throws answers `500` (without the error's text).
 * @example
 * http.createServer(toNodeListener(createSigningHandler({ … }))).listen(8080);
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response> | Response,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      const method = req.method ?? 'GET';
      const hasBody = method !== 'GET' && method !== 'HEAD';
      const host = (req.headers.host ?? 'localhost').replace(/[^\w.:[\]-]/g, '');
      const init: RequestInit & { duplex?: 'half' } = { method, headers };
      if (hasBody) {
        init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
        init.duplex = 'half';
      }
      const response = await handler(new Request(`http://${host}${req.url ?? '/'}`, init));
      const out: Record<string, string | string[]> = Object.fromEntries(response.headers);
      const cookies = response.headers.getSetCookie();
      if (cookies.length) out['set-cookie'] = cookies;
      res.writeHead(response.status, out);
      if (!response.body || method === 'HEAD') {
        res.end();
        return;
      }
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      res.end();
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    }
  };
}
