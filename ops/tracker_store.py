"""Rasa's SQL tracker store, with SQLite set up for a chat's many small writes.

Every message commits its events. In SQLite's default mode (rollback journal, full sync) each
commit waits for the disk twice, which took about a sixth of the Rasa server's time per
message. In write-ahead-log mode with `synchronous=NORMAL` a commit is durable once the process
has written it: nothing is lost when a process crashes or is killed; only a power cut or a
kernel crash can undo the last commits (never corrupt the file). Readers no longer wait for a
writer either. PostgreSQL and any other database are used exactly as Rasa does.

endpoints.yml: `tracker_store: {type: ops.tracker_store.SQLiteTunedTrackerStore, dialect: sqlite,
db: …}`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
import sqlalchemy.pool
from rasa.core.tracker_store import SQLTrackerStore

#: statements run on every new SQLite connection (WAL mode itself is kept in the file)
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
#: connections kept open (sessions of concurrent messages each take one)
POOL_SIZE = 4


def _tune(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


class SQLiteTunedTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore`; on SQLite, every connection in WAL mode with normal syncing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name != "sqlite":
            return
        # SQLAlchemy 1.4 opens and closes a file database's connection per session; closing
        # the last one checkpoints the log (a sync per message again). A small pool keeps them.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url,
            poolclass=sa.pool.QueuePool,
            pool_size=POOL_SIZE,
            connect_args={"check_same_thread": False},
        )
        sa.event.listen(self.engine, "connect", _tune)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
