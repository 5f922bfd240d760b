/**
 * The soak's transfers: each runs one SDK call through the fault proxy, then a direct client
 * (no faults) checks the outcome — byte-identical data (SHA-256), or a typed failure that left
 * no object, no partial object, no multipart upload and no temporary file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as KS3 from '@ks3/node';
import { pseudoRandomBytes } from '../test-utils/contract.js';

export const KINDS = [
  'put',
  'get',
  'get-to-file',
  'copy',
  'upload',
  'upload-multipart',
  'put-encrypted',
  'get-encrypted',
  'upload-encrypted',
  'get-to-file-encrypted',
] as const;
export type Kind = (typeof KINDS)[number];

/**
 * `ok`: done and verified. `failed`: a typed error, nothing left behind. `unknown`: a primitive
 * (putObject, copyObject) failed after KS3 may have acted (no answer, a 5xx, or a 2xx whose body
 * was not KS3's), and the object is absent or intact — only the upload manager and
 * getObjectToFile promise more.
 * The rest are violations.
 */
export type Outcome =
  | 'ok'
  | 'failed'
  | 'unknown'
  | 'corrupt'
  | 'partial'
  | 'orphan'
  | 'temp-file'
  | 'untyped-error'
  | 'committed-but-failed';

export const VIOLATIONS: readonly Outcome[] = [
  'corrupt',
  'partial',
  'orphan',
  'temp-file',
  'untyped-error',
  'committed-but-failed',
];

export interface SoakEnv {
  bucket: string;
  /** Through the proxy. */
  plain: KS3.Client;
  encrypted: KS3.Client;
  /** Straight to the emulator, for seeding and checking. */
  direct: KS3.Client;
  directEncrypted: KS3.Client;
  /** Where downloads go. */
  dir: string;
}

export interface TransferResult {
  kind: Kind;
  size: number;
  outcome: Outcome;
  error?: unknown;
}

const PART = 100 * 1024;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The size of transfer `i` of `kind`, from the soak's generator (`scale` > 1 for the long soak). */
export function sizeFor(kind: Kind, r: number, scale: number): number {
  if (kind.startsWith('upload-')) return Math.floor(2 * PART + r * 1.2 * PART * scale);
  if (kind === 'upload') return Math.floor(r * PART);
  return Math.floor(r * r * 256 * 1024 * scale);
}

async function stored(env: SoakEnv, key: string, encrypted: boolean): Promise<Uint8Array | undefined> {
  try {
    return await (
      await KS3.getObject(encrypted ? env.directEncrypted : env.direct, { bucket: env.bucket, key })
    ).bytes();
  } catch (e) {
    if (KS3.isKs3ServiceError(e) && e.status === 404) return undefined;
    throw e;
  }
}

async function uploadsLeft(env: SoakEnv, key: string): Promise<number> {
  let n = 0;
  for await (const u of KS3.listAllMultipartUploads(env.direct, { bucket: env.bucket, prefix: key }))
    if (u.key === key) n++;
  return n;
}

const tempFiles = (env: SoakEnv, name: string): string[] =>
  readdirSync(env.dir).filter((f) => f.includes(name) && f.endsWith('.ks3-partial'));

/** Runs transfer number `i`, checks what it left, then deletes its objects and file (disk stays bounded). */
export async function runTransfer(env: SoakEnv, i: number, kind: Kind, size: number): Promise<TransferResult> {
  try {
    return await transfer(env, i, kind, size);
  } finally {
    const key = `t/${i}/${kind}`;
    for (const k of [key, `${key}.src`])
      await KS3.deleteObject(env.direct, { bucket: env.bucket, key: k }).catch(() => {});
    rmSync(join(env.dir, `${i}.bin`), { force: true });
  }
}

async function transfer(env: SoakEnv, i: number, kind: Kind, size: number): Promise<TransferResult> {
  const key = `t/${i}/${kind}`;
  const data = pseudoRandomBytes(size, i + 1);
  const enc = kind.endsWith('encrypted');
  const client = enc ? env.encrypted : env.plain;
  const seed = (k: string) =>
    KS3.putObject(enc ? env.directEncrypted : env.direct, { bucket: env.bucket, key: k, body: data });
  const file = join(env.dir, `${i}.bin`);
  let got: Uint8Array | undefined;
  let error: unknown;
  try {
    switch (kind) {
      case 'put':
      case 'put-encrypted':
        await KS3.putObject(client, { bucket: env.bucket, key, body: data });
        break;
      case 'get':
      case 'get-encrypted':
        await seed(key);
        got = await (await KS3.getObject(client, { bucket: env.bucket, key })).bytes();
        break;
      case 'get-to-file':
      case 'get-to-file-encrypted':
        await seed(key);
        await KS3.getObjectToFile(client, { bucket: env.bucket, key, path: file });
        got = readFileSync(file);
        break;
      case 'copy':
        await seed(`${key}.src`);
        await KS3.copyObject(client, { bucket: env.bucket, key, sourceBucket: env.bucket, sourceKey: `${key}.src` });
        break;
      default:
        await KS3.upload(client, { bucket: env.bucket, key, body: data, partSize: PART, concurrency: 2 });
    }
  } catch (e) {
    error = e;
  }
  const result = (outcome: Outcome): TransferResult => ({ kind, size, outcome, ...(error ? { error } : {}) });
  if (error !== undefined && !KS3.isKs3Error(error)) return result('untyped-error');
  const reading = kind.startsWith('get');
  if (reading) {
    if (tempFiles(env, `${i}.bin`).length) return result('temp-file');
    if (error) return result(existsSync(file) ? 'partial' : 'failed');
    return result(sha(got!) === sha(data) ? 'ok' : 'corrupt');
  }
  const managed = kind.startsWith('upload');
  if (managed && (await uploadsLeft(env, key))) return result('orphan');
  const now = await stored(env, key, enc);
  if (!error) return result(now && sha(now) === sha(data) ? 'ok' : 'corrupt');
  if (!now) return result('failed');
  if (sha(now) !== sha(data)) return result('partial');
  // The object is there, whole, although the call failed: a primitive may say so only when it
  // got no clear answer (KS3 may have acted); the upload manager checks before it fails.
  const status = KS3.isKs3ServiceError(error) ? error.status : 0;
  const mayHaveActed = KS3.isKs3NetworkError(error) || KS3.isKs3ProtocolError(error) || status >= 500 || status === 429;
  return result(!managed && mayHaveActed ? 'unknown' : 'committed-but-failed');
}
