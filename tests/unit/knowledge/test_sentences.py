"""Cutting a record's texts into sentences for ranking."""

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
