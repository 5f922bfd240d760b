/**
 * Kill and resume: a child process uploads a file with a checkpoint file and is SIGKILLed once
 * the checkpoint shows at least two parts; this process then resumes from that file and the
 * object comes out byte-identical, plain and encrypted. The child runs the SDK from source,
 * bundled with esbuild (the `source` export condition), so no build is needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { getObject, uploadFile, type UploadCheckpoint } from '@ks3/node';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';
import {
  addFault,
  countingFetch,
  firstDifference,
  isPartPut,
  pseudoRandomBytes,
  uploadsOf,
  useBucket,
} from '../../multipart/test/helpers.js';

const env = useBucket('node-kill');
const PART = 100 * 1024;
let dir: string;
let child: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ks3-kill-'));
  child = join(dir, 'child.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'fixtures/upload-child.mjs')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    outfile: child,
    logLevel: 'error',
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function readCheckpoint(path: string): Promise<UploadCheckpoint | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as UploadCheckpoint;
  } catch {
    return undefined;
  }
}

describe.each([
  ['plain', false],
  ['encrypted', true],
] as const)('%s', (name, encrypted) => {
  test('a killed upload resumes from its checkpoint file and the object is byte-identical', async () => {
    const data = pseudoRandomBytes(40 * PART + 1234, encrypted ? 41 : 42);
    const path = join(dir, `${name}.bin`);
    const cpPath = join(dir, `${name}.ks3-upload`);
    await writeFile(path, data);
    const key = `killed/${name}`;
    // Slow the first parts down so that the child is still uploading when it is killed.
    await addFault(env.endpoint, { op: 'UploadPart', bucket: env.bucket, key, delayMs: 150, times: 12 });
    const { endpoint } = inject('ks3');
    let proc: ChildProcess | undefined = spawn(
      process.execPath,
      [
        child,
        endpoint,
        TEST_CREDENTIALS.accessKeyId,
        TEST_CREDENTIALS.secretAccessKey,
        env.bucket,
        key,
        path,
        cpPath,
        encrypted ? '1' : '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((r) =>
      proc!.on('exit', (code, signal) => r(signal ?? code)),
    );
    let cp: UploadCheckpoint | undefined;
    try {
      for (let i = 0; i < 1500 && !(((cp = await readCheckpoint(cpPath))?.parts.length ?? 0) >= 2); i++) {
        if (proc.exitCode !== null) throw new Error(`the child exited early (${proc.exitCode}): ${stderr}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(cp?.parts.length, 'checkpoint parts before the kill').toBeGreaterThanOrEqual(2);
      proc.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      proc = undefined;
    } finally {
      proc?.kill('SIGKILL');
    }
    const saved = (await readCheckpoint(cpPath))!;
    expect(saved.parts.length).toBeGreaterThanOrEqual(2);
    expect(saved.parts.length).toBeLessThan(41);
    expect(await uploadsOf(env, key)).toEqual([saved.uploadId]);
    if (encrypted) expect(saved.encryption?.fingerprint).toBe('OTQwMjgwMzllNzZhOGYwOTdkNDc2NzUwMGJlNjQzMWY=');

    const counter = countingFetch(isPartPut);
    const client = env.make({
      fetch: counter.fetch,
      streaming: true,
      ...(encrypted ? { encryption: { key: 'ks3-demo-key-16b' } } : {}),
    });
    const r = await uploadFile(client, { bucket: env.bucket, key, path, checkpointPath: cpPath, partSize: PART });
    expect(r.parts).toBe(41);
    expect(counter.total()).toBe(41 - saved.parts.length);
    expect(existsSync(cpPath)).toBe(false);
    expect(await uploadsOf(env, key)).toEqual([]);
    const got = await getObject(client, { bucket: env.bucket, key });
    expect(firstDifference(await got.bytes(), data)).toBe(-1);
  });
});
