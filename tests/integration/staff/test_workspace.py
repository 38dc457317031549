"""The workspace's rules through its pages and its API: login and throttling, CSRF, roles (403
and nothing changed), errors beside the field in the staff member's language, history and
single-change undo."""

from __future__ import annotations

from knowledge import editing
from staff.forms import FIELDS, TEXTS, text_box, to_yaml
from staff.tables import changes
from tests.integration.staff.conftest import (
    OTHER_CALL,
    OWN_CALL,
    PASSWORD,
    csrf_of,
    login,
)


def _record(workspace, call: str) -> dict:
    with workspace.engine.connect() as conn:
        return editing.find(conn, "calls", call)[1]


def _deadline(workspace, call: str = OWN_CALL) -> str:
    return _record(workspace, call)["deadline"]["at"]


def _change_count(workspace) -> int:
    with workspace.engine.connect() as conn:
        return len(conn.execute(changes.select()).all())


async def _api_login(client, name: str) -> str:
    response = await client.post("/staff/api/login", json={"name": name, "password": PASSWORD})
    assert response.status == 200, await response.text()
    return (await response.json())["csrf_token"]


async def _put(client, token: str, call: str, **fields):
    record = (await (await client.get(f"/staff/api/records/calls/{call}")).json())["record"]
    return await client.put(
        f"/staff/api/records/calls/{call}",
        json={"record": {**record, **fields}},
        headers={"X-CSRF-Token": token},
    )


async def _put_deadline(client, token: str, call: str, when: str):
    return await _put(client, token, call, deadline={"at": when, "timezone": "Africa/Casablanca"})


async def test_pages_need_a_login_and_there_is_no_default_account(make_client):
    client = await make_client()
    response = await client.get("/staff/", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/staff/login"
    for name, password in (("admin", "admin"), ("admin", "password"), ("root", "")):
        assert (await login(client, name, password)).status == 401


async def test_the_session_cookie_is_httponly_samesite_and_encrypted(make_client):
    client = await make_client()
    response = await login(client, "ada")
    assert response.status == 303
    cookie = response.cookies["hubguide_staff"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/staff/"
    assert "ada" not in cookie.value  # encrypted, not only signed
    assert not cookie["secure"]  # plain HTTP here; over TLS it is set (request.secure)


async def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(make_client):
    client = await make_client()
    statuses = [(await login(client, "ada", "wrong password")).status for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    locked = await login(client, "ada")
    assert locked.status == 429
    assert "locked" in await locked.text()
    other = await make_client()
    assert (await login(other, "eve")).status == 303  # other accounts are not affected


async def test_a_form_or_api_call_without_its_csrf_token_is_refused_and_changes_nothing(
    make_client, workspace
):
    client = await make_client()
    await login(client, "ada")
    page = f"/staff/records/calls/{OWN_CALL}"
    form = {"f.deadline": "{at: '2023-06-30T15:00', timezone: Africa/Casablanca}"}
    response = await client.post(page, data=form, allow_redirects=False)
    assert response.status == 403
    response = await client.post(page, data={**form, "csrf_token": "forged"})
    assert response.status == 403
    token = await csrf_of(client)
    response = await _put_deadline(client, "not the token", OWN_CALL, "2023-06-30T15:00")
    assert response.status == 403 and (await response.json())["error"] == "error_csrf"
    assert _deadline(workspace) == "2023-06-14T15:00" and _change_count(workspace) == 0
    response = await _put_deadline(client, token, OWN_CALL, "2023-06-30T15:00")
    assert response.status == 200
    assert _deadline(workspace) == "2023-06-30T15:00"


async def test_an_editor_gets_403_on_another_organisation_s_record_and_changes_nothing(
    make_client, workspace
):
    client = await make_client()
    token = await _api_login(client, "eve")
    assert (await client.get(f"/staff/records/calls/{OTHER_CALL}")).status == 403
    assert (await client.get(f"/staff/api/records/calls/{OTHER_CALL}")).status == 403
    stored = _record(workspace, OTHER_CALL)
    response = await _put_deadline_blind(client, token, OTHER_CALL)
    assert response.status == 403
    assert _record(workspace, OTHER_CALL) == stored
    listed = (await (await client.get("/staff/api/records")).json())["records"]
    assert {r["owner"] for r in listed if r["kind"] not in ("sources", "places")} == {"ma-mic"}
    assert {r["id"] for r in listed if r["kind"] == "sources"} == {"ma-mic-clusters-2023"}
    # their own call: yes, but not handing it to another organisation
    assert (await _put_deadline(client, token, OWN_CALL, "2023-06-30T15:00")).status == 200
    record = (await (await client.get(f"/staff/api/records/calls/{OWN_CALL}")).json())["record"]
    response = await client.put(
        f"/staff/api/records/calls/{OWN_CALL}",
        json={"record": {**record, "issuer": "no-siva"}},
        headers={"X-CSRF-Token": token},
    )
    assert response.status == 403
    assert (await client.get("/staff/api/users")).status == 403


def _form_of(record: dict, source_lang: str = "fr") -> dict[str, str]:
    """What the browser sends for a call's form when nothing is changed."""
    form = {}
    for fld in FIELDS["calls"][1:]:
        if fld in TEXTS["calls"]:
            box = text_box(record.get(fld), source_lang)
            form[f"t.{fld}.original"] = box.original
            for lang, value in box.values.items():
                form[f"t.{fld}.{lang}"] = value
            form.update({f"t.{fld}.machine.{lang}": "1" for lang in box.machine})
        else:
            form[f"f.{fld}"] = to_yaml(record.get(fld))
    return form


async def _put_deadline_blind(client, token: str, call: str):
    """A PUT without reading the record first (the editor cannot read it)."""
    return await client.put(
        f"/staff/api/records/calls/{call}",
        json={"record": {"title": "x", "deadline": {"date": "2030-01-01", "timezone": "UTC"}}},
        headers={"X-CSRF-Token": token},
    )


async def test_a_reviewer_reads_everything_and_cannot_save(make_client, workspace):
    client = await make_client()
    token = await _api_login(client, "rex")
    page = await client.get(f"/staff/records/calls/{OTHER_CALL}")
    assert page.status == 200 and 'id="save"' not in await page.text()
    assert (await _put_deadline(client, token, OWN_CALL, "2023-06-30T15:00")).status == 403
    form = {"csrf_token": token, "f.year": "2031"}
    assert (await client.post(f"/staff/records/calls/{OWN_CALL}", data=form)).status == 403
    assert _deadline(workspace) == "2023-06-14T15:00" and _change_count(workspace) == 0


async def test_errors_are_shown_beside_the_field_in_the_staff_member_s_language(
    make_client, workspace
):
    client = await make_client()
    await login(client, "ada")
    token = await csrf_of(client)
    await client.post("/staff/language", data={"csrf_token": token, "lang": "fr"})
    page = f"/staff/records/calls/{OWN_CALL}"
    form = {
        "csrf_token": token,
        "f.deadline": "{at: '2023-06-31T15:00', timezone: Africa/Casablanca}",
        "f.year": "[unclosed",
    }
    response = await client.post(page, data=form)
    assert response.status == 422
    html = await response.text()
    assert "Ce champ n&#39;est pas du YAML valide" in html  # the year box
    form["f.year"] = "2023"
    html = await (await client.post(page, data=form)).text()
    assert 'id="error-deadline"' in html
    assert "date-heure invalide &#39;2023-06-31T15:00&#39; (format AAAA-MM-JJTHH:MM)" in html
    assert _deadline(workspace) == "2023-06-14T15:00"
    # the API gives the same problem, in the user's language and in the import's English
    record = (await (await client.get(f"/staff/api/records/calls/{OWN_CALL}")).json())["record"]
    record["deadline"] = {"at": "2023-06-31T15:00", "timezone": "Africa/Casablanca"}
    response = await client.put(
        f"/staff/api/records/calls/{OWN_CALL}",
        json={"record": record},
        headers={"X-CSRF-Token": token},
    )
    problem = (await response.json())["problems"][0]
    assert response.status == 422 and problem["field"] == "deadline"
    assert problem["english"] == "invalid date-time '2023-06-31T15:00' (use YYYY-MM-DDTHH:MM)"


async def test_a_translation_typed_in_the_form_is_marked_staff_written(make_client, workspace):
    client = await make_client()
    await login(client, "ada")
    page = await client.get(f"/staff/records/calls/{OWN_CALL}")
    html = await page.text()
    assert 'name="t.title.machine.en" value="1" checked' in html  # seeded as machine-written
    form = {"csrf_token": await csrf_of(client), **_form_of(_record(workspace, OWN_CALL))}
    assert form["t.title.machine.en"] == "1"
    form["t.title.en"] = "Support for setting up Moroccan clusters (call for projects 2023)"
    response = await client.post(
        f"/staff/records/calls/{OWN_CALL}", data=form, allow_redirects=False
    )
    assert response.status == 303, await response.text()
    with workspace.engine.connect() as conn:
        saved = editing.find(conn, "calls", OWN_CALL)[1]["title"]
    assert saved["en"].startswith("Support for setting up")
    assert "en" not in saved.get("machine", []) and "nb" in saved["machine"]


async def test_history_shows_the_diff_and_undo_leaves_later_changes_to_other_records(
    make_client, workspace
):
    client = await make_client()
    token = await _api_login(client, "ada")
    assert (await _put_deadline(client, token, OWN_CALL, "2023-06-30T15:00")).status == 200
    assert (await _put(client, token, OTHER_CALL, applications_received=41)).status == 200
    other_before = _record(workspace, OTHER_CALL)
    history = (await (await client.get(f"/staff/api/records/calls/{OWN_CALL}/history")).json())[
        "changes"
    ]
    assert len(history) == 1 and history[0]["user"] == "ada"
    assert history[0]["fields"] == ["deadline"]
    assert "-  at: 2023-06-14T15:00" in history[0]["diff"]
    assert "+  at: 2023-06-30T15:00" in history[0]["diff"]
    page = await (await client.get(f"/staff/records/calls/{OWN_CALL}/history")).text()
    assert "2023-06-30T15:00" in page and "2023-06-14T15:00" in page
    response = await client.post(
        f"/staff/api/changes/{history[0]['id']}/undo", headers={"X-CSRF-Token": token}
    )
    assert response.status == 200
    assert _deadline(workspace) == "2023-06-14T15:00"
    assert _record(workspace, OTHER_CALL) == other_before
    assert other_before["applications_received"] == 41
    history = (await (await client.get(f"/staff/api/records/calls/{OWN_CALL}/history")).json())[
        "changes"
    ]
    assert history[0]["undo_of"] == history[1]["id"] and history[1]["undone_by"]


async def test_undo_refuses_when_the_same_field_was_changed_again(make_client, workspace):
    client = await make_client()
    token = await _api_login(client, "ada")
    first = await (await _put_deadline(client, token, OWN_CALL, "2023-06-30T15:00")).json()
    await _put_deadline(client, token, OWN_CALL, "2023-07-15T15:00")
    response = await client.post(
        f"/staff/api/changes/{first['change']}/undo", headers={"X-CSRF-Token": token}
    )
    assert response.status == 409 and "deadline" in (await response.json())["message"]
    assert _deadline(workspace) == "2023-07-15T15:00"


async def test_admins_manage_accounts_in_the_workspace(make_client):
    client = await make_client()
    token = await _api_login(client, "ada")
    response = await client.post(
        "/staff/api/users",
        json={"name": "sam", "role": "editor", "password": "short"},
        headers={"X-CSRF-Token": token},
    )
    assert response.status == 422
    response = await client.post(
        "/staff/users",
        data={
            "csrf_token": token,
            "name": "sam",
            "role": "editor",
            "orgs": "no-siva",
            "password": PASSWORD,
            "language": "nb",
        },
        allow_redirects=False,
    )
    assert response.status == 303
    sam = await make_client()
    assert (await login(sam, "sam")).status == 303
    assert "Oppføringer i kunnskapsbasen" in await (await sam.get("/staff/")).text()


async def test_every_api_path_is_refused_without_a_session(make_client):
    from staff.openapi import document

    client = await make_client()
    for path, operations in document()["paths"].items():
        concrete = (
            path.replace("{kind}", "calls")
            .replace("{id}", OWN_CALL)
            .replace("{change_id}", "1")
            .replace("{case_id}", "1")
            .replace("{conversation_id}", "conv-1")
        )
        for method in operations:
            if method == "parameters":
                continue
            response = await client.request(method, f"/staff/api{concrete}", json={})
            expected = 400 if path == "/login" else 401
            assert response.status == expected, (method, path, response.status)


async def test_the_form_round_trips_a_record_unchanged(make_client, workspace):
    """Every box as shown, sent back: nothing changes, no change is recorded."""
    client = await make_client()
    await login(client, "ada")
    for call, source_lang in ((OWN_CALL, "fr"), (OTHER_CALL, "nb")):
        form = {
            "csrf_token": await csrf_of(client),
            **_form_of(_record(workspace, call), source_lang),
        }
        response = await client.post(
            f"/staff/records/calls/{call}", data=form, allow_redirects=False
        )
        assert response.headers["Location"].endswith("?saved=0"), await response.text()
    assert _change_count(workspace) == 0


EVENT = {
    "id": "ma-clusters-info-day",
    "title": {"fr": "Journée d'information sur l'appel clusters", "en": "Clusters call info day"},
    "organiser": "ma-mic",
    "start": {"at": "2023-06-05T10:00", "timezone": "Africa/Casablanca"},
    "place": {"name": "Rabat", "municipality": "Rabat", "country": "MA"},
    "evidence": {"record": "written by hub staff"},
}


async def test_records_are_created_and_deleted_and_the_import_keeps_both(
    make_client, workspace, content_dir
):
    from knowledge.importer import import_paths

    client = await make_client()
    token = await _api_login(client, "eve")
    response = await client.post(
        "/staff/api/records/events",
        json={"source_id": "ma-mic-clusters-2023", "record": {**EVENT, "organiser": "no-siva"}},
        headers={"X-CSRF-Token": token},
    )
    assert response.status == 403  # not the editor's organisation
    response = await client.post(
        "/staff/api/records/events",
        json={"source_id": "ma-mic-clusters-2023", "record": EVENT},
        headers={"X-CSRF-Token": token},
    )
    assert response.status == 201, await response.text()
    contact = "ma-mic-dptc-contact"  # the call names it: deleting it is refused
    admin = await make_client()
    admin_token = await _api_login(admin, "ada")
    response = await admin.delete(
        f"/staff/api/records/contacts/{contact}", headers={"X-CSRF-Token": admin_token}
    )
    assert response.status == 422
    assert "refers to a missing contact" in (await response.json())["problems"][0]["english"]
    response = await admin.delete(
        "/staff/api/records/events/se-motesplats-lycksele", headers={"X-CSRF-Token": admin_token}
    )
    assert response.status == 200, await response.text()
    bundle, _ = import_paths(workspace.engine, [content_dir])
    assert set(bundle.kept) == {
        "events[ma-clusters-info-day]",
        "events[se-motesplats-lycksele]",
    }
    with workspace.engine.connect() as conn:
        assert editing.find(conn, "events", "ma-clusters-info-day") is not None
        assert editing.find(conn, "events", "se-motesplats-lycksele") is None
    deleted = await (
        await admin.get("/staff/api/records/events/ma-clusters-info-day/history")
    ).json()
    response = await admin.post(
        f"/staff/api/changes/{deleted['changes'][0]['id']}/undo",
        headers={"X-CSRF-Token": admin_token},
    )
    assert response.status == 200  # undoing the creation removes the event
    assert (await admin.get("/staff/api/records/events/ma-clusters-info-day")).status == 404


async def test_a_new_record_form_shows_the_import_s_problems(make_client):
    client = await make_client()
    await login(client, "ada")
    token = await csrf_of(client)
    page = await client.get("/staff/new/events")
    assert page.status == 200 and 'id="new-id"' in await page.text()
    response = await client.post(
        "/staff/new/events",
        data={"csrf_token": token, "source": "ma-mic-clusters-2023", "new_id": "Not A Slug"},
    )
    assert response.status == 422
    assert "must be a lowercase slug id" in await response.text()
    response = await client.post(
        "/staff/new/events",
        data={
            "csrf_token": token,
            "source": "ma-mic-clusters-2023",
            "new_id": "ma-info-day",
            "t.title.fr": "Journée d'information",
            "t.title.original": "fr",
            "f.organiser": "ma-mic",
            "f.evidence": "{record: written by hub staff}",
        },
        allow_redirects=False,
    )
    assert response.status == 303, await response.text()
    assert response.headers["Location"] == "/staff/records/events/ma-info-day?saved=1"


async def test_a_database_without_the_schema_gets_a_clear_503(tmp_path):
    from aiohttp.test_utils import TestClient, TestServer

    from staff.app import create_app

    app = create_app(
        "http://127.0.0.1:9", database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}", secret="s"
    )
    async with TestClient(TestServer(app)) as client:
        page = await client.get("/staff/login")
        assert page.status == 503 and "hubguide kb migrate" in await page.text()
        api = await client.post("/staff/api/login", json={"name": "a", "password": "b"})
        assert api.status == 503 and (await api.json())["error"] == "error_schema"
