"""Known proper names do not decide a message's language; an Arabic sentence quoting French
terms is Arabic."""

from __future__ import annotations

import pytest

from bot.language.detector import detect
from bot.language.names import KnownNames, NameMask

NAMES = NameMask(["Næringshage Nord", "Troms", "Innov'Eurometropolis", "Innovationsarena Inland",
                  "Ministère de l'Industrie et du Commerce", "Siva"])  # fmt: skip


def test_whole_names_are_flagged_not_their_common_words() -> None:
    tokens = ["the", "Ministère", "de", "l'Industrie", "et", "du", "Commerce", "de", "Rabat"]
    assert NAMES.flags(tokens) == [False, True, True, True, True, True, True, False, False]
    # "Nord" alone is a word, not the garden's name.
    assert NAMES.flags(["Nord", "Troms"]) == [False, True]
    assert NAMES.flags(["INNOV’EUROMETROPOLIS", "er"]) == [True, False]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Næringshage Nord up in Troms, did it use to go by another name?", "en"),
        ("Innov'Eurometropolis a été lancé à l'initiative de qui ?", "fr"),
        ("L'Innovationsarena Inland, elle sert à quoi au fond ?", "fr"),
    ],
)
def test_a_quoted_name_does_not_decide_the_language(text: str, lang: str) -> None:
    assert detect(text, NAMES).code == lang


def test_a_message_of_known_names_only_has_no_language() -> None:
    # The garden's name is Norwegian, the person writing it need not be (issue 11).
    for text in ("Næringshage Nord", "Næringshage Nord Troms?", "Innovationsarena Inland"):
        result = detect(text, NAMES)
        assert (result.code, result.reliable) == ("und", False)


def test_a_name_that_is_also_a_word_is_still_a_word_around_it() -> None:
    assert detect("Siva", NAMES).code == "und"
    assert detect("hvem kan søke hos Siva?", NAMES).code == "nb"


@pytest.mark.parametrize(
    "text",
    [
        "ما الغاية من إنشاء pôles régionaux d'innovation أصلا؟",
        "شنو هي la date limite ديال l'appel a projets des clusters marocains؟ واش مازال مفتوح؟",
    ],
)
def test_an_arabic_sentence_quoting_french_is_arabic(text: str) -> None:
    assert detect(text).code == "ar"


def test_no_knowledge_base_means_no_mask_and_no_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HUBGUIDE_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    assert KnownNames().mask() is None


def test_the_knowledge_bases_names_are_loaded(monkeypatch, seed_database_url) -> None:
    monkeypatch.setenv("HUBGUIDE_DATABASE_URL", seed_database_url)
    mask = KnownNames().mask()
    assert mask is not None and mask.flags(["Næringshagen", "på", "Voss", "?"])[:3] == [True] * 3
