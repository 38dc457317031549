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

# rasa-webchat (npm) ships a standalone bundle, served with its licence by the /rasa-webchat
# page (webchat/server.py). Its CSS imports the Inter font from Google's font CDN: that import
# is dropped (the page's own fonts are used), so the page loads nothing from elsewhere.
node -e '
const fs = require("fs");
const source = fs.readFileSync("node_modules/rasa-webchat/lib/index.js", "utf8");
const bundle = source.replace(/@import url\(https:\/\/fonts\.googleapis\.com\/[^)]*\);/g, "");
if (/fonts\.googleapis\.com\/css/.test(bundle)) throw new Error("rasa-webchat: a font import is left");
fs.writeFileSync("static/dist/rasa-webchat.js", bundle);
'
cp node_modules/rasa-webchat/LICENSE static/dist/rasa-webchat.LICENSE.txt
