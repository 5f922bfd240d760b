// Prints the run's last line, "N passed, N failed", from vitest's and Playwright's JSON reports.
// Arguments name the steps that failed; a failed step whose tests are not in a report (build,
// typecheck, a runner that crashed before writing its report) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined);
const reports = {
  vitest: read('.vitest-report.json'),
  playwright: read('.playwright-report.json'),
};
let passed = 0;
let failed = 0;
if (reports.vitest) {
  passed += reports.vitest.numPassedTests;
  failed += reports.vitest.numFailedTests;
}
if (reports.playwright) {
  passed += reports.playwright.stats.expected;
  failed += reports.playwright.stats.unexpected + reports.playwright.stats.flaky;
}
for (const step of process.argv.slice(2)) {
  const report = reports[step];
  const counted = report && (step === 'vitest' ? report.numFailedTests : report.stats.unexpected) > 0;
  if (!counted) failed += 1;
}
for (const step of ['vitest', 'playwright']) if (!reports[step] && !process.argv.includes(step)) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
