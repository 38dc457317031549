"""Source documents (their ``source:`` section) and places in the workspace and its API: roles
(403 and nothing changed), CSRF, errors beside the field in the staff member's language,
history with the diff, single-change undo."""

from __future__ import annotations

from knowledge import editing
from staff import accounts
from tests.integration.staff.conftest import PASSWORD, csrf_of, login

SOURCE = "ma-mic-clusters-2023"  # records of ma-mic and of ma-mic-dptc (its contacts)
OTHER_SOURCE = "no-kmd-aktive-naeringshager"
SOURCES = "/staff/api/records/sources"
PLACES = "/staff/api/records/places"


async def _api_login(client, name: str) -> str:
    response = await client.post("/staff/api/login", json={"name": name, "password": PASSWORD})
    assert response.status == 200, await response.text()
    return (await response.json())["csrf_token"]


def _stored(workspace, kind: str, rid: str) -> dict | None:
    with workspace.engine.connect() as conn:
        found = editing.find(conn, kind, rid)
    return found[1] if found else None


async def _put(client, token: str | None, path: str, **fields):
    record = (await (await client.get(path)).json())["record"]
    headers = {"X-CSRF-Token": token} if token else {}
    return await client.put(path, json={"record": {**record, **fields}}, headers=headers)


def _add_user(workspace, name: str, role: str, orgs=(), language: str = "en") -> None:
    with workspace.engine.begin() as conn:
        accounts.add_user(conn, name, role, PASSWORD, list(orgs), language)


async def test_an_admin_edits_a_source_with_history_and_undo(make_client, workspace):
    client = await make_client()
    token = await _api_login(client, "ada")
    response = await _put(client, token, f"{SOURCES}/{SOURCE}", url="https://mcinet.gov.ma/")
    assert response.status == 200, await response.text()
    body = await response.json()
    assert body["record"]["url"] == "https://mcinet.gov.ma/" and body["change"]
    assert _stored(workspace, "sources", SOURCE)["url"] == "https://mcinet.gov.ma/"
    history = (await (await client.get(f"{SOURCES}/{SOURCE}/history")).json())["changes"]
    assert history[0]["user"] == "ada" and history[0]["fields"] == ["url"]
    assert "+url: https://mcinet.gov.ma/" in history[0]["diff"]
    assert "-url: null" in history[0]["diff"]
    response = await client.post(
        f"/staff/api/changes/{history[0]['id']}/undo", headers={"X-CSRF-Token": token}
    )
    assert response.status == 200
    assert _stored(workspace, "sources", SOURCE)["url"] is None
    # the workspace's pages: the record list, the form, the history
    await login(client, "ada")
    assert (
        f'href="/staff/records/sources/{SOURCE}"'
        in await (await client.get("/staff/?kind=sources")).text()
    )
    page = await (await client.get(f"/staff/records/sources/{SOURCE}")).text()
    assert 'id="source-note"' in page and 'name="t.title.fr"' in page
    assert 'id="delete"' not in page  # a source is a content file
    assert (await client.get(f"/staff/records/sources/{SOURCE}/history")).status == 200


async def test_an_editor_saves_a_source_only_when_all_its_records_are_theirs(
    make_client, workspace
):
    eve = await make_client()  # editor of ma-mic only: the source also holds ma-mic-dptc's
    token = await _api_login(eve, "eve")
    assert (await eve.get(f"{SOURCES}/{SOURCE}")).status == 200  # reads it
    assert (await eve.get(f"{SOURCES}/{OTHER_SOURCE}")).status == 403
    before = _stored(workspace, "sources", SOURCE)
    response = await _put(eve, token, f"{SOURCES}/{SOURCE}", url="https://example.org/")
    assert response.status == 403
    assert _stored(workspace, "sources", SOURCE) == before
    _add_user(workspace, "mo", "editor", ["ma-mic", "ma-mic-dptc"])
    mo = await make_client()
    token = await _api_login(mo, "mo")
    response = await _put(mo, token, f"{SOURCES}/{SOURCE}", url="https://example.org/")
    assert response.status == 200, await response.text()
    listed = (await (await mo.get("/staff/api/records?kind=sources")).json())["records"]
    assert [(r["id"], r["editable"]) for r in listed] == [(SOURCE, True)]


async def test_a_reviewer_reads_sources_and_places_and_saves_neither(make_client, workspace):
    client = await make_client()
    token = await _api_login(client, "rex")
    before = (_stored(workspace, "sources", SOURCE), _stored(workspace, "places", "rogaland"))
    assert (await _put(client, token, f"{SOURCES}/{SOURCE}", url="https://x.org/")).status == 403
    response = await _put(client, token, f"{PLACES}/rogaland", type="fylke")
    assert response.status == 403
    after = (_stored(workspace, "sources", SOURCE), _stored(workspace, "places", "rogaland"))
    assert after == before
    await login(client, "rex")
    page = await (await client.get("/staff/records/places/rogaland")).text()
    assert 'id="read-only"' in page and 'id="save"' not in page


async def test_saves_without_the_csrf_token_are_refused(make_client, workspace):
    client = await make_client()
    await _api_login(client, "ada")
    before = _stored(workspace, "places", "rogaland")
    assert (await _put(client, None, f"{PLACES}/rogaland", type="fylke")).status == 403
    assert (await _put(client, None, f"{SOURCES}/{SOURCE}", url="https://x.org/")).status == 403
    await login(client, "ada")
    form = await client.post(
        "/staff/records/places/rogaland", data={"f.type": "fylke"}, allow_redirects=False
    )
    assert form.status == 403
    assert _stored(workspace, "places", "rogaland") == before


async def test_source_errors_are_beside_the_field_in_the_staff_member_s_language(
    make_client, workspace
):
    _add_user(workspace, "sam", "admin", language="nb")
    client = await make_client()
    await login(client, "sam")
    page = await (await client.get(f"/staff/records/sources/{SOURCE}")).text()
    assert "Kildedokument" in page or "Dokumentets språk" in page
    form = {
        "csrf_token": await csrf_of(client),
        "t.title.original": "fr",
        "t.title.fr": "Appel clusters",
        "f.file": "004_b849c5ac1eaad6ef.txt",
        "f.language": "en",  # not changed here
        "f.published": "2023-02-30",
    }
    response = await client.post(f"/staff/records/sources/{SOURCE}", data=form)
    assert response.status == 422
    text = await response.text()
    language = text.split('id="field-language"', 1)[1].split("</fieldset>", 1)[0]
    assert "kan ikke endres i arbeidsområdet" in language
    # what was typed is still in the boxes
    assert "Appel clusters" in text
    api = await make_client()
    token = await _api_login(api, "sam")
    response = await _put(api, token, f"{SOURCES}/{SOURCE}", published="2023-02-30")
    problem = (await response.json())["problems"][0]
    assert response.status == 422 and problem["field"] == "published"
    assert _stored(workspace, "sources", SOURCE)["published"] is None


async def test_an_editor_renames_places_of_their_countries_only(make_client, workspace):
    client = await make_client()
    token = await _api_login(client, "eve")  # ma-mic: Morocco
    rabat = _stored(workspace, "places", "rabat-sale-kenitra")
    names = {**rabat["names"], "en": ["Rabat-Salé-Kénitra", "Rabat region"]}
    response = await _put(client, token, f"{PLACES}/rabat-sale-kenitra", names=names)
    assert response.status == 200, await response.text()
    assert _stored(workspace, "places", "rabat-sale-kenitra")["names"]["en"][1] == "Rabat region"
    before = _stored(workspace, "places", "rogaland")
    names = {**before["names"], "en": ["Rogaland", "Rogaland county"]}
    response = await _put(client, token, f"{PLACES}/rogaland", names=names)
    assert response.status == 403  # a Norwegian place
    response = await _put(client, token, f"{PLACES}/rabat-sale-kenitra", iso="MA-05")
    assert response.status == 403  # only names
    response = await client.post(
        PLACES,
        json={"record": {"id": "sale", "kind": "municipality", "country": "MA",
                         "parent": "rabat-sale-kenitra", "names": {"fr": ["Salé"]}}},
        headers={"X-CSRF-Token": token},
    )  # fmt: skip
    assert response.status == 403  # admins add places
    assert _stored(workspace, "places", "rogaland") == before
    assert _stored(workspace, "places", "sale") is None


async def test_an_admin_adds_a_place_edits_it_and_undoes_each_change(make_client, workspace):
    client = await make_client()
    token = await _api_login(client, "ada")
    place = {
        "id": "sale",
        "kind": "municipality",
        "country": "MA",
        "parent": "rabat-sale-kenitra",
        "names": {"fr": ["Salé"], "ar": ["سلا"]},
    }
    response = await client.post(PLACES, json={"record": place}, headers={"X-CSRF-Token": token})
    assert response.status == 201, await response.text()
    response = await _put(client, token, f"{PLACES}/sale", names={"fr": ["Salé", "Sala"]})
    assert response.status == 200
    response = await _put(client, token, f"{PLACES}/sale", parent="atlantis")
    assert response.status == 422
    problem = (await response.json())["problems"][0]
    assert problem["field"] == "parent" and "atlantis" in problem["message"]
    history = (await (await client.get(f"{PLACES}/sale/history")).json())["changes"]
    assert [c["fields"] for c in history] == [["names"], sorted(place)]
    undo = await client.post(
        f"/staff/api/changes/{history[0]['id']}/undo", headers={"X-CSRF-Token": token}
    )
    assert undo.status == 200
    assert _stored(workspace, "places", "sale")["names"] == {"fr": ["Salé"], "ar": ["سلا"]}
    undo = await client.post(
        f"/staff/api/changes/{history[1]['id']}/undo", headers={"X-CSRF-Token": token}
    )
    assert undo.status == 200  # undoing the addition removes it
    assert _stored(workspace, "places", "sale") is None
    assert (await client.get(f"{PLACES}/sale")).status == 404


async def test_a_place_s_form_shows_the_import_s_problem_in_french(make_client, workspace):
    _add_user(workspace, "zoe", "admin", language="fr")
    client = await make_client()
    await login(client, "zoe")
    page = await (await client.get("/staff/records/places/rogaland")).text()
    assert "Type de lieu" in page and 'id="place-note"' in page
    form = {
        "csrf_token": await csrf_of(client),
        "f.kind": "region",
        "f.type": "county",
        "f.country": "XX",  # no such country: the check says so beside the box
        "f.iso": "SE-AC",
        "f.names": "{nb: [Rogaland]}",
    }
    response = await client.post("/staff/records/places/rogaland", data=form)
    assert response.status == 422
    text = await response.text()
    iso = text.split('id="field-iso"', 1)[1].split("</fieldset>", 1)[0]
    country = text.split('id="field-country"', 1)[1].split("</fieldset>", 1)[0]
    assert "code pays ISO 3166-1 alpha-2 inconnu &#39;XX&#39;" in country
    # the places in it are named in French too, with their own record
    assert "places[stavanger]: parent: renvoie à un lieu inexistant &#39;rogaland&#39;" in text
    form["f.country"] = "NO"  # a bare NO (YAML 1.1's false) is the code typed
    response = await client.post("/staff/records/places/rogaland", data=form)
    text = await response.text()
    iso = text.split('id="field-iso"', 1)[1].split("</fieldset>", 1)[0]
    assert "n&#39;est pas une subdivision ISO 3166-2 de NO" in iso
    form["f.iso"] = "NO-11"
    response = await client.post("/staff/records/places/rogaland", data=form, allow_redirects=False)
    assert response.status == 303
    assert _stored(workspace, "places", "rogaland")["names"] == {"nb": ["Rogaland"]}


async def test_sources_are_not_added_or_deleted_and_places_in_use_stay(make_client, workspace):
    client = await make_client()
    token = await _api_login(client, "ada")
    response = await client.post(
        SOURCES,
        json={"source_id": SOURCE, "record": {"id": "new-doc", "language": "en", "title": "T"}},
        headers={"X-CSRF-Token": token},
    )
    assert response.status == 422
    response = await client.delete(f"{SOURCES}/{SOURCE}", headers={"X-CSRF-Token": token})
    assert response.status == 422
    response = await client.delete(f"{PLACES}/vestland", headers={"X-CSRF-Token": token})
    assert response.status == 422  # Voss lies in it
    assert _stored(workspace, "sources", SOURCE) and _stored(workspace, "places", "vestland")
