"""Every message the socket.io channel emits for a bot event carries that event's timestamp
as `metadata.ts` (the answer a thumbs vote names, webchat/feedback.py); other payloads do not."""

from __future__ import annotations

from rasa.shared.core.events import BotUttered

from tests.integration.ops.test_webchat_outbox import channel, join  # noqa: F401 - fixture


async def test_a_bot_message_carries_its_event_timestamp(channel) -> None:  # noqa: F811
    channel, sent = channel
    _sid, _ = await join(channel, None)
    session = sent[-1][1]
    output = channel.get_output_channel()
    event = BotUttered(
        "First part.\n\nSecond part.",
        data={"buttons": [{"title": "Yes", "payload": "/affirm"}]},
        metadata={"hubguide_unknown": True},
    )
    await output.send_response(session, event.message())
    bot = [data for name, data, _room in sent if name == "bot_uttered"]
    assert [m["text"] for m in bot] == ["First part.", "Second part."]
    assert {m["metadata"]["ts"] for m in bot} == {event.timestamp}
    # rasa-webchat shows a message only with these keys (it drops `metadata` first)
    assert all(set(m) - {"metadata"} in ({"text"}, {"text", "quick_replies"}) for m in bot)
    await output.send_text_message(session, "a reminder outside any bot event")
    assert "metadata" not in sent[-1][1]
