/**
 * The loopback sink: a node:http server, run in its own process (so its CPU does not share the
 * benchmark's event loop), that answers the KS3 and S3 calls an upload or download makes without
 * storing anything and without checking signatures.
 *
 * - PUT (object or part): counts and discards the body and answers an ETag as configured by
 *   { etag }: 'verify' (default) hashes bodies that come with Content-MD5, answers their MD5 and
 *   refuses a mismatch with 400 BadDigest, as KS3 does; 'trust' answers the Content-MD5 as the
 *   ETag without hashing (only the client's cost is measured: on a 2-core machine the sink's
 *   hashing competes with the client for CPU); 'md5' hashes every body (KS3's ETag, for clients
 *   that check it without sending Content-MD5); 'constant' never hashes. Bodies without
 *   Content-MD5 get a constant ETag except under 'md5'.
 * - POST ?uploads: InitiateMultipartUploadResult. POST ?uploadId: CompleteMultipartUploadResult.
 * - GET/HEAD /bucket/<name>-<bytes>: that many bytes from a preallocated buffer. A key starting
 *   with `enc-` serves a valid KS3 client-side encrypted object of that plaintext size for the
 *   configured key (see encrypted.mjs).
 * - DELETE: 204. POST /__sink/config: JSON { etag?, key? }. GET /__sink/stats (also counts
 *   hashed bytes and DELETEs, and gives the sink process's CPU seconds so far, `cpuSeconds`).
 *
 * Started by sink/client.mjs with fork(); it sends { port } over IPC when listening.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { encryptedObject } from './encrypted.mjs';

const PLAIN = Buffer.alloc(8 << 20);
for (let i = 0; i < PLAIN.length; i++) PLAIN[i] = (i * 2654435761) >>> 24;

const ETAG_MODES = new Set(['verify', 'trust', 'md5', 'constant']);
const config = { etag: 'verify', key: undefined };
const stats = { requests: 0, received: 0, sent: 0, hashed: 0, deletes: 0 };
const CONSTANT_ETAG = '"d41d8cd98f00b204e9800998ecf8427e"';

const xml = (res, body) => {
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

function consume(req, hash, done) {
  req.on('data', (chunk) => {
    stats.received += chunk.length;
    hash?.update(chunk);
  });
  req.on('end', done);
}

/** Writes `chunks()` (an iterator of Buffers) with backpressure. */
function stream(res, chunks) {
  const it = chunks[Symbol.iterator]();
  const pump = () => {
    for (;;) {
      const { done, value } = it.next();
      if (done) return res.end();
      stats.sent += value.length;
      if (!res.write(value)) return res.once('drain', pump);
    }
  };
  pump();
}

function* repeat(buf, total) {
  for (let left = total; left > 0; left -= buf.length) yield left >= buf.length ? buf : buf.subarray(0, left);
}

async function get(req, res, key) {
  const size = Number(/(\d+)$/.exec(key)?.[1] ?? 0);
  const common = { 'last-modified': new Date(0).toUTCString(), 'content-type': 'application/octet-stream' };
  if (key.startsWith('enc-')) {
    const obj = await encryptedObject(config.key, size);
    res.writeHead(200, { ...common, ...obj.headers, 'content-length': obj.length, etag: CONSTANT_ETAG });
    return req.method === 'HEAD' ? res.end() : stream(res, obj.chunks());
  }
  res.writeHead(200, { ...common, 'content-length': size, etag: CONSTANT_ETAG });
  return req.method === 'HEAD' ? res.end() : stream(res, repeat(PLAIN, size));
}

/** A PUT (object or part): the ETag as the configured mode says (see the top of this file). */
function put(req, res) {
  const given = req.headers['content-md5'];
  const hex = given === undefined ? undefined : Buffer.from(given, 'base64').toString('hex');
  const mode = config.etag;
  const hash = mode === 'md5' || (mode === 'verify' && hex !== undefined) ? createHash('md5') : undefined;
  consume(req, hash, () => {
    if (hash) stats.hashed += Number(req.headers['content-length'] ?? 0);
    const md5 = hash?.digest('hex');
    if (mode === 'verify' && md5 !== undefined && md5 !== hex) {
      const body =
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>BadDigest</Code><Message>Content-MD5 mismatch</Message></Error>';
      return res.writeHead(400, { 'content-type': 'application/xml', 'content-length': body.length }).end(body);
    }
    const etag = md5 ?? (mode === 'trust' ? hex : undefined);
    res.writeHead(200, { etag: etag ? `"${etag}"` : CONSTANT_ETAG, 'content-length': 0 }).end();
  });
}

function handle(req, res) {
  stats.requests++;
  const url = new URL(req.url, 'http://sink');
  const [, bucket = '', ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const q = url.searchParams;
  if (url.pathname === '/__sink/config') {
    let body = '';
    req.on('data', (d) => (body += d));
    return req.on('end', () => {
      const next = JSON.parse(body || '{}');
      if (next.etag !== undefined && !ETAG_MODES.has(next.etag)) return res.writeHead(400).end(`etag ${next.etag}?`);
      Object.assign(config, next);
      res.writeHead(204).end();
    });
  }
  if (url.pathname === '/__sink/stats') {
    const { user, system } = process.cpuUsage();
    return xml(res, JSON.stringify({ ...stats, cpuSeconds: (user + system) / 1e6 }));
  }
  if (req.method === 'PUT') return put(req, res);
  if (req.method === 'POST' && q.has('uploads')) {
    return consume(req, undefined, () =>
      xml(
        res,
        `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>sink-upload</UploadId></InitiateMultipartUploadResult>`,
      ),
    );
  }
  if (req.method === 'POST' && q.has('uploadId')) {
    return consume(req, undefined, () =>
      xml(
        res,
        `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Location>http://sink/${bucket}/${key}</Location><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>"sink-etag-1"</ETag></CompleteMultipartUploadResult>`,
      ),
    );
  }
  if (req.method === 'DELETE') return consume(req, undefined, () => (stats.deletes++, res.writeHead(204).end()));
  if (req.method === 'GET' || req.method === 'HEAD') {
    return consume(req, undefined, () => get(req, res, key).catch((e) => res.writeHead(500).end(String(e))));
  }
  res.writeHead(405).end();
}

const server = createServer({ keepAliveTimeout: 60_000 }, handle);
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
