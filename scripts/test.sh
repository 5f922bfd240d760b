#!/usr/bin/env bash
# Every test: build, type-check, lint, format check, the API reference, then vitest (unit,
# vectors, oracle, emulator, contract in Node, Chromium and an edge runtime, the release checks
# on packed tarballs) and the Playwright page tests. Ends with one line "N passed, N failed":
# every test of vitest and Playwright, and each other step as one.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --browser || { echo "0 passed, 1 failed"; exit 1; }

results=()
step() {
  local name=$1; shift
  echo "› $name"
  if "$@"; then results+=("$name:ok"); else echo "✗ $name failed"; results+=("$name:failed"); fi
}
rm -f .vitest-report.json .playwright-report.json
step build pnpm -s build
step typecheck bash scripts/typecheck.sh
step lint pnpm -s lint
step format pnpm -s check:format
step docs pnpm -s docs
step vitest pnpm -s exec vitest run --reporter=default --reporter=json --outputFile.json=.vitest-report.json
step playwright pnpm -s exec playwright test --config playwright.config.ts
node scripts/summary.mjs "${results[@]}"
