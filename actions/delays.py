"""How long before a deadline the user wants a reminder: "a week before", "3 jours avant",
"to uker før", "två dagar innan", "48 uur van tevoren", "قبل أسبوعين".

A small parser instead of Duckling (not available here): an optional number (digits, Arabic-Indic
digits or a number word of any of the six languages) and a unit word, matched on the folded
text (``knowledge.text.fold``), so accents and case do not matter. Arabic dual forms carry their
number ("يومين" = two days).
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cache

from knowledge.text import fold

UNITS = {
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
}

#: number words of the six languages (folded below), the indefinite article counting as one
NUMBERS = {
    1: "a an one un une ein en ei ett et een één واحد واحدة",
    2: "two deux to två tva twee اثنين اثنان",
    3: "three trois tre drie ثلاثة ثلاث",
    4: "four quatre fire fyra vier اربعة اربع",
    5: "five cinq fem vijf خمسة خمس",
    6: "six seks sex zes ستة ست",
    7: "seven sept sju syv zeven سبعة سبع",
    8: "eight huit atte åtta acht ثمانية ثماني",
    9: "nine neuf ni nio negen تسعة تسع",
    10: "ten dix ti tio tien عشرة عشر",
    12: "twelve douze tolv twaalf",
    14: "fourteen quatorze fjorten fjorton veertien",
    15: "fifteen quinze femten femton vijftien",
    20: "twenty vingt tjue tjugo twintig عشرين عشرون",
    30: "thirty trente tretti trettio dertig ثلاثين ثلاثون",
}

#: unit words → (unit, the number the word itself carries, or None)
UNIT_WORDS = {
    "hour": "hour hours heure heures timer timme timmar uur ساعة ساعات",
    "day": "day days jour jours dag dager dagar dagen يوم ايام",
    "week": "week weeks semaine semaines uke uker uka veke vecka veckor veckan weken اسبوع اسابيع",
    "month": "month months mois maned maneder manad manader maand maanden شهر اشهر شهور",
}
#: Arabic duals: the word is "two of the unit"
DUALS = {
    "day": "يومين يومان",
    "week": "اسبوعين اسبوعان",
    "hour": "ساعتين ساعتان",
    "month": "شهرين شهران",
}
#: "the day before" in each language
DAY_BEFORE = (
    "the day before",
    "la veille",
    "dagen for",
    "dagen innan",
    "dagen ervoor",
    "de dag ervoor",
    "de dag van tevoren",
    "اليوم السابق",
    "قبلها بيوم",
)

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@cache
def _tables() -> tuple[dict[str, int], dict[str, tuple[str, int | None]], re.Pattern]:
    numbers = {fold(word): value for value, words in NUMBERS.items() for word in words.split()}
    units: dict[str, tuple[str, int | None]] = {}
    for unit, words in UNIT_WORDS.items():
        units.update({fold(word): (unit, None) for word in words.split()})
    for unit, words in DUALS.items():
        units.update({fold(word): (unit, 2) for word in words.split()})
    number = "|".join(sorted(map(re.escape, numbers), key=len, reverse=True))
    unit = "|".join(sorted(map(re.escape, units), key=len, reverse=True))
    pattern = re.compile(rf"(?:\b(\d+|{number})\s+)?\b({unit})\b")
    return numbers, units, pattern


def parse_delay(text: str) -> timedelta | None:
    """The lead time the message asks for, or None when it names none."""
    folded = fold(text.translate(_DIGITS))
    if any(fold(phrase) in folded for phrase in DAY_BEFORE):
        return UNITS["day"]
    numbers, units, pattern = _tables()
    for match in pattern.finditer(folded):
        count_word, unit_word = match.groups()
        unit, carried = units[unit_word]
        if count_word is None:
            count = carried or 1
        elif count_word.isdigit():
            count = int(count_word)
        else:
            count = numbers[count_word]
        if 0 < count <= 365:
            return UNITS[unit] * count
    return None


def without_delay(text: str) -> str:
    """The message without its lead-time words, so that "trois semaines" is not read as a
    name ("Troms") when the subject is looked for."""
    numbers, units, _ = _tables()
    kept = []
    for word in text.split():
        folded = fold(word.translate(_DIGITS))
        if folded.isdigit() or folded in numbers or folded in units:
            continue
        kept.append(word)
    return " ".join(kept)
