"""Locust visitors for the load benchmark (bench/load.py): each holds the conversations of
tests/e2e/conversations/*.yml, one after the other (a new conversation id each), through the
REST channel behind nginx, thinking a few seconds between messages.

Run by bench/load.py as `locust -f bench/locustfile.py --headless …`; alone:

    .venv/bin/locust -f bench/locustfile.py --headless -u 20 -r 5 -t 30s --host http://127.0.0.1:5005

HUBGUIDE_LOAD_THINK ("2,5": seconds between messages), HUBGUIDE_LOAD_CHECKS (a JSON file that
receives how many answers missed what the conversation file expects; the cluster must run at the
frozen clock, HUBGUIDE_NOW, for those expectations to hold).
"""

from __future__ import annotations

import json
import os
import random
import threading
import uuid
from pathlib import Path

import yaml
from locust import FastHttpUser, between, events, task

CONVERSATIONS_DIR = Path(__file__).resolve().parent.parent / "tests" / "e2e" / "conversations"
_think = [float(x) for x in os.environ.get("HUBGUIDE_LOAD_THINK", "2,5").split(",")]
THINK_MIN, THINK_MAX = _think[0], _think[-1]


def load_conversations(folder: Path = CONVERSATIONS_DIR) -> list[dict]:
    conversations = []
    for path in sorted(folder.glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8")):
            conversation["language_file"] = path.stem
            conversations.append(conversation)
    return conversations


CONVERSATIONS = load_conversations()
_checks = {"turns": 0, "wrong": 0, "examples": []}
_checks_lock = threading.Lock()


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _record(ok: bool, example: dict | None = None) -> None:
    with _checks_lock:
        _checks["turns"] += 1
        if not ok:
            _checks["wrong"] += 1
            if example and len(_checks["examples"]) < 10:
                _checks["examples"].append(example)


@events.quitting.add_listener
def _write_checks(environment, **_kwargs) -> None:
    target = os.environ.get("HUBGUIDE_LOAD_CHECKS")
    if target:
        Path(target).write_text(json.dumps(_checks, indent=2, ensure_ascii=False))


class Visitor(FastHttpUser):
    """One person on a hub's site: a whole conversation, then another one."""

    wait_time = between(THINK_MIN, THINK_MAX)

    @task
    def conversation(self) -> None:
        conversation = random.choice(CONVERSATIONS)
        sender = f"load-{uuid.uuid4().hex[:12]}"
        for turn in conversation["turns"]:
            body = {"sender": sender, "message": turn["user"]}
            if turn.get("metadata"):
                body["metadata"] = turn["metadata"]
            with self.client.post(
                "/webhooks/rest/webhook", json=body, name="message", catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                    return
                try:
                    replies = response.json()
                except ValueError:
                    response.failure("not JSON")
                    return
                if not replies:
                    response.failure("no reply")
                    return
                response.success()
            text = plain("\n".join(reply.get("text") or "" for reply in replies))
            expect = turn.get("expect") or {}
            missing = [f for f in expect.get("contains", []) if plain(f) not in text]
            unexpected = [f for f in expect.get("not_contains", []) if plain(f) in text]
            _record(
                not missing and not unexpected,
                {"message": turn["user"], "missing": missing, "reply": text[:300]},
            )
            self.wait()
