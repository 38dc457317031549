"""An applicant's facts read from a message: organisation type, sector, stage, label, years of
support, country and region.

The words come from `actions/journeys/lexicon/<lang>.yml`, all six languages at once (people
mix them), matched on folded text as whole words, longest phrase first; places come from the
knowledge base's own place names (`KnowledgeBase.mentions`), so a new hub's town is understood
without retraining. The values are those of the criteria's rules (`knowledge/FORMAT.md`): a new
call whose rules use these fields is checked without any change here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.languages import SUPPORTED
from knowledge.query import KnowledgeBase
from knowledge.text import fold

LEXICON_DIR = Path(__file__).with_name("lexicon")
CHOICE_FIELDS = ("organisation_type", "sector", "stage", "existing_label")
PLACE_FIELDS = ("country", "region")
NUMBER_FIELDS = ("years_of_support",)
#: the facts a profile ("what fits me") is made of, in the order they are asked
PROFILE_FIELDS = ("country", "region", "organisation_type", "sector", "stage")
#: a fact that is not a rule field: the place the user named, for wording it back
PLACE_KEY = "place"
#: a place name the knowledge base does not know: kept for wording, unknown to the rules (it
#: may lie inside the region a rule asks for)
PLACE_TEXT_KEY = "place_text"
#: at most this many words make a free-text place answer ("Casablanca", "Sidi Bennour")
PLACE_WORDS = 4
#: values too general to be read from a free message ("which calls fit my company?" says
#: nothing of its kind); they count only as the answer to the question about the field
GENERIC_VALUES = {"organisation_type": frozenset({"company"})}
#: how far (in words) a number may stand from its "years"
YEARS_SPAN = 3
_DIGITS = re.compile(r"^\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class Lexicon:
    values: dict[str, list[tuple[str, Any]]]  # field -> (folded phrase, value), longest first
    lists: dict[str, tuple[str, ...]]  # affirm, deny, dont_know, years -> folded phrases
    numbers: dict[str, int]  # folded number word -> value
    by_lang: dict[tuple[str, str], tuple[str, ...]]  # (list, lang) -> its folded phrases


@cache
def lexicon() -> Lexicon:
    values: dict[str, dict[str, Any]] = {}
    lists: dict[str, set[str]] = {
        "affirm": set(),
        "deny": set(),
        "dont_know": set(),
        "years": set(),
        "applicant": set(),
        "indefinite": set(),
        "who": set(),
    }
    numbers: dict[str, int] = {}
    by_lang: dict[tuple[str, str], tuple[str, ...]] = {}
    for lang in SUPPORTED:
        data = yaml.safe_load((LEXICON_DIR / f"{lang}.yml").read_text(encoding="utf-8")) or {}
        for fld, by_value in (data.get("values") or {}).items():
            for value, phrases in by_value.items():
                for phrase in phrases:
                    values.setdefault(fld, {}).setdefault(fold(str(phrase)), value)
        for name in lists:
            phrases = {fold(str(p)) for p in data.get(name) or []}
            lists[name].update(phrases)
            by_lang[name, lang] = tuple(sorted(phrases, key=len, reverse=True))
        numbers.update({fold(str(k)): int(v) for k, v in (data.get("numbers") or {}).items()})
    ordered = {
        fld: sorted(phrases.items(), key=lambda item: -len(item[0]))
        for fld, phrases in values.items()
    }
    longest_first = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in lists.items()}
    return Lexicon(ordered, longest_first, numbers, by_lang)


def _padded(text: str) -> str:
    return f" {fold(text)} "


def _find(padded: str, phrases: list[tuple[str, Any]]) -> tuple[Any, str] | None:
    """The value of the longest phrase found, and the text with it blanked out."""
    for phrase, value in phrases:
        if phrase and f" {phrase} " in padded:
            return value, padded.replace(f" {phrase} ", " | ", 1)
    return None


def says(text: str, name: str, lang: str | None = None) -> bool:
    """Whether the message contains one of the phrases of a list (`affirm`, `deny`,
    `dont_know`, `applicant` …), of every language or of ``lang`` only (short words differ
    between languages: English "i" is Norwegian "in")."""
    padded = _padded(text)
    phrases = lexicon().by_lang.get((name, lang), ()) if lang else lexicon().lists[name]
    return any(f" {phrase} " in padded for phrase in phrases if phrase)


def number(word: str) -> float | None:
    if _DIGITS.match(word):
        return float(word.replace(",", "."))
    return lexicon().numbers.get(word)


def years_of_support(text: str, *, alone: bool = False) -> float | None:
    """A number of years in the message ("five years", "8 ans", "fem år"); with ``alone`` (the
    question asked for it) any number."""
    words = fold(text).split()
    years = set(lexicon().lists["years"])
    for at, word in enumerate(words):
        found = number(word)
        if found is None:
            continue
        near = words[at + 1 : at + 1 + YEARS_SPAN] + words[max(0, at - YEARS_SPAN) : at]
        if alone or any(w in years for w in near):
            return found
    if alone:
        return None
    for at, word in enumerate(words):  # Arabic "سنتين" (two years) is a number and its unit
        if word in years:
            continue
        if word in lexicon().numbers and any(w in years for w in words[at : at + YEARS_SPAN]):
            return lexicon().numbers[word]
    return None


def choice(text: str, fld: str, *, after: Iterable[str] | None = None) -> Any | None:
    """The value of a choice field the message names ("a new cluster" → stage new); with
    ``after``, only a phrase right after one of those words ("we are a cluster", not "which
    business gardens …")."""
    padded = _padded(text)
    words = set(after or ())
    starts = None if after is None else {f" {word} " for word in words}
    for phrase, value in lexicon().values.get(fld, []):  # longest first: "not labelled"
        at = padded.find(f" {phrase} ") if phrase else -1
        while at >= 0:
            before = padded[: at + 1]
            # Arabic says "our association" in one word ("جمعيتنا"): the phrase itself
            if starts is None or phrase in words or any(before.endswith(w) for w in starts):
                return value
            at = padded.find(f" {phrase} ", at + 1)
    return None


def phrases_of(fld: str, value: Any) -> list[str]:
    """Every language's words for one value ("agriculture": "agrifood", "landbruk", …)."""
    return [phrase for phrase, known in lexicon().values.get(fld, []) if known == value]


def applicant_words(lang: str) -> tuple[str, ...]:
    """The words that put a kind of organisation on the user ("a", "we are a", "our")."""
    return lexicon().by_lang.get(("applicant", lang), ()) + lexicon().by_lang.get(
        ("indefinite", lang), ()
    )


def places(kb: KnowledgeBase, text: str) -> dict[str, Any]:
    """Country and region facts of the place the message names (a town gives its region and
    country too)."""
    matches = [m for m in kb.mentions(text, kinds=("place",), limit=3) if m.kind == "place"]
    if not matches:
        return {}
    return place_facts(kb, matches[0].id)


def place_facts(kb: KnowledgeBase, place_id: str) -> dict[str, Any]:
    chain = [ref.id for ref in kb.place_chain(place_id, "en")] or [place_id]
    facts: dict[str, Any] = {PLACE_KEY: place_id}
    country = next((p for p in chain if p.startswith("country:")), None)
    if country:
        facts["country"] = country.partition(":")[2].upper()
    local = [p.partition(":")[2] for p in chain if not p.startswith("country:")]
    if local:
        facts["region"] = local
    return facts


def read(kb: KnowledgeBase, text: str, lang: str | None = None) -> dict[str, Any]:
    """Every fact the message states. With the conversation's language, a kind said of the
    applicant ("can a start-up apply to the clusters call?") wins over one in a call's name."""
    facts: dict[str, Any] = {}
    if text.lstrip().startswith("/"):  # a button's payload, not the user's words
        return facts
    for fld in CHOICE_FIELDS:
        value = choice(text, fld, after=applicant_words(lang)) if lang else None
        if value is None:
            value = choice(text, fld)
        if value is not None and value not in GENERIC_VALUES.get(fld, ()):
            facts[fld] = value
    years = years_of_support(text)
    if years is not None:
        facts["years_of_support"] = years
    facts.update(places(kb, text))
    return facts


def answer(kb: KnowledgeBase, text: str, fld: str, entity: str | None) -> tuple[bool, Any]:
    """The answer to the question about ``fld``: ``(True, value)``, ``(True, None)`` for "I
    don't know", ``(False, None)`` when the message does not answer it."""
    if entity is not None:
        if not _fits(fld, entity):
            return False, None  # a button of another question
        return True, _entity_value(kb, fld, entity)
    if says(text, "dont_know"):
        return True, None
    if fld in PLACE_FIELDS:
        found = places(kb, text)
        if fld in found:
            return True, found
        words = fold(text).split()
        if fld == "region" and 0 < len(words) <= PLACE_WORDS and not read(kb, text):
            return True, {PLACE_TEXT_KEY: text.strip(), "region": None}
        return False, None
    if fld in NUMBER_FIELDS:
        value = years_of_support(text, alone=True)
        return (value is not None), value
    value = choice(text, fld)
    if value is None and fld == "existing_label":
        if says(text, "deny"):
            return True, False
        if says(text, "affirm"):
            return True, True
    return (value is not None), value


DONT_KNOW = "dont_know"  # the button value of "I don't know"
OTHER = "other"  # the button value of "something else"


def _fits(fld: str, entity: str) -> bool:
    """Whether a button's value can answer the question about ``fld``: a place for a place
    question, else a value of this field (or one no other field has: a new rule's value)."""
    if entity in (DONT_KNOW, OTHER):
        return True
    if (":" in entity) != (fld in PLACE_FIELDS):
        return False
    if fld in PLACE_FIELDS or fld in NUMBER_FIELDS:
        return True
    if fld == "existing_label":
        return entity in ("true", "false")
    values = lexicon().values
    own = {str(value) for _, value in values.get(fld, [])}
    others = {str(value) for name, pairs in values.items() if name != fld for _, value in pairs}
    return entity in own or entity not in others


def _entity_value(kb: KnowledgeBase, fld: str, entity: str) -> Any:
    """A button's value as a fact (place buttons carry a place id, others the rule value)."""
    if entity == DONT_KNOW:
        return None
    if fld in PLACE_FIELDS:
        return {fld: OTHER} if entity == OTHER else place_facts(kb, entity)
    if fld == "existing_label":
        return entity == "true"
    if fld in NUMBER_FIELDS:
        return number(entity)
    return entity


def take(
    kb: KnowledgeBase, known: dict[str, Any], text: str, fld: str, entity: str | None
) -> tuple[dict[str, Any] | None, bool]:
    """The facts after the answer to the question about ``fld`` and whether it was answered;
    ``None`` when the message gives no fact at all (it is another question). A message that
    answers another field ("a cluster", asked for the region) keeps the question open."""
    found, value = answer(kb, text, fld, entity)
    if found:
        return merge(known, fld, value), True
    stated = read(kb, text) if entity is None else {}
    if not stated:
        return None, False
    return {**known, **stated}, fld in stated


def merge(facts: dict[str, Any], fld: str, value: Any) -> dict[str, Any]:
    """The facts with one answer added (a place answer brings its country and region)."""
    out = dict(facts)
    if fld in PLACE_FIELDS and isinstance(value, dict):
        out.pop(PLACE_TEXT_KEY, None)  # a new place answer replaces the old place
        if PLACE_KEY not in value:
            out.pop(PLACE_KEY, None)
        out.update(value)
        out.setdefault(fld, None)
    else:
        out[fld] = value
    return out


def for_rules(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts the rules are tested on: a number of years of state support means the
    organisation already exists (it cannot be new and have been supported)."""
    out = dict(facts)
    years = out.get("years_of_support")
    if out.get("stage") is None and isinstance(years, (int, float)) and years > 0:
        out["stage"] = "existing"
    return out
