"""The action server's one door to the knowledge base.

Actions import `knowledge.query.KnowledgeBase` only through here: one instance per process
(its name index is cached inside and rebuilt when staff save), and every storage failure is
turned into `KnowledgeBaseUnavailable`, which the actions answer with an apology.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.exc import SQLAlchemyError

from knowledge.query import KnowledgeBase

# Only storage failures: a bug elsewhere must not be disguised as an outage.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, ConnectionError)


class KnowledgeBaseUnavailable(RuntimeError):
    """The database could not be reached or read."""


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The process-wide knowledge base, configured by `HUBGUIDE_DATABASE_URL`."""
    return KnowledgeBase.from_env()
