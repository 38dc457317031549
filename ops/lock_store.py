"""A Redis lock store whose tickets are issued atomically, for Rasa replicas sharing Redis.

Rasa 3.6's `RedisLockStore` reads a conversation's lock, adds a ticket and writes it back in
three separate steps (RasaHQ/rasa#9213; the fix was reverted from Rasa Open Source). Two
replicas receiving messages of one conversation at the same moment can both read the same lock,
both get the same ticket number and both go ahead: the conversation is then processed twice at
once and its events interleave. Here every read-modify-write of a lock (issuing a ticket,
finishing one, dropping expired ones) is one Redis transaction (WATCH/MULTI/EXEC, retried when
another replica changed the lock in between), and the lock key expires with its last ticket, so
a replica killed while holding a lock leaves nothing behind for longer than the lock lifetime.

Same configuration as Rasa's `type: redis` (host, port, db, password, key_prefix, …):

    lock_store:
      type: ops.lock_store.AtomicRedisLockStore
      url: 127.0.0.1
      port: 6379
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

_UNCHANGED = object()


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` with atomic ticket operations (see the module's docstring)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], Any]) -> Any:
        """Runs `change(lock)` on the stored lock inside one transaction; `change` edits the lock
        in place and returns `(lock or None to delete it or _UNCHANGED, result)`."""
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> Any:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new_lock, result = change(lock)
            pipe.multi()
            if new_lock is None:
                if raw is not None:
                    pipe.delete(key)
            elif new_lock is not _UNCHANGED:
                pipe.set(key, new_lock.dumps(), px=_time_to_live_ms(new_lock))
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # the base class's contract: a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[object, None]:
            if lock is None:
                return _UNCHANGED, None
            lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[object, None]:
            if lock is None:
                return _UNCHANGED, None
            lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finishes the ticket and deletes the lock when nobody waits, in one transaction (two
        steps in Rasa: a ticket issued in between was deleted with the lock)."""

        def finish(lock: TicketLock | None) -> tuple[object, None]:
            if lock is None:
                return _UNCHANGED, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)


def _time_to_live_ms(lock: TicketLock) -> int:
    """Until the last ticket expires (a lock without tickets: one lock lifetime)."""
    expires = max((ticket.expires for ticket in lock.tickets), default=time.time() + LOCK_LIFETIME)
    return max(1000, math.ceil((expires - time.time()) * 1000) + 1000)
