"""WhatsApp through Meta's WhatsApp Cloud API: signed webhook, answers through the Graph API.

Chosen over Twilio's WhatsApp API because the Cloud API has native interactive messages (reply
buttons and lists) that any message may carry, where Twilio needs a content template approved
beforehand for each set of buttons; its webhook is signed like Messenger's (one check for both);
and it is Meta's own API, without a second provider between the bot and WhatsApp.

Payloads (``entry[].changes[].value.messages[]``): ``text``; ``interactive`` (a chosen reply
button or list row: its id is the payload) and ``button`` (a template's quick reply); ``image``,
``audio`` (voice notes), ``video``, ``document``, ``sticker``, ``location``, ``contacts`` and
``unsupported`` get the unsupported-media reply; reactions and status updates (sent, delivered,
read) are not answered. WhatsApp delivers no edits of a message to the Cloud API's webhook.
The hint is the sender's country, from the number (`bot/channels/hints.py`): weak, for the
first turn only.
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.hints import from_phone_number
from bot.channels.messaging import Incoming, MessagingInput, OutboundChannel, button_id
from bot.channels.meta import GRAPH_VERSION_VARIABLE, add_verification, graph_base, refuse_unsigned
from bot.channels.provider import ProviderClient
from bot.channels.wording import say

TEXT_LIMIT = 4096
INTERACTIVE_BODY = 1024  # characters of text above buttons or a list
REPLY_BUTTONS, BUTTON_TITLE, BUTTON_ID = 3, 20, 256
LIST_ROWS, ROW_TITLE, ROW_DESCRIPTION, ROW_ID = 10, 24, 72, 200
MEDIA = {"image", "audio", "video", "document", "sticker", "location", "contacts", "unsupported"}


class WhatsAppOutput(OutboundChannel):
    text_limit = TEXT_LIMIT

    def __init__(self, client: ProviderClient, base: str, number_id: str, token: str) -> None:
        super().__init__(client)
        self.url = f"{base}/{number_id}/messages"
        self.headers = {"Authorization": f"Bearer {token}"}

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def choices_text_limit(self) -> int:
        return INTERACTIVE_BODY

    async def send_message(self, address: str, message: dict[str, Any]) -> None:
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": address}
        await self.client.request("POST", self.url, json={**body, **message}, headers=self.headers)

    async def send_text(self, address: str, text: str) -> None:
        await self.send_message(address, {"type": "text", "text": {"body": text}})

    async def send_choices(self, address: str, text: str, choices: list[tuple[str, str]]) -> None:
        longest = max(len(title) for title, _ in choices)
        body = {"text": text.strip() or "…"}
        if len(choices) <= REPLY_BUTTONS and longest <= BUTTON_TITLE:
            buttons = [
                {"type": "reply", "reply": {"id": button_id(p, i, BUTTON_ID), "title": t}}
                for i, (t, p) in enumerate(choices)
            ]
            action: dict[str, Any] = {"buttons": buttons}
            interactive = {"type": "button", "body": body, "action": action}
        elif len(choices) <= LIST_ROWS and longest <= ROW_DESCRIPTION:
            from bot.language.detector import detect

            rows = [_row(button_id(p, i, ROW_ID), t) for i, (t, p) in enumerate(choices)]
            label = say("choices_button", detect(text).code if text.strip() else None)
            action = {"button": label, "sections": [{"rows": rows}]}
            interactive = {"type": "list", "body": body, "action": action}
        else:
            await self.send_numbered(address, text, choices)
            return
        await self.send_message(address, {"type": "interactive", "interactive": interactive})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_message(
            self.address(recipient_id), {"type": "image", "image": {"link": image}}
        )

    async def send_raw(self, address: str, payload: dict) -> None:
        await self.send_message(address, payload)


def _row(row_id: str, title: str) -> dict[str, str]:
    """A list row: a title of up to 24 characters, the whole name below it when longer."""
    if len(title) <= ROW_TITLE:
        return {"id": row_id, "title": title}
    short = title[: ROW_TITLE - 1]
    short = short[: short.rfind(" ")] if " " in short else short
    return {"id": row_id, "title": f"{short.rstrip(' ,-')}…", "description": title}


class WhatsAppInput(MessagingInput):
    """`/webhooks/whatsapp/webhook` (GET: Meta's subscription check)."""

    required = ("access_token", "phone_number_id", "app_secret", "verify_token")
    variables = {
        "access_token": "HUBGUIDE_WHATSAPP_TOKEN",
        "phone_number_id": "HUBGUIDE_WHATSAPP_PHONE_NUMBER_ID",
        "app_secret": "HUBGUIDE_WHATSAPP_APP_SECRET",
        "verify_token": "HUBGUIDE_WHATSAPP_VERIFY_TOKEN",
        "graph_url": "HUBGUIDE_WHATSAPP_API_URL",
        "graph_version": GRAPH_VERSION_VARIABLE,
    }

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def make_output(self) -> WhatsAppOutput:
        return WhatsAppOutput(
            ProviderClient("WhatsApp"),
            graph_base(self.settings),
            self.settings["phone_number_id"],
            self.settings["access_token"],
        )

    def refuse(self, request: Request) -> HTTPResponse | None:
        return refuse_unsigned(request, self.settings["app_secret"])

    def add_routes(self, webhook: Blueprint) -> None:
        add_verification(webhook, self.settings.get("verify_token", ""), self.enabled)

    def incoming(self, body: dict[str, Any]) -> list[Incoming]:
        if body.get("object") != "whatsapp_business_account":
            return []
        found = []
        for entry in body.get("entry") or []:
            for change in (entry or {}).get("changes") or []:
                value = (change or {}).get("value") or {}
                number = (value.get("metadata") or {}).get("phone_number_id")
                if number and str(number) != self.settings["phone_number_id"]:
                    continue  # another number of the same business account
                for message in value.get("messages") or []:
                    incoming = _incoming(message)
                    if incoming is not None:
                        found.append(incoming)
        return found


def _incoming(message: dict[str, Any]) -> Incoming | None:
    sender, key, kind = (
        str(message.get("from") or ""),
        str(message.get("id") or ""),
        message.get("type"),
    )
    if not sender or not key:
        return None
    hint = from_phone_number(sender)
    if kind == "text":
        return Incoming(
            sender, key, str((message.get("text") or {}).get("body") or ""), "text", hint
        )
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        chosen = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return Incoming(sender, key, str(chosen.get("id") or ""), "choice", hint)
    if kind == "button":
        return Incoming(
            sender, key, str((message.get("button") or {}).get("payload") or ""), "choice", hint
        )
    if kind in MEDIA:
        return Incoming(sender, key, None, "media", hint)
    return None  # reactions, system messages
