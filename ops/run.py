"""`make run`: starts the action server, the Rasa server and the web chat, until Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys

from ops.stack import ROOT, TOKEN_VARIABLE, Stack, latest_model, watch

SECRETS_FILE = ROOT / "var" / "secrets.json"


def secrets() -> dict[str, str]:
    """The API token, the web chat's and the staff workspace's session secrets: from the
    environment, else kept in var/secrets.json (readable by the owner only) so that they
    survive a restart."""
    import json
    import os
    import secrets as random

    from bot.channels.limits import SECRET_VARIABLE
    from staff.security import SECRET_VARIABLE as STAFF_SECRET_VARIABLE

    stored = json.loads(SECRETS_FILE.read_text()) if SECRETS_FILE.exists() else {}
    values = {}
    for name in (TOKEN_VARIABLE, SECRET_VARIABLE, STAFF_SECRET_VARIABLE):
        values[name] = os.environ.get(name) or stored.get(name) or random.token_urlsafe(32)
    if values != {k: stored.get(k) for k in values}:
        SECRETS_FILE.parent.mkdir(parents=True, exist_ok=True)
        SECRETS_FILE.touch(mode=0o600)
        SECRETS_FILE.write_text(json.dumps(values, indent=2))
    return values


def main() -> int:
    stack = Stack(
        model=latest_model(),
        log_dir=ROOT / "var" / "log",
        web=True,
        scheduler=True,  # reminders and hand-off notices (ops/scheduler.py)
        env={
            "HUBGUIDE_TRACKER_DB": str(ROOT / "var" / "conversations.sqlite3"),
            # The Rasa server's Prometheus metrics (ops/rasa_metrics.py); "0" turns them off.
            "HUBGUIDE_RASA_METRICS_PORT": os.environ.get("HUBGUIDE_RASA_METRICS_PORT", "9105"),
            **secrets(),
        },
    )
    print("Starting the action server, the Rasa server and the web chat (logs in var/log/) …")
    # Ctrl-C stops everything, even when a shell started us with SIGINT ignored (background job).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        stack.start()
        print(
            f"""
HubGuide is running.
  Web chat:      {stack.web_url}/
  Staff:         {stack.web_url}/staff/
                 (first account: .venv/bin/hubguide staff add-user NAME --role admin)
  Talk by curl:  curl -s -XPOST {stack.rasa_url}/webhooks/rest/webhook \\
                   -H 'Content-Type: application/json' \\
                   -d '{{"sender": "me", "message": "Deadline of the Moroccan clusters call?"}}'
  Terminal chat: make chat   (in another terminal)
  HTTP API:      only with the token in var/secrets.json (curl '{stack.rasa_url}/status?token=…')
  Watching it:   {stack.actions_url}/metrics and /health (action server),
                 http://127.0.0.1:{stack.env["HUBGUIDE_RASA_METRICS_PORT"]}/metrics (Rasa server)
  Hand-off:      {stack.web_url}/staff/handoff   (fallback page without accounts:
                 {stack.web_url}/handoff/ with HUBGUIDE_STAFF_TOKEN; off without it)
Press Ctrl-C to stop everything.""",
            flush=True,
        )
        watch(stack.servers)
    except KeyboardInterrupt:
        print("\nStopping …")
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
