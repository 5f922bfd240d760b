/**
 * Packs the published packages as a release would (`pnpm pack`, which turns `workspace:^` into
 * version ranges and applies `publishConfig`), for the release tests. Needs `pnpm build` first
 * (the test script runs it).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const root = resolve(import.meta.dirname, '../..');
/** Every published package, dependencies first. */
export const PACKAGES = ['core', 'multipart', 'node', 'browser', 'emulator'] as const;
export type PackageName = (typeof PACKAGES)[number];

const exec = promisify(execFile);

/** Variables pnpm sets for the scripts it runs (npm would warn about some of them). */
const PNPM_SCRIPT_ENV =
  /^(npm_command|npm_config_user_agent|npm_config_verify_deps_before_run|npm_(lifecycle|package)_.*|npm_(node_)?execpath)$/i;

/**
 * The environment of a user's shell: this process's, less what pnpm sets for scripts and any
 * KS3_* of this machine (npm's own settings, such as a registry or proxy, stay).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !PNPM_SCRIPT_ENV.test(k) && !/^KS3_/i.test(k)),
  );
  return { ...env, ...extra };
}

/** Runs a command; on failure the error names it and carries its output. */
export async function run(
  cmd: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await exec(cmd, args, { timeout: 120_000, maxBuffer: 32 << 20, ...options });
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

/** Packs every package into `dest`; returns the tarball path of each. */
export async function packAll(dest: string): Promise<Record<PackageName, string>> {
  for (const p of PACKAGES) {
    const built = p === 'emulator' ? 'dist/index.d.ts' : 'dist/index.mjs';
    if (!existsSync(join(root, 'packages', p, built)))
      throw new Error(`packages/${p}/${built} is missing: run pnpm build`);
  }
  // One at a time: pnpm pack of two packages at once contends for the same store on 2 cores.
  for (const p of PACKAGES) await run('pnpm', ['pack', '--pack-destination', dest], { cwd: join(root, 'packages', p) });
  const files = readdirSync(dest);
  const out = {} as Record<PackageName, string>;
  for (const p of PACKAGES) {
    const f = files.find((n) => n.startsWith(`ks3-${p}-`) && n.endsWith('.tgz'));
    if (!f) throw new Error(`pnpm pack wrote no tarball for @ks3/${p} in ${dest}`);
    out[p] = join(dest, f);
  }
  return out;
}
