// What every example starts with: a client, and a bucket name to play in.
// With KS3_ENDPOINT, KS3_ACCESS_KEY and KS3_SECRET_KEY set, examples run against that endpoint
// (real KS3 or an emulator you started); otherwise each starts a local emulator for itself.
import { createClient } from '@ks3/node';
import { DEMO_KEYS, startLocalKs3 } from './emulator.mjs';

/** Returns `{ client, bucket, endpoint, done }`; call `done()` at the end. */
export async function setup(options = {}) {
  const bucket = process.env.KS3_BUCKET ?? `example-${Math.random().toString(36).slice(2, 10)}`;
  if (process.env.KS3_ENDPOINT) {
    const keys = { accessKeyId: process.env.KS3_ACCESS_KEY, secretAccessKey: process.env.KS3_SECRET_KEY };
    return {
      client: createClient({ endpoint: process.env.KS3_ENDPOINT, ...keys, ...options }),
      bucket,
      endpoint: process.env.KS3_ENDPOINT,
      keys,
      done: async () => {},
    };
  }
  const ks3 = await startLocalKs3();
  return {
    client: createClient({ endpoint: ks3.endpoint, ...DEMO_KEYS, ...options }),
    bucket,
    endpoint: ks3.endpoint,
    keys: DEMO_KEYS,
    done: ks3.stop,
  };
}
