"""Language codes the bot speaks, and the one place that maps variants onto them."""

from __future__ import annotations

from knowledge.languages import SUPPORTED

__all__ = ["FALLBACK", "SUPPORTED", "UNDETERMINED", "is_supported", "normalise"]

UNDETERMINED = "und"
FALLBACK = "en"

# Variants that count as a supported language: Norwegian macro code and Nynorsk are Bokmål here.
_ALIASES = {"no": "nb", "nn": "nb", "nob": "nb", "nno": "nb", "nor": "nb"}


def normalise(code: str | None) -> str:
    """Return the lower-case ISO 639-1 code for a code or a locale ("sv-SE", "nn_NO", "AR").

    Unknown or empty input gives ``und``; codes of unsupported languages are kept as they are
    (the caller decides what an unsupported language means).
    """
    if not code:
        return UNDETERMINED
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    if not base.isalpha() or not 2 <= len(base) <= 3:
        return UNDETERMINED
    return _ALIASES.get(base, base)


def is_supported(code: str | None) -> bool:
    """True when the (normalised) code is one the bot answers in."""
    return normalise(code) in SUPPORTED
