"""A bot message for a web chat visitor who left (a reminder, a staff reply) is kept and sent
when their session reconnects; one for a connected visitor goes out at once."""

from __future__ import annotations

import inspect
import uuid

import pytest

from knowledge import migrate
from knowledge.db import make_engine
from webchat import rasa_channel
from webchat.rasa_channel import SocketIOInput


@pytest.fixture
def channel(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'outbox.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    monkeypatch.setenv("HUBGUIDE_DATABASE_URL", url)
    rasa_channel._engine.cache_clear()
    channel = SocketIOInput(session_persistence=True)
    channel.blueprint(lambda message: None)
    sent: list = []

    async def emit(event, data=None, room=None, **kwargs):
        sent.append((event, data, room))

    channel.sio.emit = emit
    yield channel, sent
    rasa_channel._engine.cache_clear()


async def join(channel: SocketIOInput, session_id: str | None) -> tuple[str, str]:
    """A socket connects and asks for its session; (socket id, session id)."""
    sio = channel.sio
    connected = sio.manager.connect(f"eio-{uuid.uuid4().hex}", "/")
    sid = await connected if inspect.isawaitable(connected) else connected
    await sio.handlers["/"]["session_request"](sid, {"session_id": session_id})
    return sid, session_id


async def leave(channel: SocketIOInput, sid: str) -> None:
    left = channel.sio.manager.disconnect(sid, "/")
    if inspect.isawaitable(left):
        await left
    await channel.sio.handlers["/"]["disconnect"](sid)


async def test_a_message_for_an_away_visitor_waits_for_the_next_visit(channel) -> None:
    channel, sent = channel
    sid, _ = await join(channel, None)
    session = sent[-1][1]
    output = channel.get_output_channel()
    await output.send_text_message(session, "while you are here")
    assert sent[-1] == ("bot_uttered", {"text": "while you are here"}, session)
    await leave(channel, sid)
    before = len(sent)
    await output.send_text_message(session, "Reminder: the deadline is near.")
    assert len(sent) == before  # nobody to send it to: kept
    await join(channel, session)
    assert sent[-2][0] == "session_confirm"
    assert sent[-1] == ("bot_uttered", {"text": "Reminder: the deadline is near."}, session)
    await join(channel, session)  # a second visit gets it no more
    assert sent[-1][0] == "session_confirm"
