/**
 * What a README code block may assume its reader has (`client`, `bucket`, `key`, `body`, `file`,
 * `path`, `signer`, …), set up against the emulator for examples/readme.test.ts, which bundles
 * each block after this prelude and runs it in a child process in a scratch directory. The
 * README's real endpoints are pointed at the emulator by `createClient` (with the region their
 * name implies, so the block signs as it would against KS3); nothing else is changed.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import * as node from '@ks3/node';

/** Set by the test: the emulator, identity, buckets to create and files to make. */
interface Setup {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  callbackUrl: string;
  bucket: string;
  buckets: string[];
  fixtures: string[];
}

const setup = JSON.parse(process.env.README_SETUP ?? '{}') as Setup;

/** `createClient` that sends a README's KS3 endpoints to the emulator. */
function redirected<F extends (config: node.ClientConfig) => node.Client>(create: F): F {
  return ((config: node.ClientConfig) => {
    const host = typeof config?.endpoint === 'string' ? config.endpoint.replace(/^https?:\/\//, '') : '';
    if (!/(^|\.)ksyuncs\.com$/.test(host)) return create(config);
    return create({ ...config, endpoint: setup.endpoint, region: config.region ?? node.inferRegion(host) });
  }) as F;
}

/**
 * `assumeRole` that calls the emulator's STS (/__sts/) when a block names no endpoint (KS3's real
 * STS otherwise), with the role's account made the emulator's account of the caller's key.
 */
function toEmulatorSts(real: typeof node.assumeRole): typeof node.assumeRole {
  return (o) => {
    if (o.endpoint !== undefined) return real(o);
    const account = `ks3emu-${createHash('sha256').update(o.credentials.accessKeyId).digest('hex').slice(0, 24)}`;
    const roleKrn = o.roleKrn.replace(/^(krn:ksc:iam::)[^:]*/, `$1${account}`);
    return real({ ...o, roleKrn, endpoint: `${setup.endpoint}/__sts/` });
  };
}

/** A module namespace as a block imports it, with `createClient` redirected. */
export function api<T extends object>(ns: T): T {
  const out = { ...ns } as Record<string, unknown>;
  if (typeof out.createClient === 'function') out.createClient = redirected(out.createClient as never);
  if (typeof out.assumeRole === 'function') out.assumeRole = toEmulatorSts(out.assumeRole as never);
  return out as T;
}

const memory = new Map<string, string>();

/** The free variables README blocks use, ready to use. */
export async function readmeContext() {
  const client = node.createClient({
    endpoint: setup.endpoint,
    accessKeyId: setup.accessKeyId,
    secretAccessKey: setup.secretAccessKey,
  });
  for (const bucket of setup.buckets) {
    await node.createBucket(client, { bucket }).catch((e: unknown) => {
      if ((e as node.Ks3Error).code !== 'BucketAlreadyOwnedByYou') throw e;
    });
  }
  const bytes = new Uint8Array(300 * 1024).map((_, i) => (i * 31) & 0xff);
  for (const f of setup.fixtures) await writeFile(f, bytes);
  const path = 'local-file.bin';
  await writeFile(path, bytes);
  const key = 'readme/object.txt';
  await node.putObject(client, { bucket: setup.bucket, key, body: 'an object the README reads' });
  const file = new Blob(['a file the user picked'], { type: 'text/plain' });
  return {
    endpoint: setup.endpoint,
    accessKeyId: setup.accessKeyId,
    secretAccessKey: setup.secretAccessKey,
    callbackUrl: setup.callbackUrl,
    client,
    bucket: setup.bucket,
    key,
    body: 'YOUR_FILE_CONTENTS',
    file,
    path,
    stream: new Blob([bytes]).stream(),
    signer: node.createV2Signer({
      credentials: async () => ({ accessKeyId: setup.accessKeyId, secretAccessKey: setup.secretAccessKey }),
    }),
    fileInput: { files: [file] },
    userId: 'u1',
    res: { end(_text: string) {} },
    bar: { value: 0, update(_loaded: number, _total?: number) {} },
    pauseButton: { onclick: null as null | (() => void) },
    localStorage: {
      getItem: (k: string) => memory.get(k) ?? null,
      setItem: (k: string, v: string) => void memory.set(k, v),
    },
  };
}
