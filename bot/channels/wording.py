"""The messaging channels' own sentences (`messaging.yml`), in the conversation's language."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from bot.language.codes import FALLBACK, SUPPORTED, normalise

_CATALOGUE = Path(__file__).with_name("messaging.yml")


@cache
def _entries() -> dict[str, dict[str, str]]:
    return yaml.safe_load(_CATALOGUE.read_text(encoding="utf-8"))


def say(key: str, language: str | None) -> str:
    """The sentence ``key`` in ``language`` (English when the language is not supported)."""
    code = normalise(language)
    return _entries()[key][code if code in SUPPORTED else FALLBACK]
