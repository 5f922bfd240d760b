/** Starts emulators on 127.0.0.1:0 with throw-away data directories. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator } from '../../src/index.js';
import { CREDS, OTHER, send, type Res, type SignedRequest } from './ks3.js';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
export type Options = Partial<Parameters<typeof startEmulator>[0]>;

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ks3-emu-test-'));
}

export async function start(options: Options = {}, dataDir = tempDir()): Promise<Emulator> {
  return startEmulator({ dataDir, quiet: true, credentials: [CREDS, OTHER], ...options });
}

export interface Fixture {
  emu: Emulator;
  url: string;
  send(r: SignedRequest): Promise<Res>;
}

/** One emulator for a whole test file (beforeAll/afterAll). */
export function useEmulator(options: Options = {}): Fixture {
  const f = {} as Fixture;
  let dir = '';
  beforeAll(async () => {
    dir = tempDir();
    f.emu = await start(options, dir);
    f.url = f.emu.url;
    // With a fixed clock (`now`), V2 requests go without Date (allowNoDate) unless a test sets one.
    f.send = (r) => send(f.url, options.now && r.date === undefined ? { ...r, date: null } : r);
  });
  afterAll(async () => {
    await f.emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return f;
}

let counter = 0;
/** A fresh valid bucket name. */
export function bucketName(prefix = 'b'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Creates a bucket and checks it worked. */
export async function createBucket(f: Fixture, acl?: string, creds = CREDS): Promise<string> {
  const name = bucketName();
  const res = await f.send({ method: 'PUT', bucket: name, key: '', headers: acl ? { 'x-kss-acl': acl } : {}, creds });
  if (res.status !== 200) throw new Error(`create bucket failed: ${res.status} ${res.text}`);
  return name;
}

/** Puts an object and checks it worked. */
export async function putObject(
  f: Fixture,
  bucket: string,
  key: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Res> {
  const res = await f.send({ method: 'PUT', bucket, key, body, headers });
  if (res.status !== 200) throw new Error(`put failed: ${res.status} ${res.text}`);
  return res;
}
