"""Language codes: one mapping of variants onto the supported codes."""

import pytest

from bot.language.codes import SUPPORTED, is_supported, normalise


def test_supported_languages_are_the_six_of_the_product() -> None:
    assert SUPPORTED == ("en", "fr", "nb", "nl", "sv", "ar")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nb", "nb"),
        ("nn", "nb"),
        ("no", "nb"),
        ("nn-NO", "nb"),
        ("nb_NO", "nb"),
        ("sv-SE", "sv"),
        ("AR", "ar"),
        ("fr-CA", "fr"),
        ("de-DE", "de"),
        ("nor", "nb"),
        ("", "und"),
        (None, "und"),
        ("12", "und"),
        ("x", "und"),
    ],
)
def test_normalise(raw: str | None, expected: str) -> None:
    assert normalise(raw) == expected


def test_is_supported() -> None:
    assert is_supported("nn-NO")
    assert is_supported("ar")
    assert not is_supported("da")
    assert not is_supported("und")
