// Guide: c = Connection(ak, sk, host='YOUR_REGION_ENDPOINT', is_secure=False, domain_mode=False, timeout=1)
import { createClient } from '@ks3/node';
import { setup } from './_setup.mjs';

const { endpoint, keys, done } = await setup();
// host → endpoint, is_secure → secure (or a scheme in endpoint), domain_mode → domainMode,
// timeout (seconds) → timeout (milliseconds without progress).
const client = createClient({ endpoint, ...keys, domainMode: false, timeout: 1000 });
console.log(
  `client for ${client.scheme}://${client.host}:${client.port}, timeout ${client.timeout} ms, ${client.retries} retries`,
);
await done();
