"""The question bank's fast subset against the real servers: the first case of each question
class in each language (bench/data/answers/; the whole bank runs in `make bench`).

One test per case, named by its id, so a failure says which question got which reply. Cases
still answered wrongly are listed in answer_bank_known_failures.txt and run as strict xfails:
the list can only shrink.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.answer_bank import BankError, bank_files, fast_subset, load_bank
from bench.answers import run_case

pytestmark = pytest.mark.e2e
KNOWN_FAILURES = Path(__file__).with_name("answer_bank_known_failures.txt")


def known_failures() -> set[str]:
    lines = KNOWN_FAILURES.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _cases() -> list:
    """The subset as test parameters; a broken or missing bank becomes one failing/skipped test."""
    if not bank_files():
        reason = "no question bank file in bench/data/answers/ yet"
        return [pytest.param(None, id="no-bank", marks=pytest.mark.skip(reason=reason))]
    try:
        cases = fast_subset(load_bank())
    except BankError as error:
        return [pytest.param(error, id="bank-invalid")]
    known = known_failures()
    xfail = pytest.mark.xfail(strict=True, reason="still answered wrongly (issue #10)")
    return [
        pytest.param(case, id=case.id, marks=[xfail] if case.id in known else []) for case in cases
    ]


def test_known_failures_are_cases_of_the_subset() -> None:
    """A stale line (a renamed or removed case) must not hide anything."""
    ids = {case.id for case in fast_subset(load_bank())}
    assert known_failures() <= ids, sorted(known_failures() - ids)


@pytest.mark.parametrize("case", _cases())
def test_bank_case(rasa_stack, case) -> None:
    if isinstance(case, BankError):
        pytest.fail(f"the question bank does not load: {case}")
    result = run_case(rasa_stack.rasa_url, rasa_stack.token, case)
    assert result.passed, result.explain()
