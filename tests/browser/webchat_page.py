"""Drives the chat widget in a page the way a person does: keyboard first."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

STORAGE_PREFIX = "hubguide-webchat:v1:"
REPLY_TIMEOUT_MS = int(os.environ.get("HUBGUIDE_BROWSER_REPLY_TIMEOUT_MS", "60000"))


@dataclass(frozen=True)
class Bubble:
    author: str
    text: str
    dir: str


class ChatPage:
    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.host = page.locator("#hubguide-webchat")
        # Playwright's CSS engine pierces the widget's open shadow root.
        self.launcher = page.locator(".hg-launcher")
        self.panel = page.get_by_role("dialog")
        self.log = page.get_by_role("log")
        self.input = page.locator("textarea.hg-input")
        self.typing = page.locator(".hg-typing")
        self.status = page.locator(".hg-status")
        self.new_conversation = page.locator("button.hg-new")

    def goto(self) -> ChatPage:
        self.page.goto(f"{self.base_url}/")
        expect(self.launcher.or_(self.panel)).to_be_visible()
        return self

    def messages(self, author: str | None = None) -> Locator:
        selector = f'[data-author="{author}"]' if author else "[data-author]"
        return self.log.locator(selector)

    def bubbles(self) -> list[Bubble]:
        rows = self.messages().evaluate_all(
            """items => items.map(item => {
                 const bubble = item.querySelector('.hg-bubble');
                 return [item.dataset.author, bubble ? bubble.textContent : '',
                         bubble ? bubble.getAttribute('dir') : ''];
               })"""
        )
        return [Bubble(author=a, text=t, dir=d) for a, t, d in rows]

    def bot_texts(self) -> list[str]:
        return [b.text for b in self.bubbles() if b.author == "bot"]

    def focused(self, locator: Locator) -> bool:
        return locator.evaluate("el => el.getRootNode().activeElement === el")

    def open_with_keyboard(self) -> None:
        """Tabs from the top of the page to the launcher and presses Enter."""
        self.page.locator("body").focus()
        for _ in range(40):
            self.page.keyboard.press("Tab")
            if self.focused(self.launcher):
                break
        else:
            raise AssertionError("the chat launcher cannot be reached with the Tab key")
        self.page.keyboard.press("Enter")
        expect(self.panel).to_be_visible()
        assert self.focused(self.input), "opening the chat should put the cursor in the input"

    def send(self, text: str) -> list[str]:
        """Types `text`, presses Enter; returns the bot's complete reply (one or more bubbles)."""
        before = self.messages("bot").count()
        self.input.focus()
        self.page.keyboard.type(text)
        self.watch_typing_indicator()
        self.page.keyboard.press("Enter")
        expect(self.messages("user").last).to_contain_text(text.strip()[:40])
        reply = self.wait_for_reply(before)
        assert self.page.evaluate("() => window.__hgTypingShown"), "no typing indicator"
        return reply

    def watch_typing_indicator(self) -> None:
        """Records in the page whether the typing indicator appears (it may be brief)."""
        self.typing.evaluate(
            """el => {
                 window.__hgTypingShown = false;
                 const seen = new MutationObserver(() => {
                   if (!el.hidden) { window.__hgTypingShown = true; seen.disconnect(); }
                 });
                 seen.observe(el, { attributes: true, attributeFilter: ["hidden"] });
               }"""
        )

    def wait_for_reply(self, bot_count_before: int) -> list[str]:
        """Waits for at least one new bot message and for the typing indicator to go away."""
        expect(self.messages("bot")).not_to_have_count(bot_count_before, timeout=REPLY_TIMEOUT_MS)
        expect(self.typing).to_be_hidden(timeout=REPLY_TIMEOUT_MS)
        return self.bot_texts()[bot_count_before:]

    def session_id(self) -> str:
        raw = self.page.evaluate(
            """prefix => {
                 for (let i = 0; i < localStorage.length; i++) {
                   const k = localStorage.key(i);
                   if (k.startsWith(prefix)) return localStorage.getItem(k);
                 }
                 return null;
               }""",
            STORAGE_PREFIX,
        )
        assert raw, "the widget keeps its session in localStorage"
        return json.loads(raw)["sessionId"]


def tracker_events(rasa_url: str, session_id: str, token: str = "") -> list[dict]:
    """The events Rasa recorded for this session (HTTP API, with its token)."""
    import urllib.request

    url = f"{rasa_url}/conversations/{session_id}/tracker?token={token}"
    with urllib.request.urlopen(url) as response:
        return json.loads(response.read())["events"]


def tracker_user_events(
    rasa_url: str, session_id: str, token: str = "", timeout: float = 10.0
) -> list[dict]:
    """The user events Rasa recorded for this session (HTTP API, `rasa run --enable-api`)."""
    deadline = time.monotonic() + timeout
    while True:
        events = tracker_events(rasa_url, session_id, token)
        users = [e for e in events if e.get("event") == "user"]
        if users or time.monotonic() > deadline:
            return users
        time.sleep(0.5)
