#!/usr/bin/env bash
# Builds the widget bundle into webchat/static/dist/ from a fresh clone:
# `npm ci` when node_modules is missing or older than the lock file, then `npm run build`.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v npm >/dev/null 2>&1; then
    echo "webchat/build.sh: npm is required (Node 18+) to build the chat widget" >&2
    exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
fi
npm run --silent build
