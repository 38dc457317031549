"""Telegram: Bot API webhook with its secret token checked, answers through the Bot API.

Replaces Rasa's `telegram` connector, which calls ``asyncio.run(set_webhook)`` in
``get_output_channel()`` (so a reminder or a staff reply, sent from inside the running server,
fails: RasaHQ/rasa#13040) and asks Telegram ``get_me()`` on every message. Here the webhook is
registered once by the operator (README), ``X-Telegram-Bot-Api-Secret-Token`` is checked on
every request, and sends are aiohttp calls.

Payloads: ``message`` (text; photo, voice, sticker, … get the unsupported-media reply),
``edited_message`` (answered as a new question: the person corrected it), ``callback_query``
(an inline-keyboard button: answered with ``answerCallbackQuery``, its data is the payload).
The hint is the sender's app language, ``from.language_code``.
"""

from __future__ import annotations

import hmac
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.hints import from_locale
from bot.channels.messaging import Incoming, MessagingInput, OutboundChannel, button_id
from bot.channels.provider import ProviderClient

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CALLBACK_DATA_BYTES = 64  # Telegram's limit for an inline button's callback_data
TEXT_LIMIT = 4096


class TelegramOutput(OutboundChannel):
    text_limit = TEXT_LIMIT

    def __init__(self, client: ProviderClient, api_url: str, token: str) -> None:
        super().__init__(client)
        self.base = f"{api_url.rstrip('/')}/bot{token}"

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def call(self, method: str, payload: dict[str, Any]) -> dict | None:
        return await self.client.request("POST", f"{self.base}/{method}", json=payload)

    async def send_text(self, address: str, text: str) -> None:
        # No parse_mode: Arabic and every other text go as plain text, nothing to escape.
        await self.call("sendMessage", {"chat_id": address, "text": text})

    async def send_choices(self, address: str, text: str, choices: list[tuple[str, str]]) -> None:
        keyboard = [
            [{"text": title, "callback_data": button_id(payload, i, CALLBACK_DATA_BYTES)}]
            for i, (title, payload) in enumerate(choices)
        ]
        await self.call(
            "sendMessage",
            {
                "chat_id": address,
                "text": text or "…",
                "reply_markup": {"inline_keyboard": keyboard},
            },
        )

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.call("sendPhoto", {"chat_id": self.address(recipient_id), "photo": image})

    async def send_raw(self, address: str, payload: dict) -> None:
        await self.call("sendMessage", {"chat_id": address, **payload})


class TelegramInput(MessagingInput):
    """`/webhooks/telegram/webhook`."""

    required = ("token", "secret")
    variables = {
        "token": "HUBGUIDE_TELEGRAM_TOKEN",
        "secret": "HUBGUIDE_TELEGRAM_SECRET",
        "api_url": "HUBGUIDE_TELEGRAM_API_URL",
    }

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def make_output(self) -> TelegramOutput:
        api_url = self.settings.get("api_url") or "https://api.telegram.org"
        return TelegramOutput(ProviderClient("Telegram"), api_url, self.settings["token"])

    def refuse(self, request: Request) -> HTTPResponse | None:
        given = request.headers.get(SECRET_HEADER)
        if not given:
            return response.json({"error": f"{SECRET_HEADER} is missing."}, status=401)
        if not hmac.compare_digest(given.encode(), self.settings["secret"].encode()):
            return response.json({"error": f"{SECRET_HEADER} is wrong."}, status=403)
        return None

    def incoming(self, body: dict[str, Any]) -> list[Incoming]:
        update = body.get("update_id")
        if isinstance(body.get("callback_query"), dict):
            query = body["callback_query"]
            chat = ((query.get("message") or {}).get("chat") or {}).get("id")
            sender = chat if chat is not None else (query.get("from") or {}).get("id")
            if sender is None:
                return []
            return [
                Incoming(
                    str(sender),
                    f"callback:{query.get('id', update)}",
                    str(query.get("data") or ""),
                    "choice",
                    from_locale((query.get("from") or {}).get("language_code")),
                    {"callback_query_id": query.get("id")},
                )
            ]
        for field_name, kind in (("message", "text"), ("edited_message", "edit")):
            message = body.get(field_name)
            if not isinstance(message, dict):
                continue
            chat = (message.get("chat") or {}).get("id")
            if chat is None:
                return []
            locale = from_locale((message.get("from") or {}).get("language_code"))
            key = f"{chat}:{message.get('message_id', update)}"
            if kind == "edit":
                key = f"{key}:edit:{message.get('edit_date', update)}"
            text = message.get("text")
            if not isinstance(text, str):
                return [Incoming(str(chat), key, message.get("caption"), "media", locale)]
            return [Incoming(str(chat), key, text, kind, locale)]
        return []  # channel posts, member updates, …: nothing to answer

    async def acknowledge(self, message: Incoming) -> None:
        query_id = message.extra.get("callback_query_id")
        output = self.get_output_channel()
        if query_id and isinstance(output, TelegramOutput):
            await output.call("answerCallbackQuery", {"callback_query_id": query_id})
