"""The entrepreneur journeys end to end through the REST channel, in all six languages: the
eligibility form with "I don't know" answers, a direct question with the facts, a "what if",
"what fits me" and "who can apply?" still quoting the rules. One stack for the module, on the
seed content at the frozen clock; the runner is the journey benchmark's (`bench/journeys.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.journeys import load, run_journey
from bot.language.codes import SUPPORTED
from ops.stack import FROZEN_NOW, Stack, free_port, send

pytestmark = pytest.mark.e2e

CASES = Path(__file__).with_name("journeys")
JOURNEYS = load(CASES.glob("*.yml"))


@pytest.fixture(scope="module")
def journey_stack(
    trained_model: Path, seed_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    stack = Stack(
        model=trained_model,
        log_dir=tmp_path_factory.mktemp("journey-logs"),
        ports={"rasa": free_port(), "actions": free_port(), "web": free_port()},
        env={"HUBGUIDE_DATABASE_URL": seed_database_url, "HUBGUIDE_NOW": FROZEN_NOW},
    )
    with stack:
        yield stack


def test_every_language_has_every_journey() -> None:
    assert sorted({j["lang"] for j in JOURNEYS}) == sorted(SUPPORTED)
    for lang in SUPPORTED:
        turns = [t["user"] for j in JOURNEYS if j["lang"] == lang for t in j["turns"]]
        assert len([j for j in JOURNEYS if j["lang"] == lang]) >= 4, lang
        assert len(turns) >= 15, lang


@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda j: f"{j['lang']}: {j['name']}")
def test_journey(journey_stack: Stack, journey: dict) -> None:
    result = run_journey(journey_stack.rasa_url, journey, send)
    assert result.passed, result.reason
