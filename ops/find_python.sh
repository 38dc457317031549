#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, or explains how to get one and fails.
# Rasa Open Source 3.6 runs on Python 3.10 only. On these machines 3.10 comes from pyenv, whose
# bare `python3.10` shim fails unless PYENV_VERSION names it, so ask pyenv for the real binary.
set -u

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }

candidates=()
[ -n "${HUBGUIDE_PYTHON:-}" ] && candidates+=("$HUBGUIDE_PYTHON")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null)
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -t. -k3 -n -r); do
    candidates+=("$root/versions/$v/bin/python3.10")
  done
fi
for d in "$HOME/.pyenv/versions"/3.10*/bin /usr/local/bin /usr/bin; do
  [ -x "$d/python3.10" ] && candidates+=("$d/python3.10")
done
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")

for c in "${candidates[@]}"; do
  if [ -x "$c" ] && is_310 "$c"; then echo "$c"; exit 0; fi
done

cat >&2 <<'MSG'
HubGuide needs Python 3.10 (Rasa Open Source 3.6 supports no other version), and none was found.
Install it, then run make again:
  - with pyenv:   pyenv install 3.10     (make finds pyenv's versions itself)
  - on Debian:    apt-get install python3.10 python3.10-venv   (where the release has it)
  - or point to one:  make run HUBGUIDE_PYTHON=/path/to/python3.10
MSG
exit 1
