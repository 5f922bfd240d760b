/** The Node client: core's, with `node:crypto` MD5 for every hash the SDK computes. */
import { createHash } from 'node:crypto';
import { createClient as createCoreClient, type Client, type ClientConfig, type Hasher } from '@ks3/core';

/** MD5 from `node:crypto` (native, faster than the portable one), in the SDK's hasher shape. */
export function nodeMd5(): Hasher {
  const h = createHash('md5');
  const self: Hasher = { update: (b) => (h.update(b), self), digest: () => new Uint8Array(h.digest()) };
  return self;
}

/**
 * `createClient` of @ks3/core with Node defaults: MD5 (Content-MD5, encryption metadata, part
 * checks) from `node:crypto` unless `md5` is given.
 * @throws {Ks3InputError} on an invalid option.
 * @example const client = createClient({ endpoint: 'ks3-cn-beijing.ksyuncs.com', accessKeyId, secretAccessKey });
 */
export function createClient(config: ClientConfig): Client {
  return createCoreClient({ md5: nodeMd5, ...config });
}
