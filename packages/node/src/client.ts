/** The Node client: core's, with `node:crypto` for every hash, HMAC and cipher the SDK computes. */
import { createClient as createCoreClient, type Client, type ClientConfig } from '@ks3/core';
import { defaultMd5Pool } from './md5-pool.js';
import { nodeAesCbc, nodeHmac, nodeMd5, nodeSha256 } from './node-crypto.js';

export { nodeAesCbc, nodeHmac, nodeMd5, nodeSha256 } from './node-crypto.js';

/**
 * `createClient` of @ks3/core with Node defaults: MD5 (Content-MD5, encryption metadata, part
 * checks), AES-CBC (client-side encryption), HMAC and SHA-256 (signatures) from `node:crypto`,
 * and large MD5s on worker threads (`defaultMd5Pool`, started on first use), unless the config
 * gives its own.
 * @throws {Ks3InputError} on an invalid option.
 * @example const client = createClient({ endpoint: 'ks3-cn-beijing.ksyuncs.com', accessKeyId, secretAccessKey });
 */
export function createClient(config: ClientConfig): Client {
  return createCoreClient({
    md5: nodeMd5,
    aesCbc: nodeAesCbc,
    hmac: nodeHmac,
    sha256: nodeSha256,
    // Only when the config does not bring its own MD5: a given `md5` is the one wanted.
    ...(config.md5 === undefined ? { md5Pool: defaultMd5Pool() } : {}),
    ...config,
  });
}
