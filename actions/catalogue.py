"""Per-language message catalogues: the wording of every answer the action server builds.

`actions/messages/<lang>.yml` maps a key to a text with `{placeholders}`, or to plural forms keyed
by CLDR category (`zero one two few many other`), chosen with Babel's plural rules for the
language. Every language has the same keys (checked by tests/unit/actions/test_catalogues.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.formatting import locale
from bot.language.codes import SUPPORTED

MESSAGES_DIR = Path(__file__).with_name("messages")
FALLBACK = "en"


@cache
def _load(folder: Path, lang: str) -> dict[str, Any]:
    with (folder / f"{lang}.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


@dataclass(frozen=True)
class Catalogue:
    """One folder of per-language catalogues (`<lang>.yml`, the format above): the answers'
    (`actions/messages/`), the journeys' (`actions/journeys/messages/`, `journey_messages/`)."""

    folder: Path

    def messages(self, lang: str) -> dict[str, Any]:
        """The catalogue of one language, loaded once."""
        return _load(self.folder, lang)

    def has(self, lang: str, key: str) -> bool:
        return key in self.messages(lang if lang in SUPPORTED else FALLBACK)

    def say(self, lang: str, key: str, count: int | None = None, **params: Any) -> str:
        """The text for `key` in `lang`, `params` filled in, plural form chosen by `count`."""
        lang = lang if lang in SUPPORTED else FALLBACK
        entry = self.messages(lang).get(key)
        if entry is None:
            entry = self.messages(FALLBACK)[key]
        if isinstance(entry, dict):
            category = locale(lang).plural_form(count if count is not None else 0)
            entry = entry.get(category, entry["other"])
        if count is not None:
            params.setdefault("count", count)
        return str(entry).format(**params)


ANSWERS = Catalogue(MESSAGES_DIR)
messages = ANSWERS.messages
say = ANSWERS.say
