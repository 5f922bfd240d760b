/**
 * The loopback sink: a node:http server, run in its own process (so its CPU does not share the
 * benchmark's event loop), that answers the KS3 and S3 calls an upload or download makes without
 * storing anything and without checking signatures.
 *
 * - PUT (object or part): counts and discards the body; ETag is a constant, or the MD5 of the
 *   body when the request has Content-MD5 (the client may check it) or when configured with
 *   { etag: 'md5' }; computed here: the server's work, off the client's CPU.
 * - POST ?uploads: InitiateMultipartUploadResult. POST ?uploadId: CompleteMultipartUploadResult.
 * - GET/HEAD /bucket/<name>-<bytes>: that many bytes from a preallocated buffer. A key starting
 *   with `enc-` serves a valid KS3 client-side encrypted object of that plaintext size for the
 *   configured key (see encrypted.mjs).
 * - DELETE: 204. POST /__sink/config: JSON { etag?, key? }. GET /__sink/stats.
 *
 * Started by sink/client.mjs with fork(); it sends { port } over IPC when listening.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { encryptedObject } from './encrypted.mjs';

const PLAIN = Buffer.alloc(8 << 20);
for (let i = 0; i < PLAIN.length; i++) PLAIN[i] = (i * 2654435761) >>> 24;

// etag: 'auto' answers the MD5 of the body when the request carries Content-MD5 (a client
// that will check it), else a constant; 'md5' always hashes; 'constant' never does.
const config = { etag: 'auto', key: undefined };
const stats = { requests: 0, received: 0, sent: 0 };
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
      Object.assign(config, JSON.parse(body || '{}'));
      res.writeHead(204).end();
    });
  }
  if (url.pathname === '/__sink/stats') return xml(res, JSON.stringify(stats));
  if (req.method === 'PUT') {
    const md5 = config.etag === 'md5' || (config.etag === 'auto' && req.headers['content-md5'] !== undefined);
    const hash = md5 ? createHash('md5') : undefined;
    return consume(req, hash, () =>
      res.writeHead(200, { etag: hash ? `"${hash.digest('hex')}"` : CONSTANT_ETAG, 'content-length': 0 }).end(),
    );
  }
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
  if (req.method === 'DELETE') return consume(req, undefined, () => res.writeHead(204).end());
  if (req.method === 'GET' || req.method === 'HEAD') {
    return consume(req, undefined, () => get(req, res, key).catch((e) => res.writeHead(500).end(String(e))));
  }
  res.writeHead(405).end();
}

const server = createServer({ keepAliveTimeout: 60_000 }, handle);
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
