"""What each channel sends for text, long text and choices (the provider client recorded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.channels.messenger import MessengerOutput
from bot.channels.provider import ProviderClient
from bot.channels.telegram import TelegramOutput
from bot.channels.whatsapp import WhatsAppOutput

ROOT = Path(__file__).resolve().parents[3]


class Recorder(ProviderClient):
    def __init__(self) -> None:
        super().__init__("recorder")
        self.sent: list[dict[str, Any]] = []

    async def request(self, method: str, url: str, **kwargs: Any) -> dict:
        self.sent.append({"method": method, "url": url, **kwargs})
        return {}


def buttons(*titles: str) -> list[dict[str, str]]:
    return [
        {"title": title, "payload": f'/inform{{"subject_id": "organisation:{n}"}}'}
        for n, title in enumerate(titles)
    ]


def catalogue(key: str) -> dict[str, str]:
    return yaml.safe_load((ROOT / "bot/channels/messaging.yml").read_text())[key]


LONG = " ".join(f"Sentence {n} tells the reader one more fact about the hub." for n in range(120))


async def test_telegram_long_text_is_split_and_buttons_go_with_the_last_part() -> None:
    client = Recorder()
    output = TelegramOutput(client, "http://tg", "T")
    long_payload = {"title": "Long", "payload": "/inform" + '{"subject_id": "' + "x" * 80 + '"}'}
    await output.send_response(
        "telegram:7", {"text": LONG, "buttons": [*buttons("A"), long_payload]}
    )
    texts = [call["json"]["text"] for call in client.sent]
    assert len(texts) == 2 and all(len(text) <= 4096 for text in texts)
    assert " ".join(texts) == LONG
    keyboard = client.sent[-1]["json"]["reply_markup"]["inline_keyboard"]
    assert keyboard[0][0]["callback_data"].startswith("/inform")
    assert keyboard[1][0]["callback_data"] == "#2"  # too long for Telegram's 64 bytes
    assert all(call["json"]["chat_id"] == "7" for call in client.sent)
    assert all(call["url"] == "http://tg/botT/sendMessage" for call in client.sent)


async def test_messenger_quick_replies_short_titles_long_titles_and_too_many() -> None:
    client = Recorder()
    output = MessengerOutput(client, "http://graph/v21.0", "P")
    await output.send_text_with_buttons("messenger:9", "Which one?", buttons("DigiHub", "Voss"))
    message = client.sent[-1]["json"]["message"]
    assert [r["title"] for r in message["quick_replies"]] == ["DigiHub", "Voss"]
    assert client.sent[-1]["headers"] == {"Authorization": "Bearer P"}
    long_names = ("Kraftsenter Sør-Trøndelag Næringshage", "Innovationsarena Inland")
    await output.send_text_with_buttons("messenger:9", "Which one?", buttons(*long_names))
    message = client.sent[-1]["json"]["message"]
    assert [r["title"] for r in message["quick_replies"]] == ["1", "2"]
    assert message["text"].endswith(f"1. {long_names[0]}\n2. {long_names[1]}")
    await output.send_text_with_buttons(
        "messenger:9", "Hvilken?", buttons(*(f"Hub {n}" for n in range(14)))
    )
    message = client.sent[-1]["json"]["message"]
    assert "quick_replies" not in message and "14. Hub 13" in message["text"]
    assert message["text"].endswith(catalogue("reply_with_number")["nb"])


async def test_whatsapp_buttons_lists_and_numbered_text() -> None:
    client = Recorder()
    output = WhatsAppOutput(client, "http://graph/v21.0", "555", "W")
    await output.send_text_with_buttons("whatsapp:4790", "Hvilken?", buttons("Voss", "Senja"))
    sent = client.sent[-1]
    assert sent["url"] == "http://graph/v21.0/555/messages" and sent["json"]["to"] == "4790"
    interactive = sent["json"]["interactive"]
    assert interactive["type"] == "button"
    assert [b["reply"]["title"] for b in interactive["action"]["buttons"]] == ["Voss", "Senja"]
    names = ["Kraftsenter Sør-Trøndelag Næringshage", "Voss", "Senja", "Fabrikken"]
    await output.send_text_with_buttons("whatsapp:4790", "Hvilken næringshage?", buttons(*names))
    interactive = client.sent[-1]["json"]["interactive"]
    assert interactive["type"] == "list"
    assert interactive["action"]["button"] == catalogue("choices_button")["nb"]
    rows = interactive["action"]["sections"][0]["rows"]
    assert all(len(row["title"]) <= 24 for row in rows)
    assert rows[0]["title"].endswith("…") and rows[0]["description"] == names[0]
    await output.send_text_with_buttons(
        "whatsapp:4790", "Which one?", buttons(*(f"Hub {n}" for n in range(11)))
    )
    body = client.sent[-1]["json"]
    assert body["type"] == "text" and "11. Hub 10" in body["text"]["body"]


async def test_whatsapp_text_above_choices_is_kept_within_1024_characters() -> None:
    client = Recorder()
    output = WhatsAppOutput(client, "http://graph/v21.0", "555", "W")
    await output.send_text_with_buttons("whatsapp:1", LONG[:3000], buttons("A", "B"))
    *texts, last = client.sent
    assert all(call["json"]["type"] == "text" for call in texts)
    assert len(last["json"]["interactive"]["body"]["text"]) <= 1024


async def test_arabic_is_sent_as_it_is() -> None:
    client = Recorder()
    output = TelegramOutput(client, "http://tg", "T")
    text = "مرحبًا! أنا HubGuide."
    await output.send_text_message("telegram:3", text)
    assert client.sent[-1]["json"] == {"chat_id": "3", "text": text}
