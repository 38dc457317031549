"""The languages HubGuide speaks: the one list every layer uses (knowledge, bot, actions)."""

from __future__ import annotations

#: ISO 639-1 codes of the conversation and content languages, in display order.
SUPPORTED: tuple[str, ...] = ("en", "fr", "nb", "nl", "sv", "ar")
