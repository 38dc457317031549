"""Facebook Messenger: Meta's signed webhook, answers through the Send API (aiohttp).

Replaces Rasa's `facebook` connector (Graph API 2.12 by default and a synchronous client in the
event loop). ``X-Hub-Signature-256`` is checked on every request.

Payloads (``entry[].messaging[]``): ``message`` (text; ``quick_reply.payload`` for a chosen quick
reply; ``attachments`` such as a photo or voice note get the unsupported-media reply; echoes
ignored), ``postback`` (a button or Get Started), ``message_edit`` (answered as a new question).
Deliveries and reads are ignored. The hint is the person's profile locale (``fr_FR``), asked once
per person from the Graph API when ``HUBGUIDE_MESSENGER_PROFILE_LOCALE`` is not ``false`` (the
page needs the permission; without it there is no hint).
"""

from __future__ import annotations

import logging
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.hints import from_locale
from bot.channels.messaging import Incoming, MessagingInput, OutboundChannel, button_id
from bot.channels.meta import GRAPH_VERSION_VARIABLE, add_verification, graph_base, refuse_unsigned
from bot.channels.provider import ProviderClient

TEXT_LIMIT = 2000
QUICK_REPLIES = 13  # at most, per message
QUICK_REPLY_TITLE = 20  # characters
PAYLOAD_BYTES = 1000
PROFILE_CACHE = 10_000


class MessengerOutput(OutboundChannel):
    text_limit = TEXT_LIMIT

    def __init__(self, client: ProviderClient, base: str, token: str) -> None:
        super().__init__(client)
        self.base, self.headers = base, {"Authorization": f"Bearer {token}"}

    @classmethod
    def name(cls) -> str:
        return "messenger"

    async def send_message(self, address: str, message: dict[str, Any]) -> None:
        await self.client.request(
            "POST",
            f"{self.base}/me/messages",
            json={"recipient": {"id": address}, "messaging_type": "RESPONSE", "message": message},
            headers=self.headers,
        )

    async def send_text(self, address: str, text: str) -> None:
        await self.send_message(address, {"text": text})

    async def send_choices(self, address: str, text: str, choices: list[tuple[str, str]]) -> None:
        if len(choices) > QUICK_REPLIES:
            await self.send_numbered(address, text, choices)
            return
        titled = all(len(title) <= QUICK_REPLY_TITLE for title, _ in choices)
        if not titled:  # long names: numbered lines, the quick replies carry the numbers
            text = "\n".join([text, "", *(f"{n}. {t}" for n, (t, _) in enumerate(choices, 1))])
        replies = [
            {
                "content_type": "text",
                "title": title if titled else str(number),
                "payload": button_id(payload, number - 1, PAYLOAD_BYTES),
            }
            for number, (title, payload) in enumerate(choices, start=1)
        ]
        await self.send_message(address, {"text": text.strip() or "…", "quick_replies": replies})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        attachment = {"type": "image", "payload": {"url": image, "is_reusable": True}}
        await self.send_message(self.address(recipient_id), {"attachment": attachment})

    async def send_raw(self, address: str, payload: dict) -> None:
        await self.send_message(address, payload)

    async def locale(self, address: str) -> str | None:
        profile = await self.client.request(
            "GET",
            f"{self.base}/{address}",
            params={"fields": "locale"},
            headers=self.headers,
            refusal_level=logging.INFO,  # a page without the permission: no hint, no error
        )
        return (profile or {}).get("locale")


class MessengerInput(MessagingInput):
    """`/webhooks/messenger/webhook` (GET: Meta's subscription check)."""

    required = ("page_token", "app_secret", "verify_token")
    variables = {
        "page_token": "HUBGUIDE_MESSENGER_PAGE_TOKEN",
        "app_secret": "HUBGUIDE_MESSENGER_APP_SECRET",
        "verify_token": "HUBGUIDE_MESSENGER_VERIFY_TOKEN",
        "profile_locale": "HUBGUIDE_MESSENGER_PROFILE_LOCALE",
        "graph_url": "HUBGUIDE_MESSENGER_API_URL",
        "graph_version": GRAPH_VERSION_VARIABLE,
    }

    @classmethod
    def name(cls) -> str:
        return "messenger"

    def make_output(self) -> MessengerOutput:
        client = ProviderClient("Messenger")
        return MessengerOutput(client, graph_base(self.settings), self.settings["page_token"])

    def refuse(self, request: Request) -> HTTPResponse | None:
        return refuse_unsigned(request, self.settings["app_secret"])

    def add_routes(self, webhook: Blueprint) -> None:
        add_verification(webhook, self.settings.get("verify_token", ""), self.enabled)

    def incoming(self, body: dict[str, Any]) -> list[Incoming]:
        if body.get("object") != "page":
            return []
        found = []
        for entry in body.get("entry") or []:
            for event in (entry or {}).get("messaging") or []:
                message = _incoming(event)
                if message is not None:
                    found.append(message)
        return found

    async def locale_of(self, message: Incoming) -> str | None:
        if (self.settings.get("profile_locale") or "true").lower() in ("false", "0", "no"):
            return None
        if message.sender not in self._locales:
            output = self.get_output_channel()
            assert isinstance(output, MessengerOutput)
            self._locales[message.sender] = from_locale(await output.locale(message.sender))
            while len(self._locales) > PROFILE_CACHE:
                self._locales.popitem(last=False)
        return self._locales[message.sender]


def _incoming(event: dict[str, Any]) -> Incoming | None:
    sender = str((event.get("sender") or {}).get("id") or "")
    if not sender:
        return None
    message = event.get("message")
    if isinstance(message, dict):
        if message.get("is_echo"):
            return None
        mid = str(message.get("mid") or event.get("timestamp"))
        reply = message.get("quick_reply")
        if isinstance(reply, dict) and reply.get("payload"):
            return Incoming(sender, mid, str(reply["payload"]), "choice")
        if isinstance(message.get("text"), str):
            return Incoming(sender, mid, message["text"], "text")
        if message.get("attachments"):
            return Incoming(sender, mid, None, "media")
        return None
    postback = event.get("postback")
    if isinstance(postback, dict):
        key = str(postback.get("mid") or f"postback:{event.get('timestamp')}")
        return Incoming(sender, key, str(postback.get("payload") or ""), "choice")
    edit = event.get("message_edit")
    if isinstance(edit, dict) and isinstance(edit.get("text"), str):
        key = f"{edit.get('mid')}:edit:{edit.get('num_edit')}"
        return Incoming(sender, key, edit["text"], "edit")
    return None
