// The demo's backend API. It holds the long-term key and gives each visitor (a random id in an
// HttpOnly cookie) access to its own prefix only, three ways:
//   GET  /api/credentials  temporary credentials from KS3's STS (assumeRole), narrowed by a
//                          session policy to visitors/<id>/
//   POST /api/sign         a signer that sees what it signs (createSigningHandler), same prefix
//   POST /api/post-policy  a signed POST-policy form for one file under the prefix
//   GET  /api/config       what the page needs to build its client (no secret)
import { randomBytes } from 'node:crypto';
import { assumeRole, createPostPolicy, createSessionPolicy, createSigningHandler, toNodeListener } from '@ks3/node';

const COOKIE = 'ks3demo';
const MiB = 1 << 20;

/** The visitor id from the request's cookie, if it is one we could have issued. */
export function visitorOf(cookieHeader) {
  const m = new RegExp(`(?:^|;\\s*)${COOKIE}=([0-9a-f]{16})(?:;|$)`).exec(cookieHeader ?? '');
  return m ? m[1] : undefined;
}

/** A fresh visitor cookie (HttpOnly: the page's scripts never see it). */
export function newVisitorCookie() {
  const id = randomBytes(8).toString('hex');
  return { id, header: `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=86400` };
}

const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

async function readJson(req, limit = 16 * 1024) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > limit) throw new Error('body too large');
  }
  return JSON.parse(text || '{}');
}

/** Temporary credentials for one visitor's prefix, from KS3's STS. */
export function credentialsFor(o, id) {
  return assumeRole({
    endpoint: `${o.endpoint}/__sts/`,
    credentials: o.keys,
    roleKrn: `krn:ksc:iam::${o.account}:role/web-uploader`,
    roleSessionName: `visitor-${id}`,
    durationSeconds: o.stsSeconds,
    policy: createSessionPolicy({ bucket: o.bucket, prefix: `visitors/${id}/` }),
  });
}

/**
 * The API routes as one node:http listener; returns false for paths it does not serve.
 * `o`: { endpoint, region, bucket, account, keys: { accessKeyId, secretAccessKey }, stsSeconds, maxSize }
 */
export function createApi(o) {
  const prefixOf = (id) => `visitors/${id}/`;
  const sign = toNodeListener(
    createSigningHandler({
      endpoint: o.endpoint,
      region: o.region,
      credentials: o.keys,
      policy: (request) => {
        const id = visitorOf(request.headers.get('cookie'));
        if (!id) return null;
        return { buckets: [o.bucket], keyPrefixes: [prefixOf(id)], maxSize: o.maxSize, maxPresignSeconds: 3600 };
      },
    }),
  );
  return async (req, res, path) => {
    if (!path.startsWith('/api/')) return false;
    const id = visitorOf(req.headers.cookie);
    if (!id) {
      json(res, 401, { error: { code: 'NoSession', message: 'reload the page to get a visitor session' } });
      return true;
    }
    const prefix = prefixOf(id);
    try {
      if (path === '/api/config' && req.method === 'GET') {
        json(res, 200, { endpoint: o.endpoint, region: o.region, bucket: o.bucket, prefix, visitor: id });
      } else if (path === '/api/credentials' && req.method === 'GET') {
        json(res, 200, (await credentialsFor(o, id)).credentials);
      } else if (path === '/api/sign') {
        await sign(req, res);
      } else if (path === '/api/post-policy' && req.method === 'POST') {
        const { key } = await readJson(req);
        const policy = await createPostPolicy({
          endpoint: o.endpoint,
          credentials: o.keys,
          bucket: o.bucket,
          keyPrefix: prefix,
          contentLengthRange: [0, o.maxSize],
          expiresIn: 600,
        });
        // The page may name the key itself, under its prefix (the policy says starts-with).
        if (typeof key === 'string' && key.startsWith(prefix)) policy.fields.key = key;
        json(res, 200, { url: policy.url, fields: policy.fields });
      } else {
        json(res, 404, { error: { code: 'NotFound', message: `no API at ${req.method} ${path}` } });
      }
    } catch (e) {
      // Never the error's text: it could name a key. The server log gets the error's name only.
      console.error(`demo api ${path}: ${e?.name ?? 'error'} ${e?.code ?? ''}`);
      if (!res.headersSent)
        json(res, 502, { error: { code: e?.code ?? 'BackendError', message: 'the backend failed' } });
    }
    return true;
  };
}

export { MiB };
