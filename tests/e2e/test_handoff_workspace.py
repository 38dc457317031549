"""The hand-off round trip through the staff workspace (issue 14 with issue 13's accounts): a
French conversation hands off over REST, an editor of the responsible hub takes and answers it
in the workspace, the user's conversation gets the reply, the case closes and the bot answers
again; a case given back to the bot through the API tells the user so. The setup is
tests/e2e/test_handoff_journey.py's (its own knowledge base, the scheduler), one stack."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from knowledge import handoff
from knowledge.db import make_engine
from ops.stack import send, tracker
from staff import accounts
from tests.e2e.journeys import fixed, journey_stack, own_database, text_of, wait_for_bot
from tests.e2e.test_handoff_journey import ASK, MINISTRY, TALK

pytestmark = pytest.mark.e2e

PASSWORD = "a long hand-off password"
#: name → (role, organisations): "amina" works at the ministry the clusters call belongs to
ACCOUNTS = {"amina": ("editor", [MINISTRY]), "olav": ("editor", ["no-kmd"])}
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def journey(trained_model, tmp_path_factory):
    directory = tmp_path_factory.mktemp("handoff-workspace")
    url, _ = own_database(directory)
    engine = make_engine(url)
    with engine.begin() as conn:
        for name, (role, orgs) in ACCOUNTS.items():
            accounts.add_user(conn, name, role, PASSWORD, orgs, "fr")
    stack = journey_stack(trained_model, directory / "logs", url)
    with stack:
        yield stack, engine
    engine.dispose()


class Staff:
    """A browser-like client of the workspace: its cookie jar, the CSRF token of its forms."""

    def __init__(self, web_url: str, name: str) -> None:
        self.base = f"{web_url}/staff"
        self.http = requests.Session()
        page = self.http.get(f"{self.base}/login", timeout=30)
        response = self.post("/login", {"name": name, "password": PASSWORD}, page.text)
        assert response.status_code == 303, response.text[:500]

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.base}{path}", timeout=30, allow_redirects=False)

    def post(self, path: str, data: dict, page: str | None = None) -> requests.Response:
        page = page if page is not None else self.get("/handoff").text
        form = {**data, "csrf_token": CSRF_RE.search(page).group(1)}
        return self.http.post(f"{self.base}{path}", data=form, timeout=60, allow_redirects=False)


def slot(stack, sender: str) -> str | None:
    return tracker(stack.rasa_url, sender, stack.token)["slots"].get("handoff")


def test_an_editor_of_the_hub_answers_a_french_conversation_in_the_workspace(journey) -> None:
    stack, engine = journey
    me = f"handoff-ws-{uuid.uuid4().hex[:10]}"
    send(stack.rasa_url, me, ASK["fr"])
    assert fixed("fr", "handoff_opened") in text_of(send(stack.rasa_url, me, TALK["fr"]))
    case = handoff.open_case_of(engine, me)
    assert (case.lang, case.hub_id) == ("fr", MINISTRY)
    assert case.transcript_url.endswith(f"/staff/handoff/conversations/{me}")

    amina, olav = Staff(stack.web_url, "amina"), Staff(stack.web_url, "olav")
    assert f"/staff/handoff/cases/{case.id}" in amina.get("/handoff").text
    assert f"/staff/handoff/cases/{case.id}" not in olav.get("/handoff").text
    assert olav.get(f"/handoff/cases/{case.id}").status_code == 403
    page = amina.get(f"/handoff/cases/{case.id}").text
    assert "date limite" in page  # the question
    assert "transmis votre question" in page  # the transcript, read from Rasa's tracker
    link = case.transcript_url.split("/staff", 1)[1]
    assert "transmis votre question" in amina.get(link).text

    path = f"/handoff/cases/{case.id}"
    assert amina.post(f"{path}/take", {}).status_code == 303
    wait_for_bot(stack, me, fixed("fr", "handoff_taken"))
    assert slot(stack, me) == "human"
    question = "Bonjour, c'est pour un cluster à Fès : faut-il un label ?"
    assert send(stack.rasa_url, me, question) == []  # the bot is silent
    assert "un cluster à Fès" in amina.get(path).text  # the person reads it

    answer = "Bonjour ! Oui, le label est requis ; envoyez le dossier avant le 14 juin."
    assert amina.post(f"{path}/reply", {"text": answer}).status_code == 303
    texts = wait_for_bot(stack, me, answer)
    assert any(text.startswith("amina (") for text in texts if answer in text), texts

    assert amina.post(f"{path}/close", {}).status_code == 303
    wait_for_bot(stack, me, fixed("fr", "handoff_closed"))
    assert slot(stack, me) is None
    assert handoff.case(engine, case.id).state == "closed"
    log = amina.get(path).text
    assert log.count("amina") >= 3 and "a clôturé le dossier" in log
    again = text_of(send(stack.rasa_url, me, "et la date limite ?"))
    assert "14 juin 2023" in again, again


def test_a_case_given_back_through_the_api_returns_the_conversation_to_the_bot(journey):
    stack, engine = journey
    me = f"handoff-ws-back-{uuid.uuid4().hex[:8]}"
    send(stack.rasa_url, me, ASK["en"])
    send(stack.rasa_url, me, TALK["en"])
    case = handoff.open_case_of(engine, me)
    http = requests.Session()
    login = http.post(
        f"{stack.web_url}/staff/api/login",
        json={"name": "amina", "password": PASSWORD},
        timeout=30,
    )
    headers = {"X-CSRF-Token": login.json()["csrf_token"]}
    api = f"{stack.web_url}/staff/api/handoff/cases/{case.id}"
    assert http.post(f"{api}/take", headers=headers, timeout=60).status_code == 200
    wait_for_bot(stack, me, fixed("en", "handoff_taken"))
    back = http.post(f"{api}/give_back", headers=headers, timeout=60)
    assert back.status_code == 200 and back.json()["state"] == "returned"
    wait_for_bot(stack, me, fixed("en", "handoff_returned"))
    assert slot(stack, me) is None
    assert "June 14, 2023" in text_of(send(stack.rasa_url, me, "and the deadline?"))
