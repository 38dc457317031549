"""Round trips through Rasa's REST channel: one after another, and 20 conversations at once.

Loopback only, every loop bounded by a message count and a time limit.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import aiohttp

from bench.stats import summarise_latencies

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=30)


@dataclass
class Tally:
    """Round-trip times of the successful exchanges, and what went wrong with the others."""

    seconds: list[float] = field(default_factory=list)
    items: list[int] = field(default_factory=list)  # index of the text of each entry of seconds
    senders: list[str] = field(default_factory=list)
    empty: int = 0
    failed: int = 0

    def summary(self) -> dict:
        out = summarise_latencies(self.seconds) if self.seconds else {"count": 0}
        out.update({"empty_replies": self.empty, "failed": self.failed})
        return out

    def slowest(self, texts: Sequence[str], count: int = 5) -> list[dict]:
        """The slowest exchanges, with their text: where to look first."""
        ranked = sorted(zip(self.seconds, self.items, strict=True), reverse=True)[:count]
        return [{"text": texts[item], "ms": seconds * 1000.0} for seconds, item in ranked]

    def by_group(self, group_of_item: Sequence[str]) -> dict[str, dict]:
        """p50/p95 per group (e.g. language) of the texts sent."""
        groups: dict[str, list[float]] = {}
        for item, seconds in zip(self.items, self.seconds, strict=True):
            groups.setdefault(group_of_item[item], []).append(seconds)
        return {name: summarise_latencies(values) for name, values in groups.items()}


async def _exchange(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, tally: Tally, item: int = -1
):
    start = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None)
            ok = response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        tally.failed += 1
        return
    elapsed = time.perf_counter() - start
    if not ok or not isinstance(body, list):
        tally.failed += 1
    else:
        tally.empty += not body
        tally.seconds.append(elapsed)
        tally.items.append(item)
    tally.senders.append(sender)


def run_id() -> str:
    """A short prefix that keeps sender ids of different phases and runs apart."""
    return uuid.uuid4().hex[:8]


async def serial(
    url: str,
    texts: Sequence[str],
    count: int,
    *,
    time_limit: float,
    on_progress: Callable[[int], None] | None = None,
    tally: Tally | None = None,
    offset: int = 0,
) -> Tally:
    """`count` messages one after another, each from a new sender (one-turn trackers).

    `offset` continues the cycle through `texts` where an earlier block stopped, and `tally`
    collects several blocks (the bots are measured in alternating blocks).
    """
    tally = tally if tally is not None else Tally()
    prefix = run_id()
    deadline = time.perf_counter() + time_limit
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        for index in range(count):
            if time.perf_counter() > deadline:
                break
            item = (offset + index) % len(texts)
            await _exchange(session, url, f"bench-{prefix}-s{index}", texts[item], tally, item)
            if on_progress and (index + 1) % 50 == 0:
                on_progress(index + 1)
    return tally


async def parse_only(url: str, texts: Sequence[str], count: int, *, time_limit: float) -> dict:
    """Round trips of /model/parse (NLU alone): the share of a reply spent understanding."""
    seconds: list[float] = []
    failed = 0
    deadline = time.perf_counter() + time_limit
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        for index in range(count):
            if time.perf_counter() > deadline:
                break
            start = time.perf_counter()
            try:
                async with session.post(url, json={"text": texts[index % len(texts)]}) as response:
                    await response.read()
                    ok = response.status == 200
            except (aiohttp.ClientError, asyncio.TimeoutError):
                ok = False
            if ok:
                seconds.append(time.perf_counter() - start)
            else:
                failed += 1
    out = summarise_latencies(seconds) if seconds else {"count": 0}
    out["failed"] = failed
    return out


async def concurrent(
    url: str,
    texts: Sequence[str],
    *,
    conversations: int,
    per_conversation: int,
    time_limit: float,
) -> dict:
    """`conversations` senders talking at once, each sending its messages one after another.

    Returns messages per second over the wall time of the whole burst.
    """
    tally = Tally()
    prefix = run_id()
    deadline = time.perf_counter() + time_limit
    connector = aiohttp.TCPConnector(limit=conversations)

    async def conversation(number: int, session: aiohttp.ClientSession) -> None:
        sender = f"bench-{prefix}-c{number}"
        for turn in range(per_conversation):
            if time.perf_counter() > deadline:
                return
            item = (number * per_conversation + turn) % len(texts)
            await _exchange(session, url, sender, texts[item], tally, item)

    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT, connector=connector) as session:
        start = time.perf_counter()
        await asyncio.gather(*(conversation(n, session) for n in range(conversations)))
        wall = time.perf_counter() - start
    done = len(tally.seconds)
    summary = tally.summary()
    summary.update(
        {
            "conversations": conversations,
            "wall_s": wall,
            "messages_per_s": done / wall if wall > 0 else 0.0,
        }
    )
    return summary


async def actions_run(base_url: str, senders: Sequence[str], *, limit: int = 100) -> dict:
    """How many of these conversations ran a custom action (the tracker's action events).

    Custom actions are those whose name starts with "action_" and is not one of Rasa's own
    (action_listen, action_session_start, ...); read from /conversations/<id>/tracker.
    """
    builtin = {
        "action_listen",
        "action_session_start",
        "action_restart",
        "action_default_fallback",
        "action_deactivate_loop",
        "action_revert_fallback_events",
        "action_default_ask_affirmation",
        "action_default_ask_rephrase",
        "action_back",
        "action_two_stage_fallback",
        "action_unlikely_intent",
        "action_extract_slots",
    }
    checked = ran = 0
    names: dict[str, int] = {}
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        for sender in list(dict.fromkeys(senders))[:limit]:
            async with session.get(f"{base_url}/conversations/{sender}/tracker") as response:
                if response.status != 200:
                    continue
                tracker = await response.json()
            checked += 1
            custom = [
                e["name"]
                for e in tracker.get("events", [])
                if e.get("event") == "action"
                and str(e.get("name", "")).startswith("action_")
                and e["name"] not in builtin
            ]
            ran += bool(custom)
            for name in custom:
                names[name] = names.get(name, 0) + 1
    return {"checked": checked, "ran_custom_action": ran, "actions": names}
