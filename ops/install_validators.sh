#!/usr/bin/env bash
# Creates var/validate-venv with the pinned validators of the deployment files
# (requirements/validate.txt: kubernetes-validate for deploy/kubernetes/, check-jsonschema with
# the compose-spec schema it ships for deploy/compose.yaml). Their own virtualenv: they need
# jsonschema >= 4.23, Rasa 3.6 pins 4.17.3. Does nothing when the pins are already installed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=var/validate-venv
PINS=requirements/validate.txt
STAMP=$VENV/.installed
want=$(sha256sum "$PINS" | cut -d' ' -f1)
if [ -x "$VENV/bin/kubernetes-validate" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
py=$(bash ops/find_python.sh)
rm -rf "$VENV"
"$py" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$PINS"
echo "$want" >"$STAMP"
