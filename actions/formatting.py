"""Dates, times, amounts and language names in the conversation's locale, through Babel."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import (
    format_date,
    format_time,
    format_timedelta,
    get_timezone,
    get_timezone_location,
)
from babel.numbers import NumberPattern, format_decimal


@cache
def locale(lang: str) -> Locale:
    return Locale.parse(lang)


def long_date(day: date, lang: str) -> str:
    """Babel's long date: "14 juin 2023", "14. juni 2023", "June 14, 2023"."""
    return format_date(day, "long", locale=locale(lang))


def short_time(moment: datetime, zone: str, lang: str) -> str:
    return format_time(moment, "short", tzinfo=get_timezone(zone), locale=locale(lang))


def zone_name(zone: str, lang: str) -> str:
    """The time zone as the locale names it ("Morocco Time", "heure : Maroc")."""
    return get_timezone_location(get_timezone(zone), locale=locale(lang))


def relative(delta: timedelta, lang: str) -> str:
    """ "in 3 days", "il y a 3 ans" """
    return format_timedelta(delta, add_direction=True, threshold=1.0, locale=locale(lang))


@cache
def _currency_pattern(lang: str, whole: bool) -> NumberPattern:
    pattern = copy.copy(locale(lang).currency_formats["standard"])
    if whole:
        pattern.frac_prec = (0, 0)
    return pattern


def money(value: Decimal | float | int, currency: str, lang: str) -> str:
    """Locale currency format; whole amounts without decimals ("400 000 $CA", "6 000 000 kr")."""
    amount = Decimal(str(value))
    whole = amount == amount.to_integral_value()
    return _currency_pattern(lang, whole).apply(
        amount, locale(lang), currency=currency, currency_digits=False
    )


def language_name(code: str, lang: str) -> str:
    """The name of language `code` in language `lang` ("French", "fransk")."""
    name = locale(code).get_language_name(locale(lang)) if code else None
    return name or code


def number(value: int, lang: str) -> str:
    return format_decimal(value, locale=locale(lang))
