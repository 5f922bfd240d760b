#!/usr/bin/env bash
# The main job: build the SDK, then start the web demo — the local KS3 emulator with strict CORS,
# a small Node backend that holds the key and hands the page temporary credentials (or signs)
# for its own prefix only, and a page built on the CDN file — print its URL and run until
# Ctrl-C. Options go to examples/web-demo/server.mjs (--port N, --data DIR, --sts-seconds N).
# The command-line walkthrough is `node examples/node/walkthrough.mjs` (after a build).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
echo "› building the SDK"
log=$(mktemp)
pnpm -s build >"$log" 2>&1 || { cat "$log"; rm -f "$log"; exit 1; }
rm -f "$log"
exec node examples/web-demo/server.mjs "$@"
