"""The atomic Redis lock store (ops/lock_store.py) against the real Redis on 127.0.0.1:6379: two
store instances stand for two Rasa replicas, hammering the same conversation from two threads.
Skips with the reason when Redis does not answer."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid

import pytest

REDIS = ("127.0.0.1", 6379)


def _redis_reason() -> str | None:
    try:
        with socket.create_connection(REDIS, timeout=2):
            return None
    except OSError as error:
        return f"Redis on {REDIS[0]}:{REDIS[1]} not reachable: {error}"


@pytest.fixture
def stores():
    reason = _redis_reason()
    if reason:
        pytest.skip(reason)
    from ops.lock_store import AtomicRedisLockStore

    prefix = f"hubguidetest{uuid.uuid4().hex[:10]}"
    replicas = [
        AtomicRedisLockStore(host=REDIS[0], port=REDIS[1], db=0, key_prefix=prefix)
        for _ in range(2)
    ]
    yield replicas
    keys = list(replicas[0].red.scan_iter(f"{prefix}:*"))
    if keys:
        replicas[0].red.delete(*keys)
    for store in replicas:
        store.red.close()


def test_tickets_issued_at_once_by_two_replicas_are_all_different(stores) -> None:
    conversation = f"c-{uuid.uuid4().hex[:8]}"
    issued: list[int] = []
    barrier = threading.Barrier(2)

    def issue(store) -> None:
        barrier.wait()
        for _ in range(150):
            issued.append(store.issue_ticket(conversation, 30))

    threads = [threading.Thread(target=issue, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(issued) == 300
    assert len(set(issued)) == 300, "two replicas were given the same ticket"
    lock = stores[0].get_lock(conversation)
    assert [ticket.number for ticket in lock.tickets] == sorted(issued)


def test_only_one_replica_at_a_time_inside_a_conversation_lock(stores) -> None:
    """Each turn reads a counter, waits a little and writes it back, as a replica reads and
    saves a tracker: with the lock held, no increment is lost and no two turns overlap."""
    conversation = f"c-{uuid.uuid4().hex[:8]}"
    state = {"counter": 0, "inside": 0, "most_inside": 0}
    turns_per_replica = 12

    async def turn(store) -> None:
        async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.005):
            state["inside"] += 1
            state["most_inside"] = max(state["most_inside"], state["inside"])
            value = state["counter"]
            await asyncio.sleep(0.003)
            time.sleep(0.002)  # the other thread may run here
            state["counter"] = value + 1
            state["inside"] -= 1

    def replica(store) -> None:
        async def run() -> None:
            await asyncio.gather(*(turn(store) for _ in range(turns_per_replica)))

        asyncio.run(run())

    threads = [threading.Thread(target=replica, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert state["most_inside"] == 1
    assert state["counter"] == 2 * turns_per_replica
    # Nobody waits any more: the lock is gone, not left behind for the next conversation turn.
    assert stores[0].get_lock(conversation) is None


def test_the_lock_key_expires_with_its_last_ticket(stores) -> None:
    """A replica killed while it holds a lock leaves the key for at most the lock lifetime."""
    store = stores[0]
    conversation = f"c-{uuid.uuid4().hex[:8]}"
    store.issue_ticket(conversation, 2)
    ttl_ms = store.red.pttl(store.key_prefix + conversation)
    assert 0 < ttl_ms <= 3500
