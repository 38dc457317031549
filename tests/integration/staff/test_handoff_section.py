"""The workspace's hand-off section through its pages and its API: which cases each role sees,
take / reply / close / give back recorded with the account's name, a reviewer's and another
hub's editor's 403 that changes nothing, CSRF, conflicts and wording in the staff member's
language. No bot runs behind this workspace: the transcript is "unavailable" and the notices
an action queues stay pending for the scheduler (which is what they are checked by)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from knowledge import handoff
from knowledge.journey_models import Notice
from staff.handoff import actions_table
from tests.integration.staff.conftest import EDITOR_ORG, PASSWORD, csrf_of, login

NOW = datetime(2023, 6, 1, 9, 0, tzinfo=timezone.utc)
OTHER_HUB = "no-kmd"
QUESTION = "quelle est la date limite de l'appel clusters ?\nje voudrais parler à quelqu'un"


def _open(workspace, sender: str, hub_id: str | None) -> int:
    case, _ = handoff.open_case(
        workspace.engine,
        sender,
        lang="fr",
        hub_id=hub_id,
        subject_id="call:ma-clusters-2023" if hub_id == EDITOR_ORG else None,
        question=QUESTION,
        profile={"country": "MA", "stage": "existing"},
        now=NOW,
        transcript_url=f"http://127.0.0.1:8080/staff/handoff/conversations/{sender}",
    )
    return case.id


@pytest.fixture
def cases(workspace) -> dict[str, int]:
    return {
        "own": _open(workspace, "conv-own", EDITOR_ORG),
        "other": _open(workspace, "conv-other", OTHER_HUB),
        "nobody": _open(workspace, "conv-nobody", None),
    }


def _log(workspace, case_id: int) -> list[tuple[str, str]]:
    with workspace.engine.connect() as conn:
        rows = conn.execute(
            select(actions_table.c.user_name, actions_table.c.action)
            .where(actions_table.c.case_id == case_id)
            .order_by(actions_table.c.id)
        ).all()
    return [tuple(row) for row in rows]


def _notices(workspace, sender: str) -> list[tuple[str, dict]]:
    with workspace.engine.connect() as conn:
        rows = conn.execute(
            select(Notice.kind, Notice.params).where(Notice.sender == sender).order_by(Notice.id)
        ).all()
    return [(kind, params) for kind, params in rows]


async def _api_login(client, name: str) -> str:
    response = await client.post("/staff/api/login", json={"name": name, "password": PASSWORD})
    assert response.status == 200, await response.text()
    return (await response.json())["csrf_token"]


async def _listed(client) -> set[int]:
    response = await client.get("/staff/api/handoff/cases")
    assert response.status == 200
    return {c["id"] for c in (await response.json())["cases"]}


async def test_each_role_sees_its_cases_an_editor_only_their_hubs(make_client, cases):
    seen = {}
    for name in ("ada", "eve", "rex"):
        client = await make_client()
        await _api_login(client, name)
        seen[name] = await _listed(client)
        page = await (await client.get("/staff/handoff")).text()
        for which, case_id in cases.items():
            assert (f'href="/staff/handoff/cases/{case_id}"' in page) == (case_id in seen[name]), (
                name,
                which,
            )
        assert 'href="/staff/handoff"' in page  # the navigation entry
    assert seen["ada"] == seen["rex"] == set(cases.values())
    assert seen["eve"] == {cases["own"]}  # not another hub's, not an unassigned one

    eve = await make_client()
    await login(eve, "eve")
    for which in ("other", "nobody"):
        assert (await eve.get(f"/staff/handoff/cases/{cases[which]}")).status == 403
        assert (await eve.get(f"/staff/api/handoff/cases/{cases[which]}")).status == 403
    assert (await eve.get("/staff/handoff/cases/999999")).status == 404


async def test_the_case_page_shows_language_question_profile_hub_and_transcript(make_client, cases):
    client = await make_client()
    await login(client, "rex")  # a French-speaking reviewer
    page = await (await client.get(f"/staff/handoff/cases/{cases['own']}")).text()
    assert "Dossier n° " in page and "Français" in page
    assert "date limite de l&#39;appel clusters" in page
    assert "existing" in page and "MA" in page  # the profile
    assert "Ministère" in page and "ma-mic" in page  # the responsible hub
    assert "La conversation ne peut pas être lue" in page  # no bot behind this workspace
    assert "Vous pouvez lire ce dossier mais pas agir dessus." in page
    assert 'action="/staff/handoff/cases/' not in page  # no action forms for a reviewer


async def test_an_editor_takes_replies_and_closes_each_recorded_with_their_name(
    make_client, workspace, cases
):
    client = await make_client()
    await login(client, "eve")
    case_id, base = cases["own"], f"/staff/handoff/cases/{cases['own']}"
    token = await csrf_of(client, base)
    taken = await client.post(f"{base}/take", data={"csrf_token": token}, allow_redirects=False)
    assert taken.status == 303 and taken.headers["Location"] == base
    case = handoff.case(workspace.engine, case_id)
    assert (case.state, case.staff_name) == ("with_person", "eve")

    answer = "Bonjour ! Envoyez le dossier avant le 14 juin."
    sent = await client.post(
        f"{base}/reply", data={"csrf_token": token, "text": answer}, allow_redirects=False
    )
    assert sent.status == 303
    page = await (await client.get(base)).text()
    assert answer in page and "eve" in page
    assert (await client.post(f"{base}/close", data={"csrf_token": token})).status == 200
    assert handoff.case(workspace.engine, case_id).state == "closed"

    assert _log(workspace, case_id) == [("eve", "take"), ("eve", "reply"), ("eve", "close")]
    kinds = _notices(workspace, "conv-own")
    assert [kind for kind, _ in kinds] == ["handoff_taken", "staff_reply", "handoff_closed"]
    assert all(params.get("staff") == "eve" for _, params in kinds)
    detail = await (await client.get(f"/staff/api/handoff/cases/{case_id}")).json()
    assert [m["staff"] for m in detail["messages"]] == ["eve"]
    assert [a["action"] for a in detail["actions"]] == ["take", "reply", "close"]
    assert detail["transcript"] is None


async def test_a_reviewer_and_another_hubs_editor_get_403_and_nothing_changes(
    make_client, workspace, cases
):
    rex = await make_client()
    token = await _api_login(rex, "rex")
    eve = await make_client()
    eve_token = await _api_login(eve, "eve")
    for client, csrf, case_id in ((rex, token, cases["own"]), (eve, eve_token, cases["other"])):
        for action in ("take", "close", "give_back"):
            response = await client.post(
                f"/staff/api/handoff/cases/{case_id}/{action}", headers={"X-CSRF-Token": csrf}
            )
            assert response.status == 403, action
        response = await client.post(
            f"/staff/api/handoff/cases/{case_id}/reply",
            json={"text": "hello"},
            headers={"X-CSRF-Token": csrf},
        )
        assert response.status == 403
    page_token = await csrf_of(rex, "/staff/handoff")
    form = await rex.post(
        f"/staff/handoff/cases/{cases['own']}/take", data={"csrf_token": page_token}
    )
    assert form.status == 403 and "Rien n&#39;a été modifié" in await form.text()
    for case_id in cases.values():
        assert handoff.case(workspace.engine, case_id).state == "waiting"
        assert handoff.case(workspace.engine, case_id).messages == ()
        assert _log(workspace, case_id) == []
    assert _notices(workspace, "conv-own") == _notices(workspace, "conv-other") == []


async def test_an_action_without_its_csrf_token_is_refused_and_changes_nothing(
    make_client, workspace, cases
):
    client = await make_client()
    await _api_login(client, "ada")
    base = f"/staff/api/handoff/cases/{cases['own']}"
    assert (await client.post(f"{base}/take")).status == 403
    assert (await client.post(f"{base}/take", headers={"X-CSRF-Token": "forged"})).status == 403
    form = await client.post(f"/staff/handoff/cases/{cases['own']}/take", data={})
    assert form.status == 403
    assert handoff.case(workspace.engine, cases["own"]).state == "waiting"
    assert _log(workspace, cases["own"]) == []


async def test_an_admin_gives_an_unassigned_case_back_then_a_second_action_conflicts(
    make_client, workspace, cases
):
    client = await make_client()
    token = await _api_login(client, "ada")
    base = f"/staff/api/handoff/cases/{cases['nobody']}"
    headers = {"X-CSRF-Token": token}
    empty = await client.post(f"{base}/reply", json={"text": "  "}, headers=headers)
    assert empty.status == 422 and (await empty.json())["error"] == "handoff_empty_reply"
    bad = await client.post(f"{base}/reply", data="not json", headers=headers)
    assert bad.status == 400
    back = await client.post(f"{base}/give_back", headers=headers)
    assert back.status == 200 and (await back.json())["state"] == "returned"
    assert handoff.open_case_of(workspace.engine, "conv-nobody") is None  # the bot answers
    again = await client.post(f"{base}/take", headers=headers)
    assert again.status == 409 and (await again.json())["error"] == "handoff_conflict"
    assert _log(workspace, cases["nobody"]) == [("ada", "give_back")]
    assert [k for k, _ in _notices(workspace, "conv-nobody")] == ["handoff_returned"]
    listed = await client.get("/staff/api/handoff/cases", params={"state": "returned"})
    assert [c["id"] for c in (await listed.json())["cases"]] == [cases["nobody"]]
    assert (await client.get("/staff/api/handoff/cases", params={"state": "x"})).status == 400


async def test_a_reply_to_a_waiting_case_takes_it_and_a_conflict_is_shown_in_the_page(
    make_client, workspace, cases
):
    client = await make_client()
    await login(client, "eve")
    base = f"/staff/handoff/cases/{cases['own']}"
    token = await csrf_of(client, base)
    await client.post(f"{base}/reply", data={"csrf_token": token, "text": "On regarde."})
    assert _log(workspace, cases["own"]) == [("eve", "take"), ("eve", "reply")]
    response = await client.post(f"{base}/take", data={"csrf_token": token})
    assert response.status == 409
    assert "This case has changed meanwhile" in await response.text()


async def test_the_transcript_link_opens_for_who_may_see_the_case_only(make_client, cases):
    eve = await make_client()
    await login(eve, "eve")
    own = await eve.get("/staff/handoff/conversations/conv-own")
    assert own.status == 200 and f"/staff/handoff/cases/{cases['own']}" in await own.text()
    assert (await eve.get("/staff/handoff/conversations/conv-other")).status == 404


async def test_an_admin_routes_an_unassigned_case_to_a_hub_whose_editor_then_sees_it(
    make_client, workspace, cases
):
    eve = await make_client()
    eve_token = await _api_login(eve, "eve")
    own = f"/staff/api/handoff/cases/{cases['own']}/assign"
    refused = await eve.post(own, json={"hub_id": OTHER_HUB}, headers={"X-CSRF-Token": eve_token})
    assert refused.status == 403  # an editor cannot move a case out of (or into) a queue
    assert handoff.case(workspace.engine, cases["own"]).hub_id == EDITOR_ORG

    ada = await make_client()
    await login(ada, "ada")
    path = f"/staff/handoff/cases/{cases['nobody']}"
    page = await (await ada.get(path)).text()
    assert 'name="hub_id"' in page and f'value="{EDITOR_ORG}"' in page
    token = await csrf_of(ada, path)
    unknown = await ada.post(f"{path}/assign", data={"csrf_token": token, "hub_id": "nope"})
    assert unknown.status == 422 and "There is no such organisation" in await unknown.text()
    moved = await ada.post(
        f"{path}/assign", data={"csrf_token": token, "hub_id": EDITOR_ORG}, allow_redirects=False
    )
    assert moved.status == 303
    assert handoff.case(workspace.engine, cases["nobody"]).hub_id == EDITOR_ORG
    assert _log(workspace, cases["nobody"]) == [("ada", "assign")]
    assert cases["nobody"] in await _listed(eve)
    assert f"<code>{EDITOR_ORG}</code>" in await (await ada.get(path)).text()  # in the log
