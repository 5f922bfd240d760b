#!/usr/bin/env bash
# Every test: build, type-check, then vitest (unit, vectors, oracle, emulator, contract; in Node
# and in Chromium) and the Playwright page tests. Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --browser || { echo "0 passed, 1 failed"; exit 1; }

failed=()
step() {
  local name=$1; shift
  echo "› $name"
  "$@" || { echo "✗ $name failed"; failed+=("$name"); }
}
rm -f .vitest-report.json .playwright-report.json
step build pnpm -s build
step typecheck bash scripts/typecheck.sh
step vitest pnpm -s exec vitest run --reporter=default --reporter=json --outputFile.json=.vitest-report.json
step playwright pnpm -s exec playwright test --config playwright.config.ts
node scripts/summary.mjs "${failed[@]}"
