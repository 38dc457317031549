"""How the journeys word facts, questions, buttons and criteria, in the conversation's language."""

from __future__ import annotations

import json
from typing import Any

from actions import formatting
from actions.journeys import catalogue
from actions.journeys.facts import DONT_KNOW, OTHER, PLACE_KEY, PLACE_TEXT_KEY
from actions.wording import Wording
from knowledge.eligibility import Check
from knowledge.query import KnowledgeBase
from knowledge.views import Criterion, Text

ANSWER_ENTITY = "answer"
ANSWER_INTENT = "inform"
STAGES = ("new", "existing")
PROFILE_TYPES = ("company", "startup", "cluster", "business_garden", "association")
PROFILE_SECTORS = ("industry", "technology", "digital", "tourism", "agriculture", "energy")


def say(words: Wording, key: str, count: int | None = None, **params: Any) -> str:
    return catalogue.say(words.lang, key, count, **params)


def value_label(words: Wording, kb: KnowledgeBase, fld: str, value: Any) -> str:
    """A fact's value in words: a label from the catalogue, a place's name, a country's name."""
    if isinstance(value, bool):
        return say(words, f"value_{str(value).lower()}")
    if isinstance(value, (int, float)):
        count = int(value) if float(value).is_integer() else value
        return say(words, "value_years", count=count) if fld == "years_of_support" else str(count)
    if isinstance(value, (list, tuple)):
        return words.join([value_label(words, kb, fld, item) for item in value])
    text = str(value)
    key = f"value_{fld}_{text}"
    if catalogue.has(words.lang, key):
        return say(words, key)
    if fld == "country" and len(text) == 2:
        return formatting.locale(words.lang).territories.get(text.upper(), text)
    if fld == "region":
        place = kb.place_id(text)
        if place:
            return kb.place_ref(place, words.lang).name
    return text.replace("_", " ")


def given_label(words: Wording, kb: KnowledgeBase, fld: str, facts: dict[str, Any]) -> str:
    """The user's answer for a field, as they would recognise it ("Rimouski", not its chain)."""
    value = facts.get(fld)
    if fld == "region" and value is None and facts.get(PLACE_TEXT_KEY):
        return str(facts[PLACE_TEXT_KEY])
    if fld in ("country", "region") and facts.get(PLACE_KEY):
        place = facts[PLACE_KEY]
        if fld == "region" or place.startswith("country:"):
            return kb.place_ref(place, words.lang).name
    if fld == "region" and isinstance(value, list) and value:
        return value_label(words, kb, fld, value[0])
    return value_label(words, kb, fld, value)


def button(words: Wording, label: str, value: str) -> dict[str, str]:
    payload = json.dumps({ANSWER_ENTITY: value}, ensure_ascii=False)
    return {"title": label, "payload": f"/{ANSWER_INTENT}{payload}"}


def _rule_values(criteria: tuple[Criterion, ...], fld: str) -> list[Any]:
    """The values the criteria name for a field (in their order), to offer as choices."""
    out: list[Any] = []
    for c in criteria:
        for rule in (
            {"field": c.field, "value": c.value},
            c.when or {},
        ):
            if rule.get("field") != fld:
                continue
            value = rule.get("value")
            for item in value if isinstance(value, list) else [value]:
                if item not in out and item is not None:
                    out.append(item)
    return out


def question(
    words: Wording, kb: KnowledgeBase, fld: str, criteria: tuple[Criterion, ...] = ()
) -> tuple[str, list[dict[str, str]]]:
    """The question for one field, with its choices as buttons (and always "I don't know")."""
    dont_know = button(words, say(words, "b_dont_know"), DONT_KNOW)
    if fld == "existing_label":
        yes, no = say(words, "b_yes"), say(words, "b_no")
        return say(words, "q_existing_label"), [
            button(words, yes, "true"),
            button(words, no, "false"),
            dont_know,
        ]
    if fld == "years_of_support":
        return say(words, "q_years_of_support"), [dont_know]
    values = _rule_values(criteria, fld)
    if fld == "stage":
        values = list(dict.fromkeys([*values, *STAGES]))
    elif fld == "organisation_type" and not criteria:
        values = list(PROFILE_TYPES)
    elif fld == "sector" and not criteria:
        values = list(PROFILE_SECTORS)
    buttons = []
    for value in values:
        if fld == "country":
            ref = f"country:{str(value).lower()}"
        elif fld == "region":
            ref = kb.place_id(str(value), "region") or str(value)
        else:
            ref = str(value)
        buttons.append(button(words, value_label(words, kb, fld, value), ref))
    if values and fld != "stage":
        buttons.append(button(words, say(words, f"value_{fld}_other"), OTHER))
    return say(words, f"q_{fld}"), [*buttons, dont_know]


def criterion_text(words: Wording, text: Text, source_lang: str) -> str:
    """The rule's sentence: the conversation's language where it exists, marked as a
    translation (by a machine or staff) with the source's own sentence beside it."""
    if text.is_original or not text.original:
        return words.text(text)
    marker = say(words, "marker_machine" if text.machine else "marker_human")
    language = formatting.language_name(source_lang, words.lang)
    return say(
        words, "elig_translation", text=text.value, marker=marker, language=language,
        original=text.original,
    )  # fmt: skip


STATUS_KEYS = {
    "met": "elig_met",
    "not_met": "elig_not_met",
    "unknown": "elig_unknown",
    "not_applicable": "elig_not_applicable",
}


def check_line(
    words: Wording,
    kb: KnowledgeBase,
    check: Check,
    criterion: Criterion,
    facts: dict[str, Any],
    source_lang: str,
) -> str:
    fld = check.rule.field
    given = ""
    if check.given is not None or (fld == "region" and facts.get(PLACE_TEXT_KEY)):
        given = say(words, "elig_given", value=given_label(words, kb, fld, facts))
    elif fld in facts:  # answered "I don't know"
        given = say(words, "elig_given", value=say(words, "b_dont_know"))
    text = criterion_text(words, criterion.text, source_lang)
    if check.when is not None and check.when_status == "unknown":
        condition = say(
            words, "elig_condition", field=say(words, f"field_{check.when.field}"),
            value=value_label(words, kb, check.when.field, check.when.value),
        )  # fmt: skip
        given += say(words, "elig_may_not_apply", condition=condition)
    return say(words, STATUS_KEYS[check.status], text=text, given=given)
