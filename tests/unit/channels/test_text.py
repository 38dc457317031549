"""Splitting long answers, numbered choices, links as plain text."""

from __future__ import annotations

import re

import pytest

from bot.channels.text import choice_number, numbered, plain_text, split_text

SENTENCE_END = re.compile(r"[.!?…؟]$")


def test_short_text_is_one_message() -> None:
    assert split_text("  Hello there.  ", 100) == ["Hello there."]
    assert split_text("", 100) == []


@pytest.mark.parametrize("limit", [60, 100, 250])
def test_long_text_splits_between_sentences(limit: int) -> None:
    sentences = [f"Sentence number {n} says something useful about hubs." for n in range(30)]
    text = " ".join(sentences)
    parts = split_text(text, limit)
    assert len(parts) > 1
    assert all(len(part) <= limit and SENTENCE_END.search(part) for part in parts)
    assert " ".join(parts) == text


def test_arabic_sentences_end_at_the_arabic_question_mark() -> None:
    text = "ما هي الحاضنات في النرويج؟ " * 10
    parts = split_text(text, 60)
    assert all(part.endswith("؟") and len(part) <= 60 for part in parts)


def test_line_breaks_end_a_sentence() -> None:
    text = "Calls:\n" + "\n".join(f"- call number {n}" for n in range(40))
    parts = split_text(text, 80)
    assert all(len(part) <= 80 for part in parts)
    assert all(not part.startswith("number") for part in parts)


def test_a_sentence_longer_than_a_message_is_cut_between_words() -> None:
    text = "word " * 50 + "end."
    parts = split_text(text, 42)
    assert all(len(part) <= 42 for part in parts)
    assert all(not part.startswith("ord") for part in parts)
    assert " ".join(parts).split() == text.split()


def test_numbered_choices_and_replies() -> None:
    assert numbered("Which one?", ["DigiHub", "Voss"]) == "Which one?\n\n1. DigiHub\n2. Voss"
    assert choice_number("2", 3) == 1
    assert choice_number(" 1. ", 3) == 0
    assert choice_number("٣", 3) == 2  # Arabic-Indic digits
    assert choice_number("4", 3) is None
    assert choice_number("0", 3) is None
    assert choice_number("2023", 3) is None
    assert choice_number("two", 3) is None


def test_markdown_links_become_plain_text() -> None:
    assert plain_text("See [DigiHub](https://digihub.example).") == (
        "See DigiHub (https://digihub.example)."
    )
    assert plain_text("Mail [a@b.example](mailto:a@b.example)") == "Mail a@b.example"
    assert plain_text("اتصل [بنا](tel:+212500) الآن") == "اتصل بنا (+212500) الآن"
