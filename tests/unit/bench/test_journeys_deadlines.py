"""The journey cases load and cover every language and journey; the summary counts right."""

from __future__ import annotations

import yaml

from bench.journeys_deadlines import CASES, Result, summary
from bot.language.codes import SUPPORTED

STEP_KINDS = {"user", "staff", "scheduler_at"}


def test_cases_cover_every_language_and_journey() -> None:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    assert {case["lang"] for case in cases} == set(SUPPORTED)
    journeys = {case["journey"] for case in cases}
    assert journeys == {"calendar", "reminders", "reminder fires", "hand-off"}
    for journey in journeys:
        assert {c["lang"] for c in cases if c["journey"] == journey} == set(SUPPORTED), journey
    for case in cases:
        assert case["steps"] and all(len(STEP_KINDS & set(step)) == 1 for step in case["steps"])
    assert len({case["name"] for case in cases}) == len(cases)


def test_summary_counts_per_language_and_journey() -> None:
    results = [
        Result("a", "fr", "calendar", True),
        Result("b", "fr", "hand-off", False, "no reply"),
        Result("c", "en", "calendar", True),
    ]
    report = summary(results)
    assert report["overall"] == {"passed": 2, "total": 3, "rate": 2 / 3}
    assert report["per_language"]["fr"]["passed"] == 1
    assert report["per_journey"]["calendar"] == {"passed": 2, "total": 2, "rate": 1.0}
    assert report["failures"] == [{"name": "b", "lang": "fr", "reason": "no reply"}]
