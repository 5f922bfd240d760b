// The web demo: a local KS3 (the emulator, with strict CORS), a bucket whose CORS rules the
// backend sets through putBucketCors, and a small node:http backend that serves the page (built
// on the CDN file, packages/browser/dist/ks3.min.js) and its API. The page's origin
// (http://localhost:PORT) differs from KS3's (http://127.0.0.1:OTHER), so CORS is real.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@ks3/emulator';
import { checkCors, createBucket, createClient, putBucketCors } from '@ks3/node';
import { createApi, credentialsFor, MiB, newVisitorCookie, visitorOf } from './api.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CDN = fileURLToPath(new URL('../../packages/browser/dist/ks3.min.js', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css' };
const PAGES = new Set(['/index.html', '/app.js', '/uploads.js', '/files.js', '/ui.js', '/style.css']);

/** The bucket's CORS rule: the page's origins, the SDK's headers, what the page must read. */
export function corsRules(origins) {
  return [
    {
      id: 'web-demo',
      allowedOrigins: origins,
      allowedMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'content-md5', 'x-kss-*'],
      exposeHeaders: [
        'ETag',
        'x-kss-request-id',
        'x-kss-meta-key',
        'x-kss-meta-iv',
        'x-kss-meta-unencrypted-content-length',
        'x-kss-meta-unencrypted-content-md5',
      ],
      maxAgeSeconds: 600,
    },
  ];
}

function serveFile(res, file, type, csp) {
  res.writeHead(200, {
    'content-type': type,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(csp ? { 'content-security-policy': csp } : {}),
  });
  createReadStream(file).pipe(res);
}

/**
 * Starts everything. Options: port (of the page, default any free one), dataDir (default a
 * temporary one, removed on close), admin (the emulator's fault endpoint, for tests),
 * stsSeconds (lifetime of the page's temporary credentials), quiet.
 */
export async function startDemo({ port = 0, dataDir, admin = false, stsSeconds = 900 } = {}) {
  if (!existsSync(CDN)) throw new Error(`${CDN} is missing: run \`pnpm build\` first`);
  const ownData = !dataDir;
  const data = dataDir ?? mkdtempSync(join(tmpdir(), 'ks3-web-demo-'));
  // A fresh long-term key for this run: only the backend and the emulator know it.
  const keys = {
    accessKeyId: `AKLTdemo${randomBytes(6).toString('hex')}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
  const account = 'web-demo-account';
  const emu = await startEmulator({
    port: 0,
    dataDir: data,
    credentials: [{ ...keys, ownerId: account, displayName: 'web-demo' }],
    quiet: true,
    cors: 'rules',
    admin,
  });
  const region = 'BEIJING';
  const bucket = 'web-demo';
  const owner = createClient({ endpoint: emu.url, region, ...keys });
  await createBucket(owner, { bucket });
  const settings = { endpoint: emu.url, region, bucket, account, keys, stsSeconds, maxSize: 1024 * MiB };
  const api = createApi(settings);
  // Check once that the STS hands out credentials (fails fast on a misconfiguration; also warms
  // the code path, so the first page load is not the one that pays for it).
  await credentialsFor(settings, '0000000000000000');
  const emuOrigin = new URL(emu.url).origin;
  const csp = `default-src 'self'; connect-src 'self' ${emuOrigin}; img-src 'self' data: blob:; object-src 'none'`;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      if (await api(req, res, path)) return;
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
      if (path === '/' || path === '/index.html') {
        if (!visitorOf(req.headers.cookie)) res.setHeader('set-cookie', newVisitorCookie().header);
        return serveFile(res, join(HERE, 'public/index.html'), TYPES['.html'], csp);
      }
      if (PAGES.has(path)) return serveFile(res, join(HERE, 'public', path), TYPES[extname(path)]);
      if (path === '/ks3.min.js') return serveFile(res, CDN, TYPES['.js']);
      if (path === '/ks3.min.js.map' && statSync(`${CDN}.map`, { throwIfNoEntry: false }))
        return serveFile(res, `${CDN}.map`, 'application/json');
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    }
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const pagePort = server.address().port;
  const origins = [`http://localhost:${pagePort}`, `http://127.0.0.1:${pagePort}`];
  await putBucketCors(owner, { bucket, rules: corsRules(origins) });
  // What the rules lack for this page (nothing, unless corsRules above is edited).
  const cors = await checkCors(owner, {
    bucket,
    origin: origins[0],
    encryption: true,
    requestHeaders: ['x-kss-security-token'],
  });
  return {
    url: `${origins[0]}/`,
    endpoint: emu.url,
    bucket,
    cors,
    /** For tests only: the long-term key (its secret must never reach the page). */
    keys,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await emu.close();
      if (ownData) rmSync(data, { recursive: true, force: true });
    },
  };
}
