"""Every language says everything: same keys, same placeholders, the right plural forms."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from babel import Locale

from actions.catalogue import messages
from bot.language.codes import SUPPORTED

RESPONSES = Path(__file__).resolve().parents[3] / "bot" / "domain" / "responses"
ENGLISH_ONLY: set[str] = set()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def forms(entry: object) -> list[str]:
    return list(entry.values()) if isinstance(entry, dict) else [str(entry)]


@pytest.mark.parametrize("lang", [lang for lang in SUPPORTED if lang != "en"])
def test_catalogue_has_the_english_keys_and_placeholders(lang: str) -> None:
    english, other = messages("en"), messages(lang)
    assert set(other) == set(english)
    for key, entry in english.items():
        wanted = set().union(*(placeholders(text) for text in forms(entry)))
        for text in forms(other[key]):
            assert placeholders(text) <= wanted | {"count"}, f"{lang}:{key}"


@pytest.mark.parametrize("lang", SUPPORTED)
def test_plural_entries_cover_the_languages_categories(lang: str) -> None:
    locale = Locale.parse(lang)
    needed = {locale.plural_form(n) for n in (0, 1, 2, 3, 11, 100, 1_000_000)}
    for key, entry in messages(lang).items():
        if isinstance(entry, dict):
            assert needed <= set(entry) | {"other"} and "other" in entry, f"{lang}:{key}"


def test_small_talk_responses_exist_in_every_language() -> None:
    for path in RESPONSES.glob("*.yml"):
        for name, variations in yaml.safe_load(path.read_text())["responses"].items():
            if name in ENGLISH_ONLY:
                continue
            languages = {
                condition["value"]
                for variation in variations
                for condition in variation.get("condition", [])
                if condition.get("name") == "language"
            }
            assert languages == set(SUPPORTED), (
                f"{path.name}:{name} lacks {set(SUPPORTED) - languages}"
            )
