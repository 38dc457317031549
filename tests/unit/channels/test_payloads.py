"""The providers' payloads read into messages (what is answered, what is not)."""

from __future__ import annotations

from bot.channels.messenger import MessengerInput
from bot.channels.telegram import TelegramInput
from bot.channels.whatsapp import WhatsAppInput


def telegram() -> TelegramInput:
    return TelegramInput({"token": "t", "secret": "s"})


def test_telegram_text_photo_voice_edit_callback_and_others() -> None:
    chat = {"id": 5, "type": "private"}
    sender = {"id": 5, "language_code": "sv"}
    base = {"message_id": 9, "chat": chat, "from": sender, "date": 1}
    [text] = telegram().incoming({"update_id": 1, "message": {**base, "text": "Hej"}})
    assert (text.sender, text.key, text.text, text.kind, text.locale) == (
        "5",
        "5:9",
        "Hej",
        "text",
        "sv",
    )
    [voice] = telegram().incoming({"update_id": 2, "message": {**base, "voice": {"file_id": "v"}}})
    assert voice.kind == "media"
    edit = {**base, "text": "Hej igen", "edit_date": 7}
    [edited] = telegram().incoming({"update_id": 3, "edited_message": edit})
    assert edited.kind == "edit" and edited.key == "5:9:edit:7" and edited.key != text.key
    query = {"id": "q1", "from": sender, "message": {**base}, "data": "/greet"}
    [choice] = telegram().incoming({"update_id": 4, "callback_query": query})
    assert choice.kind == "choice" and choice.text == "/greet"
    assert choice.extra == {"callback_query_id": "q1"}
    assert telegram().incoming({"update_id": 5, "channel_post": {**base, "text": "x"}}) == []
    assert telegram().incoming({"update_id": 6, "my_chat_member": {}}) == []


def test_messenger_echoes_deliveries_and_reads_are_not_answered() -> None:
    channel = MessengerInput({})

    def events(*items):
        return {"object": "page", "entry": [{"messaging": list(items)}]}

    who = {"sender": {"id": "P"}}
    found = channel.incoming(
        events(
            {**who, "message": {"mid": "m1", "text": "hi"}},
            {**who, "message": {"mid": "m2", "text": "echo", "is_echo": True}},
            {**who, "delivery": {"mids": ["m1"]}},
            {**who, "read": {"watermark": 1}},
            {**who, "postback": {"mid": "m3", "payload": "GET_STARTED", "title": "Get Started"}},
            {**who, "message_edit": {"mid": "m1", "text": "hello", "num_edit": 1}},
        )
    )
    assert [(m.key, m.kind, m.text) for m in found] == [
        ("m1", "text", "hi"),
        ("m3", "choice", "GET_STARTED"),
        ("m1:edit:1", "edit", "hello"),
    ]
    assert channel.incoming({"object": "instagram", "entry": []}) == []


def test_whatsapp_statuses_reactions_and_other_numbers_are_not_answered() -> None:
    channel = WhatsAppInput({"phone_number_id": "111"})

    def change(number: str, **value):
        value = {"metadata": {"phone_number_id": number}, **value}
        return {"object": "whatsapp_business_account", "entry": [{"changes": [{"value": value}]}]}

    text = {"from": "4712345678", "id": "wamid.1", "type": "text", "text": {"body": "Hei"}}
    reaction = {"from": "4712345678", "id": "wamid.2", "type": "reaction", "reaction": {}}
    [found] = channel.incoming(change("111", messages=[text, reaction]))
    assert (found.sender, found.key, found.text, found.locale) == (
        "4712345678",
        "wamid.1",
        "Hei",
        "nb",
    )
    assert channel.incoming(change("222", messages=[text])) == []
    assert channel.incoming(change("111", statuses=[{"id": "wamid.1", "status": "read"}])) == []
    sticker = {"from": "4712345678", "id": "wamid.3", "type": "sticker", "sticker": {}}
    assert channel.incoming(change("111", messages=[sticker]))[0].kind == "media"
