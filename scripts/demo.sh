#!/usr/bin/env bash
# The main job: build the SDK, start the KS3 emulator on a free loopback port, and walk through
# put / head / get / list / presign / delete against it, printing each step.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
pnpm -s build >/dev/null
node examples/node/walkthrough.mjs
