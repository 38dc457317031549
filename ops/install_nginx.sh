#!/usr/bin/env bash
# Installs nginx from Debian's packages when /usr/sbin/nginx is missing (`make cluster`, the
# cluster tests). Only the binary is used: the project writes its own config into var/ and
# starts nginx itself on 127.0.0.1; the package's own service is stopped and disabled so that
# nothing listens on port 80.
set -euo pipefail
NGINX=/usr/sbin/nginx
if [ -x "$NGINX" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "nginx is missing and installing it needs root: apt-get install -y nginx" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The package's post-install script starts the default site on port 80: forbid it (policy-rc.d
# exit 101 = "action not allowed"), then restore whatever policy was there.
policy=/usr/sbin/policy-rc.d
backup=""
if [ -e "$policy" ]; then
  backup=$(mktemp)
  cp -p "$policy" "$backup"
fi
restore() {
  if [ -n "$backup" ]; then mv "$backup" "$policy"; else rm -f "$policy"; fi
}
trap restore EXIT
printf '#!/bin/sh\nexit 101\n' >"$policy"
chmod +x "$policy"
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx
# Should a service manager have started it anyway, stop it (ours runs from var/).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
  systemctl stop nginx || true
  systemctl disable nginx || true
fi
"$NGINX" -v
