"""Evaluates a call's structured eligibility criteria against what is known of an applicant.

A criterion's rule is ``{field, op, value}`` (``knowledge/FORMAT.md``); an optional ``when``
rule of the same shape says to whom it applies ("existing clusters must have passed 8 years of
support": ``when: {field: stage, op: eq, value: existing}``). The facts are a mapping from a
field to a value; a field that is absent or ``None`` is unknown.

Every criterion gets a trace (met, not met, unknown or not applicable, with the value used), and
the call an overall result. An unknown never makes the result "not eligible": a criterion whose
fact is unknown, or that may not apply because its ``when`` is unknown, leaves the result open
and names the fields still needed. JsonLogic libraries were considered: they return one truth
value with no per-rule trace, and treat a missing variable as null (so ``null > 8`` is a plain
false), which is exactly the "unknown means no" this module must not do.

Pure: no database, no Rasa; the content's rules are read as data, so new content needs no code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.text import fold

OVERLAPS_FILE = Path(__file__).with_name("overlapping_values.yaml")
MET, NOT_MET, UNKNOWN, NOT_APPLICABLE = "met", "not_met", "unknown", "not_applicable"
ELIGIBLE, NOT_ELIGIBLE, UNDECIDED = "eligible", "not_eligible", "undecided"


class RuleError(ValueError):
    """A rule the evaluator cannot read (an operator or value the content should not hold)."""


def _key(value: Any) -> Any:
    """The comparable form of a value: folded text without separators, numbers as floats."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    text = fold(str(value))
    return "".join(ch for ch in text if ch.isalnum())


def _values(fact: Any) -> list[Any]:
    """A fact as the list of its comparable values (a place is its names up to the country)."""
    items = fact if isinstance(fact, (list, tuple, set, frozenset)) else [fact]
    return [_key(item) for item in items]


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise RuleError(f"not a number: {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise RuleError(f"not a number: {value!r}") from error


def _equal(fact: Any, value: Any) -> bool:
    return _key(value) in _values(fact)


def _within(fact: Any, value: Any) -> bool:
    if not isinstance(value, (list, tuple, set, frozenset)):
        value = [value]
    wanted = {_key(item) for item in value}
    return any(item in wanted for item in _values(fact))


def _compare(relation: Callable[[float, float], bool]) -> Callable[[Any, Any], bool]:
    return lambda fact, value: relation(_number(fact), _number(value))


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": _equal,
    "ne": lambda fact, value: not _equal(fact, value),
    "in": _within,
    "not_in": lambda fact, value: not _within(fact, value),
    "lt": _compare(lambda a, b: a < b),
    "le": _compare(lambda a, b: a <= b),
    "lte": _compare(lambda a, b: a <= b),
    "gt": _compare(lambda a, b: a > b),
    "ge": _compare(lambda a, b: a >= b),
    "gte": _compare(lambda a, b: a >= b),
    "min": _compare(lambda a, b: a >= b),  # "at least"
    "max": _compare(lambda a, b: a <= b),  # "at most"
}


@dataclass(frozen=True)
class Rule:
    field: str
    op: str
    value: Any

    @classmethod
    def of(cls, rule: Mapping[str, Any]) -> Rule:
        if rule.get("op") not in OPERATORS:
            raise RuleError(f"unknown operator {rule.get('op')!r}")
        return cls(str(rule["field"]), str(rule["op"]), rule.get("value"))


@cache
def overlapping_values() -> dict[str, dict[str, frozenset[str]]]:
    """field -> value -> the other values it may or may not fall under
    (knowledge/overlapping_values.yaml)."""
    data = yaml.safe_load(OVERLAPS_FILE.read_text(encoding="utf-8")) or {}
    return {
        field: {_key(value): frozenset(_key(o) for o in others) for value, others in by.items()}
        for field, by in data.items()
    }


def _may_fall_under(rule: Rule, fact: Any) -> bool:
    """The fact may be what the rule names though it is not said ("an association" for "the
    socio-economic organisations")."""
    if rule.op not in ("eq", "ne", "in", "not_in"):
        return False
    named = rule.value if isinstance(rule.value, (list, tuple, set, frozenset)) else [rule.value]
    wanted = {_key(item) for item in named}
    overlaps = overlapping_values().get(rule.field, {})
    return any(overlaps.get(value, frozenset()) & wanted for value in _values(fact))


def outcome(rule: Rule, facts: Mapping[str, Any]) -> tuple[str, Any]:
    """``(met | not_met | unknown, the fact used)`` for one rule."""
    fact = facts.get(rule.field)
    if fact is None or (isinstance(fact, (list, tuple)) and not fact):
        return UNKNOWN, None
    try:
        holds = OPERATORS[rule.op](fact, rule.value)
    except RuleError:  # "about five" where a number is needed: not known well enough
        return UNKNOWN, fact
    if rule.op in ("eq", "in") and not holds and _may_fall_under(rule, fact):
        return UNKNOWN, fact
    if rule.op in ("ne", "not_in") and holds and _may_fall_under(rule, fact):
        return UNKNOWN, fact
    return (MET if holds else NOT_MET), fact


@dataclass(frozen=True)
class Check:
    """The trace of one criterion."""

    criterion_id: str
    rule: Rule
    status: str  # met, not_met, unknown, not_applicable
    given: Any  # the fact the rule was tested on (None: unknown)
    when: Rule | None = None
    when_status: str | None = None  # met, not_met or unknown; None without a `when`
    own_status: str | None = None  # the rule's own outcome, even where it may not apply


@dataclass(frozen=True)
class Verdict:
    checks: tuple[Check, ...]
    result: str  # eligible, not_eligible, undecided
    needed: tuple[str, ...]  # fields whose facts could still decide it, in criterion order


def check(criterion_id: str, rule: Mapping, facts: Mapping, when: Mapping | None = None) -> Check:
    """One criterion's trace: its `when` decides whether it applies at all."""
    own = Rule.of(rule)
    status, given = outcome(own, facts)
    if not when:
        return Check(criterion_id, own, status, given, own_status=status)
    condition = Rule.of(when)
    applies, _ = outcome(condition, facts)
    if applies == NOT_MET:
        final = NOT_APPLICABLE
    elif applies == UNKNOWN and status == NOT_MET:
        final = UNKNOWN  # it fails, but may not apply: never a "no" on an unknown
    else:
        final = status
    return Check(criterion_id, own, final, given, condition, applies, status)


def evaluate(criteria: Iterable[Any], facts: Mapping[str, Any]) -> Verdict:
    """All criteria of a call (views or mappings with ``id``, ``field``, ``op``, ``value`` and
    an optional ``when``) against the facts."""
    checks = tuple(
        check(
            _get(c, "id"),
            {"field": _get(c, "field"), "op": _get(c, "op"), "value": _get(c, "value")},
            facts,
            _get(c, "when"),
        )
        for c in criteria
    )
    needed: list[str] = []
    for c in checks:
        if c.status != UNKNOWN:
            continue
        if c.when is not None and c.when_status == UNKNOWN:
            needed.append(c.when.field)
        if c.own_status == UNKNOWN:
            needed.append(c.rule.field)
    statuses = {c.status for c in checks}
    if NOT_MET in statuses:
        result = NOT_ELIGIBLE
    elif UNKNOWN in statuses:
        result = UNDECIDED
    else:
        result = ELIGIBLE
    return Verdict(checks, result, tuple(dict.fromkeys(needed)))


def fields_of(criteria: Iterable[Any]) -> tuple[str, ...]:
    """Every field the criteria read (their `when` first), in order."""
    out: list[str] = []
    for c in criteria:
        when = _get(c, "when")
        if when:
            out.append(str(when["field"]))
        out.append(str(_get(c, "field")))
    return tuple(dict.fromkeys(out))


def _get(criterion: Any, name: str) -> Any:
    if isinstance(criterion, Mapping):
        return criterion.get(name)
    return getattr(criterion, name, None)
