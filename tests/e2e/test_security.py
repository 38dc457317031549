"""Only what a chat needs is public: Rasa's HTTP API answers only with the token, browsers of
other origins are refused, session ids and message size and rate are checked, and the bot keeps
answering everyone else throughout."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest

from ops.stack import send

pytestmark = pytest.mark.e2e


def status_of(method: str, url: str, body: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def answered(stack) -> bool:
    replies = send(stack.rasa_url, f"probe-{uuid.uuid4().hex[:8]}", "hello")
    return bool(replies and replies[0].get("text"))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/status"),
        ("GET", "/conversations/someone/tracker"),
        ("POST", "/conversations/someone/tracker/events"),
        ("DELETE", "/model"),
        ("PUT", "/model"),
        ("POST", "/model/parse"),
    ],
)
def test_anonymous_api_calls_are_refused_and_the_bot_keeps_answering(rasa_stack, method, path):
    code, _, _ = status_of(
        method, f"{rasa_stack.rasa_url}{path}", b"{}" if method != "GET" else None
    )
    assert code in (401, 403), f"{method} {path} answered {code} without the token"
    assert answered(rasa_stack)


def test_the_projects_tools_use_the_token(rasa_stack):
    code, _, body = status_of("GET", f"{rasa_stack.rasa_url}/status?token={rasa_stack.token}")
    assert code == 200 and json.loads(body)["model_file"]


def test_cors_allows_only_the_web_chats_origin(rasa_stack):
    url = f"{rasa_stack.rasa_url}/webhooks/rest/webhook"
    own = rasa_stack.origins[0]
    for origin, allowed in ((own, True), ("https://evil.example", False)):
        code, headers, _ = status_of(
            "OPTIONS",
            url,
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        )
        given = headers.get("Access-Control-Allow-Origin")
        assert (given in (origin, "*")) is allowed and given != "*", (origin, code, headers)


async def _socket_connects(url: str, origin: str) -> bool:
    """Whether a socket.io client sending this Origin header gets a connection."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    try:
        await client.connect(
            url, headers={"Origin": origin}, transports=["polling"], wait_timeout=10
        )
    except socketio.exceptions.ConnectionError:
        return False
    await client.disconnect()
    return True


def test_socketio_refuses_a_foreign_origin(rasa_stack):
    import asyncio

    assert asyncio.run(_socket_connects(rasa_stack.rasa_url, rasa_stack.origins[0]))
    assert not asyncio.run(_socket_connects(rasa_stack.rasa_url, "https://evil.example"))
    # One Access-Control-Allow-Origin header for the allowed origin (a doubled one is refused
    # by browsers), none for another site.
    url = f"{rasa_stack.rasa_url}/socket.io/?EIO=4&transport=polling"
    request = urllib.request.Request(url, headers={"Origin": rasa_stack.origins[0]})
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.headers.get_all("Access-Control-Allow-Origin") == [rasa_stack.origins[0]]
    request = urllib.request.Request(url, headers={"Origin": "https://evil.example"})
    with urllib.request.urlopen(request, timeout=15) as response:
        assert not response.headers.get_all("Access-Control-Allow-Origin")


@pytest.mark.parametrize("sender", ["", "a" * 65, "../etc", "x y", "é"])
def test_odd_sender_ids_are_refused_with_a_reason(rasa_stack, sender):
    body = json.dumps({"sender": sender, "message": "hello"}).encode()
    code, _, text = status_of(
        "POST",
        f"{rasa_stack.rasa_url}/webhooks/rest/webhook",
        body,
        {"Content-Type": "application/json"},
    )
    assert code == 400 and b"sender" in text


def test_an_oversized_message_gets_a_polite_reply_in_its_language(rasa_stack):
    replies = send(
        rasa_stack.rasa_url, f"long-{uuid.uuid4().hex[:8]}", "Bonjour, je voudrais savoir " * 200
    )
    assert replies and "trop long" in replies[0]["text"]


def test_a_flooding_sender_is_limited_while_others_keep_their_latency(rasa_stack):
    flooder = f"flood-{uuid.uuid4().hex[:8]}"
    body = json.dumps({"sender": flooder, "message": "hello"}).encode()
    codes = []
    for _ in range(40):
        code, headers, _ = status_of(
            "POST",
            f"{rasa_stack.rasa_url}/webhooks/rest/webhook",
            body,
            {"Content-Type": "application/json"},
        )
        codes.append(code)
    assert 429 in codes and codes[0] == 200
    started = time.perf_counter()
    assert answered(rasa_stack)
    assert time.perf_counter() - started < 5.0
