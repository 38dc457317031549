"""An unknown-fact answer carries a metadata mark (text unchanged) that the staff analytics
read from the tracker store; a known answer carries none."""

from __future__ import annotations

from actions.base import UNKNOWN_METADATA_KEY
from actions.fact_questions import AnswerFounded
from staff import analytics


def test_the_unknown_mark_is_the_one_the_analytics_read():
    assert UNKNOWN_METADATA_KEY == analytics.UNKNOWN_METADATA_KEY


def test_an_unknown_answer_is_marked_and_a_known_one_is_not(run_action):
    unknown = run_action(AnswerFounded(), "when was Coompanion Nord founded?", "ask_founded")
    assert "does not say when it was founded" in unknown.text
    assert [m.get(UNKNOWN_METADATA_KEY) for m in unknown.messages] == [True]
    known = run_action(AnswerFounded(), "when was INNOV'EUROMETROPOLIS founded?", "ask_founded")
    assert "does not say" not in known.text
    assert all(UNKNOWN_METADATA_KEY not in m for m in known.messages)
