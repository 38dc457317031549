"""Checks the knowledge-base content files against the seed documents they were written from.

Every fact must rest on a verbatim excerpt of its source, so a typo or an invented value shows
up here; and every multilingual text must stick to the six supported languages, with the
texts entrepreneurs read (service names, criteria, descriptions) present in all six.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
CONTENT_DIR = REPO / "knowledge" / "content"
SEEDS_DIR = REPO.parent / "shared" / "seeds"

LANGS = frozenset({"en", "fr", "nb", "nl", "sv", "ar"})
META_KEYS = frozenset({"original", "machine"})
# Fields whose value is user-facing text (plain string or language mapping).
TEXT_FIELDS = frozenset(
    {
        "title",
        "name",
        "description",
        "role",
        "who_may_apply",
        "how_to_apply",
        "application_file",
        "text",
        "project",
    }
)
RECORD_KINDS = ("organisations", "programmes", "calls", "services", "events", "contacts")

CONTENT_FILES = sorted(CONTENT_DIR.glob("*.yaml"))


def _normalise(text: str) -> str:
    """Collapse every run of whitespace (including no-break spaces) to one space."""
    return " ".join(text.split())


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{path.name}: top level must be a mapping"
    return data


def _seed_text(doc: dict[str, Any]) -> str:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed folder {SEEDS_DIR} is absent; cannot compare excerpts")
    seed = SEEDS_DIR / doc["source"]["file"]
    assert seed.is_file(), f"seed file {seed} named by source.file does not exist"
    return _normalise(seed.read_text(encoding="utf-8"))


def _records(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "source", doc["source"]
    for kind in RECORD_KINDS:
        for record in doc.get(kind) or []:
            yield kind, record


def _excerpts(evidence: Any) -> Iterator[tuple[str, Any]]:
    """(field, excerpt) pairs; a field may rest on one excerpt or on a list of them."""
    for field, value in (evidence or {}).items():
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield f"{field}[{index}]", item
        else:
            yield field, value


def _evidence_blocks(doc: dict[str, Any]) -> Iterator[tuple[str, Any, bool]]:
    """(label, evidence, required) for every record and every nested item that carries one."""
    for kind in RECORD_KINDS:
        for record in doc.get(kind) or []:
            label = f"{kind}:{record.get('id')}"
            yield label, record.get("evidence"), True
            for criterion in record.get("criteria") or []:
                yield f"{label}:{criterion.get('id')}", criterion.get("evidence"), False
            for index, chosen in enumerate(record.get("selected") or []):
                yield f"{label}:selected[{index}]", chosen.get("evidence"), False


def _text_values(node: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Yield (path, value) for every user-facing text field found anywhere under node."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "evidence":
                continue
            child = f"{path}.{key}"
            if key in TEXT_FIELDS and isinstance(value, (str, dict)):
                yield child, value
            elif key == "sectors" and isinstance(value, list):
                for index, item in enumerate(value):
                    yield f"{child}[{index}]", item
            else:
                yield from _text_values(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _text_values(item, f"{path}[{index}]")


def _needs_all_languages(path: str) -> bool:
    """Service names, criteria texts and every description must exist in all six languages."""
    last = path.rsplit(".", 1)[-1]
    if last == "description":
        return True
    if last == "text" and ".criteria[" in path:
        return True
    return last == "name" and path.startswith("services[")


def test_content_files_exist() -> None:
    assert CONTENT_FILES, f"no content files in {CONTENT_DIR}"


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.stem)
def test_source_names_its_file(path: Path) -> None:
    doc = _load(path)
    assert doc["source"]["id"] == path.stem, "file must be named <source-id>.yaml"
    assert doc["source"]["language"] in LANGS


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.stem)
def test_every_record_has_verbatim_evidence(path: Path) -> None:
    doc = _load(path)
    seed = _seed_text(doc)
    problems = []
    for label, evidence, required in _evidence_blocks(doc):
        if evidence is None and not required:
            continue
        if not isinstance(evidence, dict) or not evidence:
            problems.append(f"{label}: no evidence")
            continue
        for field, excerpt in _excerpts(evidence):
            if not isinstance(excerpt, str) or not excerpt.strip():
                problems.append(f"{label}.{field}: excerpt must be a non-empty string")
            elif _normalise(excerpt) not in seed:
                problems.append(f"{label}.{field}: not in seed: {excerpt!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.stem)
def test_multilingual_fields_use_supported_languages(path: Path) -> None:
    doc = _load(path)
    source_lang = doc["source"]["language"]
    problems = []
    for kind, record in _records(doc):
        prefix = f"{kind}[{record.get('id', '')}]" if kind != "source" else "source"
        for field_path, value in _text_values(record, prefix):
            location = f"{path.name}: {field_path}"
            if isinstance(value, str):
                if _needs_all_languages(field_path):
                    problems.append(f"{location}: plain string, needs all six languages")
                continue
            if not isinstance(value, dict):
                problems.append(f"{location}: text must be a string or a language mapping")
                continue
            unknown = set(value) - LANGS - META_KEYS
            if unknown:
                problems.append(f"{location}: unsupported keys {sorted(unknown)}")
            original = value.get("original", source_lang)
            if original not in value:
                problems.append(f"{location}: original language {original!r} missing")
            machine = value.get("machine", [])
            if not set(machine) <= LANGS or original in machine:
                problems.append(f"{location}: bad machine list {machine!r}")
            if not set(machine) <= set(value):
                problems.append(f"{location}: machine names languages without text")
            for lang in set(value) & LANGS:
                if not isinstance(value[lang], str) or not value[lang].strip():
                    problems.append(f"{location}.{lang}: empty text")
            if _needs_all_languages(field_path) and not LANGS <= set(value):
                problems.append(f"{location}: missing {sorted(LANGS - set(value))}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.stem)
def test_arabic_text_is_arabic(path: Path) -> None:
    """Catches a translation pasted into the wrong language slot."""
    doc = _load(path)
    problems = []
    for kind, record in _records(doc):
        for field_path, value in _text_values(record, kind):
            if isinstance(value, dict) and isinstance(value.get("ar"), str):
                if not re.search(r"[\u0600-\u06FF]", value["ar"]):
                    problems.append(f"{path.name}: {field_path}.ar has no Arabic script")
    assert not problems, "\n".join(problems)


def test_ids_are_unique_and_references_resolve() -> None:
    docs = [_load(path) for path in CONTENT_FILES]
    ids: dict[str, set[str]] = {kind: set() for kind in RECORD_KINDS}
    duplicates = []
    for doc in docs:
        for kind in RECORD_KINDS:
            for record in doc.get(kind) or []:
                if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", record["id"]):
                    duplicates.append(f"bad id {record['id']!r}")
                if record["id"] in ids[kind]:
                    duplicates.append(f"duplicate {kind} id {record['id']}")
                ids[kind].add(record["id"])
    assert not duplicates, "\n".join(duplicates)

    orgs = ids["organisations"]
    targets = orgs | ids["calls"] | ids["programmes"]
    missing = []
    for doc in docs:
        for org in doc.get("organisations") or []:
            refs = [org.get("parent"), *(org.get("members") or [])]
            missing += [f"{org['id']} -> {r}" for r in refs if r and r not in orgs]
            missing += [
                f"{org['id']} -> service {s}"
                for s in org.get("services") or []
                if s not in ids["services"]
            ]
        for prog in doc.get("programmes") or []:
            if prog.get("funder") and prog["funder"] not in orgs:
                missing.append(f"{prog['id']} -> {prog['funder']}")
        for call in doc.get("calls") or []:
            if call.get("issuer") and call["issuer"] not in orgs:
                missing.append(f"{call['id']} -> {call['issuer']}")
            if call.get("programme") and call["programme"] not in ids["programmes"]:
                missing.append(f"{call['id']} -> {call['programme']}")
            missing += [
                f"{call['id']} -> contact {c}"
                for c in call.get("contacts") or []
                if c not in ids["contacts"]
            ]
            for chosen in call.get("selected") or []:
                chosen_orgs = chosen.get("organisations") or []
                missing += [f"{call['id']} -> {o}" for o in chosen_orgs if o not in orgs]
        for service in doc.get("services") or []:
            if service["provider"] not in orgs:
                missing.append(f"{service['id']} -> {service['provider']}")
        for event in doc.get("events") or []:
            if event.get("organiser") and event["organiser"] not in orgs:
                missing.append(f"{event['id']} -> {event['organiser']}")
        for contact in doc.get("contacts") or []:
            if contact.get("organisation") and contact["organisation"] not in orgs:
                missing.append(f"{contact['id']} -> {contact['organisation']}")
            missing += [
                f"{contact['id']} -> {r}"
                for r in contact.get("responsible_for") or []
                if r not in targets
            ]
    assert not missing, "unresolved references:\n" + "\n".join(missing)
