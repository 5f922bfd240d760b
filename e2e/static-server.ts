/** A tiny static file server on localhost:0 for test pages; serves only the listed folders. */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};
const ROOT = resolve(import.meta.dirname, '..');

export async function startStaticServer(folders: string[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    const file = path.endsWith('/') ? `${path}index.html` : path;
    const full = join(ROOT, file);
    try {
      if (!folders.some((f) => file.startsWith(f)) || !statSync(full).isFile()) throw new Error('not found');
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(full)] ?? 'application/octet-stream' });
    createReadStream(full).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, 'localhost', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
