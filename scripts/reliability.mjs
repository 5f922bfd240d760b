#!/usr/bin/env node
/**
 * `pnpm reliability`: runs the long soak (`--short`: the CI soak) and the hostile-input and
 * hostile-response catalogue, with the secret scan recording what it scanned, and writes
 * RELIABILITY.md at the repo root from their reports. Exits non-zero when any of them failed
 * (the file then says so).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineLine } from '../bench/lib/machine.mjs';
import { renderReliability } from './reliability-report.mjs';
import { ROOT, soak, vitest } from './soak.mjs';

const short = process.argv.includes('--short');
const tmp = join(ROOT, '.tmp', 'reliability');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
const files = {
  soak: join(tmp, 'soak.json'),
  catalogue: join(tmp, 'catalogue.json'),
  scan: join(tmp, 'scan.jsonl'),
};
const read = (f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8'));
  } catch {
    return undefined;
  }
};

const started = Date.now();
const status = {
  soak: soak({ long: !short, out: files.soak, env: { KS3_SECRET_SCAN_OUT: files.scan } }),
  catalogue: vitest('internal/reliability/catalogue.test.ts', {
    KS3_CATALOGUE_OUT: files.catalogue,
    KS3_SECRET_SCAN_OUT: files.scan,
  }),
};
let scan;
try {
  scan = readFileSync(files.scan, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
} catch {
  scan = undefined;
}
const markdown = renderReliability({
  machine: machineLine(),
  command: short ? 'pnpm reliability --short' : 'pnpm reliability',
  minutes: (Date.now() - started) / 60_000,
  status,
  soak: read(files.soak),
  catalogue: read(files.catalogue),
  scan,
});
writeFileSync(join(ROOT, 'RELIABILITY.md'), markdown);
console.log(`\n${markdown}\nWrote RELIABILITY.md`);
process.exit(status.soak || status.catalogue ? 1 : 0);
