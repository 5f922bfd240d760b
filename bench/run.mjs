#!/usr/bin/env node
/**
 * `pnpm bench`: every figure of the benchmarks issue, each next to its baseline measured in the
 * same run on the same machine, printed as it completes and written to BENCHMARKS.md at the repo
 * root. `--only size,crypto` runs some sections (the file then holds only those).
 * BENCH_RUNS=N measures N runs per figure instead of 5 (after one warm-up). BENCH_OUT=<file>
 * writes the report there instead; BENCH_SMOKE=1 only checks that the sections run (one run
 * each, lib/measure.mjs); BENCH_NO_BUILD=1 fails instead of building when dist/ is stale.
 */
import { join } from 'node:path';
import { ROOT } from '../scripts/size.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { machineLine } from './lib/machine.mjs';
import { RUNS } from './lib/measure.mjs';
import { Report } from './lib/report.mjs';
import { startSink } from './sink/client.mjs';

const SECTIONS = ['size', 'throughput', 'multipart', 'link', 'crypto', 'memory', 'small', 'browser'];
const onlyArg = process.argv.find((a) => a.startsWith('--only'));
const only = onlyArg
  ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : (process.argv[process.argv.indexOf(onlyArg) + 1] ?? '')).split(',')
  : SECTIONS;
const unknown = only.filter((s) => !SECTIONS.includes(s));
if (unknown.length) {
  console.error(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.join(' ')}`);
  process.exit(2);
}

const started = performance.now();
ensureBuilt(ROOT, { build: process.env.BENCH_NO_BUILD !== '1' });
const machine = machineLine();
console.log(`Machine: ${machine}`);
const report = new Report(
  process.env.BENCH_OUT ?? join(ROOT, 'BENCHMARKS.md'),
  [
    '# Benchmarks',
    '',
    'Written by `pnpm bench` (bench/run.mjs). Every figure is measured next to its baseline in the same run on the same machine; read the ratios, not the absolute numbers.',
    `Each figure is the median of ${RUNS} runs after one warm-up, with min–max in parentheses (sizes are deterministic: one build). Ratio = ours ÷ baseline; ↑ means higher is better, ↓ lower is better.`,
    '',
    `**Machine:** ${machine}`,
  ].join('\n'),
);

const sink = await startSink();
try {
  for (const name of SECTIONS.filter((s) => only.includes(s))) {
    const mod = await import(`./sections/${name}.mjs`);
    await mod.default(report, { sink, root: ROOT });
  }
} finally {
  await sink.close();
}
const minutes = (performance.now() - started) / 60_000;
report.footer = `Total run time: ${minutes.toFixed(1)} min (sections: ${only.join(', ')}).`;
report.write();
console.log(`\n${report.markdown()}\nWrote ${process.env.BENCH_OUT ?? 'BENCHMARKS.md'}`);
