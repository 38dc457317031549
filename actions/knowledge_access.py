"""The action server's one door to the knowledge base.

Actions import `knowledge.query.KnowledgeBase` only through here: one instance per process
(its name index is cached inside and rebuilt when staff save), and every storage failure is
turned into `KnowledgeBaseUnavailable`, which the actions answer with an apology.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.exc import SQLAlchemyError

from knowledge import migrate
from knowledge.query import KnowledgeBase


class KnowledgeBaseUnavailable(RuntimeError):
    """The database could not be reached or opened."""


# Only storage failures: a bug elsewhere must not be disguised as an outage.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, KnowledgeBaseUnavailable)


def knowledge_base() -> KnowledgeBase:
    """The process-wide knowledge base, configured by `HUBGUIDE_DATABASE_URL`.

    Not cached while it cannot be opened, so the next message tries again.
    """
    try:
        return _open()
    except OSError as error:  # e.g. the SQLite file's folder cannot be created
        raise KnowledgeBaseUnavailable(str(error)) from error


@lru_cache(maxsize=1)
def _open() -> KnowledgeBase:
    """The knowledge base, without migrating it: the schema is changed by `hubguide kb migrate`
    or an import, never behind the staff's back by a server start."""
    kb = KnowledgeBase(None, migrate_schema=False)
    if not migrate.is_current(kb.engine):
        raise KnowledgeBaseUnavailable(
            "the knowledge base schema is not current: run `hubguide kb migrate` "
            "(or `hubguide kb import`)"
        )
    return kb


def forget_knowledge_base() -> None:
    """Drop the cached instance (tests switch databases between cases)."""
    _open.cache_clear()
