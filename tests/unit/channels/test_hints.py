"""The language hints of messaging apps."""

from __future__ import annotations

import pytest

from bot.channels.hints import from_locale, from_phone_number


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("4791234567", "nb"),
        ("+46 70 123 45 67", "sv"),
        ("31612345678", "nl"),
        ("33612345678", "fr"),
        ("447700900123", "en"),
        ("966501234567", "ar"),
        ("201001234567", "ar"),
        ("212612345678", None),  # Morocco: Arabic and French, the text decides
        ("32470123456", None),  # Belgium
        ("15145550123", None),  # Canada / USA
        ("4915112345678", None),  # Germany: no supported language
        ("", None),
        (None, None),
    ],
)
def test_phone_number_country_is_a_hint_only_where_one_language_fits(number, expected) -> None:
    assert from_phone_number(number) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fr_FR", "fr"), ("nn", "nb"), ("pt-br", None), ("ar", "ar"), ("", None), (None, None)],
)
def test_locales(locale, expected) -> None:
    assert from_locale(locale) == expected
