/** The endpoint option: host, scheme and port, checked (ks3-protocol.md §1.2). */
import { Ks3InputError } from './errors.js';

const bad = (param: string, msg: string): never => {
  throw new Ks3InputError(param, msg, { operation: 'createClient' });
};

/** What a client keeps of its endpoint. */
export interface Endpoint {
  scheme: 'http' | 'https';
  host: string;
  port: number | undefined;
}

// A KS3 service host with a bucket in front of it: `<bucket>.ks3-cn-beijing.ksyuncs.com`.
const BUCKET_HOST = /^([a-z0-9][a-z0-9-]{1,61}[a-z0-9])\.(ks3-[a-z0-9-]+\.ksyuncs\.com)$/;

/**
 * Parses and checks `endpoint`, `secure` and `port`. An endpoint that already names a bucket is
 * refused (outside `domainMode`): requests would otherwise address `/bucket/bucket/key`.
 * @throws {Ks3InputError}
 */
export function parseEndpoint(config: {
  endpoint?: unknown;
  secure?: boolean | undefined;
  port?: number | undefined;
  domainMode?: boolean | undefined;
}): Endpoint {
  const { endpoint, secure } = config;
  if (typeof endpoint !== 'string' || !endpoint.trim()) return bad('endpoint', 'must be a non-empty host name or URL');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)
    ? endpoint
    : `${secure === false ? 'http' : 'https'}://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return bad('endpoint', `is not a valid host or URL: ${endpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') bad('endpoint', 'scheme must be http or https');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    bad('endpoint', 'must be a host (optionally with scheme and port), without path, query or credentials');
  }
  const scheme = url.protocol === 'http:' ? 'http' : 'https';
  if (secure !== undefined && secure !== (scheme === 'https')) bad('secure', 'contradicts the scheme of endpoint');
  let port = url.port ? Number(url.port) : undefined;
  if (config.port !== undefined) {
    if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65535) {
      bad('port', 'must be an integer in 1..65535');
    }
    if (port !== undefined && port !== config.port) bad('port', 'contradicts the port of endpoint');
    port = config.port;
  }
  const inHost = BUCKET_HOST.exec(url.hostname);
  if (inHost && config.domainMode !== true) {
    bad(
      'endpoint',
      `${url.hostname} already names the bucket ${inHost[1]}: use endpoint '${inHost[2]}' and pass bucket to each ` +
        `call (or domainMode: true to bind the client to that bucket)`,
    );
  }
  return { scheme, host: url.hostname, port };
}
