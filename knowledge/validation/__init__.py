"""Content files (YAML, see FORMAT.md) and the places file → validated rows for the database.

Everything is checked before anything is written; every problem names the file, the record and
the field, so hub staff can fix the file without reading code. One module per record kind
(``organisations``, ``programmes``, ``calls``, ``services``, ``events``, ``contacts``,
``places``); ``checker`` holds the primitives they share, ``references`` the checks across files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from knowledge.validation.bundle import KINDS, Bundle
from knowledge.validation.checker import FIGURES, ROLES, ContentError, Problem
from knowledge.validation.files import check_document, check_file, content_paths, read_yaml
from knowledge.validation.places import PLACES_FILE, check_places
from knowledge.validation.references import check_references

__all__ = [
    "FIGURES",
    "KINDS",
    "PLACES_FILE",
    "ROLES",
    "Bundle",
    "ContentError",
    "Problem",
    "content_paths",
    "load",
    "load_documents",
    "read_yaml",
]


def load(
    paths: Iterable[str | Path],
    known: Mapping[str, Mapping[str, str]] | None = None,
    *,
    places: Path | Mapping | None = PLACES_FILE,
) -> Bundle:
    """Validate content files (and the places file, or its parsed YAML); raise
    ``ContentError`` listing every problem, else return the rows."""
    problems: list[Problem] = []
    bundle = Bundle()
    files = content_paths(paths)
    if not files:
        raise ContentError([Problem("(none)", None, None, "no content files given or found")])
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), None, None, "file not found"))
            continue
        check_file(path, bundle, problems)
    return _finish(bundle, problems, known, places)


def load_documents(
    documents: Iterable[tuple[str, object]],
    known: Mapping[str, Mapping[str, str]] | None = None,
    *,
    places: Path | Mapping | None = PLACES_FILE,
) -> Bundle:
    """Like ``load`` for documents already parsed, as (file name, mapping) pairs: the import
    (after its keep-staff-edits rule) and the staff workspace validate through here."""
    problems: list[Problem] = []
    bundle = Bundle()
    for name, data in documents:
        try:
            check_document(name, data, bundle, problems)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            # a value of a shape no check expects (a mapping where a name goes, …)
            problems.append(Problem(name, None, None, f"cannot be checked: {exc!r}"))
    return _finish(bundle, problems, known, places)


def _finish(
    bundle: Bundle,
    problems: list[Problem],
    known: Mapping[str, Mapping[str, str]] | None,
    places: Path | Mapping | None,
) -> Bundle:
    """The checks over all documents: the places file and the references across records."""
    if places is not None:
        check_places(places, bundle, problems)
    if not problems:
        check_references(bundle, known or {}, problems)
    if problems:
        raise ContentError(problems)
    return bundle
