#!/usr/bin/env bash
# Type-checks each package's sources under its own settings (core, browser and multipart see
# web globals only), then all tests, examples and configs.
set -euo pipefail
cd "$(dirname "$0")/.."
for p in core browser multipart node emulator; do pnpm -s exec tsc -p "packages/$p/tsconfig.json"; done
pnpm -s exec tsc -p tsconfig.json
