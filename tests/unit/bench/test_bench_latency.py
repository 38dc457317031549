"""The REST-channel load loops against a tiny local aiohttp server (loopback only)."""

import pytest
from aiohttp import web

from bench import latency


@pytest.fixture
async def rest_url():
    seen: list[dict] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append(body)
        if body["message"] == "silence":
            return web.json_response([])
        if body["message"] == "boom":
            return web.json_response({"error": "x"}, status=500)
        return web.json_response([{"recipient_id": body["sender"], "text": body["message"]}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/webhooks/rest/webhook", seen
    await runner.cleanup()


async def test_serial_blocks_continue_the_cycle_and_count_empty_and_failed(rest_url):
    url, seen = rest_url
    texts = ["a", "silence", "boom", "b"]
    tally = await latency.serial(url, texts, 3, time_limit=10)
    await latency.serial(url, texts, 3, time_limit=10, tally=tally, offset=3)
    assert [m["message"] for m in seen] == ["a", "silence", "boom", "b", "a", "silence"]
    assert len({m["sender"] for m in seen}) == 6  # a new sender per message
    assert tally.items == [0, 1, 3, 0, 1]  # "boom" failed: no time recorded
    summary = tally.summary()
    assert (summary["count"], summary["empty_replies"], summary["failed"]) == (5, 2, 1)
    assert set(tally.by_group(["x", "y", "z", "x"])) == {"x", "y"}
    assert {s["text"] for s in tally.slowest(texts, count=10)} == {"a", "silence", "b"}


async def test_concurrent_conversations_keep_one_sender_each(rest_url):
    url, seen = rest_url
    result = await latency.concurrent(
        url, ["a", "b", "c"], conversations=4, per_conversation=3, time_limit=10
    )
    assert result["count"] == 12 and result["failed"] == 0
    assert result["messages_per_s"] > 0
    assert len({m["sender"] for m in seen}) == 4


async def test_loops_stop_at_their_time_limit(rest_url):
    url, seen = rest_url
    tally = await latency.serial(url, ["a"], 1000, time_limit=0)
    assert tally.summary()["count"] == 0 and not seen
