"""A record in the content format ↔ the fields of its form.

Multilingual texts get one box per language, with the original language and a machine mark per
translation; a translation a person types in the form is marked staff-written (its machine mark
is dropped). Every other field is one box holding its value as YAML, exactly as in a content
file, so every field of the format can be edited; the checks are the import's
(``knowledge.editing.save``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from knowledge.languages import SUPPORTED

#: every field of each record kind, in the order of knowledge/FORMAT.md
FIELDS = {
    "organisations": [
        "id", "kind", "name", "aliases", "short_name", "country", "region", "municipalities",
        "address", "languages", "sectors", "services", "parent", "members", "programmes",
        "website", "former_names", "founded", "roles", "figures", "description", "evidence",
    ],
    "programmes": [
        "id", "name", "funder", "budget_total", "max_per_recipient_per_year", "period",
        "duration_years", "part_of", "roles", "figures", "description", "evidence",
    ],
    "calls": [
        "id", "title", "issuer", "programme", "year", "opens", "deadline", "who_may_apply",
        "criteria", "how_to_apply", "application_file", "application_url",
        "applications_received", "selected", "contacts", "evidence",
    ],
    "services": ["id", "provider", "name", "description", "evidence"],
    "events": ["id", "title", "organiser", "start", "end", "place", "description", "evidence"],
    "contacts": [
        "id", "person", "role", "organisation", "phones", "email", "responsible_for", "evidence",
    ],
    # a document's own metadata (its ``source:`` section) and a place of places.yaml
    "sources": ["id", "file", "language", "title", "publisher", "published", "url"],
    "places": ["id", "kind", "type", "country", "parent", "iso", "names"],
}  # fmt: skip
#: boxes shown but not editable (knowledge.editing.SOURCE_FIXED)
FIXED = {"sources": ["language"]}
#: the multilingual text fields of each kind (one box per language)
TEXTS = {
    "organisations": ["name", "region", "address", "description"],
    "programmes": ["name", "description"],
    "calls": ["title", "who_may_apply", "how_to_apply", "application_file"],
    "services": ["name", "description"],
    "events": ["title", "description"],
    "contacts": ["role"],
    "sources": ["title", "publisher"],
    "places": [],
}
#: the field naming a record in lists
TITLE_FIELD = {
    "organisations": "name",
    "programmes": "name",
    "calls": "title",
    "services": "name",
    "events": "title",
    "contacts": "person",
    "sources": "title",
    "places": "names",
}


@dataclass
class TextBox:
    """One multilingual field as the form shows it."""

    original: str
    values: dict[str, str]
    machine: set[str]


def text_box(value: Any, source_lang: str) -> TextBox:
    if value is None:
        return TextBox(source_lang, {}, set())
    if isinstance(value, str):
        return TextBox(source_lang, {source_lang: value}, set())
    values = {k: v for k, v in value.items() if k in SUPPORTED and isinstance(v, str)}
    return TextBox(value.get("original", source_lang), values, set(value.get("machine") or []))


def to_yaml(value: Any) -> str:
    """A field's value as the box shows it (empty when the field is absent)."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        if len(yaml.safe_dump(value, width=10_000)) < 90:
            return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)
    # a scalar: its YAML without the document end marker ("...") PyYAML adds
    return yaml.safe_dump(value, allow_unicode=True, width=10_000).removesuffix("...\n")


def title_of(kind: str, record: Mapping[str, Any]) -> str:
    value = record.get(TITLE_FIELD[kind])
    if kind == "places":  # names: {lang: [name, …]}; the display name of the first language
        first = next(iter(value.values()), None) if isinstance(value, Mapping) else None
        return str(first[0] if isinstance(first, list) and first else record["id"])
    if isinstance(value, Mapping):
        original = value.get("original")
        value = value.get(original) if original in value else value.get("en")
        if value is None:
            value = next((v for k, v in record[TITLE_FIELD[kind]].items() if k in SUPPORTED), "")
    return str(value or record["id"])


class FormProblem(ValueError):
    """A box that is not even YAML: (field, message key, params)."""

    def __init__(self, problems: list[tuple[str, str, dict]]) -> None:
        super().__init__(problems)
        self.problems = problems


def from_form(
    kind: str,
    record_id: str,
    form: Mapping[str, str],
    before: Mapping[str, Any] | None,
    source_lang: str,
) -> dict:
    """The record the form describes; ``FormProblem`` lists the boxes that are not YAML."""
    record: dict[str, Any] = {"id": record_id}
    problems: list[tuple[str, str, dict]] = []
    for fld in FIELDS[kind][1:]:
        if fld in TEXTS[kind]:
            old = text_box((before or {}).get(fld), source_lang)
            value = _text_from_form(fld, form, old)
            if value is not None:
                record[fld] = value
            continue
        raw = form.get(f"f.{fld}", "")
        if not raw.strip():
            continue
        try:
            record[fld] = _box_value(raw)
        except ValueError:  # YAML's own date that is no date ("2023-02-30"): the import's
            record[fld] = raw.strip()  # checks say what is wrong with it, beside the box
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problems.append((fld, "form_bad_yaml", {"line": line}))
    if problems:
        raise FormProblem(problems)
    return record


def _box_value(raw: str) -> Any:
    """A box's YAML, except that a word YAML 1.1 reads as a boolean ("NO" for Norway, "yes",
    "off") stays the word typed: only ``true`` and ``false`` are booleans."""
    value = yaml.safe_load(raw)
    if isinstance(value, bool) and raw.strip().lower() not in ("true", "false"):
        return raw.strip()
    return value


def _text_from_form(fld: str, form: Mapping[str, str], old: TextBox) -> dict | None:
    values = {
        lang: form.get(f"t.{fld}.{lang}", "").strip()
        for lang in SUPPORTED
        if form.get(f"t.{fld}.{lang}", "").strip()
    }
    if not values:
        return None
    original = form.get(f"t.{fld}.original") or old.original
    machine = {lang for lang in SUPPORTED if form.get(f"t.{fld}.machine.{lang}")}
    # a translation somebody typed or changed here is staff-written
    machine -= {lang for lang, v in values.items() if old.values.get(lang) != v}
    out: dict[str, Any] = {"original": original, **values}
    marks = [lang for lang in SUPPORTED if lang in machine and lang in values]
    if marks:
        out["machine"] = marks
    return out
