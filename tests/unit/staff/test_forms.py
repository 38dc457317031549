"""Workspace form boxes read as YAML, with the words YAML 1.1 takes for booleans kept."""

from __future__ import annotations

from staff.forms import from_form


def test_a_country_code_that_yaml_reads_as_false_stays_the_code():
    form = {"f.kind": "region", "f.country": "NO", "f.names": "{nb: [Agder]}"}
    record = from_form("places", "agder", form, None, "nb")
    assert record["country"] == "NO"
    assert record["names"] == {"nb": ["Agder"]}


def test_true_and_false_are_still_booleans():
    form = {"f.kind": "region", "f.country": "false"}
    assert from_form("places", "x", form, None, "en")["country"] is False
