"""The web chat shows the calendar file the bot offers as a download link."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]' (playwright)")

from playwright.sync_api import expect  # noqa: E402

from actions.journey_words import say  # noqa: E402
from tests.browser.webchat_page import ChatPage  # noqa: E402

pytestmark = pytest.mark.browser


def test_put_it_in_my_calendar_shows_a_download(new_browser, webchat_server, chat_backend):
    if chat_backend.profile != "hubguide":
        pytest.skip("the stock bot has no calendar files")
    page = new_browser("fr-FR").new_page()
    chat = ChatPage(page, webchat_server.url).goto()
    chat.open_with_keyboard()
    chat.send("quelle est la date limite de l'appel à projets clusters au maroc ?")
    chat.send("mets-le dans mon agenda")
    link = chat.messages("bot").locator("a.hg-file")
    expect(link.first).to_be_visible(timeout=15000)
    expect(link.first).to_have_text(say("fr", "calendar_link"))
    href = link.first.get_attribute("href")
    assert href.endswith("/calendar/ma-clusters-2023.ics?lang=fr"), href
    assert link.first.get_attribute("download") is not None
