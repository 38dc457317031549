"""rasa-webchat's customData read as message metadata, its init payload answered as a hello."""

from __future__ import annotations

import inspect

from webchat.rasa_channel import SocketIOInput


async def sent_message(data: dict) -> object:
    """The UserMessage the channel hands to Rasa for one `user_uttered` event."""
    received = []

    async def on_new_message(message):
        received.append(message)

    channel = SocketIOInput(session_persistence=True)
    channel.blueprint(on_new_message)
    sio = channel.sio

    async def emit(*args, **kwargs):
        return None

    sio.emit = emit
    connected = sio.manager.connect("engine-io-client", "/")
    sid = await connected if inspect.isawaitable(connected) else connected
    await sio.handlers["/"]["connect"](sid, {})
    await sio.handlers["/"]["session_request"](sid, {"session_id": None})
    session = next(room for room in sio.manager.get_rooms(sid, "/") if room != sid)
    await sio.handlers["/"]["user_uttered"](sid, {**data, "session_id": session})
    return received[0]


async def test_rasa_webchat_custom_data_is_the_metadata_and_get_started_greets() -> None:
    message = await sent_message({"message": "/get_started", "customData": {"language": "fr"}})
    assert message.text == "/greet"
    assert message.metadata == {"language": "fr"}


async def test_the_projects_own_metadata_still_wins() -> None:
    message = await sent_message(
        {"message": "hei", "metadata": {"locale": "nb-NO"}, "customData": {"language": "fr"}}
    )
    assert message.text == "hei" and message.metadata == {"locale": "nb-NO"}
