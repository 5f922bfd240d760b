/**
 * The benchmarks run the SDK from its built dist/ (as apps do). Builds with `pnpm build` when a
 * dist entry is missing or older than any source file, so figures never come from stale code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = ['core', 'node', 'multipart', 'browser'];

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function ensureBuilt(root, { build = true } = {}) {
  const stale = PACKAGES.filter((p) => {
    const entry = join(root, 'packages', p, 'dist/index.mjs');
    return !existsSync(entry) || statSync(entry).mtimeMs < newest(join(root, 'packages', p, 'src'));
  });
  if (!existsSync(join(root, 'packages/browser/dist/ks3.min.js'))) stale.push('browser (CDN file)');
  if (stale.length === 0) return;
  if (!build) throw new Error(`dist/ is missing or stale (${stale.join(', ')}): run \`pnpm build\` first`);
  console.log(`› building (dist missing or stale: ${stale.join(', ')})`);
  try {
    execFileSync('pnpm', ['-s', 'build'], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    process.stderr.write(`${e.stdout ?? ''}${e.stderr ?? ''}`);
    throw new Error('pnpm build failed');
  }
}
