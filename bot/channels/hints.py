"""Language hints a messaging channel knows before the bot reads a word.

Telegram sends the app's interface language (``language_code``), Messenger a profile locale
(``fr_FR``), WhatsApp only the phone number. The hint goes into the message metadata as
``locale``, the key the web chat uses too; the conversation-language policy gives it weight only
on a first turn whose text cannot decide (`bot/language/conversation.py`).

A phone number's country is a weak hint: it names a language only for countries where one of
the six supported languages is the one most people write in. Bilingual countries (Belgium,
Switzerland, Canada, Luxembourg, the Maghreb, where French and Arabic are both common) give
none, so the text decides.
"""

from __future__ import annotations

from bot.language.codes import SUPPORTED, normalise

# ITU country calling codes -> language (longest prefix first when looking up).
_CALLING_CODES = {
    "1": None,  # North America: English or French (Québec)
    "20": "ar",  # Egypt
    "31": "nl",  # Netherlands
    "33": "fr",  # France
    "44": "en",  # United Kingdom
    "46": "sv",  # Sweden
    "47": "nb",  # Norway
    "61": "en",  # Australia
    "64": "en",  # New Zealand
    "353": "en",  # Ireland
    "358": None,  # Finland: Finnish first, Swedish second
    "377": "fr",  # Monaco
    "597": "nl",  # Suriname
    "961": "ar",  # Lebanon
    "962": "ar",  # Jordan
    "963": "ar",  # Syria
    "964": "ar",  # Iraq
    "965": "ar",  # Kuwait
    "966": "ar",  # Saudi Arabia
    "967": "ar",  # Yemen
    "968": "ar",  # Oman
    "970": "ar",  # Palestine
    "971": "ar",  # United Arab Emirates
    "973": "ar",  # Bahrain
    "974": "ar",  # Qatar
    "249": "ar",  # Sudan
    "218": "ar",  # Libya
}


def from_phone_number(number: str | None) -> str | None:
    """The language a phone number's country suggests ("4791234567" -> "nb"), or None."""
    digits = "".join(ch for ch in (number or "") if ch.isdigit())
    for length in (3, 2, 1):
        prefix = digits[:length]
        if len(digits) > length and prefix in _CALLING_CODES:
            return _CALLING_CODES[prefix]
    return None


def from_locale(locale: str | None) -> str | None:
    """A supported language from a locale ("fr_FR", "pt-br", "nn"), or None."""
    code = normalise(locale)
    return code if code in SUPPORTED else None
