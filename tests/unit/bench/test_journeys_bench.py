"""The journey benchmark's scoring: a journey passes only when every turn does."""

from __future__ import annotations

from bench.journeys import CASES_DIR, load, run, run_journey
from bot.language.codes import SUPPORTED

JOURNEY = {
    "name": "two turns",
    "lang": "en",
    "turns": [
        {"user": "am I eligible?", "contains": ["Let's check"],
         "buttons": ['/inform{"answer": "dont_know"}']},
        {"user": "I don't know", "contains": ["Result"], "not_contains": ["not eligible"]},
    ],
}  # fmt: skip


def replying(*answers: list[dict]):
    queue = list(answers)
    return lambda url, sender, text: queue.pop(0)


ASKED = [{"text": "Let's check…", "buttons": [{"payload": '/inform{"answer": "dont_know"}'}]}]


def test_a_journey_passes_when_every_turn_does() -> None:
    result = run_journey("http://x", JOURNEY, replying(ASKED, [{"text": "Result: eligible"}]))
    assert result.passed and result.failed_turn is None


def test_the_first_failing_turn_is_reported() -> None:
    result = run_journey("http://x", JOURNEY, replying(ASKED, [{"text": "Result: not eligible"}]))
    assert not result.passed and result.failed_turn == 2
    assert "unexpected 'not eligible'" in result.reason
    no_button = run_journey("http://x", JOURNEY, replying([{"text": "Let's check"}]))
    assert no_button.failed_turn == 1 and "no button" in no_button.reason


def test_an_unreachable_server_fails_the_journey() -> None:
    def down(url: str, sender: str, text: str) -> list[dict]:
        raise ConnectionRefusedError("refused")

    assert "no answer" in run_journey("http://x", JOURNEY, down).reason


def test_the_pass_rate_is_per_journey_and_per_language() -> None:
    other = {**JOURNEY, "lang": "fr"}
    answers = [ASKED, [{"text": "Result: eligible"}], ASKED, [{"text": "Result: not eligible"}]]
    summary = run("http://x", [JOURNEY, other], replying(*answers))
    assert summary["pass_rate"] == 0.5
    assert summary["by_language"]["en"]["pass_rate"] == 1.0
    assert summary["by_language"]["fr"]["pass_rate"] == 0.0
    assert len(summary["failures"]) == 1


def test_the_benchmark_has_journeys_in_every_language() -> None:
    journeys = load()
    assert {j["lang"] for j in journeys} == set(SUPPORTED)
    assert all(path.suffix == ".yml" for path in CASES_DIR.iterdir())
