"""A provider's retry is answered once: in this process, and across replicas through Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from bot.channels.dedupe import SeenMessages
from ops.stack import free_port


async def test_an_id_is_new_only_once() -> None:
    seen = SeenMessages(redis_url="")
    assert await seen.first_time("telegram:1:10")
    assert not await seen.first_time("telegram:1:10")
    assert await seen.first_time("telegram:1:11")


async def test_memory_is_bounded_and_ids_expire() -> None:
    seen = SeenMessages(size=2, redis_url="")
    for key in ("a", "b", "c"):
        assert await seen.first_time(key)
    assert await seen.first_time("a")  # forgotten: the oldest of three in a memory of two
    short = SeenMessages(ttl=0.05, redis_url="")
    assert await short.first_time("x")
    time.sleep(0.1)
    assert await short.first_time("x")


async def test_unreachable_redis_does_not_drop_messages() -> None:
    seen = SeenMessages(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    assert await seen.first_time("m1")
    assert not await seen.first_time("m1")
    await seen.close()


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


async def test_two_replicas_share_what_they_saw_through_redis(redis_url) -> None:
    first, second = SeenMessages(redis_url=redis_url), SeenMessages(redis_url=redis_url)
    assert await first.first_time("whatsapp:wamid.1")
    assert not await second.first_time("whatsapp:wamid.1")  # the retry reached the other one
    assert await second.first_time("whatsapp:wamid.2")
    await first.close()
    await second.close()
