"""Language of the conversation: the PRODUCT.md policy as one pure function.

The conversation language is sticky. A message only moves it when it is an explicit request
("på svenska"), or when the detector calls it ``reliable`` (three words or more and confident):
"ok", "merci", "takk" or a hub name never flip a conversation. On the first turn, a text that
cannot decide leaves the choice to the channel's locale hint, else to the detector's guess (a
guess of Danish means Norwegian). A confident message in an unsupported language is answered in
English, flagged so the bot can say which languages it speaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.language.codes import FALLBACK, SUPPORTED, UNDETERMINED, normalise
from bot.language.detector import Detection

__all__ = ["Decision", "decide"]

# Unsupported languages so close to a supported one that their speakers read it without trouble:
# a Danish sentence in a Norwegian or Swedish conversation keeps that conversation's language
# (and Norwegian is the detector's commonest confusion with Danish).
_READ_AS = {"da": ("nb", "sv")}


@dataclass(frozen=True)
class Decision:
    """The language to answer in, whether it changed this turn, and whether to say that the
    language the person used (or asked for) is not one the bot speaks."""

    code: str
    switched: bool
    unsupported: bool


def _supported_or_none(code: str | None) -> str | None:
    code = normalise(code)
    return code if code in SUPPORTED else None


def decide(
    current: str | None,
    detection: Detection,
    *,
    hint: str | None = None,
    requested: str | None = None,
) -> Decision:
    """Decide the conversation language after one user message.

    current: the conversation's language so far (None on the first turn).
    detection: the detector's result for the message.
    hint: channel locale from the message metadata ("sv-SE", "nn-NO", "ar"), if any.
    requested: ISO code of an explicitly requested language (the NLU entity ``language``), if any.
    """
    current = _supported_or_none(current)
    detected = normalise(detection.code)

    if requested:
        wanted = normalise(requested)
        if wanted in SUPPORTED:
            return Decision(wanted, current is not None and wanted != current, False)
        if wanted != UNDETERMINED:
            kept = _decide_from_text(current, detection, detected, hint)
            return Decision(kept.code, kept.switched, True)

    return _decide_from_text(current, detection, detected, hint)


def _decide_from_text(
    current: str | None, detection: Detection, detected: str, hint: str | None
) -> Decision:
    clear = detection.reliable and detected != UNDETERMINED
    if clear and detected not in SUPPORTED:
        if current is not None and current in _READ_AS.get(detected, ()):
            return Decision(current, False, False)
        return Decision(FALLBACK, current is not None and current != FALLBACK, True)

    if current is None:
        if clear:
            return Decision(detected, False, False)
        hinted = _supported_or_none(hint)
        if hinted is not None:
            return Decision(hinted, False, False)
        if detected in SUPPORTED:
            return Decision(detected, False, False)
        if detected in _READ_AS:
            # "Hvilken adresse har kontoret til …?" is Danish and Norwegian alike: not sure it
            # is Danish, answer in the supported language its speakers read.
            return Decision(_READ_AS[detected][0], False, False)
        return Decision(FALLBACK, False, False)

    if clear and detected != current:
        return Decision(detected, True, False)
    return Decision(current, False, False)
