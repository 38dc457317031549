"""Sends retried with a bounded back-off on 429 and 5xx, against a local stand-in."""

from __future__ import annotations

import time

import pytest

from bot.channels.provider import ProviderClient
from tests.standins import StandIn

TOKEN = "42:token"


@pytest.fixture
def telegram():
    stand_in = StandIn("telegram", TOKEN).start()
    yield stand_in
    stand_in.stop()


async def test_429_and_503_are_retried(telegram) -> None:
    telegram.fail_next(429, 503, retry_after=0)
    client = ProviderClient("Telegram", first_delay=0.01)
    answer = await client.request("POST", f"{telegram.url}/bot{TOKEN}/sendMessage", json={"a": 1})
    await client.close()
    assert answer == {"ok": True, "result": {"message_id": 3}}
    assert [call.status for call in telegram.calls] == [429, 503, 200]


async def test_the_providers_retry_after_is_waited_for(telegram) -> None:
    telegram.fail_next(429, retry_after=1)
    client = ProviderClient("Telegram", first_delay=0.01)
    started = time.monotonic()
    assert await client.request("POST", f"{telegram.url}/bot{TOKEN}/sendMessage", json={})
    await client.close()
    assert time.monotonic() - started >= 0.9


async def test_retries_are_bounded(telegram) -> None:
    telegram.fail_next(500, 502, 503, 504, 500)
    client = ProviderClient("Telegram", attempts=4, first_delay=0.01)
    answer = await client.request("POST", f"{telegram.url}/bot{TOKEN}/sendMessage", json={})
    await client.close()
    assert answer is None
    assert [call.status for call in telegram.calls] == [500, 502, 503, 504]


async def test_a_refusal_is_not_retried(telegram) -> None:
    client = ProviderClient("Telegram", first_delay=0.01)
    answer = await client.request("POST", f"{telegram.url}/botWRONG/sendMessage", json={})
    await client.close()
    assert answer is None and [call.status for call in telegram.calls] == [401]


async def test_an_unreachable_provider_gives_up(telegram) -> None:
    telegram.stop()
    client = ProviderClient("Telegram", attempts=2, first_delay=0.01)
    assert await client.request("POST", f"{telegram.url}/bot{TOKEN}/x", json={}) is None
    await client.close()
