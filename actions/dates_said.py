"""Days a message names ("le 31 mai", "May 31st", "31. mai", "٣١ مايو"): month names from
Babel's CLDR data in the six languages, so that a question about one day can be narrowed to it.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

from knowledge.languages import SUPPORTED
from knowledge.text import fold

_DAY = r"(\d{1,2})(?:st|nd|rd|th|er|e|\.)?"


@cache
def _months() -> dict[str, int]:
    """Folded month names (wide and abbreviated, format and stand-alone) → month number."""
    names: dict[str, int] = {}
    for lang in SUPPORTED:
        months = Locale.parse(lang).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    folded = fold(name)
                    if len(folded) >= 3:
                        names.setdefault(folded, number)
    return names


@cache
def _pattern() -> re.Pattern[str]:
    month = "|".join(sorted(map(re.escape, _months()), key=len, reverse=True))
    return re.compile(rf"(?:\b{_DAY}\s+(?P<m1>{month})\b|\b(?P<m2>{month})\s+{_DAY}\b)")


def days_named(text: str) -> list[tuple[int, int]]:
    """The (month, day) pairs a message names, in order."""
    folded = fold(text.translate(_EASTERN_DIGITS))
    found = []
    for match in _pattern().finditer(folded):
        month = _months()[match.group("m1") or match.group("m2")]
        day = int(match.group(1) or match.group(4))
        if 1 <= day <= 31:
            found.append((month, day))
    return found


#: Arabic-Indic digits as chat writers type them ("٣١ مايو")
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
