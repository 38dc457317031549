"""The staff workspace in Debian's Chromium (Playwright, the system browser) against the real
servers. Screenshots of each step: tests/artifacts/browser/<test name>/ (the ``screenshots``
fixture of tests/browser/conftest.py)."""

from __future__ import annotations

import uuid

import pytest

pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]' (playwright)")

from playwright.sync_api import expect  # noqa: E402

from knowledge import editing  # noqa: E402
from knowledge.db import make_engine  # noqa: E402
from ops.stack import send  # noqa: E402
from tests.staff_stack import PASSWORD, staff_stack  # noqa: E402

pytestmark = pytest.mark.browser

CALL = "ma-clusters-2023"
OTHER_CALL = "no-siva-naeringshager-utviklingsprosjekter"
QUESTION = "When is the deadline for the Moroccan clusters call?"
OLD_DEADLINE = "{at: '2023-06-14T15:00', timezone: Africa/Casablanca}"
NEW_DEADLINE = "{at: '2023-06-27T15:00', timezone: Africa/Casablanca}"


@pytest.fixture(scope="module")
def running(trained_model, tmp_path_factory):
    with staff_stack(trained_model, tmp_path_factory.mktemp("staff-browser")) as stack:
        yield stack


def bot_answer(running) -> str:
    replies = send(running.stack.rasa_url, f"staff-browser-{uuid.uuid4().hex[:8]}", QUESTION)
    return " ".join(r.get("text") or "" for r in replies)


def stored_deadline(running) -> dict:
    engine = make_engine(running.database_url)
    try:
        with engine.connect() as conn:
            return editing.find(conn, "calls", CALL)[1]["deadline"]
    finally:
        engine.dispose()


def log_in(new_browser, running, name: str, password: str = PASSWORD):
    page = new_browser().new_page()
    page.goto(f"{running.web_url}/staff/login?lang=en")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    return page


def test_edit_a_deadline_the_bot_answers_with_it_history_shows_the_diff_undo_restores(
    new_browser, running, screenshots
):
    page = log_in(new_browser, running, "ada")
    expect(page.locator("h1")).to_have_text("Knowledge base records")
    screenshots(page, "logged-in")
    page.goto(f"{running.web_url}/staff/records/calls/{CALL}")
    deadline = page.locator("#f-deadline")
    expect(deadline).to_have_value(OLD_DEADLINE + "\n")
    deadline.fill(NEW_DEADLINE)
    screenshots(page, "deadline-edited")
    page.click("#save")
    expect(page.locator("#saved")).to_be_visible()
    screenshots(page, "saved")
    assert "June 27, 2023" in bot_answer(running)

    page.goto(f"{running.web_url}/staff/try")
    page.fill("#message", QUESTION)
    page.click("#ask")
    expect(page.locator("#try-result .answer").first).to_contain_text("June 27, 2023")
    expect(page.locator("#try-subject")).to_contain_text(CALL)
    expect(page.locator("#try-intent")).to_contain_text("ask_deadline")
    screenshots(page, "try-it")

    page.goto(f"{running.web_url}/staff/records/calls/{CALL}")
    page.click("#history-link")
    diff = page.locator("pre.diff").first
    expect(diff.locator(".del")).to_contain_text("2023-06-14T15:00")
    expect(diff.locator(".add")).to_contain_text("2023-06-27T15:00")
    screenshots(page, "history-diff")
    page.locator("button.undo").first.click()
    expect(page.locator("article.change").first).to_contain_text("undoes change")
    screenshots(page, "undone")
    assert stored_deadline(running)["at"] == "2023-06-14T15:00"
    assert "June 14, 2023" in bot_answer(running)


def test_an_editor_cannot_open_another_organisation_s_record(new_browser, running, screenshots):
    page = log_in(new_browser, running, "eve")
    expect(page.locator("h1")).to_have_text("Knowledge base records")
    response = page.goto(f"{running.web_url}/staff/records/calls/{OTHER_CALL}")
    assert response.status == 403
    expect(page.locator("#error-message")).to_contain_text("Your role does not allow this")
    screenshots(page, "editor-403")


def test_a_reviewer_cannot_save(new_browser, running, screenshots):
    before = stored_deadline(running)
    page = log_in(new_browser, running, "rex")
    page.goto(f"{running.web_url}/staff/records/calls/{CALL}")
    expect(page.locator("#read-only")).to_be_visible()
    expect(page.locator("#save")).to_have_count(0)
    screenshots(page, "reviewer-read-only")
    # the form posted anyway (no button: submitted by script) is refused
    page.evaluate(
        "() => { const box = document.querySelector('#f-deadline');"
        f" box.removeAttribute('readonly'); box.value = {NEW_DEADLINE!r};"
        " document.querySelector('form.record').submit(); }"
    )
    expect(page.locator("#error-message")).to_contain_text("Your role does not allow this")
    screenshots(page, "reviewer-refused")
    assert stored_deadline(running) == before


def test_a_form_posted_without_its_csrf_token_is_refused(new_browser, running, screenshots):
    before = stored_deadline(running)
    page = log_in(new_browser, running, "ada")
    page.goto(f"{running.web_url}/staff/records/calls/{CALL}")
    page.fill("#f-deadline", NEW_DEADLINE)
    page.evaluate("() => document.querySelector('form.record input[name=csrf_token]').remove()")
    page.click("#save")
    expect(page.locator("#error-message")).to_contain_text("missing security token")
    screenshots(page, "csrf-refused")
    assert stored_deadline(running) == before


def test_five_wrong_passwords_throttle_the_account(new_browser, running, screenshots):
    page = new_browser().new_page()
    page.goto(f"{running.web_url}/staff/login?lang=en")
    for attempt in range(5):
        page.fill("#name", "tom")
        page.fill("#password", f"wrong password {attempt}")
        page.click("button[type=submit]")
    expect(page.locator("#login-error")).to_contain_text("This account is locked")
    screenshots(page, "throttled")
    page.fill("#name", "tom")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#login-error")).to_contain_text("This account is locked")
    screenshots(page, "still-locked-with-the-right-password")


UNKNOWN_QUESTION = "When was Coompanion Nord founded?"


def test_a_thumbs_down_in_the_widget_appears_in_analytics(
    new_browser, running, screenshots, widget_bundle
):
    from tests.browser.webchat_page import ChatPage

    chat = ChatPage(new_browser().new_page(), running.web_url).goto()
    chat.open_with_keyboard()
    replies = chat.send(UNKNOWN_QUESTION)
    assert any("does not say when it was founded" in r for r in replies), replies
    answer = chat.messages("bot").last
    down = answer.locator("button.hg-vote-down")
    expect(down).to_have_attribute("aria-label", "Not a helpful answer")
    expect(down).to_have_attribute("aria-pressed", "false")
    down.focus()  # a real button: the keyboard votes
    chat.page.keyboard.press("Enter")
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(answer.locator("button.hg-vote-up")).to_have_attribute("aria-pressed", "false")
    screenshots(chat.page, "widget-thumbs-down")

    page = log_in(new_browser, running, "ada")
    page.goto(f"{running.web_url}/staff/analytics")
    row = page.locator("#items tr.item", has_text=UNKNOWN_QUESTION)
    expect(row).to_have_count(1)
    expect(row.locator(".problem-down")).to_have_text("thumbs down")
    expect(row.locator(".problem-unknown")).to_have_text("unknown fact")
    expect(page.locator("#by-language tr[data-key=en] td.down")).to_have_text("1")
    screenshots(page, "analytics")
    row.locator("a").first.click()
    expect(page.locator(".transcript .chosen")).to_contain_text("does not say when it was founded")
    screenshots(page, "transcript")
    page.locator(".transcript .chosen button.mark-handled").click()
    expect(page.locator(".transcript .chosen")).to_contain_text("handled by ada")
    screenshots(page, "handled")


SOURCE = "ma-mic-clusters-2023"
SOURCE_URL = "https://www.mcinet.gov.ma/fr/appel-clusters-2023"
PLACE_NAME = "Kvitsildland"  # a name of no place, saved as another name of Rogaland


def test_edit_a_source_field_and_a_place_name(new_browser, running, screenshots):
    page = log_in(new_browser, running, "ada")
    page.goto(f"{running.web_url}/staff/?kind=sources")
    page.locator(f"a[href='/staff/records/sources/{SOURCE}']").click()
    expect(page.locator("#source-note")).to_be_visible()
    expect(page.locator("#f-language")).to_have_attribute("readonly", "")
    page.fill("#f-url", SOURCE_URL)
    screenshots(page, "source-edited")
    page.click("#save")
    expect(page.locator("#saved")).to_be_visible()
    screenshots(page, "source-saved")
    engine = make_engine(running.database_url)
    try:
        with engine.connect() as conn:
            assert editing.find(conn, "sources", SOURCE)[1]["url"] == SOURCE_URL
    finally:
        engine.dispose()
    page.click("#history-link")
    expect(page.locator("pre.diff").first.locator(".add")).to_contain_text(SOURCE_URL)
    screenshots(page, "source-history")

    question = f"Which business gardens are there in {PLACE_NAME}?"
    replies = send(running.stack.rasa_url, f"staff-browser-{uuid.uuid4().hex[:8]}", question)
    assert "hubs for" not in " ".join(r.get("text") or "" for r in replies)
    page.goto(f"{running.web_url}/staff/records/places/rogaland")
    names = page.locator("#f-names")
    value = names.input_value()
    assert "en:\n- Rogaland\n" in value, value
    names.fill(value.replace("en:\n- Rogaland\n", f"en:\n- Rogaland\n- {PLACE_NAME}\n"))
    screenshots(page, "place-name-edited")
    page.click("#save")
    expect(page.locator("#saved")).to_be_visible()
    expect(page.locator("#f-names")).to_contain_text(PLACE_NAME)
    screenshots(page, "place-saved")
    replies = send(running.stack.rasa_url, f"staff-browser-{uuid.uuid4().hex[:8]}", question)
    assert "I found 5 hubs for" in " ".join(r.get("text") or "" for r in replies), replies
