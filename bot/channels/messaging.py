"""What the Telegram, Messenger and WhatsApp channels share: configuration from the environment,
the webhook's checks, de-duplication, choices, unsupported media, and delivery of the bot's
answers (also for messages triggered from outside, such as reminders).

Rasa's own connectors are not used (see docs/DESIGN.md, "Messaging channels"): each channel
here implements three things, the rest is this module:

* ``refuse(request)``: the provider's signature checked, a 401/403 response when it fails;
* ``incoming(body)``: the provider's payload as ``Incoming`` messages;
* an ``OutboundChannel`` that sends text, choices and media through the provider's API.

A channel whose variables are not set is disabled: it logs one line at start-up, its webhook
answers 404 and Rasa starts as usual (Rasa's own ``${VAR}`` substitution in credentials.yml
would stop the server when a variable is missing, so the values are read here).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.dedupe import SeenMessages
from bot.channels.limits import MAX_MESSAGE_CHARACTERS, PER_SENDER_PER_MINUTE, RateLimiter, refusal
from bot.channels.provider import ProviderClient
from bot.channels.text import choice_number, numbered, plain_text, split_text
from bot.channels.wording import say

logger = logging.getLogger(__name__)

LANGUAGE_SLOT = "language"
# First messages of a new conversation that mean "hello": Telegram's /start (with or without a
# deep-link parameter), rasa-webchat's init payload, Messenger's Get Started button.
START_PAYLOADS = ("/start", "/get_started", "get_started")
GREET_PAYLOAD = "/greet"
# A choice whose payload does not fit the channel's button id goes as "#<n>" (the n-th button of
# the bot's last message with buttons, read from the conversation).
CHOICE_INDEX_PREFIX = "#"


def greeting_payload(text: str) -> str | None:
    """``/greet`` for a channel's start payload ("/start", "/start ref", "/get_started")."""
    first = text.strip().split(" ", 1)[0].lower()
    return GREET_PAYLOAD if first in START_PAYLOADS else None


@dataclass
class Incoming:
    """One message a provider delivered, in the terms every channel shares."""

    sender: str  # the provider's id of the person or chat (without the channel prefix)
    key: str  # unique per delivery of the same message (a retry has the same key)
    text: str | None = None  # the text, or a chosen button's payload
    kind: str = "text"  # "text", "choice", "edit" or "media"
    locale: str | None = None  # the channel's language hint, if any
    extra: dict[str, Any] = field(default_factory=dict)  # what the channel needs to acknowledge


def setting(credentials: dict | None, key: str, variable: str, default: str = "") -> str:
    """A channel setting: credentials.yml first (where ``${VAR}`` may be used), else the
    environment variable, else the default."""
    value = (credentials or {}).get(key)
    if value not in (None, ""):
        return str(value)
    return os.environ.get(variable, default)


class OutboundChannel(OutputChannel):
    """Sends the bot's messages through a provider; recipient ids carry the channel prefix."""

    text_limit: ClassVar[int] = 4096

    def __init__(self, client: ProviderClient) -> None:
        self.client = client

    def address(self, recipient_id: str) -> str:
        """The provider's id inside a conversation id ("telegram:42" -> "42")."""
        prefix = f"{self.name()}:"
        return recipient_id[len(prefix) :] if recipient_id.startswith(prefix) else recipient_id

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        text = message.get("text") or ""
        buttons = message.get("buttons") or message.get("quick_replies") or []
        if buttons:
            await self.send_text_with_buttons(recipient_id, text, buttons)
        elif text:
            await self.send_text_message(recipient_id, text)
        if message.get("image"):
            await self.send_image_url(recipient_id, message["image"])
        if message.get("custom"):
            await self.send_custom_json(recipient_id, message["custom"])
        if message.get("attachment"):
            await self.send_text_message(recipient_id, str(message["attachment"]))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_text(plain_text(text), self.text_limit):
            await self.send_text(self.address(recipient_id), part)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        choices = [
            (str(button.get("title") or button.get("payload")), str(button.get("payload", "")))
            for button in buttons
        ]
        *before, last = split_text(plain_text(text), self.choices_text_limit()) or [""]
        for part in before:
            await self.send_text(self.address(recipient_id), part)
        await self.send_choices(self.address(recipient_id), last, choices)

    async def send_custom_json(self, recipient_id: str, json_message: dict, **kwargs: Any) -> None:
        """A response's ``custom`` part goes to the provider's send call as it is."""
        await self.send_raw(self.address(recipient_id), json_message)

    def choices_text_limit(self) -> int:
        return self.text_limit

    async def send_numbered(self, address: str, text: str, choices: list[tuple[str, str]]) -> None:
        """Choices as numbered lines (a reply "2" picks the second), for too many buttons."""
        from bot.language.detector import detect

        lines = numbered(text, [title for title, _ in choices])
        hint = say("reply_with_number", detect(text).code if text else None)
        for part in split_text(f"{lines}\n\n{hint}", self.text_limit):
            await self.send_text(address, part)

    # Each provider implements these three.
    async def send_text(self, address: str, text: str) -> None:
        raise NotImplementedError

    async def send_choices(self, address: str, text: str, choices: list[tuple[str, str]]) -> None:
        raise NotImplementedError

    async def send_raw(self, address: str, payload: dict) -> None:
        raise NotImplementedError


def button_id(payload: str, index: int, max_bytes: int) -> str:
    """A button's id: its payload when it fits the provider's limit, else ``#<index>``."""
    if len(payload.encode("utf-8")) <= max_bytes and not payload.startswith(CHOICE_INDEX_PREFIX):
        return payload
    return f"{CHOICE_INDEX_PREFIX}{index + 1}"


class MessagingInput(InputChannel):
    """The webhook every messaging channel shares (see the module docstring)."""

    #: the settings a channel needs; all set or the channel is disabled
    required: ClassVar[tuple[str, ...]] = ()
    #: the environment variable of each setting, for the start-up line of a disabled channel
    variables: ClassVar[dict[str, str]] = {}

    def __init__(self, settings: dict[str, str]) -> None:
        self.settings = settings
        self.seen = SeenMessages()
        self.per_sender = RateLimiter(PER_SENDER_PER_MINUTE)
        self._output: OutboundChannel | None = None
        self._latest: dict[str, asyncio.Task] = {}  # each conversation's last message task
        self._locales: OrderedDict[str, str | None] = OrderedDict()
        missing = [self.variables[key] for key in self.required if not settings.get(key)]
        self.enabled = not missing
        if missing:
            logger.info(
                "The %s channel is off: set %s to turn it on.", self.name(), ", ".join(missing)
            )

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(
            {key: setting(credentials, key, variable) for key, variable in cls.variables.items()}
        )

    # What each channel provides.
    def refuse(self, request: Request) -> HTTPResponse | None:
        """A 401/403 response when the request is not signed by the provider, else None."""
        raise NotImplementedError

    def incoming(self, body: dict[str, Any]) -> list[Incoming]:
        raise NotImplementedError

    def make_output(self) -> OutboundChannel:
        raise NotImplementedError

    async def acknowledge(self, message: Incoming) -> None:
        """Tells the provider a choice was received (Telegram's callback answer)."""

    async def locale_of(self, message: Incoming) -> str | None:
        return message.locale

    def add_routes(self, webhook: Blueprint) -> None:
        """Extra routes (Meta's subscription handshake)."""

    # Shared behaviour.
    def get_output_channel(self) -> OutputChannel | None:
        """The channel's sender; no request needed, so triggered messages reach it too."""
        if not self.enabled:
            return None
        if self._output is None:
            self._output = self.make_output()
        return self._output

    def conversation_id(self, message: Incoming) -> str:
        return f"{self.name()}:{message.sender}"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"hubguide_{self.name()}_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "off"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"error": f"The {self.name()} channel is off."}, status=404)
            refused = self.refuse(request)
            if refused is not None:
                return refused
            try:
                body = json.loads(request.body or b"null")
            except ValueError:
                return response.json({"error": "The body must be JSON."}, status=400)
            if not isinstance(body, dict):
                return response.json({"error": "The body must be a JSON object."}, status=400)
            for message in self.incoming(body):
                if not await self.seen.first_time(f"{self.name()}:{message.key}"):
                    logger.info("%s delivered %s again: answered once.", self.name(), message.key)
                    continue
                # Answer the provider at once (it retries a slow webhook); each person's
                # messages are handled one after the other, in the order they came.
                self._schedule(message, on_new_message, request.app)
            return response.json({"status": "ok"})

        @webhook.listener("after_server_stop")
        async def close(app: Any, loop: Any) -> None:
            if self._output is not None:
                await self._output.client.close()
            await self.seen.close()

        self.add_routes(webhook)
        return webhook

    def _schedule(
        self,
        message: Incoming,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        app: Any,
    ) -> None:
        sender = self.conversation_id(message)
        previous = self._latest.get(sender)
        task = asyncio.create_task(self._handle(message, on_new_message, app, previous))
        self._latest[sender] = task

        def done(finished: asyncio.Task) -> None:
            if self._latest.get(sender) is finished:
                del self._latest[sender]

        task.add_done_callback(done)

    async def _handle(
        self,
        message: Incoming,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        app: Any,
        previous: asyncio.Task | None = None,
    ) -> None:
        if previous is not None:
            await asyncio.wait([previous])  # its own errors are logged by itself
        try:
            await self._answer(message, on_new_message, app)
        except Exception:
            logger.exception("The %s channel failed to answer %s.", self.name(), message.key)

    async def _answer(
        self,
        message: Incoming,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        app: Any,
    ) -> None:
        output = self.get_output_channel()
        assert output is not None
        sender = self.conversation_id(message)
        await self.acknowledge(message)
        locale = await self.locale_of(message)
        text = message.text or ""
        wait = self.per_sender.wait(sender)
        if wait:
            await output.send_text_message(
                sender, refusal("too_fast", text, locale, seconds=int(wait + 0.999))
            )
            return
        if message.kind == "media":
            language = await _conversation_language(app, sender) or locale
            await output.send_text_message(sender, say("unsupported_media", language))
            return
        if len(text) > MAX_MESSAGE_CHARACTERS:
            await output.send_text_message(
                sender, refusal("too_long", text, locale, limit=MAX_MESSAGE_CHARACTERS)
            )
            return
        text = greeting_payload(text) or await self._chosen(app, sender, message) or text
        if not text.strip():
            return
        metadata: dict[str, Any] = {"channel_message": message.key}
        if locale:
            metadata["locale"] = locale
        if message.kind == "edit":
            metadata["edited"] = True
        await on_new_message(
            UserMessage(text, output, sender, input_channel=self.name(), metadata=metadata)
        )

    async def _chosen(self, app: Any, sender: str, message: Incoming) -> str | None:
        """The payload of the button a reply names: "#2" from a button, "2" typed."""
        text = (message.text or "").strip()
        if message.kind == "choice" and not text.startswith(CHOICE_INDEX_PREFIX):
            return None
        if message.kind not in ("choice", "text", "edit"):
            return None
        if not (text.startswith(CHOICE_INDEX_PREFIX) or text[:1].isdigit() or text[:1] > "~"):
            return None
        buttons = await _last_choices(app, sender)
        index = choice_number(text.removeprefix(CHOICE_INDEX_PREFIX), len(buttons))
        if index is None:
            return None
        return str(buttons[index].get("payload") or "") or None


async def _tracker(app: Any, sender: str) -> Any:
    agent = getattr(app.ctx, "agent", None)
    if agent is None or agent.tracker_store is None:
        return None
    return await agent.tracker_store.retrieve(sender)


async def _conversation_language(app: Any, sender: str) -> str | None:
    tracker = await _tracker(app, sender)
    return tracker.get_slot(LANGUAGE_SLOT) if tracker is not None else None


async def _last_choices(app: Any, sender: str) -> list[dict[str, Any]]:
    """The buttons of the bot's last message since the person last wrote."""
    tracker = await _tracker(app, sender)
    for event in reversed(tracker.events if tracker is not None else []):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered) and (event.data or {}).get("buttons"):
            return list(event.data["buttons"])
    return []
