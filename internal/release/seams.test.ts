/**
 * The platform seam holds (docs/ARCHITECTURE.md): core, multipart and browser import no `node:*`
 * module and sniff no platform; only core's `platform*.ts` may look at the runtime.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { root } from './pack.js';

const SNIFF = /typeof\s+(document|window|navigator|process|Deno|Bun)\b|globalThis\.(process|Deno|Bun|document)\b/;
const NODE_IMPORT = /(from|import\()\s*['"]node:/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

test('no node:* import and no platform sniffing outside the seam', () => {
  const found: string[] = [];
  for (const pkg of ['core', 'multipart', 'browser']) {
    for (const file of sources(join(root, 'packages', pkg, 'src'))) {
      const rel = relative(root, file);
      const text = readFileSync(file, 'utf8');
      if (NODE_IMPORT.test(text)) found.push(`${rel}: imports node:*`);
      if (SNIFF.test(text) && !/^packages\/core\/src\/platform(\.browser)?\.ts$/.test(rel))
        found.push(`${rel}: sniffs`);
    }
  }
  expect(found).toEqual([]);
});

test('the check sees what it looks for', () => {
  expect(SNIFF.test("if (typeof document !== 'undefined')")).toBe(true);
  expect(NODE_IMPORT.test("import { readFile } from 'node:fs';")).toBe(true);
  expect(sources(join(root, 'packages/core/src')).length).toBeGreaterThan(40);
});
