"""Bad content is refused with an error naming file, record and field; nothing is written."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from knowledge.importer import import_paths
from knowledge.models import Call, Organisation
from knowledge.query import KnowledgeBase
from knowledge.validation import ContentError, load

GOOD = """
source:
  id: test-source
  file: test.txt
  language: fr
  title: {fr: "Titre", en: "Title", machine: [en]}
  publisher: null
  published: {year: 2023, month: 5}
organisations:
  - id: test-ministry
    kind: ministry
    name: Ministère du Test
    aliases: [MT]
    country: MA
    municipalities: [Rabat]
    evidence: {name: "Ministère du Test"}
programmes:
  - id: test-programme
    name: {fr: "Programme", en: "Programme"}
    funder: test-ministry
    budget_total: {value: 1000, currency: MAD}
    evidence: {record: "programme"}
calls:
  - id: test-call
    title: {fr: "Appel test", en: "Test call", machine: [en]}
    issuer: test-ministry
    programme: test-programme
    deadline: {at: "2023-06-14T15:00", timezone: Africa/Casablanca}
    criteria:
      - id: test-call-label
        rule: {field: existing_label, op: eq, value: true}
        text: "Les clusters labellisés."
    contacts: [test-contact]
    evidence: {deadline: "14 juin 2023 à 15h00"}
contacts:
  - id: test-contact
    person: null
    organisation: test-ministry
    phones: ["05 37 73 93 46"]
    email: someone@example.org
    responsible_for: [test-call]
    evidence: {record: "contact"}
"""


def write(tmp_path: Path, text: str, name: str = "test-source.yaml") -> Path:
    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        load([write(tmp_path, text)])
    return [str(p) for p in info.value.problems]


def test_the_good_file_is_valid(tmp_path):
    bundle = load([write(tmp_path, GOOD)])
    assert bundle.ids("calls") == {"test-call"}
    assert bundle.rows["calls"][0]["deadline"] == {
        "at": "2023-06-14T15:00",
        "timezone": "Africa/Casablanca",
    }


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'deadline: {at: "2023-06-14T15:00", timezone: Africa/Casablanca}',
            'deadline: {at: "2023-06-31T15:00", timezone: Africa/Casablanca}',
            "test-source.yaml: calls[test-call]: deadline.at: invalid date-time",
        ),
        (
            "timezone: Africa/Casablanca}",
            "timezone: Africa/Atlantis}",
            "test-source.yaml: calls[test-call]: deadline.timezone: unknown time zone 'Africa/Atlantis'",  # noqa: E501
        ),
        (
            "budget_total: {value: 1000, currency: MAD}",
            "budget_total: {value: -5, currency: MAD}",
            "test-source.yaml: programmes[test-programme]: budget_total.value: must be zero or more",  # noqa: E501
        ),
        (
            "budget_total: {value: 1000, currency: MAD}",
            "budget_total: {value: 1000, currency: XYZ}",
            "test-source.yaml: programmes[test-programme]: budget_total.currency: unknown ISO 4217",
        ),
        (
            "programme: test-programme",
            "programme: no-such-programme",
            "test-source.yaml: calls[test-call]: programme: refers to a missing programme 'no-such-programme'",  # noqa: E501
        ),
        (
            "contacts: [test-contact]",
            "contacts: [ghost]",
            "test-source.yaml: calls[test-call]: contacts: refers to a missing contact 'ghost'",
        ),
        (
            'title: {fr: "Appel test", en: "Test call", machine: [en]}',
            'title: {fr: "Appel test", de: "Testaufruf"}',
            "test-source.yaml: calls[test-call]: title: unknown language code 'de'",
        ),
        (
            "rule: {field: existing_label, op: eq, value: true}",
            "rule: {field: existing_label, op: roughly, value: true}",
            "calls[test-call]: criteria[0].rule.op: must be one of",
        ),
        (
            "  - id: test-contact\n",
            "  - id: test-ministry\n",
            "calls[test-call]: contacts: refers to a missing contact 'test-contact'",
        ),
        (
            "kind: ministry",
            "kind: castle",
            "test-source.yaml: organisations[test-ministry]: kind: unknown kind 'castle'",
        ),
        (
            "country: MA",
            "country: XX",
            "organisations[test-ministry]: country: unknown ISO 3166-1 alpha-2 country code 'XX'",
        ),
        (
            "email: someone@example.org",
            "email: not-an-address",
            "contacts[test-contact]: email: not an e-mail address",
        ),
        (
            '    evidence: {deadline: "14 juin 2023 à 15h00"}\n',
            '    evidence: {deadline: "14 juin 2023 à 15h00"}\n    colour: blue\n',
            "calls[test-call]: colour: unknown field",
        ),
    ],
)
def test_bad_values_are_named_by_file_record_and_field(tmp_path, old, new, expected):
    assert old in GOOD, old
    found = problems(tmp_path, GOOD.replace(old, new, 1))
    assert any(expected in p for p in found), found


def test_duplicate_ids_across_files(tmp_path):
    write(tmp_path, GOOD)
    other = GOOD.replace("id: test-source", "id: other-source").replace(
        "id: test-ministry\n    kind", "id: test-ministry\n    kind", 1
    )
    write(tmp_path, other, "other-source.yaml")
    with pytest.raises(ContentError) as info:
        load([tmp_path / "files"])
    text = str(info.value)
    assert "organisations[test-ministry]: id: duplicate id (also in" in text
    assert "calls[test-call]: id: duplicate id" in text


def test_malformed_yaml_names_the_file_and_line(tmp_path):
    found = problems(tmp_path, "source:\n  id: [unclosed\n  language: fr\n")
    assert found[0].startswith("test-source.yaml: malformed YAML: line")


def test_date_only_deadline_and_partial_dates(tmp_path):
    text = GOOD.replace(
        'deadline: {at: "2023-06-14T15:00", timezone: Africa/Casablanca}',
        'deadline: {date: "2018-04-30", timezone: America/Toronto}\n    opens: {month: 5}',
    )
    row = load([write(tmp_path, text)]).rows["calls"][0]
    assert row["deadline"] == {"date": "2018-04-30", "timezone": "America/Toronto"}
    assert row["opens"] == {"month": 5}
    assert row["opens_earliest"] is None  # a month without a year: unknown instant
    assert str(row["deadline_latest"]) == "2018-05-01 04:00:00"  # end of day, EDT


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_invalid_file_changes_nothing_in_the_database(engine, tmp_path):
    good = write(tmp_path, GOOD)
    _, revision = import_paths(engine, [good])
    kb = KnowledgeBase(engine)
    before = (kb.revision(), _count(engine, Organisation), _count(engine, Call))
    broken = GOOD.replace("Ministère du Test", "Ministère Modifié").replace(
        "value: 1000, currency: MAD", "value: -1, currency: MAD"
    )
    good.write_text(textwrap.dedent(broken), encoding="utf-8")
    with pytest.raises(ContentError):
        import_paths(engine, [good])
    assert (kb.revision(), _count(engine, Organisation), _count(engine, Call)) == before
    assert kb.organisation("test-ministry", "fr").name.value == "Ministère du Test"
    assert revision == before[0]


def test_a_valid_file_next_to_an_invalid_one_is_not_imported(engine, tmp_path):
    write(tmp_path, GOOD)
    write(tmp_path, "source: {id: x, language: fr, title: T}\ncalls: [{id: BAD ID}]\n", "bad.yaml")
    with pytest.raises(ContentError) as info:
        import_paths(engine, [tmp_path / "files"])
    assert "bad.yaml: calls[BAD ID]: id: must be a lowercase slug id" in str(info.value)
    assert _count(engine, Call) == 0


def test_removing_a_record_another_source_needs_is_refused(engine, tmp_path):
    ministry = """
    source: {id: ministry-source, language: fr, title: T}
    organisations:
      - id: shared-ministry
        kind: ministry
        name: Ministère partagé
        evidence: {name: "Ministère partagé"}
    """
    call = """
    source: {id: call-source, language: fr, title: T}
    calls:
      - id: shared-call
        title: Appel
        issuer: shared-ministry
        evidence: {title: "Appel"}
    """
    m = write(tmp_path, ministry, "ministry.yaml")
    c = write(tmp_path, call, "call.yaml")
    import_paths(engine, [m])
    import_paths(engine, [c])  # resolves the issuer in the database
    m.write_text(textwrap.dedent(ministry).replace("shared-ministry", "renamed-ministry"))
    with pytest.raises(ContentError):
        import_paths(engine, [m])
    assert KnowledgeBase(engine).organisation("shared-ministry", "fr") is not None
