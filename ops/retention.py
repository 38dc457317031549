"""How long conversations are kept: `hubguide conversations prune --older-than-days N`.

Deletes from Rasa's SQL tracker store every conversation whose last event is older than N days
(all its events: a conversation still going on keeps its whole history, so its language and
subject are never half forgotten). N comes from `--older-than-days`, else
`HUBGUIDE_RETENTION_DAYS`. The store is the one the Rasa server uses: the `tracker_store` of
`endpoints.yml` (or `--endpoints FILE`, e.g. the cluster's, for PostgreSQL), read with Rasa's
own reader, so `${HUBGUIDE_TRACKER_DB}` and the other variables mean the same as for Rasa;
`--url` names a database (SQLAlchemy URL or a SQLite file) directly.

The same period applies to the web chat's votes on answers and the staff analytics' handled
marks (`knowledge.feedback`, in the knowledge base database: HUBGUIDE_DATABASE_URL or
`--database-url`): those cast or made more than N days ago are deleted too.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import MetaData, Table, create_engine, delete, func, inspect, select
from sqlalchemy.engine import URL, Engine

ROOT = Path(__file__).resolve().parent.parent
RETENTION_VARIABLE = "HUBGUIDE_RETENTION_DAYS"
TRACKER_DB_VARIABLE = "HUBGUIDE_TRACKER_DB"
DEFAULT_TRACKER_DB = ROOT / "var" / "conversations.sqlite3"
#: the table of Rasa's SQLTrackerStore (rasa/core/tracker_store.py, `SQLEvent`)
EVENTS_TABLE = "events"
DAY = 86_400.0


class RetentionError(RuntimeError):
    """The command cannot run as asked (no retention set, no SQL tracker store)."""


@dataclass(frozen=True)
class Pruned:
    conversations: int
    events: int
    cutoff: float  # epoch seconds: conversations last active before this were deleted


def retention_days(value: int | None = None) -> int:
    """The days to keep conversations: `value`, else HUBGUIDE_RETENTION_DAYS."""
    if value is None:
        configured = os.environ.get(RETENTION_VARIABLE, "").strip()
        if not configured:
            raise RetentionError(
                f"give --older-than-days N or set {RETENTION_VARIABLE} (days to keep conversations)"
            )
        try:
            value = int(configured)
        except ValueError as error:
            raise RetentionError(
                f"{RETENTION_VARIABLE} must be a whole number of days, not {configured!r}"
            ) from error
    if value < 1:
        raise RetentionError("conversations are kept at least 1 day")
    return value


#: the tracker store types that keep conversations in SQL (Rasa's, and ops/tracker_store.py's)
SQL_STORE_TYPES = frozenset({"sql", "ops.tracker_store.sqlitetunedtrackerstore"})


def _sqlite_url(path: str) -> str:
    file = Path(path)
    return f"sqlite:///{file if file.is_absolute() else ROOT / file}"


def tracker_store_url(endpoints: Path | str = ROOT / "endpoints.yml") -> str | URL:
    """The SQLAlchemy URL of the SQL tracker store that `endpoints` configures for Rasa."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    os.environ.setdefault(TRACKER_DB_VARIABLE, str(DEFAULT_TRACKER_DB))
    if not Path(endpoints).is_file():
        raise RetentionError(f"no endpoints file at {endpoints}")
    try:
        config = read_endpoint_config(str(endpoints), "tracker_store")
    except Exception as error:  # e.g. a ${VARIABLE} it names is not set
        raise RetentionError(f"cannot read {endpoints}: {error}") from error
    if config is None or (config.type or "").lower() not in SQL_STORE_TYPES:
        raise RetentionError(f"{endpoints} configures no SQL tracker store (type: SQL)")
    options = config.kwargs
    dialect = options.get("dialect", "sqlite")
    if dialect == "sqlite":
        return _sqlite_url(str(options.get("db", "rasa.db")))
    # `login_db` is only where Rasa connects first to create `db`: the events live in `db`.
    return SQLTrackerStore.get_db_url(
        dialect,
        config.url,
        options.get("port"),
        options.get("db", "rasa.db"),
        options.get("username"),
        options.get("password"),
        None,
        options.get("query"),
    )


def engine_for(url: str | URL) -> Engine:
    if isinstance(url, str) and "://" not in url:  # a SQLite file
        url = _sqlite_url(url)
    return create_engine(url, future=True)


def prune(engine: Engine, days: int, *, now: float | None = None, dry_run: bool = False) -> Pruned:
    """Delete the conversations whose last event is older than `days` days."""
    cutoff = (time.time() if now is None else now) - days * DAY
    if not inspect(engine).has_table(EVENTS_TABLE):  # Rasa has not saved a conversation yet
        return Pruned(0, 0, cutoff)
    events = Table(EVENTS_TABLE, MetaData(), autoload_with=engine)
    stale = (
        select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(func.max(events.c.timestamp) < cutoff)
    )
    with engine.begin() as conn:
        conversations = conn.execute(select(func.count()).select_from(stale.subquery())).scalar()
        doomed = conn.execute(
            select(func.count()).where(events.c.sender_id.in_(stale.scalar_subquery()))
        ).scalar()
        if not dry_run and conversations:
            conn.execute(delete(events).where(events.c.sender_id.in_(stale.scalar_subquery())))
    return Pruned(int(conversations or 0), int(doomed or 0), cutoff)


# --------------------------------------------------------------------------- command line
def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``conversations prune`` on the ``hubguide`` parser."""
    conversations = sub.add_parser("conversations", help="conversations kept by the Rasa server")
    commands = conversations.add_subparsers(dest="conversations_command", required=True)
    p = commands.add_parser(
        "prune", help="delete conversations whose last message is older than N days"
    )
    p.add_argument(
        "--older-than-days",
        type=int,
        metavar="N",
        help=f"days to keep a conversation after its last event (default: ${RETENTION_VARIABLE})",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--endpoints",
        default=str(ROOT / "endpoints.yml"),
        help="the Rasa endpoints file whose tracker_store to prune (default: endpoints.yml)",
    )
    where.add_argument("--url", help="the tracker database: a SQLAlchemy URL or a SQLite file")
    p.add_argument(
        "--database-url",
        help="the knowledge base database whose votes and handled marks to prune "
        "(default: $HUBGUIDE_DATABASE_URL)",
    )
    p.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    p.set_defaults(func=cmd_prune)
    return conversations


def cmd_prune(args: argparse.Namespace) -> int:
    try:
        days = retention_days(args.older_than_days)
        url = args.url or tracker_store_url(args.endpoints)
    except RetentionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    engine = engine_for(url)
    try:
        result = prune(engine, days, dry_run=args.dry_run)
    finally:
        engine.dispose()
    before = datetime.fromtimestamp(result.cutoff, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    verb = "would delete" if args.dry_run else "deleted"
    print(
        f"{verb} {result.conversations} conversation(s), {result.events} event(s), "
        f"last active before {before} (kept: {days} days)"
    )
    votes, marks = prune_feedback(args.database_url, days, dry_run=args.dry_run)
    print(f"{verb} {votes} vote(s) and {marks} handled mark(s) older than {days} days")
    return 0


def prune_feedback(
    database_url: str | None, days: int, *, dry_run: bool = False
) -> tuple[int, int]:
    """The web chat's votes and the analytics' handled marks (knowledge base database,
    HUBGUIDE_DATABASE_URL) older than the same period: they quote the conversations."""
    from knowledge import feedback
    from knowledge.db import make_engine

    engine = make_engine(database_url)
    try:
        if not inspect(engine).has_table(feedback.votes.name):  # schema before migration 0007
            return 0, 0
        with engine.begin() as conn:
            pruned = feedback.prune(conn, days, dry_run=dry_run)
    finally:
        engine.dispose()
    return pruned.votes, pruned.handled
