"""The workspace's wording: the same keys and placeholders in all six catalogues, every key the
pages use exists, and the import's own problem messages come out translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.languages import SUPPORTED
from knowledge.validation import Problem
from staff import i18n
from staff.accounts import ROLES
from staff.forms import FIELDS
from staff.sections import BUILT_IN

TEMPLATES = Path(i18n.__file__).with_name("templates")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_catalogue_has_the_keys_and_placeholders_of_the_english_one():
    english = i18n.catalogue("en")
    for lang in SUPPORTED:
        found = i18n.catalogue(lang)
        assert set(found) == set(english), lang
        for key, text in english.items():
            if key == "validation":
                continue
            assert set(PLACEHOLDER.findall(found[key])) == set(PLACEHOLDER.findall(text)), (
                lang,
                key,
            )
        for template, translated in found["validation"].items():
            assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(template))


def test_every_key_the_pages_use_exists():
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""\bt\(["']([a-z_]+)["']""", path.read_text(encoding="utf-8")))
    used |= {f"field_{f}" for fields in FIELDS.values() for f in fields}
    used |= {f"kind_{k}" for k in FIELDS} | {f"role_{r}" for r in ROLES}
    used |= {section.label for section in BUILT_IN}
    missing = used - set(i18n.catalogue("en")) - {"field_", "kind_", "role_"}  # t("kind_" ~ k)
    assert not missing


@pytest.mark.parametrize("lang", [lang for lang in SUPPORTED if lang != "en"])
def test_the_import_s_problems_are_translated_with_their_values(lang):
    from knowledge.validation import load_documents

    doc = {
        "source": {"id": "s", "language": "fr", "title": "T"},
        "calls": [
            {
                "id": "c",
                "title": "Appel",
                "deadline": {"at": "2023-02-30T10:00", "timezone": "Mars/Olympus"},
                "year": "soon",
                "evidence": {"record": "x"},
            }
        ],
    }
    try:
        load_documents([("s.yaml", doc)], places=None)
    except Exception as exc:  # ContentError
        problems: list[Problem] = exc.problems
    else:  # pragma: no cover - the document is invalid on purpose
        pytest.fail("the document was accepted")
    messages = {p.message for p in problems}
    assert "unknown time zone 'Mars/Olympus'" in messages
    assert "must be a whole number, got 'soon'" in messages
    for message in messages:
        translated = i18n.problem(lang, message)
        assert translated != message, (lang, message)
        for value in re.findall(r"'[^']*'", message):
            assert value in translated, (lang, message, translated)


def test_a_message_without_a_translation_stays_in_english():
    assert i18n.problem("fr", "a message nobody wrote a template for") == (
        "a message nobody wrote a template for"
    )
