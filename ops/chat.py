"""A terminal chat with a running HubGuide (REST channel): `make chat`."""

from __future__ import annotations

import argparse
import uuid

from ops.stack import configured_port, send


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=f"http://127.0.0.1:{configured_port('rasa')}")
    parser.add_argument("--locale", help="language hint sent with every message, e.g. fr-FR")
    args = parser.parse_args()
    sender = f"terminal-{uuid.uuid4().hex[:8]}"
    metadata = {"locale": args.locale} if args.locale else None
    print("Type a message (Ctrl-D to quit).")
    while True:
        try:
            text = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if not text:
            continue
        for reply in send(args.url, sender, text, metadata):
            if "text" in reply:
                print(f"bot> {reply['text']}")
            for button in reply.get("buttons", []):
                print(f"     [{button.get('title')}]  (type: {button.get('payload')})")


if __name__ == "__main__":
    main()
