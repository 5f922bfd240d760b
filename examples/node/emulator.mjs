// Starts the emulator CLI on a free loopback port and resolves once it prints its address.
// Examples use it when KS3_ENDPOINT is not set, so each runs on its own against a local KS3.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../packages/emulator/bin/ks3-emulator.js', import.meta.url));

/** Demo credentials the local emulator accepts. */
export const DEMO_KEYS = { accessKeyId: 'AKLTdemoAccessKey0001', secretAccessKey: 'demoSecretKey/for+the=emulator' };

/** Starts `ks3-emulator --port 0` with a fresh data directory; `stop()` ends it and removes the data. */
export async function startLocalKs3() {
  const data = mkdtempSync(join(tmpdir(), 'ks3-demo-'));
  const child = spawn(process.execPath, [BIN, '--port', '0', '--data', data], {
    env: { ...process.env, KS3_ACCESS_KEY: DEMO_KEYS.accessKeyId, KS3_SECRET_KEY: DEMO_KEYS.secretAccessKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('emulator did not start within 10 s')), 10_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /KS3 emulator listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
  return {
    endpoint,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(data, { recursive: true, force: true });
    },
  };
}
