"""Per-language message catalogues: the wording of every answer the action server builds.

`actions/messages/<lang>.yml` maps a key to a text with `{placeholders}`, or to plural forms keyed
by CLDR category (`zero one two few many other`), chosen with Babel's plural rules for the
language. Every language has the same keys (checked by tests/unit/actions/test_catalogues.py).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.formatting import locale
from bot.language.codes import SUPPORTED

MESSAGES_DIR = Path(__file__).with_name("messages")
FALLBACK = "en"


@cache
def messages(lang: str) -> dict[str, Any]:
    """The catalogue of one language, loaded once."""
    with (MESSAGES_DIR / f"{lang}.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def say(lang: str, key: str, count: int | None = None, **params: Any) -> str:
    """The text for `key` in `lang`, with `params` filled in and plural form chosen by `count`."""
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
