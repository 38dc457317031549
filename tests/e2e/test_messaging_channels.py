"""Telegram, Messenger and WhatsApp against the real Rasa server, the providers replaced by
local stand-ins (tests/standins.py) that record what the bot sent.

Payloads are the providers' documented shapes (text, button replies, photo and voice note,
edited message, a retried delivery), signed as the providers sign them.
"""

from __future__ import annotations

import itertools
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.channels.meta import signature
from ops.stack import FROZEN_NOW, Stack, free_port, language_slot
from tests.standins import Call, StandIn

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "fr", "nb", "nl", "sv", "ar")
TELEGRAM_TOKEN, TELEGRAM_SECRET = "123456:stand-in-token", "telegram-secret"
PAGE_TOKEN, MESSENGER_SECRET, MESSENGER_VERIFY = "page-token", "messenger-secret", "verify-m"
WA_TOKEN, WA_SECRET, WA_VERIFY, WA_NUMBER = "wa-token", "whatsapp-secret", "verify-w", "1098765"
ids = itertools.count(1000)


def responses(name: str) -> dict[str, str]:
    """A domain response's text per language."""
    domain = yaml.safe_load((ROOT / "bot/domain/responses/smalltalk.yml").read_text())
    found = {}
    for variation in domain["responses"][name]:
        for condition in variation.get("condition") or []:
            found[condition["value"]] = variation["text"]
    return found


def catalogue(key: str) -> dict[str, str]:
    return yaml.safe_load((ROOT / "bot/channels/messaging.yml").read_text())[key]


@dataclass
class Channels:
    stack: Stack
    telegram: StandIn
    messenger: StandIn
    whatsapp: StandIn


@pytest.fixture(scope="module")
def channels(trained_model, seed_database_url, tmp_path_factory) -> Iterator[Channels]:
    telegram = StandIn("telegram", TELEGRAM_TOKEN).start()
    messenger = StandIn("graph", PAGE_TOKEN, profiles={"m-nl": {"locale": "nl_NL"}}).start()
    whatsapp = StandIn("graph", WA_TOKEN).start()
    ports = {"rasa": free_port(), "actions": free_port(), "web": free_port()}
    stack = Stack(
        model=trained_model,
        log_dir=tmp_path_factory.mktemp("channel-logs"),
        ports=ports,
        env={
            "HUBGUIDE_DATABASE_URL": seed_database_url,
            "HUBGUIDE_NOW": FROZEN_NOW,
            "HUBGUIDE_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "HUBGUIDE_TELEGRAM_SECRET": TELEGRAM_SECRET,
            "HUBGUIDE_TELEGRAM_API_URL": telegram.url,
            "HUBGUIDE_MESSENGER_PAGE_TOKEN": PAGE_TOKEN,
            "HUBGUIDE_MESSENGER_APP_SECRET": MESSENGER_SECRET,
            "HUBGUIDE_MESSENGER_VERIFY_TOKEN": MESSENGER_VERIFY,
            "HUBGUIDE_MESSENGER_API_URL": messenger.url,
            "HUBGUIDE_WHATSAPP_TOKEN": WA_TOKEN,
            "HUBGUIDE_WHATSAPP_PHONE_NUMBER_ID": WA_NUMBER,
            "HUBGUIDE_WHATSAPP_APP_SECRET": WA_SECRET,
            "HUBGUIDE_WHATSAPP_VERIFY_TOKEN": WA_VERIFY,
            "HUBGUIDE_WHATSAPP_API_URL": whatsapp.url,
        },
    )
    try:
        with stack:
            yield Channels(stack, telegram, messenger, whatsapp)
    finally:
        for stand_in in (telegram, messenger, whatsapp):
            stand_in.stop()


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def telegram_post(channels: Channels, update: dict, secret: str | None = TELEGRAM_SECRET) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    url = f"{channels.stack.rasa_url}/webhooks/telegram/webhook"
    return post(url, json.dumps(update).encode(), headers)


def meta_post(channels: Channels, channel: str, payload: dict, secret: str | None) -> int:
    body = json.dumps(payload).encode()
    headers = {"X-Hub-Signature-256": signature(secret, body)} if secret else {}
    return post(f"{channels.stack.rasa_url}/webhooks/{channel}/webhook", body, headers)


def tg_message(chat: int, text: str | None = None, lang: str = "en", **extra) -> dict:
    message = {
        "message_id": next(ids),
        "from": {"id": chat, "is_bot": False, "first_name": "Test", "language_code": lang},
        "chat": {"id": chat, "type": "private"},
        "date": 1685620800,
        **({"text": text} if text is not None else {}),
        **extra,
    }
    return {"update_id": next(ids), "message": message}


def messenger_event(psid: str, message: dict | None = None, **event) -> dict:
    body = {"sender": {"id": psid}, "recipient": {"id": "PAGE"}, "timestamp": next(ids)}
    if message is not None:
        body["message"] = {"mid": f"m_{next(ids)}", **message}
    body.update(event)
    return {"object": "page", "entry": [{"id": "PAGE", "time": 1, "messaging": [body]}]}


def wa_message(number: str, kind: str, content: dict) -> dict:
    message = {"from": number, "id": f"wamid.{next(ids)}", "timestamp": "1685620800"}
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "4790000000", "phone_number_id": WA_NUMBER},
        "contacts": [{"profile": {"name": "Test"}, "wa_id": number}],
        "messages": [{**message, "type": kind, kind: content}],
    }
    change = {"field": "messages", "value": value}
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [change]}]}


def to(chat: object) -> callable:
    """Calls sending a message to ``chat`` (any provider's shape)."""

    def match(call: Call) -> bool:
        body = call.body or {}
        target = body.get("chat_id") or (body.get("recipient") or {}).get("id") or body.get("to")
        return str(target) == str(chat) and call.method == "POST"

    return match


def text_of(call: Call) -> str:
    body = call.body
    if "text" in body and isinstance(body["text"], str):  # Telegram
        return body["text"]
    if "message" in body:  # Messenger
        return body["message"].get("text", "")
    if body.get("type") == "interactive":
        return body["interactive"]["body"]["text"]
    return body.get("text", {}).get("body", "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_telegram_start_greets_in_the_apps_language(channels, lang):
    chat = next(ids)
    assert telegram_post(channels, tg_message(chat, "/start", lang)) == 200
    [reply] = channels.telegram.wait_for(to(chat))
    assert reply.body["text"] == responses("utter_greet")[lang]
    assert "parse_mode" not in reply.body  # plain text, Arabic included


QUESTIONS = {
    "en": ("telegram", "What kind of things can you help me with?"),
    "fr": ("messenger", "Qu'est-ce que vous pouvez faire pour moi ?"),
    "nb": ("whatsapp", "Hva kan du hjelpe meg med?"),
    "nl": ("telegram", "Waarmee kunt u mij allemaal helpen?"),
    "sv": ("messenger", "Vad kan du hjälpa mig med?"),
    "ar": ("whatsapp", "ما الذي يمكنك مساعدتي فيه؟"),
}


def say(channels: Channels, channel: str, sender: str, text: str) -> StandIn:
    """One text message from ``sender`` on ``channel``; the stand-in that will get the reply."""
    if channel == "telegram":
        assert telegram_post(channels, tg_message(int(sender), text, "en")) == 200
        return channels.telegram
    if channel == "messenger":
        payload = messenger_event(sender, {"text": text})
        assert meta_post(channels, "messenger", payload, MESSENGER_SECRET) == 200
        return channels.messenger
    payload = wa_message(sender, "text", {"body": text})
    assert meta_post(channels, "whatsapp", payload, WA_SECRET) == 200
    return channels.whatsapp


@pytest.mark.parametrize("lang", LANGUAGES)
def test_questions_answered_in_their_language(channels, lang):
    channel, question = QUESTIONS[lang]
    # Senders whose hint points elsewhere: an English app, a British number, no profile locale.
    sender = {"telegram": str(next(ids)), "messenger": f"m-{next(ids)}"}.get(
        channel, f"44{next(ids)}"
    )
    stand_in = say(channels, channel, sender, question)
    [reply] = stand_in.wait_for(to(sender))
    assert text_of(reply) == responses("utter_what_can_you_do")[lang]
    conversation = f"{channel}:{sender}"
    assert language_slot(channels.stack.rasa_url, conversation, channels.stack.token) == lang


def test_telegram_buttons_are_an_inline_keyboard_and_a_click_answers(channels):
    chat = next(ids)
    assert telegram_post(channels, tg_message(chat, "Hva tilbyr næringshagen?", "nb")) == 200
    [question] = channels.telegram.wait_for(lambda c: to(chat)(c) and "reply_markup" in c.body)
    keyboard = question.body["reply_markup"]["inline_keyboard"]
    assert len(keyboard) >= 2 and all(len(row) == 1 for row in keyboard)
    chosen = keyboard[0][0]
    assert len(chosen["callback_data"].encode()) <= 64
    click = {
        "update_id": next(ids),
        "callback_query": {
            "id": f"cb{next(ids)}",
            "from": {"id": chat, "is_bot": False, "first_name": "T", "language_code": "nb"},
            "message": {"message_id": 1, "chat": {"id": chat, "type": "private"}, "date": 1},
            "chat_instance": "1",
            "data": chosen["callback_data"],
        },
    }
    assert telegram_post(channels, click) == 200
    channels.telegram.wait_for(lambda c: c.path.endswith("/answerCallbackQuery"))
    answers = channels.telegram.wait_for(to(chat), count=2)
    assert chosen["text"].split()[0] in answers[1].body["text"]
    assert "reply_markup" not in answers[1].body


def test_typed_number_picks_the_button(channels):
    chat = next(ids)
    assert telegram_post(channels, tg_message(chat, "Hva tilbyr næringshagen?", "nb")) == 200
    [question] = channels.telegram.wait_for(lambda c: to(chat)(c) and "reply_markup" in c.body)
    second = question.body["reply_markup"]["inline_keyboard"][1][0]["text"]
    assert telegram_post(channels, tg_message(chat, "2", "nb")) == 200
    answers = channels.telegram.wait_for(to(chat), count=2)
    assert second.split()[0] in answers[1].body["text"]


def test_whatsapp_choices_are_interactive_and_a_choice_answers(channels):
    number = f"47{next(ids)}"
    payload = wa_message(number, "text", {"body": "Hva tilbyr næringshagen?"})
    assert meta_post(channels, "whatsapp", payload, WA_SECRET) == 200
    [question] = channels.whatsapp.wait_for(to(number))
    interactive = question.body["interactive"]
    assert interactive["type"] in ("button", "list")
    if interactive["type"] == "list":
        assert interactive["action"]["button"] == catalogue("choices_button")["nb"]
        rows = interactive["action"]["sections"][0]["rows"]
        first = {"type": "list_reply", "list_reply": rows[0]}
    else:
        rows = [button["reply"] for button in interactive["action"]["buttons"]]
        first = {"type": "button_reply", "button_reply": rows[0]}
    assert (
        meta_post(channels, "whatsapp", wa_message(number, "interactive", first), WA_SECRET) == 200
    )
    answers = channels.whatsapp.wait_for(to(number), count=2)
    assert rows[0]["title"].split()[0] in text_of(answers[1])


def test_messenger_choices_are_quick_replies_and_a_choice_answers(channels):
    psid = f"m-{next(ids)}"
    payload = messenger_event(psid, {"text": "Hva tilbyr næringshagen?"})
    assert meta_post(channels, "messenger", payload, MESSENGER_SECRET) == 200
    [question] = channels.messenger.wait_for(to(psid))
    replies = question.body["message"]["quick_replies"]
    assert len(replies) >= 2 and all(len(r["title"]) <= 20 for r in replies)
    lines = question.body["message"]["text"]
    title = replies[0]["title"]
    name = title if not title.isdigit() else lines.split("\n1. ", 1)[1].split("\n")[0]
    chosen = messenger_event(
        psid, {"text": title, "quick_reply": {"payload": replies[0]["payload"]}}
    )
    assert meta_post(channels, "messenger", chosen, MESSENGER_SECRET) == 200
    answers = channels.messenger.wait_for(to(psid), count=2)
    assert name.split()[0] in text_of(answers[1])


def test_photo_and_voice_get_a_polite_reply_in_the_conversations_language(channels):
    # Telegram: a French conversation, then a photo.
    chat = next(ids)
    assert telegram_post(channels, tg_message(chat, "/start", "fr")) == 200
    channels.telegram.wait_for(to(chat))
    photo = tg_message(chat, None, "fr", photo=[{"file_id": "x", "width": 90, "height": 90}])
    assert telegram_post(channels, photo) == 200
    assert (
        channels.telegram.wait_for(to(chat), count=2)[1].body["text"]
        == catalogue("unsupported_media")["fr"]
    )
    # WhatsApp: a voice note opening a conversation from a Swedish number.
    number = f"46{next(ids)}"
    voice = wa_message(number, "audio", {"id": "media1", "mime_type": "audio/ogg", "voice": True})
    assert meta_post(channels, "whatsapp", voice, WA_SECRET) == 200
    [reply] = channels.whatsapp.wait_for(to(number))
    assert text_of(reply) == catalogue("unsupported_media")["sv"]
    # Messenger: a photo from a person whose profile locale is Dutch.
    image = {"attachments": [{"type": "image", "payload": {"url": "https://x.invalid/a.jpg"}}]}
    assert meta_post(channels, "messenger", messenger_event("m-nl", image), MESSENGER_SECRET) == 200
    [reply] = channels.messenger.wait_for(to("m-nl"))
    assert text_of(reply) == catalogue("unsupported_media")["nl"]


def test_an_edited_message_is_answered_as_the_new_question(channels):
    chat = next(ids)
    update = tg_message(chat, "Hva kan du hjelpe meg med?", "nb")
    edited = {
        "update_id": next(ids),
        "edited_message": {**update["message"], "text": "Waarmee kunt u mij allemaal helpen?"},
    }
    edited["edited_message"]["edit_date"] = 1685620900
    assert telegram_post(channels, update) == 200
    channels.telegram.wait_for(to(chat))
    assert telegram_post(channels, edited) == 200
    wanted = responses("utter_what_can_you_do")["nl"]
    channels.telegram.wait_for(lambda call: to(chat)(call) and call.body["text"] == wanted)
    # Messenger: the edit of a message arrives as `message_edit` with the same mid.
    psid = f"m-{next(ids)}"
    original = messenger_event(psid, {"text": "Hej!"})
    assert meta_post(channels, "messenger", original, MESSENGER_SECRET) == 200
    channels.messenger.wait_for(to(psid))
    mid = original["entry"][0]["messaging"][0]["message"]["mid"]
    edit = {"mid": mid, "text": "Vad kan du hjälpa mig med?", "num_edit": 1}
    assert (
        meta_post(channels, "messenger", messenger_event(psid, message_edit=edit), MESSENGER_SECRET)
        == 200
    )
    wanted = responses("utter_what_can_you_do")["sv"]
    channels.messenger.wait_for(lambda call: to(psid)(call) and text_of(call) == wanted)


def test_a_retried_delivery_is_answered_once(channels):
    chat, psid, number = next(ids), f"m-{next(ids)}", f"31{next(ids)}"
    telegram = tg_message(chat, "/start", "sv")
    messenger = messenger_event(psid, {"text": "Hallo"})
    whatsapp = wa_message(number, "text", {"body": "Hallo"})
    for _ in range(3):
        assert telegram_post(channels, telegram) == 200
        assert meta_post(channels, "messenger", messenger, MESSENGER_SECRET) == 200
        assert meta_post(channels, "whatsapp", whatsapp, WA_SECRET) == 200
    conversations = (
        ("telegram", channels.telegram, chat, "Tack så mycket!"),
        ("messenger", channels.messenger, psid, "Bedankt voor de hulp!"),
        ("whatsapp", channels.whatsapp, number, "Bedankt voor de hulp!"),
    )
    for channel, stand_in, target, thanks in conversations:
        [first] = stand_in.wait_for(to(target))
        # The next message's answer comes after any duplicate of the first one would have.
        say(channels, channel, str(target), thanks)
        stand_in.wait_for(
            lambda call, t=target, f=first: to(t)(call) and text_of(call) != text_of(f)
        )
        repeated = [c for c in stand_in.sent(to(target)) if text_of(c) == text_of(first)]
        assert len(repeated) == 1, channel


def test_unsigned_and_wrongly_signed_requests_are_refused(channels):
    chat = next(ids)
    update = tg_message(chat, "hello", "en")
    assert telegram_post(channels, update, secret=None) == 401
    assert telegram_post(channels, update, secret="not-the-secret") == 403
    psid = f"m-{next(ids)}"
    payload = messenger_event(psid, {"text": "hello"})
    assert meta_post(channels, "messenger", payload, None) == 401
    assert meta_post(channels, "messenger", payload, "not-the-secret") == 403
    number = f"44{next(ids)}"
    payload = wa_message(number, "text", {"body": "hello"})
    assert meta_post(channels, "whatsapp", payload, None) == 401
    assert meta_post(channels, "whatsapp", payload, MESSENGER_SECRET) == 403
    # Nothing was answered; a signed message afterwards is.
    assert telegram_post(channels, update) == 200
    assert len(channels.telegram.wait_for(to(chat))) == 1
    assert not channels.messenger.sent(to(psid)) and not channels.whatsapp.sent(to(number))


def test_meta_subscription_handshake(channels):
    base = channels.stack.rasa_url
    for channel, token in (("messenger", MESSENGER_VERIFY), ("whatsapp", WA_VERIFY)):
        query = f"hub.mode=subscribe&hub.challenge=4242&hub.verify_token={token}"
        with urllib.request.urlopen(f"{base}/webhooks/{channel}/webhook?{query}") as response:
            assert response.read() == b"4242"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/webhooks/{channel}/webhook?{query}x")
        assert refused.value.code == 403


@pytest.mark.parametrize("channel", ["telegram", "messenger", "whatsapp"])
def test_sends_are_retried_after_429_and_5xx(channels, channel):
    stand_in = getattr(channels, channel)
    sender = {"telegram": str(next(ids)), "messenger": f"m-{next(ids)}"}.get(
        channel, f"44{next(ids)}"
    )
    if channel == "messenger":  # the profile lookup of a new person comes first
        say(channels, channel, sender, "Hello there, what can you do for me?")
        stand_in.wait_for(to(sender))
    stand_in.fail_next(429, 503, retry_after=1)
    say(channels, channel, sender, "Hi, what kind of things can you help me with?")
    wanted = responses("utter_what_can_you_do")["en"]
    stand_in.wait_for(lambda call: to(sender)(call) and text_of(call) == wanted)
    statuses = [call.status for call in stand_in.calls if to(sender)(call)][-3:]
    assert statuses == [429, 503, 200]


def trigger(channels: Channels, conversation: str, intent: str = "greet") -> int:
    url = (
        f"{channels.stack.rasa_url}/conversations/{conversation}/trigger_intent"
        f"?output_channel=latest&token={channels.stack.token}"
    )
    return post(url, json.dumps({"name": intent}).encode(), {})


def test_externally_triggered_messages_reach_every_channel(channels):
    chat, psid, number = next(ids), f"m-{next(ids)}", f"33{next(ids)}"
    say(channels, "telegram", str(chat), "Hallo, waarmee kunt u mij helpen?")
    say(channels, "messenger", psid, "Hej, vad kan du hjälpa mig med?")
    say(channels, "whatsapp", number, "Bonjour, qu'est-ce que vous pouvez faire pour moi ?")
    for stand_in, target in (
        (channels.telegram, chat),
        (channels.messenger, psid),
        (channels.whatsapp, number),
    ):
        stand_in.wait_for(to(target))
    assert trigger(channels, f"telegram:{chat}") == 200
    assert trigger(channels, f"messenger:{psid}") == 200
    assert trigger(channels, f"whatsapp:{number}") == 200
    greet = responses("utter_greet")
    assert text_of(channels.telegram.wait_for(to(chat), count=2)[1]) == greet["nl"]
    assert text_of(channels.messenger.wait_for(to(psid), count=2)[1]) == greet["sv"]
    assert text_of(channels.whatsapp.wait_for(to(number), count=2)[1]) == greet["fr"]


def test_one_persons_messages_are_answered_in_order(channels):
    psid = f"m-{next(ids)}"  # new: its first message waits for the profile lookup
    first = messenger_event(psid, {"text": "Hello!"})
    second = messenger_event(psid, {"text": "What kind of things can you help me with?"})
    assert meta_post(channels, "messenger", first, MESSENGER_SECRET) == 200
    assert meta_post(channels, "messenger", second, MESSENGER_SECRET) == 200
    replies = channels.messenger.wait_for(to(psid), count=2)
    assert [text_of(call) for call in replies] == [
        responses("utter_greet")["en"],
        responses("utter_what_can_you_do")["en"],
    ]


def test_a_reminder_is_delivered_on_every_channel(channels, seed_database_url):
    """A reminder set in a messaging app fires there (the scheduler, through Rasa's
    external-event API with output_channel=latest), in the conversation's language."""
    from knowledge.db import make_engine
    from ops.notify import RasaApi
    from ops.scheduler import Scheduler
    from tests.e2e.journeys import fixed, plain
    from tests.e2e.test_deadline_journeys import ASK_DEADLINE, DEADLINE, REMIND

    people = {
        "telegram": (str(next(ids)), "en"),
        "messenger": (f"m-{next(ids)}", "fr"),
        "whatsapp": (f"46{next(ids)}", "sv"),
    }
    for channel, (person, lang) in people.items():
        stand_in = say(channels, channel, person, ASK_DEADLINE[lang])
        stand_in.wait_for(to(person))
        say(channels, channel, person, REMIND[lang][0])
        stand_in.wait_for(
            lambda call, p=person, lg=lang: (
                to(p)(call) and fixed(lg, "remind_set") in plain(text_of(call))
            )
        )
    engine = make_engine(seed_database_url)
    try:
        scheduler = Scheduler(engine, RasaApi(channels.stack.rasa_url, channels.stack.token))
        for channel, (person, lang) in people.items():
            scheduler.run_once(DEADLINE - REMIND[lang][1])
            stand_in = getattr(channels, channel)
            fired = stand_in.wait_for(
                lambda call, p=person, lg=lang: (
                    to(p)(call) and fixed(lg, "reminder_fired") in plain(text_of(call))
                )
            )
            assert len(fired) == 1
    finally:
        engine.dispose()
