"""Tolerant matchers of the question bank's fact kinds (bench/data/answers/README.md).

The bank's writers never saw the answer wording, so a fact is written as a value (a date, a
number, a phone number) and must be found in the reply whatever form the assistant (Babel, a
catalogue, or a quoted source sentence) gave it: "2023-06-14" is also "14 juin 2023",
"June 14, 2023" and "١٤ يونيو ٢٠٢٣"; 6000000 is also "6 000 000 kr" and "6 millioner".

Each kind has one pure function `<kind>_matches(value, reply) -> bool`; `matches(kind, value,
reply)` dispatches and `check_value(kind, value)` validates a value from the bank (the loader
calls it, so a value the matcher cannot read is a load error, not a silent miss).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.dates import get_month_names

from knowledge.text import fold, has_phrase

KINDS = ("text", "number", "date", "month", "time", "phone", "email", "url")
#: The locales whose month names count (the six supported languages; Syrian Arabic adds the
#: Levantine names "حزيران"… that Arabic writers also use).
MONTH_LOCALES = ("en", "fr", "nb", "nl", "sv", "ar", "ar_SY")

# Arabic-Indic (U+0660…) and Eastern Arabic-Indic (U+06F0…) digits as ASCII; the Arabic decimal
# and thousands separators as "." and ","; the direction marks Babel puts in Arabic short dates
# ("14‏/6‏/2023") removed; no-break and narrow no-break spaces as plain spaces.
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_NORMALISE = str.maketrans(
    {
        **_DIGITS,
        "\u066b": ".",
        "\u066c": ",",
        "\u200e": None,
        "\u200f": None,
        "\u061c": None,
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
    }
)


def normalise(text: str) -> str:
    """ASCII digits, plain spaces, no direction marks: the form every matcher reads."""
    return text.translate(_NORMALISE)


def folded(text: str) -> str:
    """`knowledge.text.fold` of the normalised text (the project's one folding function)."""
    return fold(normalise(text))


# --- text ------------------------------------------------------------------------------------


def _phrases(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, (list, tuple)) else [value]
    return tuple(folded(str(item)) for item in items)


def text_matches(value: object, reply: str) -> bool:
    """Any of the phrases as a run of whole words of the folded reply ("pole" ≠ "poles"); a
    hyphenated word also written as one ("sociaal-economische", "sociaaleconomische"), an
    Arabic word also with the particles written on it."""
    haystack = folded(reply)
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        phrase = folded(str(item))
        if not phrase:
            continue
        if has_phrase(haystack, phrase):
            return True
        if "-" in str(item) and has_phrase(haystack, folded(str(item).replace("-", ""))):
            return True
    return False


# --- number ----------------------------------------------------------------------------------

_GROUP_SEP = "[ .,']"  # between digit groups: space (no-break spaces normalised), . , '
_MILLION_WORDS = (
    r"millions?",
    r"millioner",
    r"millionen",
    r"mill\b\.?",
    r"mln\b\.?",
    r"miljoen(?:en)?",
    r"miljon(?:er)?",
    r"مليون",
    r"ملايين",
    r"M(?=\s?[$€£])",  # "32 M$", "3 M€" (Québec, France)
)
_MILLION = "(?:" + "|".join(_MILLION_WORDS) + ")"
_NO_MILLION_AFTER = rf"(?!\s?{_MILLION}(?!\w))"


def parse_number(value: object) -> Decimal:
    """A bank number (int, float or a numeric string) as a Decimal; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"not a number: {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"not a non-negative number: {value!r}")
    return number


def _grouped(integer: str) -> str:
    """Digits with an optional separator between groups of three ("6 000 000", "6000000")."""
    head = len(integer) % 3 or 3
    groups = [integer[:head]] + [integer[i : i + 3] for i in range(head, len(integer), 3)]
    return f"{_GROUP_SEP}?".join(groups)


def _digits_pattern(number: Decimal) -> str:
    """The number's digits, fraction required when it has one ("3[.,]5"), "31.00" allowed."""
    integer, _, fraction = f"{number.normalize():f}".partition(".")
    pattern = _grouped(integer)
    if fraction:
        return pattern + rf"[.,]{fraction}0*"
    return pattern + r"(?:[.,]0{1,2})?"


def _standalone(pattern: str, first_group: str) -> str:
    """`pattern` not inside a longer number: 31 is not in 2031, 310, 3.1, 31,5 or 31 000.

    A space or an apostrophe before the number only joins it to a longer one when the number
    starts with a full group of three digits ("6 400 000" holds 400000, "2023 31" holds 31).
    """
    behind = r"(?<!\d)(?<!\d[.,])" + (r"(?<!\d[ '])" if len(first_group) == 3 else "")
    ahead = r"(?!\d)(?![.,]\d)(?![ ']\d{3}(?!\d))"
    return behind + pattern + ahead


@cache
def _number_regex(number: Decimal) -> re.Pattern[str]:
    integer = f"{number.normalize():f}".partition(".")[0]
    first = integer[: len(integer) % 3 or 3]
    forms = [_standalone(_digits_pattern(number), first) + _NO_MILLION_AFTER]
    millions = number / Decimal(1_000_000)
    if number >= 100_000 and millions == millions.quantize(Decimal("0.001")):
        head, _, fraction = f"{millions.normalize():f}".partition(".")
        mantissa = head + (rf"[.,]{fraction}0*" if fraction else r"(?:[.,]0+)?")
        forms.append(_standalone(mantissa, head) + rf"\s?{_MILLION}(?!\w)")
    return re.compile("|".join(f"(?:{form})" for form in forms))


def number_matches(value: object, reply: str) -> bool:
    """The number in any digit grouping, or as "N million(s)/millioner/miljoen/…/مليون"."""
    return bool(_number_regex(parse_number(value)).search(normalise(reply)))


# --- date and month --------------------------------------------------------------------------


def parse_date(value: object) -> date:
    """A bank date: YAML's date, or an ISO string; ValueError otherwise."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"not a date (YYYY-MM-DD): {value!r}")


def parse_month(value: object) -> tuple[int | None, int]:
    """A bank month: 5 (any year) or "2018-05"; (year or None, month); ValueError otherwise."""
    text = str(value).strip() if isinstance(value, (int, str)) else ""
    if isinstance(value, bool):
        text = ""
    found = re.fullmatch(r"(?:(\d{4})-)?(\d{1,2})", text)
    if found and 1 <= int(found.group(2)) <= 12:
        return (int(found.group(1)) if found.group(1) else None), int(found.group(2))
    raise ValueError(f"not a month (5 or YYYY-MM): {value!r}")


@cache
def month_names(month: int) -> tuple[str, ...]:
    """Folded names of the month in every locale: wide and abbreviated, format and stand-alone."""
    names = {
        folded(names[month])
        for locale in MONTH_LOCALES
        for width in ("wide", "abbreviated")
        for context in ("format", "stand-alone")
        for names in [get_month_names(width, context, locale=locale)]
    }
    return tuple(sorted(filter(None, names), key=len, reverse=True))


def _names_pattern(month: int) -> str:
    return "(?:" + "|".join(re.escape(name) for name in month_names(month)) + ")"


# After folding: "30th", "1er", "14de", "1ste", "14:e" (→ "14 e"); "30." lost its dot.
_ORDINAL = r"(?:st|nd|rd|th|er|re|e|eme|de|ste)?(?: e)?"


@cache
def _date_regexes(day: date) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(pattern over the normalised reply, pattern over the folded reply) for one day."""
    d, m, y = day.day, day.month, day.year
    numeric = (
        rf"(?<!\d){y}(?P<a>[-/.])0?{m}(?P=a)0?{d}(?!\d)"  # ISO 2023-06-14 (and 2023/06/14)
        rf"|(?<!\d)0?{d}(?P<b>[-/.])0?{m}(?P=b){y}(?!\d)"  # 14/06/2023, 14.06.2023, 14-06-2023
    )
    names = _names_pattern(m)
    day_first = rf"\b0?{d}{_ORDINAL} (?:(?:of|de) )?{names} (?:de )?{y}\b"
    month_first = rf"\b{names} 0?{d}(?:st|nd|rd|th)? {y}\b"
    return re.compile(numeric), re.compile(f"{day_first}|{month_first}")


def date_matches(value: object, reply: str) -> bool:
    """That day in any usual form: ISO, d/m/y with / . -, or the day, the month's name, year.

    Month names come from Babel in each locale (wide and abbreviated, format and stand-alone),
    the day before or after the month, with an ordinal ("30th", "1er", "30.") or "den" before.
    """
    numeric, named = _date_regexes(parse_date(value))
    return bool(numeric.search(normalise(reply)) or named.search(folded(reply)))


# Month names that are also common words ("may", "mar"): without a year they must stand
# beside a number (a day) to count.
_WORDLIKE = {"may", "mar", "jun", "jul", "dec", "sep", "okt"}


@cache
def _month_regexes(year: int | None, month: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = _names_pattern(month)
    if year is not None:
        numeric = rf"(?<!\d)0?{month}[-/.]{year}(?!\d)|(?<!\d){year}[-/.]0?{month}(?!\d)"
        named = rf"\b{names} (?:\d{{1,2}}(?:st|nd|rd|th)? )?{year}\b"
        return re.compile(numeric), re.compile(named)
    numeric = (
        rf"(?<!\d)\d{{1,2}}(?P<a>[-/.])0?{month}(?P=a)\d{{4}}(?!\d)"
        rf"|(?<!\d)\d{{4}}(?P<b>[-/.])0?{month}(?:(?P=b)\d{{1,2}})?(?!\d)"
        rf"|(?<![\d/.-])0?{month}[-/.]\d{{4}}(?!\d)"
    )
    plain = [name for name in month_names(month) if name not in _WORDLIKE]
    alone = "(?:" + "|".join(re.escape(name) for name in plain) + ")" if plain else "(?!)"
    named = rf"\b{alone}\b|(?<!\d)\d{{1,2}}{_ORDINAL} (?:of )?{names}\b|\b{names} \d{{1,4}}\b"
    return re.compile(numeric), re.compile(named)


def month_matches(value: object, reply: str) -> bool:
    """The month by name (any of the six languages) or number, followed by the year if given."""
    numeric, named = _month_regexes(*parse_month(value))
    return bool(numeric.search(normalise(reply)) or named.search(folded(reply)))


# --- time ------------------------------------------------------------------------------------


def parse_time(value: object) -> tuple[int, int]:
    """A bank time "15:00" as (15, 0); ValueError otherwise (unquoted 15:00 is YAML's 900)."""
    if isinstance(value, str):
        found = re.fullmatch(r"(\d{1,2})[:.h](\d{2})", value.strip())
        if found and int(found.group(1)) < 24 and int(found.group(2)) < 60:
            return int(found.group(1)), int(found.group(2))
    hint = " (quote it: unquoted 15:00 is the YAML integer 900)" if isinstance(value, int) else ""
    raise ValueError(f'not a time ("HH:MM"): {value!r}{hint}')


_PM = r"(?:p\.?\s?m\b\.?|م(?!\w)|مساء)"
_AM = r"(?:a\.?\s?m\b\.?|ص(?!\w)|صباحا)"


@cache
def _time_regex(hour: int, minute: int) -> re.Pattern[str]:
    mm = f"{minute:02d}"
    before = r"(?<![\d:.,])"
    forms = [
        # 15:00, 15.00, 15h00, 15 h 00 (not "3:00" of "3:00 PM" when 03:00 is meant)
        rf"{before}0?{hour}\s?[:.hH]\s?{mm}(?!\d)" + (rf"(?!\s?{_PM})" if hour < 12 else ""),
        # kl. 15, klokka 15.00, klockan 15:00
        rf"\b(?:kl\.?|klokka|klokken|klockan)\s*0?{hour}"
        + (rf"(?:[:.]{mm})?(?![:.]?\d)" if minute == 0 else rf"[:.]{mm}(?!\d)"),
    ]
    if minute == 0:  # 15 h, 15h, 15 heures, 15 uur
        forms.append(rf"{before}0?{hour}\s?(?:h|heures?|uur)(?!\w)")
    twelve = hour % 12 or 12
    half = _PM if hour >= 12 else _AM
    minutes = rf"(?:\s?[:.]\s?{mm})?" if minute == 0 else rf"\s?[:.]\s?{mm}"
    forms.append(rf"{before}0?{twelve}{minutes}\s?{half}")  # 3 PM, 3:00 p.m., 3:00 م
    return re.compile("|".join(f"(?:{form})" for form in forms), re.IGNORECASE)


def time_matches(value: object, reply: str) -> bool:
    """ "15:00", "15h00", "15.00", "15 h", "kl. 15", "3:00 PM", "3 PM", "3:00 p.m."."""
    return bool(_time_regex(*parse_time(value)).search(normalise(reply)))


# --- phone, email, url -----------------------------------------------------------------------

_PHONE_RUN = re.compile(r"(\+|00)?\d[\d \-./()]*\d")


def parse_phone(value: object) -> str:
    """The digits of a bank phone number; ValueError when it has fewer than five."""
    digits = re.sub(r"\D", "", normalise(str(value))) if isinstance(value, (str, int)) else ""
    if len(digits) < 5 or isinstance(value, bool):
        raise ValueError(f"not a phone number: {value!r}")
    return digits


def phone_matches(value: object, reply: str) -> bool:
    """The same digits ignoring spaces and punctuation; "+46 73…" stands for "073…"."""
    digits = parse_phone(value)
    for run in _PHONE_RUN.finditer(normalise(reply)):
        found = re.sub(r"\D", "", run.group(0))
        if digits in found:
            return True
        if run.group(1) and digits.startswith("0") and digits[1:] in found:
            return True
    return False


def _address(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not an address: {value!r}")
    return value.strip().lower()


def email_matches(value: object, reply: str) -> bool:
    """The address, ignoring case."""
    return _address(value) in normalise(reply).lower()


def url_matches(value: object, reply: str) -> bool:
    """The address ignoring case; its scheme, "www." and a final "/" may be left out."""
    address = re.sub(r"^(?:https?://)?(?:www\.)?", "", _address(value)).rstrip("/")
    return address in normalise(reply).lower()


# --- dispatch --------------------------------------------------------------------------------

MATCHERS: dict[str, Callable[[object, str], bool]] = {
    "text": text_matches,
    "number": number_matches,
    "date": date_matches,
    "month": month_matches,
    "time": time_matches,
    "phone": phone_matches,
    "email": email_matches,
    "url": url_matches,
}


def _check_text(value: object) -> None:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ValueError("empty list")
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise ValueError(f"not a text: {item!r}")
        if not folded(str(item)):
            raise ValueError(f"nothing left after folding: {item!r}")


_CHECKS: dict[str, Callable[[object], object]] = {
    "text": _check_text,
    "number": parse_number,
    "date": parse_date,
    "month": parse_month,
    "time": parse_time,
    "phone": parse_phone,
    "email": _address,
    "url": _address,
}


def check_value(kind: str, value: object) -> None:
    """Raise ValueError when `value` is not a readable value of fact kind `kind`."""
    if kind not in _CHECKS:
        raise ValueError(f"unknown fact kind {kind!r} (known: {', '.join(KINDS)})")
    _CHECKS[kind](value)


def matches(kind: str, value: object, reply: str) -> bool:
    """Whether the reply text holds the fact `kind: value` (see each `<kind>_matches`)."""
    if kind not in MATCHERS:
        raise ValueError(f"unknown fact kind {kind!r} (known: {', '.join(KINDS)})")
    return MATCHERS[kind](value, reply)


def describe(kind: str, value: object) -> str:
    """A fact as one short line for reports ("date 2023-06-14", "text [a | b]")."""
    if isinstance(value, list):
        return f"{kind} [{' | '.join(str(item) for item in value)}]"
    return f"{kind} {value.isoformat() if isinstance(value, date) else value}"
