"""Calls to a provider's send API: aiohttp (nothing blocks the event loop), retried with a
bounded back-off on 429 and 5xx, as Telegram's and Meta's documentation ask.

A message that still fails after the last attempt is logged and dropped: the conversation goes
on, and the provider's own error is in the log.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

ATTEMPTS = 4
FIRST_DELAY = 0.5  # seconds; doubled after each failure
MAX_DELAY = 8.0  # the longest wait, also for a provider's Retry-After
TIMEOUT = aiohttp.ClientTimeout(total=15)


def _retry_after(response: aiohttp.ClientResponse, body: Any) -> float | None:
    header = response.headers.get("Retry-After")
    if header and header.strip().isdigit():
        return float(header)
    if isinstance(body, dict):  # Telegram: {"parameters": {"retry_after": 3}}
        seconds = (body.get("parameters") or {}).get("retry_after")
        if isinstance(seconds, (int, float)):
            return float(seconds)
    return None


class ProviderClient:
    """One aiohttp session per channel, made on first use inside the server's event loop."""

    def __init__(self, name: str, *, attempts: int = ATTEMPTS, first_delay: float = FIRST_DELAY):
        self.name = name
        self.attempts, self.first_delay = attempts, first_delay
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        return self._session

    async def request(
        self,
        method: str,
        url: str,
        *,
        json: dict | None = None,
        params: dict | None = None,
        headers: dict | None = None,
        refusal_level: int = logging.ERROR,
    ) -> dict | None:
        """The provider's JSON answer, or None when it refused or stayed unavailable (a refusal
        is logged at ``refusal_level``: lower it for a call that may be refused by design)."""
        delay = self.first_delay
        for attempt in range(1, self.attempts + 1):
            wait: float | None = None
            try:
                async with self._client().request(
                    method, url, json=json, params=params, headers=headers
                ) as response:
                    try:
                        body = await response.json(content_type=None)
                    except ValueError:
                        body = None
                    if response.status < 300:
                        return body if isinstance(body, dict) else {}
                    if response.status != 429 and response.status < 500:
                        logger.error("%s refused a call (%s): %s", self.name, response.status, body)
                        return None
                    wait = _retry_after(response, body)
                    reason = f"HTTP {response.status}"
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                reason = f"{type(error).__name__}: {error}"
            if attempt == self.attempts:
                logger.error("%s unavailable after %d attempts (%s).", self.name, attempt, reason)
                return None
            pause = min(MAX_DELAY, wait if wait is not None else delay * (1 + random.random() / 4))
            logger.warning("%s: %s, retrying in %.1f s.", self.name, reason, pause)
            await asyncio.sleep(pause)
            delay *= 2
        return None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
