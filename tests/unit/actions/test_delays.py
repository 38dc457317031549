"""Lead times in the six languages: numbers as digits, words or Arabic duals, and none."""

from __future__ import annotations

from datetime import timedelta

import pytest

from actions.delays import parse_delay

DAY, WEEK, HOUR = timedelta(days=1), timedelta(weeks=1), timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("remind me a week before", WEEK),
        ("remind me 3 days before the deadline", 3 * DAY),
        ("two weeks ahead please", 2 * WEEK),
        ("the day before", DAY),
        ("48 hours before", 48 * HOUR),
        ("rappelle-moi une semaine avant", WEEK),
        ("rappelez-moi dix jours avant", 10 * DAY),
        ("préviens-moi quinze jours avant", 15 * DAY),
        ("rappelle-moi la veille", DAY),
        ("minn meg på det en uke før", WEEK),
        ("minn meg på det fem dager før", 5 * DAY),
        ("to uker før fristen", 2 * WEEK),
        ("påminn mig två veckor innan", 2 * WEEK),
        ("påminn mig dagen innan", DAY),
        ("påminn mig 24 timmar innan", 24 * HOUR),
        ("herinner me drie dagen van tevoren", 3 * DAY),
        ("herinner me een week voor de deadline", WEEK),
        ("herinner me de dag ervoor", DAY),
        ("ذكرني قبل أسبوع", WEEK),
        ("ذكرني قبل أسبوعين", 2 * WEEK),
        ("ذكّرني قبل ٣ أيام", 3 * DAY),
        ("ذكرني قبل يومين", 2 * DAY),
        ("ذكرني قبل خمسة أيام", 5 * DAY),
    ],
)
def test_lead_times(text: str, expected: timedelta) -> None:
    assert parse_delay(text) == expected


@pytest.mark.parametrize(
    "text", ["remind me", "rappelle-moi", "minn meg på det", "ذكرني", "remind me in 0 days"]
)
def test_no_lead_time(text: str) -> None:
    assert parse_delay(text) is None
