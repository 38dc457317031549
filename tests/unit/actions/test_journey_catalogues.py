"""The journeys' catalogue has the same keys and placeholders in every language."""

from __future__ import annotations

import string

import pytest

from actions.journey_words import messages
from bot.language.codes import SUPPORTED


def fields(entry) -> set[str]:
    texts = entry.values() if isinstance(entry, dict) else [entry]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", [lang for lang in SUPPORTED if lang != "en"])
def test_same_keys_and_placeholders_as_english(lang: str) -> None:
    english, other = messages("en"), messages(lang)
    assert sorted(other) == sorted(english)
    for key, entry in english.items():
        assert fields(other[key]) <= fields(entry) | {"count"}, key
