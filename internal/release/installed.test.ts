/**
 * The packages as a new user gets them: packed (`pnpm pack`), installed with plain npm into an
 * empty project outside the workspace, and used from there — ESM and CommonJS scripts, the export
 * conditions, strict TypeScript compiles under several settings, the emulator's bin through npx,
 * and the README's quick start exactly as written. Needs `pnpm build` and the npm registry (npm
 * fetches txml and @types/node; the SDK's packages come from the tarballs).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { VERSION } from '../../packages/core/src/version.js';
import { scripts, TS_SETTINGS } from './consumer-scripts.js';
import { packAll, root, run, userEnv } from './pack.js';

// Processes and compilers on a shared 2-core machine: generous limits, never a timing assertion.
vi.setConfig({ testTimeout: 180_000 });

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const quickStart = readme.slice(readme.indexOf('## Quick start'));
const [, bashBlock = ''] = /```bash\n([\s\S]*?)```/.exec(quickStart) ?? [];
const [, quickStartJs = ''] = /```js\n([\s\S]*?)```/.exec(quickStart) ?? [];
const commands = bashBlock.split('\n').map((l) => l.replace(/#.*/, '').trim());
const npxArgs =
  commands
    .find((c) => c.startsWith('npx '))
    ?.split(/\s+/)
    .slice(1) ?? [];

let dir: string;
let app: string;
let emulator: { child: ChildProcess; url: string; stdout: string; accessKeyId: string; secretAccessKey: string };

/** Starts the emulator with `npx <args>` in the app; resolves once it prints its URL. */
function startNpx(args: string[]): Promise<typeof emulator> {
  // npm_config_yes=false: npx never fetches a package instead of running the installed bin.
  const child = spawn('npx', args, { cwd: app, env: userEnv({ npm_config_yes: 'false' }), detached: true });
  let output = '';
  let stdout = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npx ${args.join(' ')} did not start:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      stdout += d.toString();
      const url = /KS3 emulator listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      const keys = /KS3_ACCESS_KEY=(\S+) KS3_SECRET_KEY=(\S+)/.exec(stdout);
      if (url && keys) {
        clearTimeout(timer);
        resolve({ child, url, stdout, accessKeyId: keys[1]!, secretAccessKey: keys[2]! });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`npx ${args.join(' ')} exited with ${code}:\n${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM'); // npx, npm and the emulator: the group this test started
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ks3-install-'));
  const packed = join(dir, 'tarballs');
  mkdirSync(packed);
  const tarballs = await packAll(packed);
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ks3-user', private: true, type: 'module' }));
  const typesNode = JSON.parse(readFileSync(join(root, 'node_modules/@types/node/package.json'), 'utf8')).version;
  const npm = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
  const install = [...npm, ...Object.values(tarballs), `@types/node@${typesNode}`];
  await run('npm', install, { cwd: app, env: userEnv(), timeout: 300_000 });
  for (const [file, text] of Object.entries(scripts)) writeFileSync(join(app, file), text);
  for (const f of readdirSync(join(import.meta.dirname, 'consumer')))
    copyFileSync(join(import.meta.dirname, 'consumer', f), join(app, f));
  writeFileSync(join(app, 'quickstart.mjs'), quickStartJs);
  writeFileSync(join(app, 'quickstart.ts'), quickStartJs);
  // The README's command, on port 0 rather than 9000 so that runs never collide.
  emulator = await startNpx(npxArgs.map((a, i) => (npxArgs[i - 1] === '--port' ? '0' : a)));
}, 600_000);

afterAll(async () => {
  if (emulator) await stop(emulator.child);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const node = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, args, { cwd: app, env: userEnv(env) });
const target = () => [emulator.url, emulator.accessKeyId, emulator.secretAccessKey];

test('the README quick start installs the packages it imports and starts the emulator with npx', () => {
  expect(commands).toContain('npm install @ks3/node @ks3/emulator');
  expect(npxArgs).toEqual(['@ks3/emulator', '--port', '9000', '--data', './ks3-data']);
  expect(quickStartJs).toContain("from '@ks3/node'");
});

test('npx @ks3/emulator: the printed keys and URL; the admin endpoint is off without --admin', async () => {
  expect(emulator.stdout).toMatch(/^Using the local default credentials: KS3_ACCESS_KEY=\S+ KS3_SECRET_KEY=\S+\n/);
  expect(emulator.stdout).toMatch(/KS3 emulator listening on http:\/\/127\.0\.0\.1:\d+\n$/);
  expect((await fetch(`${emulator.url}/__ks3emu/health`)).status).not.toBe(200);
  const npx = (args: string[]) => run('npx', ['@ks3/emulator', ...args], { cwd: app, env: userEnv() });
  const help = await npx(['--help']);
  expect(help.stdout).toMatch(/usage: ks3-emulator --port PORT --data DIR .*\[--admin\]/);
  const bad = await npx(['--port', 'nine', '--data', 'd']).catch((e: unknown) => e);
  expect(String(bad)).toContain('--port must be a number');
});

test('the README quick start runs as written against the emulator, with the keys it printed', async () => {
  const { stdout } = await node(['quickstart.mjs'], {
    KS3_ENDPOINT: emulator.url,
    KS3_ACCESS_KEY: emulator.accessKeyId,
    KS3_SECRET_KEY: emulator.secretAccessKey,
  });
  expect(stdout).toBe("meow\n[ 'cats/tom.txt' ]\n200\n");
});

test('ESM: every package imports, one copy of core serves them all, and a round trip works', async () => {
  const { stdout } = await node(['esm.mjs', ...target(), 'esm-bucket']);
  expect(JSON.parse(stdout)).toEqual({ text: 'esm', uploaded: 1024, oneCore: true, version: VERSION, date: 'date' });
});

test('CommonJS: require() of every package, and a round trip', async () => {
  const { stdout } = await node(['cjs.cjs', ...target(), 'cjs-bucket']);
  expect(JSON.parse(stdout)).toEqual({ text: 'cjs', oneCore: true, version: VERSION, crypto: 'function' });
});

test('export conditions: browser signs with x-kss-date, worker and the default with Date', async () => {
  const dateOf = async (condition: string) => {
    const flags = condition === 'default' ? [] : [`--conditions=${condition}`];
    return JSON.parse((await node([...flags, 'conditions.mjs', ...target(), `cond-${condition}`])).stdout);
  };
  expect(await dateOf('default')).toEqual({ date: 'date', text: 'ok' });
  expect(await dateOf('worker')).toEqual({ date: 'date', text: 'ok' });
  expect(await dateOf('browser')).toEqual({ date: 'x-kss-date', text: 'ok' });
});

describe('strict TypeScript compiles of a consumer against the installed .d.ts', () => {
  test.each(TS_SETTINGS)('$name', async ({ name, files, ...options }) => {
    const compilerOptions = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: false,
      target: 'es2022',
      noEmit: true,
      ...options,
    };
    const config = `tsconfig.${name.replace(/\W+/g, '-')}.json`;
    writeFileSync(join(app, config), JSON.stringify({ compilerOptions, files }));
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: app });
  });
});
