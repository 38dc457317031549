"""Text helpers: cutting a record's texts into sentences, finding a phrase in folded text."""

from __future__ import annotations

import pytest

from knowledge.query.passages import sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Opprettet 15. mars 2011 i Lille. Den har 4 desker.",
            ["Opprettet 15. mars 2011 i Lille.", "Den har 4 desker."],
        ),
        ("Fristen var 2018. Nå er den stengt.", ["Fristen var 2018.", "Nå er den stengt."]),
        ("Møtet er 31. mai kl. 09:00.", ["Møtet er 31. mai kl. 09:00."]),
        ("هل هي مفتوحة؟ نعم.", ["هل هي مفتوحة؟", "نعم."]),
        (
            "« Une constellation. » Et ensuite ; la suite.",
            ["« Une constellation. » Et ensuite ;", "la suite."],
        ),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "phrase", "found"),
    [
        ("how much in total", "in total", True),
        ("how much in totality", "in total", False),
        ("ومجموع هاد الاستثمار", "مجموع", True),
        ("والمجموع", "مجموع", True),
        ("مجموعات", "مجموع", False),
    ],
)
def test_has_phrase(text: str, phrase: str, found: bool) -> None:
    from knowledge.text import fold, has_phrase

    assert has_phrase(fold(text), fold(phrase)) is found
