"""Odd and hostile input over HTTP: a 4xx or a sensible reply, never a crash or a stack trace."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest

from ops.stack import send

pytestmark = pytest.mark.e2e


def post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def message(sender: str, text: str) -> bytes:
    return json.dumps({"sender": sender, "message": text}).encode()


BAD_BODIES = {
    "empty text": lambda sender: message(sender, ""),
    "20 KB of text": lambda sender: message(sender, "innovation hub deadline " * 850),
    "only emoji": lambda sender: message(sender, "🚀🚀🙂👍"),
    "markup": lambda sender: message(sender, "<script>alert('x')</script><b>hi</b>"),
    "SQL-looking text": lambda sender: message(sender, "'; DROP TABLE calls; --"),
    "invalid JSON": lambda sender: b'{"sender": "x", "message": ',
    "missing sender": lambda sender: json.dumps({"message": "hello"}).encode(),
    "not an object": lambda sender: b"[1, 2, 3]",
    "metadata not an object": lambda sender: json.dumps(
        {"sender": sender, "message": "hi", "metadata": ["fr"]}
    ).encode(),
    "message not text": lambda sender: json.dumps({"sender": sender, "message": 42}).encode(),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_input_never_crashes_and_the_conversation_goes_on(rasa_stack, case: str) -> None:
    sender = f"bad-{uuid.uuid4().hex[:8]}"
    url = f"{rasa_stack.rasa_url}/webhooks/rest/webhook"
    status, body = post(url, BAD_BODIES[case](sender))
    assert status < 500, f"{case}: HTTP {status}: {body[:300]}"
    assert "Traceback" not in body
    replies = send(rasa_stack.rasa_url, sender, "hello")
    assert replies and replies[0].get("text"), f"{case}: no reply to the next message"


def test_wrong_content_type(rasa_stack) -> None:
    sender = f"bad-{uuid.uuid4().hex[:8]}"
    url = f"{rasa_stack.rasa_url}/webhooks/rest/webhook"
    status, body = post(url, b"sender=x&message=hi", "application/x-www-form-urlencoded")
    assert status < 500 and "Traceback" not in body
    assert send(rasa_stack.rasa_url, sender, "hello")
