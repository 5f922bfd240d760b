// Prints the run's last line, "N passed, N failed". Arguments are the steps of scripts/test.sh
// as `name:ok` or `name:failed`. vitest and Playwright count their tests from their JSON
// reports; every other step (build, typecheck, lint, format, docs) counts as one test. A runner
// step that failed without a failed test in its report (it crashed, or wrote no report) counts
// as one more failure.
import { existsSync, readFileSync } from 'node:fs';

const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined);
const reports = {
  vitest: read('.vitest-report.json'),
  playwright: read('.playwright-report.json'),
};
const counts = {
  vitest: (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests }),
  playwright: (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky }),
};
let passed = 0;
let failed = 0;
for (const arg of process.argv.slice(2)) {
  const [step, status] = arg.split(':');
  if (!(step in counts)) {
    if (status === 'ok') passed += 1;
    else failed += 1;
    continue;
  }
  const report = reports[step];
  const c = report ? counts[step](report) : { passed: 0, failed: 0 };
  passed += c.passed;
  failed += c.failed;
  if (!report || (status !== 'ok' && c.failed === 0)) failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
