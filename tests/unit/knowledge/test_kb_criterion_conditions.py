"""A criterion's `when` (to whom it applies): validated, stored, read back and evaluated, on
both backends."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from knowledge.eligibility import ELIGIBLE, NOT_APPLICABLE, NOT_ELIGIBLE, evaluate
from knowledge.validation import ContentError, load
from tests.unit.knowledge.test_kb_validation import GOOD

RULE = "        rule: {field: existing_label, op: eq, value: true}\n"


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "test-source.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_when_is_kept_with_its_criterion(tmp_path: Path) -> None:
    text = GOOD.replace(RULE, RULE + "        when: {field: stage, op: eq, value: existing}\n")
    bundle = load([_file(tmp_path, text)])
    assert bundle.criteria[0]["applies_when"] == {"field": "stage", "op": "eq", "value": "existing"}


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("{field: stage, op: about, value: existing}", "criteria[0].when.op: must be one of"),
        ("{field: mood, op: eq, value: happy}", "criteria[0].when.field: must be one of"),
        ("[stage, existing]", "criteria[0].when: must be a mapping {field, op, value}"),
    ],
)
def test_a_bad_when_is_refused(tmp_path: Path, when: str, message: str) -> None:
    text = GOOD.replace(RULE, RULE + f"        when: {when}\n")
    with pytest.raises(ContentError) as info:
        load([_file(tmp_path, text)])
    assert any(message in str(problem) for problem in info.value.problems)


def test_the_seed_clusters_call_reads_back_its_conditions(kb) -> None:
    call = kb.call("ma-clusters-2023", "en")
    conditions = {c.id: c.when for c in call.criteria}
    assert conditions["ma-clusters-2023-years-of-support"] == {
        "field": "stage", "op": "eq", "value": "existing",
    }  # fmt: skip
    assert conditions["ma-clusters-2023-country"] is None
    new = {"organisation_type": "cluster", "country": "MA", "sector": "industry", "stage": "new"}
    verdict = evaluate(call.criteria, new)
    assert verdict.result == ELIGIBLE
    assert [c.status for c in verdict.checks][-2:] == [NOT_APPLICABLE, NOT_APPLICABLE]
    old = {**new, "stage": "existing", "existing_label": True, "years_of_support": 5}
    assert evaluate(call.criteria, old).result == NOT_ELIGIBLE
