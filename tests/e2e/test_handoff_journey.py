"""The hand-off end to end through the REST channel: a French conversation is handed to the
hub, a staff member takes it on the staff page, the bot falls silent and forwards, the reply
reaches the user, the case closes and the bot answers again; the case opens in all six
languages; nobody coming in time gives the hub's contacts; the page refuses strangers."""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta

import pytest

from knowledge import handoff
from knowledge.db import make_engine
from ops.notify import RasaApi
from ops.scheduler import Scheduler
from ops.stack import send, tracker
from tests.e2e.journeys import (
    STAFF_TOKEN,
    fixed,
    journey_stack,
    own_database,
    text_of,
    wait_for_bot,
)
from webchat.handoff_page import form_token

pytestmark = pytest.mark.e2e

ASK = {
    "en": "When is the deadline for the Moroccan clusters call?",
    "fr": "quelle est la date limite de l'appel à projets clusters au maroc ?",
    "nb": "hva er fristen for klyngeutlysningen i Marokko?",
    "sv": "när är sista ansökningsdag för klusterutlysningen i Marocko?",
    "nl": "wat is de deadline van de oproep voor clusters in Marokko?",
    "ar": "ما هو آخر أجل لطلب مشاريع التجمعات في المغرب؟",
}
TALK = {
    "en": "I want to talk to someone",
    "fr": "je voudrais parler à quelqu'un",
    "nb": "jeg vil snakke med et menneske",
    "sv": "jag vill prata med en människa",
    "nl": "ik wil met iemand praten",
    "ar": "أريد التحدث مع شخص",
}
MINISTRY = "ma-mic"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """The staff page answers a form with 303: the test reads that status itself."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def staff_request(url: str, data: dict | None = None, *, password: str = STAFF_TOKEN):
    auth = base64.b64encode(f"Amina:{password}".encode()).decode()
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Authorization": f"Basic {auth}"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@pytest.fixture(scope="module")
def journey(trained_model, tmp_path_factory):
    directory = tmp_path_factory.mktemp("handoff")
    url, _ = own_database(directory)
    stack = journey_stack(trained_model, directory / "logs", url)
    engine = make_engine(url)
    with stack:
        yield stack, engine
    engine.dispose()


def slot(stack, sender: str) -> str | None:
    return tracker(stack.rasa_url, sender, stack.token)["slots"].get("handoff")


def test_a_french_conversation_goes_to_a_person_and_back_to_the_bot(journey) -> None:
    stack, engine = journey
    me = f"handoff-{uuid.uuid4().hex[:10]}"
    send(stack.rasa_url, me, ASK["fr"])
    opened = text_of(send(stack.rasa_url, me, TALK["fr"]))
    assert fixed("fr", "handoff_opened") in opened, opened
    assert "fzaitelhabti@mcinet.gov.ma" in opened  # the hub's contact, meanwhile
    assert slot(stack, me) == "waiting"
    case = handoff.open_case_of(engine, me)
    assert (case.lang, case.hub_id, case.subject_id) == ("fr", MINISTRY, "call:ma-clusters-2023")
    assert "date limite" in case.question
    # the transcript link leads to the staff workspace; this fallback page keeps its own
    assert case.transcript_url.endswith(f"/staff/handoff/conversations/{me}")

    base = f"{stack.web_url}/handoff"
    status, queue = staff_request(f"{base}/")
    assert status == 200 and f"#{case.id}" in queue
    status, page = staff_request(f"{base}/cases/{case.id}")
    assert status == 200 and "date limite" in page and "transmis votre question" in page
    status, whole = staff_request(f"{base}/transcripts/{me}")
    assert status == 200 and "transmis votre question" in whole
    token = form_token(case.id, STAFF_TOKEN)
    assert staff_request(f"{base}/cases/{case.id}/take", {"form_token": token})[0] == 303
    wait_for_bot(stack, me, fixed("fr", "handoff_taken"))
    assert slot(stack, me) == "human"

    assert send(stack.rasa_url, me, "Bonjour, vous êtes là ? C'est pour un cluster à Fès.") == []
    assert [m.text for m in handoff.case(engine, case.id).messages] == [
        "Bonjour, vous êtes là ? C'est pour un cluster à Fès."
    ]
    answer = "Bonjour ! Oui, envoyez le dossier avant le 14 juin à 15 h."
    status, _ = staff_request(
        f"{base}/cases/{case.id}/reply", {"form_token": token, "text": answer}
    )
    assert status == 303
    texts = wait_for_bot(stack, me, answer)
    assert any(text.startswith("Amina (") for text in texts if answer in text)

    assert staff_request(f"{base}/cases/{case.id}/close", {"form_token": token})[0] == 303
    wait_for_bot(stack, me, fixed("fr", "handoff_closed"))
    assert slot(stack, me) is None
    assert handoff.case(engine, case.id).state == "closed"
    again = text_of(send(stack.rasa_url, me, "et la date limite ?"))
    assert "14 juin 2023" in again, again


@pytest.mark.parametrize("lang", sorted(TALK))
def test_the_case_opens_in_the_conversations_language(journey, lang: str) -> None:
    stack, engine = journey
    me = f"handoff-{lang}-{uuid.uuid4().hex[:8]}"
    send(stack.rasa_url, me, ASK[lang])
    reply = text_of(send(stack.rasa_url, me, TALK[lang]))
    assert fixed(lang, "handoff_opened") in reply, reply
    case = handoff.open_case_of(engine, me)
    assert case is not None and case.lang == lang and case.hub_id == MINISTRY
    again = text_of(send(stack.rasa_url, me, TALK[lang]))
    assert fixed(lang, "handoff_already") in again, again
    # The bot still answers while the case waits for a person.
    assert text_of(send(stack.rasa_url, me, ASK[lang]))


def test_nobody_in_time_gives_the_hubs_contacts(journey) -> None:
    stack, engine = journey
    me = f"handoff-late-{uuid.uuid4().hex[:8]}"
    send(stack.rasa_url, me, ASK["en"])
    send(stack.rasa_url, me, TALK["en"])
    case = handoff.open_case_of(engine, me)
    scheduler = Scheduler(
        engine, RasaApi(stack.rasa_url, stack.token), handoff_timeout=timedelta(minutes=10)
    )
    later = case.created_at + timedelta(minutes=11)
    scheduler.run_once(later.replace(tzinfo=datetime.now().astimezone().tzinfo).astimezone())
    texts = wait_for_bot(stack, me, fixed("en", "handoff_timeout"))
    assert any("05 37 73 93 46" in text for text in texts if "Nobody at" in text), texts


def test_the_staff_page_refuses_strangers_and_foreign_forms(journey) -> None:
    stack, engine = journey
    base = f"{stack.web_url}/handoff"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base}/", timeout=10)
    assert refused.value.code == 401
    assert staff_request(f"{base}/", password="wrong")[0] == 401
    me = f"handoff-csrf-{uuid.uuid4().hex[:8]}"
    send(stack.rasa_url, me, ASK["en"])
    send(stack.rasa_url, me, TALK["en"])
    case = handoff.open_case_of(engine, me)
    assert staff_request(f"{base}/cases/{case.id}/take", {"form_token": "forged"})[0] == 403
    assert staff_request(f"{base}/cases/{case.id}/take", {})[0] == 403
    assert handoff.case(engine, case.id).state == "waiting"
    assert staff_request(f"{base}/cases/999999")[0] == 404
