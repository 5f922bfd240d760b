/**
 * The built packages as users load them: `import` from Node ESM and `require` from CommonJS,
 * resolved through each package.json `exports` map from a project outside the monorepo, then
 * used for a real put/get against the emulator. Needs `pnpm build` (the test script runs it).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { TEST_CREDENTIALS } from '../../../internal/test-utils/credentials.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
let dir: string;

beforeAll(() => {
  for (const p of ['core', 'node', 'browser', 'multipart']) {
    if (!existsSync(join(root, 'packages', p, 'dist', 'index.mjs')))
      throw new Error(`packages/${p}/dist is missing: run pnpm build first`);
  }
  dir = mkdtempSync(join(tmpdir(), 'ks3-pkg-'));
  mkdirSync(join(dir, 'node_modules', '@ks3'), { recursive: true });
  for (const p of ['core', 'node', 'browser', 'multipart'])
    symlinkSync(join(root, 'packages', p), join(dir, 'node_modules', '@ks3', p), 'dir');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const program = (load: string) => `${load}
const [endpoint, accessKeyId, secretAccessKey, bucket] = process.argv.slice(2);
const client = ks3.createClient({ endpoint, accessKeyId, secretAccessKey });
(async () => {
  await ks3.createBucket(client, { bucket });
  await ks3.putObject(client, { bucket, key: 'hello.txt', body: 'packaged' });
  const text = await (await ks3.getObject(client, { bucket, key: 'hello.txt' })).text();
  await ks3.deleteObject(client, { bucket, key: 'hello.txt' });
  await ks3.deleteBucket(client, { bucket });
  console.log(JSON.stringify({ text, date: client.dateHeader, exports: Object.keys(ks3).length }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const cases: [string, string, string][] = [
  ['esm-node.mjs', "import * as ks3 from '@ks3/node';", 'date'],
  ['cjs-node.cjs', "const ks3 = require('@ks3/node');", 'date'],
  ['esm-core.mjs', "import * as ks3 from '@ks3/core';", 'date'],
  ['cjs-core.cjs', "const ks3 = require('@ks3/core');", 'date'],
  // Under the `browser` condition core's browser build signs with x-kss-date.
  ['esm-core-browser.mjs', "import * as ks3 from '@ks3/core';", 'x-kss-date'],
];

for (const [file, load, date] of cases) {
  test(`${file}: ${load}`, async () => {
    writeFileSync(join(dir, file), program(load));
    const { endpoint } = inject('ks3');
    const conditions = date === 'x-kss-date' ? ['--conditions=browser'] : [];
    const bucket = `pkg-${file.replace(/\W/g, '-').toLowerCase()}-${Date.now() % 100000}`;
    const { stdout } = await run(
      process.execPath,
      [
        ...conditions,
        join(dir, file),
        endpoint,
        TEST_CREDENTIALS.accessKeyId,
        TEST_CREDENTIALS.secretAccessKey,
        bucket,
      ],
      { cwd: dir },
    );
    const out = JSON.parse(stdout) as { text: string; date: string; exports: number };
    expect(out).toMatchObject({ text: 'packaged', date });
    expect(out.exports).toBeGreaterThan(50);
  });
}
