"""The analytics section on a tracker store written by Rasa's own SQLTrackerStore: counts per
language, day and record, grouping, the transcript, handled marks (roles and CSRF)."""

from __future__ import annotations

import re
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select

from knowledge import feedback
from tests.integration.staff.conftest import EDITOR_ORG, OTHER_CALL, OWN_CALL, csrf_of, login

NOW = time.time() - 3600


def _turn(t: float, text: str, lang: str, answer: str, *, subject=None, **metadata):
    events = [
        UserUttered(text, {"name": "ask_deadline"}, timestamp=t),
        SlotSet("language", lang, timestamp=t + 0.1),
        ActionExecuted("action_answer", timestamp=t + 0.2),
    ]
    if subject:
        events.append(SlotSet("subject_id", subject, timestamp=t + 0.25))
    events.append(BotUttered(answer, metadata=metadata, timestamp=t + 0.3))
    return events


CONVERSATIONS = {
    "conv-fr": _turn(
        NOW,
        "c'est quoi le délai pour blabla",
        "fr",
        "Pouvez-vous reformuler ?",
        utter_action="utter_please_rephrase",
    )
    + _turn(
        NOW + 10,
        "c est quoi le delai pour blabla ?",
        "fr",
        "Pouvez-vous reformuler ?",
        utter_action="utter_please_rephrase",
    ),
    "conv-own": _turn(
        NOW + 20,
        "who is the treasurer of the clusters call",
        "en",
        "The knowledge base does not say who for it.",
        subject=f"call:{OWN_CALL}",
        hubguide_unknown=True,
    ),
    "conv-other": _turn(
        NOW + 30, "when is the Siva deadline", "en", "It closed.", subject=f"call:{OTHER_CALL}"
    ),
    "conv-none": _turn(
        NOW + 40,
        "what is the budget of the moon base",
        "en",
        "Please rephrase.",
        utter_action="utter_please_rephrase",
    ),
}
DOWN_VOTED = ("conv-other", NOW + 30 + 0.3)


@pytest.fixture
async def tracker_db(tmp_path, monkeypatch, workspace):
    path = tmp_path / "conversations.sqlite3"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    for sender, events in CONVERSATIONS.items():
        tracker = DialogueStateTracker.from_events(sender, events)
        await store.save(tracker)
    store.engine.dispose()
    monkeypatch.setenv("HUBGUIDE_TRACKER_DB", str(path))
    with workspace.engine.begin() as conn:
        feedback.record_vote(conn, *DOWN_VOTED, "It closed.", "down")
    return path


def _row(page: str, section: str, key: str) -> list[int]:
    part = page.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    row = part.split(f'data-key="{key}"', 1)[1].split("</tr>", 1)[0]
    return [int(n) for n in re.findall(r'<td class="\w+">(\d+)</td>', row)]


async def test_counts_per_language_day_and_record_with_the_users_messages(make_client, tracker_db):
    client = await make_client()
    await login(client, "ada")
    page = await (await client.get("/staff/analytics")).text()
    # messages, fallbacks, unknown, thumbs down
    assert _row(page, "by-language", "fr") == [2, 2, 0, 0]
    assert _row(page, "by-language", "en") == [3, 1, 1, 1]
    days = {time.strftime("%Y-%m-%d", time.gmtime(NOW + s)) for s in (0, 40)}
    assert sum(_row(page, "by-day", day)[0] for day in days) == 5
    assert _row(page, "by-record", f"call:{OWN_CALL}") == [1, 0, 1, 0]
    assert "who is the treasurer of the clusters call" in page
    assert "what is the budget of the moon base" in page
    # the two French fallbacks are one group of similar questions
    groups = page.split('id="groups"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"<strong>2</strong> · <span dir=\"auto\">c.est quoi le d", groups)


async def test_an_editor_sees_only_their_organisations_records(make_client, tracker_db):
    client = await make_client()
    await login(client, "eve")  # editor of EDITOR_ORG, whose call is OWN_CALL
    assert EDITOR_ORG
    page = await (await client.get("/staff/analytics")).text()
    assert "who is the treasurer of the clusters call" in page
    assert "when is the Siva deadline" not in page  # the other organisation's call
    assert "what is the budget of the moon base" in page  # names no record
    response = await client.get("/staff/analytics/conversation", params={"id": "conv-own"})
    assert response.status == 200
    assert "The knowledge base does not say who for it." in await response.text()


async def test_the_transcript_shows_the_conversation(make_client, tracker_db):
    client = await make_client()
    await login(client, "rex")
    response = await client.get("/staff/analytics/conversation", params={"id": "conv-fr"})
    text = await response.text()
    assert response.status == 200
    assert "c est quoi le delai pour blabla ?" in text and "Pouvez-vous reformuler ?" in text
    missing = await client.get("/staff/analytics/conversation", params={"id": "nobody"})
    assert missing.status == 404


async def test_marking_handled_needs_csrf_and_a_role_that_may_change_things(
    make_client, tracker_db, workspace
):
    item = {"conversation_id": "conv-own", "timestamp": str(NOW + 20)}
    reviewer = await make_client()
    await login(reviewer, "rex")
    token = await csrf_of(reviewer, "/staff/analytics")
    refused = await reviewer.post(
        "/staff/analytics/handled", data={**item, "csrf_token": token}, allow_redirects=False
    )
    assert refused.status == 403
    assert "mark-handled" not in await (await reviewer.get("/staff/analytics")).text()

    editor = await make_client()
    await login(editor, "eve")
    no_token = await editor.post("/staff/analytics/handled", data=item, allow_redirects=False)
    assert no_token.status == 403
    other = {"conversation_id": "conv-other", "timestamp": str(NOW + 30)}
    token = await csrf_of(editor, "/staff/analytics")
    foreign = await editor.post(
        "/staff/analytics/handled", data={**other, "csrf_token": token}, allow_redirects=False
    )
    assert foreign.status == 404  # not one the editor may see
    with workspace.engine.connect() as conn:
        assert conn.execute(select(feedback.handled)).all() == []

    done = await editor.post(
        "/staff/analytics/handled", data={**item, "csrf_token": token}, allow_redirects=False
    )
    assert done.status == 303
    with workspace.engine.connect() as conn:
        rows = conn.execute(select(feedback.handled)).mappings().all()
    assert [(r["conversation_id"], r["handled_by"]) for r in rows] == [("conv-own", "eve")]
    page = await (await editor.get("/staff/analytics")).text()
    assert "handled by eve on" in page
    groups = page.split('id="groups"', 1)[1].split("</section>", 1)[0]
    assert "who is the treasurer" not in groups  # handled: no longer unanswered


async def test_the_section_is_in_the_navigation_of_every_role(make_client, tracker_db):
    for name in ("ada", "eve", "rex"):
        client = await make_client()
        await login(client, name)
        assert 'href="/staff/analytics"' in await (await client.get("/staff/")).text()


async def test_odd_parameters_get_a_page_or_a_404_never_a_server_error(make_client, tracker_db):
    client = await make_client()
    await login(client, "ada")
    for query in ({"days": "abc"}, {"days": "-5"}, {"days": "99999999"}, {"problem": "x"}):
        assert (await client.get("/staff/analytics", params=query)).status == 200, query
    for query in ({}, {"id": ""}, {"id": "x" * 300}, {"id": "conv-fr", "at": "soon"}):
        status = (await client.get("/staff/analytics/conversation", params=query)).status
        assert status in (200, 404), query
    token = await csrf_of(client, "/staff/analytics")
    for data in ({}, {"conversation_id": "conv-fr", "timestamp": "nan"}, {"timestamp": "1"}):
        response = await client.post(
            "/staff/analytics/handled", data={**data, "csrf_token": token}, allow_redirects=False
        )
        assert response.status == 404, data
    outside = await client.post(
        "/staff/analytics/handled",
        data={
            "conversation_id": "conv-fr",
            "timestamp": str(NOW),
            "back": "https://evil.example/",
            "csrf_token": token,
        },
        allow_redirects=False,
    )
    assert outside.status == 303 and outside.headers["Location"] == "/staff/analytics"


async def test_the_page_is_in_the_staff_member_s_language(make_client, tracker_db):
    client = await make_client()
    await login(client, "rex")  # a French account
    page = await (await client.get("/staff/analytics")).text()
    assert "Ce à quoi les entrepreneurs n&#39;ont pas obtenu de réponse" in page
    assert "Par langue" in page and "reformulation demandée" in page


# ---------------------------------------------------------------------- the JSON API
async def _api_login(client, name: str) -> str:
    from tests.integration.staff.conftest import PASSWORD

    response = await client.post("/staff/api/login", json={"name": name, "password": PASSWORD})
    assert response.status == 200, await response.text()
    return (await response.json())["csrf_token"]


def _counts(rows: list[dict], key: str) -> list[int]:
    row = next(r for r in rows if r["key"] == key)
    return [row["messages"], row["fallback"], row["unknown"], row["down"]]


async def test_the_api_gives_the_counts_items_and_groups_of_the_page(make_client, tracker_db):
    client = await make_client()
    await _api_login(client, "ada")
    response = await client.get("/staff/api/analytics")
    assert response.status == 200, await response.text()
    data = await response.json()
    assert data["tracker"] is True and data["days"] == 30
    assert _counts(data["by_language"], "fr") == [2, 2, 0, 0]
    assert _counts(data["by_language"], "en") == [3, 1, 1, 1]
    assert sum(r["messages"] for r in data["by_day"]) == 5
    assert _counts(data["by_record"], f"call:{OWN_CALL}") == [1, 0, 1, 0]
    own = next(r for r in data["by_record"] if r["key"] == f"call:{OWN_CALL}")
    assert own["title"]  # the record's title beside its ref
    texts = {i["text"]: i for i in data["items"]}
    assert texts["who is the treasurer of the clusters call"]["problems"] == ["unknown"]
    assert texts["when is the Siva deadline"]["problems"] == ["down"]
    assert texts["when is the Siva deadline"]["answers"] == ["It closed."]
    biggest = data["groups"][0]
    assert biggest["count"] == 2 and biggest["label"].startswith("c")  # the French pair
    only_fr = await (await client.get("/staff/api/analytics?language=fr")).json()
    assert {i["language"] for i in only_fr["items"]} == {"fr"}
    one = await client.get("/staff/api/analytics/conversations/conv-fr")
    assert one.status == 200 and len((await one.json())["items"]) == 2
    assert (await client.get("/staff/api/analytics/conversations/nobody")).status == 404


async def test_the_api_keeps_the_editor_s_scope(make_client, tracker_db):
    client = await make_client()
    await _api_login(client, "eve")
    data = await (await client.get("/staff/api/analytics")).json()
    texts = {i["text"] for i in data["items"]}
    assert "who is the treasurer of the clusters call" in texts
    assert "what is the budget of the moon base" in texts  # names no record
    assert "when is the Siva deadline" not in texts  # the other organisation's call
    assert (await client.get("/staff/api/analytics/conversations/conv-other")).status == 404


async def test_marking_handled_through_the_api_needs_csrf_and_a_role(
    make_client, tracker_db, workspace
):
    item = {"conversation_id": "conv-own", "timestamp": NOW + 20}
    reviewer = await make_client()
    token = await _api_login(reviewer, "rex")
    response = await reviewer.post(
        "/staff/api/analytics/handled", json=item, headers={"X-CSRF-Token": token}
    )
    assert response.status == 403
    assert (await (await reviewer.get("/staff/api/analytics")).json())["may_mark"] is False
    editor = await make_client()
    token = await _api_login(editor, "eve")
    assert (await editor.post("/staff/api/analytics/handled", json=item)).status == 403  # CSRF
    foreign = {"conversation_id": "conv-other", "timestamp": NOW + 30}
    response = await editor.post(
        "/staff/api/analytics/handled", json=foreign, headers={"X-CSRF-Token": token}
    )
    assert response.status == 404
    for bad in ({"conversation_id": "conv-own"}, {**item, "timestamp": "soon"}):
        response = await editor.post(
            "/staff/api/analytics/handled", json=bad, headers={"X-CSRF-Token": token}
        )
        assert response.status == 400
    with workspace.engine.connect() as conn:
        assert conn.execute(select(feedback.handled)).all() == []
    response = await editor.post(
        "/staff/api/analytics/handled", json=item, headers={"X-CSRF-Token": token}
    )
    assert response.status == 200, await response.text()
    data = await (await editor.get("/staff/api/analytics")).json()
    mine = next(i for i in data["items"] if i["conversation_id"] == "conv-own")
    assert mine["handled"]["by"] == "eve"
    grouped = {i["text"] for g in data["groups"] for i in g["items"]}
    assert "who is the treasurer of the clusters call" not in grouped
