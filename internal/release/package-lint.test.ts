/**
 * The tarballs a release publishes, checked as registries and users see them: publint (every
 * message, suggestions too), @arethetypeswrong/cli, and the manifest fields the packages promise
 * (license with its file, repository, keywords, engines, sideEffects, one version for all,
 * sibling dependencies as ranges, no `source` condition and no sources in the tarball).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VERSION } from '../../packages/core/src/version.js';
import { PACKAGES, type PackageName, packAll, root, run, userEnv } from './pack.js';

let dir: string;
let tarballs: Record<PackageName, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ks3-lint-'));
  tarballs = await packAll(dir);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files and package.json of a tarball. */
async function contents(p: PackageName): Promise<{ files: string[]; manifest: Record<string, unknown> }> {
  const { stdout } = await run('tar', ['-tzf', tarballs[p]], { cwd: dir });
  const manifest = JSON.parse((await run('tar', ['-xzOf', tarballs[p], 'package/package.json'], { cwd: dir })).stdout);
  return { files: stdout.split('\n').filter(Boolean), manifest };
}

const rootLicense = readFileSync(join(root, 'LICENSE'), 'utf8');
const repository = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')).repository.url;

describe.each(PACKAGES)('@ks3/%s', (p) => {
  test('publint has nothing to say', async () => {
    const tarball = readFileSync(tarballs[p]);
    const { messages, pkg } = await publint({ pack: { tarball: new Uint8Array(tarball).buffer }, level: 'suggestion' });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`)).toEqual([]);
  });

  test('are the types wrong? no', async () => {
    // node16 and bundler resolution, from ESM and CJS; node10 (moduleResolution "node", which
    // ignores `exports` and is deprecated from TypeScript 6) only resolves main entries. The
    // emulator is ESM only, as its bin and its users (test setups on Node ≥ 20) are. The CDN
    // files are classic scripts for <script> tags, not modules with types.
    const profile = p === 'emulator' ? ['--profile', 'esm-only'] : ['--profile', 'node16'];
    const exclude = p === 'browser' ? ['--exclude-entrypoints', 'ks3.min.js'] : [];
    const attw = join(root, 'node_modules/.bin/attw');
    const { stdout } = await run(attw, [tarballs[p], ...profile, ...exclude, '--format', 'ascii'], { cwd: dir });
    expect(stdout).toContain(`@ks3/${p}`);
  });

  test('manifest: license, repository, keywords, engines, sideEffects, version, ranges, files', async () => {
    const { files, manifest: m } = await contents(p);
    expect(m).toMatchObject({
      name: `@ks3/${p}`,
      version: VERSION,
      license: 'MIT',
      type: 'module',
      sideEffects: false,
      engines: { node: '>=20' },
      repository: { type: 'git', url: repository, directory: `packages/${p}` },
      publishConfig: { access: 'public' },
    });
    expect((m.keywords as string[]).length).toBeGreaterThanOrEqual(5);
    expect(m.private).toBeUndefined();
    const deps = (m.dependencies ?? {}) as Record<string, string>;
    for (const [name, range] of Object.entries(deps))
      if (name.startsWith('@ks3/')) expect(range, name).toBe(`^${VERSION}`);
    expect(JSON.stringify(m.exports)).not.toContain('"source"');
    expect(files).toContain('package/LICENSE');
    expect(files).toContain('package/README.md');
    if (p !== 'emulator')
      expect(files.filter((f) => !/^package\/(dist\/|LICENSE$|README\.md$|package\.json$)/.test(f))).toEqual([]);
    else
      expect(
        files.filter((f) => !/^package\/(bin|src|dist)\/|^package\/(LICENSE|README\.md|package\.json)$/.test(f)),
      ).toEqual([]);
    const license = (await run('tar', ['-xzOf', tarballs[p], 'package/LICENSE'], { cwd: dir })).stdout;
    expect(license).toBe(rootLicense);
  });

  test('README: an Install section; pinned versions (CDN URLs) are this version', () => {
    const readme = readFileSync(join(root, 'packages', p, 'README.md'), 'utf8');
    expect(readme).toMatch(/^## Install$/m);
    expect(readme).toContain(`npm install ${p === 'emulator' ? '-D ' : ''}@ks3/${p}`);
    for (const m of readme.matchAll(/@ks3\/[a-z]+@(\d[\w.-]*)/g)) expect(m[1], m[0]).toBe(VERSION);
  });
});

test.each(PACKAGES)(
  '@ks3/%s installs on its own: its tarball plus only those of the @ks3 packages it depends on',
  async (p) => {
    const needed = new Set<PackageName>();
    const add = async (name: PackageName): Promise<void> => {
      if (needed.has(name)) return;
      needed.add(name);
      const deps = Object.keys(((await contents(name)).manifest.dependencies ?? {}) as Record<string, string>);
      for (const d of deps) if (d.startsWith('@ks3/')) await add(d.slice(5) as PackageName);
    };
    await add(p);
    const app = mkdtempSync(join(dir, `alone-${p}-`));
    writeFileSync(join(app, 'package.json'), '{"name":"alone","private":true,"type":"module"}');
    const npm = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
    await run('npm', [...npm, ...[...needed].map((n) => tarballs[n])], { cwd: app, env: userEnv(), timeout: 300_000 });
    const entry = p === 'emulator' ? 'startEmulator' : p === 'multipart' ? 'upload' : 'createClient';
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', `import * as m from '@ks3/${p}'; console.log(typeof m.${entry})`],
      {
        cwd: app,
        env: userEnv(),
      },
    );
    expect(stdout.trim()).toBe('function');
    expect(readdirSync(join(app, 'node_modules/@ks3')).sort()).toEqual([...needed].sort());
  },
  300_000,
);

test('the emulator is published with its bin, which npx runs by the package name', async () => {
  const { manifest } = await contents('emulator');
  // A single bin: `npx @ks3/emulator` runs it.
  expect(manifest.bin).toEqual({ 'ks3-emulator': './bin/ks3-emulator.js' });
});
