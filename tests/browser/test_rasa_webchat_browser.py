"""rasa-webchat 1.0.1 (npm), the widget of Rasa's demo bots, on the page /rasa-webchat beside
the project's own widget: it connects, its init payload is answered as a greeting in the
browser's language (its customData), and questions get answers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.webchat_page import tracker_user_events

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = {
    "fr-FR": ("fr", "Qu'est-ce que vous pouvez faire pour moi ?"),
    "ar": ("ar", "ما الذي يمكنك مساعدتي فيه؟"),
}


def response(name: str, lang: str) -> str:
    domain = yaml.safe_load((ROOT / "bot/domain/responses/smalltalk.yml").read_text())
    for variation in domain["responses"][name]:
        if any(c["value"] == lang for c in variation.get("condition") or []):
            return variation["text"]
    raise KeyError(name)


@pytest.mark.parametrize("locale", sorted(QUESTIONS))
def test_rasa_webchat_greets_and_answers_in_the_browsers_language(
    new_browser, webchat_server, chat_backend, screenshots, locale
):
    if chat_backend.profile != "hubguide":
        pytest.skip("HubGuide's greeting and languages are expected")
    lang, question = QUESTIONS[locale]
    page = new_browser(locale).new_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(f"{webchat_server.url}/rasa-webchat")
    page.locator(".rw-launcher").click()
    replies = page.locator(".rw-response")
    # The init payload (/get_started) is answered with the greeting, in the hinted language.
    expect(replies.first).to_have_text(response("utter_greet", lang), timeout=60_000)
    screenshots(page, "greeting")
    page.locator(".rw-new-message").fill(question)
    page.locator(".rw-new-message").press("Enter")
    expect(replies.nth(1)).to_have_text(response("utter_what_can_you_do", lang), timeout=60_000)
    screenshots(page, "answer")
    session = page.evaluate("JSON.parse(localStorage.getItem('chat_session')).session_id")
    events = tracker_user_events(webchat_server.rasa_url, session, webchat_server.token)
    assert events[0]["metadata"]["language"] == locale
    assert events[0]["parse_data"]["intent"]["name"] == "greet"
    allowed = (webchat_server.url, webchat_server.rasa_url, "ws://127.0.0.1", "data:")
    assert not [u for u in urls if not u.startswith(allowed)]
