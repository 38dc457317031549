"""POST /feedback (webchat/feedback.py): a vote on an answer the tracker store holds is stored
with the answer's text; foreign origins, malformed input, answers never given and floods are
refused, and nothing is stored."""

from __future__ import annotations

import json
import time

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select

from bot.channels.limits import SECRET_VARIABLE, SessionSigner
from knowledge import feedback, migrate
from knowledge.db import make_engine
from webchat import feedback as endpoint

SESSION = "0123456789abcdef01234567.0123456789abcdef0123"
ANSWERED_AT = time.time() - 60
ANSWER = "The deadline is June 14, 2023."


@pytest.fixture
async def client(tmp_path, monkeypatch):
    tracker = tmp_path / "conversations.sqlite3"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tracker))
    events = [UserUttered("deadline?", timestamp=ANSWERED_AT - 1)]
    events.append(BotUttered(ANSWER, timestamp=ANSWERED_AT))
    await store.save(DialogueStateTracker.from_events(SESSION, events))
    store.engine.dispose()
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    monkeypatch.setenv("HUBGUIDE_TRACKER_DB", str(tracker))
    monkeypatch.setenv("HUBGUIDE_DATABASE_URL", url)
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    monkeypatch.setattr(endpoint, "LOOKUP_PAUSE", 0.01)
    endpoint._knowledge_engine.cache_clear()
    app = web.Application()
    endpoint.add_routes(app)
    async with TestClient(TestServer(app)) as test_client:
        test_client.kb_url = url
        yield test_client
    endpoint._knowledge_engine.cache_clear()


def own_origin(client: TestClient) -> str:
    return f"http://{client.host}:{client.port}"


async def vote(client: TestClient, body, *, origin: str | None = "own", **headers):
    if origin == "own":
        origin = own_origin(client)
    if origin:
        headers["Origin"] = origin
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    headers.setdefault("Content-Type", "application/json")
    return await client.post("/feedback", data=data, headers=headers)


def stored(client: TestClient) -> list[tuple]:
    engine = make_engine(client.kb_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(feedback.votes)).mappings().all()
            return [
                (r["conversation_id"], r["bot_timestamp"], r["answer"], r["vote"]) for r in rows
            ]
    finally:
        engine.dispose()


async def test_a_vote_on_an_answer_is_stored_with_its_text_and_a_second_one_replaces_it(client):
    good = {"session_id": SESSION, "timestamp": ANSWERED_AT, "vote": "down"}
    response = await vote(client, good)
    assert response.status == 201
    assert stored(client) == [(SESSION, ANSWERED_AT, ANSWER, "down")]
    assert (await vote(client, {**good, "vote": "up"})).status == 201
    assert stored(client) == [(SESSION, ANSWERED_AT, ANSWER, "up")]


@pytest.mark.parametrize(
    ("origin", "status"),
    [(None, 403), ("https://evil.example", 403), ("http://127.0.0.1:1", 403)],
)
async def test_a_foreign_or_missing_origin_is_refused(client, origin, status):
    good = {"session_id": SESSION, "timestamp": ANSWERED_AT, "vote": "down"}
    assert (await vote(client, good, origin=origin)).status == status
    assert stored(client) == []


async def test_an_allowed_hub_site_may_vote_and_gets_cors_headers(client, monkeypatch):
    monkeypatch.setenv("HUBGUIDE_ALLOWED_ORIGINS", "https://hub.example")
    good = {"session_id": SESSION, "timestamp": ANSWERED_AT, "vote": "up"}
    response = await vote(client, good, origin="https://hub.example")
    assert response.status == 201
    assert response.headers["Access-Control-Allow-Origin"] == "https://hub.example"
    pre = await client.options("/feedback", headers={"Origin": "https://hub.example"})
    assert pre.headers["Access-Control-Allow-Methods"] == "POST"
    evil = await client.options("/feedback", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in evil.headers


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"session_id": "../../etc", "timestamp": ANSWERED_AT, "vote": "down"}, 400),
        ({"session_id": "x" * 65, "timestamp": ANSWERED_AT, "vote": "down"}, 400),
        ({"session_id": 12, "timestamp": ANSWERED_AT, "vote": "down"}, 400),
        ({"session_id": SESSION, "timestamp": "yesterday", "vote": "down"}, 400),
        ({"session_id": SESSION, "timestamp": True, "vote": "down"}, 400),
        ({"session_id": SESSION, "timestamp": -1, "vote": "down"}, 400),
        ({"session_id": SESSION, "timestamp": ANSWERED_AT, "vote": "meh"}, 400),
        ({"session_id": SESSION, "timestamp": ANSWERED_AT + 5, "vote": "down"}, 404),
        ({"session_id": "another-conversation", "timestamp": ANSWERED_AT, "vote": "up"}, 404),
        ("[1, 2]", 400),
        ("not json", 400),
    ],
)
async def test_bad_input_and_answers_never_given_are_refused(client, body, status):
    assert (await vote(client, body)).status == status
    assert stored(client) == []


async def test_a_form_post_is_refused(client):
    response = await vote(
        client, "session_id=x&vote=down", **{"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status == 415


async def test_a_forged_session_id_is_refused_when_ids_are_signed(client, monkeypatch):
    monkeypatch.setenv(SECRET_VARIABLE, "the chat's secret")
    forged = {"session_id": SESSION, "timestamp": ANSWERED_AT, "vote": "down"}
    assert (await vote(client, forged)).status == 400
    signed = SessionSigner("the chat's secret").new()
    assert (await vote(client, {**forged, "session_id": signed})).status == 404  # valid id


async def test_votes_are_rate_limited_per_conversation(client, monkeypatch):
    good = {"session_id": SESSION, "timestamp": ANSWERED_AT, "vote": "down"}
    statuses = [(await vote(client, good)).status for _ in range(endpoint.PER_SESSION_PER_MINUTE)]
    assert set(statuses) == {201}
    assert (await vote(client, good)).status == 429
