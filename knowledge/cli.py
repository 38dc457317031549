"""Staff command line for the knowledge base: ``hubguide kb import|export|validate|search|show|
mentions|migrate``. The ``hubguide`` program itself (``ops/cli.py``) adds the other layers'
commands; this module only registers ``kb`` and imports nothing above ``knowledge``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from knowledge.languages import SUPPORTED
from knowledge.validation import ContentError

KINDS = ("organisation", "programme", "call", "contact", "event", "place", "service")


def _engine(args):
    from knowledge.db import make_engine

    return make_engine(args.database_url)


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def view_json(view: Any) -> dict:
    """A view as JSON; for a call ``deadline``/``opens`` are ISO 8601 with their UTC offset
    (a date for date-only ones, null when unknown), ``timezone`` is the IANA name and the full
    date detail sits in ``deadline_detail``/``opens_detail``."""
    from knowledge.views import CallView

    data = _jsonable(view)
    data["type"] = type(view).__name__.removesuffix("View").lower()
    if isinstance(view, CallView):
        for key in ("deadline", "opens"):
            when = getattr(view, key)
            data[f"{key}_detail"] = data[key]
            data[key] = when.isoformat() if when else None
        data["timezone"] = view.timezone
    return data


def _print_problems(exc: ContentError) -> int:
    print(f"error: {len(exc.problems)} problem(s); nothing was changed:", file=sys.stderr)
    for p in exc.problems:
        print(f"  {p}", file=sys.stderr)
    return 1


def cmd_import(args) -> int:
    from knowledge.importer import import_paths

    try:
        bundle, revision = import_paths(_engine(args), args.paths or None)
    except ContentError as exc:
        return _print_problems(exc)
    counts = ", ".join(f"{len(v)} {k}" for k, v in bundle.rows.items() if v)
    print(f"imported {len(bundle.sources)} source(s): {counts}; revision {revision}")
    if bundle.kept:
        print(f"kept {len(bundle.kept)} record(s) saved in the staff workspace: "
              + ", ".join(bundle.kept))  # fmt: skip
    if bundle.replaced:
        print(f"the files replaced {len(bundle.replaced)} workspace edit(s) (changed in the "
              "file since): " + ", ".join(bundle.replaced))  # fmt: skip
    return 0


def cmd_validate(args) -> int:
    from knowledge import migrate
    from knowledge.importer import CONTENT_DIR, _source_ids, stored_ids
    from knowledge.validation import PLACES_FILE, content_paths, load
    from knowledge.validation.files import places_path

    paths = args.paths or [CONTENT_DIR]
    files = content_paths(paths)
    known: dict = {}
    if not args.files_only:
        try:
            engine = _engine(args)
            if migrate.is_current(engine):
                with engine.connect() as conn:
                    known = stored_ids(conn, _source_ids(files))
        except Exception as exc:  # noqa: BLE001 - validation still works on the files alone
            print(f"note: database not used ({exc.__class__.__name__})", file=sys.stderr)
    try:
        bundle = load(files, known, places=places_path(paths, PLACES_FILE))
    except ContentError as exc:
        return _print_problems(exc)
    n = sum(len(v) for v in bundle.rows.values())
    print(f"ok: {len(files)} file(s), {len(bundle.sources)} source(s), {n} record(s)")
    return 0


def cmd_export(args) -> int:
    from knowledge.exporter import export

    paths = export(_engine(args), args.directory)
    print(f"exported {len(paths) - 1} source file(s) and places.yaml to {args.directory}")
    return 0


def _kb(args):
    from knowledge.query import KnowledgeBase

    return KnowledgeBase(_engine(args))


def cmd_search(args, *, inside: bool = False) -> int:
    kb = _kb(args)
    kinds = [args.type] if args.type else None
    finder = kb.mentions if inside else kb.search
    matches = finder(args.text, kinds=kinds, limit=args.limit)
    if args.json:
        print(json.dumps([dataclasses.asdict(m) for m in matches], ensure_ascii=False, indent=2))
    else:
        if not matches:
            print("no match")
        for m in matches:
            print(f"{m.score:5.1f}  {m.kind:<12} {m.id:<40} {m.name}")
    return 0


def _now(args) -> datetime:
    raw = args.now or os.environ.get("HUBGUIDE_NOW")
    if not raw:
        return datetime.now(timezone.utc)
    value = datetime.fromisoformat(raw)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def cmd_show(args) -> int:
    kb = _kb(args)
    kind = kb.kind_of(args.id)
    view: Any = None
    if kind == "organisation":
        view = kb.organisation(args.id, args.lang)
    elif kind == "call":
        view = kb.call(args.id, args.lang, now=_now(args))
    elif kind == "programme":
        view = kb.programme(args.id, args.lang)
    elif kind == "contact":
        view = kb.contact(args.id, args.lang)
    elif kind == "event":
        view = next((e for e in kb.events_for(None, args.lang) if e.id == args.id), None)
    elif kind == "place":
        hubs = kb.hubs(**{args.id.split(":", 1)[0]: args.id}, lang=args.lang)
        view = {"place": args.id, "hubs": [h.id for h in hubs]}
    if view is None:
        print(f"error: no record with id {args.id!r}", file=sys.stderr)
        return 1
    data = view if isinstance(view, dict) else view_json(view)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_tree(data)
    return 0


def _print_tree(data: Any, indent: int = 0) -> None:
    pad = "  " * indent
    if isinstance(data, dict):
        if set(data) == {"value", "lang", "is_original", "machine"}:
            mark = "" if data["is_original"] else (" (machine)" if data["machine"] else "")
            print(f"{pad}[{data['lang']}{mark}] {data['value']}")
            return
        for key, value in data.items():
            if value in (None, [], {}, ()):
                continue
            if isinstance(value, (dict, list)):
                print(f"{pad}{key}:")
                _print_tree(value, indent + 1)
            else:
                print(f"{pad}{key}: {value}")
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, (dict, list)):
                print(f"{pad}-")
                _print_tree(item, indent + 1)
            else:
                print(f"{pad}- {item}")
    else:
        print(f"{pad}{data}")


def cmd_migrate(args) -> int:
    from knowledge import migrate

    engine = _engine(args)
    migrate.upgrade(engine, args.revision)
    print(f"schema at revision {migrate.current(engine)}")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``kb`` and its sub-commands on the ``hubguide`` parser."""
    kb = sub.add_parser("kb", help="knowledge base: import, export, validate, search, show")
    kb.add_argument(
        "--database-url", help="SQLAlchemy URL (default: $HUBGUIDE_DATABASE_URL or var/…sqlite3)"
    )
    kbs = kb.add_subparsers(dest="kb_command", required=True)

    p = kbs.add_parser("import", help="validate content files, then write them in one transaction")
    p.add_argument("paths", nargs="*", help="files or folders (default: knowledge/content)")
    p.set_defaults(func=cmd_import)

    p = kbs.add_parser("validate", help="check content files without writing anything")
    p.add_argument("paths", nargs="*", help="files or folders (default: knowledge/content)")
    p.add_argument("--files-only", action="store_true", help="do not resolve ids in the database")
    p.set_defaults(func=cmd_validate)

    p = kbs.add_parser("export", help="write the knowledge base as content files")
    p.add_argument("directory")
    p.set_defaults(func=cmd_export)

    for name, inside in (("search", False), ("mentions", True)):
        help_ = "find records by name" if not inside else "find names inside a chat message"
        p = kbs.add_parser(name, help=help_)
        p.add_argument("text")
        p.add_argument("--type", choices=KINDS, help="only this kind of record")
        p.add_argument("--limit", type=int, default=10)
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=lambda a, inside=inside: cmd_search(a, inside=inside))

    p = kbs.add_parser("show", help="show one record by id")
    p.add_argument("id")
    p.add_argument("--lang", choices=SUPPORTED, default="en", help="language of the texts")
    p.add_argument("--now", help="ISO datetime for the call status (default: $HUBGUIDE_NOW/now)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = kbs.add_parser("migrate", help="create or upgrade the database schema")
    p.add_argument("revision", nargs="?", default="head")
    p.set_defaults(func=cmd_migrate)

    return kb


def build_parser() -> argparse.ArgumentParser:
    """A parser with the ``kb`` commands only (``ops.cli`` builds the full ``hubguide``)."""
    parser = argparse.ArgumentParser(prog="hubguide", description="HubGuide knowledge base.")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def run(args: argparse.Namespace) -> int:
    """Run a parsed command; database and file errors become a message and exit code 2."""
    from sqlalchemy.exc import OperationalError

    try:
        return int(args.func(args) or 0)
    except OperationalError as exc:
        print(f"error: the database is not reachable: {exc.orig}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
