#!/usr/bin/env bash
# Runs the test suite; "no tests collected" (pytest exit code 5) is a failure, not a pass.
set -u
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest -ra "$@"
code=$?
if [ "$code" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose." >&2
  exit 1
fi
exit "$code"
