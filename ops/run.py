"""`make run`: starts the action server, the Rasa server and the web chat, until Ctrl-C."""

from __future__ import annotations

import signal
import sys
import time

from ops.stack import ROOT, Stack, latest_model


def main() -> int:
    stack = Stack(model=latest_model(), log_dir=ROOT / "var" / "log", web=True, host="0.0.0.0")
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
  Talk by curl:  curl -s -XPOST {stack.rasa_url}/webhooks/rest/webhook \\
                   -H 'Content-Type: application/json' \\
                   -d '{{"sender": "me", "message": "Deadline of the Moroccan clusters call?"}}'
  Terminal chat: make chat   (in another terminal)
Press Ctrl-C to stop everything.""",
            flush=True,
        )
        while True:
            for server in stack.servers:
                server.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping …")
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
