"""The deadline journeys end to end through the REST channel, in all six languages: the
calendar file (parsed back with icalendar), reminders set, listed and cancelled, a deadline
moved by a re-import, and a reminder that fires once after every server restarted beside a
second scheduler."""

from __future__ import annotations

import urllib.request
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from knowledge import reminders
from knowledge.db import make_engine
from knowledge.importer import import_paths
from ops.notify import RasaApi
from ops.scheduler import Scheduler
from ops.stack import free_port, send
from tests.e2e.journeys import fixed, journey_stack, own_database, text_of, wait_for_bot

pytestmark = pytest.mark.e2e

CALL = "ma-clusters-2023"
DEADLINE = datetime(2023, 6, 14, 15, tzinfo=ZoneInfo("Africa/Casablanca"))
ASK_DEADLINE = {
    "en": "When is the deadline for the Moroccan clusters call?",
    "fr": "quelle est la date limite de l'appel à projets clusters au maroc ?",
    "nb": "hva er fristen for klyngeutlysningen i Marokko?",
    "sv": "när är sista ansökningsdag för klusterutlysningen i Marocko?",
    "nl": "wat is de deadline van de oproep voor clusters in Marokko?",
    "ar": "ما هو آخر أجل لطلب مشاريع التجمعات في المغرب؟",
}
CALENDAR = {
    "en": "put it in my calendar please",
    "fr": "ajoute-le à mon agenda",
    "nb": "legg fristen inn i kalenderen min",
    "sv": "lägg in det i min kalender",
    "nl": "zet de deadline in mijn agenda",
    "ar": "أضف الموعد النهائي إلى تقويمي",
}
#: (message, lead time it names)
REMIND = {
    "en": ("remind me 3 days before", timedelta(days=3)),
    "fr": ("rappelle-moi dix jours avant", timedelta(days=10)),
    "nb": ("minn meg på det fem dager før", timedelta(days=5)),
    "sv": ("påminn mig en vecka innan", timedelta(weeks=1)),
    "nl": ("herinner me 48 uur van tevoren", timedelta(hours=48)),
    "ar": ("ذكرني قبل يومين", timedelta(days=2)),
}
LIST = {
    "en": "what reminders do I have?",
    "fr": "quels sont mes rappels ?",
    "nb": "hvilke påminnelser har jeg?",
    "sv": "vilka påminnelser har jag?",
    "nl": "welke herinneringen heb ik?",
    "ar": "ما هي تذكيراتي؟",
}
CANCEL = {
    "en": "cancel my reminder",
    "fr": "annule mon rappel",
    "nb": "slett påminnelsen min",
    "sv": "ta bort min påminnelse",
    "nl": "annuleer mijn herinnering",
    "ar": "ألغ التذكير",
}
LANGS = sorted(ASK_DEADLINE)


@pytest.fixture(scope="module")
def journey(trained_model, tmp_path_factory):
    directory = tmp_path_factory.mktemp("deadlines")
    url, content = own_database(directory)
    stack = journey_stack(trained_model, directory / "logs", url)
    with stack:
        yield stack, url, content


def sender() -> str:
    return f"deadline-{uuid.uuid4().hex[:10]}"


def fetch_calendar(url: str) -> icalendar.Calendar:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        return icalendar.Calendar.from_ical(response.read())


@pytest.mark.parametrize("lang", LANGS)
def test_a_deadline_goes_into_a_calendar(journey, lang: str) -> None:
    stack, _, _ = journey
    me = sender()
    send(stack.rasa_url, me, ASK_DEADLINE[lang])
    replies = send(stack.rasa_url, me, CALENDAR[lang])
    assert fixed(lang, "calendar_offer") in text_of(replies), replies
    (link,) = [r["attachment"]["payload"] for r in replies if r.get("attachment")]
    assert link["src"].endswith(f"/calendar/{CALL}.ics?lang={lang}")
    assert link["title"] == fixed(lang, "calendar_link")
    calendar = fetch_calendar(link["src"])
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{CALL}@hubguide"
    start = event.decoded("DTSTART")
    assert start == DEADLINE and str(start.tzinfo) == "Africa/Casablanca"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Africa/Casablanca"]
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(weeks=1)
    assert event["SUMMARY"].params["LANGUAGE"] == lang
    assert str(event["SUMMARY"]).startswith(fixed(lang, "ics_summary"))


@pytest.mark.parametrize("lang", LANGS)
def test_reminders_are_set_listed_and_cancelled(journey, lang: str) -> None:
    stack, url, _ = journey
    me = sender()
    send(stack.rasa_url, me, ASK_DEADLINE[lang])
    message, lead = REMIND[lang]
    reply = text_of(send(stack.rasa_url, me, message))
    assert fixed(lang, "remind_set") in reply, reply
    engine = make_engine(url)
    try:
        (stored,) = reminders.pending(engine, me)
        assert stored.call_id == CALL and stored.lead_minutes == lead.total_seconds() // 60
        listed = text_of(send(stack.rasa_url, me, LIST[lang]))
        assert fixed(lang, "reminders_intro") in listed, listed
        cancelled = text_of(send(stack.rasa_url, me, CANCEL[lang]))
        assert fixed(lang, "reminders_cancelled", 1) in cancelled, cancelled
        assert reminders.pending(engine, me) == []
        empty = text_of(send(stack.rasa_url, me, LIST[lang]))
        assert fixed(lang, "reminders_none") in empty, empty
    finally:
        engine.dispose()


@pytest.mark.parametrize("lang", LANGS)
def test_a_reminder_fires_in_the_conversations_language(journey, lang: str) -> None:
    stack, url, _ = journey
    me = sender()
    send(stack.rasa_url, me, ASK_DEADLINE[lang])
    message, lead = REMIND[lang]
    assert fixed(lang, "remind_set") in text_of(send(stack.rasa_url, me, message))
    engine = make_engine(url)
    try:
        scheduler = Scheduler(engine, RasaApi(stack.rasa_url, stack.token))
        due = DEADLINE - lead
        assert scheduler.run_once(due - timedelta(minutes=1))["fired"] == 0
        assert scheduler.run_once(due)["fired"] == 1
        texts = wait_for_bot(stack, me, fixed(lang, "reminder_fired"))
        days = (DEADLINE.date() - due.date()).days
        assert any(f"{days}" in text for text in texts if fixed(lang, "reminder_fired") in text)
        assert scheduler.run_once(due + timedelta(hours=1))["fired"] == 0
    finally:
        engine.dispose()


class WebChat:
    """The widget's socket.io protocol (webchat/rasa_channel.py), synchronously."""

    def __init__(self, stack, session: str | None = None) -> None:
        import queue

        import socketio

        self.client = socketio.Client(reconnection=False)
        self.confirmed: queue.Queue = queue.Queue()
        self.answers: queue.Queue = queue.Queue()
        self.client.on("session_confirm", self.confirmed.put)
        self.client.on("bot_uttered", self.answers.put)
        self.client.connect(stack.rasa_url, headers={"Origin": stack.origins[0]}, wait_timeout=15)
        self.client.emit("session_request", {"session_id": session})
        self.session = self.confirmed.get(timeout=15)

    def say(self, text: str) -> str:
        self.client.emit("user_uttered", {"message": text, "session_id": self.session})
        return self.wait()

    def wait(self, timeout: float = 30.0) -> str:
        """The bot's messages until it has been quiet for a second."""
        import queue

        texts = [self.answers.get(timeout=timeout).get("text") or ""]
        while True:
            try:
                texts.append(self.answers.get(timeout=1.0).get("text") or "")
            except queue.Empty:
                return "\n".join(texts).replace("\u202f", " ").replace("\u00a0", " ")

    def close(self) -> None:
        self.client.disconnect()


def test_the_web_chat_gets_reminders_at_once_or_at_the_next_visit(journey) -> None:
    stack, url, _ = journey
    chat = WebChat(stack)
    engine = make_engine(url)
    scheduler = Scheduler(engine, RasaApi(stack.rasa_url, stack.token))
    try:
        assert "14 juin 2023" in chat.say(ASK_DEADLINE["fr"])
        assert fixed("fr", "remind_set") in chat.say("rappelle-moi 5 jours avant")
        scheduler.run_once(DEADLINE - timedelta(days=5))  # the visitor is here: at once
        assert fixed("fr", "reminder_fired") in chat.wait()
        assert fixed("fr", "remind_set") in chat.say("rappelle-moi un jour avant")
        session = chat.session
        chat.close()
        scheduler.run_once(DEADLINE - timedelta(days=1))  # the visitor has left: kept
        again = WebChat(stack, session)
        try:
            assert again.session == session
            kept = again.wait()
            assert fixed("fr", "reminder_fired") in kept and "1 jour" in kept, kept
        finally:
            again.close()
    finally:
        chat.close()
        engine.dispose()


def test_a_moved_deadline_moves_the_reminder_and_the_calendar_event(journey) -> None:
    stack, url, content = journey
    me = sender()
    send(stack.rasa_url, me, ASK_DEADLINE["fr"])
    assert fixed("fr", "remind_set") in text_of(
        send(stack.rasa_url, me, "rappelle-moi une semaine avant")
    )
    link = f"{stack.web_url}/calendar/{CALL}.ics?lang=fr"
    (before,) = fetch_calendar(link).walk("VEVENT")
    path = content / "ma-mic-clusters-2023.yaml"
    original = path.read_text()
    engine = make_engine(url)
    try:
        path.write_text(original.replace("2023-06-14T15:00", "2023-06-28T15:00"))
        import_paths(engine, [content])
        texts = wait_for_bot(stack, me, fixed("fr", "deadline_moved"))
        assert any("28 juin 2023" in text for text in texts), texts
        (moved,) = reminders.pending(engine, me)
        assert moved.fire_at == datetime(2023, 6, 21, 14)  # 15:00 in Casablanca, a week before
        (after,) = fetch_calendar(link).walk("VEVENT")
        assert str(after["UID"]) == str(before["UID"])
        assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
        assert after.decoded("DTSTAMP") > before.decoded("DTSTAMP")
        assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")
        assert after.decoded("DTSTART").date().isoformat() == "2023-06-28"
    finally:
        reminders.cancel(engine, me)
        path.write_text(original)
        import_paths(engine, [content])
        engine.dispose()


def test_a_reminder_fires_once_after_every_server_restarted(journey, tmp_path) -> None:
    stack, url, _ = journey
    me = sender()
    send(stack.rasa_url, me, ASK_DEADLINE["en"])
    assert fixed("en", "remind_set") in text_of(send(stack.rasa_url, me, "remind me a week before"))
    for server in list(stack.servers):
        server.stop()
    # A week before 15:00 in Casablanca is 14:00 UTC on 7 June: the clock is now past it.
    second = stack.scheduler_server()
    second.name, second.log_path = "second scheduler", tmp_path / "scheduler-2.log"
    second.command[-1] = str(free_port())
    second.ready_url = f"http://127.0.0.1:{second.command[-1]}/live"
    for server in [*stack.servers, second]:
        server.env["HUBGUIDE_NOW"] = "2023-06-08T09:00:00+00:00"
    stack.servers.append(second)
    for server in stack.servers:
        server.start()
    for server in stack.servers:
        stack.wait_ready(server)
    texts = wait_for_bot(stack, me, fixed("en", "reminder_fired"))
    _wait_quiet(stack, me)
    fired = [text for text in texts if fixed("en", "reminder_fired") in text]
    assert len(fired) == 1 and "June 14, 2023" in fired[0], texts
    assert "6 days" in fired[0]  # its status, at the new clock
    engine = make_engine(url)
    try:
        assert reminders.pending(engine, me) == []
    finally:
        engine.dispose()


def _wait_quiet(stack, me: str, rounds: int = 6) -> None:
    """Let both schedulers run a few more rounds: a second delivery would show up by then."""
    import time

    from tests.e2e.journeys import bot_texts

    count = len(bot_texts(stack, me))
    for _ in range(rounds):
        time.sleep(0.5)
        assert len(bot_texts(stack, me)) == count
