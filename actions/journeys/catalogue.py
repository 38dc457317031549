"""The journeys' own wording catalogue: `actions/journeys/messages/<lang>.yml`, the same format
as `actions/messages/` (flat keys, `{placeholders}`, CLDR plural forms)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.formatting import locale
from knowledge.languages import SUPPORTED

MESSAGES_DIR = Path(__file__).with_name("messages")
FALLBACK = "en"


@cache
def messages(lang: str) -> dict[str, Any]:
    with (MESSAGES_DIR / f"{lang}.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def has(lang: str, key: str) -> bool:
    return key in messages(lang if lang in SUPPORTED else FALLBACK)


def say(lang: str, key: str, count: int | None = None, **params: Any) -> str:
    """The text for `key` in `lang` with `params` filled in, plural form chosen by `count`."""
    lang = lang if lang in SUPPORTED else FALLBACK
    entry = messages(lang).get(key)
    if entry is None:
        entry = messages(FALLBACK)[key]
    if isinstance(entry, dict):
        category = locale(lang).plural_form(count if count is not None else 0)
        entry = entry.get(category, entry["other"])
    if count is not None:
        params.setdefault("count", count)
    return str(entry).format(**params)
