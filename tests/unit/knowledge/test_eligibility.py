"""The eligibility evaluator: every operator, unknown facts, `when` conditions, the trace."""

from __future__ import annotations

import pytest

from knowledge.eligibility import (
    ELIGIBLE,
    MET,
    NOT_APPLICABLE,
    NOT_ELIGIBLE,
    NOT_MET,
    OPERATORS,
    UNDECIDED,
    UNKNOWN,
    Rule,
    RuleError,
    evaluate,
    fields_of,
    outcome,
)
from knowledge.validation.calls import CRITERION_OPS


@pytest.mark.parametrize(
    ("op", "value", "fact", "expected"),
    [
        ("eq", "cluster", "Cluster", MET),
        ("eq", "cluster", "business_garden", NOT_MET),
        ("eq", True, True, MET),
        ("eq", True, False, NOT_MET),
        ("eq", "MA", "ma", MET),
        ("eq", "Bas-Saint-Laurent", ["Rimouski", "Bas-Saint-Laurent", "CA"], MET),
        ("eq", "Bas-Saint-Laurent", ["Mauricie", "CA"], NOT_MET),
        ("ne", "cluster", "startup", MET),
        ("ne", "cluster", "cluster", NOT_MET),
        ("in", ["industry", "technology"], "technology", MET),
        ("in", ["industry", "technology"], ["tourism", "industry"], MET),
        ("in", ["industry", "technology"], "tourism", NOT_MET),
        ("not_in", ["industry"], "tourism", MET),
        ("not_in", ["industry"], "industry", NOT_MET),
        ("lt", 8, 5, MET),
        ("lt", 8, 8, NOT_MET),
        ("le", 8, 8, MET),
        ("le", 8, 9, NOT_MET),
        ("lte", 8, 8, MET),
        ("lte", 8, 9, NOT_MET),
        ("gt", 8, 9, MET),
        ("gt", 8, 8, NOT_MET),
        ("gt", 8, 5, NOT_MET),
        ("ge", 8, 8, MET),
        ("ge", 8, 7, NOT_MET),
        ("gte", 8, 8, MET),
        ("gte", 8, 7.5, NOT_MET),
        ("min", 3, 3, MET),
        ("min", 3, 2, NOT_MET),
        ("max", 3, 3, MET),
        ("max", 3, 4, NOT_MET),
    ],
)
def test_every_operator(op: str, value: object, fact: object, expected: str) -> None:
    status, given = outcome(Rule("f", op, value), {"f": fact})
    assert status == expected
    assert given == fact


def test_the_evaluator_knows_every_operator_the_content_may_use() -> None:
    assert set(OPERATORS) == set(CRITERION_OPS)


@pytest.mark.parametrize("op", sorted(OPERATORS))
def test_a_missing_fact_is_unknown_for_every_operator(op: str) -> None:
    assert outcome(Rule("f", op, 1), {}) == (UNKNOWN, None)
    assert outcome(Rule("f", op, 1), {"f": None}) == (UNKNOWN, None)


def test_a_number_rule_on_a_word_is_unknown_not_false() -> None:
    assert outcome(Rule("years", "gt", 8), {"years": "several"})[0] == UNKNOWN


def test_an_unknown_operator_is_refused() -> None:
    with pytest.raises(RuleError):
        Rule.of({"field": "f", "op": "between", "value": 1})


CLUSTERS = [
    {"id": "type", "field": "organisation_type", "op": "eq", "value": "cluster"},
    {"id": "country", "field": "country", "op": "eq", "value": "MA"},
    {"id": "label", "field": "existing_label", "op": "eq", "value": True,
     "when": {"field": "stage", "op": "eq", "value": "existing"}},
    {"id": "years", "field": "years_of_support", "op": "gt", "value": 8,
     "when": {"field": "stage", "op": "eq", "value": "existing"}},
]  # fmt: skip


def test_all_met_is_eligible() -> None:
    facts = {"organisation_type": "cluster", "country": "MA", "stage": "existing"}
    verdict = evaluate(CLUSTERS, facts | {"existing_label": True, "years_of_support": 9})
    assert verdict.result == ELIGIBLE
    assert [c.status for c in verdict.checks] == [MET] * 4
    assert verdict.needed == ()


def test_one_not_met_is_not_eligible_and_the_trace_keeps_the_value() -> None:
    facts = {"organisation_type": "cluster", "stage": "existing", "years_of_support": 5}
    verdict = evaluate(CLUSTERS, facts)
    assert verdict.result == NOT_ELIGIBLE
    years = verdict.checks[3]
    assert (years.status, years.given, years.when_status) == (NOT_MET, 5, MET)


def test_unknowns_never_give_not_eligible() -> None:
    verdict = evaluate(CLUSTERS, {"organisation_type": "cluster"})
    assert verdict.result == UNDECIDED
    assert verdict.needed == ("country", "stage", "existing_label", "years_of_support")


def test_a_failed_rule_that_may_not_apply_is_unknown() -> None:
    verdict = evaluate(CLUSTERS, {"organisation_type": "cluster", "years_of_support": 5})
    years = verdict.checks[3]
    assert (years.status, years.own_status, years.when_status) == (UNKNOWN, NOT_MET, UNKNOWN)
    assert verdict.result == UNDECIDED
    assert "stage" in verdict.needed
    assert "years_of_support" not in verdict.needed  # already given


def test_a_rule_for_others_does_not_apply() -> None:
    facts = {"organisation_type": "cluster", "country": "MA", "stage": "new"}
    verdict = evaluate(CLUSTERS, facts | {"years_of_support": 0})
    assert [c.status for c in verdict.checks] == [MET, MET, NOT_APPLICABLE, NOT_APPLICABLE]
    assert verdict.result == ELIGIBLE


def test_fields_of_lists_conditions_before_their_rule() -> None:
    assert fields_of(CLUSTERS) == ("organisation_type", "country", "stage", "existing_label",
                                   "years_of_support")  # fmt: skip


def test_views_are_read_like_mappings() -> None:
    from knowledge.views import Criterion, Text

    view = Criterion("c", "sector", "in", ["industry"], Text("t", "en", True, False), {}, None)
    assert evaluate([view], {"sector": "industry"}).result == ELIGIBLE


def test_a_value_that_may_fall_under_the_rules_one_is_unknown_not_a_no() -> None:
    from knowledge.eligibility import UNKNOWN, Rule, outcome

    rule = Rule("organisation_type", "eq", "socio_economic_organisation")
    assert outcome(rule, {"organisation_type": "association"}) == (UNKNOWN, "association")
    assert outcome(rule, {"organisation_type": "cluster"})[0] == "not_met"
    assert outcome(rule, {"organisation_type": "socio_economic_organisation"})[0] == "met"
    excluded = Rule("organisation_type", "ne", "company")
    assert outcome(excluded, {"organisation_type": "startup"})[0] == UNKNOWN
