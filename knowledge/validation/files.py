"""One content file: its YAML, its source section, and every record section it holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from knowledge.languages import SUPPORTED
from knowledge.validation import calls, contacts, events, organisations, programmes, services
from knowledge.validation.bundle import KINDS, Bundle
from knowledge.validation.checker import Checker, Problem

SOURCE_FIELDS = {"id", "file", "language", "title", "publisher", "published", "url"}
#: section → (allowed fields, the check that turns one record into rows)
SECTIONS = {
    "organisations": (organisations.FIELDS, organisations.check),
    "programmes": (programmes.FIELDS, programmes.check),
    "calls": (calls.FIELDS, calls.check),
    "services": (services.FIELDS, services.check),
    "events": (events.FIELDS, events.check),
    "contacts": (contacts.FIELDS, contacts.check),
}
assert tuple(SECTIONS) == KINDS

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file with the C loader when available (hub content can be large)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - safe loader


def read_checked(path: Path, problems: list[Problem]) -> Any:
    """The file's YAML, or None with a problem saying why it cannot be read."""
    try:
        data = read_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problems.append(Problem(path.name, None, None, f"malformed YAML: {where}{exc}"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, None, None, f"cannot read file: {exc}"))
        return None
    if data is None:
        problems.append(Problem(path.name, None, None, "the file is empty"))
    return data


#: a folder's places file (an export writes one beside the content files): not a content file
PLACES_NAME = "places.yaml"


def content_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into their ``*.yaml``/``*.yml`` files, sorted by name (a folder's
    ``places.yaml`` is its places file, not a content file: ``places_path``)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
            out.extend(f for f in found if f.name != PLACES_NAME)
        else:
            out.append(p)
    return out


def places_path(paths: Iterable[str | Path], default: Path) -> Path:
    """The places file of an import: the ``places.yaml`` of the one folder given (an export),
    else ``default`` (``knowledge/places.yaml``)."""
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    found = [f / PLACES_NAME for f in folders if (f / PLACES_NAME).is_file()]
    return found[0] if len(found) == 1 else default


def check_file(path: Path, bundle: Bundle, problems: list[Problem]) -> None:
    """Validate one content file and add its rows to ``bundle``."""
    data = read_checked(path, problems)
    if data is None:
        return
    check_document(path.name, data, bundle, problems)


def check_document(name: str, data: Any, bundle: Bundle, problems: list[Problem]) -> None:
    """Validate one parsed content document (a file's YAML, or a document the staff workspace
    assembled from the database) and add its rows to ``bundle``: one check for both."""
    c = Checker(name, problems)
    if not isinstance(data, Mapping):
        c.err(None, "the file must be a mapping with source, organisations, calls, …")
        return
    for key in sorted(set(data) - {"source", *KINDS}):
        c.err(str(key), "unknown section")
    sid = _source(c, data.get("source"), bundle)
    if sid is None:
        return
    for section, (allowed, check) in SECTIONS.items():
        for pos, item, rid in _records(c, data, section, allowed):
            check(c, item, rid, sid, pos, bundle)


def _source(c: Checker, src: object, bundle: Bundle) -> str | None:
    """The source section's row; its id, or None when the file cannot be read further."""
    c.record = "source"
    if not isinstance(src, Mapping):
        c.err(None, "the source section is required")
        return None
    if c.mapping(src, SOURCE_FIELDS, {"id", "language", "title"}) is None:
        return None
    sid = c.ident(src.get("id"), "id")
    lang = src.get("language")
    if lang not in SUPPORTED:
        c.err("language", f"unknown language code {lang!r} (allowed: {' '.join(SUPPORTED)})")
        return None
    c.lang = lang
    if sid is None:
        return None
    c.record = f"source[{sid}]"
    if sid in bundle.files:
        c.err("id", f"duplicate source id (also in {bundle.files[sid]})")
    bundle.files[sid] = c.file
    publisher = src.get("publisher")
    bundle.sources.append(
        {
            "id": sid,
            "file": c.string(src.get("file"), "file"),
            "language": lang,
            "title": c.text(src.get("title"), "title", required=True),
            "publisher": c.text(publisher, "publisher") if publisher is not None else None,
            "published": c.partial(src.get("published"), "published"),
            "url": c.string(src.get("url"), "url"),
            "position": len(bundle.sources),
        }
    )
    return sid


def _records(
    c: Checker, data: Mapping, section: str, allowed: set[str]
) -> Iterable[tuple[int, Mapping, str]]:
    items = data.get(section) or []
    if not isinstance(items, list):
        c.record = None
        c.err(section, "must be a list")
        return
    for pos, item in enumerate(items):
        rid = item.get("id") if isinstance(item, Mapping) else None
        c.record = f"{section}[{rid if isinstance(rid, str) else pos}]"
        if c.mapping(item, allowed, {"id"}) is None:
            continue
        if c.ident(rid, "id") is None:
            continue
        yield pos, item, rid
