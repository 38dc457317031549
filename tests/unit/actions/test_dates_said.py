"""Days named in a message, in the six languages (month names from Babel)."""

from __future__ import annotations

import pytest

from actions.dates_said import days_named


@pytest.mark.parametrize(
    "text",
    ["on May 31st?", "le 31 mai", "møtet 31. mai", "den 31 maj", "op 31 mei", "يوم 31 مايو",
     "يوم ٣١ مايو"],
)  # fmt: skip
def test_a_day_and_month_in_each_language(text):
    assert days_named(text) == [(5, 31)]


def test_a_month_alone_or_a_year_names_no_day():
    assert days_named("in March 2023") == []
    assert days_named("the 2023 call") == []
    assert days_named("on 45 May") == []
