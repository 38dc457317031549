"""Arabic word stems: clitics and plural forms share a stem; other scripts are left alone."""

from __future__ import annotations

import pytest

from bot.language.stemming import stem_arabic_words, word_features_text


@pytest.mark.parametrize(
    ("forms", "stem"),
    [
        (["الحاضنة", "بالحاضنات", "حاضنة"], "حاضن"),
        (["المقاولات", "للمقاولات", "مقاولة"], "مقاول"),
        (["التمويل", "بالتمويل", "تمويل"], "تمويل"),
    ],
)
def test_arabic_forms_of_one_word_share_a_stem(forms: list[str], stem: str) -> None:
    assert {word_features_text(form) for form in forms} == {stem}


def test_words_in_latin_script_keep_their_form() -> None:
    text = "Hvor er Næringshagen i Voss, svp?"
    assert stem_arabic_words(text) == text


def test_mixed_message_stems_only_the_arabic_words() -> None:
    assert word_features_text("الشركات في Voss؟") == "شرك في voss"
