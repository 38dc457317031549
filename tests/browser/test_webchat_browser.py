"""The chat widget in real headless Chromium, on the real page, against a real Rasa server."""

from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest

pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]' (playwright)")

from playwright.sync_api import expect  # noqa: E402

from tests.browser.scenarios import PROFILES, Conversation  # noqa: E402
from tests.browser.webchat_page import ChatPage, tracker_events, tracker_user_events  # noqa: E402

pytestmark = pytest.mark.browser

I18N_DIR = Path(__file__).resolve().parents[2] / "webchat" / "src" / "i18n"


def catalogue(code: str) -> dict:
    """The widget's UI strings, read from the one place they live."""
    return json.loads((I18N_DIR / f"{code}.json").read_text(encoding="utf-8"))


def markdown_to_text(text: str) -> str:
    """What a reader sees of a bot text: Markdown links show their label."""
    return re.sub(r"\[([^\]\n]+)\]\(((?:https?:|mailto:|tel:)[^\s()]+)\)", r"\1", text)


def profile(chat_backend):
    return PROFILES[chat_backend.profile]


def open_chat(new_browser, webchat_server, locale: str) -> tuple[object, ChatPage]:
    context = new_browser(locale)
    page = context.new_page()
    chat = ChatPage(page, webchat_server.url).goto()
    return context, chat


def converse(chat: ChatPage, conv: Conversation, shot, prefix: str) -> None:
    chat.open_with_keyboard()
    shot(chat.page, f"{prefix}-opened")
    first = chat.send(conv.first)
    shot(chat.page, f"{prefix}-first-answer")
    conv.expect_first(first)
    follow = chat.send(conv.follow_up)
    shot(chat.page, f"{prefix}-follow-up-answer")
    conv.expect_follow_up(follow)
    if conv.link_href:
        link = chat.messages("bot").locator(f'a[href="{conv.link_href}"]')
        expect(link.first).to_be_visible()


def test_french_conversation_with_follow_up(new_browser, webchat_server, chat_backend, screenshots):
    conv = profile(chat_backend).french
    fr = catalogue("fr")
    _, chat = open_chat(new_browser, webchat_server, conv.locale)
    expect(chat.launcher).to_have_text(fr["openChat"])
    converse(chat, conv, screenshots, "fr")

    # The widget speaks the browser's language and is labelled for assistive technology.
    expect(chat.input).to_have_attribute("aria-label", fr["inputLabel"])
    expect(chat.log).to_have_attribute("role", "log")
    bubbles = chat.bubbles()
    assert {b.author for b in bubbles} == {"user", "bot"}
    assert all(b.dir == "ltr" for b in bubbles), bubbles

    # The locale hint reached Rasa with every message, on the widget's session.
    session = chat.session_id()
    events = tracker_user_events(webchat_server.rasa_url, session, webchat_server.token)
    assert len(events) >= 2, events
    assert all((e.get("metadata") or {}).get("locale") == conv.locale for e in events), events

    # Bot text is shown exactly as the bot wrote it (dates, amounts, line breaks).
    written = [
        markdown_to_text(part.strip())
        for e in tracker_events(webchat_server.rasa_url, session, webchat_server.token)
        if e.get("event") == "bot" and e.get("text")
        for part in e["text"].strip().split("\n\n")
    ]
    shown = [b.text.strip() for b in bubbles if b.author == "bot" and b.text]
    assert shown == written

    # Escape closes the panel and gives the focus back to the launcher.
    chat.page.keyboard.press("Escape")
    expect(chat.panel).to_be_hidden()
    assert chat.focused(chat.launcher)
    screenshots(chat.page, "fr-closed")


def test_arabic_conversation_right_to_left(new_browser, webchat_server, chat_backend, screenshots):
    conv = profile(chat_backend).arabic
    ar = catalogue("ar")
    _, chat = open_chat(new_browser, webchat_server, conv.locale)
    converse(chat, conv, screenshots, "ar")

    expect(chat.input).to_have_attribute("aria-label", ar["inputLabel"])
    expect(chat.page.locator(".hg")).to_have_attribute("dir", "rtl")
    bubbles = chat.bubbles()
    users = [b for b in bubbles if b.author == "user"]
    assert users and all(b.dir == "rtl" for b in users), users
    if conv.bot_dir:
        bots = [b for b in bubbles if b.author == "bot" and b.text]
        assert bots and all(b.dir == conv.bot_dir for b in bots), bots
    # The direction is applied, not just declared.
    first_user = chat.messages("user").first.locator(".hg-bubble")
    assert first_user.evaluate("el => getComputedStyle(el).direction") == "rtl"
    events = tracker_user_events(webchat_server.rasa_url, chat.session_id(), webchat_server.token)
    assert all((e.get("metadata") or {}).get("locale") == "ar" for e in events), events


def test_button_choice_with_keyboard(new_browser, webchat_server, chat_backend, screenshots):
    choice = profile(chat_backend).buttons
    _, chat = open_chat(new_browser, webchat_server, choice.locale)
    chat.open_with_keyboard()
    chat.send(choice.ask)
    buttons = chat.messages("bot").locator("button.hg-choice")
    assert buttons.count() >= choice.min_buttons, chat.bubbles()
    screenshots(chat.page, "choices")

    # Shift+Tab from the input reaches the last choice list; walk to its first button.
    first = buttons.first
    for _ in range(30):
        chat.page.keyboard.press("Shift+Tab")
        if chat.focused(first):
            break
    else:
        raise AssertionError("the choice buttons cannot be reached with the keyboard")
    title = first.inner_text()
    bots_before = chat.messages("bot").count()
    chat.page.keyboard.press("Enter")
    expect(chat.messages("user").last.locator(".hg-bubble")).to_have_text(title)
    reply = chat.wait_for_reply(bots_before)
    screenshots(chat.page, "after-choice")
    choice.expect_choice_reply(title, reply)
    expect(first).to_be_disabled()
    expect(first).to_have_attribute("aria-pressed", "true")
    assert chat.focused(chat.input), "after a choice the keyboard user is back in the input"


def test_reload_keeps_conversation(new_browser, webchat_server, chat_backend, screenshots):
    simple = profile(chat_backend).simple
    _, chat = open_chat(new_browser, webchat_server, "en-GB")
    chat.open_with_keyboard()
    chat.send(simple)
    chat.input.fill("a draft I have not sent")
    before, session = chat.bubbles(), chat.session_id()
    screenshots(chat.page, "before-reload")

    chat.page.reload()
    expect(chat.panel).to_be_visible()
    screenshots(chat.page, "after-reload")
    assert chat.bubbles() == before
    assert chat.session_id() == session
    expect(chat.input).to_have_value("a draft I have not sent")

    # Rasa continues the same conversation: both turns are on one tracker.
    chat.input.fill("")
    chat.send(simple)
    assert len(tracker_user_events(webchat_server.rasa_url, session, webchat_server.token)) >= 2

    # "New conversation" starts afresh, with a new session.
    chat.new_conversation.click()
    expect(chat.messages()).to_have_count(0)
    assert chat.session_id() != session
    chat.send(simple)
    screenshots(chat.page, "new-conversation")
    assert [b.author for b in chat.bubbles()][0] == "user"


def test_markup_is_shown_as_text(new_browser, webchat_server, chat_backend, screenshots):
    context, chat = open_chat(new_browser, webchat_server, "en-GB")
    chat.open_with_keyboard()
    markup = (
        '<img src=x onerror="window.__pwned=1"><b>bold?</b> & <script>window.__pwned=2</script>'
    )
    chat.send(markup)
    screenshots(chat.page, "user-markup")
    user = chat.messages("user").last.locator(".hg-bubble")
    assert user.evaluate("el => el.textContent") == markup
    assert chat.log.locator("img, b, script").count() == 0
    assert chat.page.evaluate("() => window.__pwned") is None

    bot_markup = profile(chat_backend).bot_markup
    if bot_markup:  # a response that contains markup (the stock bot has one)
        message, literal = bot_markup
        reply = chat.send(message)
        screenshots(chat.page, "bot-markup")
        assert any(literal in text for text in reply), reply
        assert chat.log.locator("img, b, script").count() == 0


def test_unreachable_server_retries_and_keeps_messages(
    new_browser, webchat_server, chat_backend, screenshots
):
    en = catalogue("en")
    simple = profile(chat_backend).simple
    context = new_browser("en-GB")
    context.route("**/socket.io/**", lambda route: route.abort())
    page = context.new_page()
    chat = ChatPage(page, webchat_server.url).goto()
    chat.open_with_keyboard()
    expect(chat.status).to_have_text(en["offline"])
    chat.input.type(simple)
    chat.page.keyboard.press("Enter")
    pending = chat.messages("user").last
    expect(pending).to_have_attribute("data-status", "pending")
    screenshots(page, "offline")

    # Even a reload while offline loses nothing.
    page.reload()
    expect(chat.messages("user").last).to_have_attribute("data-status", "pending")

    bots_before = chat.messages("bot").count()
    context.unroute("**/socket.io/**")
    expect(chat.status).to_be_hidden(timeout=30_000)
    chat.wait_for_reply(bots_before)
    expect(chat.messages("user").last).not_to_have_attribute("data-status", "pending")
    screenshots(page, "back-online")
    events = tracker_user_events(webchat_server.rasa_url, chat.session_id(), webchat_server.token)
    assert [e.get("text") for e in events].count(simple) == 1, events


def test_page_loads_nothing_from_elsewhere(new_browser, webchat_server, chat_backend, screenshots):
    context = new_browser("en-GB")
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    chat = ChatPage(page, webchat_server.url).goto()
    chat.open_with_keyboard()
    chat.send(profile(chat_backend).simple)
    screenshots(page, "page")
    allowed = (webchat_server.url, webchat_server.rasa_url, "ws://127.0.0.1", "data:")
    outside = [u for u in urls if not u.startswith(allowed)]
    assert not outside, outside
    assert any(u.startswith(f"{webchat_server.url}/widget.js") for u in urls)


def test_one_script_tag_embeds_the_chat_on_another_site(
    new_browser, webchat_server, chat_backend, screenshots, embed_site_port
):
    """A hub's own page on another origin: the README's one line (and the page's origin in
    HUBGUIDE_ALLOWED_ORIGINS) is all it needs."""
    tag = (
        f'<script src="{webchat_server.url}/widget.js" '
        f'data-server="{webchat_server.rasa_url}"></script>'
    )
    page_html = f"<!doctype html><title>A hub</title><h1>Kontakta oss</h1>{tag}".encode()

    class HubSite(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page_html)

        def log_message(self, *args) -> None:
            pass

    # Another origin than the chat service's, on this machine too: Chromium only lets local
    # pages reach 127.0.0.1 (Local Network Access); a real site talks to a public Rasa.
    site = ThreadingHTTPServer(("127.0.0.1", embed_site_port), HubSite)
    Thread(target=site.serve_forever, daemon=True).start()
    try:
        context = new_browser("sv-SE")
        page = context.new_page()
        page.goto(f"http://localhost:{site.server_address[1]}/contact")
        chat = ChatPage(page, webchat_server.url)
        expect(chat.launcher).to_have_text(catalogue("sv")["openChat"])
        chat.open_with_keyboard()
        reply = chat.send(profile(chat_backend).simple)
        screenshots(page, "other-site")
        assert reply
    finally:
        site.shutdown()
