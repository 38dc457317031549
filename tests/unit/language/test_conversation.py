"""The conversation-language policy: sticky, hints, explicit requests, unsupported languages."""

from __future__ import annotations

import pytest

from bot.language.conversation import Decision, decide
from bot.language.detector import Detection, get_detector


def short(code: str, confidence: float = 0.95) -> Detection:
    return Detection(code, confidence, False)


def clear(code: str, confidence: float = 0.99) -> Detection:
    return Detection(code, confidence, True)


UND = Detection("und", 1.0, False)


# -- sticky -------------------------------------------------------------------------------------
@pytest.mark.parametrize("current", ["en", "fr", "nb", "nl", "sv", "ar"])
@pytest.mark.parametrize("detected", ["en", "fr", "nb", "nl", "sv", "ar", "da", "de", "und"])
def test_a_short_message_never_flips(current: str, detected: str) -> None:
    assert decide(current, short(detected, 1.0)) == Decision(current, False, False)


SHORT = ["ok", "merci", "takk", "hej", "dank je", "شكرا", "Voss", "DigiHub"]


@pytest.mark.parametrize("text", SHORT)
def test_real_short_messages_keep_an_established_conversation(text: str) -> None:
    detection = get_detector().detect(text)
    for current in ("en", "fr", "nb", "nl", "sv", "ar"):
        assert decide(current, detection).code == current


def test_a_clear_message_in_another_supported_language_switches() -> None:
    assert decide("en", clear("sv")) == Decision("sv", True, False)


def test_a_clear_message_in_the_same_language_changes_nothing() -> None:
    assert decide("fr", clear("fr")) == Decision("fr", False, False)


def test_a_real_sentence_switches_the_conversation() -> None:
    detection = get_detector().detect("når er søknadsfristen for næringshagen på Voss?")
    assert decide("en", detection) == Decision("nb", True, False)


def test_nynorsk_current_language_is_norwegian() -> None:
    assert decide("nn", clear("nb")) == Decision("nb", False, False)


# -- first turn and hints ------------------------------------------------------------------------
def test_first_turn_clear_text_wins_over_the_hint() -> None:
    assert decide(None, clear("nl"), hint="sv-SE") == Decision("nl", False, False)


@pytest.mark.parametrize(("hint", "code"), [("sv-SE", "sv"), ("nn-NO", "nb"), ("ar", "ar")])
def test_first_turn_hint_decides_when_the_text_cannot(hint: str, code: str) -> None:
    assert decide(None, short("fr"), hint=hint) == Decision(code, False, False)
    assert decide(None, UND, hint=hint) == Decision(code, False, False)


def test_first_turn_without_hint_takes_the_best_guess() -> None:
    assert decide(None, short("nb", 0.6)) == Decision("nb", False, False)


def test_first_turn_without_anything_falls_back_to_english() -> None:
    assert decide(None, UND) == Decision("en", False, False)
    assert decide(None, UND, hint="de-DE") == Decision("en", False, False)
    assert decide(None, short("de")) == Decision("en", False, False)


def test_the_hint_does_not_move_an_established_conversation() -> None:
    assert decide("fr", short("sv"), hint="sv-SE") == Decision("fr", False, False)


# -- explicit requests -----------------------------------------------------------------------------
def test_an_explicit_request_switches_at_once_even_on_short_text() -> None:
    assert decide("en", short("sv"), requested="sv") == Decision("sv", True, False)
    assert decide("sv", short("en"), requested="en") == Decision("en", True, False)


def test_a_request_for_the_current_language_is_not_a_switch() -> None:
    assert decide("fr", clear("fr"), requested="fr") == Decision("fr", False, False)


def test_a_request_for_nynorsk_means_norwegian() -> None:
    assert decide("en", short("en"), requested="nn") == Decision("nb", True, False)


def test_a_request_on_the_first_turn_sets_the_language() -> None:
    assert decide(None, clear("en"), requested="ar") == Decision("ar", False, False)


def test_a_request_for_an_unsupported_language_is_flagged_and_keeps_the_language() -> None:
    assert decide("fr", clear("fr"), requested="de") == Decision("fr", False, True)
    assert decide(None, short("en"), requested="es", hint="sv-SE") == Decision("sv", False, True)


# -- unsupported languages -------------------------------------------------------------------------
@pytest.mark.parametrize("current", [None, "fr", "nl", "ar"])
@pytest.mark.parametrize("detected", ["de", "es", "ru"])
def test_a_clear_unsupported_language_is_answered_in_english(
    current: str | None, detected: str
) -> None:
    decision = decide(current, clear(detected))
    assert (decision.code, decision.unsupported) == ("en", True)
    assert decision.switched == (current is not None)


def test_unsupported_in_an_english_conversation_is_not_a_switch() -> None:
    assert decide("en", clear("de")) == Decision("en", False, True)


@pytest.mark.parametrize("current", ["nb", "sv"])
def test_danish_in_a_scandinavian_conversation_keeps_it(current: str) -> None:
    assert decide(current, clear("da")) == Decision(current, False, False)


def test_danish_elsewhere_is_unsupported() -> None:
    assert decide("fr", clear("da")) == Decision("en", True, True)


def test_a_short_unsupported_message_changes_nothing() -> None:
    assert decide("nl", short("de")) == Decision("nl", False, False)


def test_an_unsure_first_message_read_as_danish_is_answered_in_norwegian() -> None:
    """Norwegian and Danish share most short sentences; a sure Danish one gets the list."""
    unsure = decide(None, Detection("da", 0.29, False))
    assert (unsure.code, unsure.unsupported) == ("nb", False)
    sure = decide(None, Detection("da", 0.95, True))
    assert (sure.code, sure.unsupported) == ("en", True)
