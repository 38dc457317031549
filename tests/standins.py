"""Local stand-ins for the messaging providers' send APIs (Telegram Bot API, Meta Graph API),
for the channel tests: aiohttp on a free loopback port in a thread of the test process.

Each records what the bot sent and answers like the provider: its JSON on success, 401 for a
wrong token, and, when told to, a 429 (with Retry-After) or a 5xx for the next calls, so the
channels' retries are exercised.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ops.stack import free_port


@dataclass
class Call:
    method: str
    path: str
    body: Any
    status: int  # what the stand-in answered


@dataclass
class StandIn:
    """One provider's API. ``token``: what its Authorization (or Telegram URL) must carry."""

    kind: str  # "telegram" or "graph"
    token: str
    profiles: dict[str, dict] = field(default_factory=dict)  # Graph: id -> profile fields
    port: int = field(default_factory=free_port)
    calls: list[Call] = field(default_factory=list)
    _failures: list[tuple[int, dict]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail_next(self, *statuses: int, retry_after: int | None = None) -> None:
        """The next calls answer these statuses, in order (then success again)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self._lock:
            self._failures.extend((status, headers) for status in statuses)

    def sent(self, predicate: Callable[[Call], bool] = lambda call: True) -> list[Call]:
        """Successful calls so far that match."""
        with self._lock:
            return [c for c in self.calls if c.status == 200 and predicate(c)]

    def wait_for(
        self, predicate: Callable[[Call], bool], count: int = 1, timeout: float = 30.0
    ) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sent(predicate)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(
            f"{self.kind} stand-in: {count} matching call(s) not received; got {self.calls}"
        )

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        path = request.path
        authorised = (
            path.startswith(f"/bot{self.token}/")
            if self.kind == "telegram"
            else request.headers.get("Authorization") == f"Bearer {self.token}"
        )
        with self._lock:
            failure = self._failures.pop(0) if authorised and self._failures else None
            status = 401 if not authorised else failure[0] if failure else 200
            self.calls.append(Call(request.method, path, body, status))
            number = len(self.calls)
        if status == 401:
            return web.json_response({"ok": False, "error_code": 401}, status=401)
        if failure is not None:
            error = {"ok": False, "error_code": status, "description": "stand-in failure"}
            return web.json_response(error, status=status, headers=failure[1])
        if self.kind == "telegram":
            return web.json_response({"ok": True, "result": {"message_id": number}})
        if request.method == "GET":  # a profile
            profile_id = path.rstrip("/").rsplit("/", 1)[-1]
            return web.json_response({"id": profile_id, **self.profiles.get(profile_id, {})})
        return web.json_response({"recipient_id": "x", "message_id": f"m.{number}"})

    def start(self) -> StandIn:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self._handle)
            self._runner = web.AppRunner(app)
            loop.run_until_complete(self._runner.setup())
            loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name=f"{self.kind}-stand-in", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"{self.kind} stand-in did not start")
        return self

    def stop(self) -> None:
        """Stops the server (again: nothing)."""
        loop, self._loop = self._loop, None
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)
