"""The workspace's Hand-off section in Debian's Chromium against the real servers: an editor of
the responsible hub opens the case a REST conversation handed off, takes it, replies and
closes it, and the user's conversation gets each step; a reviewer reads it without a button.
Screenshots: tests/artifacts/browser/<test name>/."""

from __future__ import annotations

import uuid

import pytest

pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]' (playwright)")

from playwright.sync_api import expect  # noqa: E402

from knowledge import handoff  # noqa: E402
from knowledge.db import make_engine  # noqa: E402
from ops.stack import send  # noqa: E402
from tests.browser.test_staff_browser import log_in  # noqa: E402
from tests.e2e.journeys import fixed, wait_for_bot  # noqa: E402
from tests.staff_stack import staff_stack  # noqa: E402

pytestmark = pytest.mark.browser

ASK = "When is the deadline for the Moroccan clusters call?"
TALK = "I want to talk to someone"
ANSWER = "Hello! Yes, the label is required; send the file before 14 June."


@pytest.fixture(scope="module")
def running(trained_model, tmp_path_factory):
    with staff_stack(trained_model, tmp_path_factory.mktemp("handoff-browser")) as stack:
        yield stack


def test_an_editor_takes_answers_and_closes_a_case_in_the_browser(
    new_browser, running, screenshots
):
    me = f"handoff-browser-{uuid.uuid4().hex[:8]}"
    send(running.stack.rasa_url, me, ASK)
    send(running.stack.rasa_url, me, TALK)
    engine = make_engine(running.database_url)
    try:
        case = handoff.open_case_of(engine, me)
    finally:
        engine.dispose()
    assert case is not None and case.hub_id == "ma-mic"

    reviewer = log_in(new_browser, running, "rex")
    reviewer.goto(f"{running.web_url}/staff/handoff/cases/{case.id}")
    expect(reviewer.locator("#case-read-only")).to_be_visible()
    expect(reviewer.locator("#take")).to_have_count(0)
    screenshots(reviewer, "reviewer-reads")

    page = log_in(new_browser, running, "eve")
    page.click("header nav a[href='/staff/handoff']")
    expect(page.locator("#handoff-waiting")).to_contain_text(f"#{case.id}")
    screenshots(page, "queue")
    page.click(f"a[href='/staff/handoff/cases/{case.id}']")
    expect(page.locator("#case-question")).to_contain_text("deadline")
    expect(page.locator("#case-hub")).to_contain_text("Ministry of Industry and Trade")
    expect(page.locator("#case-transcript")).to_contain_text(TALK)
    screenshots(page, "case")

    page.click("#take")
    expect(page.locator("#case-state")).to_have_text("with a person")
    wait_for_bot(running.stack, me, fixed("en", "handoff_taken"))
    page.fill("#reply-text", ANSWER)
    screenshots(page, "reply-typed")
    page.click("#reply")
    expect(page.locator("#case-messages")).to_contain_text(ANSWER)
    wait_for_bot(running.stack, me, ANSWER)
    page.click("#close")
    expect(page.locator("#case-state")).to_have_text("closed")
    expect(page.locator("#case-log")).to_contain_text("closed the case")
    expect(page.locator("#case-actions")).to_have_count(0)
    screenshots(page, "closed")
    wait_for_bot(running.stack, me, fixed("en", "handoff_closed"))
